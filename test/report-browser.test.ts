// Opens a rendered report.html in headless Chromium: it must render, show its charts, and load nothing.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureView, HOSTILE } from '../src/report/fixtures.test-helpers.js';
import { renderHtml, renderJunit } from '../src/report/index.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
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

/** The slice of the browser's DOMParser this test uses. */
type XmlParser = new () => {
  parseFromString(text: string, type: string): { getElementsByTagName(name: string): { length: number } };
};

let browser: Browser;
let page: Page;
let pageUrl: string;
const requests: string[] = [];
const consoleErrors: string[] = [];
const dialogs: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH`);
  await mkdir(OUT, { recursive: true });
  const file = join(OUT, 'report.html');
  await writeFile(file, await renderHtml(fixtureView()));
  pageUrl = pathToFileURL(file).href;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
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
  // Anything other than the page itself is refused, and still recorded by the listener above.
  await page.route('**/*', (route) => (route.request().url() === pageUrl ? route.continue() : route.abort()));
  await page.goto(pageUrl, { waitUntil: 'load' });
});

afterAll(async () => {
  await browser?.close();
});

describe('report.html in Chromium', () => {
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
    expect(dialogs).toEqual([]);
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

  it('links evidence to the exchanges appendix', async () => {
    await page.locator('#finding-0 a[href="#har-e1"]').click();
    expect(new URL(page.url()).hash).toBe('#har-e1');
    expect(await page.locator('#har-e1 td').nth(4).textContent()).toBe('200');
  });

  it('sends no request other than loading the file itself', () => {
    expect(requests).toEqual([pageUrl]);
    expect(consoleErrors).toEqual([]);
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
