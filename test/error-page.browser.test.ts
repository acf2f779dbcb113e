/**
 * An API URL opened in a real browser: Debian's chromium driven by
 * playwright-core navigates to an erroring route and shows the HTML error
 * page, not a raw XML document.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Page } from 'playwright-core';
import { enhancedErrorHandler, passRegistry } from '../src';
import { type Browser, launchChromium } from './support/browser';

jest.setTimeout(60_000);

let server: Server;
let base: string;
let browser: Browser;
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
  browser = await launchChromium();
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
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
