// The website in a real browser (Chromium through playwright-core) against the local stack, fed through
// the ingest API as feeds do: the home page as "now", names and flags instead of codes, country and athlete
// pages, a leaderboard that updates live and says so once in words, a game shown as a game, a medal table
// that reorders when a medal changes hands, the live indicator turning stale when its socket goes silent,
// the search box, a friendly not-found page, the framable embed (and nothing else framable), axe-core in
// both themes at three widths, layout shift, and no console error. Skipped only without /usr/bin/chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { useStack, ingest, read, eventually, downhillDefinition, downhillResults } from './harness.mjs';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const DOWNHILL = 'ALPMDOWNHILL';
const HOCKEY = 'IHOWTOURNAMENT';
const WAIT = { timeout: 15_000 };
const HOUR = 3_600_000;
// Units start around the wall clock, so the page's "now" is today.
const T0 = Date.now() - (Date.now() % 60_000);

const stack = HAVE_CHROMIUM ? useStack() : null;
let browser;
let page;
const problems = [];
// While a test takes the browser offline, its failed fetches and sockets are expected.
let offline = false;

// Runs in every page before its own scripts: counts layout shifts, keeps what the live region said, and
// keeps the page's WebSockets so a test can make one go silent (its messages dropped, the connection
// left open: a socket that died without knowing it).
function instrument() {
  window.__shift = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
  window.__said = [];
  document.addEventListener('DOMContentLoaded', () => {
    const region = document.querySelector('#live');
    if (region) new MutationObserver(() => window.__said.push(region.textContent)).observe(region, { childList: true, characterData: true, subtree: true });
  });
  const Real = window.WebSocket;
  window.__sockets = [];
  window.WebSocket = class extends Real {
    constructor(...args) { super(...args); this.silent = false; window.__sockets.push(this); }
    set onmessage(f) { super.onmessage = f && ((e) => { if (!this.silent) f(e); }); }
    get onmessage() { return super.onmessage; }
  };
}

function watch(p) {
  p.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  p.on('console', (msg) => {
    // A 404 is an answer the page handles (the not-found test asks for one).
    const expected = /status of 404/.test(msg.text()) || (offline && /ERR_INTERNET_DISCONNECTED|WebSocket connection/.test(msg.text()));
    if (msg.type() === 'error' && !expected) problems.push(`console: ${msg.text()}`);
  });
}

async function newPage(viewport, options = {}, watched = true) {
  // Days are grouped in the viewer's zone: fixed here, so the schedule's day is the one the test asks for.
  const context = await browser.newContext({ viewport, timezoneId: 'UTC', ...options });
  await context.addInitScript(instrument);
  const p = await context.newPage();
  if (watched) watch(p);
  return p;
}

before(async () => {
  if (!HAVE_CHROMIUM) return;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  page = await newPage({ width: 390, height: 844 });
});

after(async () => {
  await browser?.close();
});

function skipped(t) {
  if (HAVE_CHROMIUM) return false;
  t.skip('chromium not installed');
  return true;
}

async function post(path, message) {
  const res = await ingest(stack, 'POST', path, message);
  assert.ok(res.status === 201 || res.status === 200, JSON.stringify(res.body));
  // Let the event object's broadcast interval (50 ms) pass, so the next change goes out at once.
  await new Promise((r) => setTimeout(r, 300));
  return res.body;
}
const race = (message) => post(`/v1/ingest/events/${DOWNHILL}/results`, message);
const side = (noc, name) => ({ competitor: noc, name, noc });
const game = (unit, version, status, home, away, homeScore, awayScore, decidedIn = 'REGULATION') => ({
  message_id: `${unit}-v${version}`, unit, version, status, home, away,
  home_score: homeScore, away_score: awayScore, decided_in: decidedIn,
});
const main = () => page.locator('main').innerText();

