// The stack benchmarks (issues 4 and 5): the whole local stack under load, each measured side by side with
// a JavaScript peer in the same run where the issue asks for one, and reported as ratios. Never a timed
// assertion: the numbers go to $CARGO_TARGET_DIR/bench/stack/results.json (results-quick.json with
// --quick), which report.mjs turns into docs/PERFORMANCE.md's stack section.
//
//   node crates/bench/js/stack-bench.mjs [--quick] [--only read|fanout|freshness|tree|ingest]…
//   (scripts/bench runs it, and then the report writer)
//
// --quick    a smoke run (short runs, 200 viewers)
// --only     one benchmark (repeatable)
// KEEP_STATE=1 keeps the run's state folders and logs ($CARGO_TARGET_DIR/bench/stack/run-<pid>).
//
// Order: read, fan-out, freshness, relay tree, ingest; before each, the stack comes to rest (the local Queue
// consumers work through the previous part's backlog for seconds). Ingest runs last, and ends with the
// same single-event run on a second stack whose gateway and objects share one wrangler process. The
// script raises `ulimit -n` itself and installs wrk if it is missing. Every process it starts is stopped on
// the way out, whatever the way out (a watchdog bounds the whole run).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signToken } from '../../../scripts/lib/access-keys.mjs';
import { startStack } from '../../../scripts/lib/stack.mjs';
import {
  ROOT, agent, cleanupAll, cpuModel, definition, eventCode, hardOpenFileLimit, loadAverage, log, note, onCleanup,
  openFileLimit, quiesce, registerRoot, request, results,
} from './stack-common.mjs';
import { runRead, wrkVersion } from './stack-read.mjs';
import { runLive } from './stack-live.mjs';
import { runIngest } from './stack-ingest.mjs';
import { runTree } from './stack-tree.mjs';
import { parseArgs } from 'node:util';

const ALL = ['read', 'fanout', 'freshness', 'tree', 'ingest'];
const args = process.argv.slice(2);

// The socket benchmarks need more open files than a default shell allows (1,024): raise the soft limit to
// the hard one by running this script again under `ulimit -n`, once.
const wantFiles = 8192;
if (openFileLimit() < wantFiles && !process.env.STACK_BENCH_RAISED) {
  const hard = hardOpenFileLimit();
  const res = spawnSync('bash', ['-c', `ulimit -n ${Math.min(hard, 20_000)} && exec "$@"`, 'bash', process.execPath, process.argv[1], ...args],
    { stdio: 'inherit', env: { ...process.env, STACK_BENCH_RAISED: '1' } });
  process.exit(res.status ?? 1);
}
const { values: flags } = parseArgs({
  args,
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string', multiple: true, default: [] } },
  strict: true,
});
const { quick, only } = flags;
for (const o of only) if (!ALL.includes(o)) { console.error(`--only takes one of ${ALL.join(', ')}`); process.exit(2); }
const selected = only.length ? ALL.filter((b) => only.includes(b)) : ALL;

// Everything is bounded: a watchdog ends the run (cleanly) if it goes on for too long.
const WATCHDOG_MS = Number(process.env.STACK_BENCH_WATCHDOG_MS || 11 * 60_000);

const target = process.env.CARGO_TARGET_DIR || join(ROOT, 'target');
const outDir = join(target, 'bench', 'stack');
const workDir = join(outDir, `run-${process.pid}`);

let exiting = false;
async function exit(code, why) {
  if (exiting) return;
  exiting = true;
  if (why) process.stderr.write(`${why}\n`);
  await cleanupAll();
  if (process.env.KEEP_STATE !== '1') rmSync(workDir, { recursive: true, force: true });
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => exit(130, `stopped by ${signal}`));
process.on('uncaughtException', (err) => exit(1, `stack bench failed: ${err?.stack ?? err}`));
process.on('unhandledRejection', (err) => exit(1, `stack bench failed: ${err?.stack ?? err}`));
setTimeout(() => exit(1, `stack bench: watchdog fired after ${WATCHDOG_MS / 1000} s`), WATCHDOG_MS).unref();

