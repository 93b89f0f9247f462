import type { AttemptOutcome, ClaimedDelivery } from '../storage/delivery-store.js';
import type { WebhookRecord, WebhookStore } from '../storage/webhook-store.js';
import type { HealthStore } from './health-store.js';
import type { OperationalSender } from './operational-sender.js';

/** The success rate counts this many latest attempts of a webhook. */
export const HEALTH_WINDOW = 100;

/** `disabledReason` of a webhook the server disabled because its deliveries kept failing. */
export const FAILING = 'failing';

/** A webhook's health as the API shows it. */
export interface HealthSnapshot {
  /** Share of its latest (up to 100) attempts that got a 2xx, 0 to 1; null before any attempt. */
  success_rate: number | null;
  /** Attempts counted (its latest, up to 100). */
  attempts: number;
  /** Of those, the ones that did not get a 2xx. */
  failures: number;
  /** When its deliveries started failing (no success since); null while they succeed. */
  failing_since: string | null;
  disabled_reason: string | null;
}

/** Endpoint health: success rates, failing clocks, auto-disable and operational events. */
export interface WebhookHealth {
  /** Takes one attempt's outcome; O(1), no storage access unless the webhook gets disabled. */
  attempted(webhook: WebhookRecord, delivery: ClaimedDelivery, outcome: AttemptOutcome): void;
  /** A webhook's health now. */
  of(webhook: WebhookRecord): HealthSnapshot;
  /** `webhooks` whose `update()` starts a webhook's health afresh when it is enabled again. */
  watch(webhooks: WebhookStore): WebhookStore;
}

/** What `createWebhookHealth()` needs. */
export interface WebhookHealthOptions {
  store: HealthStore;
  webhooks: WebhookStore;
  operational: OperationalSender;
  /** How long every delivery must have failed before the webhook is disabled. */
  disableAfterFailingMs: number;
  /** How many deliveries must have failed for good in that time. */
  disableAfterExhausted: number;
  /** Fails the pending deliveries of a webhook just disabled. */
  onDisabled?(webhookId: string): void;
  now?: () => number;
}

interface State {
  /** 1 for a success, 0 for a failure, newest at `next - 1`, a ring of HEALTH_WINDOW. */
  ring: Uint8Array;
  next: number;
  filled: number;
  failures: number;
  failingSince: number | null;
  exhausted: number;
}

/**
 * Makes the endpoint health tracker. Each webhook's state lives in memory, read from storage the
 * first time it is needed. A webhook is disabled with reason `failing` when an exhausted delivery
 * finds that none of its attempts succeeded for `disableAfterFailingMs` and at least
 * `disableAfterExhausted` deliveries were exhausted in that time; any 2xx resets the clock.
 *
 * @example
 * const health = createWebhookHealth({ store, webhooks, operational, disableAfterFailingMs: 5 * 86_400_000, disableAfterExhausted: 5 });
 */
export function createWebhookHealth({
  store,
  webhooks,
  operational,
  disableAfterFailingMs,
  disableAfterExhausted,
  onDisabled,
  now = Date.now,
}: WebhookHealthOptions): WebhookHealth {
  const states = new Map<string, State>();

  function stateOf(webhookId: string): State {
    let state = states.get(webhookId);
    if (state) return state;
    const stored = store.load(webhookId, HEALTH_WINDOW);
    state = {
      ring: new Uint8Array(HEALTH_WINDOW),
      next: 0,
      filled: 0,
      failures: 0,
      failingSince: stored.failingSince,
      exhausted: stored.exhausted,
    };
    for (let i = stored.recent.length - 1; i >= 0; i--) push(state, stored.recent[i] as boolean);
    states.set(webhookId, state);
    return state;
  }

  function push(state: State, ok: boolean): void {
    if (state.filled === HEALTH_WINDOW) state.failures -= 1 - (state.ring[state.next] as number);
    else state.filled++;
    state.ring[state.next] = ok ? 1 : 0;
    if (!ok) state.failures++;
    state.next = (state.next + 1) % HEALTH_WINDOW;
  }

  function disable(webhook: WebhookRecord, state: State, at: number): void {
    webhooks.update(webhook.id, { status: 'disabled', disabledReason: FAILING });
    store.failPending(webhook.id, at);
    onDisabled?.(webhook.id);
    operational.send({
      type: 'webhook.disabled',
      timestamp: new Date(at).toISOString(),
      data: {
        webhook_id: webhook.id,
        webhook_name: webhook.name,
        url: webhook.url,
        reason: 'failing',
        failing_since: state.failingSince === null ? null : new Date(state.failingSince).toISOString(),
        exhausted_deliveries: state.exhausted,
      },
    });
  }

  return {
    attempted(webhook, delivery, outcome) {
      const state = stateOf(webhook.id);
      const { attempt } = outcome;
      const ok = outcome.status === 'succeeded';
      push(state, ok);
      if (ok) {
        state.failingSince = null;
        state.exhausted = 0;
        return;
      }
      state.failingSince ??= attempt.startedAt;
      if (outcome.status !== 'failed') return;
      state.exhausted++;
      const at = now();
      operational.send({
        type: 'delivery.exhausted',
        timestamp: new Date(at).toISOString(),
        data: {
          webhook_id: webhook.id,
          delivery_id: delivery.id,
          event_id: delivery.eventId,
          event_type: delivery.eventType,
          attempts: attempt.number,
          last_status_code: attempt.statusCode,
          last_error: attempt.error,
        },
      });
      if (attempt.statusCode === 410) {
        // The attempt itself disables a webhook that answers 410; say so as well.
        operational.send({
          type: 'webhook.disabled',
          timestamp: new Date(at).toISOString(),
          data: {
            webhook_id: webhook.id,
            webhook_name: webhook.name,
            url: webhook.url,
            reason: 'gone',
            failing_since: new Date(state.failingSince).toISOString(),
            exhausted_deliveries: state.exhausted,
          },
        });
        return;
      }
      const current = webhooks.get(webhook.id);
      if (current?.status !== 'active') return;
      if (state.exhausted >= disableAfterExhausted && at - state.failingSince >= disableAfterFailingMs) {
        disable(current, state, at);
      }
    },
    of(webhook) {
      const state = stateOf(webhook.id);
      return {
        success_rate: state.filled === 0 ? null : (state.filled - state.failures) / state.filled,
        attempts: state.filled,
        failures: state.failures,
        failing_since: state.failingSince === null ? null : new Date(state.failingSince).toISOString(),
        disabled_reason: webhook.disabledReason,
      };
    },
    watch(watched) {
      return {
        ...watched,
        update(id, changes, at) {
          const before = watched.get(id);
          const updated = watched.update(id, changes, at);
          if (before?.status === 'disabled' && updated?.status === 'active') {
            // Enabled again: its old failures no longer count towards disabling it.
            const at = now();
            store.reset(id, at);
            states.delete(id);
          }
          return updated;
        },
        delete(id) {
          states.delete(id);
          return watched.delete(id);
        },
      };
    },
  };
}
