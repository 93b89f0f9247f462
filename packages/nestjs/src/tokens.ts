/** Injection token of the module's `WebhookRoute` (its receiver and path). */
export const CALEIDA_WEBHOOK_ROUTE = Symbol('CALEIDA_WEBHOOK_ROUTE');

/** Injection token of the provider that installs the route's raw-body hook when Nest creates it. */
export const CALEIDA_RAW_BODY_HOOK = Symbol('CALEIDA_RAW_BODY_HOOK');
