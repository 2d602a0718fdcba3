// The local stand-in for Cloudflare Access: an RSA key pair, its JWKS, and RS256 tokens signed with it.
// Production tokens come from Access itself; the ingest gateway verifies both kinds the same way.
import { generateKeyPairSync, createPrivateKey, createPublicKey, createSign, createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const KEY_DIR = join(ROOT, '.dev', 'access');
// The local stack passes these to the ingest gateway as ACCESS_ISSUER and ACCESS_AUD (see stack.mjs).
export const LOCAL_ISSUER = 'https://olympic-live-local.cloudflareaccess.com';
export const LOCAL_AUDIENCE = 'olympic-live-local-ingest';

// The local operator: the identity the local stack lets use /v1/admin (ADMIN_IDENTITIES).
export const OPERATOR = 'ops.access';

// A feed that must sign its bodies in the local stack (see the ingest gateway's feed_signature.rs).
export const SIGNED_FEED = 'signed-feed.access';
export const SIGNED_FEED_KEY = 'local-only-feed-signing-key-0123456789abcdef';

// The simulated Games (crates/sim) feeds as its own service token and signs every batch with its own key,
// which scripts/lib/sim.mjs hands to the binary in SIM_SIGNING_KEY.
export const SIM_FEED = 'sim-feed.access';
export const SIM_FEED_KEY = 'local-only-sim-feed-signing-key-fedcba9876543210';

/// The X-Feed-Timestamp and X-Feed-Signature headers for `body`.
export function feedSignatureHeaders(body, { key = SIGNED_FEED_KEY, timestamp = Math.floor(Date.now() / 1000) } = {}) {
  const signature = createHmac('sha256', key).update(`${timestamp}.`).update(body).digest('hex');
  return { 'x-feed-timestamp': String(timestamp), 'x-feed-signature': `v1=${signature}` };
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');

export function generate(dir = KEY_DIR) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `local-${Date.now().toString(36)}`;
  writeFileSync(join(dir, 'private.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const jwk = publicKey.export({ format: 'jwk' });
  const jwks = { keys: [{ kid, kty: 'RSA', alg: 'RS256', use: 'sig', n: jwk.n, e: jwk.e }] };
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify(jwks, null, 2));
  writeFileSync(join(dir, 'kid'), kid);
}

export function localKey(dir = KEY_DIR) {
  if (!existsSync(join(dir, 'private.pem'))) generate(dir);
  return {
    kid: readFileSync(join(dir, 'kid'), 'utf8').trim(),
    privateKey: createPrivateKey(readFileSync(join(dir, 'private.pem'))),
    jwks: JSON.parse(readFileSync(join(dir, 'jwks.json'), 'utf8')),
  };
}

/// Signs a JWT. Every part can be overridden so tests can build the bad tokens an attacker would send.
export function signToken({ claims = {}, header = {}, key = localKey(), ttlSeconds = 600, now = Math.floor(Date.now() / 1000) } = {}) {
  const fullHeader = { alg: 'RS256', typ: 'JWT', kid: key.kid, ...header };
  const fullClaims = {
    iss: LOCAL_ISSUER,
    aud: [LOCAL_AUDIENCE],
    sub: '',
    common_name: 'local-feed.access',
    type: 'app',
    iat: now,
    nbf: now,
    exp: now + ttlSeconds,
    ...claims,
  };
  for (const [k, v] of Object.entries(fullClaims)) if (v === undefined) delete fullClaims[k];
  const signingInput = `${b64url(JSON.stringify(fullHeader))}.${b64url(JSON.stringify(fullClaims))}`;
  let signature;
  if (fullHeader.alg === 'RS256') {
    signature = createSign('RSA-SHA256').update(signingInput).sign(key.privateKey);
  } else if (fullHeader.alg === 'HS256') {
    // The key-confusion attack: HMAC keyed with the public key, hoping the verifier treats it as a secret.
    const publicPem = createPublicKey(key.privateKey).export({ type: 'spki', format: 'pem' });
    signature = createHmac('sha256', publicPem).update(signingInput).digest();
  } else {
    signature = Buffer.alloc(0);
  }
  return `${signingInput}.${b64url(signature)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, option] = process.argv.slice(2);
  const claims = option === '--operator' ? { common_name: OPERATOR } : {};
  if (command === 'generate') generate();
  else if (command === 'token') process.stdout.write(`${signToken({ claims, ttlSeconds: Number(process.env.TTL || 3600) })}\n`);
  else {
    console.error('usage: access-keys.mjs generate|token [--operator]');
    process.exit(2);
  }
}
