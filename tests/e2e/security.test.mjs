// The ingest side's security controls against the real local stack (issue 15): feeds bound to their
// events, signing required per feed, IP allow-lists, client certificates, revoked feeds, per-feed rate
// limits, automatic blocks (IPv6 counted per /64), Access key rotation with overlap and emergency
// revocation, feed key rotation, Retry-After and WWW-Authenticate, body limits while streaming, raw
// methods, and key-server health in /healthz. Every refusal is a 4xx problem and changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { useStack, ingest, read, signToken, downhillDefinition, eventually } from './harness.mjs';
import { feedSignatureHeaders, localKey } from '../../scripts/lib/access-keys.mjs';

const ROTATING_NEW = 'rotating-feed-new-key-0123456789';
const ROTATING_OLD = 'rotating-feed-old-key-9876543210';
const OWNER_KEY = 'downhill-owner-key-0123456789abcdef';
const RATE_LIMIT = 12;

function newKey(kid) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  return { kid, privateKey, jwk: { kid, kty: 'RSA', alg: 'RS256', use: 'sig', n: jwk.n, e: jwk.e } };
}
// Access rotates with overlap: the current key, the next one, and one the operators revoked in an emergency.
const NEXT = newKey('next-key');
const COMPROMISED = newKey('compromised-key');

const POLICIES = {
  feeds: {
    'service:alpine.access': { events: ['ALP*'] },
    'service:downhill-owner.access': { events: ['ALPMDOWNHILL'], sign: true },
    'service:office.access': { events: ['BTH*'], ips: ['192.0.2.0/24', '2001:db8:10::/48'] },
    'service:mtls.access': { events: ['SJP*'], client_cert: true },
    'service:revoked.access': { events: ['CUR*'], revoked: true },
    'service:signless.access': { events: ['LUG*'], sign: true },
    'service:rotating.access': { events: ['SBD*'] },
    'service:limited.access': { events: ['FRS*'] },
    'service:prober.access': { events: ['STK*'] },
    'service:keys.access': { events: ['NCB*'] },
  },
};

const stack = useStack({
  ingestVars: {
    FEED_POLICIES: JSON.stringify(POLICIES),
    FEED_SIGNING_KEYS: `service:downhill-owner.access=${OWNER_KEY},service:rotating.access=${ROTATING_NEW}|${ROTATING_OLD}`,
    FEED_RATE_LIMIT: String(RATE_LIMIT),
    ACCESS_REVOKED_KIDS: COMPROMISED.kid,
    // Fetch keys again at once for an unknown kid, and keep them fresh only briefly, so rotation and an
    // outage show without waiting; production uses ttl=600,max_stale=3600,min_refetch=30.
    ACCESS_KEY_TIMINGS: 'ttl=2,max_stale=2,min_refetch=0',
  },
});

const as = (feed, extra = {}) => ({ token: signToken({ claims: { common_name: feed } }), ...extra });

function assertProblem(res, status, field) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type'), /application\/problem\+json/);
  assert.equal(res.body.status, status);
  if (field !== undefined) assert.equal(res.body.field, field, JSON.stringify(res.body));
}

async function assertNoEvent(code) {
  const res = await read(stack, `/v1/events/${code}`);
  assert.equal(res.status, 404, `${code} must not exist: ${JSON.stringify(res.body)}`);
}

test('a feed writes the events it is bound to, and no others', async () => {
  const ok = await ingest(stack, 'PUT', '/v1/ingest/events/ALPMSLALOM', downhillDefinition('ALPMSLALOM'), as('alpine.access'));
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  const other = await ingest(stack, 'PUT', '/v1/ingest/events/BTHMSPRINT', downhillDefinition('BTHMSPRINT'), as('alpine.access'));
  assertProblem(other, 403, 'event');
  assert.equal(other.body.type, 'https://olympic-live.dev/problems/feed-refused');
  await assertNoEvent('BTHMSPRINT');
});

test('an event another feed owns cannot be written under a broader grant, signed or not', async () => {
  const res = await ingest(stack, 'PUT', '/v1/ingest/events/ALPMDOWNHILL', downhillDefinition('ALPMDOWNHILL'), as('alpine.access'));
  assertProblem(res, 403, 'event');
  await assertNoEvent('ALPMDOWNHILL');
  // Its owner must sign: unsigned is refused, signed is applied.
  const body = JSON.stringify(downhillDefinition('ALPMDOWNHILL'));
  const unsigned = await ingest(stack, 'PUT', '/v1/ingest/events/ALPMDOWNHILL', undefined, as('downhill-owner.access', { raw: body }));
  assertProblem(unsigned, 401, 'x-feed-timestamp');
  assert.match(unsigned.headers.get('www-authenticate'), /^FeedSignature /);
  await assertNoEvent('ALPMDOWNHILL');
  const signed = await ingest(stack, 'PUT', '/v1/ingest/events/ALPMDOWNHILL', undefined,
    as('downhill-owner.access', { raw: body, headers: feedSignatureHeaders(body, { key: OWNER_KEY }) }));
  assert.equal(signed.status, 201, JSON.stringify(signed.body));
});

