import { describe, expect, it } from 'vitest';
import { validateMessage } from '../../src/sim/validate-message.js';
import { LATENCY_TYPES, probeMessage } from './probe-messages.js';

describe('probeMessage', () => {
  it.each([...LATENCY_TYPES])('builds a %s body the reference platform accepts as valid', (type) => {
    const message = probeMessage(type, 'dma-audit latency probe 3', 'wamid.HBgLMTU1NTAwMDEyMzQVAgARGBI');
    expect(message.type).toBe(type);
    expect(
      validateMessage({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '15550001234', ...message }),
    ).toBeNull();
  });

  it('points a reaction at the message it is given', () => {
    expect(probeMessage('reaction', 'dma-audit latency probe 0', 'wamid.abc')).toEqual({
      type: 'reaction',
      reaction: { message_id: 'wamid.abc', emoji: '\u{1F44D}' },
    });
  });
});
