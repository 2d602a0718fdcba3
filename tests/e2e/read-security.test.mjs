// The public side's abuse controls against the real local stack (issue 15): an event that was never
// defined answers 404 at the gateway and wakes no object (reads, leaderboards, live sockets); IPv6
// clients are limited per /64; socket opens are limited per client; unknown query parameters and raw
// methods are refused; 429s say when to retry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import WebSocket from 'ws';
import { useStack, ingest, read, downhillDefinition } from './harness.mjs';

const PARTNER_KEYS = {
  acme: { prefix: '/v1/partner/events/ALPW', keys: ['acme-new-key', 'acme-old-key'] },
};
const stack = useStack({ readVars: { PARTNER_KEYS: JSON.stringify(PARTNER_KEYS) } });
const EVENT = 'ALPWSLALOM';

/// Every file the local runtime keeps for event objects: one SQLite database per object that stored anything.
function eventObjectFiles() {
  const root = join(stack.stateDir, 'v3', 'do');
  if (!existsSync(root)) return [];
  const files = [];
  for (const dir of readdirSync(root).filter((d) => d.includes('EventRoom'))) {
    for (const file of readdirSync(join(root, dir))) {
      if (statSync(join(root, dir, file)).isFile()) files.push(`${dir}/${file}`);
    }
  }
  return files.sort();
}

/// Attempts a WebSocket upgrade; resolves with the status (101 when it opened) and the refusal's headers.
function upgrade(path, headers = {}) {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${stack.readUrl.replace('http', 'ws')}${path}`, { headers });
    ws.on('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
    });
    ws.on('open', () => { ws.close(); resolve({ status: 101, headers: {} }); });
    ws.on('error', () => {});
  });
}

test('an event is readable as soon as its definition is acknowledged', async () => {
  const put = await ingest(stack, 'PUT', `/v1/ingest/events/${EVENT}`, downhillDefinition(EVENT));
  assert.equal(put.status, 201, JSON.stringify(put.body));
  assert.equal((await read(stack, `/v1/events/${EVENT}`)).status, 200);
  assert.equal((await read(stack, `/v1/events/${EVENT}/leaderboard`)).status, 200);
});

test('reads and live sockets for events never defined answer 404 and leave no object behind', async () => {
  const before = eventObjectFiles();
  assert.ok(before.length >= 1, 'the defined event has its database');
  for (let i = 0; i < 20; i += 1) {
    const code = `ALPM${String.fromCharCode(65 + i)}NOSUCH`;
    for (const path of [`/v1/events/${code}`, `/v1/events/${code}/leaderboard`]) {
      const res = await read(stack, path);
      assert.equal(res.status, 404, `${path}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.type, 'https://olympic-live.dev/problems/unknown-event');
      assert.equal(res.body.field, 'event');
    }
    // A socket upgrade for it is refused the same way, before any object (or relay) is asked.
    const live = await upgrade(`/v1/events/${code}/live`);
    assert.equal(live.status, 404, live.body);
  }
  assert.deepEqual(eventObjectFiles(), before, 'no object database appeared');
});

test('unknown query parameters are refused with a 400 naming them', async () => {
  for (const path of [`/v1/events/${EVENT}?x=1`, `/v1/events/${EVENT}/leaderboard?cachebust=123`]) {
    const res = await read(stack, path);
    assert.equal(res.status, 400, `${path}: ${JSON.stringify(res.body)}`);
    assert.match(res.headers.get('content-type'), /application\/problem\+json/);
    assert.ok(res.body.field === 'x' || res.body.field === 'cachebust', JSON.stringify(res.body));
  }
});

test('unknown raw methods on read routes are 405, not read as GET', async () => {
  for (const method of ['PROPFIND', 'PURGE', 'MKCOL', 'LOCK']) {
    const res = await fetch(`${stack.readUrl}/v1/events/${EVENT}`, { method });
    assert.equal(res.status, 405, method);
    assert.match(res.headers.get('allow'), /GET/);
    await res.arrayBuffer();
  }
});

test('an IPv6 client rotating addresses within its /64 is still limited, and told when to retry', async () => {
  let limited = null;
  for (let i = 0; i < 400 && !limited; i += 1) {
    const address = `2001:db8:77:1:${(i % 65535).toString(16)}:${(i * 7 % 65535).toString(16)}::1`;
    const res = await fetch(`${stack.readUrl}/v1/events/${EVENT}`, { headers: { 'cf-connecting-ip': address } });
    if (res.status === 429) limited = res;
    else await res.arrayBuffer();
  }
  assert.ok(limited, 'a /64 rotating its low bits was never limited');
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  await limited.arrayBuffer();
  const neighbour = await fetch(`${stack.readUrl}/v1/events/${EVENT}`, { headers: { 'cf-connecting-ip': '2001:db8:77:2::1' } });
  assert.equal(neighbour.status, 200, 'another /64 is unaffected');
  await neighbour.arrayBuffer();
});

