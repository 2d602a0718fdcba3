// Bad input gets a 4xx problem naming the field and changes nothing; duplicates and stale versions are
// acknowledged as no-ops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useStack, ingest, read, eventually, downhillDefinition, downhillResults } from './harness.mjs';

const stack = useStack();
const EVENT = 'ALPMGIANTSLALOM';
const results = (path) => `/v1/ingest/events/${EVENT}${path}`;

async function assertProblem(res, status, field) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  assert.equal(res.body.status, status);
  assert.equal(res.body.field, field, JSON.stringify(res.body));
}

/// The event's version straight from its object (the ingest side is never cached).
async function eventVersion() {
  const res = await ingest(stack, 'GET', `/v1/ingest/events/${EVENT}`);
  return res.status === 200 ? res.body.version : null;
}

/// The public leaderboard once it shows `unitVersion` (reads may be cached for a second).
async function boardAt(unitVersion) {
  return eventually(async () => {
    const res = await read(stack, `/v1/events/${EVENT}/leaderboard`);
    return res.body.unit_version === unitVersion ? res.body : null;
  });
}

test('results for an event that was never defined: 404 naming the event', async () => {
  await assertProblem(await ingest(stack, 'POST', results('/results'), downhillResults({ version: 1, finished: 1 })), 404, 'event');
});

test('an invalid event code: 400 naming the event', async () => {
  await assertProblem(await ingest(stack, 'PUT', '/v1/ingest/events/not-a-code', downhillDefinition(EVENT)), 400, 'event');
});

test('define the event, then every bad message is refused without effect', async () => {
  assert.equal((await ingest(stack, 'PUT', results(''), downhillDefinition(EVENT))).status, 201);
  assert.equal((await ingest(stack, 'POST', results('/results'), downhillResults({ version: 5, finished: 3 }))).status, 201);
  const before = await eventVersion();
  assert.ok(before > 0);

  await assertProblem(await ingest(stack, 'POST', results('/results'), undefined, { raw: '{"unit": "FNL",' }), 400, 'body');
  const wrongType = downhillResults({ version: 6, finished: 3 });
  wrongType.entries[1].mark = { kind: 'time', time_ms: 'fast' };
  // A mark is a tagged union: serde reads it whole, so the path stops at the mark and the detail names the value.
  const wrongTypeRes = await ingest(stack, 'POST', results('/results'), wrongType);
  await assertProblem(wrongTypeRes, 400, 'entries[1].mark');
  assert.match(wrongTypeRes.body.detail, /"fast"/);
  const wrongStatus = { ...downhillResults({ version: 6, finished: 3 }), status: 'FINISHED' };
  await assertProblem(await ingest(stack, 'POST', results('/results'), wrongStatus), 400, 'status');
  const unknownField = { ...downhillResults({ version: 6, finished: 3 }), bonus: 1 };
  await assertProblem(await ingest(stack, 'POST', results('/results'), unknownField), 400, 'bonus');
  const badNoc = downhillResults({ version: 6, finished: 3 });
  badNoc.entries[2].noc = 'sui';
  await assertProblem(await ingest(stack, 'POST', results('/results'), badNoc), 400, 'entries[2].noc');
  await assertProblem(await ingest(stack, 'POST', results('/results'), { ...downhillResults({ version: 6, finished: 3 }), unit: 'SFNL' }), 422, 'unit');
  const stranger = downhillResults({ version: 6, finished: 3 });
  stranger.entries[0].competitor = 'NOBODY';
  const strangerRes = await ingest(stack, 'POST', results('/results'), stranger);
  assert.equal(strangerRes.status, 422, JSON.stringify(strangerRes.body));
  assert.match(strangerRes.body.field, /^entries\[0\]/);
  await assertProblem(await ingest(stack, 'POST', results('/results'), downhillResults({ version: 6, finished: 3 }), { headers: { 'content-type': 'text/plain' } }), 415, 'content-type');
  const huge = { ...downhillResults({ version: 6, finished: 3 }), note: 'x'.repeat(300 * 1024) };
  await assertProblem(await ingest(stack, 'POST', results('/results'), huge), 413, 'body');

  assert.equal(await eventVersion(), before, 'no refused message changed the event');
});

