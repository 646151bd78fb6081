import { describe, expect, test } from 'vitest';
import { createRng } from '../core/rng.js';
import { createSimCohorts, SIM_RECIPIENT } from './cohorts.js';
import { SimContext, WINDOW_MS } from './context.js';
import { loadScenario } from './scenario.js';

describe('customer-service window', () => {
  test('opens when the user writes, closes 24 hours later; the default recipient is always open', () => {
    let now = 1000;
    const ctx = new SimContext(loadScenario('compliant'), createSimCohorts(), createRng(1), 'secret', () => now);
    expect(ctx.isWindowOpen('1002', '15550005678')).toBe(false);
    ctx.openWindow('1002', '15550005678');
    expect(ctx.isWindowOpen('1002', '15550005678')).toBe(true);
    expect(ctx.isWindowOpen('1001', '15550005678')).toBe(false);
    now += WINDOW_MS - 1;
    expect(ctx.isWindowOpen('1002', '15550005678')).toBe(true);
    now += 1;
    expect(ctx.isWindowOpen('1002', '15550005678')).toBe(false);
    expect(ctx.isWindowOpen('1002', SIM_RECIPIENT)).toBe(true);
    ctx.webhooks.close();
  });

  test('one conversation id per number, user and category', () => {
    const ctx = new SimContext(loadScenario('compliant'), createSimCohorts(), createRng(1), 'secret');
    const service = ctx.conversationId('1002', SIM_RECIPIENT, 'service');
    expect(ctx.conversationId('1002', SIM_RECIPIENT, 'service')).toBe(service);
    expect(ctx.conversationId('1002', SIM_RECIPIENT, 'marketing')).not.toBe(service);
    expect(ctx.conversationId('1001', SIM_RECIPIENT, 'service')).not.toBe(service);
    ctx.webhooks.close();
  });
});
