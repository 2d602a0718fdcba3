// 100 feeds write concurrently to 20 events, each message sent twice: every message is applied exactly
// once, as the read API, the audit trail, the D1 analytics table and the R2 archive all agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useStack, ingest, read, eventually, signToken, queryLocalD1, readLocalR2 } from './harness.mjs';

const stack = useStack();
const EVENTS = Array.from({ length: 20 }, (_, i) => `SSKM${String.fromCharCode(65 + i)}RACE`);
const FEEDS = 100;
const UNITS = ['H1', 'H2', 'H3', 'H4', 'H5']; // five feeds per event, each owning one heat
const VERSIONS = 10;

const definition = (code) => ({
  code,
  name: `Heats ${code}`,
  format: { type: 'lowest_time', precision: 'hundredths' },
  phases: [{ code: 'HEAT', name: 'Heats', units: UNITS }],
  medal_unit: 'H1',
});

const message = (feed, unit, version) => ({
  message_id: `feed${feed}-${unit}-v${version}`,
  unit,
  version,
  status: version === VERSIONS ? 'UNOFFICIAL' : 'LIVE',
  entries: [1, 2, 3].map((n) => ({ competitor: `S${feed}X${n}`, name: `Skater ${feed}.${n}`, noc: 'NED', mark: { kind: 'time', time_ms: 35_000 + feed * 10 + n * 100 + version } })),
});

test('define 20 events', async () => {
  const answers = await Promise.all(EVENTS.map((code) => ingest(stack, 'PUT', `/v1/ingest/events/${code}`, definition(code))));
  assert.deepEqual(answers.map((a) => a.status), EVENTS.map(() => 201));
});

test('100 concurrent feeds, every message sent twice, each applied exactly once', { timeout: 300_000 }, async () => {
  const outcomes = { applied: 0, duplicate: 0, stale: 0 };
  await Promise.all(Array.from({ length: FEEDS }, async (_, feed) => {
    const token = signToken({ claims: { common_name: `feed-${feed}.access` } });
    const event = EVENTS[feed % EVENTS.length];
    const unit = UNITS[Math.floor(feed / EVENTS.length)];
    for (let version = 1; version <= VERSIONS; version += 1) {
      const body = message(feed, unit, version);
      // The second copy races the first, as a feed's retry after a timeout would.
      const pair = await Promise.all([0, 1].map(() => ingest(stack, 'POST', `/v1/ingest/events/${event}/results`, body, { token })));
      for (const res of pair) {
        assert.ok(res.status === 201 || res.status === 200, `${event} ${unit} v${version}: ${res.status} ${JSON.stringify(res.body)}`);
        outcomes[res.body.outcome] += 1;
      }
    }
  }));
  assert.equal(outcomes.applied, FEEDS * VERSIONS, 'each message applied once');
  assert.equal(outcomes.duplicate, FEEDS * VERSIONS, 'each copy acknowledged as a duplicate');
  assert.equal(outcomes.stale, 0);
});

test('each event shows 50 applied changes and every heat at its last version', async () => {
  for (const code of EVENTS) {
    const summary = await eventually(async () => {
      const res = await read(stack, `/v1/events/${code}`);
      return res.body.version === UNITS.length * VERSIONS ? res.body : null;
    });
    assert.ok(summary, `${code} reached version ${UNITS.length * VERSIONS}`);
    assert.deepEqual(summary.units.map((u) => [u.unit, u.version]), UNITS.map((u) => [u, VERSIONS]));
    const audit = await ingest(stack, 'GET', `/v1/ingest/events/${code}/audit?limit=1000`);
    const results = audit.body.entries.filter((e) => e.message_id?.startsWith('feed'));
    assert.equal(results.length, UNITS.length * VERSIONS);
    assert.equal(new Set(results.map((e) => e.message_id)).size, results.length, 'no message twice in the audit trail');
  }
});

test('the analytics table and the archive hold every change exactly once', async () => {
  const expected = EVENTS.length * (1 + UNITS.length * VERSIONS);
  const rows = await eventually(() => {
    const [row] = queryLocalD1(stack.stateDir, "SELECT count(*) AS n, count(DISTINCT event || '/' || unit || '/' || unit_version || '/' || kind) AS distinct_changes FROM changes WHERE event LIKE 'SSKM%'");
    return row && row.n === expected ? row : null;
  }, { timeoutMs: 60_000, intervalMs: 2000 });
  assert.deepEqual(rows, { n: expected, distinct_changes: expected });
  const perFeed = queryLocalD1(stack.stateDir, "SELECT feed, count(*) AS n FROM changes WHERE kind = 'results' AND event LIKE 'SSKM%' GROUP BY feed");
  assert.equal(perFeed.length, FEEDS);
  assert.ok(perFeed.every((r) => r.n === VERSIONS), 'every feed is credited with its ten messages');
  for (const [code, version] of [[EVENTS[0], 1], [EVENTS[7], 25], [EVENTS[19], 50]]) {
    const archived = await eventually(() => readLocalR2(stack.stateDir, `events/${code}/changes/${String(version).padStart(12, '0')}.json`));
    assert.ok(archived, `${code} v${version} is archived`);
    assert.match(JSON.parse(archived).message_id, /^feed\d+-H\d-v\d+$/);
  }
});
