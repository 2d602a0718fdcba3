// The fan-out tier: past the direct-viewer limit, an event object sends new viewers to relay objects;
// every viewer, direct or relayed, gets the snapshot and every update, in order, ending on the latest.
// The limit is lowered to 10 viewers per object and the tree to 4 children per object here, so that 40
// viewers exercise the relays (the tree's deeper levels: relay-tree.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { useStack, ingest, read, eventually, livePage, downhillDefinition, downhillResults } from './harness.mjs';

const DIRECT = 10;
const FANOUT = 4;
const stack = useStack({ readVars: { LIVE_DIRECT_VIEWERS: String(DIRECT), LIVE_RELAY_FANOUT: String(FANOUT) } });
const EVENT = 'ALPMSLALOM';

function viewer(query = '') {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${stack.readUrl.replace('http', 'ws')}/v1/events/${EVENT}/live${query}`);
    const messages = [];
    const seen = { socket, messages, page: null };
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      messages.push(message);
      seen.page = livePage(seen.page, message);
    });
    socket.once('open', () => resolve(seen));
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
  assert.deepEqual([...new Set(relayed.map((v) => v.messages[0].relay))].sort(), [0, 1, 2, 3], 'spread over every first-level relay');

  let last;
  for (let finished = 2; finished <= 10; finished += 1) {
    last = await post(finished, finished, finished === 10 ? 'OFFICIAL' : 'LIVE');
    await new Promise((r) => setTimeout(r, 60));
  }
  assert.ok(await until(() => viewers.every((v) => v.messages.at(-1).version === last)), 'every viewer holds the final version');
  for (const v of viewers) {
    const versions = v.messages.map((m) => m.version);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b));
    assert.equal(v.page.status, 'OFFICIAL');
    assert.equal(v.page.event_version, last);
  }

  // A relayed viewer reconnecting with the latest version is told it is current.
  const again = await viewer(`?since=${last}`);
  assert.ok(await until(() => again.messages.length >= 1));
  assert.deepEqual([again.messages[0].type, again.messages[0].version], ['current', last]);
  assert.notEqual(again.messages[0].relay, undefined, 'the event object is still full, so a relay answers');
  for (const v of [...viewers, again]) v.socket.close();
});

test('the live medal table uses the same tier: 25 viewers, 10 direct and 15 relayed, all get each medal change', { timeout: 120_000 }, async () => {
  const medalViewer = () => new Promise((resolve, reject) => {
    const socket = new WebSocket(`${stack.readUrl.replace('http', 'ws')}/v1/live/medals`);
    const messages = [];
    socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
    socket.once('open', () => resolve({ socket, messages }));
    socket.once('error', reject);
  });
  // The previous test's OFFICIAL slalom reaches the standings object through the outbox: let it land
  // first, so the only medal change below is this test's own.
  assert.ok(await eventually(async () => ((await read(stack, '/v1/medals')).body.totals?.gold >= 1 ? true : null)));
  const viewers = [];
  for (let i = 0; i < 25; i += 1) viewers.push(await medalViewer());
  assert.ok(await until(() => viewers.every((v) => v.messages.length >= 1)), 'every medal viewer got a greeting');
  // The previous test's OFFICIAL result may still be on its way to the standings object, so greetings
  // can differ by a version; each is a snapshot, and the change below is newer than all of them.
  for (const v of viewers) assert.equal(v.messages[0].type, 'snapshot');
  const before = Math.max(...viewers.map((v) => v.messages[0].version));
  const relayed = viewers.filter((v) => v.messages[0].relay !== undefined);
  assert.equal(relayed.length, 15, 'medal viewers past the limit are relayed');

  // A new event's OFFICIAL result awards medals: the standings object hears of it and pushes the table.
  const event = 'ALPWSLALOM';
  assert.equal((await ingest(stack, 'PUT', `/v1/ingest/events/${event}`, downhillDefinition(event))).status, 201);
  const res = await ingest(stack, 'POST', `/v1/ingest/events/${event}/results`, downhillResults({ version: 1, finished: 10, status: 'OFFICIAL' }));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const latest = () => Math.max(...viewers.map((v) => v.messages.at(-1).version));
  assert.ok(await until(() => latest() > before && viewers.every((v) => v.messages.at(-1).version === latest() && v.messages.at(-1).table)), 'every medal viewer holds the new table');
  assert.equal(latest(), before + 1, 'one medal change, one new version (defining the event changed no table)');
  const tables = new Set(viewers.map((v) => JSON.stringify(v.messages.at(-1).table.totals)));
  const seen = viewers.map((v) => `${v.messages[0].relay ?? 'direct'}:${v.messages.map((m) => `${m.type[0]}${m.version}`).join(',')}`);
  assert.equal(tables.size, 1, `direct and relayed viewers hold the same table: ${[...tables].join(' | ')}\n${seen.join('\n')}`);
  assert.ok(JSON.parse([...tables][0]).gold >= 1);

  const current = await new Promise((resolve, reject) => {
    const socket = new WebSocket(`${stack.readUrl.replace('http', 'ws')}/v1/live/medals?since=${latest()}`);
    socket.once('message', (data) => { resolve(JSON.parse(data.toString())); socket.close(); });
    socket.once('error', reject);
  });
  assert.deepEqual([current.type, current.version, current.table], ['current', latest(), null]);
  assert.notEqual(current.relay, undefined, 'the standings object is full, so a relay answers');
  for (const v of viewers) v.socket.close();
});

test('a full relay passes a viewer on to one with room; when all are full, the viewer gets a 503 problem', { timeout: 120_000 }, async () => {
  // Each object holds at most DIRECT viewers here: 10 on the event object and 10 on each of its 4 relays
  // and their 16 children.
  const capacity = DIRECT * (1 + FANOUT + FANOUT * FANOUT);
  const viewers = [];
  for (let i = 0; i < capacity; i += 1) viewers.push(await viewer());
  assert.ok(await until(() => viewers.every((v) => v.messages.length >= 1)), 'every viewer up to the capacity got a greeting');
  const refused = await new Promise((resolve) => {
    const socket = new WebSocket(`${stack.readUrl.replace('http', 'ws')}/v1/events/${EVENT}/live`);
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], body }));
    });
    socket.once('open', () => { socket.close(); resolve({ status: 101 }); });
    socket.once('error', () => {});
  });
  assert.equal(refused.status, 503, JSON.stringify(refused));
  assert.match(refused.type, /application\/problem\+json/);

  // Viewers leave one first-level relay. The event object learns how full each relay is from its answer
  // to the next publication; from then on newcomers are sent to that room.
  const shard = viewers.find((v) => v.messages[0].relay !== undefined).messages[0].relay;
  const leaving = viewers.filter((v) => v.messages[0].relay === shard).slice(0, 3);
  await Promise.all(leaving.map((v) => new Promise((r) => { v.socket.once('close', r); v.socket.close(); })));
  const staying = viewers.filter((v) => !leaving.includes(v));
  const correction = await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/results`, downhillResults({ version: 11, finished: 10, round: 1, status: 'OFFICIAL' }));
  assert.equal(correction.status, 201, JSON.stringify(correction.body));
  const update = correction.body.event_version;
  assert.ok(await until(() => staying.every((v) => v.messages.at(-1).version === update)), 'every viewer left holds the update');
  const newcomers = [];
  for (let i = 0; i < 3; i += 1) newcomers.push(await viewer());
  assert.ok(await until(() => newcomers.every((v) => v.messages.length >= 1)));
  assert.deepEqual(newcomers.map((v) => v.messages[0].relay), [shard, shard, shard]);
  for (const v of [...viewers, ...newcomers]) v.socket.close();
});