test('home is "now": a live event by its name and unit name, with countdowns to what is next', async (t) => {
  if (skipped(t)) return;
  const downhill = {
    ...downhillDefinition(DOWNHILL),
    venue: { name: 'Stelvio, Bormio', timezone: 'Europe/Rome' },
    schedule: [{ unit: 'FNL', day: new Date(T0).toISOString().slice(0, 10), start_utc_ms: T0 - 600_000 }],
  };
  assert.equal((await ingest(stack, 'PUT', `/v1/ingest/events/${DOWNHILL}`, downhill)).status, 201);
  const hockey = {
    code: HOCKEY,
    name: "Women's Tournament",
    format: { type: 'knockout', sport_rules: 'ice_hockey' },
    venue: { name: 'Milano Santagiulia', timezone: 'Europe/Rome' },
    phases: [
      { code: 'GRPA', name: 'Group A', units: ['GRPA-G01', 'GRPA-G02'], format: { type: 'round_robin', rules: { sport: 'ice_hockey' } } },
      { code: 'GOLD', name: 'Gold Medal Game', units: ['GOLD-G01'] },
    ],
    medal_unit: 'GOLD-G01',
    bracket: [{ unit: 'GOLD-G01', home: { standing: { phase: 'GRPA', rank: 1 } }, away: { standing: { phase: 'GRPA', rank: 2 } } }],
    schedule: ['GRPA-G01', 'GRPA-G02', 'GOLD-G01'].map((unit, i) => ({
      unit, day: new Date(T0 - 3 * HOUR + i * 3 * HOUR).toISOString().slice(0, 10), start_utc_ms: T0 - 3 * HOUR + i * 3 * HOUR,
    })),
  };
  assert.equal((await ingest(stack, 'PUT', `/v1/ingest/events/${HOCKEY}`, hockey)).status, 201);
  await race(downhillResults({ version: 1, finished: 2 }));
  const listed = await eventually(async () => {
    const res = await read(stack, '/v1/events');
    return res.body.events?.some((e) => e.code === DOWNHILL && e.progress === 'live');
  });
  assert.ok(listed, 'the standings list the downhill as live');

  await page.goto(`${stack.readUrl}/#/`);
  const live = page.locator('main ul.ev').first();
  await live.getByText("Men's Downhill").waitFor(WAIT);
  assert.match(await live.innerText(), /Men's Downhill\s*Final · Stelvio, Bormio\s*Live/i);
  // Next up: the gold medal game, in three hours, with its countdown.
  await page.getByText(/in 2 h 5\d min|in 3 h/).first().waitFor(WAIT);
  assert.doesNotMatch(await main(), /\bFNL\b|GRPA|GOLD-G01|\bv\d+\b/, 'no codes or versions');
  assert.equal(await page.evaluate(() => scrollY), 0, 'opening the day strip on today does not scroll the page');
  await page.waitForFunction(() => /^Updated|^Live/.test(document.querySelector('#conn').textContent), null, WAIT);
});

test('a leaderboard shows names and flags, updates live without a reload and announces it once', async (t) => {
  if (skipped(t)) return;
  await page.locator('main ul.ev').first().getByText("Men's Downhill").click();
  await page.waitForURL(/#\/event\/ALPMDOWNHILL/, WAIT);
  await page.waitForFunction(() => document.querySelectorAll('#lb tbody tr').length === 10, null, WAIT);
  await page.waitForFunction(() => /^Live · updated/.test(document.querySelector('#conn').textContent), null, WAIT);
  // The code is what is seen in a narrow column; screen readers hear the name after it.
  const swiss = page.locator('#lb tbody tr').first().getByRole('link', { name: 'SUI Switzerland', exact: true });
  assert.equal(await swiss.locator('.fl').textContent(), '🇨🇭');
  assert.equal(await page.locator('#lb').getAttribute('aria-live'), null, 'the table itself is not a live region');
  await page.evaluate(() => { window.notReloaded = true; window.__said = []; });

  await race(downhillResults({ version: 2, finished: 3 }));
  await page.waitForFunction(() => [...document.querySelectorAll('#lb .c-mark')].filter((c) => /\d:\d\d\.\d\d/.test(c.textContent)).length === 3, null, WAIT);
  // The third racer is in words, once (the live region waits a few seconds between sentences).
  const said = await eventually(() => page.evaluate(() => window.__said.find((s) => /Aleksander Aamodt Kilde finishes \d+(st|nd|rd|th)/.test(s))));
  assert.ok(said, 'the new finisher is announced');
  await new Promise((r) => setTimeout(r, 5000));
  const times = await page.evaluate(() => window.__said.filter((s) => /Kilde finishes/.test(s)).length);
  assert.equal(times, 1, 'announced once');
  assert.equal(await page.evaluate(() => window.notReloaded), true, 'the page was not reloaded');
  assert.doesNotMatch(await main(), /Version \d+|rows? changed|\bFNL\b/);

  // From a phone's leaderboard, a country is a tap away.
  await swiss.click();
  await page.waitForURL(/#\/noc\/SUI$/, WAIT);
  await page.locator('h1', { hasText: 'Switzerland' }).waitFor(WAIT);
});

test('a country page lists its athletes and entries; an athlete page their results and what is next', async (t) => {
  if (skipped(t)) return;
  await page.locator('#noc-entries tbody tr').first().waitFor(WAIT);
  assert.match(await page.locator('h1').innerText(), /🇨🇭\s*Switzerland/);
  const athletes = await page.locator('#noc-athletes tbody th').allInnerTexts();
  assert.deepEqual(athletes.sort(), ['Franjo von Allmen', 'Marco Odermatt']);
  assert.match(await page.locator('#noc-entries').innerText(), /Men's Downhill/);

  await page.locator('#noc-athletes').getByRole('link', { name: 'Marco Odermatt' }).click();
  await page.waitForURL(/#\/athlete\/ODERMATT$/, WAIT);
  await page.locator('h1', { hasText: 'Marco Odermatt' }).waitFor(WAIT);
  await page.locator('#ath tbody tr').first().waitFor(WAIT);
  const results = await page.locator('#ath tbody tr').first().innerText();
  assert.match(results, /Men's Downhill\s*Final/);
  assert.match(await main(), /Next\s*Men's Downhill · Final/, 'the race he is in now is what is next');
  assert.match(await page.locator('main .crumb').innerText(), /Switzerland/);
});

test('games are shown as games: scores with shoot-out marks, group standings, the bracket, each unit\'s own status', async (t) => {
  if (skipped(t)) return;
  await post(`/v1/ingest/events/${HOCKEY}/games`, game('GRPA-G01', 1, 'OFFICIAL', side('CAN', 'Canada'), side('USA', 'United States'), 3, 2, 'SHOOTOUT'));
  await post(`/v1/ingest/events/${HOCKEY}/games`, game('GRPA-G02', 1, 'LIVE', side('FIN', 'Finland'), side('SUI', 'Switzerland'), 1, 0));
  const ready = await eventually(async () => {
    const res = await read(stack, `/v1/events/${HOCKEY}`);
    return res.body.unit_lines?.find((l) => l.unit === 'GRPA-G02')?.status === 'LIVE';
  });
  assert.ok(ready, 'the summary has both games');
  await page.goto(`${stack.readUrl}/#/event/${HOCKEY}`);
  await page.locator('#st-GRPA tbody tr').nth(1).waitFor(WAIT);
  const text = await main();
  assert.doesNotMatch(text, /\bnull\b|undefined|NaN/);
  assert.match(text, /Group A · CAN v USA[\s\S]*3–2\s*SO/);
  assert.match(text, /Group A · FIN v SUI[\s\S]*1–0\s*Live/i);
  assert.match(text, /Play-offs[\s\S]*Gold Medal Game[\s\S]*Group A, 1st[\s\S]*Group A, 2nd/);
  const standings = await page.locator('#st-GRPA tbody th').allInnerTexts();
  assert.match(standings[0], /🇨🇦\s*Canada/, 'the shoot-out winner leads the group');
  assert.equal(await page.locator('abbr', { hasText: 'SO' }).first().getAttribute('title'), 'after a shoot-out');

  // The schedule gives each game its own status: the finished one is not LIVE because its event is.
  await page.goto(`${stack.readUrl}/#/schedule?day=${new Date(T0 - 3 * HOUR).toISOString().slice(0, 10)}`);
  const row = (name) => page.locator('#schedule tbody tr', { hasText: name });
  await row('CAN v USA').waitFor(WAIT);
  assert.match(await row('CAN v USA').innerText(), /Official/i);
  assert.doesNotMatch(await row('CAN v USA').innerText(), /Live/i);
});

test('a medal changing hands reorders the medal table, live', async (t) => {
  if (skipped(t)) return;
  await page.goto(`${stack.readUrl}/#/medals`);
  await page.waitForFunction(() => /^Live/.test(document.querySelector('#conn').textContent), null, WAIT);
  await race(downhillResults({ version: 3, finished: 10, status: 'OFFICIAL' }));
  const first = await eventually(async () => (await read(stack, '/v1/medals')).body.totals?.total === 3);
  assert.ok(first, 'three medals awarded');
  const firstRow = () => page.locator('#medals tbody tr').first().locator('th').innerText();
  await page.waitForFunction(() => document.querySelectorAll('#medals tbody tr').length === 3, null, WAIT);
  assert.match(await firstRow(), /Switzerland/);
  // A correction: another racer won. The same table reorders without a reload.
  await race(downhillResults({ version: 4, finished: 10, status: 'OFFICIAL', round: 1 }));
  const api = await eventually(async () => {
    const body = (await read(stack, '/v1/medals')).body;
    return body.rows?.[0]?.noc === 'CAN' ? body : null;
  });
  assert.ok(api, 'Canada leads after the correction');
  await page.waitForFunction(() => /Canada/.test(document.querySelector('#medals tbody tr th')?.textContent), null, WAIT);
  const shown = await page.locator('#medals tbody tr').evaluateAll((rows) => rows.map((tr) =>
    [...tr.children].map((c) => c.textContent.replace(/\s+/g, ' ').trim()).join(' | ')));
  assert.deepEqual(shown.map((s) => s.split(' | ').slice(2).join(' ')), api.rows.map((r) => `${r.gold} ${r.silver} ${r.bronze} ${r.total}`));
  assert.match(shown[0], /Canada/);
  const said = await eventually(() => page.evaluate(() => window.__said.find((s) => /Medal table: Canada 1st/.test(s))));
  assert.ok(said, 'the change is announced');
  // The snippet to put the table on another site.
  assert.match(await page.locator('pre.snip').innerText(), /<iframe src="http:\/\/[^"]+\/embed\/medals"/);
});

test('a socket that goes silent turns the indicator stale within the heartbeat, then live again', async (t) => {
  if (skipped(t)) return;
  await page.waitForFunction(() => /^Live/.test(document.querySelector('#conn').textContent), null, WAIT);
  await page.evaluate(() => { for (const ws of window.__sockets) ws.silent = true; });
  // Heartbeat every 10 s, pong due 4 s later.
  await page.waitForFunction(() => document.querySelector('#conn').dataset.state === 'stale', null, { timeout: 20_000 });
  assert.match(await page.locator('#conn').innerText(), /^Reconnecting · updated \d+ s ago/);
  // A new socket is opened (the silent one is dropped) and the indicator is live again.
  await page.waitForFunction(() => document.querySelector('#conn').dataset.state === 'live', null, { timeout: 20_000 });
  // The browser's offline event is believed at once.
  offline = true;
  await page.context().setOffline(true);
  await page.waitForFunction(() => document.querySelector('#conn').dataset.state === 'offline', null, WAIT);
  await page.context().setOffline(false);
  await page.waitForFunction(() => document.querySelector('#conn').dataset.state === 'live', null, { timeout: 40_000 });
  offline = false;
});

test('search finds athletes, countries and events from one box', async (t) => {
  if (skipped(t)) return;
  await page.locator('#q').fill('odermat');
  await page.waitForURL(/#\/search\?q=odermat$/, WAIT);
  await page.getByRole('link', { name: 'Marco Odermatt' }).waitFor(WAIT);
  await page.locator('#q').fill('switz');
  await page.locator('main').getByRole('link', { name: /Switzerland/ }).waitFor(WAIT);
  await page.locator('#q').fill('downhill');
  await page.locator('main').getByRole('link', { name: "Men's Downhill" }).waitFor(WAIT);
  const bad = await read(stack, '/v1/search?q=a');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'q');
});

test('an unknown event is a friendly not-found page', async (t) => {
  if (skipped(t)) return;
  await page.goto(`${stack.readUrl}/#/event/ALPMNOSUCHEVENT`);
  await page.locator('h1', { hasText: 'Page not found' }).waitFor(WAIT);
  const text = await main();
  assert.match(text, /no event with the code ALPMNOSUCHEVENT/);
  assert.doesNotMatch(text, /PUT|\/v1\/ingest/);
});

test('the embed page loads in another site\'s iframe, and the home page does not', async (t) => {
  if (skipped(t)) return;
  const embed = await read(stack, '/embed/medals');
  assert.match(embed.headers.get('content-security-policy'), /frame-ancestors \*/);
  assert.equal(embed.headers.get('x-frame-options'), null);
  const home = await read(stack, '/');
  assert.match(home.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  assert.doesNotMatch(home.headers.get('content-security-policy'), /unsafe-inline/);
  assert.equal(home.headers.get('x-frame-options'), 'DENY');

  const other = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>A news site</title><iframe id="e" title="medals" src="${stack.readUrl}/embed/medals"></iframe><iframe id="h" title="home" src="${stack.readUrl}/"></iframe>`);
  });
  await new Promise((r) => other.listen(0, '127.0.0.1', r));
  // Its console is read here: the refused frame is logged there, and must be.
  const visitor = await newPage({ width: 1200, height: 800 }, {}, false);
  const logged = [];
  visitor.on('console', (msg) => logged.push(msg.text()));
  visitor.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  try {
    // The news site's own origin differs by host and port from the read gateway's.
    await visitor.goto(`http://localhost:${other.address().port}/`);
    const embedded = visitor.frameLocator('#e');
    await embedded.locator('#medals tbody tr').first().locator('th', { hasText: 'Canada' }).waitFor(WAIT);
    const framed = visitor.frames().find((f) => f.url().startsWith(stack.readUrl) && !f.url().includes('/embed/'));
    const blocked = !framed || (await framed.evaluate(() => !document.querySelector('#main')).catch(() => true));
    assert.ok(blocked, 'the home page refuses to be framed');
    const refused = await eventually(() => logged.find((m) => /frame-ancestors 'none'/.test(m)));
    assert.ok(refused, 'the browser says why the home page was not framed');
    assert.deepEqual(logged.filter((m) => !/frame-ancestors 'none'/.test(m)), [], 'nothing else went wrong');
  } finally {
    await visitor.context().close();
    other.close();
  }
});

test('offline, the service worker answers the page and its last data, marked as saved', async (t) => {
  if (skipped(t)) return;
  const p = await newPage({ width: 390, height: 844 }, {}, false);
  p.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  p.on('console', (msg) => {
    if (msg.type() === 'error' && !/ERR_INTERNET_DISCONNECTED|WebSocket connection/.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  try {
    await p.goto(`${stack.readUrl}/#/medals`);
    await p.waitForFunction(() => navigator.serviceWorker.controller, null, WAIT);
    // Controlled from now on: this visit's reads are kept.
    await p.reload();
    await p.locator('#medals tbody tr').first().waitFor(WAIT);
    await p.waitForLoadState('networkidle').catch(() => {});
    const online = await p.locator('#medals tbody').innerText();
    await p.context().setOffline(true);
    await p.reload();
    await p.locator('#medals tbody tr').first().waitFor(WAIT);
    assert.equal(await p.locator('#medals tbody').innerText(), online, 'the last table it had');
    await p.waitForFunction(() => /^Offline · saved \d\d:\d\d/.test(document.querySelector('#conn').textContent), null, WAIT);
    assert.ok(await p.evaluate(() => document.body.classList.contains('saved')), 'the page is marked as showing saved data');
  } finally {
    await p.context().close();
  }
});

test('axe finds no serious or critical violation in either theme at 320, 390 and 1440 px', async (t) => {
  if (skipped(t)) return;
  const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const views = ['#/', `#/event/${DOWNHILL}`, `#/event/${HOCKEY}`, '#/medals', '#/noc/SUI', '#/athlete/ODERMATT', '#/schedule', '#/search?q=mar'];
  const found = [];
  for (const width of [320, 390, 1440]) {
    for (const colorScheme of ['light', 'dark']) {
      const p = await newPage({ width, height: 900 }, { colorScheme });
      for (const view of views) {
        await p.goto(`${stack.readUrl}/${view}`);
        await p.waitForFunction(() => !/Loading/.test(document.querySelector('main').textContent) && document.querySelector('main h1'), null, WAIT);
        await p.waitForLoadState('networkidle').catch(() => {});
        // Injected through the driver, which the page's CSP does not govern.
        await p.evaluate(axe);
        const violations = await p.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`));
        for (const v of violations) found.push(`${width}px ${colorScheme} ${view}: ${v}`);
        // Nothing wider than the screen: columns collapse instead of scrolling sideways.
        const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (overflow > 0) found.push(`${width}px ${view}: ${overflow} px wider than the screen`);
      }
      await p.context().close();
    }
  }
  assert.deepEqual(found, []);
});

test('the theme switch overrides the system theme and is remembered', async (t) => {
  if (skipped(t)) return;
  const p = await newPage({ width: 390, height: 844 }, { colorScheme: 'light' });
  await p.goto(`${stack.readUrl}/#/medals`);
  await p.locator('#theme').click();
  assert.equal(await p.evaluate(() => document.documentElement.dataset.theme), 'light');
  await p.locator('#theme').click();
  assert.equal(await p.evaluate(() => document.documentElement.dataset.theme), 'dark');
  const dark = await p.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await p.reload();
  assert.equal(await p.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.equal(await p.evaluate(() => getComputedStyle(document.body).backgroundColor), dark);
  assert.notEqual(dark, 'rgb(255, 255, 255)');
  await p.context().close();
});

test('pages do not shift while data and the live connection arrive', async (t) => {
  if (skipped(t)) return;
  for (const [width, view] of [[390, '#/medals'], [390, '#/'], [390, `#/event/${DOWNHILL}`], [1440, '#/medals']]) {
    const p = await newPage({ width, height: 844 });
    await p.goto(`${stack.readUrl}/${view}`);
    await p.waitForFunction(() => /^Live|^Updated/.test(document.querySelector('#conn').textContent), null, WAIT);
    await p.waitForLoadState('networkidle').catch(() => {});
    const shift = await p.evaluate(() => window.__shift);
    assert.ok(shift < 0.1, `${width}px ${view}: cumulative layout shift ${shift}`);
    await p.context().close();
  }
});

test('nothing logged an error along the way', (t) => {
  if (skipped(t)) return;
  assert.deepEqual(problems, []);
});
