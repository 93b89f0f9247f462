export { buildConversation, type ConversationOptions } from './build-conversation.js';
export { type BuildEventOptions, buildEvent } from './build-event.js';
export { createRandom, type Random } from './random.js';
export { type SignedRequest, type SignedRequestOptions, signedRequest } from './signed-request.js';
