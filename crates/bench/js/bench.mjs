// The benchmarks' driver: what `scripts/bench` runs. It builds what is missing, runs each part, keeps every
// part's JSON under $CARGO_TARGET_DIR/bench/, and has report.mjs write docs/PERFORMANCE.md (and, after a
// load-generator run, scripts/cost rewrite docs/COSTS.md from the ratios it measured).
//
//   scripts/bench [--quick] [--only PART]… [--no-docs]
//
// Parts, in order: domain (the domain crate natively, as wasm under Node, beside Redis), stack (ingest,
// reads, freshness and fan-out beside the JavaScript peers: stack-bench.mjs), loadgen (the Games-scale
// load generator with the fan-out sweep: loadgen.mjs). --quick is a smoke run of every part selected and,
// like --only and --no-docs, writes $CARGO_TARGET_DIR/bench/PERFORMANCE.md instead of docs/.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, loadAverage, log } from './stack-common.mjs';

const PARTS = ['domain', 'stack', 'loadgen'];
const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true, default: [] },
    'no-docs': { type: 'boolean', default: false },
  },
  strict: true,
});
for (const part of flags.only) {
  if (!PARTS.includes(part)) {
    console.error(`--only takes one of ${PARTS.join(', ')}`);
    process.exit(2);
  }
}
const parts = flags.only.length ? PARTS.filter((p) => flags.only.includes(p)) : PARTS;
const toDocs = !flags.quick && !flags.only.length && !flags['no-docs'];
const target = process.env.CARGO_TARGET_DIR || join(ROOT, 'target');
const out = join(target, 'bench');
mkdirSync(out, { recursive: true });

/// Runs a command to completion with its output on ours; throws on failure.
function run(cmd, args, options = {}) {
  const res = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', options.stdout ?? 'inherit', 'inherit'], encoding: 'utf8', ...options });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status ?? res.signal})`);
  return res.stdout;
}

