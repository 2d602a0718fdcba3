// Read throughput (issue 5): GET /v1/events/{event}/leaderboard on our read gateway against the read peer
// (crates/bench/peers/read-peer.js, a JavaScript Worker answering the same bytes with the same headers), both
// under `wrangler dev` on this machine, driven by wrk with the same script, connections and duration,
// run alternately. Two paths: the edge cache's steady state (one URL, served from caches.default) and the
// cache-miss path (a new URL per request, so every request reaches the event object).
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, log, meter, note, onCleanup, request, sleep, startPeer, stopGroup } from './stack-common.mjs';

const WRK_SCRIPT = join(ROOT, 'crates', 'bench', 'wrk', 'leaderboard.lua');
// Headers the runtime sets per response, not the Worker: the peer must not copy them.
const HOP_HEADERS = new Set(['content-length', 'transfer-encoding', 'content-encoding', 'connection', 'keep-alive', 'date']);

export function wrkVersion() {
  const res = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  if (res.error) return null;
  const first = `${res.stdout}${res.stderr}`.split('\n')[0].trim();
  // "wrk debian/4.1.0-3+b2 [epoll] Copyright …" -> "wrk 4.1.0"
  const version = /(\d+\.\d+\.\d+)/.exec(first)?.[1];
  return first ? `wrk ${version ?? first}` : null;
}

/// One wrk run; resolves its JSON summary (see crates/bench/wrk/leaderboard.lua).
function wrk({ url, prefix = '', mode, event, offset, threads, connections, seconds }) {
  return new Promise((resolve, reject) => {
    const args = [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--timeout', '5s', '-s', WRK_SCRIPT, url,
      '--', mode, event, String(offset), String(threads), prefix];
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const unregister = onCleanup(() => stopGroup(child));
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const guard = setTimeout(() => stopGroup(child), (seconds + 20) * 1000);
    // 'close', not 'exit': wrk's summary is on stdout, which may still be draining when it exits.
    child.on('close', (code) => {
      clearTimeout(guard);
      unregister();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) return reject(new Error(`wrk exited with ${code}: ${err || out}`));
      resolve(JSON.parse(line));
    });
  });
}

function perSecond(run) {
  return run.requests / (run.duration_us / 1e6);
}

function errorCount(run) {
  return Object.values(run.errors).reduce((a, b) => a + b, 0);
}

/// Fetches our page once and checks the peer answers the same bytes; returns what the peer needs.
async function capturePage(readUrl, event) {
  const res = await request(readUrl, { path: `/v1/events/${event}/leaderboard` });
  if (res.status !== 200) throw new Error(`our leaderboard answered ${res.status}: ${res.body}`);
  const headers = Object.entries(res.headers).filter(([name]) => !HOP_HEADERS.has(name));
  return { body: res.body, headers };
}

