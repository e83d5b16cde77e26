/**
 * What a scheduler decided in one step: (row, position, token, log p) commits, in typed arrays the
 * scheduler reuses every step (nothing allocated per step). The engine applies them; a scheduler never
 * writes the canvas itself.
 */
export class CommitList {
  private rowsOf: Int32Array;
  private positionsOf: Int32Array;
  private tokensOf: Int32Array;
  private logProbsOf: Float64Array;
  private size = 0;

  /** `capacity`: the most commits one step can make (rows × segment length). */
  constructor(capacity: number) {
    this.rowsOf = new Int32Array(capacity);
    this.positionsOf = new Int32Array(capacity);
    this.tokensOf = new Int32Array(capacity);
    this.logProbsOf = new Float64Array(capacity);
  }

  get count(): number { return this.size; }

  clear(): this {
    this.size = 0;
    return this;
  }

  /** Commit `token` (a unified vocabulary id) at `position` of `row`; `logProb` is optional (NaN when unknown). */
  push(row: number, position: number, token: number, logProb = Number.NaN): void {
    if (this.size === this.rowsOf.length) this.grow();
    this.rowsOf[this.size] = row;
    this.positionsOf[this.size] = position;
    this.tokensOf[this.size] = token;
    this.logProbsOf[this.size] = logProb;
    this.size += 1;
  }

  row(i: number): number { return this.rowsOf[i] as number; }
  position(i: number): number { return this.positionsOf[i] as number; }
  token(i: number): number { return this.tokensOf[i] as number; }
  logProb(i: number): number { return this.logProbsOf[i] as number; }

  private grow(): void {
    const capacity = Math.max(16, this.rowsOf.length * 2);
    const widen = <T extends Int32Array | Float64Array>(from: T, make: (n: number) => T): T => { const to = make(capacity); to.set(from); return to; };
    this.rowsOf = widen(this.rowsOf, (n) => new Int32Array(n));
    this.positionsOf = widen(this.positionsOf, (n) => new Int32Array(n));
    this.tokensOf = widen(this.tokensOf, (n) => new Int32Array(n));
    this.logProbsOf = widen(this.logProbsOf, (n) => new Float64Array(n));
  }
}
