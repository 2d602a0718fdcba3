// Shared by the stack benchmarks (crates/bench/js/stack-*.mjs): the benchmark's event and messages, a
// keep-alive HTTP client, nearest-rank statistics, peer Workers started with the repo's wrangler, and a
// cleanup list that runs on every way out (normal end, error, Ctrl-C, watchdog).
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { ROOT } from '../../../scripts/lib/access-keys.mjs';
import { QUIET_WRANGLER_ENV, freePort } from '../../../scripts/lib/stack.mjs';

export { ROOT, freePort };
export const WRANGLER = join(ROOT, 'node_modules', '.bin', 'wrangler');

// ---------------------------------------------------------------------------------------------------------
// The benchmark's event: an alpine race with 50 starters (a World Cup downhill has 50 to 60), 45 of them
// with a time, so a leaderboard page and a live message carry the whole field. Its one phase has 32 heats
// so that concurrent feeds can each own a unit: every message they send is applied, none is stale.

const NOCS = ['SUI', 'AUT', 'NOR', 'ITA', 'FRA', 'USA', 'CAN', 'GER', 'SLO', 'SWE'];
export const STARTERS = 50;
const FINISHED = 45;
export const UNITS = Array.from({ length: 32 }, (_, i) => `H${String(i + 1).padStart(2, '0')}`);
export const PARTICIPANTS = Array.from({ length: STARTERS }, (_, i) => ({
  id: `RACER${String(i + 1).padStart(2, '0')}`,
  name: `Racer Number ${i + 1}`,
  noc: NOCS[i % NOCS.length],
  kind: 'athlete',
}));

export function eventCode(n) {
  return `ALPMBENCH${String(n).padStart(2, '0')}`;
}

export function definition(code) {
  return {
    code,
    name: "Men's Downhill (benchmark)",
    format: { type: 'lowest_time', precision: 'hundredths' },
    phases: [{ code: 'HEATS', name: 'Heats', units: UNITS }],
    medal_unit: UNITS[0],
    participants: PARTICIPANTS,
  };
}