test('the same message twice is a duplicate no-op; an older version is a stale no-op', async () => {
  const message = downhillResults({ version: 10, finished: 5 });
  const first = await ingest(stack, 'POST', results('/results'), message);
  assert.equal(first.body.outcome, 'applied');
  const again = await ingest(stack, 'POST', results('/results'), message);
  assert.equal(again.status, 200);
  assert.deepEqual([again.body.outcome, again.body.event_version, again.body.unit_version], ['duplicate', first.body.event_version, 10]);
  const older = await ingest(stack, 'POST', results('/results'), downhillResults({ version: 7, finished: 1 }));
  assert.deepEqual([older.body.outcome, older.body.event_version, older.body.unit_version], ['stale', first.body.event_version, 10]);
  assert.equal(await eventVersion(), first.body.event_version, 'no-ops do not bump the version');
  const board = await boardAt(10);
  assert.ok(board, 'the read API shows version 10');
  assert.equal(board.rows.filter((r) => r.rank !== null).length, 5, 'state keeps the newer version');
});

test('a batch answers message by message; one bad message does not block the good ones', async () => {
  const res = await ingest(stack, 'POST', '/v1/ingest/batch', {
    messages: [
      { event: EVENT, kind: 'results', message: downhillResults({ version: 11, finished: 6 }) },
      { event: EVENT, kind: 'results', message: { ...downhillResults({ version: 12, finished: 7 }), extra: true } },
      { event: 'bad code', kind: 'results', message: downhillResults({ version: 12, finished: 7 }) },
      { event: EVENT, kind: 'results', message: downhillResults({ version: 13, finished: 8 }) },
    ],
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.results.map((r) => r.status), [201, 400, 400, 201]);
  assert.equal(res.body.results[1].body.field, 'messages[1].message.extra');
  assert.equal(res.body.results[2].body.field, 'messages[2].event');
  assert.ok(await boardAt(13), 'the last good message of the batch is in effect');
});

test('unknown routes and wrong methods are problems, never 5xx', async () => {
  await assertProblem(await ingest(stack, 'GET', '/v1/ingest/nothing'), 404, undefined);
  await assertProblem(await ingest(stack, 'DELETE', results('/results')), 405, undefined);
  await assertProblem(await read(stack, '/v1/nothing'), 404, undefined);
  await assertProblem(await read(stack, `/v1/events/${EVENT}/leaderboard?limit=abc`), 400, 'limit');
  await assertProblem(await read(stack, `/v1/events/${EVENT}/leaderboard?color=red`), 400, 'color');
});

test('a wrong method names the allowed ones in Allow', async () => {
  const res = await ingest(stack, 'DELETE', `/v1/ingest/events/${EVENT}`);
  assert.equal(res.status, 405);
  assert.equal(res.headers.get('allow'), 'GET, PUT');
});

test('a batch message over the per-message limit is refused on its own', async () => {
  const big = { ...downhillResults({ version: 14, finished: 8 }), note: 'x'.repeat(300 * 1024) };
  const res = await ingest(stack, 'POST', '/v1/ingest/batch', {
    messages: [
      { event: EVENT, kind: 'results', message: big },
      { event: EVENT, kind: 'results', message: downhillResults({ version: 15, finished: 9 }) },
    ],
  });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.results.map((r) => r.status), [413, 201]);
  assert.equal(res.body.results[0].body.field, 'messages[0].message');
});

test('the audit trail pages with limit and before, and refuses unknown parameters', async () => {
  const one = await ingest(stack, 'GET', `/v1/ingest/events/${EVENT}/audit?limit=1`);
  assert.equal(one.status, 200);
  assert.equal(one.body.entries.length, 1);
  const newest = one.body.entries[0].event_version;
  const older = await ingest(stack, 'GET', `/v1/ingest/events/${EVENT}/audit?limit=2&before=${newest}`);
  assert.deepEqual(older.body.entries.map((e) => e.event_version), [newest - 1, newest - 2]);
  await assertProblem(await ingest(stack, 'GET', `/v1/ingest/events/${EVENT}/audit?colour=red`), 400, 'colour');
});
