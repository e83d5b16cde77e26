import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { float16ToFloat32, float32ToFloat16 } from '../src/backends/onnx/float16.ts';
import { intAttr, OnnxGraphBuilder, ONNX_DATA_TYPE } from '../src/synthetic/onnx-graph-builder.ts';

/**
 * Our Float16Array-free conversions give onnxruntime's own Cast results bit for bit: every one of
 * the 65,536 half patterns to float32, and float32 values of every magnitude (subnormal halves,
 * ties, overflow, signed zeros, infinities) to half.
 */

async function castSession(from: 'float32' | 'float16', to: 'float32' | 'float16'): Promise<ort.InferenceSession> {
  const g = new OnnxGraphBuilder({ name: `cast-${from}-${to}` });
  g.addInput('x', from, ['n']);
  g.op('Cast', ['x'], { to: intAttr(ONNX_DATA_TYPE[to]) }, 'y');
  g.addOutput('y', to, ['n']);
  return ort.InferenceSession.create(g.toBytes());
}

const isNaNHalf = (bits: number): boolean => (bits & 0x7c00) === 0x7c00 && (bits & 0x3ff) !== 0;

describe('float16 conversion', () => {
  it('reads every half bit pattern as onnxruntime Cast does', async () => {
    const session = await castSession('float16', 'float32');
    const halves = Uint16Array.from({ length: 65536 }, (_, i) => i);
    const result = await session.run({ x: new ort.Tensor('float16', halves, [halves.length]) });
    const reference = result.y?.data as Float32Array;
    const ours = float16ToFloat32(halves, new Float32Array(halves.length));
    let mismatches = 0;
    for (let i = 0; i < halves.length; i++) {
      if (isNaNHalf(i)) { if (!Number.isNaN(ours[i])) mismatches++; continue; }
      if (!Object.is(ours[i], reference[i])) mismatches++;
    }
    expect(mismatches).toBe(0);
    await session.release();
  });

  it('rounds float32 to half as onnxruntime Cast does (to nearest, ties to even)', async () => {
    const session = await castSession('float32', 'float16');
    const values: number[] = [0, -0, 1, -1, 65504, 65519.99, 65520, 1e6, -1e6, Infinity, -Infinity, 2 ** -24, 2 ** -25, 2 ** -25 * 1.0001,
      2 ** -26, 3 * 2 ** -25, 2 ** -14, 2 ** -14 - 2 ** -25, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 0.1, 1 / 3, Math.PI, -2.5e-6, 6.1e-5];
    // Every exponent a half can reach and beyond, with mantissas that hit and miss the rounding ties.
    for (let exponent = -30; exponent <= 17; exponent++) {
      for (const mantissa of [1, 1.5, 1 + 2 ** -10, 1 + 2 ** -11, 1 + 2 ** -11 + 2 ** -20, 1 + 3 * 2 ** -11, 1.999, 1.9995117]) {
        values.push(mantissa * 2 ** exponent, -mantissa * 2 ** exponent);
      }
    }
    const source = Float32Array.from(values);
    const result = await session.run({ x: new ort.Tensor('float32', source, [source.length]) });
    const reference = result.y?.data as Uint16Array;
    const ours = float32ToFloat16(source, new Uint16Array(source.length));
    const differing = values.map((value, i) => ({ value, ours: ours[i], onnxruntime: reference[i] })).filter((entry) => entry.ours !== entry.onnxruntime);
    expect(differing).toEqual([]);
    // NaN stays NaN.
    expect(isNaNHalf(float32ToFloat16(Float32Array.of(Number.NaN), new Uint16Array(1))[0] as number)).toBe(true);
    await session.release();
  });
});
