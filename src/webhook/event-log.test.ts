import { describe, expect, it } from 'vitest';
import { EventLog } from './event-log.js';
import type { WebhookEvent } from './hub.js';

function status(messageId: string, value: string, receivedNs = 0): Omit<WebhookEvent, 'seq'> {
  return {
    receivedNs,
    cohort: 'a',
    phoneNumberId: '1',
    isSignatureValid: true,
    kind: 'status',
    status: value,
    messageId,
    value: {},
    exchangeId: `in-${messageId}-${value}`,
  };
}

describe('EventLog', () => {
  it('numbers events, finds past ones by message without a scan, and wakes a waiter on the right message only', async () => {
    const log = new EventLog();
    log.push(status('m1', 'sent'));
    log.push(status('m2', 'sent'));
    expect(log.received()).toBe(2);
    expect(log.about('m2').map((e) => [e.seq, e.status])).toEqual([[1, 'sent']]);
    expect((await log.waitFor((e) => e.status === 'sent', 10, 'm2'))?.seq).toBe(1);
    const delivered = log.waitFor((e) => e.status === 'delivered', 1000, 'm1');
    log.push(status('m2', 'delivered'));
    log.push(status('m1', 'delivered'));
    expect((await delivered)?.exchangeId).toBe('in-m1-delivered');
    expect(await log.waitFor((e) => e.status === 'read', 5, 'm1')).toBeUndefined();
  });

  it('keeps at least the most recent `retained` events, and the index only for kept ones', () => {
    const log = new EventLog(100);
    for (let i = 0; i < 1000; i += 1) log.push(status(`m${i % 250}`, String(i)));
    expect(log.received()).toBe(1000);
    const kept = log.all();
    expect(kept.length).toBeGreaterThanOrEqual(100);
    expect(kept.length).toBeLessThan(200);
    expect(kept.at(-1)?.seq).toBe(999);
    expect(kept.every((e, i) => i === 0 || e.seq === (kept[i - 1]?.seq ?? -2) + 1)).toBe(true);
    const oldest = kept[0]?.seq ?? 0;
    for (let m = 0; m < 250; m += 1)
      for (const event of log.about(`m${m}`)) expect(event.seq).toBeGreaterThanOrEqual(oldest);
    expect(log.about('m249').map((e) => e.seq)).toEqual([999]);
  });
});