/// A LIVE results message for `unit` at `version`: the whole field, times moving with the version, so
/// consecutive versions differ as a real feed's do. About 5.8 KB of JSON.
export function results(unit, version) {
  return {
    message_id: `${unit}-${version}`,
    unit,
    version,
    status: 'LIVE',
    entries: PARTICIPANTS.map((p, i) => {
      const entry = { competitor: p.id, name: p.name, noc: p.noc, start_order: i + 1 };
      if (i < FINISHED) {
        const ms = 100_000 + ((i * 7919 + version * 104_729) % 3_000);
        entry.mark = { kind: 'time', time_ms: ms };
      }
      return entry;
    }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// HTTP: node:http with keep-alive, so a benchmark pays for requests, not for connections.

export function agent(maxSockets) {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

/// One request; resolves { status, body (string), ms } and never rejects on an HTTP status. Rejects on a
/// network error or after `timeoutMs`.
export function request(baseUrl, { method = 'GET', path, headers = {}, body, agent: via, timeoutMs = 10_000 }) {
  const url = new URL(baseUrl);
  const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const allHeaders = { ...headers };
  if (payload) {
    allHeaders['content-type'] ??= 'application/json';
    allHeaders['content-length'] = payload.length;
  }
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request({ host: url.hostname, port: url.port, path, method, headers: allHeaders, agent: via }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({
        status: res.statusCode,
        headers: res.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        started,
        ended: performance.now(),
        ms: performance.now() - started,
      }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

// ---------------------------------------------------------------------------------------------------------
// Statistics: nearest-rank percentiles, as the domain benchmark reports them.

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

export function summarize(values) {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  return {
    n,
    min: n ? sorted[0] : NaN,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: n ? sorted[n - 1] : NaN,
    mean: n ? sorted.reduce((a, b) => a + b, 0) / n : NaN,
  };
}

export function median(values) {
  return summarize(values).p50;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------------
// Cleanup: every process and socket the benchmark opens registers how to stop it here.

const cleanups = [];

export function onCleanup(fn) {
  cleanups.push(fn);
  return () => {
    const i = cleanups.indexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

export async function cleanupAll() {
  while (cleanups.length) {
    const fn = cleanups.pop();
    try {
      await fn();
    } catch (err) {
      process.stderr.write(`cleanup: ${err?.message ?? err}\n`);
    }
  }
}

/// Stops a detached child and its whole process group: SIGTERM, then SIGKILL after 5 s.
export function stopGroup(child) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    try { process.kill(-child.pid, 'SIGTERM'); } catch { return resolve(); }
    setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000).unref();
    setTimeout(resolve, 7000).unref();
  });
}

// ---------------------------------------------------------------------------------------------------------
// Peers: a Worker from crates/bench/peers started with the repo's wrangler, on a free loopback port, with its own
// state folder and dev registry (so it never sees the stack's Workers, nor they it).

export async function startPeer({ name, config, stateDir, vars = {}, healthTimeoutMs = 60_000 }) {
  const port = await freePort();
  const inspectorPort = await freePort();
  mkdirSync(stateDir, { recursive: true });
  const env = {
    ...process.env,
    ...QUIET_WRANGLER_ENV,
    WRANGLER_REGISTRY_PATH: join(stateDir, 'registry'),
    WRANGLER_LOG_PATH: join(stateDir, 'wrangler-logs'),
  };
  const varArgs = Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
  const child = spawn(WRANGLER, ['dev', '-c', join(ROOT, config), '--ip', '127.0.0.1', '--port', String(port),
    '--persist-to', stateDir, '--inspector-port', String(inspectorPort), '--show-interactive-dev-session=false',
    '--log-level', 'warn', ...varArgs], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const log = createWriteStream(join(stateDir, `${name}.log`));
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const stop = () => stopGroup(child);
  const unregister = onCleanup(stop);
  const unroot = registerRoot(name, child.pid);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + healthTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}; see ${join(stateDir, `${name}.log`)}`);
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} did not answer ${url}/healthz within ${healthTimeoutMs} ms`);
    }
    await sleep(200);
  }
  return {
    url,
    port,
    child,
    stop: async () => { unregister(); unroot(); await stop(); },
  };
}

// ---------------------------------------------------------------------------------------------------------
// The machine.

/// The soft limit on open files of this process (children inherit it).
export function openFileLimit() {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    return Number(line.trim().split(/\s+/)[3]);
  } catch {
    return NaN;
  }
}

/// The hard limit on open files (how far `ulimit -n` may raise the soft one).
export function hardOpenFileLimit() {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const hard = line.trim().split(/\s+/)[4];
    return hard === 'unlimited' ? 1_048_576 : Number(hard);
  } catch {
    return 4096;
  }
}

export function loadAverage() {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}

export function cpuModel() {
  try {
    const models = readFileSync('/proc/cpuinfo', 'utf8').split('\n').filter((l) => l.startsWith('model name'));
    return `${models.length} × ${models[0].split(':')[1].trim()}`;
  } catch {
    return 'unknown CPU';
  }
}

export const log = (msg) => process.stderr.write(`\x1b[1m==> ${msg}\x1b[0m\n`);
export const note = (msg) => process.stderr.write(`    ${msg}\n`);

// ---------------------------------------------------------------------------------------------------------
// CPU accounting: user + system time of process trees, read from /proc, so a benchmark can say how much
// CPU each part of the stack spent per request (and whether the machine, rather than a lock, is the limit).

const TICKS_PER_S = 100; // USER_HZ on Linux

function readStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const fields = text.slice(close + 2).split(' ');
    // fields[0] is state (field 3); ppid is field 4, utime 14, stime 15, cutime 16, cstime 17. This
    // process also counts its children that have exited (each wrk run ends before its meter is read).
    const own = Number(fields[11]) + Number(fields[12]);
    const reaped = pid === process.pid ? Number(fields[13]) + Number(fields[14]) : 0;
    return { pid, comm, ppid: Number(fields[1]), ticks: own + reaped };
  } catch {
    return null;
  }
}

// wrangler dev runs two workerd processes: its proxy Worker on the user's port, and the Workers themselves
// behind it on a port of their own (`entry=127.0.0.1:0`). They are counted apart.
const roles = new Map();
function workerdRole(pid) {
  if (!roles.has(pid)) {
    let role = 'workerd';
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const entry = /entry=127\.0\.0\.1:(\d+)/.exec(cmd);
      if (entry && entry[1] !== '0') role = 'workerd-proxy';
    } catch {
      // gone
    }
    roles.set(pid, role);
  }
  return roles.get(pid);
}

