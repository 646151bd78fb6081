import { describe, expect, it } from 'vitest';
import { createClientIdentity } from './keys.js';
import { fingerprint, formatSafetyNumber, safetyNumber } from './safety-number.js';

describe('safety numbers', () => {
  it('gives both sides the same 60 digits, and different digits for another identity', () => {
    const [a, b, c] = [createClientIdentity(), createClientIdentity(), createClientIdentity()];
    const ab = safetyNumber(a.identityKey, 'alice', b.identityKey, '15550001234');
    const ba = safetyNumber(b.identityKey, '15550001234', a.identityKey, 'alice');
    const ac = safetyNumber(a.identityKey, 'alice', c.identityKey, '15550001234');
    if (!ab.ok || !ba.ok || !ac.ok) throw new Error('safety number failed');
    expect(ab.safetyNumber).toMatch(/^\d{60}$/);
    expect(ba.safetyNumber).toBe(ab.safetyNumber);
    expect(ac.safetyNumber).not.toBe(ab.safetyNumber);
    expect(formatSafetyNumber(ab.safetyNumber).split(' ')).toHaveLength(12);
  });

  it('returns a reason for a malformed remote identity', () => {
    const a = createClientIdentity();
    expect(safetyNumber(a.identityKey, 'alice', new Uint8Array(32), 'bob')).toMatchObject({ ok: false });
  });

  it('fingerprints identity keys with SHA-256 hex', () => {
    expect(fingerprint(new Uint8Array([0x05]))).toBe(
      'e77b9a9ae9e30b0dbdb6f510a264ef9de781501d7b6b92ae89eb059c5ab743db',
    );
  });
});
