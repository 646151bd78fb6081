/** Webhooks from the reference platform: override handshake, signatures, statuses with pricing, retries, delays, the user driver. */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { SIM_RECIPIENT } from '../src/sim/cohorts.js';
import { startSim, type RunningSim, type SimOptions } from '../src/sim/server.js';
import { cohortOf, graphPost, median, overrideWebhook, sendAsUser, sendMessage } from '../src/sim/http.test-helpers.js';
import { startTestReceiver, type ReceivedPost, type TestReceiver } from '../src/sim/receiver.test-helpers.js';
import type { SimCohort } from '../src/sim/types.js';

const TOKEN = 'hook-verify';
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

async function setup(
  scenario: string,
  options: Partial<SimOptions> = {},
): Promise<{ sim: RunningSim; receiver: TestReceiver; reference: SimCohort; subject: SimCohort }> {
  const sim = await startSim({ scenario, seed: 5, ...options });
  const receiver = await startTestReceiver({ verifyToken: TOKEN });
  open.push(sim, receiver);
  return { sim, receiver, reference: cohortOf(sim, 'meta-ai'), subject: cohortOf(sim, 'assistant') };
}

type Status = {
  id: string;
  status: string;
  recipient_id: string;
  pricing: Record<string, unknown>;
  conversation: { origin: { type: string } };
};
function value(post: ReceivedPost): {
  metadata: { phone_number_id: string };
  statuses?: Status[];
  messages?: Array<Record<string, unknown> & { id: string; type: string; from: string }>;
} {
  return (post.json as { entry: Array<{ changes: Array<{ value: ReturnType<typeof value> }> }> }).entry[0]?.changes[0]
    ?.value as ReturnType<typeof value>;
}
const statusOf =
  (wamid: string, status: string) =>
  (post: ReceivedPost): boolean =>
    value(post).statuses?.[0]?.id === wamid && value(post).statuses?.[0]?.status === status;
const messageOf =
  (wamid: string) =>
  (post: ReceivedPost): boolean =>
    value(post).messages?.[0]?.id === wamid;

describe('webhook override', () => {
  test('answers success only after the callback echoes the hub challenge, then routes that number there', async () => {
    const { sim, receiver, subject } = await setup('compliant');
    expect((await overrideWebhook(sim, subject, receiver.url, TOKEN)).json).toEqual({ success: true });
    expect(receiver.verifications).toHaveLength(1);
    expect(receiver.verifications[0]?.isTokenValid).toBe(true);
    expect(receiver.verifications[0]?.challenge).toMatch(/^[0-9]+$/);
    expect(sim.context.webhooks.callbackFor(subject.phoneNumberId)).toBe(receiver.url);
    expect(sim.context.webhooks.callbackFor(cohortOf(sim, 'meta-ai').phoneNumberId)).toBeUndefined();
    expect(sim.context.requestCounts()).toEqual({ assistant: 1 });
  });

  test('a wrong verify token, a wrong echo or a non-loopback host is a Graph error 100 with details', async () => {
    const { sim, receiver, subject } = await setup('compliant');
    const wrongToken = await overrideWebhook(sim, subject, receiver.url, 'not-the-token');
    expect([wrongToken.status, wrongToken.json.error?.code, wrongToken.json.error?.error_data?.details]).toEqual([
      400,
      100,
      'The callback URL answered the verification request with HTTP 403',
    ]);
    const liar = await startTestReceiver({ verifyToken: TOKEN, challengeOverride: 'something else' });
    open.push(liar);
    expect((await overrideWebhook(sim, subject, liar.url, TOKEN)).json.error?.error_data?.details).toMatch(
      /did not match the challenge/,
    );
    const remote = await overrideWebhook(sim, subject, 'https://hooks.example.com/x', TOKEN);
    expect(remote.json.error?.error_data?.details).toMatch(/only calls loopback hosts/);
    expect(sim.context.webhooks.callbackFor(subject.phoneNumberId)).toBeUndefined();
  });

  test('without a callback, nothing is delivered anywhere', async () => {
    const { sim, subject } = await setup('compliant');
    await sendMessage(sim, subject);
    await sendAsUser(sim, subject);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sim.webhookDeliveries()).toHaveLength(0);
  });
});

