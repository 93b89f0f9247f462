/** How each delivery status reads on the page. */
export const DELIVERY_STATUS_LABELS = Object.freeze({
  pending: 'Pending',
  in_flight: 'Sending',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
});

/** The badge colour of a delivery status. */
export function deliveryTone(status) {
  if (status === 'succeeded') return 'ok';
  if (status === 'failed') return 'bad';
  if (status === 'cancelled') return 'muted';
  return 'wait';
}

/** True while the mock server may still change a delivery on its own (a retry, an attempt running). */
export function isMoving(delivery) {
  return delivery.status === 'pending' || delivery.status === 'in_flight';
}

/** An attempt's HTTP status as text: the code, or "No response". */
export function attemptCode(attempt) {
  const code = attempt?.status_code;
  return typeof code === 'number' ? String(code) : 'No response';
}

/** True for a 2xx attempt. */
export function attemptSucceeded(attempt) {
  const code = attempt?.status_code;
  return typeof code === 'number' && code >= 200 && code < 300;
}
