// The public read API: caching headers, conditional requests, CORS, security headers, rate limiting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useStack, ingest, read, eventually, downhillDefinition, downhillResults } from './harness.mjs';

const stack = useStack();
const EVENT = 'ALPWSLALOM';
const board = `/v1/events/${EVENT}/leaderboard`;

test('set up an event with results', async () => {
  assert.equal((await ingest(stack, 'PUT', `/v1/ingest/events/${EVENT}`, downhillDefinition(EVENT))).status, 201);
  assert.equal((await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/results`, downhillResults({ version: 1, finished: 3 }))).status, 201);
});

test('live data is cacheable for a second and carries the event version as its ETag', async () => {
  const res = await read(stack, board);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cache-control'), 'public, max-age=1, stale-while-revalidate=2');
  assert.equal(res.headers.get('etag'), `"v${res.body.event_version}"`);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.match(res.headers.get('strict-transport-security'), /max-age=\d+/);
});

test('If-None-Match with the current ETag is answered 304 without a body', async () => {
  const first = await read(stack, board);
  const etag = first.headers.get('etag');
  const res = await fetch(`${stack.readUrl}${board}`, { headers: { 'if-none-match': etag } });
  assert.equal(res.status, 304);
  assert.equal(await res.text(), '');
  assert.equal(res.headers.get('etag'), etag);
  const stale = await fetch(`${stack.readUrl}${board}`, { headers: { 'if-none-match': '"v0"' } });
  assert.equal(stale.status, 200);
});

test('no cache serves an answer past its max-age: the first read after it shows the change', async () => {
  // Warm both caches (the isolate's memory and the edge) with version 1, several times over.
  for (let i = 0; i < 5; i += 1) assert.equal((await read(stack, board)).body.unit_version, 1);
  assert.equal((await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/results`, downhillResults({ version: 2, finished: 6 }))).status, 201);
  const acknowledged = Date.now();
  // Every cached copy was fetched before the acknowledgement and lives max-age=1 s from then.
  await new Promise((resolve) => setTimeout(resolve, 1100 - (Date.now() - acknowledged)));
  const res = await read(stack, board);
  assert.equal(res.body.unit_version, 2);
  assert.equal(res.headers.get('etag'), `"v${res.body.event_version}"`);
});

test('answers served from memory carry the same headers, and none of the caches\' own', async () => {
  const first = await read(stack, board);
  const again = await read(stack, board);
  const notModified = await fetch(`${stack.readUrl}${board}`, { headers: { 'if-none-match': first.headers.get('etag') } });
  assert.equal(notModified.status, 304);
  for (const res of [first, again, notModified]) {
    assert.equal(res.headers.get('cache-control')?.startsWith('public, max-age=1'), true);
    assert.equal(res.headers.get('etag'), `"v${first.body.event_version}"`);
    assert.equal(res.headers.get('vary'), 'origin');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.match(res.headers.get('content-security-policy'), /frame-ancestors 'none'/);
    assert.equal(res.headers.get('x-olympic-stored-at'), null);
  }
  for (const res of [first, again]) assert.match(res.headers.get('content-type'), /^application\/json/);
  assert.deepEqual(again.body, first.body);
});

test('readers racing across several cache expiries all get the page', async () => {
  // Each second the kept copies expire and the racing readers refill them from the edge and the object
  // at once: none of them may see an error (a panic here once took down the isolate).
  const statuses = {};
  const until = Date.now() + 2500;
  await Promise.all(Array.from({ length: 12 }, async () => {
    while (Date.now() < until) {
      const res = await fetch(`${stack.readUrl}${board}`);
      await res.arrayBuffer();
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    }
  }));
  assert.deepEqual(Object.keys(statuses), ['200'], JSON.stringify(statuses));
});

