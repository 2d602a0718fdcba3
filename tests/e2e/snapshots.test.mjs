// Reads that survive a failing object: the event object keeps its hot documents in KV, and while it is
// out of service (an operator's maintenance switch here; a crash or a timeout alike) the read gateway
// answers them from KV, marked stale and not cached, then from the object again once it is back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useStack, ingest, read, eventually, signToken, downhillDefinition, downhillResults } from './harness.mjs';
import { OPERATOR } from '../../scripts/lib/access-keys.mjs';

const stack = useStack();
const EVENT = 'ALPMSNAPSHOT';
const operator = () => signToken({ claims: { common_name: OPERATOR } });

test('only operators may switch maintenance, and the switch is a problem-free 4xx for everyone else', async () => {
  assert.equal((await ingest(stack, 'PUT', `/v1/ingest/events/${EVENT}`, downhillDefinition(EVENT))).status, 201);
  const feed = await ingest(stack, 'PUT', `/v1/admin/events/${EVENT}/maintenance`);
  assert.equal(feed.status, 403);
  assert.equal(feed.body.type, 'https://olympic-live.dev/problems/forbidden');
  const anonymous = await ingest(stack, 'PUT', `/v1/admin/events/${EVENT}/maintenance`, undefined, { token: null });
  assert.equal(anonymous.status, 401);
  const wrongMethod = await ingest(stack, 'GET', `/v1/admin/events/${EVENT}/maintenance`, undefined, { token: operator() });
  assert.equal(wrongMethod.status, 405);
  assert.equal(wrongMethod.headers.get('allow'), 'PUT, DELETE');
  const unknown = await ingest(stack, 'PUT', '/v1/admin/events/ALPMNEVERDEFINED/maintenance', undefined, { token: operator() });
  assert.equal(unknown.status, 404);
});

test('a failing event object is read from its snapshot, marked stale, then from the object again', async () => {
  const posted = await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/results`, downhillResults({ version: 1, finished: 4 }));
  assert.equal(posted.status, 201);
  const live = await eventually(async () => {
    const res = await read(stack, `/v1/events/${EVENT}/leaderboard`);
    return res.body.event_version === 1 ? res : null;
  });
  assert.ok(live);
  // The snapshot is written after the acknowledgement, at most ten seconds after the one before
  // (object_logic::coalesce::SNAPSHOT_INTERVAL_MS): the definition's, a moment ago.
  await new Promise((r) => setTimeout(r, 11_000));

  const off = await ingest(stack, 'PUT', `/v1/admin/events/${EVENT}/maintenance`, undefined, { token: operator() });
  assert.deepEqual([off.status, off.body], [200, { maintenance: true }]);
  // A write is refused while it is off (the feed retries later), and changes nothing.
  const refused = await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/results`, downhillResults({ version: 2, finished: 5 }));
  assert.equal(refused.status, 503);

  // Past the caches (a second), the page comes from the snapshot.
  const stale = await eventually(async () => {
    const res = await read(stack, `/v1/events/${EVENT}/leaderboard`);
    return res.headers.get('x-olympic-stale') === '1' ? res : null;
  });
  assert.ok(stale, 'the snapshot answered');
  assert.equal(stale.status, 200);
  assert.equal(stale.headers.get('cache-control'), 'no-store');
  assert.equal(stale.body.event_version, 1);
  assert.deepEqual(stale.body.rows, live.body.rows);
  const summary = await read(stack, `/v1/events/${EVENT}`);
  assert.equal(summary.status, 200);
  assert.equal(summary.headers.get('x-olympic-stale'), '1');
  // A read the snapshot does not hold gets the object's problem.
  const paged = await read(stack, `/v1/events/${EVENT}/leaderboard?limit=2`);
  assert.equal(paged.status, 503);

  const on = await ingest(stack, 'DELETE', `/v1/admin/events/${EVENT}/maintenance`, undefined, { token: operator() });
  assert.deepEqual([on.status, on.body], [200, { maintenance: false }]);
  const again = await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/results`, downhillResults({ version: 2, finished: 5 }));
  assert.equal(again.status, 201);
  const fresh = await eventually(async () => {
    const res = await read(stack, `/v1/events/${EVENT}/leaderboard`);
    return res.body.event_version === 2 && !res.headers.get('x-olympic-stale') ? res : null;
  });
  assert.ok(fresh, 'back to the object');
});
