import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createClock } from '../core/clock.js';
import { Recorder } from '../evidence/recorder.js';
import { BodyAllowance } from '../http/body-allowance.js';
import { startWebhookReceiver, type RunningWebhookHub, type WebhookDelivery } from './receiver.js';
import { signatureHeader } from './signature.js';

let hub: RunningWebhookHub | undefined;
afterEach(async () => hub?.close());

async function start(options: {
  maxConcurrent?: number;
  allowance?: BodyAllowance;
  onDelivery?: (d: WebhookDelivery) => void;
}): Promise<Recorder> {
  const clock = createClock();
  const recorder = new Recorder(clock, []);
  hub = await startWebhookReceiver({
    listen: '127.0.0.1:0',
    publicUrl: null,
    appSecret: 'app-secret-for-tests-0123',
    verifyToken: 'verify-token-canary-4567',
    recorder,
    clock,
    cohorts: [],
    ...options,
  });
  return recorder;
}

/** Opens a POST and sends `body`; with `isHeld` the request is left open (the body never ends). */
function post(url: string, body: string, isHeld = false, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/webhook`,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.write(body);
    if (!isHeld) req.end();
  });
}

describe('webhook receiver caps', () => {
  it('answers 503 unread once the concurrent-body cap is reached, and records it', async () => {
    const recorder = await start({ maxConcurrent: 1 });
    const url = hub?.localUrl ?? '';
    void post(url, '{"held":', true).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await post(url, '{}')).toBe(503);
    expect(recorder.exchanges.map((e) => e.response.status)).toContain(503);
  });

  it('records webhook bodies from the run-wide allowance, keeping size and digest past it', async () => {
    const recorder = await start({ allowance: new BodyAllowance(100_000) });
    const url = hub?.localUrl ?? '';
    const body = JSON.stringify({ pad: 'x'.repeat(80_000) });
    for (let i = 0; i < 3; i += 1) await post(url, body);
    const kept = recorder.exchanges.map((e) => e.request.bodyText.length);
    expect(kept.reduce((a, b) => a + b, 0)).toBeLessThan(100_000 + 1000);
    expect(recorder.exchanges[2]?.request.bodyText).toMatch(/sha256:[0-9a-f]{64}/);
  });

  it('keeps a flood of 200 signed 900 KiB webhooks within the allowance (HAR bodies and payload samples)', async () => {
    const kept: WebhookDelivery[] = [];
    const recorder = await start({ allowance: new BodyAllowance(32 * 1024 * 1024), onDelivery: (d) => kept.push(d) });
    const url = hub?.localUrl ?? '';
    const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [], pad: 'x'.repeat(900 * 1024) });
    const headers = { 'x-hub-signature-256': signatureHeader('app-secret-for-tests-0123', Buffer.from(body)) };
    for (let i = 0; i < 200; i += 4) await Promise.all([0, 1, 2, 3].map(() => post(url, body, false, headers)));
    const recorded = recorder.exchanges.reduce((sum, e) => sum + e.request.bodyText.length, 0);
    expect(kept).toHaveLength(200);
    expect(recorded).toBeLessThan(32 * 1024 * 1024 + 200 * 200);
    expect(kept.filter((d) => d.isPayloadKept).length).toBeLessThanOrEqual(36);
    expect(kept.filter((d) => !d.isPayloadKept).every((d) => d.payload === undefined)).toBe(true);
  });
});
