// The operators' reports: a feed's late messages show in GET /v1/admin/stats with their lateness, refusals
// are counted per feed and problem, the read gateway's traffic is counted by route and cache outcome, and
// the operators' console draws it all in a real browser. Only listed operators get any of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { OPERATOR } from '../../scripts/lib/access-keys.mjs';
import { useStack, ingest, read, eventually, signToken, downhillDefinition, downhillResults } from './harness.mjs';

const stack = useStack();
const EVENT = 'ALPMOPSTATS';
const LATE_FEED = 'late-timing.access';
const ON_TIME_FEED = 'on-time-timing.access';
const LATE_BY_MS = 95_000;
const operator = () => ({ token: signToken({ claims: { common_name: OPERATOR } }) });
const as = (feed) => signToken({ claims: { common_name: feed } });

async function stats(minutes = 60) {
  const res = await ingest(stack, 'GET', `/v1/admin/stats?minutes=${minutes}`, undefined, operator());
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/// The traffic every test reads about, sent once (by the first test that needs it).
let sent;
const traffic = () => { sent ??= send(); return sent; };

async function send() {
  const defined = await ingest(stack, 'PUT', `/v1/ingest/events/${EVENT}`, downhillDefinition(EVENT), { token: as(ON_TIME_FEED) });
  assert.equal(defined.status, 201, JSON.stringify(defined.body));
  // Three results from a feed whose messages left it 95 s before they arrived, three from one on time.
  for (let version = 1; version <= 6; version += 1) {
    const late = version <= 3;
    const res = await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/results`, downhillResults({ version, finished: version }), {
      token: as(late ? LATE_FEED : ON_TIME_FEED),
      headers: { 'x-feed-sent-at': String(Date.now() - (late ? LATE_BY_MS : 0)) },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  // Two refusals of the late feed (a version that goes backwards), one without a token.
  for (let i = 0; i < 2; i += 1) {
    const res = await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/results`, { unit: 'FNL' }, { token: as(LATE_FEED) });
    assert.equal(res.status, 400);
  }
  assert.equal((await ingest(stack, 'GET', `/v1/ingest/events/${EVENT}`, undefined, { token: null })).status, 401);
}

test('only listed operators get the reports, and a bad window is refused naming the parameter', async () => {
  await traffic();
  assert.equal((await ingest(stack, 'GET', '/v1/admin/stats', undefined, { token: null })).status, 401);
  const feed = await ingest(stack, 'GET', '/v1/admin/stats', undefined, { token: as(LATE_FEED) });
  assert.equal(feed.status, 403);
  const zero = await ingest(stack, 'GET', '/v1/admin/stats?minutes=0', undefined, operator());
  assert.equal(zero.status, 400);
  assert.match(zero.headers.get('content-type'), /application\/problem\+json/);
  assert.equal(zero.body.field, 'minutes');
  const post = await ingest(stack, 'POST', '/v1/admin/stats', {}, operator());
  assert.equal(post.status, 405);
  assert.equal((await ingest(stack, 'GET', '/v1/admin/dead-letters?limit=9999', undefined, operator())).body.field, 'limit');
});

test("a feed's late messages show in the stats with their lateness, per feed", async () => {
  await traffic();
  const seen = await eventually(async () => {
    const s = await stats();
    const late = s.lateness.find((l) => l.feed === `service:${LATE_FEED}`);
    const onTime = s.lateness.find((l) => l.feed === `service:${ON_TIME_FEED}`);
    return late?.count === 3 && onTime?.count >= 3 ? { s, late, onTime } : null;
  }, { timeoutMs: 30_000, intervalMs: 500 });
  assert.ok(seen, 'both feeds reached the stats');
  const { s, late, onTime } = seen;
  assert.ok(late.p50_ms >= LATE_BY_MS && late.p50_ms < LATE_BY_MS + 30_000, JSON.stringify(late));
  assert.ok(late.p99_ms >= late.p50_ms && late.max_ms >= late.p99_ms);
  assert.ok(onTime.p99_ms < 30_000, JSON.stringify(onTime));
  const updates = s.updates.filter((u) => u.event === EVENT).reduce((sum, u) => sum + u.count, 0);
  assert.equal(updates, 7, 'the definition and six results, each counted once');
  const lateHealth = s.feeds.find((f) => f.feed === `service:${LATE_FEED}`);
  assert.equal(lateHealth.applied, 3);
  assert.ok(lateHealth.last_applied_ms > Date.now() - 10 * 60_000);
});

