/**
 * The pages people see in a real browser: Debian's chromium, driven by
 * playwright-core over real servers on loopback, launched once for both.
 *
 * - An API URL opened in the browser shows the HTML error page, not a raw XML document.
 * - The catalog page, JavaScript off. CATALOG_SCREENSHOT=docs/catalog-page.png
 *   writes the screenshot of docs/catalog-and-openapi.md.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import express from 'express';
import type { BrowserContext, Page } from 'playwright-core';
import { createRegistry, enhancedErrorHandler, passRegistry } from '../../src';
import { passCodes, passMessagesFr } from '../../src/core/catalogs';
import { catalogRouter } from '../../src/docs';
import { type Browser, launchChromium } from '../support/browser';

jest.setTimeout(60_000);

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe('the HTML error page', () => {
  let server: Server;
  let base: string;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    const app = express();
    app.get('/channels/:channel', (req) => {
      throw passRegistry.create('authorization_denied_by_mvpd', { details: `No "${req.params.channel}" in your package <b>.` });
    });
    app.get('/busy', () => {
      throw passRegistry.create('too_many_requests', { retryAfter: 30 });
    });
    app.use(enhancedErrorHandler({ log: false }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    context = await browser.newContext();
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    server?.close();
  });

  it('shows a readable error page, not XML, for a navigation to an erroring route', async () => {
    const response = await page.goto(`${base}/channels/live`);
    expect(response?.status()).toBe(403);
    expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8');
    // What Chromium sent is what its users send: text/html first, application/xml;q=0.9 above */*;q=0.8.
    expect(await response?.request().headerValue('accept')).toMatch(/^text\/html,.*application\/xml;q=0\.9,.*\*\/\*;q=0\.8/);
    expect(await page.title()).toBe('403 authorization_denied_by_mvpd');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(passRegistry.get('authorization_denied_by_mvpd').message);
    // The details are text, their markup shown as written.
    expect(await page.locator('[data-field="details"]').textContent()).toBe('No "live" in your package <b>.');
    expect(await page.locator('b').count()).toBe(0);
    expect(await page.locator('[data-field="code"]').textContent()).toBe('authorization_denied_by_mvpd');
    expect(await page.getByRole('link').getAttribute('href')).toMatch(/^https:\/\/experienceleague\.adobe\.com\//);
    const visible = await page.locator('body').innerText();
    expect(visible).not.toContain('<?xml');
    expect(visible).not.toContain('This XML file does not appear to have any style information');
  });

  it('keeps the status and Retry-After of the error', async () => {
    const response = await page.goto(`${base}/busy`);
    expect(response?.status()).toBe(429);
    expect(response?.headers()['retry-after']).toBe('30');
    expect(await page.locator('[data-field="action"]').textContent()).toBe('retry-after');
  });

  it('applies the page style its own policy allows, and nothing else', async () => {
    const messages: string[] = [];
    page.on('console', (message) => messages.push(message.text()));
    await page.goto(`${base}/channels/news`);
    // Run in the page; a string, since the tests are type-checked without the DOM's types.
    expect(await page.evaluate('getComputedStyle(document.querySelector("main")).maxWidth')).toBe('640px');
    expect(messages.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);
  });
});

