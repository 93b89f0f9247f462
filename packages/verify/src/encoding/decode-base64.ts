// Both alphabets, as Node's decoder: standard (+/) and URL-safe (-_); 255 marks any other byte.
const SEXTETS = new Uint8Array(256).fill(255);
for (const [index, char] of [
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
].entries()) {
  SEXTETS[char.charCodeAt(0)] = index;
}
SEXTETS['-'.charCodeAt(0)] = 62;
SEXTETS['_'.charCodeAt(0)] = 63;
const PAD = 0x3d;

/**
 * Decodes base64 exactly as `Buffer.from(text, 'base64')` does on Node, without Buffer: both
 * alphabets, other characters skipped, decoding stops at the first `=`. Matching Node byte for byte
 * keeps one rule for which signatures match, whichever crypto back end checks them.
 */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  let length = text.length;
  if (length < 2) return new Uint8Array(0);
  // Node sizes its output from the length less up to two trailing "=", then writes only what decodes.
  if (text.charCodeAt(length - 1) === PAD) {
    length--;
    if (text.charCodeAt(length - 1) === PAD) length--;
  }
  const remainder = length % 4;
  let capacity = Math.floor(length / 4) * 3;
  if (remainder !== 0 && !(capacity === 0 && remainder === 1)) capacity += remainder === 3 ? 2 : 1;
  const bytes = new Uint8Array(capacity);
  let written = 0;
  let sextets = 0;
  let previous = 0;
  for (let index = 0; index < text.length && written < capacity; index++) {
    // Node reads each UTF-16 unit through a uint8_t cast: only its low byte counts.
    const low = text.charCodeAt(index) & 0xff;
    const value = SEXTETS[low] as number;
    if (value === 255) {
      if (low === PAD) break;
      continue;
    }
    const position = sextets++ % 4;
    if (position === 1) bytes[written++] = ((previous & 0x3f) << 2) | ((value & 0x30) >> 4);
    else if (position === 2) bytes[written++] = ((previous & 0x0f) << 4) | ((value & 0x3c) >> 2);
    else if (position === 3) bytes[written++] = ((previous & 0x03) << 6) | value;
    previous = value;
  }
  return written === capacity ? bytes : bytes.subarray(0, written);
}
