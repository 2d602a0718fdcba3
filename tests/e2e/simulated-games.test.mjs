// The simulated Games (crates/sim) through the real stack: the short profile (a few events of every
// format) is stopped with Ctrl-C part-way, resumed from its progress file, and must end exactly as the
// simulator computed in-process: the same medal table, the same medals and event versions per event
// (so nothing was applied twice or lost), the hockey bracket, the correction's note, and the medals
// moved by the late disqualification, all read back through the public read API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useStack, ingest, read, eventually, signToken } from './harness.mjs';
import { ensureSim, startSim } from '../../scripts/lib/sim.mjs';

const stack = useStack();
const dir = mkdtempSync(join(tmpdir(), 'olympic-sim-e2e-'));
const files = { progress: join(dir, 'progress.json'), expect: join(dir, 'expect.json'), summary: join(dir, 'summary.json') };
const json = (path) => JSON.parse(readFileSync(path, 'utf8'));
// About 20 seconds of wall time for the short Games, so it can be stopped part-way.
const SPEED = '10000';

before(() => ensureSim());
after(() => rmSync(dir, { recursive: true, force: true }));

function play({ stopAt } = {}) {
  const lines = [];
  const sim = startSim({
    ingestUrl: stack.ingestUrl,
    args: ['--profile', 'short', '--speed', SPEED, '--progress', files.progress, '--expect', files.expect, '--summary-json', files.summary],
    onLine: (line) => lines.push(line),
  });
  let poll;
  if (stopAt) {
    // Stop once the stack has acknowledged `stopAt` messages (the progress file says so).
    poll = setInterval(() => {
      try {
        if (existsSync(files.progress) && json(files.progress).next >= stopAt) {
          clearInterval(poll);
          sim.child.kill('SIGINT');
        }
      } catch {
        // written while we read it: look again
      }
    }, 50);
  }
  return sim.exited.then((code) => {
    clearInterval(poll);
    return { code, lines, summary: json(files.summary) };
  });
}

let expected;
let runs;

test('a Games stopped part-way resumes from its progress file and finishes with nothing refused or sent twice', { timeout: 600_000 }, async () => {
  const first = await play({ stopAt: 300 });
  const log = (run) => run.lines.join('\n');
  assert.equal(first.code, 130, log(first));
  assert.equal(first.summary.finished, false);
  assert.ok(first.summary.messages_done >= 300, log(first));
  expected = json(files.expect);
  assert.ok(first.summary.messages_done < expected.messages, 'stopped before the end');

  const second = await play();
  assert.equal(second.code, 0, log(second));
  assert.ok(second.lines.some((line) => line === `resuming at message ${first.summary.messages_done} of ${expected.messages}` || line.startsWith(`resuming at message ${first.summary.messages_done} of`)), log(second));
  assert.equal(second.summary.finished, true);
  assert.equal(second.summary.messages_done, expected.messages);
  for (const run of [first, second]) {
    assert.equal(run.summary.run.refused, 0, log(run));
    assert.equal(run.summary.run.stale, 0, log(run));
    assert.equal(run.summary.run.duplicate, 0, `${log(run)}\nnothing acknowledged is sent again`);
  }
  // Every message of the timeline was applied exactly once, over the two runs.
  assert.equal(second.summary.games.applied, expected.applied + 10, 'results and games, plus the 10 definitions');
  assert.equal(second.summary.games.sent, expected.messages);
  runs = { first, second };
});

test('the read API shows the medal table the simulator expected', async () => {
  assert.ok(runs, 'the Games was played');
  const table = await eventually(async () => {
    const res = await read(stack, '/v1/medals?limit=500');
    return res.body.totals?.total === expected.medal_table.totals.total ? res.body : null;
  }, { timeoutMs: 30_000 });
  assert.ok(table, 'the medal table caught up');
  const rows = (list) => list.map(({ rank, rank_equal, noc, gold, silver, bronze, total }) => ({ rank, rank_equal, noc, gold, silver, bronze, total }));
  assert.deepEqual(rows(table.rows), rows(expected.medal_table.rows));
  assert.deepEqual(table.totals, expected.medal_table.totals);
});

test('every event holds the expected version and medals', async () => {
  for (const [code, event] of Object.entries(expected.events)) {
    const res = await read(stack, `/v1/events/${code}`);
    assert.equal(res.status, 200, code);
    assert.equal(res.body.version, event.event_version, `${code}: one version per message, none applied twice`);
    assert.deepEqual(res.body.medals.map((m) => [m.medal, m.competitor, m.noc]), event.medals.map((m) => [m.medal, m.competitor, m.noc]), code);
  }
});

const feature = (kind) => {
  const found = expected.features.find((f) => f.kind === kind);
  assert.ok(found, kind);
  return found;
};

async function leaderboard(event, unit) {
  const res = await read(stack, `/v1/events/${event}/leaderboard?unit=${unit}&limit=500`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

test('the hockey gold medal game holds the two semi-final winners', async () => {
  const bracket = expected.features.find((f) => f.kind === 'bracket' && f.event === 'IHOWTOURNAMENT');
  assert.ok(bracket);
  const winners = [];
  for (const unit of bracket.semifinals) {
    const board = await leaderboard(bracket.event, unit);
    assert.equal(board.status, 'OFFICIAL');
    winners.push(board.rows.find((r) => r.rank === 1).competitor);
  }
  const gold = await leaderboard(bracket.event, bracket.gold);
  assert.deepEqual(gold.rows.map((r) => r.competitor).sort(), winners.sort());
  const summary = (await read(stack, `/v1/events/${bracket.event}`)).body;
  const finalists = summary.medals.filter((m) => m.medal !== 'BRONZE').map((m) => m.competitor).sort();
  assert.deepEqual(finalists, winners.sort(), 'gold and silver go to the finalists');
});

test('the corrected result carries its note in the audit trail', async () => {
  const correction = feature('correction');
  const res = await ingest(stack, 'GET', `/v1/ingest/events/${correction.event}/audit?limit=1000`, undefined, { token: signToken() });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const entry = res.body.entries.find((e) => e.note === correction.note);
  assert.ok(entry, 'the note is in the audit trail');
  assert.equal(entry.correction, true);
  assert.equal(entry.status, 'OFFICIAL');
  assert.equal(entry.feed, 'service:sim-feed.access');
});

test('the disqualification after OFFICIAL moved the medals', async () => {
  const dsq = feature('late_disqualification');
  const summary = (await read(stack, `/v1/events/${dsq.event}`)).body;
  assert.deepEqual(summary.medals.map((m) => [m.medal, m.competitor]), dsq.after);
  assert.notDeepEqual(dsq.before, dsq.after);
  assert.ok(!summary.medals.some((m) => m.competitor === dsq.competitor), 'the disqualified athlete has no medal');
  const board = await leaderboard(dsq.event, dsq.unit);
  const row = board.rows.find((r) => r.competitor === dsq.competitor);
  assert.equal(row.irm, 'DSQ');
  assert.equal(board.rows.find((r) => r.medal === 'GOLD').competitor, dsq.after.find(([medal]) => medal === 'GOLD')[1]);
});

test('two racers share silver and nobody gets bronze', async () => {
  const tie = feature('tie_at_medal');
  const board = await leaderboard(tie.event, tie.unit);
  const silver = board.rows.filter((r) => r.medal === 'SILVER');
  assert.deepEqual(silver.map((r) => r.competitor).sort(), [...tie.competitors].sort());
  assert.ok(silver.every((r) => r.rank === 2 && r.rank_equal));
  assert.equal(board.rows.filter((r) => r.medal === 'BRONZE').length, 0);
});