test('a batch refuses, message by message, the events the feed is not bound to', async () => {
  const res = await ingest(stack, 'POST', '/v1/ingest/batch', {
    messages: [
      { event: 'ALPMGIANT', kind: 'definition', message: downhillDefinition('ALPMGIANT') },
      { event: 'BTHMPURSUIT', kind: 'definition', message: downhillDefinition('BTHMPURSUIT') },
    ],
  }, as('alpine.access'));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.results[0].status, 201);
  assert.equal(res.body.results[1].status, 403);
  assert.equal(res.body.results[1].body.field, 'messages[1].event');
  await assertNoEvent('BTHMPURSUIT');
});

test('a feed that must sign but has no key configured is refused, not let through', async () => {
  const res = await ingest(stack, 'PUT', '/v1/ingest/events/LUGMSINGLE', downhillDefinition('LUGMSINGLE'), as('signless.access'));
  assertProblem(res, 401, 'x-feed-signature');
  await assertNoEvent('LUGMSINGLE');
});

test('a feed posts only from its allowed address ranges (CF-Connecting-IP), IPv4 and IPv6', async () => {
  const put = (code, ip) => ingest(stack, 'PUT', `/v1/ingest/events/${code}`, downhillDefinition(code),
    as('office.access', ip ? { headers: { 'cf-connecting-ip': ip } } : {}));
  assert.equal((await put('BTHMINDIV', '192.0.2.17')).status, 201);
  assert.equal((await put('BTHWINDIV', '2001:db8:10:7::42')).status, 201);
  assertProblem(await put('BTHMMASS', '198.51.100.4'), 403, 'cf-connecting-ip');
  assertProblem(await put('BTHMMASS', '2001:db8:11::1'), 403, 'cf-connecting-ip');
  assertProblem(await put('BTHMMASS'), 403, 'cf-connecting-ip');
  await assertNoEvent('BTHMMASS');
});

test('a feed that requires a client certificate is refused without one', async () => {
  const res = await ingest(stack, 'PUT', '/v1/ingest/events/SJPMNORMAL', downhillDefinition('SJPMNORMAL'), as('mtls.access'));
  assertProblem(res, 403, 'tls-client-certificate');
  await assertNoEvent('SJPMNORMAL');
});

test('a revoked feed and an unlisted feed are refused', async () => {
  assertProblem(await ingest(stack, 'PUT', '/v1/ingest/events/CURMTEAM', downhillDefinition('CURMTEAM'), as('revoked.access')), 403, 'cf-access-jwt-assertion');
  assertProblem(await ingest(stack, 'PUT', '/v1/ingest/events/CURMTEAM', downhillDefinition('CURMTEAM'), as('stranger.access')), 403, 'cf-access-jwt-assertion');
  await assertNoEvent('CURMTEAM');
});

test('feed signing keys rotate with a grace period: the new and the old key verify, any other does not', async () => {
  const body = JSON.stringify(downhillDefinition('SBDMCROSS'));
  const put = (key) => ingest(stack, 'PUT', '/v1/ingest/events/SBDMCROSS', undefined,
    as('rotating.access', { raw: body, headers: feedSignatureHeaders(body, { key }) }));
  assert.equal((await put(ROTATING_OLD)).status, 201, 'the old key during the grace period');
  assert.equal((await put(ROTATING_NEW)).status, 200, 'the new key (same definition: a no-op)');
  assertProblem(await put('a-revoked-or-guessed-key'), 401, 'x-feed-signature');
});

test('a feed over its per-feed budget gets 429 with Retry-After, and other feeds are unaffected', async () => {
  let limited;
  // At most one window boundary can fall inside the burst, so 2 × limit + 1 requests always meet the limit.
  for (let i = 0; i < 2 * RATE_LIMIT + 1 && !limited; i += 1) {
    const res = await ingest(stack, 'GET', '/v1/ingest/events/FRSMRELAY/audit', undefined, as('limited.access'));
    if (res.status === 429) limited = res;
  }
  assert.ok(limited, 'the feed was never limited');
  assertProblem(limited, 429);
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  const other = await ingest(stack, 'GET', '/v1/ingest/events/ALPMSLALOM/audit', undefined, as('alpine.access'));
  assert.equal(other.status, 200, JSON.stringify(other.body));
});

test('401s carry WWW-Authenticate', async () => {
  const res = await ingest(stack, 'GET', '/v1/ingest/events/ALPMSLALOM/audit', undefined, { token: null });
  assertProblem(res, 401, 'cf-access-jwt-assertion');
  assert.match(res.headers.get('www-authenticate'), /^CloudflareAccess realm=/);
});

