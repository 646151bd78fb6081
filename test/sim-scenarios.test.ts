/** Each shipped scenario's planted behaviour, measured from outside over HTTP like the harness would. */
import { afterEach, describe, expect, test } from 'vitest';
import { parseKeyBundle, verifyBundleSignatures } from '../src/e2ee/index.js';
import { SIM_RECIPIENT } from '../src/sim/cohorts.js';
import { startSim, type RunningSim } from '../src/sim/server.js';
import { cohortOf, graphPost, median, sendAsUser, sendMessage } from '../src/sim/http.test-helpers.js';
import { roundTrip } from '../src/sim/interop/round-trip.test-helpers.js';
import type { SimCohort, SimRoute } from '../src/sim/types.js';

let running: RunningSim | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function sim(
  scenario: string,
): Promise<{ sim: RunningSim; reference: SimCohort; subject: SimCohort; control: SimCohort }> {
  running = await startSim({ scenario, seed: 11 });
  return {
    sim: running,
    reference: cohortOf(running, 'meta-ai'),
    subject: cohortOf(running, 'assistant'),
    control: cohortOf(running, 'control'),
  };
}

/** Interleaved sends (order alternating), `pairs` per cohort, `gapMs` apart; returns each cohort's latencies. */
async function latencies(s: RunningSim, cohorts: SimCohort[], pairs: number, gapMs: number): Promise<number[][]> {
  const samples = cohorts.map((): number[] => []);
  for (let i = 0; i < pairs; i += 1) {
    const order = i % 2 === 0 ? cohorts.map((_, k) => k) : cohorts.map((_, k) => cohorts.length - 1 - k);
    for (const k of order) samples[k]?.push((await sendMessage(s, cohorts[k] as SimCohort)).ms);
    if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  return samples;
}

describe('business API scenarios', () => {
  test('compliant: every cohort is answered alike (no fee, the same advertised limit)', async () => {
    const { sim: s, reference, subject, control } = await sim('compliant');
    const answers = await Promise.all([reference, subject, control].map((c) => sendMessage(s, c)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.map((a) => a.headers.get('x-fee-amount'))).toEqual([null, null, null]);
    expect(new Set(answers.map((a) => a.headers.get('ratelimit-policy'))).size).toBe(1);
    expect(answers[0]?.headers.get('ratelimit-policy')).toContain('q=60');
  });

  test('slow-lane: the subject is slower at the median, the control is not', async () => {
    const { sim: s, reference, subject, control } = await sim('slow-lane');
    // Differences, not ratios: load on the test machine adds to every cohort alike (planted: +1.5 ms).
    const [ref, sub, ctl] = (await latencies(s, [reference, subject, control], 50, 0)).map((ms) => median(ms));
    expect((sub ?? 0) - (ref ?? 0)).toBeGreaterThan(0.5);
    expect((ctl ?? 0) - (ref ?? 0)).toBeLessThan((sub ?? 0) - (ref ?? 0));
  });

  test('self-preferencing: surcharge header, slower lane and a tighter advertised limit for the subject only', async () => {
    const { sim: s, reference, subject } = await sim('self-preferencing');
    // Paced below the subject's 15/s bucket; planted: +1.8 ms at the median.
    const [ref, sub] = (await latencies(s, [reference, subject], 24, 60)).map((ms) => median(ms));
    expect((sub ?? 0) - (ref ?? 0)).toBeGreaterThan(0.5);
    const [r, a] = [await sendMessage(s, reference), await sendMessage(s, subject)];
    expect([
      r.headers.get('x-fee-amount'),
      a.headers.get('x-fee-amount'),
      a.headers.get('x-fee-amount-currency'),
    ]).toEqual([null, '0.0572', 'EUR']);
    expect([r.headers.get('x-ratelimit-limit'), a.headers.get('x-ratelimit-limit')]).toEqual(['60', '15']);
  });

  test('ai-provider-fee: every subject message carries the fee, templates and the reference do not', async () => {
    const { sim: s, reference, subject } = await sim('ai-provider-fee');
    expect((await sendMessage(s, subject)).headers.get('x-fee-amount')).toBe('0.0572');
    expect((await sendMessage(s, subject)).headers.get('x-fee-amount')).toBe('0.0572');
    expect((await sendMessage(s, reference)).headers.get('x-fee-amount')).toBeNull();
    expect(
      (await sendMessage(s, subject, 'template', { name: 'hello_world', language: { code: 'en_US' } })).headers.get(
        'x-fee-amount',
      ),
    ).toBeNull();
  });

  test('capped-free-tier: the first 40 subject messages are free, the 41st is charged', async () => {
    const { sim: s, subject, reference } = await sim('capped-free-tier');
    const fees: Array<string | null> = [];
    for (let i = 0; i < 42; i += 1) fees.push((await sendMessage(s, subject)).headers.get('x-fee-amount'));
    expect(fees.slice(0, 40).every((fee) => fee === null)).toBe(true);
    expect(fees.slice(40)).toEqual(['0.0572', '0.0572']);
    for (let i = 0; i < 42; i += 1) expect((await sendMessage(s, reference)).headers.get('x-fee-amount')).toBeNull();
  });

  test('throttled: a burst of 20 exceeds the subject bucket (130429 with Retry-After) but not the reference one', async () => {
    const { sim: s, reference, subject } = await sim('throttled');
    const burst = (c: SimCohort): Promise<Array<Awaited<ReturnType<typeof sendMessage>>>> =>
      Promise.all(Array.from({ length: 20 }, () => sendMessage(s, c)));
    const [ref, sub] = [await burst(reference), await burst(subject)];
    const throttled = sub.filter((a) => a.status === 429);
    expect(ref.filter((a) => a.status === 429)).toHaveLength(0);
    expect(throttled.length).toBeGreaterThanOrEqual(4);
    expect(throttled.every((a) => a.json.error?.code === 130429 && Number(a.headers.get('retry-after')) >= 1)).toBe(
      true,
    );
    expect(sub[0]?.headers.get('ratelimit-policy')).toBe('"burst";q=15;w=1, "sustained";q=15;w=1');
  });

  test('feature-gated: interactive, reactions and typing indicators are refused to the subject with 131051', async () => {
    const { sim: s, reference, subject } = await sim('feature-gated');
    const buttons = {
      type: 'button',
      body: { text: 'Pick' },
      action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'A' } }] },
    };
    expect((await sendMessage(s, reference, 'interactive', buttons)).status).toBe(200);
    expect((await sendMessage(s, subject, 'interactive', buttons)).json.error?.code).toBe(131051);
    const sent = (await sendMessage(s, reference)).json.messages?.[0]?.id;
    expect((await sendMessage(s, subject, 'reaction', { message_id: sent, emoji: '👍' })).json.error?.code).toBe(
      131051,
    );
    expect((await sendMessage(s, subject)).status).toBe(200);
    const inbound = await sendAsUser(s, subject);
    const read = { messaging_product: 'whatsapp', status: 'read', message_id: inbound };
    expect(
      (await graphPost(s, subject, '/messages', { ...read, typing_indicator: { type: 'text' } })).json.error?.code,
    ).toBe(131051);
    expect((await graphPost(s, subject, '/messages', read)).json).toEqual({ success: true });
    const refInbound = await sendAsUser(s, reference);
    expect(
      (
        await graphPost(s, reference, '/messages', {
          ...read,
          message_id: refInbound,
          typing_indicator: { type: 'text' },
        })
      ).json,
    ).toEqual({ success: true });
  });

  test('oct-2025-ban: every subject message is refused with policy error 368; others are served', async () => {
    const { sim: s, reference, subject, control } = await sim('oct-2025-ban');
    const refused = await sendMessage(s, subject);
    expect([refused.status, refused.json.error?.code]).toEqual([400, 368]);
    expect(
      (await sendMessage(s, subject, 'template', { name: 'hello_world', language: { code: 'en_US' } })).json.error
        ?.code,
    ).toBe(368);
    expect([(await sendMessage(s, reference)).status, (await sendMessage(s, control)).status]).toEqual([200, 200]);
  });

  test('flaky-but-fair: both cohorts meet 500s or resets, at similar rates', async () => {
    const { sim: s, reference, subject } = await sim('flaky-but-fair');
    const failures = { [reference.id]: 0, [subject.id]: 0 };
    for (let i = 0; i < 100; i += 1) {
      for (const c of i % 2 === 0 ? [reference, subject] : [subject, reference]) {
        const ok = await sendMessage(s, c).then(
          (a) => a.status === 200,
          () => false,
        );
        if (!ok) failures[c.id] = (failures[c.id] ?? 0) + 1;
      }
    }
    expect(failures[reference.id]).toBeGreaterThan(0);
    expect(failures[subject.id]).toBeGreaterThan(0);
    expect(Math.abs((failures[reference.id] ?? 0) - (failures[subject.id] ?? 0))).toBeLessThanOrEqual(8);
  });
});

