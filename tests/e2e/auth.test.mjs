// Every kind of bad Access token is refused with a 401 problem naming what is wrong, and changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { useStack, ingest, read, signToken, downhillDefinition } from './harness.mjs';

const stack = useStack();
const EVENT = 'ALPMSUPERG';
const now = Math.floor(Date.now() / 1000);

function strangerKey(kid) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, jwks: { keys: [] } };
}

const BAD_TOKENS = [
  ['no token at all', null, 'cf-access-jwt-assertion'],
  ['an empty token', '', 'cf-access-jwt-assertion'],
  ['garbage', 'not.a.jwt', 'cf-access-jwt-assertion'],
  ['an expired token', signToken({ now: now - 7200, ttlSeconds: 600 }), 'cf-access-jwt-assertion.exp'],
  ['a token not valid yet', signToken({ claims: { nbf: now + 3600, iat: now } }), 'cf-access-jwt-assertion.nbf'],
  ['a token for another audience', signToken({ claims: { aud: ['someone-elses-app'] } }), 'cf-access-jwt-assertion.aud'],
  ['a token from another issuer', signToken({ claims: { iss: 'https://evil.cloudflareaccess.com' } }), 'cf-access-jwt-assertion.iss'],
  ['a token signed by an unknown key', signToken({ key: strangerKey('stranger-kid') }), 'cf-access-jwt-assertion.kid'],
  ['a token whose kid names our key but is signed by another', signToken({ key: { ...strangerKey('x'), kid: undefined } }), null],
  ['an alg none token', signToken({ header: { alg: 'none' } }), 'cf-access-jwt-assertion.alg'],
  ['an HS256 token keyed with the public key', signToken({ header: { alg: 'HS256' } }), 'cf-access-jwt-assertion.alg'],
  ['a token without exp', signToken({ claims: { exp: undefined } }), 'cf-access-jwt-assertion.exp'],
];

for (const [name, token, field] of BAD_TOKENS) {
  test(`refuses ${name}`, async () => {
    let sent = token;
    if (name.startsWith('a token whose kid')) {
      // Same header kid as the real key, signature from a stranger: only signature checking catches it.
      const real = signToken();
      const forged = signToken({ key: { ...strangerKey(JSON.parse(Buffer.from(real.split('.')[0], 'base64url')).kid) } });
      sent = forged;
    }
    const res = await ingest(stack, 'PUT', `/v1/ingest/events/${EVENT}`, downhillDefinition(EVENT), { token: sent });
    assert.equal(res.status, 401, JSON.stringify(res.body));
    assert.match(res.headers.get('content-type'), /application\/problem\+json/);
    assert.equal(res.body.status, 401);
    assert.equal(res.body.type, 'https://olympic-live.dev/problems/unauthenticated');
    if (field) assert.equal(res.body.field, field);
    else assert.equal(res.body.field, 'cf-access-jwt-assertion.signature');
  });
}

test('none of the refused requests created the event', async () => {
  const res = await read(stack, `/v1/events/${EVENT}`);
  assert.equal(res.status, 404);
  assert.equal(res.body.type, 'https://olympic-live.dev/problems/unknown-event');
});

test('a valid service token is accepted and attributed to its feed', async () => {
  const res = await ingest(stack, 'PUT', `/v1/ingest/events/${EVENT}`, downhillDefinition(EVENT), {
    token: signToken({ claims: { common_name: 'timing-omega.access' } }),
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const audit = await ingest(stack, 'GET', `/v1/ingest/events/${EVENT}/audit`);
  assert.equal(audit.status, 200);
  assert.equal(audit.body.entries[0].feed, 'service:timing-omega.access');
});

test('a token accepted before is remembered only as itself: the same claims with a forged signature are refused', async () => {
  const token = signToken({ claims: { common_name: 'timing-omega.access' } });
  const path = `/v1/ingest/events/${EVENT}`;
  assert.equal((await ingest(stack, 'GET', path, undefined, { token })).status, 200);
  assert.equal((await ingest(stack, 'GET', path, undefined, { token })).status, 200, 'the same token again');
  const [header, claims, signature] = token.split('.');
  const flipped = `${signature.slice(0, -4)}${signature.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
  const forged = await ingest(stack, 'GET', path, undefined, { token: `${header}.${claims}.${flipped}` });
  assert.equal(forged.status, 401, JSON.stringify(forged.body));
  assert.equal(forged.body.field, 'cf-access-jwt-assertion.signature');
  const stranger = strangerKey(JSON.parse(Buffer.from(header, 'base64url')).kid);
  const resigned = signToken({ key: stranger, claims: JSON.parse(Buffer.from(claims, 'base64url')) });
  assert.equal((await ingest(stack, 'GET', path, undefined, { token: resigned })).status, 401, 'the same claims signed by another key');
});

test('the public read gateway has no ingest route', async () => {
  const res = await fetch(`${stack.readUrl}/v1/ingest/events/${EVENT}`, { method: 'PUT', body: '{}' });
  assert.equal(res.status, 405);
  const get = await read(stack, `/v1/ingest/events/${EVENT}`);
  assert.equal(get.status, 404);
});

test('a feed with a signing key must sign: bad, missing or stale signatures are refused', async () => {
  const { feedSignatureHeaders, SIGNED_FEED } = await import('../../scripts/lib/access-keys.mjs');
  const token = signToken({ claims: { common_name: SIGNED_FEED } });
  const code = 'ALPMCOMBINED';
  const body = JSON.stringify(downhillDefinition(code));
  const put = (headers) => ingest(stack, 'PUT', `/v1/ingest/events/${code}`, undefined, { token, raw: body, headers });
  const unsigned = await put({});
  assert.equal(unsigned.status, 401);
  assert.equal(unsigned.body.field, 'x-feed-timestamp');
  const wrongKey = await put(feedSignatureHeaders(body, { key: 'not-the-key' }));
  assert.equal(wrongKey.status, 401);
  assert.equal(wrongKey.body.field, 'x-feed-signature');
  const tampered = await put(feedSignatureHeaders(body.replace("Men's", 'Fake')));
  assert.equal(tampered.status, 401);
  const stale = await put(feedSignatureHeaders(body, { timestamp: Math.floor(Date.now() / 1000) - 3600 }));
  assert.equal(stale.status, 401);
  assert.equal(stale.body.field, 'x-feed-timestamp');
  assert.equal((await read(stack, `/v1/events/${code}`)).status, 404, 'nothing was created');
  const signed = await put(feedSignatureHeaders(body));
  assert.equal(signed.status, 201, JSON.stringify(signed.body));
});
