// Rebuild from the archive: the objects' storage is wiped (every event object and the standings, as a
// lost account region would leave it), then an operator rebuilds everything from the R2 archive alone,
// and the leaderboards, event versions, audit trails, medals and medal table are as they were. Also one
// event rebuilt in place while it is healthy, and an archive that is behind refused.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack } from '../../scripts/lib/stack.mjs';
import { OPERATOR } from '../../scripts/lib/access-keys.mjs';
import { ingest, read, eventually, signToken, downhillDefinition, downhillResults } from './harness.mjs';

const stateDir = mkdtempSync(join(tmpdir(), 'olympic-rebuild-'));
let stack;
after(async () => {
  await stack?.stop();
  if (process.env.KEEP_STATE !== '1') rmSync(stateDir, { recursive: true, force: true });
});

const EVENTS = ['ALPMREBUILD', 'ALPWREBUILD'];
const operator = { token: signToken({ claims: { common_name: OPERATOR } }) };

/// Everything a reader and an auditor can see of the Games. Read API answers are cached (30 s once
/// OFFICIAL), so each snapshot asks for pages by a URL no earlier one used; the versions and the audit
/// trail come from the ingest API, which is always consistent.
let snapshots = 0;
let reads = 0;
async function snapshot() {
  snapshots += 1;
  const limit = 100 - snapshots;
  const out = { medals: (await read(stack, `/v1/medals?limit=${limit}`)).body.rows };
  for (const event of EVENTS) {
    const rows = (await read(stack, `/v1/events/${event}/leaderboard?limit=${limit}`)).body.rows;
    out[event] = {
      version: (await ingest(stack, 'GET', `/v1/ingest/events/${event}`)).body.version,
      leaderboard: rows,
      medals: rows.filter((r) => r.medal).map((r) => [r.medal, r.competitor]),
      audit: (await ingest(stack, 'GET', `/v1/ingest/events/${event}/audit?limit=1000`)).body.entries,
    };
  }
  return out;
}

/// Waits until the medal table holds every event's medals (the standings hear through the outbox).
async function settled() {
  const medals = async () => {
    let count = 0;
    for (const event of EVENTS) {
      const rows = (await read(stack, `/v1/events/${event}/leaderboard?limit=${100 - snapshots}&around=ODERMATT`)).body.rows ?? [];
      count += rows.filter((r) => r.medal).length;
    }
    return count;
  };
  snapshots += 1;
  const expected = await medals();
  assert.ok(expected > 0);
  assert.ok(await eventually(async () => {
    reads += 1; // a URL no earlier read used, so no cache answers it
    return (await read(stack, `/v1/medals?limit=${500 - (reads % 390)}`)).body.totals?.total === expected;
  }), 'the medal table caught up');
}

/// Rebuilds one event in place; an archive the Queue has not caught up with yet is refused (409).
const rebuild = (event) => ingest(stack, 'POST', `/v1/admin/events/${event}/rebuild`, undefined, operator);

/// Waits until the archive holds all of `event` (the archiver works from the Queue, a moment behind): a
/// rebuild in place then succeeds, and changes nothing.
async function archived(event) {
  const done = await eventually(async () => {
    const res = await rebuild(event);
    assert.ok([200, 409].includes(res.status), JSON.stringify(res.body));
    return res.status === 200 ? res.body : null;
  }, { timeoutMs: 30_000 });
  assert.ok(done, `the archive of ${event} caught up`);
  return done;
}

