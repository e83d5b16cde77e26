/** The scheduler a generated segment uses: a registered name and its raw options. */
export interface SegmentScheduler {
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
}
