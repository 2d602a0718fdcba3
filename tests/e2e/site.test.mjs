// The website in a real browser (Chromium through playwright-core): the events list, a leaderboard that
// updates live over its WebSocket without a reload and tells screen readers what changed, the medal table,
// and an API problem shown as a message. Skipped only when /usr/bin/chromium is not installed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { useStack, ingest, read, eventually, downhillDefinition, downhillResults } from './harness.mjs';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const EVENT = 'ALPMDOWNHILL';
const WAIT = { timeout: 15_000 };

const stack = HAVE_CHROMIUM ? useStack() : null;
let browser;
let page;
const problems = [];

before(async () => {
  if (!HAVE_CHROMIUM) return;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  // Script errors and CSP refusals (a blocked socket or fetch) fail the last test.
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/status of 404/.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
});

after(async () => {
  await browser?.close();
});

/// Skips the test when there is no browser; returns true when it did.
function skipped(t) {
  if (HAVE_CHROMIUM) return false;
  t.skip('chromium not installed');
  return true;
}

async function post(message) {
  const res = await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/results`, message);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  // Let the event object's broadcast interval (50 ms) pass, so the next change goes out at once.
  await new Promise((r) => setTimeout(r, 300));
  return res.body;
}

/// How many leaderboard rows show a finishing time, as the browser renders them.
const timedRows = () => page.evaluate(() => [...document.querySelectorAll('#lb tbody tr')]
  .filter((tr) => /^\d:\d\d\.\d\d$/.test(tr.querySelector('.c-mark')?.textContent ?? '')).length);

test('the events list shows a defined event', async (t) => {
  if (skipped(t)) return;
  assert.equal((await ingest(stack, 'PUT', `/v1/ingest/events/${EVENT}`, downhillDefinition(EVENT))).status, 201);
  await post(downhillResults({ version: 1, finished: 2 }));
  const listed = await eventually(async () => {
    const res = await read(stack, '/v1/events');
    return res.body.events?.some((e) => e.code === EVENT && e.progress === 'live');
  });
  assert.ok(listed, 'the standings list the event as live');

  await page.goto(`${stack.readUrl}/#/`);
  const link = page.getByRole('link', { name: /Men's Downhill/ });
  await link.waitFor(WAIT);
  assert.match(await link.textContent(), /Live/i, 'the event carries its progress badge');
});

test('its leaderboard updates live without a reload and announces the change politely', async (t) => {
  if (skipped(t)) return;
  await page.getByRole('link', { name: /Men's Downhill/ }).click();
  await page.waitForURL(/#\/event\/ALPMDOWNHILL$/, WAIT);
  await page.waitForFunction(() => document.querySelectorAll('#lb tbody tr').length === 10, null, WAIT);
  assert.equal(await timedRows(), 2);
  await page.waitForFunction(() => document.querySelector('#conn')?.textContent === 'Live', null, WAIT);
  const region = page.locator('#live');
  assert.equal(await region.getAttribute('aria-live'), 'polite');
  assert.equal(await page.locator('#lb').getAttribute('aria-live'), null, 'the table itself is not a live region');
  await page.evaluate(() => { window.notReloaded = true; });

  const receipt = await post(downhillResults({ version: 2, finished: 5 }));
  await page.waitForFunction(() => [...document.querySelectorAll('#lb tbody tr')]
    .filter((tr) => /^\d:\d\d\.\d\d$/.test(tr.querySelector('.c-mark')?.textContent ?? '')).length === 5, null, WAIT);
  await page.waitForFunction((v) => document.querySelector('#live').textContent.includes(`Version ${v}:`), receipt.event_version, WAIT);
  assert.match(await region.textContent(), /^Version \d+: \d+ rows? changed\./);
  assert.equal(await page.evaluate(() => window.notReloaded), true, 'the page was not reloaded');

  // A new leader is named.
  const faster = downhillResults({ version: 3, finished: 5 });
  faster.entries[2].mark = { kind: 'time', time_ms: 101_000 };
  await post(faster);
  await page.waitForFunction(() => /Aleksander Aamodt Kilde now leads in 1:41\.00/.test(document.querySelector('#live').textContent), null, WAIT);
  const first = page.locator('#lb tbody tr').first();
  assert.match(await first.textContent(), /Aleksander Aamodt Kilde/);
  assert.equal(await page.evaluate(() => window.notReloaded), true);
});

test('the table sorts by a column header and says so with aria-sort', async (t) => {
  if (skipped(t)) return;
  const header = page.locator('#lb thead th.c-name');
  await header.getByRole('button').click();
  assert.equal(await header.getAttribute('aria-sort'), 'ascending');
  const names = await page.locator('#lb tbody th.c-name').evaluateAll((cells) => cells.map((c) => c.firstChild.textContent));
  assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
  await header.getByRole('button').click();
  assert.equal(await header.getAttribute('aria-sort'), 'descending');
});

test('the medal table shows the medals of an OFFICIAL result, live', async (t) => {
  if (skipped(t)) return;
  await page.goto(`${stack.readUrl}/#/medals`);
  await page.waitForFunction(() => document.querySelector('#conn')?.textContent === 'Live', null, WAIT);
  await post(downhillResults({ version: 4, finished: 10, status: 'OFFICIAL' }));
  const api = await eventually(async () => {
    const res = await read(stack, '/v1/medals');
    return res.body.totals?.total === 3 ? res.body : null;
  });
  assert.ok(api, 'three medals awarded');
  await page.waitForFunction(() => document.querySelectorAll('#medals tbody tr').length === 3, null, WAIT);
  const shown = await page.locator('#medals tbody tr').evaluateAll((rows) => rows.map((tr) =>
    [...tr.children].map((c) => c.textContent.trim()).join(' ')));
  assert.deepEqual(shown, api.rows.map((r) => `${r.rank_equal ? '=' : ''}${r.rank} ${r.noc} ${r.gold} ${r.silver} ${r.bronze} ${r.total}`));
  assert.match(await page.locator('#medals tfoot').textContent(), /All medals\s*1\s*1\s*1\s*3/);
  await page.waitForFunction(() => /Medal table updated/.test(document.querySelector('#live').textContent), null, WAIT);
});

test('an API problem is shown as a message, and nothing broke along the way', async (t) => {
  if (skipped(t)) return;
  await page.goto(`${stack.readUrl}/#/event/ALPMNOSUCHEVENT`);
  const box = page.locator('.err');
  await box.waitFor(WAIT);
  assert.match(await box.textContent(), /Unknown event.*ALPMNOSUCHEVENT/s);
  assert.deepEqual(problems, []);
});