describe('status webhooks', () => {
  test('sent, delivered and read arrive in order, signed over the exact raw body, with free service pricing', async () => {
    const { sim, receiver, subject } = await setup('compliant', { appSecret: 'app-secret-for-test' });
    await overrideWebhook(sim, subject, receiver.url, TOKEN);
    const wamid = (await sendMessage(sim, subject)).json.messages?.[0]?.id ?? '';
    const read = await receiver.waitFor(statusOf(wamid, 'read'), 2000);
    const statuses = receiver.posts.filter((p) => value(p).statuses?.[0]?.id === wamid);
    expect(statuses.map((p) => value(p).statuses?.[0]?.status)).toEqual(['sent', 'delivered', 'read']);
    for (const post of statuses) {
      expect(post.signature).toBe(
        `sha256=${createHmac('sha256', 'app-secret-for-test').update(post.rawBody).digest('hex')}`,
      );
      expect(post.contentType).toBe('application/json');
    }
    const status = value(read as ReceivedPost).statuses?.[0];
    expect(status?.pricing).toEqual({
      billable: false,
      pricing_model: 'PMP',
      type: 'free_customer_service',
      category: 'service',
    });
    expect([status?.recipient_id, value(read as ReceivedPost).metadata.phone_number_id]).toEqual([
      SIM_RECIPIENT,
      subject.phoneNumberId,
    ]);
    expect((read?.json as { object: string }).object).toBe('whatsapp_business_account');
  });

  test('ai-provider-fee: the subject statuses are billable regular, the reference ones are free', async () => {
    const { sim, receiver, subject, reference } = await setup('ai-provider-fee');
    await overrideWebhook(sim, subject, receiver.url, TOKEN);
    await overrideWebhook(sim, reference, receiver.url, TOKEN);
    const ids = [
      (await sendMessage(sim, reference)).json.messages?.[0]?.id ?? '',
      (await sendMessage(sim, subject)).json.messages?.[0]?.id ?? '',
    ];
    const sent = await Promise.all(ids.map((id) => receiver.waitFor(statusOf(id, 'sent'), 2000)));
    expect(sent.map((p) => value(p as ReceivedPost).statuses?.[0]?.pricing)).toEqual([
      { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' },
      { billable: true, pricing_model: 'PMP', type: 'regular', category: 'service' },
    ]);
  });

  test('a failing callback is retried with backoff until it accepts', async () => {
    const { sim, receiver, subject } = await setup('compliant', { webhooks: { retryBaseMs: 15 } });
    await overrideWebhook(sim, subject, receiver.url, TOKEN);
    receiver.failNext(2);
    const wamid = (await sendMessage(sim, subject)).json.messages?.[0]?.id ?? '';
    await receiver.waitFor(statusOf(wamid, 'read'), 3000);
    const sentAttempts = sim.webhookDeliveries().filter((d) => d.rawBody.includes('"status":"sent"'));
    expect(sentAttempts.map((d) => [d.attempt, d.httpStatus, d.isDelivered])).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 200, true],
    ]);
    expect(new Set(sentAttempts.map((d) => d.deliveryId)).size).toBe(1);
    const bodies = receiver.posts.filter(statusOf(wamid, 'sent')).map((p) => p.rawBody);
    expect(bodies).toHaveLength(3);
    expect(new Set(bodies).size).toBe(1);
  });
});