export async function runRead({ stack, event, workDir, quick = false, connections = 16, threads = 1 }) {
  const seconds = quick ? 2 : 8;
  const rounds = quick ? 1 : 2;
  const page = await capturePage(stack.readUrl, event);
  note(`leaderboard page: ${Buffer.byteLength(page.body)} bytes, headers ${page.headers.map(([n]) => n).join(', ')}`);

  log('read peer: starting the JavaScript Worker (crates/bench/peers/read-peer.js)');
  const peer = await startPeer({
    name: 'read-peer',
    config: 'crates/bench/peers/read-peer.toml',
    stateDir: join(workDir, 'read-peer'),
    vars: { PEER_BODY: page.body, PEER_HEADERS: JSON.stringify(page.headers) },
  });
  try {
    // Same bytes, same headers: checked, not assumed.
    const ours = await request(stack.readUrl, { path: `/v1/events/${event}/leaderboard` });
    const theirs = await request(peer.url, { path: `/v1/events/${event}/leaderboard` });
    const sameHeaders = page.headers.every(([n, v]) => theirs.headers[n] === v);
    if (theirs.body !== ours.body || !sameHeaders) {
      throw new Error(`the read peer does not answer our bytes and headers (body ${theirs.body === ours.body}, headers ${sameHeaders})`);
    }
    // The miss path's URLs must all answer 200 with the whole field; check a sample from each corner.
    for (const q of ['?limit=500', '?limit=50&unit=H01', '?limit=77&around=RACER50', '?limit=451&unit=H01&around=RACER01']) {
      const r = await request(stack.readUrl, { path: `/v1/events/${event}/leaderboard${q}` });
      if (r.status !== 200) throw new Error(`leaderboard${q} answered ${r.status}: ${r.body}`);
    }

    // Three sides, same wrk script, connections and duration: our gateway; the peer's constant answer (the
    // issue's peer); the peer answering through the Cache API (what the local edge cache itself costs).
    const sides = {
      ours: { url: stack.readUrl, prefix: '' },
      peer: { url: peer.url, prefix: '' },
      peer_cache: { url: peer.url, prefix: '/cached' },
    };
    const cachedCheck = await request(peer.url, { path: `/cached/v1/events/${event}/leaderboard` });
    if (cachedCheck.body !== ours.body) throw new Error('the read peer\'s cached route does not answer our bytes');
    const runs = { same: {}, vary: {} };
    let offset = 0;
    for (const mode of ['same', 'vary']) {
      log(`read, ${mode === 'same' ? 'steady state (one hot URL)' : 'cache-miss path (a new URL per request)'}: ${rounds} rounds of ${seconds} s per side, ${connections} connections, alternating`);
      // A short warm-up of each side (isolates, JIT, the cache entry), not recorded.
      for (const side of Object.keys(sides)) {
        offset = (offset + 12_347) % 46_002;
        await wrk({ ...sides[side], mode, event, offset, threads, connections, seconds: 1 });
      }
      for (let round = 0; round < rounds; round += 1) {
        const order = Object.keys(sides);
        if (round % 2 === 1) order.reverse();
        for (const side of order) {
          offset = (offset + 12_347) % 46_002;
          const cpu = meter();
          const run = await wrk({ ...sides[side], mode, event, offset, threads, connections, seconds });
          run.cpu = cpu.stop();
          (runs[mode][side] ??= []).push(run);
          note(`${side.padEnd(10)} ${mode}: ${perSecond(run).toFixed(0)} req/s, p50 ${(run.latency_us.p50 / 1000).toFixed(2)} ms, p99 ${(run.latency_us.p99 / 1000).toFixed(2)} ms, ${errorCount(run)} errors; machine busy ${(100 * run.cpu.machine_busy_s / run.cpu.machine_capacity_s).toFixed(0)} %, outside the benchmark ${run.cpu.outside_s.toFixed(1)} CPU s`);
          await sleep(500);
        }
      }
    }
    return summarizeRead(runs, { connections, threads, seconds, rounds, bytes: Buffer.byteLength(page.body) });
  } finally {
    await peer.stop();
  }
}

function summarizeRead(runs, config) {
  const out = { config, paths: {}, cpu_totals: { outside_s: 0, capacity_s: 0 } };
  for (const sides of Object.values(runs)) {
    for (const list of Object.values(sides)) {
      for (const r of list) {
        out.cpu_totals.outside_s += r.cpu.outside_s;
        out.cpu_totals.capacity_s += r.cpu.machine_capacity_s;
      }
    }
  }
  for (const [mode, sides] of Object.entries(runs)) {
    const result = {};
    for (const [side, list] of Object.entries(sides)) {
      const rps = list.map(perSecond);
      result[side] = {
        runs: list.length,
        rps_each: rps,
        rps: rps.reduce((a, b) => a + b, 0) / rps.length, // mean over the runs
        // Latency over the runs: the mean of their medians, and the worst of their p99s.
        p50_ms: list.reduce((n, r) => n + r.latency_us.p50, 0) / list.length / 1000,
        p99_ms: Math.max(...list.map((r) => r.latency_us.p99)) / 1000,
        errors: list.reduce((n, r) => n + errorCount(r), 0),
        bytes_per_response: list.reduce((n, r) => n + r.bytes, 0) / list.reduce((n, r) => n + r.requests, 0),
        requests: list.reduce((n, r) => n + r.requests, 0),
        // CPU per request, in ms, by process group (client = wrk and this process; public = the process of
        // our read gateway and event objects; read-peer = the peer's process).
        cpu_ms_per_request: cpuPerRequest(list),
        outside_cpu_s: list.reduce((n, r) => n + r.cpu.outside_s, 0),
        machine_busy: list.reduce((n, r) => n + r.cpu.machine_busy_s, 0) / list.reduce((n, r) => n + r.cpu.machine_capacity_s, 0),
      };
    }
    result.ratio = result.ours.rps / result.peer.rps;
    result.ratio_cache = result.ours.rps / result.peer_cache.rps;
    out.paths[mode] = result;
  }
  return out;
}

function cpuPerRequest(list) {
  const requests = list.reduce((n, r) => n + r.requests, 0);
  const out = {};
  for (const r of list) {
    for (const [group, kinds] of Object.entries(r.cpu.groups)) {
      for (const [kind, seconds] of Object.entries(kinds)) {
        const key = `${group}/${kind}`;
        out[key] = (out[key] ?? 0) + (seconds * 1000) / requests;
      }
    }
  }
  for (const k of Object.keys(out)) out[k] = Math.round(out[k] * 1000) / 1000;
  return out;
}
