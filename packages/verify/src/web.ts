/**
 * The Web build of @caleida/verify: everything that runs on Web APIs alone (`crypto.subtle`,
 * `TextDecoder`, `Request`/`Response`), for Cloudflare Workers, Vercel Edge, Deno Deploy and
 * browsers. Import it as `@caleida/verify/web`, or as `@caleida/verify` where the bundler or runtime
 * sets the `workerd`, `edge-light`, `worker` or `browser` condition. Verification is async here
 * (`verifyAsync`, `constructEventAsync`, `signAsync`): Web Crypto has no synchronous HMAC.
 * `createReceiver` and `createFetchHandler` are the Node entry's, with the same rules and answers,
 * checking signatures with `verifyAsync`. Nothing in this entry imports `node:*`.
 */
export * from './portable.js';
export { createWebFetchHandler as createFetchHandler } from './receiver/create-web-fetch-handler.js';
export { createWebReceiver as createReceiver } from './receiver/create-web-receiver.js';
