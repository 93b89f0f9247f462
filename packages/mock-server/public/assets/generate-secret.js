/**
 * A strong secret in the Standard Webhooks form: `whsec_` and 32 random bytes in base64, from the
 * browser's cryptographic random source.
 */
export function generateSecret() {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `whsec_${btoa(binary)}`;
}
