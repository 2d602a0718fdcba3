// Live updates over WebSockets: snapshot on connect, pushed changes, reconnect with a version, viewers
// who talk are closed, and many viewers all end on the final state with versions in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { useStack, ingest, read, livePage, downhillDefinition, downhillResults } from './harness.mjs';

const stack = useStack();
const EVENT = 'ALPXTEAMPARALLEL';
const liveUrl = (query = '') => `${stack.readUrl.replace('http', 'ws')}/v1/events/${EVENT}/live${query}`;

/// A viewer that records every message it gets.
function viewer(query) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(liveUrl(query));
    const messages = [];
    const closed = new Promise((r) => socket.once('close', (code, reason) => r({ code, reason: reason.toString() })));
    const seen = { socket, messages, closed, page: null, bytes: 0 };
    socket.on('message', (data) => {
      const text = data.toString();
      if (text === 'pong') return;
      const message = JSON.parse(text);
      messages.push(message);
      seen.bytes += text.length;
      seen.page = livePage(seen.page, message);
    });
    socket.once('open', () => resolve(seen));
    socket.once('error', reject);
  });
}

async function until(predicate, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return predicate();
}

let currentVersion = 0;
async function post(version, finished, status) {
  const res = await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/results`, downhillResults({ version, finished, status }));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  currentVersion = res.body.event_version;
  return res.body;
}

test('set up the event', async () => {
  assert.equal((await ingest(stack, 'PUT', `/v1/ingest/events/${EVENT}`, downhillDefinition(EVENT))).status, 201);
  await post(1, 2);
});

test('a viewer gets a snapshot on connect, then each ingested change', async () => {
  const v = await viewer('');
  assert.ok(await until(() => v.messages.length >= 1));
  assert.equal(v.messages[0].type, 'snapshot');
  assert.equal(v.messages[0].version, currentVersion);
  assert.equal(v.messages[0].leaderboard.rows.filter((r) => r.rank !== null).length, 2);
  await new Promise((r) => setTimeout(r, 300)); // past the coalescing interval: the next change goes out at once
  const receipt = await post(2, 5);
  assert.ok(await until(() => v.messages.some((m) => m.version === receipt.event_version)), 'the change reached the socket');
  const update = v.messages.find((m) => m.version === receipt.event_version);
  assert.equal(update.type, 'update');
  assert.equal(update.patch.base, v.messages[0].version, 'a patch to the snapshot the viewer holds');
  assert.equal(v.page.rows.filter((r) => r.rank !== null).length, 5);
  v.socket.close();
});

test('reconnecting with the latest version gets "current"; with an older one, a fresh snapshot', async () => {
  const same = await viewer(`?since=${currentVersion}`);
  assert.ok(await until(() => same.messages.length >= 1));
  assert.deepEqual([same.messages[0].type, same.messages[0].version], ['current', currentVersion]);
  assert.equal(same.messages[0].leaderboard, undefined);
  const behind = await viewer(`?since=${currentVersion - 1}`);
  assert.ok(await until(() => behind.messages.length >= 1));
  assert.deepEqual([behind.messages[0].type, behind.messages[0].version], ['snapshot', currentVersion]);
  same.socket.close();
  behind.socket.close();
});

test('viewers only listen: pings are answered, anything else closes the socket', async () => {
  const v = await viewer('');
  // Keep-alive pings, even a burst of them, are answered (by the runtime, without waking the object).
  let pongs = 0;
  const allAnswered = new Promise((r) => v.socket.on('message', (d) => { if (d.toString() === 'pong' && ++pongs === 50) r(true); }));
  for (let i = 0; i < 50; i += 1) v.socket.send('ping');
  assert.equal(await Promise.race([allAnswered, new Promise((r) => setTimeout(() => r(false), 5000))]), true, `${pongs} of 50 pings answered`);
  v.socket.send('{"subscribe":"everything"}');
  const { code } = await v.closed;
  assert.equal(code, 1008);
  const big = await viewer('');
  big.socket.send('x'.repeat(10_000));
  assert.equal((await big.closed).code, 1009);
});

test('1,000 viewers all end on the final state, with versions only ever rising', { timeout: 180_000 }, async () => {
  const viewers = [];
  for (let batch = 0; batch < 20; batch += 1) {
    viewers.push(...(await Promise.all(Array.from({ length: 50 }, () => viewer('')))));
  }
  assert.equal(viewers.length, 1000);
  // A burst of changes, faster than the coalescing interval.
  let last;
  for (let finished = 6; finished <= 10; finished += 1) last = await post(3 + finished, finished, finished === 10 ? 'UNOFFICIAL' : 'LIVE');
  last = await post(20, 10, 'OFFICIAL');
  const finalVersion = last.event_version;
  assert.ok(await until(() => viewers.every((v) => v.messages.at(-1)?.version === finalVersion), 60_000), 'every viewer holds the final version');
  for (const v of viewers) {
    const versions = v.messages.map((m) => m.version);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), 'versions arrive in order');
    assert.equal(v.page.status, 'OFFICIAL');
  }
  for (const v of viewers) v.socket.close();
});

test('patched pages are exactly the leaderboard the read API serves, in fewer bytes than pages', async () => {
  const v = await viewer('');
  assert.ok(await until(() => v.messages.length >= 1));
  const bytesBefore = v.bytes;
  const snapshotBytes = JSON.stringify(v.messages[0]).length;
  // Times that reorder the field, a disqualification, and a correction that puts a time back.
  const results = downhillResults({ version: 200, finished: 10, round: 7 });
  const steps = [
    results,
    { ...results, version: 201, message_id: 'patch-201', entries: results.entries.map((e, i) => (i === 2 ? { ...e, mark: undefined, irm: 'DSQ' } : e)) },
    { ...results, version: 202, message_id: 'patch-202', entries: results.entries.map((e, i) => (i === 0 ? { ...e, mark: { kind: 'time', time_ms: 90_000 } } : e)) },
    { ...results, version: 203, message_id: 'patch-203' },
  ];
  let receipt;
  for (const step of steps) {
    const res = await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/results`, step);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    receipt = res.body;
    assert.ok(await until(() => v.page?.event_version === receipt.event_version), `the viewer reached ${receipt.event_version}`);
    await new Promise((r) => setTimeout(r, 60));
  }
  let page = (await read(stack, `/v1/events/${EVENT}/leaderboard?limit=100`)).body;
  for (let i = 0; page.event_version !== receipt.event_version && i < 40; i += 1) {
    await new Promise((r) => setTimeout(r, 100));
    page = (await read(stack, `/v1/events/${EVENT}/leaderboard?limit=100`)).body;
  }
  assert.deepEqual(v.page, page);
  const updates = v.messages.slice(1);
  assert.ok(updates.every((m) => m.patch && !m.leaderboard), 'every update was a patch');
  const perUpdate = (v.bytes - bytesBefore - snapshotBytes) / updates.length;
  // Every step here moves most of a 10-racer field; on a 50-racer field a finish is a tenth of the page.
  assert.ok(perUpdate < snapshotBytes, `an update averaged ${perUpdate.toFixed(0)} bytes against a ${snapshotBytes}-byte snapshot`);
  v.socket.close();
});

test('a burst of changes is folded into fewer messages, the last of them the latest state', async () => {
  const v = await viewer('');
  assert.ok(await until(() => v.messages.length >= 1));
  const before = v.messages.length;
  // 30 changes in one batch: the object applies them back to back, far faster than one per 50 ms.
  const changes = 30;
  const res = await ingest(stack, 'POST', '/v1/ingest/batch', {
    messages: Array.from({ length: changes }, (_, i) => ({
      event: EVENT,
      kind: 'results',
      message: downhillResults({ version: 1000 + i, finished: 10, status: 'OFFICIAL', round: 1 + i }),
    })),
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(new Set(res.body.results.map((r) => r.status)), new Set([201]), JSON.stringify(res.body.results.at(-1)));
  const latest = res.body.results.at(-1).body.event_version;
  assert.ok(await until(() => v.messages.at(-1)?.version === latest), 'the viewer ends on the latest version');
  const updates = v.messages.slice(before);
  assert.ok(updates.length <= (changes * 2) / 3, `${updates.length} messages for ${changes} changes`);
  v.socket.close();
});
