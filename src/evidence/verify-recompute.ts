/**
 * The recompute step of `verify`: re-run every check's analysis on the bundle's raw samples and
 * require the same findings as were recorded (docs/architecture.md, "Record once, render many, verify by recomputing").
 */
import { isDeepStrictEqual } from 'node:util';
import type { Finding, JsonValue, Observation, Results } from '../core/types.js';
import { TOOL } from '../core/version.js';
import type { RecomputeFindings, VerifyCheck } from './verify-types.js';

/** How a finding is matched between the recorded and the recomputed list. */
export function findingKey(finding: Pick<Finding, 'checkId' | 'cohort' | 'variant' | 'vantage'>): string {
  const key = [finding.checkId, finding.cohort ?? '-', finding.variant ?? '-'].join(' ');
  return finding.vantage === undefined ? key : `${key} @${finding.vantage}`;
}

/** Re-runs the analysis and names every finding whose verdict, summary or measurements differ. */
export function checkRecompute(
  results: Results,
  observations: Observation[],
  recompute: RecomputeFindings,
): VerifyCheck {
  let recomputed: Finding[];
  try {
    // Through JSON, as the recorded findings were: -0, NaN and undefined must not count as differences.
    recomputed = JSON.parse(JSON.stringify(recompute(results, observations))) as Finding[];
  } catch (error: unknown) {
    return {
      name: 'recompute',
      ok: false,
      details: [
        `the analysis failed on the recorded samples: ${error instanceof Error ? error.message : String(error)}`,
      ],
    };
  }
  const details = compareFindings(results.findings, recomputed);
  const ok = details.length === 0;
  const recordedBy = results.tool.version;
  if (!ok && recordedBy !== TOOL.version)
    details.unshift(
      `recorded by dma-audit ${recordedBy}; this is ${TOOL.version}, whose analysis may differ: ` +
        `verify with the version that wrote it (npx dma-audit@${recordedBy} verify DIR)`,
    );
  return {
    name: 'recompute',
    ok,
    details: ok ? [`${recomputed.length} findings recomputed from ${observations.length} samples, all equal`] : details,
  };
}

/** One line per difference between recorded and recomputed findings, each naming the finding. */
export function compareFindings(recorded: Finding[], recomputed: Finding[]): string[] {
  const before = groupByKey(recorded);
  const after = groupByKey(recomputed);
  const details: string[] = [];
  for (const [key, findings] of before) {
    const others = after.get(key) ?? [];
    if (others.length === 0) details.push(`${key}: recorded but not recomputed`);
    else if (others.length !== findings.length)
      details.push(`${key}: recorded ${findings.length} times, recomputed ${others.length} times`);
    findings.forEach((finding, index) => {
      const other = others[index];
      if (other !== undefined) details.push(...differences(key, finding, other));
    });
  }
  for (const key of after.keys()) if (!before.has(key)) details.push(`${key}: recomputed but not recorded`);
  return details;
}

function groupByKey(findings: Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = findingKey(finding);
    groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  return groups;
}

function differences(key: string, recorded: Finding, recomputed: Finding): string[] {
  const details: string[] = [];
  if (recorded.verdict !== recomputed.verdict)
    details.push(`${key}: verdict recorded ${recorded.verdict}, recomputed ${recomputed.verdict}`);
  if (recorded.summary !== recomputed.summary)
    details.push(
      `${key}: summary recorded ${JSON.stringify(recorded.summary)}, recomputed ${JSON.stringify(recomputed.summary)}`,
    );
  for (const path of differingPaths(recorded.measurements, recomputed.measurements, 'measurements')) {
    details.push(`${key}: ${path} recorded ${show(at(recorded, path))}, recomputed ${show(at(recomputed, path))}`);
  }
  return details;
}

/** Dotted paths of the leaves where two JSON values differ (a whole subtree when shapes differ). */
export function differingPaths(a: JsonValue | undefined, b: JsonValue | undefined, path: string): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  const isBranch = (value: JsonValue | undefined): value is { [key: string]: JsonValue } =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isBranch(a) || !isBranch(b)) return [path];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.flatMap((key) => differingPaths(a[key], b[key], `${path}.${key}`));
}

function at(finding: Finding, path: string): JsonValue | undefined {
  let value: JsonValue | undefined = finding as unknown as JsonValue;
  for (const part of path.split('.')) {
    value = typeof value === 'object' && value !== null && !Array.isArray(value) ? value[part] : undefined;
  }
  return value;
}

function show(value: JsonValue | undefined): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}
