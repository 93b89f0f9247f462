import { describe, expect, it } from 'vitest';
import { rotateSecret } from '../src/webhooks/rotate-secret.js';
import { signingSecrets } from '../src/webhooks/signing-secrets.js';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const plain = { secret: 'whsec_current', previousSecret: null, previousSecretExpiresAt: null };

describe('signingSecrets(webhook, now)', () => {
  it('is the current secret alone when nothing was rotated', () => {
    expect(signingSecrets(plain, NOW)).toBe('whsec_current');
  });

  it('is the current secret, then the previous one, until the grace period ends', () => {
    const rotated = { ...plain, ...rotateSecret({ secret: 'whsec_old' }, 'whsec_current', 60, NOW) };
    expect(signingSecrets(rotated, NOW)).toEqual(['whsec_current', 'whsec_old']);
    expect(signingSecrets(rotated, NOW + 59_999)).toEqual(['whsec_current', 'whsec_old']);
    expect(signingSecrets(rotated, NOW + 60_000)).toBe('whsec_current');
  });
});

describe('rotateSecret(webhook, secret, gracePeriodSeconds, now)', () => {
  it('keeps the replaced secret for the grace period', () => {
    expect(rotateSecret({ secret: 'whsec_old' }, 'whsec_new', 3600, NOW)).toEqual({
      secret: 'whsec_new',
      previousSecret: 'whsec_old',
      previousSecretExpiresAt: NOW + 3_600_000,
    });
  });

  it('switches at once with a grace period of 0', () => {
    expect(rotateSecret({ secret: 'whsec_old' }, 'whsec_new', 0, NOW)).toEqual({
      secret: 'whsec_new',
      previousSecret: null,
      previousSecretExpiresAt: null,
    });
  });
});