describe('user driver and inbound webhooks', () => {
  test('each inbound type arrives with its own webhook type and content', async () => {
    const { sim, receiver, subject } = await setup('compliant');
    await overrideWebhook(sim, subject, receiver.url, TOKEN);
    const sent = (await sendMessage(sim, subject)).json.messages?.[0]?.id ?? '';
    const bodies: Array<Record<string, unknown>> = [
      { type: 'text', text: { body: 'hi' } },
      { type: 'image', image: { caption: 'look' } },
      { type: 'location', location: { latitude: 48.85, longitude: 2.35 } },
      { type: 'reaction', reaction: { message_id: sent, emoji: '👍' } },
      {
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } },
        context: { from: '15550001002', id: sent },
      },
    ];
    for (const body of bodies) {
      const id = await sendAsUser(sim, subject, SIM_RECIPIENT, body);
      const message = value((await receiver.waitFor(messageOf(id), 2000)) as ReceivedPost).messages?.[0];
      expect([message?.type, message?.from]).toEqual([body.type, SIM_RECIPIENT]);
      expect(message?.[String(body.type)]).toMatchObject(body[String(body.type)] as object);
    }
    const image = receiver.posts.map((p) => value(p).messages?.[0]).find((m) => m?.type === 'image');
    expect(image?.image).toMatchObject({
      mime_type: 'image/jpeg',
      caption: 'look',
      id: expect.stringMatching(/^[0-9]+$/),
    });
  });

  test('unknown users, numbers and types are refused', async () => {
    const { sim, subject } = await setup('compliant');
    const post = (waId: string, body: unknown): Promise<number> =>
      fetch(`${sim.urls.userDriver}/_sim/v1/users/${waId}/messages`, {
        method: 'POST',
        body: JSON.stringify(body),
      }).then((r) => r.status);
    expect(await post('15559999999', { to: subject.phoneNumberId, type: 'text', text: { body: 'x' } })).toBe(404);
    expect(await post(SIM_RECIPIENT, { to: '9999', type: 'text', text: { body: 'x' } })).toBe(404);
    expect(await post(SIM_RECIPIENT, { to: subject.phoneNumberId, type: 'hologram', hologram: {} })).toBe(400);
  });

  test('the 24h window: the second user must message first; the default recipient is always open', async () => {
    const { sim, subject, reference } = await setup('compliant');
    const closed = await sendMessage(sim, subject, 'text', { body: 'hello?' }, '15550005678');
    expect([closed.status, closed.json.error?.code]).toEqual([400, 131047]);
    await sendAsUser(sim, subject, '15550005678');
    expect((await sendMessage(sim, subject, 'text', { body: 'hello!' }, '15550005678')).status).toBe(200);
    expect((await sendMessage(sim, reference, 'text', { body: 'hello?' }, '15550005678')).json.error?.code).toBe(
      131047,
    );
    expect((await sendMessage(sim, reference)).status).toBe(200);
  });

  test('a read receipt must name a message this number received', async () => {
    const { sim, subject, reference } = await setup('compliant');
    const inbound = await sendAsUser(sim, reference);
    const foreign = await graphPost(sim, subject, '/messages', {
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: inbound,
    });
    expect([foreign.json.error?.code, foreign.json.error?.error_data?.details]).toEqual([
      100,
      `message_id ${inbound} is not a message this phone number received`,
    ]);
    expect(
      (
        await graphPost(sim, reference, '/messages', {
          messaging_product: 'whatsapp',
          status: 'read',
          message_id: inbound,
        })
      ).json,
    ).toEqual({ success: true });
  });
});

describe('webhook-delay scenario', () => {
  test('inbound and status webhooks reach the subject measurably later than the reference', async () => {
    const { sim, receiver, subject, reference } = await setup('webhook-delay');
    await overrideWebhook(sim, subject, receiver.url, TOKEN);
    await overrideWebhook(sim, reference, receiver.url, TOKEN);
    const inbound = { [reference.id]: [] as number[], [subject.id]: [] as number[] };
    const status = { [reference.id]: [] as number[], [subject.id]: [] as number[] };
    for (let i = 0; i < 6; i += 1) {
      for (const cohort of [reference, subject]) {
        const start = performance.now();
        const id = await sendAsUser(sim, cohort);
        inbound[cohort.id]?.push(((await receiver.waitFor(messageOf(id), 2000)) as ReceivedPost).receivedMs - start);
        const answered = await sendMessage(sim, cohort);
        const sentAt = performance.now();
        const wamid = answered.json.messages?.[0]?.id ?? '';
        status[cohort.id]?.push(
          ((await receiver.waitFor(statusOf(wamid, 'sent'), 2000)) as ReceivedPost).receivedMs - sentAt,
        );
      }
    }
    expect(median(inbound[subject.id] ?? [])).toBeGreaterThan(median(inbound[reference.id] ?? []) + 20);
    expect(median(status[subject.id] ?? [])).toBeGreaterThan(median(status[reference.id] ?? []) + 20);
  });
});
