import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_RECIPIENT } from './cohorts.js';
import { startSim, type RunningSim } from './server.js';

let sim: RunningSim;
beforeAll(async () => {
  sim = await startSim({ scenario: 'compliant', seed: 1 });
});
afterAll(() => sim.close());

async function react(messageId: string | undefined, to = '1002'): Promise<Response> {
  return fetch(`${sim.urls.userDriver}/_sim/v1/users/${SIM_RECIPIENT}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      to,
      type: 'reaction',
      reaction: { emoji: '👍', ...(messageId === undefined ? {} : { message_id: messageId }) },
    }),
  });
}

describe('user driver reactions', () => {
  it('accepts a reaction to a message the business sent the user, and refuses any other', async () => {
    const assistant = sim.cohorts.find((c) => c.id === 'assistant');
    const sent = await fetch(`${sim.urls.businessApi}/${sim.apiVersion}/1002/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${assistant?.token ?? ''}` },
      body: JSON.stringify({ messaging_product: 'whatsapp', to: SIM_RECIPIENT, type: 'text', text: { body: 'hello' } }),
    });
    const wamid = ((await sent.json()) as { messages: Array<{ id: string }> }).messages[0]?.id;
    expect((await react(wamid)).status).toBe(200);
    expect((await react(undefined)).status).toBe(400);
    expect((await react('wamid.unknown')).status).toBe(400);
    const otherBusiness = await react(wamid, '1001');
    expect(otherBusiness.status).toBe(400);
    expect(((await otherBusiness.json()) as { error: { message: string } }).error.message).toContain(
      'reaction.message_id',
    );
  });
});
