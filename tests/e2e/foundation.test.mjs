// The path through all five Workers: an authenticated result reaches the event object, the read API,
// the R2 archive and the D1 analytics table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useStack, ingest, read, eventually, queryLocalD1, readLocalR2, downhillDefinition, downhillResults } from './harness.mjs';
import { ensureSim, startSim } from '../../scripts/lib/sim.mjs';

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

test('the simulated Games of ./scripts/dev picks up again after a restart, past OFFICIAL results', { timeout: 600_000 }, async () => {
  // ./scripts/dev keeps its state and the Games' progress between runs: a restarted simulator must
  // continue where it stopped, with nothing refused.
  ensureSim();
  const dir = mkdtempSync(join(tmpdir(), 'olympic-sim-restart-'));
  const progress = join(dir, 'progress.json');
  const summary = join(dir, 'summary.json');
  const runUntilMedals = async () => {
    const lines = [];
    const sim = startSim({
      ingestUrl: stack.ingestUrl,
      args: ['--profile', 'short', '--speed', '5000', '--progress', progress, '--summary-json', summary],
      onLine: (line) => {
        lines.push(line);
        // Stop once an event's medals are acknowledged: its medal unit is OFFICIAL.
        if (line.startsWith('medals, ')) sim.child.kill('SIGINT');
      },
    });
    const code = await sim.exited;
    return { code, lines, summary: JSON.parse(readFileSync(summary, 'utf8')) };
  };
  try {
    const first = await runUntilMedals();
    assert.equal(first.code, 130, first.lines.join('\n'));
    assert.ok(first.lines.some((line) => line.startsWith('medals, ')), first.lines.join('\n'));
    assert.equal(first.summary.run.refused, 0, first.lines.join('\n'));
    assert.ok(first.summary.run.applied > 0);
    const second = await runUntilMedals();
    assert.ok(second.lines.some((line) => line.startsWith(`resuming at message ${first.summary.messages_done} `)), second.lines.join('\n'));
    assert.equal(second.summary.run.refused, 0, second.lines.join('\n'));
    assert.equal(second.summary.run.duplicate, 0, 'nothing acknowledged is sent again');
    assert.ok(second.summary.run.applied > 0 && second.summary.messages_done > first.summary.messages_done);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