test('a client opening live sockets too fast is refused with 429 and Retry-After', async () => {
  let limited = null;
  // The budget is 30 a minute; a minute boundary inside the burst at most doubles what gets through.
  for (let i = 0; i < 61 && !limited; i += 1) {
    const res = await upgrade('/v1/events/ALPMNOSUCHLIVE/live', { 'cf-connecting-ip': '198.51.100.77' });
    if (res.status === 429) limited = res;
  }
  assert.ok(limited, 'socket opens were never limited');
  assert.ok(Number(limited.headers['retry-after']) >= 1);
});

/// A partner URL as an operator's tool would sign it.
function signedUrl(path, { partner = 'acme', key = 'acme-new-key', expires = Math.floor(Date.now() / 1000) + 300 } = {}) {
  const sig = createHmac('sha256', key).update(`${partner}\n${expires}\n${path}`).digest('hex');
  return `${path}?partner=${partner}&expires=${expires}&sig=${sig}`;
}

test('partner history is served only through a valid signed URL: expired, tampered, out of scope and retired keys are refused', async () => {
  const path = `/v1/partner/events/${EVENT}/history`;
  for (const key of ['acme-new-key', 'acme-old-key']) {
    const ok = await read(stack, signedUrl(path, { key }));
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.ok(Array.isArray(ok.body.entries) && ok.body.entries.length >= 1, JSON.stringify(ok.body));
    assert.equal(ok.headers.get('cache-control'), 'private, no-store');
  }
  const refusals = [
    [path, 'partner'],
    [signedUrl(path, { expires: Math.floor(Date.now() / 1000) - 10 }), 'expires'],
    [signedUrl(path).replace(/expires=\d+/, `expires=${Math.floor(Date.now() / 1000) + 600}`), 'sig'],
    [signedUrl(path, { key: 'a-retired-key' }), 'sig'],
    [signedUrl(path, { partner: 'nobody' }), 'partner'],
    [signedUrl('/v1/partner/events/ALPMDOWNHILL/history'), 'path'],
    [signedUrl(path, { expires: Math.floor(Date.now() / 1000) + 7 * 86400 }), 'expires'],
  ];
  for (const [url, field] of refusals) {
    const res = await read(stack, url);
    assert.equal(res.status, 403, `${url}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.type, 'https://olympic-live.dev/problems/signed-url-refused');
    assert.equal(res.body.field, field, url);
  }
  // A signed URL with an extra parameter is refused too: nothing rides along unsigned.
  assert.equal((await read(stack, `${signedUrl(path)}&limit=5`)).status, 400);
});

test('one client holds at most 20 sockets on a live source; further ones are 429, other clients are unaffected', async () => {
  const url = `${stack.readUrl.replace('http', 'ws')}/v1/events/${EVENT}/live`;
  const open = (ip) => new Promise((resolve) => {
    const ws = new WebSocket(url, { headers: { 'cf-connecting-ip': ip } });
    ws.on('open', () => resolve({ status: 101, ws }));
    ws.on('unexpected-response', (_req, res) => { res.resume(); resolve({ status: res.statusCode, headers: res.headers }); });
    ws.on('error', () => {});
  });
  const held = [];
  try {
    for (let i = 0; i < 20; i += 1) {
      const res = await open('192.0.2.200');
      assert.equal(res.status, 101, `socket ${i + 1}`);
      held.push(res.ws);
    }
    const over = await open('192.0.2.200');
    assert.equal(over.status, 429);
    assert.ok(Number(over.headers['retry-after']) >= 1);
    const other = await open('192.0.2.201');
    assert.equal(other.status, 101, 'another client is unaffected');
    held.push(other.ws);
  } finally {
    for (const ws of held) ws.close();
  }
});

test('the site runs no inline script: its CSP has no unsafe-inline and every script is a file', async () => {
  const res = await fetch(`${stack.readUrl}/`);
  const html = await res.text();
  const csp = res.headers.get('content-security-policy');
  const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src'));
  assert.ok(scriptSrc && !scriptSrc.includes("'unsafe-inline'"), csp);
  for (const tag of html.match(/<script[^>]*>/g) ?? []) assert.match(tag, /\ssrc=/, `inline script: ${tag}`);
});
