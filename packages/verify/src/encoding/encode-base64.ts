/** Standard base64 with padding, as `Buffer#toString('base64')`, without Buffer. For short inputs (signatures). */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
