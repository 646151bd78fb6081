/**
 * The layering rules of docs/architecture.md ("Layers"), checked by `npm test`. Imports run downwards:
 * cli → index/app → suites → engine → report, sim → targets, webhook, e2ee → http → evidence, config → core, stats.
 * Test files and test helpers may cross layers (an integration test runs a whole audit), so the rules
 * below apply to source files only; "no cycles" applies to everything.
 */
const SOURCE = '^(src|suites|bench)/';
const TESTS = '\\.test\\.ts$|\\.test-helpers\\.ts$|\\.bench-run\\.ts$';

/** A rule that files under `from` may not import anything matching `to`. */
function forbid(name, comment, from, to) {
  return { name, comment, severity: 'error', from: { path: from, pathNot: TESTS }, to: { path: to } };
}

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'no import cycles', severity: 'error', from: {}, to: { circular: true } },
    forbid(
      'core-is-the-ground-floor',
      'src/core imports nothing of the project above it',
      '^src/core/',
      '^(src/(?!core/)|suites/)',
    ),
    forbid('stats-is-pure', 'src/stats imports nothing of the project', '^src/stats/', '^(src/(?!stats/)|suites/)'),
    forbid(
      'evidence-config-above-core',
      'the evidence record and the config know only the ground floor',
      '^src/(evidence|config)/',
      '^(src/(?!core/|stats/|evidence/|config/)|suites/)',
    ),
    forbid(
      'http-below-adapters',
      'transport writes into the evidence record and knows no API',
      '^src/http/',
      '^(src/(?!core/|stats/|evidence/|config/|http/)|suites/)',
    ),
    forbid(
      'adapters-below-engine',
      'targets, webhook and e2ee do not reach the engine, the checks, reports, the sim or the app',
      '^src/(targets|webhook|e2ee)/',
      '^(src/(engine|report|sim|app|cli|campaign)/|src/index\\.ts$|suites/)',
    ),
    forbid(
      'report-renders-bundles',
      'reporters render bundles; they do not run audits',
      '^src/report/',
      '^(src/(engine|sim|app|cli|campaign)/|src/index\\.ts$|suites/)',
    ),
    forbid(
      'sim-is-the-platform',
      'the reference platform knows nothing of the auditor',
      '^src/sim/',
      '^(src/(engine|report|app|cli|campaign|evidence)/|src/index\\.ts$|suites/)',
    ),
    forbid(
      'engine-knows-no-check',
      'the engine is given its checks and platform; it imports neither',
      '^src/engine/',
      '^(src/(sim|report|app|cli|campaign)/|src/index\\.ts$|suites/)',
    ),
    forbid(
      'suites-below-app',
      'checks use the engine and adapters, never the app, CLI, reports or sim',
      '^suites/',
      '^(src/(sim|report|app|cli|campaign)/|src/index\\.ts$)',
    ),
    forbid('app-below-cli', 'only the CLI sits above the library', '^(src/(?!cli/)|suites/|bench/)', '^src/cli/'),
    {
      name: 'libsignal-only-in-e2ee-and-sim',
      comment: 'the native Signal Protocol module is loaded only where the protocol is spoken',
      severity: 'error',
      from: { path: SOURCE, pathNot: `^src/(e2ee|sim)/|${TESTS}` },
      to: { path: '@signalapp/libsignal-client' },
    },
    {
      name: 'chalk-commander-only-in-cli',
      comment: 'colour and argument parsing are the CLI’s; everything else is a library',
      severity: 'error',
      from: { path: SOURCE, pathNot: `^src/cli/|${TESTS}` },
      to: { path: '(^|/)node_modules/(chalk|commander)/' },
    },
    {
      name: 'stdlib-only-in-stats',
      comment: 'statistics live in src/stats',
      severity: 'error',
      from: { path: SOURCE, pathNot: `^src/stats/|${TESTS}` },
      to: { path: '(^|/)node_modules/@stdlib/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
    exclude: { path: '^(dist|reports)/' },
  },
};
