// The relay tree (issue 11): with the tier's two settings lowered (3 viewers per object, 3 children per
// object), 36 viewers need every level: 3 on the event object, 9 on its three first-level relays and 24 on
// relays of relays. Every viewer must get every update exactly once and in order, wherever it sits; and a
// relay whose own viewers all leave keeps forwarding to the relays below it; and after the runtime has
// evicted the idle relays (workerd evicts an object idle for 10 s; the viewers' hibernatable sockets stay
// open), the restarted relays still reach every viewer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { useStack, ingest, livePage, downhillDefinition, downhillResults } from './harness.mjs';

const PER_OBJECT = 3;
const FANOUT = 3;
const stack = useStack({ readVars: { LIVE_DIRECT_VIEWERS: String(PER_OBJECT), LIVE_RELAY_FANOUT: String(FANOUT) } });
const EVENT = 'ALPWGIANT';
// Relays are numbered level by level: the source's children are 0..FANOUT, theirs FANOUT..FANOUT + FANOUT².
const LEVEL_2_START = FANOUT;
const LEVEL_2_END = FANOUT + FANOUT * FANOUT;

function viewer() {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${stack.readUrl.replace('http', 'ws')}/v1/events/${EVENT}/live`);
    const seen = { socket, messages: [], page: null, error: null };
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      seen.messages.push(message);
      // A patch this viewer cannot apply is a defect of the tree, recorded and asserted on below.
      try { seen.page = livePage(seen.page, message); } catch (err) { seen.error ??= err.message; }
    });
    socket.once('open', () => resolve(seen));
    // A refused upgrade says why: the problem's body goes into the failure.
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => reject(new Error(`upgrade refused: ${res.statusCode} ${body}`)));
    });
    socket.once('error', reject);
  });
}

async function until(predicate, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !predicate()) await new Promise((r) => setTimeout(r, 20));
  return predicate();
}

async function post(version, finished, status = 'LIVE', round = 0) {
  const res = await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/results`, downhillResults({ version, finished, status, round }));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.event_version;
}

/// Posts one update and waits until every viewer holds it, so no update is coalesced with the next: each
/// must then reach every viewer as its own message.
async function deliver(viewers, version, finished, status, round = 0) {
  const expected = await post(version, finished, status, round);
  const reached = await until(() => viewers.every((v) => v.messages.at(-1)?.version >= expected));
  const behind = viewers.filter((v) => !(v.messages.at(-1)?.version >= expected)).map((v) => v.messages[0].relay ?? 'direct');
  assert.ok(reached, `version ${expected} did not reach the viewers on ${JSON.stringify(behind)}`);
  return expected;
}

async function closeAll(viewers) {
  await Promise.all(viewers.map((v) => new Promise((r) => { v.socket.once('close', r); v.socket.close(); })));
}

function where(v) {
  const relay = v.messages[0].relay;
  if (relay === undefined) return 'direct';
  return relay < LEVEL_2_START ? 'level 1' : 'level 2';
}

test('36 viewers over a two-level tree each get every update exactly once and in order', { timeout: 180_000 }, async () => {
  assert.equal((await ingest(stack, 'PUT', `/v1/ingest/events/${EVENT}`, downhillDefinition(EVENT))).status, 201);
  const first = await post(1, 1);
  const viewers = [];
  for (let i = 0; i < 36; i += 1) viewers.push(await viewer());
  assert.ok(await until(() => viewers.every((v) => v.messages.length >= 1)), 'every viewer got a greeting');
  for (const v of viewers) assert.deepEqual([v.messages[0].type, v.messages[0].version], ['snapshot', first]);

  // Level 1 fills before level 2, and no object holds more than its setting.
  const counts = { direct: 0, 'level 1': 0, 'level 2': 0 };
  const perRelay = new Map();
  for (const v of viewers) {
    counts[where(v)] += 1;
    const relay = v.messages[0].relay;
    if (relay !== undefined) perRelay.set(relay, (perRelay.get(relay) ?? 0) + 1);
  }
  assert.deepEqual(counts, { direct: 3, 'level 1': 9, 'level 2': 24 });
  for (const [relay, n] of perRelay) {
    assert.ok(relay < LEVEL_2_END, `relay ${relay} is outside the tree`);
    assert.ok(n <= PER_OBJECT, `relay ${relay} holds ${n} viewers`);
  }

  const sent = [first];
  for (let finished = 2; finished <= 8; finished += 1) sent.push(await deliver(viewers, finished, finished, 'LIVE'));
  for (const v of viewers) {
    assert.equal(v.error, null, `${where(v)} viewer: ${v.error}`);
    assert.deepEqual(v.messages.map((m) => m.version), sent, `${where(v)} viewer (relay ${v.messages[0].relay}): every version once, in order`);
    assert.equal(v.page.event_version, sent.at(-1));
  }
  for (const v of viewers) assert.deepStrictEqual(v.page, viewers[0].page, `${where(v)} viewer holds the direct viewers' page`);
  await closeAll(viewers);
});

