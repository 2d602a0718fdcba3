// Nothing acknowledged is lost when the runtime restarts: objects come back from storage with the same
// state, the same versions and the same duplicate detection, and keep working.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack } from '../../scripts/lib/stack.mjs';
import { ingest, read, eventually, downhillDefinition, downhillResults } from './harness.mjs';
import { definition as heatsDefinition, results as heatResults } from '../../crates/bench/js/stack-common.mjs';

const EVENT = 'ALPWSUPERG';
// An event stored as many rows (one per heat with results), each written only when its heat changes.
const HEATS_EVENT = 'ALPMBENCH07';
const HEATS = ['H01', 'H02', 'H03', 'H04', 'H05'];
const heatBoard = (unit) => `/v1/events/${HEATS_EVENT}/leaderboard?unit=${unit}&limit=100`;
const stateDir = mkdtempSync(join(tmpdir(), 'olympic-durable-'));
let stack;
after(async () => {
  await stack?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

let before;
const heatsBefore = {};
test('acknowledged changes before a restart', async () => {
  stack = await startStack({ stateDir });
  assert.equal((await ingest(stack, 'PUT', `/v1/ingest/events/${HEATS_EVENT}`, heatsDefinition(HEATS_EVENT))).status, 201);
  // Heat by heat, then the first heat again: rows written at different versions must load together.
  for (const [i, unit] of [...HEATS, HEATS[0]].entries()) {
    const res = await ingest(stack, 'POST', `/v1/ingest/events/${HEATS_EVENT}/results`, heatResults(unit, 10 + i));
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  for (const unit of HEATS) heatsBefore[unit] = (await read(stack, heatBoard(unit))).body;
  assert.equal((await ingest(stack, 'PUT', `/v1/ingest/events/${EVENT}`, downhillDefinition(EVENT))).status, 201);
  for (const [version, finished] of [[1, 3], [2, 6]]) {
    assert.equal((await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/results`, downhillResults({ version, finished }))).status, 201);
  }
  before = (await read(stack, `/v1/events/${EVENT}/leaderboard`)).body;
  assert.equal(before.unit_version, 2);
  await stack.stop();
});

test('after a restart: same state, duplicates still detected, new messages applied', async () => {
  stack = await startStack({ stateDir });
  const afterRestart = (await read(stack, `/v1/events/${EVENT}/leaderboard`)).body;
  assert.deepEqual(afterRestart, before, 'the leaderboard is exactly as acknowledged');
  for (const unit of HEATS) {
    assert.deepEqual((await read(stack, heatBoard(unit))).body, heatsBefore[unit], `heat ${unit} is exactly as acknowledged`);
  }
  const heatAgain = await ingest(stack, 'POST', `/v1/ingest/events/${HEATS_EVENT}/results`, heatResults(HEATS[1], 11));
  assert.deepEqual([heatAgain.status, heatAgain.body.outcome], [200, 'duplicate'], 'the heat rows kept their versions');
  const again = await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/results`, downhillResults({ version: 2, finished: 6 }));
  assert.deepEqual([again.status, again.body.outcome], [200, 'duplicate']);
  const next = await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/results`, downhillResults({ version: 3, finished: 9 }));
  assert.deepEqual([next.status, next.body.outcome, next.body.event_version], [201, 'applied', before.event_version + 1]);
  const board = await eventually(async () => {
    const res = await read(stack, `/v1/events/${EVENT}/leaderboard`);
    return res.body.unit_version === 3 ? res.body : null;
  });
  assert.equal(board.rows.filter((r) => r.rank !== null).length, 9);
  const listed = await eventually(async () => {
    const res = await read(stack, '/v1/events');
    return res.body.events?.some((e) => e.code === EVENT) ? res.body : null;
  });
  assert.ok(listed, 'the standings object came back too');
});
