/** Loads scenario files (fixtures/scenarios/*.json), validates them, and resolves each role's treatment. */
import { readdirSync, readFileSync } from 'node:fs';
import { ScenarioError } from '../core/errors.js';
import { packagePath } from '../core/paths.js';
import { validateAgainst } from '../core/schemas.js';
import { meaningProblems } from './scenario-meaning.js';
import type { Faults, PartialTreatment, Scenario, ScenarioFile, SimRole, Treatment } from './types.js';

export type { PartialTreatment, ScenarioFile } from './types.js';

const DEFAULT_TREATMENT: Treatment = {
  latency: { default: { dist: 'lognormal', medianMs: 6, sigma: 0.25 }, byType: {} },
  fees: null,
  rateLimit: null,
  disabledTypes: [],
  policyBlock: null,
  webhookDelay: { dist: 'lognormal', medianMs: 3, sigma: 0.25 },
  statusDelay: { dist: 'lognormal', medianMs: 5, sigma: 0.25 },
  e2ee: {
    kyberPreKey: true,
    badSignature: false,
    substituteIdentityKey: false,
    oneTimePreKeys: 100,
    tamperRelay: false,
  },
};

const DEFAULT_FAULTS: Faults = { errorRate: 0, resetRate: 0, stallRate: 0, stallMs: 0 };

/** Names of the scenarios shipped in fixtures/scenarios. */
export function scenarioNames(): string[] {
  return readdirSync(packagePath('fixtures', 'scenarios'))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

/** Loads a shipped scenario by name; throws ScenarioError for an unknown name or an invalid file. */
export function loadScenario(name: string): Scenario {
  if (!scenarioNames().includes(name)) {
    throw new ScenarioError(`unknown scenario "${name}" (known: ${scenarioNames().join(', ')})`);
  }
  const text = readFileSync(packagePath('fixtures', 'scenarios', `${name}.json`), 'utf8');
  const scenario = parseScenario(JSON.parse(text) as unknown, `${name}.json`);
  if (scenario.name !== name)
    throw new ScenarioError(`invalid scenario ${name}.json (1 problem)`, [`name: must equal the file name "${name}"`]);
  return scenario;
}

/** Validates a scenario object against schemas/scenario.schema.json and resolves every role. */
export function parseScenario(raw: unknown, source = 'scenario'): Scenario {
  const data = structuredClone(raw);
  // Defaults are applied by merge(), not ajv: ajv would fill a role's partial override with base values.
  const schemaProblems = validateAgainst('scenario.schema.json', data);
  const problems = schemaProblems.length > 0 ? schemaProblems : meaningProblems(data as ScenarioFile);
  if (problems.length > 0)
    throw new ScenarioError(
      `invalid scenario ${source} (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'})`,
      problems,
    );
  const file = data as ScenarioFile;
  const base = merge(DEFAULT_TREATMENT, file.base);
  const roles: SimRole[] = ['reference', 'subject', 'control'];
  return {
    name: file.name,
    description: file.description,
    expectFail: file.expectFail,
    treatments: Object.fromEntries(roles.map((role) => [role, merge(base, file.roles?.[role] ?? {})])) as Record<
      SimRole,
      Treatment
    >,
    faults: { ...DEFAULT_FAULTS, ...(file.faults ?? {}) },
  };
}

/** Field-by-field override; latency and e2ee merge one level deeper. */
function merge(base: Treatment, override: PartialTreatment): Treatment {
  const { fees, rateLimit, policyBlock } = override;
  return {
    ...base,
    ...override,
    ...(fees ? { fees: { freeQuota: 0, header: 'x-fee-amount', billable: true, ...fees } } : {}),
    ...(rateLimit ? { rateLimit: { advertise: true, ...rateLimit } } : {}),
    ...(policyBlock ? { policyBlock: { afterMessages: 0, ...policyBlock } } : {}),
    latency: {
      default: override.latency?.default ?? base.latency.default,
      byType: { ...base.latency.byType, ...(override.latency?.byType ?? {}) },
    },
    e2ee: { ...base.e2ee, ...(override.e2ee ?? {}) },
  } as Treatment;
}