describe('the catalog page', () => {
  const localized = createRegistry(passCodes, { name: 'passRegistry', messages: { fr: passMessagesFr } });
  const hostileMessage = `<script>document.title = "owned"</script> & 'quoted' </td></tr>`;
  const hostile = createRegistry({ odd_text: { status: 400, action: 'none', message: hostileMessage } });

  let server: Server;
  let base: string;
  let context: BrowserContext;
  let page: Page;
  let screenshots: string;

  beforeAll(async () => {
    const app = express();
    app.use('/errors', catalogRouter(localized, { intro: 'Every error this service answers with, and what a client should do about it.' }));
    app.use('/odd', catalogRouter(hostile));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    screenshots = await mkdtemp(join(tmpdir(), 'catalog-screenshots-'));
    context = await browser.newContext({ javaScriptEnabled: false });
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    server?.close();
    if (screenshots) await rm(screenshots, { recursive: true, force: true });
  });

  // Run in the page; strings, since the tests are type-checked without the DOM's types.
  const backgroundOf = (selector: string) => `getComputedStyle(document.querySelector(${JSON.stringify(selector)})).backgroundColor`;
  const PAGE_WIDTHS = '[document.documentElement.scrollWidth, document.documentElement.clientWidth]';

  /** The id of the row that `:target` selects, if any. */
  async function targetedRow(): Promise<string | null> {
    const target = page.locator('tr:target');
    return (await target.count()) === 1 ? target.getAttribute('id') : null;
  }

  async function isInViewport(code: string): Promise<boolean> {
    const box = await page.locator(`[id="${code}"]`).boundingBox();
    const viewport = page.viewportSize();
    return box !== null && viewport !== null && box.y >= 0 && box.y + Math.min(box.height, 40) <= viewport.height;
  }

  it('shows every code as a row header with a stable anchor', async () => {
    const response = await page.goto(`${base}/errors`);
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe('Error codes');
    const table = page.getByRole('table', { name: /Error codes/ });
    expect(await table.getByRole('row').count()).toBe(localized.size + 1);
    for (const code of localized.codes) {
      const row = page.locator(`[id="${code}"]`);
      expect(await row.count()).toBe(1);
      expect(await row.getByRole('rowheader').getByRole('link', { name: code, exact: true }).getAttribute('href')).toBe(`#${code}`);
    }
  });

  it('resolves each anchor: a link scrolls its row into view and highlights it with CSS alone', async () => {
    await page.goto(`${base}/errors`);
    const plainBackground = await page.evaluate(backgroundOf('[id="user_rate_limit_exceeded"]'));
    for (const code of ['user_rate_limit_exceeded', 'bad_request', 'authentication_session_expired']) {
      await page.getByRole('link', { name: code, exact: true }).click();
      await page.waitForURL(`${base}/errors#${code}`);
      expect(await targetedRow()).toBe(code);
      expect(await isInViewport(code)).toBe(true);
    }
    await page.getByRole('link', { name: 'user_rate_limit_exceeded', exact: true }).click();
    const targetBackground = await page.evaluate(backgroundOf('tr:target'));
    // The inline style ran despite the Content-Security-Policy: its hash matches.
    expect(targetBackground).not.toBe(plainBackground);
  });

  it('opens a helpUrl with a fragment at its row, in the asked language', async () => {
    await page.goto(`${base}/errors?lang=fr#too_many_requests`);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await targetedRow()).toBe('too_many_requests');
    expect(await isInViewport('too_many_requests')).toBe(true);
    expect(await page.locator('[id="too_many_requests"]').getByRole('cell').last().innerText()).toContain(passMessagesFr.too_many_requests);
    const fallback = page.locator('[id="invalid_domain"] p[lang="en"]');
    expect(await fallback.innerText()).toBe(passCodes.invalid_domain.message);
  });

  it('switches language through plain links', async () => {
    await page.goto(`${base}/errors`);
    const languages = page.getByRole('navigation', { name: 'Languages' });
    expect(await languages.getByRole('link').allInnerTexts()).toEqual(['en', 'fr']);
    await languages.getByRole('link', { name: 'fr' }).click();
    await page.waitForURL(`${base}/errors?lang=fr`);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.locator('[aria-current="page"]').innerText()).toBe('fr');
  });

  it('shows hostile registry text as text', async () => {
    await page.goto(`${base}/odd`);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.title()).toBe('Error codes');
    expect(await page.locator('[id="odd_text"] td p').first().innerText()).toBe(hostileMessage.trim());
  });

  it('fits a narrow screen without sideways scrolling', async () => {
    const narrow = await context.newPage();
    try {
      await narrow.setViewportSize({ width: 360, height: 740 });
      await narrow.goto(`${base}/errors#access_token_expired`);
      const [scrollWidth, clientWidth] = (await narrow.evaluate(PAGE_WIDTHS)) as [number, number];
      expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
      expect(await narrow.locator('tr:target').getAttribute('id')).toBe('access_token_expired');
    } finally {
      await narrow.close();
    }
  });

  it('produces a screenshot', async () => {
    await page.goto(`${base}/errors?lang=fr`);
    const path = process.env.CATALOG_SCREENSHOT ? resolve(process.env.CATALOG_SCREENSHOT) : join(screenshots, 'catalog-page.png');
    await page.screenshot({ path });
    const png = await readFile(path);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    // IHDR: width and height of the image are the viewport's.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1280, 900]);
  });
});
