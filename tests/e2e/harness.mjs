// Shared by the end-to-end tests: start a fresh local stack per test file, and talk to it as clients do.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { startStack, queryLocalD1, readLocalR2 } from '../../scripts/lib/stack.mjs';
import { signToken } from '../../scripts/lib/access-keys.mjs';

export { signToken, queryLocalD1, readLocalR2 };
export { downhillDefinition, downhillResults } from './fixtures.mjs';

/// Starts a stack before the file's tests and stops it after; returns a live handle object.
/// `options` go to startStack (e.g. readVars for the read gateway's settings).
export function useStack(options = {}) {
  const handle = {};
  before(async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'olympic-e2e-'));
    Object.assign(handle, await startStack({ stateDir, ...options }));
  });
  after(async () => {
    await handle.stop?.();
    if (process.env.KEEP_STATE !== '1' && handle.stateDir) rmSync(handle.stateDir, { recursive: true, force: true });
  });
  return handle;
}

/// An ingest request with a valid token unless `token` says otherwise (null: no header at all).
export async function ingest(stack, method, path, body, { token = signToken(), headers = {}, raw } = {}) {
  const allHeaders = { 'content-type': 'application/json', ...headers };
  if (token !== null) allHeaders['cf-access-jwt-assertion'] = token;
  const res = await fetch(`${stack.ingestUrl}${path}`, {
    method,
    headers: allHeaders,
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  return { status: res.status, headers: res.headers, body: await parse(res) };
}

export async function read(stack, path, headers = {}) {
  const res = await fetch(`${stack.readUrl}${path}`, { headers });
  return { status: res.status, headers: res.headers, body: await parse(res) };
}

async function parse(res) {
  const text = await res.text();
  try { return JSON.parse(text); } catch { return text; }
}

/// Polls `probe` until it returns a truthy value or `timeoutMs` passes; returns the last value.
export async function eventually(probe, { timeoutMs = 15_000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let value;
  while (Date.now() < deadline) {
    value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return value;
}

/// The page a live viewer holds after `message`, given the page it held: the message's own page, or the
/// held one with the message's patch applied (as the website does). Throws when the patch was made for
/// another page: a viewer must never be sent a patch it cannot apply.
export function livePage(held, message) {
  if (message.leaderboard) return message.leaderboard;
  const p = message.patch;
  if (!p) return held;
  if (!held || held.event_version !== p.base) {
    throw new Error(`a patch for version ${p.base} reached a viewer holding ${held?.event_version}`);
  }
  const rows = new Map(held.rows.map((r) => [r.competitor, r]));
  for (const r of p.rows) rows.set(r.competitor, r);
  const tied = new Set(p.tied);
  const { event, unit, status, unit_version, event_version, next_cursor, prev_cursor, total } = p;
  return {
    event, unit, status, unit_version, event_version,
    rows: p.order.map((c, i) => {
      if (!rows.has(c)) throw new Error(`the patch places ${c} but no row holds it`);
      return { ...rows.get(c), rank: p.ranks[i], rank_equal: tied.has(i), sort_order: p.first_sort_order + i };
    }),
    next_cursor, prev_cursor, total,
  };
}
