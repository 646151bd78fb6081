/**
 * Checks a schema-valid scenario for what JSON Schema cannot say: ranges that run backwards, capabilities
 * that do not exist, the same type disabled twice, and fault rates that add up to more than every request.
 * Each problem names its JSON path, like the schema's own.
 */
import type { Distribution, PartialTreatment, ScenarioFile } from './types.js';
import { MESSAGE_TYPES } from '../targets/whatsapp/message-types.js';

/** Capabilities a role can be denied besides message types. */
export const CAPABILITIES = ['mark_read', 'typing_indicator', 'context'] as const;

/** Every problem with the scenario's meaning, as `path: message` lines (empty when it makes sense). */
export function meaningProblems(file: ScenarioFile): string[] {
  const problems: string[] = [];
  treatmentProblems('base', file.base, problems);
  for (const [role, treatment] of Object.entries(file.roles ?? {}))
    treatmentProblems(`roles.${role}`, treatment, problems);
  const faults = file.faults ?? {};
  const total = (faults.errorRate ?? 0) + (faults.resetRate ?? 0) + (faults.stallRate ?? 0);
  if (total > 1) problems.push(`faults: errorRate + resetRate + stallRate must not exceed 1 (is ${total})`);
  if ((faults.stallRate ?? 0) > 0 && (faults.stallMs ?? 0) === 0)
    problems.push('faults.stallMs: must be above 0 when stallRate is set');
  return problems;
}

function treatmentProblems(path: string, treatment: PartialTreatment, problems: string[]): void {
  const distributions: Array<[string, Distribution | undefined]> = [
    [`${path}.latency.default`, treatment.latency?.default],
    ...Object.entries(treatment.latency?.byType ?? {}).map(([type, d]): [string, Distribution] => [
      `${path}.latency.byType.${type}`,
      d,
    ]),
    [`${path}.webhookDelay`, treatment.webhookDelay],
    [`${path}.statusDelay`, treatment.statusDelay],
  ];
  for (const [where, distribution] of distributions) {
    if (distribution?.dist === 'uniform' && distribution.minMs > distribution.maxMs)
      problems.push(`${where}: minMs must not exceed maxMs`);
  }
  for (const type of Object.keys(treatment.latency?.byType ?? {})) {
    if (!isKnown(type))
      problems.push(
        `${path}.latency.byType.${type}: unknown message type or capability (known: ${known().join(', ')})`,
      );
  }
  const seen = new Set<string>();
  for (const [i, disabled] of (treatment.disabledTypes ?? []).entries()) {
    if (!isKnown(disabled.type))
      problems.push(
        `${path}.disabledTypes[${i}].type: unknown message type or capability "${disabled.type}" (known: ${known().join(', ')})`,
      );
    if (seen.has(disabled.type))
      problems.push(`${path}.disabledTypes[${i}].type: "${disabled.type}" is disabled twice`);
    seen.add(disabled.type);
  }
}

function known(): string[] {
  return [...MESSAGE_TYPES, ...CAPABILITIES];
}

function isKnown(type: string): boolean {
  return known().includes(type);
}
