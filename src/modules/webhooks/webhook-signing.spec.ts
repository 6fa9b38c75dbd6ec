import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret, signWebhook } from './webhook-signing.js';

describe(signWebhook.name, () => {
  const body = JSON.stringify({ id: 'evt-1', type: 'payment.paid', data: { payment: { amount: 150000 } } });

  it('produces headers the Standard Webhooks verifier accepts', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook('evt-1', new Date(), body, [secret]);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('signs with both secrets during a rotation, so either verifies', () => {
    const [current, previous] = [generateWebhookSecret(), generateWebhookSecret()];
    const headers = signWebhook('evt-2', new Date(), body, [current, previous]);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(current).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(previous).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify(body, { ...headers })).toThrow();
  });

  it('fails verification when the body was altered', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook('evt-3', new Date(), body, [secret]);
    expect(() => new Webhook(secret).verify(body.replace('150000', '1'), { ...headers })).toThrow();
  });
});

describe(generateWebhookSecret.name, () => {
  it('makes whsec_ secrets of 32 random bytes', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });
});
