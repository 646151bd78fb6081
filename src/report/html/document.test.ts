import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fixtureView, HOSTILE } from '../fixtures.test-helpers.js';
import { renderHtml } from './document.js';

describe('renderHtml', () => {
  it('renders', async () => {
    const html = await renderHtml(fixtureView());
    await writeFile('test-results/report-unit.html', html);
    expect(html).not.toContain(HOSTILE);
  });
});
