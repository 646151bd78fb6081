// Opens rendered report.html files in headless Chromium: the fixture report must render, show its
// charts and load nothing; the default run's report must show every violation on the first
// 1280×800 screen and pass axe-core with no serious or critical violation.
//
// No Chromium: outside CI the browser tests are skipped with a loud line (apt-get install chromium,
// or set CHROMIUM_PATH); under CI=true a missing browser fails the run.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureView, HOSTILE } from '../src/report/fixtures.test-helpers.js';
import { renderHtml, renderJunit } from '../src/report/index.js';
import { citation, plainSentence } from '../src/report/plain.js';
import type { Results } from '../src/core/types.js';
import { defaultRunBundle } from './default-run.test-helpers.js';

const CANDIDATES = [
  process.env['CHROMIUM_PATH'],
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];
const CHROMIUM = CANDIDATES.find((path): path is string => path !== undefined && path !== '' && existsSync(path));
const IS_CI = process.env['CI'] === 'true';
const OUT = resolve('test-results', 'report-browser');
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

if (CHROMIUM === undefined && !IS_CI) {
  console.warn(
    '\n*** SKIPPED test/report-browser.test.ts: no Chromium found (looked at $CHROMIUM_PATH, /usr/bin/chromium, ' +
      '/usr/bin/chromium-browser, /usr/bin/google-chrome).\n*** The HTML report was not checked in a browser ' +
      '(first screen, axe-core accessibility, no network). Enable: apt-get install chromium, or CHROMIUM_PATH=/path/to/chrome.\n',
  );
}

/** The slice of the browser's DOMParser this test uses. */
type XmlParser = new () => {
  parseFromString(text: string, type: string): { getElementsByTagName(name: string): { length: number } };
};

/** What axe-core's run() resolves to, as far as this test reads it. */
interface AxeResult {
  violations: Array<{ id: string; impact: string | null; nodes: unknown[] }>;
  passes: unknown[];
}

let browser: Browser;