async function main() {
  const started = Date.now();
  mkdirSync(workDir, { recursive: true });
  const viewers = quick ? 200 : 1000;
  const limit = openFileLimit();
  // Our viewers and the peer's are open at the same time: the client holds ~2 fds per pair, each wrangler
  // process ~4 per socket (toolchain notes). Far below the limit here, but a default `ulimit -n` of 1024 is not.
  const needed = viewers * 2 + 512;
  if (['fanout', 'freshness', 'tree'].some((b) => selected.includes(b)) && !(limit >= needed)) {
    throw new Error(`open-file limit is ${limit}, the socket benchmarks need ${needed}: raise the hard limit (\`ulimit -Hn\`)`);
  }
  if (selected.includes('read') && !wrkVersion()) installWrk();

  const meta = {
    date: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
    commit: commitLabel(),
    builds: buildInfo(),
    cpu: cpuModel(),
    load_at_start: loadAverage(),
    node: process.version,
    wrk: wrkVersion(),
    quick,
    viewers,
  };
  log(`stack benchmarks: ${selected.join(', ')}${quick ? ' (quick)' : ''}; load average ${meta.load_at_start}`);

  log('starting the local stack (two wrangler dev processes, fresh state)');
  // One object holds every viewer here (the sized default sends viewers past 143 to relays): the fan-out
  // and freshness benchmarks compare one object with one JavaScript object, and the tree part compares a
  // tree (on a stack of its own) with one object.
  const stack = await startStack({ stateDir: join(workDir, 'stack'), readVars: { LIVE_DIRECT_VIEWERS: '30000' } });
  onCleanup(() => stack.stop());
  // stack.mjs starts the public process first, then the ingest process.
  registerRoot('public', stack.children[0].pid);
  registerRoot('ingest', stack.children[1].pid);
  meta.wrangler = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'wrangler', 'package.json'), 'utf8')).version;

  // One token for the whole run, as a feed holds one for its session (the gateway verifies it every time).
  const token = signToken({ ttlSeconds: 3600, claims: { common_name: 'bench-feed.access' } });
  const ingestAgent = agent(64);
  onCleanup(() => ingestAgent.destroy());
  const ingestAs = (jwt, method, path, body) => request(stack.ingestUrl, {
    method, path, body, agent: ingestAgent, headers: { 'cf-access-jwt-assertion': jwt },
  });
  const ingest = (method, path, body) => ingestAs(token, method, path, body);

  // Event 00 is read and watched; events 01..20 take the ingest load; nobody watches event 21 (the fan-out
  // benchmark's baseline).
  log('defining the benchmark events (50 starters, 32 heats each) and their first results');
  const liveEvent = eventCode(0);
  const ingestEvents = Array.from({ length: 20 }, (_, i) => eventCode(i + 1));
  const quietEvent = eventCode(21);
  for (const code of [liveEvent, ...ingestEvents, quietEvent]) {
    const res = await ingest('PUT', `/v1/ingest/events/${code}`, definition(code));
    if (res.status !== 201) throw new Error(`defining ${code}: ${res.status} ${res.body}`);
  }
  const first = await ingest('POST', `/v1/ingest/events/${liveEvent}/results`, results('H01', 1));
  if (first.status !== 201) throw new Error(`first results: ${first.status} ${first.body}`);

  const out = { meta, results: {} };
  const ctx = { stack, ingest, ingestAs, token, liveEvent, ingestEvents, quietEvent, workDir, quick, viewers };
  // Before each part, the stack comes to rest (the Queue consumers finish the previous part's backlog).
  meta.settle_s = {};
  const settle = async (part) => {
    meta.settle_s[part] = Math.round((await quiesce()) * 10) / 10;
    if (meta.settle_s[part] > 1.5) note(`waited ${meta.settle_s[part]} s for the stack to come to rest`);
  };

  if (selected.includes('read')) {
    await settle('read');
    out.results.read = await runRead({ stack, event: liveEvent, workDir, quick });
  }
  if (selected.includes('fanout') || selected.includes('freshness')) {
    await settle('live');
    Object.assign(out.results, await runLive({ ...ctx, fanout: selected.includes('fanout'), freshness: selected.includes('freshness') }));
  }
  if (selected.includes('tree')) {
    await settle('tree');
    out.results.tree = await runTree({ stack, ingest, token, event: eventCode(22), workDir, quick });
  }
  if (selected.includes('ingest')) {
    await settle('ingest');
    out.results.ingest = await runIngest({ ...ctx, agent: ingestAgent, settle });
  }

  meta.seconds = Math.round((Date.now() - started) / 1000);
  meta.outside_share = outsideShare(out.results);
  // wrangler dev reloads a Worker whose build changes, which drops every socket: say so if one did.
  const builds = buildInfo();
  meta.builds_changed = Object.keys(builds).filter((w) => builds[w]?.built !== meta.builds[w]?.built);
  meta.load_at_end = loadAverage();
  mkdirSync(outDir, { recursive: true });
  const jsonFile = join(outDir, quick ? 'results-quick.json' : 'results.json');
  writeFileSync(jsonFile, JSON.stringify(out, null, 2) + '\n');
  log(`stack benchmarks done in ${meta.seconds} s: ${jsonFile.replace(`${ROOT}/`, '')}`);
  note(`load average at the end: ${meta.load_at_end}`);
}