/// CPU seconds per named group right now. `roots` maps a group name to root pids; every process is
/// counted in the group of its nearest root ancestor, split by command (workerd, node, wrk, …).
export function cpuSnapshot(roots) {
  const byPid = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) byPid.set(stat.pid, stat);
  }
  const rootOf = new Map();
  for (const [name, pids] of Object.entries(roots)) for (const pid of pids) rootOf.set(pid, name);
  const out = {};
  for (const stat of byPid.values()) {
    let group;
    for (let p = stat.pid, hops = 0; p > 1 && hops < 32; hops += 1) {
      if (rootOf.has(p)) { group = rootOf.get(p); break; }
      p = byPid.get(p)?.ppid ?? 0;
    }
    if (!group) continue;
    const kind = /^workerd/.test(stat.comm) ? workerdRole(stat.pid) : /^(node|MainThread)/.test(stat.comm) ? 'node' : stat.comm;
    out[group] ??= {};
    out[group][kind] = (out[group][kind] ?? 0) + stat.ticks / TICKS_PER_S;
  }
  return out;
}

/// What each group spent between two snapshots, in CPU seconds (rounded to the 10 ms tick).
export function cpuSpent(before, after) {
  const out = {};
  for (const [group, kinds] of Object.entries(after)) {
    for (const [kind, s] of Object.entries(kinds)) {
      const d = s - (before[group]?.[kind] ?? 0);
      if (d > 0) {
        out[group] ??= {};
        out[group][kind] = Math.round(d * 100) / 100;
      }
    }
  }
  return out;
}

/// Total CPU seconds the whole machine spent (all processes, including other users), from /proc/stat.
export function machineCpu() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = line[3] + line[4];
  const total = line.reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / TICKS_PER_S, total: total / TICKS_PER_S };
}

/// Measures CPU over an interval: `const m = cpuMeter(roots); …; m.stop()` gives the wall time, each
/// group's CPU seconds, the machine's busy CPU seconds, and what processes outside the groups spent.
export function cpuMeter(roots) {
  const wall0 = performance.now();
  const machine0 = machineCpu();
  const groups0 = cpuSnapshot(roots);
  return {
    stop() {
      const groups = cpuSpent(groups0, cpuSnapshot(roots));
      const machine1 = machineCpu();
      const busy = machine1.busy - machine0.busy;
      const ours = Object.values(groups).flatMap((k) => Object.values(k)).reduce((a, b) => a + b, 0);
      return {
        wall_s: (performance.now() - wall0) / 1000,
        machine_busy_s: Math.round(busy * 100) / 100,
        machine_capacity_s: Math.round((machine1.total - machine0.total) * 100) / 100,
        groups,
        outside_s: Math.round(Math.max(0, busy - ours) * 100) / 100,
      };
    },
  };
}

// The process trees the meters account for: this process (the load generator, wrk included) and every
// wrangler process the benchmark starts, by name.
const ROOTS = { client: [process.pid] };
export function registerRoot(name, pid) {
  (ROOTS[name] ??= []).push(pid);
  return () => { ROOTS[name] = ROOTS[name].filter((p) => p !== pid); };
}
export const meter = () => cpuMeter(structuredClone(ROOTS));

/// Waits until the stack's processes are at rest (under 10 % of a core for two half-second windows in a
/// row, at most `maxMs`): the Queue consumers of the local runtime share a thread with the event objects
/// and work through a backlog for seconds after a burst of updates. Returns the seconds waited.
export async function quiesce({ groups = ['public', 'ingest'], maxMs = 30_000, windowMs = 500, share = 0.1 } = {}) {
  const started = performance.now();
  let calm = 0;
  while (performance.now() - started < maxMs && calm < 2) {
    const m = meter();
    await sleep(windowMs);
    const use = m.stop();
    const busy = groups.reduce((n, g) => n + Object.entries(use.groups[g] ?? {})
      .reduce((a, [kind, s]) => a + (kind === 'esbuild' ? 0 : s), 0), 0);
    calm = busy < share * use.wall_s ? calm + 1 : 0;
  }
  return (performance.now() - started) / 1000;
}