beforeAll(async () => {
  if (CHROMIUM === undefined) {
    if (IS_CI)
      throw new Error('CI=true but no Chromium found: install it (apt-get install chromium) or set CHROMIUM_PATH');
    return;
  }
  await mkdir(OUT, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});

afterAll(async () => {
  await browser?.close();
});

/** Opens a file with every request but the page itself refused (and recorded). */
async function open(file: string, viewport: { width: number; height: number }, bypassCSP = false) {
  const context = await browser.newContext({ viewport, bypassCSP });
  const page = await context.newPage();
  const url = pathToFileURL(file).href;
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  const dialogs: string[] = [];
  page.on('request', (request) => {
    requests.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
  await page.goto(url, { waitUntil: 'load' });
  return { page, url, requests, consoleErrors, dialogs };
}

describe.skipIf(CHROMIUM === undefined && !IS_CI)('report.html in Chromium', () => {
  describe('the fixture report', () => {
    let opened: Awaited<ReturnType<typeof open>>;
    let page: Page;
    beforeAll(async () => {
      const file = join(OUT, 'report.html');
      await writeFile(file, await renderHtml(fixtureView()));
      opened = await open(file, { width: 1200, height: 900 });
      page = opened.page;
    });

    it('renders its title, header and one findings-table row per finding', async () => {
      expect(await page.title()).toBe('dma-audit report — Reference platform — 2026-07-01T10-00-00Z-abc123');
      expect(await page.locator('h1').textContent()).toBe('dma-audit report');
      expect(await page.locator('#findings table.findings tbody tr').count()).toBe(8);
      expect(await page.locator('#details article.finding').count()).toBe(8);
    });

    it('shows hostile strings as text and runs nothing', async () => {
      const summary = page.locator('#finding-0 .summary-line');
      expect(await summary.textContent()).toContain(HOSTILE);
      expect(await page.locator('script').count()).toBe(0);
      expect(opened.dialogs).toEqual([]);
    });

    it('draws the charts as SVG with marks of real size', async () => {
      const svgs = page.locator('figure.chart svg');
      expect(await svgs.count()).toBe(5);
      const lines = page.locator('figure.ecdf svg .role-mark path');
      expect(await lines.count()).toBeGreaterThanOrEqual(4);
      const box = await page.locator('figure.ecdf svg').first().boundingBox();
      expect(box?.width).toBeGreaterThan(300);
      expect(box?.height).toBeGreaterThan(150);
      expect(await page.locator('figure.shift svg .role-mark path').count()).toBeGreaterThanOrEqual(2);
    });

    it('collapses passing findings and keeps the others open', async () => {
      expect(await page.locator('#details article.v-border-pass > details:not([open])').count()).toBe(1);
      expect(await page.locator('#details article.v-border-fail > details[open]').count()).toBe(3);
    });

    it('links evidence to the exchanges appendix', async () => {
      await page.locator('#finding-0 a[href="#har-e1"]').click();
      expect(new URL(page.url()).hash).toBe('#har-e1');
      expect(await page.locator('#har-e1 td').nth(4).textContent()).toBe('200');
    });

    it('sends no request other than loading the file itself', () => {
      expect(opened.requests).toEqual([opened.url]);
      expect(opened.consoleErrors).toEqual([]);
    });

    it('saves a full-page screenshot for people to look at', async () => {
      const shot = await page.screenshot({ path: join(OUT, 'report.png'), fullPage: true });
      expect(shot.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(shot.length).toBeGreaterThan(50_000);
    });

    it('parses junit.xml as well-formed XML', async () => {
      const xmlPage = await browser.newPage();
      try {
        const errors = await xmlPage.evaluate((xml) => {
          // Runs in the page; the project's TS lib has no DOM types, so the parser is typed by hand.
          const { DOMParser: Parser } = globalThis as unknown as { DOMParser: XmlParser };
          const doc = new Parser().parseFromString(xml, 'application/xml');
          return {
            parserErrors: doc.getElementsByTagName('parsererror').length,
            testcases: doc.getElementsByTagName('testcase').length,
          };
        }, renderJunit(fixtureView()));
        expect(errors).toEqual({ parserErrors: 0, testcases: 8 });
      } finally {
        await xmlPage.close();
      }
    });
  });

  describe("the default run's report at 1280×800", () => {
    let opened: Awaited<ReturnType<typeof open>>;
    let page: Page;
    let results: Results;
    beforeAll(async () => {
      const dir = await defaultRunBundle();
      results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;
      // CSP bypassed only so axe-core can be injected; requests are still refused and recorded.
      opened = await open(join(dir, 'report.html'), { width: 1280, height: 800 }, true);
      page = opened.page;
    }, 360_000);

    it('shows the verdict, every failed check id with its plain line, and the grid without scrolling', async () => {
      const failed = results.findings.filter((f) => f.verdict === 'fail');
      expect(failed.length).toBeGreaterThanOrEqual(3);
      const within = async (selector: string): Promise<boolean> => {
        const box = await page.locator(selector).first().boundingBox();
        return box !== null && box.y >= 0 && box.y + box.height <= 800 && box.x + box.width <= 1280;
      };
      expect(await within('.overall')).toBe(true);
      const items = page.locator('#violations li');
      expect(await items.count()).toBe(failed.length);
      for (const [i, finding] of failed.entries()) {
        const item = items.nth(i);
        const text = (await item.textContent()) ?? '';
        expect(text).toContain(citation(finding));
        expect(text).toContain(plainSentence(finding, results.run.cohorts));
        const box = await item.boundingBox();
        expect(box !== null && box.y + box.height <= 800).toBe(true);
      }
      expect(await within('#grid table.grid')).toBe(true);
      await page.screenshot({ path: join(OUT, 'default-first-screen.png') });
    });

    it('has no serious or critical axe-core violation', async () => {
      const require = createRequire(import.meta.url);
      await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
      const result = await page.evaluate(async () => {
        const { axe } = globalThis as unknown as { axe: { run(): Promise<AxeResult> } };
        const found = await axe.run();
        return {
          violations: found.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })),
          passes: found.passes.length,
        };
      });
      const blocking = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(blocking).toEqual([]);
      expect(result.passes).toBeGreaterThan(10);
    });

    it('makes no network request', () => {
      expect(opened.requests).toEqual([opened.url]);
      expect(opened.consoleErrors).toEqual([]);
    });
  });
});
