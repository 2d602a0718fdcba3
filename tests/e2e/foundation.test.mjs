// The path through all five Workers: an authenticated result reaches the event object, the read API,
// the R2 archive and the D1 analytics table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useStack, ingest, read, eventually, queryLocalD1, readLocalR2, downhillDefinition, downhillResults } from './harness.mjs';
import { runFeed } from '../../scripts/lib/sim-feed.mjs';

const stack = useStack();
const EVENT = 'ALPWDOWNHILL';

test('both gateways answer /healthz', async () => {
  assert.equal((await read(stack, '/healthz')).status, 200);
  const res = await fetch(`${stack.ingestUrl}/healthz`);
  assert.equal(res.status, 200);
});

test('a posted result is served by the read API, archived in R2 and recorded in D1', async () => {
  const created = await ingest(stack, 'PUT', `/v1/ingest/events/${EVENT}`, downhillDefinition(EVENT));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.outcome, 'applied');

  const posted = await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/results`, downhillResults({ version: 3, finished: 4 }));
  assert.equal(posted.status, 201, JSON.stringify(posted.body));
  assert.deepEqual(
    { outcome: posted.body.outcome, unit: posted.body.unit, unit_version: posted.body.unit_version },
    { outcome: 'applied', unit: 'FNL', unit_version: 3 },
  );
  const eventVersion = posted.body.event_version;

  const board = await read(stack, `/v1/events/${EVENT}/leaderboard`);
  assert.equal(board.status, 200);
  assert.equal(board.body.event_version, eventVersion);
  assert.equal(board.body.status, 'LIVE');
  const ranked = board.body.rows.filter((r) => r.rank !== null);
  assert.equal(ranked.length, 4, 'four racers have finished');
  const expectedTimes = downhillResults({ version: 3, finished: 4 }).entries.slice(0, 4).map((e) => e.mark.time_ms).sort((a, b) => a - b);
  assert.equal(ranked[0].rank, 1);
  assert.equal(ranked[0].mark, formatTime(expectedTimes[0]), 'the fastest time leads');

  const archived = await eventually(() => readLocalR2(stack.stateDir, `events/${EVENT}/changes/${String(eventVersion).padStart(12, '0')}.json`));
  assert.ok(archived, 'the change is in the R2 archive');
  assert.equal(JSON.parse(archived).message_id, posted.body.message_id);

  const rows = await eventually(() => {
    const found = queryLocalD1(stack.stateDir, `SELECT event, event_version, kind, unit, unit_version, status, feed FROM changes WHERE event = '${EVENT}' ORDER BY event_version`);
    return found.length >= 2 ? found : null;
  });
  assert.deepEqual(rows, [
    { event: EVENT, event_version: 0, kind: 'definition', unit: '', unit_version: 0, status: '', feed: 'service:local-feed.access' },
    { event: EVENT, event_version: eventVersion, kind: 'results', unit: 'FNL', unit_version: 3, status: 'LIVE', feed: 'service:local-feed.access' },
  ]);
});

test('the simulated feed of ./scripts/dev picks up again after a restart, even past an OFFICIAL race', { timeout: 60_000 }, async () => {
  // ./scripts/dev keeps its state between runs: a restarted feed must not be refused by the race it left.
  const runUntil = async (stopWhen) => {
    const controller = new AbortController();
    const lines = [];
    const feed = runFeed({
      ingestUrl: stack.ingestUrl,
      signal: controller.signal,
      intervalMs: 5,
      log: (line) => { lines.push(line); if (stopWhen(line)) controller.abort(); },
    });
    await feed; // throws if the ingest gateway refused a message
    return lines;
  };
  const first = await runUntil((line) => line.endsWith('OFFICIAL'));
  assert.ok(first.filter((line) => line.endsWith('-> applied')).length >= 10, first.join('\n'));
  const second = await runUntil((line) => line.includes('-> '));
  assert.match(second[0], /-> applied$/);
});

test('the website is served with a content security policy', async () => {
  const res = await fetch(`${stack.readUrl}/`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/html/);
  assert.match(res.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  assert.match(await res.text(), /Olympic Live/);
});

function formatTime(ms) {
  const cs = Math.floor(ms / 10);
  const minutes = Math.floor(cs / 6000);
  const seconds = ((cs % 6000) / 100).toFixed(2).padStart(5, '0');
  return minutes > 0 ? `${minutes}:${seconds}` : seconds;
}
