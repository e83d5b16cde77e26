import { createHash } from 'node:crypto';

/** sha256 (hex) of image codes as little-endian int32s: equal hashes mean equal tokens. */
export function tokensHash(codes: ArrayLike<number>): string {
  const bytes = new DataView(new ArrayBuffer(codes.length * 4));
  for (let i = 0; i < codes.length; i++) bytes.setInt32(i * 4, codes[i] as number, true);
  return createHash('sha256').update(new Uint8Array(bytes.buffer)).digest('hex');
}
