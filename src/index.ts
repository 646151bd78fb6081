/** dma-audit as a library: everything the CLI does is one call here. */
import { CATALOGUE } from '../suites/index.js';
import type { Reference, Suite } from './core/types.js';

export { mergeAudit, planAudit, recomputeRun, runAudit, verifyBundle } from './app/audit.js';
export type { MergeAuditOptions } from './app/audit.js';
export type { MergeResult } from './campaign/merge.js';
export { trendAudit } from './campaign/trend-audit.js';
export type { TrendResult } from './campaign/trend-audit.js';
export type { Trend, TrendSeries } from './campaign/trend.js';
export type { RunOptions, RunResult } from './app/audit.js';
export { runChecks, summarise } from './engine/run.js';
export type { EngineOptions } from './engine/run.js';
export { defineCheck } from './engine/check.js';
export type { AnalysisContext, CheckContext, CheckDefinition, Requirement } from './engine/check.js';
export { recomputeFindings } from './engine/analyse.js';
export type { AnalysisContext as PersistedAnalysisContext, AnalysisSettings } from './core/analysis.js';
export { loadConfig, loadConfigFile } from './config/load.js';
export type { AuditConfig, LoadedConfig } from './config/types.js';
export { configTemplate, INIT_TARGETS, TEMPLATE_ENV, writeConfigTemplate } from './config/template.js';
export type { InitOptions, InitTarget } from './config/template.js';
export { startSim } from './sim/server.js';
export type { RunningSim, SimOptions } from './sim/server.js';
export { simAuditConfig } from './sim/audit-config.js';
export { loadScenario, parseScenario, scenarioNames } from './sim/scenario.js';
export type { VerifyReport } from './evidence/verify.js';
export { compareBundles, formatComparison } from './evidence/compare.js';
export type { Comparison } from './evidence/compare.js';
export { loadSigningKey } from './evidence/keys.js';
export type { SigningKey } from './evidence/keys.js';
export { attestBundle, checkAttestation } from './evidence/sign.js';
export {
  githubAnnotations,
  readBundleView,
  renderBundle,
  renderHtml,
  renderJson,
  renderJunit,
  renderMarkdown,
  renderReports,
  writeGithubSummary,
  writeReports,
  REPORT_FORMATS,
} from './report/index.js';
export type { BundleView, ReportFormat } from './report/index.js';
export { renderConsole } from './report/console.js';
export { isStdoutReporterName, printWithReporters, STDOUT_REPORTER_NAMES, STDOUT_REPORTERS } from './report/stdout.js';
export type {
  ReporterFailure,
  StdoutInput,
  StdoutOptions,
  StdoutReporter,
  StdoutReporterName,
} from './report/stdout.js';
export * from './core/errors.js';
export type * from './core/types.js';
export type { CheckProgress, ProgressUnit, RunProgress } from './core/progress.js';

/** One catalogue entry as `dma-audit checks` lists it. */
export interface CheckInfo {
  id: string;
  title: string;
  suite: Suite;
  description: string;
  references: Reference[];
  requires: string[];
}

/** The check catalogue without the code: what each check establishes and on which legal basis. */
export function listChecks(): CheckInfo[] {
  return CATALOGUE.map(({ id, title, suite, description, references, requires }) => ({
    id,
    title,
    suite,
    description,
    references,
    requires,
  }));
}