const git = (...a) => spawnSync('git', a, { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
function commitLabel(paths) {
  const head = git('rev-parse', '--short', 'HEAD') || 'unknown';
  const dirty = spawnSync('git', ['diff', '--quiet', 'HEAD', '--', ...paths], { cwd: ROOT }).status !== 0;
  return dirty ? `${head} + uncommitted changes to ${paths.join(', ')}` : head;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function ensureApt(command, pkg) {
  if (spawnSync('sh', ['-c', `command -v ${command}`]).status === 0) return;
  log(`installing ${pkg} (Debian package)`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const apt = (...a) => spawnSync(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), ...a],
    { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  if (!apt('install', '-y', pkg) && !(apt('update') && apt('install', '-y', pkg))) throw new Error(`could not install ${pkg}`);
}

async function domain() {
  const dir = join(out, 'domain');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const quick = flags.quick ? ['--quick'] : [];
  const load = loadAverage();
  log('domain: building (release profile: the one the Workers ship with)');
  run('cargo', ['build', '--release', '-p', 'bench', '--bin', 'bench']);
  run('cargo', ['build', '--release', '-p', 'bench', '--example', 'wasm_bench', '--target', 'wasm32-unknown-unknown']);
  run('wasm-bindgen', ['--target', 'nodejs', '--out-dir', join(dir, 'wasm'), join(target, 'wasm32-unknown-unknown', 'release', 'examples', 'wasm_bench.wasm')]);
  // worker-build runs wasm-opt -O on every Worker; so does this, so the wasm measured is the wasm shipped.
  let wasmNote = `wasm-bindgen ${process.env.WASM_BINDGEN_VERSION}`;
  const wasmOpt = process.env.WASM_OPT_BIN;
  if (wasmOpt && existsSync(wasmOpt)) {
    const file = join(dir, 'wasm', 'wasm_bench_bg.wasm');
    run(wasmOpt, ['-O', file, '-o', file]);
    wasmNote += ' + wasm-opt -O';
  }
  const bench = join(target, 'release', 'bench');
  writeFileSync(join(dir, 'plan.json'), run(bench, ['plan', ...quick], { stdout: 'pipe' }));
  log('domain, native');
  writeFileSync(join(dir, 'native.json'), run(bench, ['domain', ...quick], { stdout: 'pipe', timeout: 600_000 }));
  log(`domain, wasm32 under Node ${process.version}`);
  writeFileSync(join(dir, 'wasm.json'), run(process.execPath, [join(ROOT, 'crates', 'bench', 'js', 'run-wasm.mjs'), join(dir, 'wasm'), join(dir, 'plan.json')], { stdout: 'pipe', timeout: 600_000 }));

  log('peer: Redis sorted sets on loopback');
  ensureApt('redis-server', 'redis-server');
  // Client and server share one CPU: in this VM a loopback round trip between two CPUs pays for a vCPU
  // wake-up (~80 µs against ~8 µs), which would measure the hypervisor; one CPU is Redis's best case.
  const cpu = String(Math.max(0, (await import('node:os')).availableParallelism() - 1));
  const pinned = spawnSync('sh', ['-c', 'command -v taskset']).status === 0;
  const pin = (cmd, args) => (pinned ? ['taskset', ['-c', cpu, cmd, ...args]] : [cmd, args]);
  const port = await freePort();
  mkdirSync(join(dir, 'redis'), { recursive: true });
  const [rcmd, rargs] = pin('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--save', '', '--appendonly', 'no', '--dir', join(dir, 'redis'), '--daemonize', 'no']);
  const redis = spawn(rcmd, rargs, { stdio: 'ignore' });
  try {
    for (let i = 0; i < 50; i += 1) {
      if (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const [bcmd, bargs] = pin(bench, ['redis', '--port', String(port), ...quick]);
    writeFileSync(join(dir, 'redis.json'), run(bcmd, bargs, { stdout: 'pipe', timeout: 300_000 }));
  } finally {
    redis.kill('SIGTERM');
  }
  return [
    `--domain=${dir}`,
    `--meta=date=${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC`,
    `--meta=commit=${commitLabel(['crates/domain', 'crates/bench'])}`,
    `--meta=rustc=${run('rustc', ['--version'], { stdout: 'pipe' }).split(' ').slice(0, 2).join(' ')}`,
    `--meta=node=${process.version} (V8 ${process.versions.v8})`,
    `--meta=load=${load}`,
    `--meta=wasm=${wasmNote}`,
    `--meta=peer=${pinned ? `redis-server and client pinned to CPU ${cpu}` : 'redis-server and client unpinned'}`,
  ];
}

function ensureWorkersBuilt() {
  if (!existsSync(join(ROOT, 'workers', 'event-do', 'build', 'index.js'))) run(join(ROOT, 'scripts', 'build'), []);
}

async function main() {
  const reportArgs = [];
  if (parts.includes('domain')) reportArgs.push(...(await domain()));
  if (parts.includes('stack')) {
    ensureWorkersBuilt();
    log('stack benchmarks (local Workers runtime, with JavaScript peers)');
    run(process.execPath, [join(ROOT, 'crates', 'bench', 'js', 'stack-bench.mjs'), ...(flags.quick ? ['--quick'] : [])]);
    reportArgs.push(`--stack=${join(out, 'stack', flags.quick ? 'results-quick.json' : 'results.json')}`);
  }
  if (parts.includes('loadgen')) {
    ensureWorkersBuilt();
    log('Games-scale load (bench loadgen against the local stack)');
    const loadgenOut = join(out, 'loadgen', flags.quick ? 'report-quick.json' : 'report.json');
    run(process.execPath, [join(ROOT, 'crates', 'bench', 'js', 'loadgen.mjs'), '--out', loadgenOut,
      ...(flags.quick ? ['--short'] : ['--fanout-sweep']),
      ...(toDocs ? ['--ratios-out', join(ROOT, 'crates', 'cost', 'measured.json')] : [])]);
    reportArgs.push(`--loadgen=${loadgenOut}`);
  }
  const doc = toDocs ? join(ROOT, 'docs', 'PERFORMANCE.md') : join(out, 'PERFORMANCE.md');
  if (!toDocs) rmSync(doc, { force: true });
  run(process.execPath, [join(ROOT, 'crates', 'bench', 'js', 'report.mjs'), `--out=${doc}`, ...reportArgs, ...(toDocs ? ['--sizes'] : [])]);
  log(`results written to ${doc.replace(`${ROOT}/`, '')}`);
  if (toDocs && parts.includes('loadgen')) {
    log('costs from the measured ratios (scripts/cost)');
    run(join(ROOT, 'scripts', 'cost'), []);
  }
}

main().catch((err) => {
  console.error(`bench: ${err.message}`);
  process.exit(1);
});