test('a client that keeps failing authentication is blocked, counted per /64 for IPv6, and told when to return', async () => {
  for (let i = 1; i <= 10; i += 1) {
    // Rotating the low 64 bits of its own /64 does not make it a new client.
    const res = await ingest(stack, 'GET', '/v1/ingest/events/STKMRELAY/audit', undefined,
      { token: 'not.a.token', headers: { 'cf-connecting-ip': `2001:db8:66:1::${i.toString(16)}` } });
    assertProblem(res, 401);
  }
  const blocked = await ingest(stack, 'GET', '/v1/ingest/events/STKMRELAY/audit', undefined,
    as('prober.access', { headers: { 'cf-connecting-ip': '2001:db8:66:1:ffff::9' } }));
  assertProblem(blocked, 429);
  assert.equal(blocked.body.type, 'https://olympic-live.dev/problems/client-blocked');
  assert.ok(Number(blocked.headers.get('retry-after')) > 0);
  const elsewhere = await ingest(stack, 'GET', '/v1/ingest/events/STKMRELAY/audit', undefined,
    as('prober.access', { headers: { 'cf-connecting-ip': '2001:db8:66:2::9' } }));
  assert.equal(elsewhere.status, 404, 'another /64 is not blocked (the event does not exist)');
});

test('Access keys rotate with overlap: a new kid is fetched and accepted, the old one still works, a revoked one is refused', async () => {
  const current = localKey();
  stack.access.setJwks({ keys: [...current.jwks.keys, NEXT.jwk, COMPROMISED.jwk] });
  try {
  const audit = '/v1/ingest/events/NCBMSPRINT/audit';
  const withKey = (key) => ingest(stack, 'GET', audit, undefined,
    { token: signToken({ key: { kid: key.kid, privateKey: key.privateKey }, claims: { common_name: 'keys.access' } }) });
  assert.equal((await withKey(NEXT)).status, 404, 'the next key, fetched on its unknown kid');
  assert.equal((await withKey(current)).status, 404, 'the current key during the overlap');
  const revoked = await withKey(COMPROMISED);
  assertProblem(revoked, 401, 'cf-access-jwt-assertion.kid');
  assert.match(revoked.body.detail, /revoked/);
  // Access withdraws the old key: it stops verifying once the keys are fetched again.
  stack.access.setJwks({ keys: [NEXT.jwk] });
  // Polled slowly: every request counts against the feed's budget.
  const withdrawn = await eventually(async () => (await withKey(current)).status === 401, { intervalMs: 1000 });
  assert.ok(withdrawn, 'a withdrawn key kept verifying');
  assert.equal((await withKey(NEXT)).status, 404);
  } finally {
    stack.access.setJwks(current.jwks);
  }
});

test('/healthz reports the Access keys, and a key-server outage fails closed once cached keys are too old', async () => {
  const healthy = await fetch(`${stack.ingestUrl}/healthz`);
  assert.equal(healthy.status, 200);
  assert.equal((await healthy.json()).access_keys, 'ok');
  stack.access.setFailing(true);
  try {
    const down = await eventually(async () => {
      const res = await fetch(`${stack.ingestUrl}/healthz`);
      return res.status === 503 ? res.json() : null;
    });
    assert.equal(down?.access_keys, 'unavailable');
    const refused = await ingest(stack, 'GET', '/v1/ingest/events/NCBMSPRINT/audit', undefined, as('keys.access'));
    assertProblem(refused, 503);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
  } finally {
    stack.access.setFailing(false);
  }
  const back = await eventually(async () => (await fetch(`${stack.ingestUrl}/healthz`)).status === 200);
  assert.ok(back);
});

test('unknown raw methods are refused on the audit route (405), not read as GET', async () => {
  for (const method of ['PROPFIND', 'PURGE', 'MKCOL', 'LOCK']) {
    const res = await ingest(stack, method, '/v1/ingest/events/ALPMSLALOM/audit', undefined, as('alpine.access'));
    assertProblem(res, 405);
    assert.ok(res.headers.get('allow'));
  }
});

// Last: locally, since main's refusal reports, the ingest process reloads after this aborted-early upload
// (wrangler's proxy; production has no such reload), and a request sent during the reload gets a 503.
test('a chunked body over the limit is refused while it streams, and nothing is written', async () => {
  // Chunked (no Content-Length), so only counting can catch it: the gateway stops reading at the limit.
  const url = new URL(`${stack.ingestUrl}/v1/ingest/events/ALPMSUPERG`);
  const { status, body } = await new Promise((resolve, reject) => {
    const req = httpRequest({
      host: url.hostname, port: url.port, path: url.pathname, method: 'PUT',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked',
        'cf-access-jwt-assertion': signToken({ claims: { common_name: 'alpine.access' } }) },
    });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
    });
    req.on('error', (err) => { if (!answered) reject(err); });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    req.write('{"code":"ALPMSUPERG",');
    // 320 KiB in all, past the 256 KiB limit, sent whole so the connection ends cleanly.
    for (let i = 0; i < 5; i += 1) req.write(chunk);
    req.end();
  });
  assert.equal(status, 413, JSON.stringify(body));
  assert.equal(body.field, 'body');
  await assertNoEvent('ALPMSUPERG');
});
