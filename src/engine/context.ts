/** Builds the per-run CheckContext: adapters bound to cohorts, all sharing one client, budget and recorder. */
import type { AuditConfig, CohortConfig } from '../config/types.js';
import { HarnessError } from '../core/errors.js';
import type { HttpClient } from '../http/client.js';
import type { Recorder } from '../evidence/recorder.js';
import type { CheckProgress } from '../core/progress.js';
import { createSignalKeys } from '../targets/signal-keys.js';
import type { BusinessApi, InteropApi, UserDriver } from '../targets/types.js';
import { createUserDriver } from '../targets/user-driver.js';
import { createWhatsAppCloud } from '../targets/whatsapp/cloud.js';
import type { WebhookHub } from '../webhook/hub.js';
import type { Observation } from '../core/types.js';
import type { CheckContext, Requirement } from './check.js';
import type { Rng } from '../core/rng.js';
import type { Scheduler } from './scheduler.js';

export interface ContextParts {
  config: AuditConfig;
  http: HttpClient;
  recorder: Recorder;
  scheduler: Scheduler;
  rng: Rng;
  signal: AbortSignal;
  isQuick: boolean;
  webhooks: WebhookHub | undefined;
  log(message: string): void;
  /** Progress of the running check, for the caller's display. */
  progress: ProgressSink;
  /** Run-wide state: accepted messages per cohort and values shared between checks. */
  runState: RunState;
  /** Ids of the checks selected for this run. */
  selection: readonly string[];
  /** The observations recorded before this run started (a resumed run's bundle so far). */
  earlier(): AsyncIterable<Observation>;
}

/** Where the engine reports a check starting and how far the running one has got. */
export interface ProgressSink {
  start(check: string, index: number, total: number): void;
  work(update: CheckProgress): void;
}

/** What lives for the whole run rather than one check. */
export interface RunState {
  acceptedMessages: Map<string, number>;
  shared: Map<string, unknown>;
}

/** Empty run-wide state for a new run. */
export function createRunState(): RunState {
  return { acceptedMessages: new Map(), shared: new Map() };
}

/** The reason a requirement is not met by this config, or null when it is. */
export function missingRequirement(
  requirement: Requirement,
  parts: Pick<ContextParts, 'config' | 'webhooks'>,
): string | null {
  const { target, recipient } = parts.config;
  switch (requirement) {
    case 'businessApi':
      return target.businessApi === undefined ? 'the config has no target.businessApi' : null;
    case 'interop':
      return target.interop === undefined ? 'the config has no target.interop' : null;
    case 'userDriver':
      return target.userDriver === undefined
        ? 'no user driver is configured (target.userDriver), so inbound messages cannot be triggered'
        : null;
    case 'recipient':
      return recipient === undefined ? 'the config has no recipient.waId' : null;
    case 'webhook':
      return parts.webhooks === undefined
        ? 'no webhook receiver is configured (webhook.appSecret and webhook.verifyToken)'
        : null;
  }
}

/** Creates the context every check's run() receives. */
export function createCheckContext(parts: ContextParts): CheckContext {
  const { config, http, recorder } = parts;
  const reference = config.cohorts.find((c) => c.role === 'reference') as CohortConfig;
  const business = memo((cohort: CohortConfig): BusinessApi => {
    const api = need(config.target.businessApi, 'target.businessApi');
    return countingAccepted(
      createWhatsAppCloud({
        http,
        api,
        cohort: cohort.id,
        token: cohort.token ?? '',
        phoneNumberId: cohort.phoneNumberId ?? '',
      }),
      parts.runState.acceptedMessages,
    );
  });
  const interop = memo((cohort: CohortConfig): InteropApi =>
    createSignalKeys({
      http,
      interop: need(config.target.interop, 'target.interop'),
      cohort: cohort.id,
      token: cohort.interopToken ?? '',
    }),
  );
  let driver: UserDriver | undefined;
  return {
    config,
    reference,
    subjects: config.cohorts.filter((c) => c.role === 'subject'),
    cohorts: config.cohorts,
    business: (id) => business(cohortById(config, id)),
    interop: (id) => interop(cohortById(config, id)),
    userDriver: () =>
      (driver ??= createUserDriver({ http, driver: need(config.target.userDriver, 'target.userDriver') })),
    webhooks: () => need(parts.webhooks, 'webhook'),
    http,
    scheduler: parts.scheduler,
    rng: parts.rng,
    record: (observation) => void recorder.record(observation),
    signal: parts.signal,
    isQuick: parts.isQuick,
    log: parts.log,
    progress: (update) => parts.progress.work(update),
    messagesAccepted: (id) => parts.runState.acceptedMessages.get(id) ?? 0,
    isSelected: (checkId) => parts.selection.includes(checkId),
    earlier: parts.earlier,
    shared<T>(key: string, create: () => T): T {
      if (!parts.runState.shared.has(key)) parts.runState.shared.set(key, create());
      return parts.runState.shared.get(key) as T;
    },
  };
}

/** Counts every send the platform accepted (a complete 2xx body with a message id: outcome ok), whichever check made it. */
function countingAccepted(api: BusinessApi, counts: Map<string, number>): BusinessApi {
  return {
    ...api,
    sendMessage: async (to, message, call) => {
      const exchange = await api.sendMessage(to, message, call);
      const id = (exchange.json as { messages?: Array<{ id?: unknown }> } | undefined)?.messages?.[0]?.id;
      if (exchange.outcome === 'ok' && typeof id === 'string')
        counts.set(api.cohort, (counts.get(api.cohort) ?? 0) + 1);
      return exchange;
    },
  };
}

function cohortById(config: AuditConfig, id: string): CohortConfig {
  const cohort = config.cohorts.find((c) => c.id === id);
  if (cohort === undefined) throw new HarnessError('E_COHORT', `no cohort "${id}" in the config`);
  return cohort;
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new HarnessError('E_REQUIREMENT', `${what} is not configured`);
  return value;
}

function memo<T>(create: (cohort: CohortConfig) => T): (cohort: CohortConfig) => T {
  const cache = new Map<string, T>();
  return (cohort) => {
    let value = cache.get(cohort.id);
    if (value === undefined) cache.set(cohort.id, (value = create(cohort)));
    return value;
  };
}