describe('E2EE scenarios (interop key fetches)', () => {
  async function bundles(
    scenario: string,
  ): Promise<Array<Record<string, unknown> & { identityKey: string; devices: Array<Record<string, unknown>> }>> {
    const { sim: s, reference, subject } = await sim(scenario);
    return Promise.all(
      [reference, subject].map(async (c) => {
        const response = await fetch(`${s.urls.interop}/v2/keys/${SIM_RECIPIENT}/1`, {
          headers: { authorization: `Bearer ${c.interopToken}` },
        });
        expect(response.status).toBe(200);
        return (await response.json()) as Record<string, unknown> & {
          identityKey: string;
          devices: Array<Record<string, unknown>>;
        };
      }),
    );
  }

  test('e2ee-downgrade: the subject is offered no Kyber prekey', async () => {
    const [ref, sub] = await bundles('e2ee-downgrade');
    expect(ref?.devices[0]?.pqPreKey).toBeTruthy();
    expect(sub?.devices[0]?.pqPreKey ?? null).toBeNull();
  });

  test('key-substitution: the subject gets a different identity key', async () => {
    const [ref, sub] = await bundles('key-substitution');
    expect(sub?.identityKey).not.toBe(ref?.identityKey);
  });

  test('prekey-exhaustion: the subject gets no one-time prekey', async () => {
    const [ref, sub] = await bundles('prekey-exhaustion');
    expect(ref?.devices[0]?.preKey).toBeTruthy();
    expect(sub?.devices[0]?.preKey ?? null).toBeNull();
  });

  test('bad-signature: the subject signed prekey does not verify, the reference one does', async () => {
    const verdicts = (await bundles('bad-signature')).map((bundle) => {
      const parsed = parseKeyBundle(bundle);
      if (!parsed.ok) throw new Error(parsed.problems.join('; '));
      return verifyBundleSignatures(parsed.bundle).signedPreKey;
    });
    expect(verdicts).toEqual([true, false]);
  });
});

describe('tampering-relay (a Signal session over HTTP)', () => {
  /** A route that forwards to the running sim's interop API over HTTP, so the interop round trip runs on the wire. */
  function overHttp(base: string): SimRoute {
    return async (req) => {
      const response = await fetch(`${base}${req.path}`, {
        method: req.method,
        headers: { ...(req.headers as Record<string, string>), 'content-type': 'application/json' },
        ...(req.rawBody.length > 0 ? { body: req.rawBody } : {}),
      });
      const text = await response.text();
      return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
    };
  }

  test('the subject echo arrives altered and fails to decrypt; the reference one is intact', async () => {
    const { sim: s, reference, subject } = await sim('tampering-relay');
    const route = overHttp(s.urls.interop);
    const sub = await roundTrip(route, subject);
    expect(sub.session).toMatchObject({ ok: true });
    expect(sub.decrypted).toMatchObject({ ok: false });
    expect((await roundTrip(route, reference)).echo).toMatchObject({ ok: true });
  });
});