let before;
test('a Games with corrections and a disqualification, archived', async () => {
  stack = await startStack({ stateDir });
  for (const [n, event] of EVENTS.entries()) {
    assert.equal((await ingest(stack, 'PUT', `/v1/ingest/events/${event}`, downhillDefinition(event))).status, 201);
    let version = 0;
    for (const finished of [2, 5, 10]) {
      version += 1;
      assert.equal((await ingest(stack, 'POST', `/v1/ingest/events/${event}/results`, downhillResults({ version, finished, round: n }))).status, 201);
    }
    version += 1;
    assert.equal((await ingest(stack, 'POST', `/v1/ingest/events/${event}/results`, downhillResults({ version, finished: 10, round: n, status: 'OFFICIAL' }))).status, 201);
    // A correction after OFFICIAL: the third place disqualified.
    const corrected = downhillResults({ version: version + 1, finished: 10, round: n, status: 'OFFICIAL' });
    const podium = (await read(stack, `/v1/events/${event}/leaderboard?limit=3`)).body.rows.map((r) => r.competitor);
    const third = corrected.entries.find((e) => e.competitor === podium[2]);
    delete third.mark;
    third.irm = 'DSQ';
    corrected.note = 'Disqualified after the race (equipment)';
    const dsq = await ingest(stack, 'POST', `/v1/ingest/events/${event}/results`, corrected);
    assert.equal(dsq.status, 201, JSON.stringify(dsq.body));
  }
  for (const event of EVENTS) assert.deepEqual(await archived(event), { event, event_version: 5, changes: 6 });
  await settled();
  before = await snapshot();
  assert.equal(before.ALPMREBUILD.version, 5);
  assert.ok(before.ALPMREBUILD.audit.some((a) => a.note === 'Disqualified after the race (equipment)'));
  assert.ok(before.medals.length > 0);
});

test('an archive behind the object is refused and changes nothing; a complete one rebuilds in place', async () => {
  // The rebuilds in place above changed nothing.
  assert.deepEqual(await snapshot(), before);
  // A new change not archived yet: an archive that does not reach it is behind. Stop the consumers'
  // process from seeing it by asking at once, before the Queue delivers (it may already have: then the
  // rebuild simply succeeds at the new version; both are right, and nothing is lost either way).
  const extra = await ingest(stack, 'POST', '/v1/ingest/events/ALPWREBUILD/results',
    { ...downhillResults({ version: 9, finished: 10, round: 1, status: 'OFFICIAL' }), note: 'Times re-read from the backup clock' });
  assert.equal(extra.status, 201, JSON.stringify(extra.body));
  const racing = await rebuild('ALPWREBUILD');
  assert.ok([200, 409].includes(racing.status), JSON.stringify(racing.body));
  if (racing.status === 409) {
    assert.equal(racing.body.type, 'https://olympic-live.dev/problems/archive-incomplete');
    assert.match(racing.body.detail, /ends at event version 5; the event is at 6/);
  }
  const kept = await ingest(stack, 'GET', '/v1/ingest/events/ALPWREBUILD');
  assert.equal(kept.body.version, 6, 'nothing was lost');
  assert.equal((await archived('ALPWREBUILD')).event_version, 6);
  await settled();
  before = await snapshot();
  await stack.stop();
});

test('wiped objects are rebuilt from the archive alone, exactly as they were', async () => {
  // Every Durable Object's storage goes: the events and the standings.
  const objects = join(stateDir, 'v3', 'do');
  let wiped = 0;
  for (const folder of readdirSync(objects)) {
    if (!/EventRoom|Standings/.test(folder)) continue;
    rmSync(join(objects, folder), { recursive: true, force: true });
    wiped += 1;
  }
  assert.equal(wiped, 2, 'the event and standings objects were stored there');
  stack = await startStack({ stateDir });
  assert.equal((await read(stack, `/v1/events/${EVENTS[0]}`)).status, 404, 'the event is gone');
  assert.deepEqual((await read(stack, '/v1/medals')).body.rows, []);

  const feed = await ingest(stack, 'POST', '/v1/admin/rebuild');
  assert.equal(feed.status, 403, 'a feed is not an operator');
  const rebuilt = spawnSync(join(process.cwd(), 'scripts', 'rebuild'), ['--all', '--url', stack.ingestUrl], { encoding: 'utf8' });
  assert.equal(rebuilt.status, 0, rebuilt.stderr);
  assert.match(rebuilt.stdout, /ALPMREBUILD: version 5 from 6 changes/);
  assert.match(rebuilt.stdout, /ALPWREBUILD: version 6 from 7 changes/);

  // The standings refill from the rebuilt events' digests.
  await settled();
  const after = await snapshot();
  assert.deepEqual(after, before);
  // And the rebuilt events take new messages where they left off.
  const next = await ingest(stack, 'POST', `/v1/ingest/events/${EVENTS[0]}/results`,
    { ...downhillResults({ version: 99, finished: 10, status: 'OFFICIAL' }), note: 'After the rebuild' });
  assert.equal(next.status, 201, JSON.stringify(next.body));
  assert.equal(next.body.event_version, 6);
});
