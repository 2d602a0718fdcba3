// The operators' client for /v1/admin, shared by scripts/rebuild and scripts/dead-letters.
//
// Locally it signs a token as the local operator (OPERATOR in access-keys.mjs), whom the local stack lists
// in ADMIN_IDENTITIES. Against a deployment, set ADMIN_URL (the ingest hostname) and the operator's
// Access service token in ACCESS_CLIENT_ID and ACCESS_CLIENT_SECRET: Cloudflare Access turns those into
// the JWT the gateway verifies.
import { parseArgs } from 'node:util';
import { signToken, OPERATOR } from './access-keys.mjs';

export function adminOptions(options = {}) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { url: { type: 'string' }, help: { type: 'boolean', short: 'h' }, ...options },
  });
  const url = values.url ?? process.env.ADMIN_URL ?? `http://127.0.0.1:${process.env.INGEST_PORT || 8788}`;
  return { url, values, positionals };
}

function headers() {
  const { ACCESS_CLIENT_ID: id, ACCESS_CLIENT_SECRET: secret } = process.env;
  if (id && secret) return { 'cf-access-client-id': id, 'cf-access-client-secret': secret };
  return { 'cf-access-jwt-assertion': signToken({ claims: { common_name: OPERATOR } }) };
}

/// Calls an admin route; returns the parsed body, or exits with the problem printed.
export async function admin(url, method, path, body) {
  const res = await fetch(`${url}/v1/admin${path}`, {
    method,
    headers: { ...headers(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed;
  try { parsed = JSON.parse(text); } catch { parsed = text; }
  if (!res.ok) {
    console.error(`${method} ${path}: ${res.status} ${typeof parsed === 'string' ? parsed : JSON.stringify(parsed, null, 2)}`);
    console.error(`request id: ${res.headers.get('x-request-id') ?? 'none'}`);
    process.exit(1);
  }
  return parsed;
}
