/**
 * Compares bytes with a latin1 string (one character per byte, as `digest('binary')` gives it) in
 * time that depends only on their length: every byte is visited, with no early exit.
 */
export function bytesEqualLatin1(bytes: Uint8Array, latin1: string): boolean {
  if (bytes.length !== latin1.length) return false;
  let difference = 0;
  for (let index = 0; index < bytes.length; index++)
    difference |= (bytes[index] as number) ^ latin1.charCodeAt(index);
  return difference === 0;
}
