/** The accounts the reference platform hosts: the gatekeeper's assistant, a third-party assistant, and an ordinary business. */
import { randomBytes } from 'node:crypto';
import type { SimCohort, SimRole } from './types.js';

/** The default recipient: a test user every cohort may message. */
export const SIM_RECIPIENT = '15550001234';
/** Users registered on the platform (anything else is undeliverable, 131026). */
export const SIM_USERS = [SIM_RECIPIENT, '15550005678'];

const ACCOUNTS: Array<{ id: string; label: string; role: SimRole; phoneNumberId: string }> = [
  { id: 'meta-ai', label: "Gatekeeper's own assistant (reference)", role: 'reference', phoneNumberId: '1001' },
  { id: 'assistant', label: 'Third-party AI assistant', role: 'subject', phoneNumberId: '1002' },
  { id: 'control', label: 'Ordinary business (A/A control)', role: 'control', phoneNumberId: '1003' },
];

/** Creates the cohorts with fresh random tokens (or the given ones, for tests that plant canaries). */
export function createSimCohorts(
  tokens: Partial<Record<string, { token?: string; interopToken?: string }>> = {},
): SimCohort[] {
  return ACCOUNTS.map((account) => ({
    ...account,
    token: tokens[account.id]?.token ?? `sim_${account.id}_${randomBytes(12).toString('hex')}`,
    interopToken: tokens[account.id]?.interopToken ?? `simk_${account.id}_${randomBytes(12).toString('hex')}`,
  }));
}

/** The cohort a bearer token belongs to (business or interop token, as asked). */
export function cohortByToken(
  cohorts: readonly SimCohort[],
  authorization: string | undefined,
  kind: 'token' | 'interopToken',
): SimCohort | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (match === null) return undefined;
  return cohorts.find((cohort) => cohort[kind] === match[1]);
}
