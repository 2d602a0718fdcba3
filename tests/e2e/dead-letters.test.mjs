// Dead letters, end to end on the local stack: the analytics consumer's table is taken away (the stack
// stopped, the table renamed, the stack started again), so every change it receives fails. It retries,
// then gives each up to the dead-letters Queue with its error; the archive flows on meanwhile. After the
// fix an operator lists the dead letters and replays them: each change is then recorded exactly once,
// and a second replay sends nothing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack, queryLocalD1 } from '../../scripts/lib/stack.mjs';
import { OPERATOR } from '../../scripts/lib/access-keys.mjs';
import { ingest, eventually, signToken, readLocalR2, downhillDefinition, downhillResults } from './harness.mjs';

const EVENT = 'ALPMDEADLETTER';
const stateDir = mkdtempSync(join(tmpdir(), 'olympic-dead-letters-'));
// Consumers give up after 4 s of retries instead of 30 minutes.
const quickly = { DEAD_LETTER_AFTER_SECONDS: '4' };
const options = () => ({ stateDir, workerVars: { 'analytics-consumer': quickly, 'archiver-consumer': quickly } });
let stack;
after(async () => {
  await stack?.stop();
  if (process.env.KEEP_STATE !== '1') rmSync(stateDir, { recursive: true, force: true });
  else console.log(`state kept in ${stateDir}`);
});

const operator = { token: signToken({ claims: { common_name: OPERATOR } }) };
const admin = (method, path, body) => ingest(stack, method, `/v1/admin${path}`, body, operator);

/// Runs `sql` on the analytics database with the stack stopped (wrangler's CLI and a running stack must
/// not share the database file).
async function whileStopped(sql) {
  await stack.stop();
  queryLocalD1(stateDir, sql);
  stack = await startStack(options());
}

const recorded = () => queryLocalD1(stateDir, `SELECT event_version FROM changes WHERE event = '${EVENT}' ORDER BY event_version`)
  .map((row) => row.event_version);

test('a change the analytics store cannot take is dead-lettered, then replayed exactly once', async () => {
  stack = await startStack(options());
  await whileStopped('ALTER TABLE changes RENAME TO changes_away');

  assert.equal((await ingest(stack, 'PUT', `/v1/ingest/events/${EVENT}`, downhillDefinition(EVENT))).status, 201);
  for (let version = 1; version <= 2; version += 1) {
    const res = await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/results`, downhillResults({ version, finished: version + 2 }));
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }

  // Retried, then given up on: three changes (the definition and two results) in the dead letters.
  const letters = await eventually(async () => {
    const res = await admin('GET', '/dead-letters');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const mine = res.body.dead_letters.filter((d) => d.event === EVENT && d.queue === 'olympic-analytics');
    return mine.length === 3 ? mine : null;
  }, { timeoutMs: 60_000, intervalMs: 1000 });
  assert.ok(letters, 'the failing changes reached the dead letters');
  assert.deepEqual(letters.map((d) => d.event_version).sort(), [0, 1, 2]);
  for (const letter of letters) {
    assert.match(letter.error, /changes/, 'the error names what failed');
    assert.equal(letter.replayed_at_ms, null);
    assert.ok(letter.request_id, 'the request that made the change, to find its logs');
  }
  // The rest flowed on: the archiver, on its own Queue, archived every change.
  await stack.stop();
  for (const version of [0, 1, 2]) {
    const key = `events/${EVENT}/changes/${String(version).padStart(12, '0')}.json`;
    assert.notEqual(readLocalR2(stateDir, key), null, `${key} archived`);
  }

  // The fix: the table is back.
  queryLocalD1(stateDir, 'ALTER TABLE changes_away RENAME TO changes');
  stack = await startStack(options());
  const stats = (await admin('GET', '/stats')).body;
  assert.equal(stats.dead_letters.pending, 3);

  const replay = await admin('POST', '/dead-letters/replay', { ids: [] });
  assert.equal(replay.status, 200, JSON.stringify(replay.body));
  assert.deepEqual(replay.body.replayed.length, 3);
  // Recorded: each change once in its minute (the stats read the same D1 the consumer writes).
  const counted = async () => (await admin('GET', '/stats')).body.updates
    .filter((u) => u.event === EVENT).reduce((sum, u) => sum + u.count, 0);
  assert.equal(await eventually(async () => (await counted()) === 3, { timeoutMs: 30_000, intervalMs: 1000 }), true);

  // Replaying again sends nothing, and naming a replayed letter sends nothing either.
  assert.deepEqual((await admin('POST', '/dead-letters/replay', { ids: [] })).body.replayed, []);
  assert.deepEqual((await admin('POST', '/dead-letters/replay', { ids: [letters[0].id] })).body.replayed, []);
  const listed = (await admin('GET', '/dead-letters')).body.dead_letters.filter((d) => d.event === EVENT);
  assert.ok(listed.every((d) => d.replayed_at_ms > 0));
  assert.equal((await admin('GET', '/stats')).body.dead_letters.pending, 0);
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal(await counted(), 3, 'nothing more arrived');

  // The rows themselves, read with the stack stopped.
  await stack.stop();
  assert.deepEqual(recorded(), [0, 1, 2]);
  stack = await startStack(options());
});

test('a replay request that is not what the API takes is refused and changes nothing', async () => {
  const bad = await admin('POST', '/dead-letters/replay', { ids: ['one'] });
  assert.equal(bad.status, 400);
  assert.match(bad.body.field ?? '', /ids/);
  const unknown = await admin('POST', '/dead-letters/replay', { everything: true });
  assert.equal(unknown.status, 400);
  const feed = await ingest(stack, 'POST', '/v1/admin/dead-letters/replay', { ids: [] });
  assert.equal(feed.status, 403);
});