/// Debian's wrk, as scripts/bench installs redis-server: with apt-get, through sudo unless root.
function installWrk() {
  log('installing wrk (Debian package, the read benchmark\'s load generator)');
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (...a) => spawnSync(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), ...a], { stdio: 'ignore', env }).status === 0;
  if (!apt('install', '-y', 'wrk') && !(apt('update') && apt('install', '-y', 'wrk'))) {
    throw new Error('could not install wrk (apt-get install -y wrk)');
  }
}

/// The commit measured, and whether the Workers' sources differ from it (the builds are what ran).
function commitLabel() {
  const git = (...a) => spawnSync('git', a, { cwd: ROOT, encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD').stdout.trim() || 'unknown';
  const dirty = git('diff', '--quiet', 'HEAD', '--', 'crates', 'workers', 'wrangler').status !== 0;
  return dirty ? `${head} + uncommitted changes to crates/, workers/ or wrangler/` : head;
}

/// Size and build time of each Worker's wasm, so a run can be matched to the build it measured.
function buildInfo() {
  const out = {};
  for (const w of ['event-do', 'read-gateway', 'ingest-gateway', 'archiver-consumer', 'analytics-consumer']) {
    try {
      const st = statSync(join(ROOT, 'workers', w, 'build', 'index_bg.wasm'));
      out[w] = { bytes: st.size, built: st.mtime.toISOString() };
    } catch {
      out[w] = null;
    }
  }
  return out;
}

/// The share of the machine's CPU time that went to other processes during the measured windows.
function outsideShare(results) {
  let outside = 0;
  let capacity = 0;
  const add = (cpu) => { if (cpu) { outside += cpu.outside_s; capacity += cpu.machine_capacity_s; } };
  for (const s of results.ingest?.scenarios ?? []) add(s.run.cpu);
  for (const run of results.freshness?.runs ?? []) add(run.cpu);
  add(results.fanout?.cpu_phase);
  if (results.read?.cpu_totals) { outside += results.read.cpu_totals.outside_s; capacity += results.read.cpu_totals.capacity_s; }
  return capacity ? outside / capacity : undefined;
}

main().then(() => exit(0), (err) => exit(1, `stack bench failed: ${err?.stack ?? err}`));
