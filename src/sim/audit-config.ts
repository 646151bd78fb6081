/** The audit config for a running sim: what `run` uses with no --config, and what `sim --config-out` writes. */
import type { RunningSim } from './server.js';

/**
 * A ready-to-use config (JSON-serialisable) that audits `sim` with every cohort; the sim's tokens are literal.
 * `isStandalone` (for `sim --config-out`) names the scenario in the target, since such a run cannot record it otherwise.
 */
export function simAuditConfig(sim: RunningSim, options: { isStandalone?: boolean } = {}): Record<string, unknown> {
  const cohortOrder = [...sim.cohorts].sort((a, b) => (a.role === 'reference' ? -1 : b.role === 'reference' ? 1 : 0));
  return {
    $schema: 'https://dma-audit.dev/schemas/config.schema.json',
    target: {
      name:
        options.isStandalone === true
          ? `dma-audit reference platform (scenario ${sim.scenario.name})`
          : 'dma-audit reference platform',
      businessApi: {
        kind: 'whatsapp-cloud',
        baseUrl: sim.urls.businessApi,
        apiVersion: sim.apiVersion,
        feeHeaders: feeHeaders(sim),
      },
      interop: { kind: 'signal-keys', baseUrl: sim.urls.interop, recipient: sim.recipient },
      userDriver: { kind: 'sim-api', baseUrl: sim.urls.userDriver },
    },
    cohorts: cohortOrder.map((cohort) => ({
      id: cohort.id,
      label: cohort.label,
      role: cohort.role === 'reference' ? 'reference' : 'subject',
      token: cohort.token,
      phoneNumberId: cohort.phoneNumberId,
      interopToken: cohort.interopToken,
    })),
    recipient: { waId: sim.recipient },
    webhook: { listen: '127.0.0.1:0', publicUrl: null, appSecret: sim.appSecret, verifyToken: 'dma-audit-verify' },
    limits: { maxRps: 200, maxRequests: 20000 },
  };
}

/** Every fee header name any role of the scenario uses, plus the default one. */
function feeHeaders(sim: RunningSim): string[] {
  const names = Object.values(sim.scenario.treatments).flatMap((t) => (t.fees === null ? [] : [t.fees.header]));
  return [...new Set(['x-fee-amount', ...names])].sort();
}
