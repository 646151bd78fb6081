/**
 * How many messages each cohort has had accepted so far in this run by the fee, rate-limit, feature
 * and policy checks. Platforms count free tiers over the account's lifetime, so PAR-FEE-002 states how
 * many messages came before its own probe. Keyed by the run's HTTP client, so runs never mix.
 */
import type { CheckContext } from '../../src/engine/check.js';
import type { HttpExchange } from '../../src/http/types.js';

const ledgers = new WeakMap<object, Map<string, number>>();

function ledgerOf(ctx: Pick<CheckContext, 'http'>): Map<string, number> {
  let ledger = ledgers.get(ctx.http);
  if (ledger === undefined) ledgers.set(ctx.http, (ledger = new Map()));
  return ledger;
}

/** Counts one send of `cohort` when the platform accepted it (2xx). */
export function noteSend(ctx: Pick<CheckContext, 'http'>, cohort: string, exchange: Pick<HttpExchange, 'status'>): void {
  if (exchange.status < 200 || exchange.status >= 300) return;
  const ledger = ledgerOf(ctx);
  ledger.set(cohort, (ledger.get(cohort) ?? 0) + 1);
}

/** Messages of `cohort` accepted so far in this run by these checks. */
export function acceptedSoFar(ctx: Pick<CheckContext, 'http'>, cohort: string): number {
  return ledgerOf(ctx).get(cohort) ?? 0;
}
