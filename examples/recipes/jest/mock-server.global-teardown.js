/** Stops the mock server that globalSetup started. */
export default async function globalTeardown() {
  await globalThis.caleidaMockServer?.close();
}
