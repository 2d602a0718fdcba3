// Runs the Games-scale load generator (`bench loadgen`, crates/bench/src/loadgen) against a fresh local
// stack whose every Worker is watched by the tail counter, and writes its JSON report.
//
//   node crates/bench/js/loadgen.mjs --out FILE [--short] [--fanout-sweep] [--ratios-out FILE]
//
// --short         a few viewers and a few seconds (the end-to-end test's size): checks it works
// --fanout-sweep  also the broadcast sweep: one event, 0 then 1,000 to 2,500 viewers
// --ratios-out    where the measured ratios go for the cost tool (scripts/bench: crates/cost/measured.json)
// The standard profile: 12 events (6 live), 1,000 viewers, 200 reads/s, 20 updates/s, 20 s per phase.
// Every process it starts is stopped on the way out; KEEP_STATE=1 keeps the state folder.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { signToken } from '../../../scripts/lib/access-keys.mjs';
import { startStack } from '../../../scripts/lib/stack.mjs';
import { countedConfigs, startCollector, TAIL_SERVICE } from './collector.mjs';
import { ROOT, hardOpenFileLimit, loadAverage, log, openFileLimit } from './stack-common.mjs';

const PROFILES = {
  standard: ['--events', '12', '--live', '6', '--viewers', '1000', '--reads-per-s', '200', '--updates-per-s', '20', '--phase-seconds', '20'],
  short: ['--events', '4', '--live', '2', '--viewers', '20', '--reads-per-s', '20', '--updates-per-s', '5', '--phase-seconds', '3'],
};
const SWEEP = ['--fanout-sweep', '0,1000,1500,2000,2500', '--fanout-rounds', '10'];

const args = process.argv.slice(2);
const { values: flags } = parseArgs({
  args,
  options: {
    out: { type: 'string' },
    short: { type: 'boolean', default: false },
    'fanout-sweep': { type: 'boolean', default: false },
    'ratios-out': { type: 'string' },
  },
  strict: true,
});

// Thousands of sockets need more open files than a default shell allows: run again under `ulimit -n`.
if (openFileLimit() < 12_000 && !process.env.LOADGEN_RAISED) {
  const res = spawnSync('bash', ['-c', `ulimit -n ${Math.min(hardOpenFileLimit(), 20_000)} && exec "$@"`, 'bash', process.execPath, fileURLToPath(import.meta.url), ...args],
    { stdio: 'inherit', env: { ...process.env, LOADGEN_RAISED: '1' } });
  process.exit(res.status ?? 1);
}

const target = process.env.CARGO_TARGET_DIR || join(ROOT, 'target');
const workDir = join(target, 'bench', 'loadgen', `run-${process.pid}`);

/// The workerd processes under a wrangler process (the Workers run in them): their memory is what the
/// objects use.
function workerdPids(root) {
  const out = spawnSync('ps', ['-e', '-o', 'pid=,ppid=,comm='], { encoding: 'utf8' }).stdout ?? '';
  const rows = out.trim().split('\n').map((l) => l.trim().split(/\s+/)).map(([pid, ppid, comm]) => ({ pid: Number(pid), ppid: Number(ppid), comm }));
  const under = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of rows) if (under.has(r.ppid) && !under.has(r.pid)) { under.add(r.pid); grew = true; }
  }
  return rows.filter((r) => under.has(r.pid) && /workerd/.test(r.comm)).map((r) => r.pid);
}

async function main() {
  if (!flags.out) throw new Error('loadgen.mjs needs --out FILE');
  const started = Date.now();
  const loadAtStart = loadAverage();
  log('loadgen: building the load generator (release)');
  const build = spawnSync('cargo', ['build', '--release', '--quiet', '-p', 'bench', '--bin', 'bench'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('cargo build -p bench failed');
  mkdirSync(workDir, { recursive: true });
  const stateDir = join(workDir, 'state');
  const collector = await startCollector({ stateDir });
  const counted = countedConfigs(join(workDir, 'wrangler'), collector.url);
  collector.setFacts(counted);
  log(`loadgen: starting the local stack, every Worker watched by ${TAIL_SERVICE}`);
  // The fan-out sweep measures one object's cost per socket (the input the relay tree is sized from), so
  // one object must hold all its viewers: the sized default would send those past 143 to relays.
  const readVars = flags['fanout-sweep'] ? { LIVE_DIRECT_VIEWERS: '30000' } : {};
  const stack = await startStack({ stateDir, configFor: counted.configFor, publicExtras: counted.tailConfigs, readVars });
  collector.watchWrites();
  let child;
  const stop = async () => {
    if (child && child.exitCode === null) child.kill('SIGTERM');
    await stack.stop();
    await collector.close();
    if (process.env.KEEP_STATE !== '1') rmSync(workDir, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop().then(() => process.exit(130)));
  try {
    const token = signToken({ ttlSeconds: 3600, claims: { common_name: 'loadgen-feed.access' } });
    const watch = workerdPids(stack.children[0].pid);
    const cli = ['loadgen', '--read-url', stack.readUrl, '--ingest-url', stack.ingestUrl, '--counters-url', collector.url,
      ...PROFILES[flags.short ? 'short' : 'standard'], ...(flags['fanout-sweep'] ? SWEEP : []),
      '--watch-pids', watch.join(','), ...(flags['ratios-out'] ? ['--ratios-out', flags['ratios-out']] : [])];
    log(`loadgen: ${cli.slice(7).join(' ')}`);
    // Bounded: the standard profile with the sweep takes about five minutes; a watchdog ends it at 15.
    const report = await new Promise((resolve, reject) => {
      child = spawn(join(target, 'release', 'bench'), cli, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOADGEN_TOKEN: token } });
      const chunks = [];
      child.stdout.on('data', (c) => chunks.push(c));
      const watchdog = setTimeout(() => child.kill('SIGTERM'), (flags.short ? 3 : 15) * 60_000);
      // 'close', not 'exit': the report is on stdout, which may still be draining when the process exits.
      child.on('close', (code) => {
        clearTimeout(watchdog);
        if (code !== 0) return reject(new Error(`bench loadgen exited with ${code}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (err) {
          reject(new Error(`bench loadgen's report is not JSON: ${err.message}`));
        }
      });
    });
    const git = (...a) => spawnSync('git', a, { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
    report.meta = {
      date: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
      commit: git('rev-parse', '--short', 'HEAD'),
      load_at_start: loadAtStart,
      load_at_end: loadAverage(),
      node: process.version,
      wrangler: JSON.parse(readFileSync(join(ROOT, 'node_modules', 'wrangler', 'package.json'), 'utf8')).version,
      seconds: Math.round((Date.now() - started) / 1000),
      profile: flags.short ? 'short' : 'standard',
    };
    mkdirSync(dirname(flags.out), { recursive: true });
    writeFileSync(flags.out, JSON.stringify(report, null, 2) + '\n');
    log(`loadgen: report written to ${flags.out.replace(`${ROOT}/`, '')} (${report.meta.seconds} s)`);
  } finally {
    await stop();
  }
}

main().catch((err) => {
  console.error(`loadgen: ${err?.stack ?? err}`);
  process.exit(1);
});
