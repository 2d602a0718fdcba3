// The fan-out tier: past the direct-viewer limit, an event object sends new viewers to relay objects;
// every viewer, direct or relayed, gets the snapshot and every update, in order, ending on the latest.
// The limit is lowered to 10 here so that 40 viewers exercise the relays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { useStack, ingest, downhillDefinition, downhillResults } from './harness.mjs';

const DIRECT = 10;
const stack = useStack({ readVars: { LIVE_DIRECT_VIEWERS: String(DIRECT) } });
const EVENT = 'ALPMSLALOM';

function viewer(query = '') {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${stack.readUrl.replace('http', 'ws')}/v1/events/${EVENT}/live${query}`);
    const messages = [];
    socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
    socket.once('open', () => resolve({ socket, messages }));
    socket.once('error', reject);
  });
}

async function until(predicate, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !predicate()) await new Promise((r) => setTimeout(r, 20));
  return predicate();
}

async function post(version, finished, status) {
  const res = await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/results`, downhillResults({ version, finished, status }));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.event_version;
}

test('40 viewers, 10 direct and 30 through relays, all end on the final state in order', { timeout: 120_000 }, async () => {
  assert.equal((await ingest(stack, 'PUT', `/v1/ingest/events/${EVENT}`, downhillDefinition(EVENT))).status, 201);
  const first = await post(1, 1);
  const viewers = [];
  for (let i = 0; i < 40; i += 1) viewers.push(await viewer());
  assert.ok(await until(() => viewers.every((v) => v.messages.length >= 1)), 'every viewer got a greeting');
  for (const v of viewers) assert.deepEqual([v.messages[0].type, v.messages[0].version], ['snapshot', first]);
  const relayed = viewers.filter((v) => v.messages[0].relay !== undefined);
  assert.equal(relayed.length, 30, 'viewers past the limit are relayed');
  assert.equal(new Set(relayed.map((v) => v.messages[0].relay)).size, 16, 'spread over every shard');

  let last;
  for (let finished = 2; finished <= 10; finished += 1) {
    last = await post(finished, finished, finished === 10 ? 'OFFICIAL' : 'LIVE');
    await new Promise((r) => setTimeout(r, 60));
  }
  assert.ok(await until(() => viewers.every((v) => v.messages.at(-1).version === last)), 'every viewer holds the final version');
  for (const v of viewers) {
    const versions = v.messages.map((m) => m.version);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b));
    assert.equal(v.messages.at(-1).leaderboard.status, 'OFFICIAL');
  }

  // A relayed viewer reconnecting with the latest version is told it is current.
  const again = await viewer(`?since=${last}`);
  assert.ok(await until(() => again.messages.length >= 1));
  assert.deepEqual([again.messages[0].type, again.messages[0].version], ['current', last]);
  assert.notEqual(again.messages[0].relay, undefined, 'the event object is still full, so a relay answers');
  for (const v of [...viewers, again]) v.socket.close();
});
