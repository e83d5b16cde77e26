import { describe, expect, it } from 'vitest';
import { applyClassifierFreeGuidance } from '../src/core/sampling/classifier-free-guidance.ts';
import { SeededRandom } from '../src/core/sampling/seeded-random.ts';

describe('applyClassifierFreeGuidance', () => {
  // Row layout [cond (3) | uncond (3)].
  const cond = [2, -1, 0.5];
  const uncond = [1, 1, 0.5];

  it('show-o form: (1 + w)·cond − w·uncond', () => {
    const data = new Float32Array([...cond, ...uncond]);
    applyClassifierFreeGuidance(data, 0, 3, 3, 2, 'show-o');
    // 3·2 − 2·1 = 4; 3·(−1) − 2·1 = −5; 3·0.5 − 2·0.5 = 0.5
    expect(Array.from(data)).toEqual([4, -5, 0.5, ...uncond]);
  });

  it('standard form: uncond + w·(cond − uncond)', () => {
    const data = new Float32Array([...cond, ...uncond]);
    applyClassifierFreeGuidance(data, 0, 3, 3, 2, 'standard');
    // 1 + 2·1 = 3; 1 + 2·(−2) = −3; 0.5 + 0 = 0.5
    expect(Array.from(data)).toEqual([3, -3, 0.5, ...uncond]);
  });

  it('w = 0 (show-o) and w = 1 (standard) return cond unchanged', () => {
    const a = new Float32Array([...cond, ...uncond]);
    applyClassifierFreeGuidance(a, 0, 3, 3, 0, 'show-o');
    const b = new Float32Array([...cond, ...uncond]);
    applyClassifierFreeGuidance(b, 0, 3, 3, 1, 'standard');
    expect(Array.from(a.subarray(0, 3))).toEqual(cond);
    expect(Array.from(b.subarray(0, 3))).toEqual(cond);
  });

  it('works with uncond before cond and keeps tokens masked in both masked', () => {
    const data = new Float32Array([1, -Infinity, /* cond: */ 3, -Infinity]);
    applyClassifierFreeGuidance(data, 2, 0, 2, 1.5, 'show-o');
    // 2.5·3 − 1.5·1 = 6
    expect(Array.from(data)).toEqual([1, -Infinity, 6, -Infinity]);
  });

  it('show-o with w equals standard with w + 1', () => {
    const rng = new SeededRandom('cfg');
    const width = 257;
    const row = Float32Array.from({ length: 2 * width }, () => (rng.next() - 0.5) * 30);
    for (const w of [0, 0.5, 1.75, 3, 7.5]) {
      const showO = row.slice();
      const standard = row.slice();
      applyClassifierFreeGuidance(showO, 0, width, width, w, 'show-o');
      applyClassifierFreeGuidance(standard, 0, width, width, w + 1, 'standard');
      for (let i = 0; i < width; i++) {
        const c = row[i] as number;
        const u = row[width + i] as number;
        expect(showO[i]).toBeCloseTo((1 + w) * c - w * u, 3);
        expect(standard[i]).toBeCloseTo(u + (w + 1) * (c - u), 3);
        expect(showO[i]).toBeCloseTo(standard[i] as number, 4);
      }
    }
  });
});
