import { describe, expect, it } from 'vitest';
import { fixtureView } from './fixtures.test-helpers.js';
import { printWithReporters, STDOUT_REPORTER_NAMES, type StdoutInput, type StdoutReporter } from './stdout.js';

describe('printWithReporters', () => {
  const view = fixtureView();
  const input: StdoutInput = { results: view.results, bundleDir: '/tmp/bundle', view };

  it('prints every chosen reporter in order, from the bundle view', async () => {
    const written: string[] = [];
    const failures = await printWithReporters(['json', 'console'], input, {}, (text) => written.push(text));
    expect(failures).toEqual([]);
    expect(JSON.parse(written[0] ?? '')).toEqual(view.results);
    expect(written[1]).toContain('/tmp/bundle');
  });

  it('isolates a reporter that throws: the others still print, and the failure is named', async () => {
    const registry: Record<'broken' | 'ok', () => StdoutReporter> = {
      broken: () => async () => {
        throw new Error('disk full');
      },
      ok: () => async () => 'ok\n',
    };
    const written: string[] = [];
    const failures = await printWithReporters(['broken', 'ok'], input, {}, (text) => written.push(text), registry);
    expect(written).toEqual(['ok\n']);
    expect(failures).toEqual([{ name: 'broken', message: 'disk full' }]);
  });

  it('knows the reporters the CLI documents', () => {
    expect(STDOUT_REPORTER_NAMES).toEqual(['console', 'json', 'md', 'junit', 'github']);
  });
});
