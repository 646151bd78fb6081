import { describe, expect, test } from 'vitest';
import { ScenarioError } from '../core/errors.js';
import { loadScenario, parseScenario, scenarioNames } from './scenario.js';

const DESIGN_SCENARIOS = [
  'compliant',
  'self-preferencing',
  'oct-2025-ban',
  'ai-provider-fee',
  'capped-free-tier',
  'throttled',
  'slow-lane',
  'feature-gated',
  'webhook-delay',
  'e2ee-downgrade',
  'key-substitution',
  'flaky-but-fair',
];

function problemsOf(raw: unknown): string[] {
  try {
    parseScenario(raw, 'test.json');
  } catch (error: unknown) {
    if (error instanceof ScenarioError) return error.problems;
    throw error;
  }
  return [];
}

describe('scenario files', () => {
  test('every scenario the design names ships, and every shipped one loads', () => {
    expect(scenarioNames()).toEqual(expect.arrayContaining(DESIGN_SCENARIOS));
    for (const name of scenarioNames()) expect(loadScenario(name).name).toBe(name);
  });

  test('a role override replaces only what it names', () => {
    const scenario = loadScenario('self-preferencing');
    expect(scenario.treatments.subject.rateLimit).toEqual({ ratePerSec: 15, burst: 15, advertise: true });
    expect(scenario.treatments.reference.rateLimit).toEqual({ ratePerSec: 60, burst: 60, advertise: true });
    expect(scenario.treatments.subject.fees).toEqual({
      perMessage: 0.0572,
      currency: 'EUR',
      header: 'x-fee-amount',
      billable: true,
      freeQuota: 0,
    });
    expect(scenario.treatments.control.fees).toBeNull();
    expect(scenario.treatments.subject.webhookDelay).toEqual(scenario.treatments.reference.webhookDelay);
  });

  test('a file with schema errors is rejected with every problem by path', () => {
    const problems = problemsOf({
      name: 'Bad Name',
      description: 'x',
      expectFail: ['NOPE-1'],
      base: { fees: { perMessage: -1, currency: 'euro' }, surprise: true },
      roles: { subject: { rateLimit: { ratePerSec: 0, burst: 1 } } },
    });
    expect(problems.some((p) => p.startsWith('name:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('expectFail[0]:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('base.fees.perMessage:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('base.fees.currency:'))).toBe(true);
    expect(problems).toContain('base: unknown key "surprise"');
    expect(problems.some((p) => p.startsWith('roles.subject.rateLimit'))).toBe(true);
  });

  test('a schema-valid file that makes no sense is rejected with every problem by path', () => {
    const problems = problemsOf({
      name: 'nonsense',
      description: 'x',
      expectFail: [],
      base: {
        latency: { default: { dist: 'uniform', minMs: 9, maxMs: 3 }, byType: { txet: { dist: 'constant', ms: 1 } } },
      },
      roles: {
        subject: {
          disabledTypes: [
            { type: 'interactive', code: 131051 },
            { type: 'interactive', code: 131051 },
            { type: 'hologram', code: 1 },
          ],
        },
      },
      faults: { errorRate: 0.6, resetRate: 0.6, stallRate: 0.1 },
    });
    expect(problems).toEqual([
      'base.latency.default: minMs must not exceed maxMs',
      expect.stringMatching(/^base\.latency\.byType\.txet: unknown message type or capability/),
      'roles.subject.disabledTypes[1].type: "interactive" is disabled twice',
      expect.stringMatching(/^roles\.subject\.disabledTypes\[2\]\.type: unknown message type or capability "hologram"/),
      'faults: errorRate + resetRate + stallRate must not exceed 1 (is 1.3)',
      'faults.stallMs: must be above 0 when stallRate is set',
    ]);
  });

  test('an unknown scenario name lists the known ones', () => {
    expect(() => loadScenario('no-such-scenario')).toThrow(/known: .*compliant/);
  });
});