test('refusals are counted per feed and problem type', async () => {
  await traffic();
  // Refusals are reported by the gateway's isolate at most every few seconds: keep refusing until they land.
  const seen = await eventually(async () => {
    await ingest(stack, 'GET', `/v1/ingest/events/${EVENT}`, undefined, { token: null });
    const s = await stats();
    const late = s.feeds.find((f) => f.feed === `service:${LATE_FEED}`);
    const anonymous = s.feeds.find((f) => f.feed === 'unauthenticated');
    return late?.refused.length && anonymous?.refused.length ? { late, anonymous } : null;
  }, { timeoutMs: 30_000, intervalMs: 1000 });
  assert.ok(seen, 'refusals reached the stats');
  // Its two invalid results, and the admin route it was refused (the first test).
  const byProblem = Object.fromEntries(seen.late.refused.map((r) => [r.problem, r.count]));
  assert.deepEqual(byProblem, { 'invalid-request': 2, forbidden: 1 });
  assert.ok(seen.anonymous.refused.every((r) => r.problem.length > 0 && r.count >= 1));
});

test('read traffic is counted by route template, status and cache outcome', async () => {
  await traffic();
  const seen = await eventually(async () => {
    for (let i = 0; i < 3; i += 1) await read(stack, `/v1/events/${EVENT}/leaderboard`);
    await read(stack, '/v1/events/ALPMNOSUCH/leaderboard?limit=abc');
    const s = await stats();
    const ok = s.reads.filter((r) => r.route === '/v1/events/{event}/leaderboard' && r.status === 200);
    const bad = s.reads.find((r) => r.route === '/v1/events/{event}/leaderboard' && r.status === 400);
    return ok.length && bad ? { ok, bad } : null;
  }, { timeoutMs: 40_000, intervalMs: 2000 });
  assert.ok(seen, 'read counts reached the stats');
  const outcomes = new Set(seen.ok.map((r) => r.cache));
  assert.ok([...outcomes].every((o) => ['memory', 'edge', 'origin', 'published', 'stale'].includes(o)), [...outcomes].join());
  assert.ok(seen.ok.reduce((sum, r) => sum + r.count, 0) >= 3);
  assert.equal(seen.bad.cache, 'none');
});

test('every admin action, and every refused attempt, is in the audit trail with who, what and when', async () => {
  await traffic();
  const started = Date.now();
  const path = `/v1/admin/events/${EVENT}/maintenance`;
  assert.equal((await ingest(stack, 'PUT', path, undefined, operator())).status, 200);
  assert.equal((await ingest(stack, 'DELETE', path, undefined, operator())).status, 200);
  assert.equal((await ingest(stack, 'POST', '/v1/admin/rebuild', undefined, { token: as(LATE_FEED) })).status, 403);
  const res = await ingest(stack, 'GET', '/v1/admin/audit?limit=50', undefined, operator());
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const recent = res.body.entries.filter((e) => e.at_ms >= started - 1000);
  const lines = recent.map((e) => [e.operator, e.action, e.event, e.status]);
  assert.deepEqual(lines, [
    [`service:${LATE_FEED}`, 'POST /v1/admin/rebuild', null, 403],
    [`service:${OPERATOR}`, `DELETE ${path}`, EVENT, 200],
    [`service:${OPERATOR}`, `PUT ${path}`, EVENT, 200],
  ], 'newest first; reads of the trail and the stats are not actions');
  assert.ok(recent.every((e) => /^[0-9a-f]{16}$/.test(e.request_id)), 'each with the request id of its log lines');
  assert.equal((await ingest(stack, 'GET', '/v1/admin/audit', undefined, { token: as(LATE_FEED) })).status, 403);
});

const CHROMIUM = '/usr/bin/chromium';
test('the operators console draws the stats in a browser, behind Access', async (t) => {
  await traffic();
  if (!existsSync(CHROMIUM)) return t.skip('chromium not installed');
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const anonymous = await browser.newPage();
    const refused = await anonymous.goto(`${stack.ingestUrl}/v1/admin/`);
    assert.equal(refused.status(), 401);

    const context = await browser.newContext({ extraHTTPHeaders: { 'cf-access-jwt-assertion': operator().token } });
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (msg) => { if (msg.type() === 'error') problems.push(msg.text()); });
    const res = await page.goto(`${stack.ingestUrl}/v1/admin/`);
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-security-policy'], /script-src 'self'/);
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 20_000 });
    const lateRow = page.locator('#lateness-table tbody tr', { hasText: `service:${LATE_FEED}` });
    await lateRow.waitFor({ timeout: 10_000 });
    const cells = await lateRow.locator('td').allTextContents();
    assert.equal(cells[1], '3');
    assert.match(cells[2], /^1\.[56] min$/, `p50 of ~95 s: ${cells.join(' | ')}`);
    assert.ok(await page.locator('#updates-chart svg rect').count() > 0, 'the updates chart has bars');
    const feedRow = await page.locator('#feeds-table tbody tr', { hasText: `service:${LATE_FEED}` }).allTextContents();
    assert.match(feedRow.join(' '), /× 2/);
    assert.match(await page.locator('#dead-totals').textContent(), /0 pending/);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