test('a first-level relay whose viewers all leave keeps forwarding to the relays below it', { timeout: 180_000 }, async () => {
  // The previous test's viewers are gone (and their relays left the tree): a fresh set of 36 fills it again.
  const viewers = [];
  for (let i = 0; i < 36; i += 1) viewers.push(await viewer());
  assert.ok(await until(() => viewers.every((v) => v.messages.length >= 1)), 'every viewer got a greeting');
  const relayed = viewers.filter((v) => where(v) === 'level 2');
  assert.ok(relayed.length > 0, 'some viewers sit on relays of relays');
  // The first-level relay above the first of them: its children are (shard / FANOUT) - 1.
  const parent = Math.floor(relayed[0].messages[0].relay / FANOUT) - 1;
  const leaving = viewers.filter((v) => v.messages[0].relay === parent);
  assert.ok(leaving.length > 0, `relay ${parent} holds viewers of its own`);
  await closeAll(leaving);
  const staying = viewers.filter((v) => !leaving.includes(v));

  const before = staying.map((v) => v.messages.length);
  const version = await deliver(staying, 20, 10, 'OFFICIAL');
  staying.forEach((v, i) => {
    const got = v.messages.slice(before[i]).map((m) => m.version);
    assert.deepEqual(got, [version], `${where(v)} viewer (relay ${v.messages[0].relay}) got the update once`);
    assert.equal(v.error, null);
  });
  const below = staying.filter((v) => v.messages[0].relay >= (parent + 1) * FANOUT && v.messages[0].relay < (parent + 2) * FANOUT);
  assert.ok(below.length > 0, `viewers below relay ${parent} were checked`);
  await closeAll(staying);
});

/// How many times relay objects have started so far (each start logs one line in the public process's log).
function relayStarts() {
  const log = readFileSync(join(stack.stateDir, 'public.log'), 'utf8');
  return log.split('\n').filter((line) => line.includes('"relay: started"')).length;
}

test('relays evicted while idle start again and still deliver every update once, in order', { timeout: 180_000 }, async () => {
  const viewers = [];
  for (let i = 0; i < 36; i += 1) viewers.push(await viewer());
  assert.ok(await until(() => viewers.every((v) => v.messages.length >= 1)), 'every viewer got a greeting');
  assert.ok(viewers.some((v) => where(v) === 'level 2'), 'some viewers sit on relays of relays');
  // New times (another round) each time: every message changes the page.
  const sent = [await deliver(viewers, 30, 10, 'OFFICIAL', 1)];

  // Idle past the runtime's eviction (10 s locally): each relay forgets everything but its storage.
  const startsBefore = relayStarts();
  await new Promise((r) => setTimeout(r, 25_000));
  const counts = viewers.map((v) => v.messages.length);
  for (const round of [2, 3]) sent.push(await deliver(viewers, 30 + round, 10, 'OFFICIAL', round));
  assert.ok(relayStarts() > startsBefore, 'the relays were evicted and started again');
  viewers.forEach((v, i) => {
    assert.equal(v.error, null, `${where(v)} viewer: ${v.error}`);
    assert.deepEqual(v.messages.slice(counts[i]).map((m) => m.version), sent.slice(1), `${where(v)} viewer (relay ${v.messages[0].relay}) got each update once, in order, after the restart`);
    assert.equal(v.messages[counts[i] - 1].version, sent[0], 'the last message before the idle spell');
  });
  for (const v of viewers) assert.deepStrictEqual(v.page, viewers[0].page);
  await closeAll(viewers);
});