test('an OFFICIAL result is cached longer', async () => {
  assert.equal((await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/results`, downhillResults({ version: 3, finished: 10, status: 'OFFICIAL' }))).status, 201);
  const res = await eventually(async () => {
    const r = await read(stack, board);
    return r.body.status === 'OFFICIAL' ? r : null;
  });
  assert.equal(res.headers.get('cache-control'), 'public, max-age=30, stale-while-revalidate=60');
  assert.equal(res.body.rows[0].medal, 'GOLD');
});

test('CORS: allow-listed origins may read, others get no CORS grant', async () => {
  const allowed = await fetch(`${stack.readUrl}${board}`, { headers: { origin: 'https://olympic-live.dev' } });
  assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://olympic-live.dev');
  // The same answer again (from memory now) for the allowed origin, then without an origin: the grant
  // goes to the caller that was allowed, never onto the kept answer.
  const allowedAgain = await fetch(`${stack.readUrl}${board}`, { headers: { origin: 'https://olympic-live.dev' } });
  assert.equal(allowedAgain.headers.get('access-control-allow-origin'), 'https://olympic-live.dev');
  const etag = allowedAgain.headers.get('etag');
  const notModified = await fetch(`${stack.readUrl}${board}`, { headers: { origin: 'https://olympic-live.dev', 'if-none-match': etag } });
  assert.equal(notModified.status, 304);
  assert.equal(notModified.headers.get('access-control-allow-origin'), 'https://olympic-live.dev');
  const noOrigin = await fetch(`${stack.readUrl}${board}`);
  assert.equal(noOrigin.headers.get('access-control-allow-origin'), null);
  const other = await fetch(`${stack.readUrl}${board}`, { headers: { origin: 'https://scraper.example' } });
  assert.equal(other.headers.get('access-control-allow-origin'), null);
  const preflight = await fetch(`${stack.readUrl}${board}`, { method: 'OPTIONS', headers: { origin: 'https://olympic-live.dev', 'access-control-request-method': 'GET' } });
  assert.equal(preflight.status, 204);
  assert.match(preflight.headers.get('access-control-allow-methods'), /GET/);
  const problem = await fetch(`${stack.readUrl}/v1/events/ALPMNOSUCHEVENT`, { headers: { origin: 'https://olympic-live.dev' } });
  assert.equal(problem.status, 404);
  assert.equal(problem.headers.get('access-control-allow-origin'), 'https://olympic-live.dev', 'a page can read error bodies too');
});

test('a client that floods the API is rate limited with a 429 problem', async () => {
  const headers = { 'cf-connecting-ip': '203.0.113.9' };
  let limited = null;
  for (let i = 0; i < 400 && !limited; i += 1) {
    const res = await fetch(`${stack.readUrl}/v1/events/${EVENT}`, { headers });
    if (res.status === 429) limited = { status: res.status, body: await res.json() };
    else await res.arrayBuffer();
  }
  assert.ok(limited, 'the limiter refused a request within 400');
  assert.equal(limited.body.type, 'https://olympic-live.dev/problems/rate-limited');
  const otherClient = await fetch(`${stack.readUrl}/v1/events/${EVENT}`, { headers: { 'cf-connecting-ip': '203.0.113.10' } });
  assert.equal(otherClient.status, 200, 'other clients are unaffected');
});

test('bad parameters and routes are 4xx problems', async () => {
  for (const [path, status, field] of [
    [`${board}?limit=0`, 400, 'limit'],
    [`${board}?limit=x`, 400, 'limit'],
    [`${board}?around=NOBODY`, 400, 'around'],
    [`${board}?unit=fnl`, 400, 'unit'],
    [`${board}?cursor=%%%`, 400, 'cursor'],
    ['/v1/events/lowercase', 400, 'event'],
    [`/v1/events/${EVENT}/live`, 426, undefined],
    ['/v1/events/ALPMNOSUCHEVENT', 404, 'event'],
  ]) {
    const res = await read(stack, path);
    assert.equal(res.status, status, `${path}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.field, field, path);
  }
});
