// Starts the whole system on the local Workers runtime: used by scripts/dev and by every end-to-end test.
//
// Two wrangler processes, because only the first config of a `wrangler dev -c … -c …` gets a port:
//   public:  read-gateway (the port), event-do, archiver-consumer, analytics-consumer
//   ingest:  ingest-gateway (its own port), reaching event-do's Durable Objects through the dev registry
// Queues stay inside the public process: a Queue produced in one process and consumed in another does not
// deliver locally. Each stack gets its own state folder and dev registry, so stacks never see each other.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { ROOT, LOCAL_ISSUER, LOCAL_AUDIENCE, SIGNED_FEED, SIGNED_FEED_KEY, SIM_FEED, SIM_FEED_KEY, OPERATOR } from './access-keys.mjs';
import { startAccessStandIn } from './access-stand-in.mjs';

const WRANGLER = join(ROOT, 'node_modules', '.bin', 'wrangler');
const config = (name) => join(ROOT, 'wrangler', `${name}.toml`);

export const QUIET_WRANGLER_ENV = {
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  NO_UPDATE_NOTIFIER: '1',
};

/// Lines the terminal of ./scripts/dev does not need: workers' info logs and wrangler's request lines.
const QUIET_LINE = /"level":"(info|debug)"|\[wrangler:info\] (GET|POST|PUT|DELETE|HEAD|OPTIONS) /;

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, child, name, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before becoming healthy`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not answer ${url} within ${timeoutMs} ms`);
}

/// The last lines a stack process wrote, to say why it stopped.
function logTail(logDir, name, lines = 15) {
  try {
    return readFileSync(join(logDir, `${name}.log`), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function runWrangler(args, env) {
  const res = spawnSync(WRANGLER, args, { cwd: ROOT, env, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`wrangler ${args.join(' ')} failed:\n${res.stdout}\n${res.stderr}`);
  return res.stdout;
}

/// Applies the analytics database's migrations to the local D1 in `stateDir`.
export function migrateLocalD1(stateDir, env = { ...process.env, ...QUIET_WRANGLER_ENV }) {
  runWrangler(['d1', 'migrations', 'apply', 'ANALYTICS_DB', '--local', '--persist-to', stateDir,
    '-c', config('analytics-consumer')], env);
}

/// Runs a read-only SQL query against the local analytics D1 and returns its rows.
export function queryLocalD1(stateDir, sql) {
  const out = runWrangler(['d1', 'execute', 'ANALYTICS_DB', '--local', '--persist-to', stateDir,
    '-c', config('analytics-consumer'), '--json', '--command', sql], { ...process.env, ...QUIET_WRANGLER_ENV });
  const parsed = JSON.parse(out);
  return parsed[0]?.results ?? [];
}

/// Reads an object from a local bucket (the archive unless told), or returns null when it does not exist.
export function readLocalR2(stateDir, key, { bucket = 'olympic-archive', worker = 'archiver-consumer' } = {}) {
  const res = spawnSync(WRANGLER, ['r2', 'object', 'get', `${bucket}/${key}`, '--local', '--persist-to', stateDir,
    '-c', config(worker), '--pipe'], { cwd: ROOT, env: { ...process.env, ...QUIET_WRANGLER_ENV }, encoding: 'utf8' });
  return res.status === 0 ? res.stdout : null;
}

/// A copy of a Worker's config in `dir` with `vars` set (paths made absolute), for a stack that needs a
/// setting the config does not carry.
function withVars(path, dir, name, vars) {
  mkdirSync(dir, { recursive: true });
  let text = readFileSync(path, 'utf8').replace(/= "\.\.\//g, `= "${ROOT}/`);
  const lines = Object.entries(vars).map(([key, value]) => `${key} = ${JSON.stringify(String(value))}`).join('\n');
  text = /^\[vars\]$/m.test(text) ? text.replace(/^\[vars\]$/m, `[vars]\n${lines}`) : `${text}\n[vars]\n${lines}\n`;
  const copy = join(dir, `${name}.toml`);
  writeFileSync(copy, text);
  return copy;
}

export async function startStack({
  readPort,
  ingestPort,
  stateDir,
  logDir = stateDir,
  accessPort = 0,
  echo = false,
  healthTimeoutMs = 60_000,
  readVars = {},
  // Settings of the ingest gateway that replace the local defaults below (FEED_POLICIES, …).
  ingestVars = {},
  // Where each Worker's config is (the benchmark runs copies with a tail counter attached), and configs of
  // further Workers to run in the public process.
  configFor = config,
  publicExtras = [],
  // Settings of Workers other than the first of a process (`--var` reaches only that one), by Worker:
  // e.g. { 'analytics-consumer': { DEAD_LETTER_AFTER_SECONDS: '4' } }.
  workerVars = {},
} = {}) {
  readPort ??= await freePort();
  mkdirSync(stateDir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  const access = await startAccessStandIn({ port: accessPort });
  const env = {
    ...process.env,
    ...QUIET_WRANGLER_ENV,
    WRANGLER_REGISTRY_PATH: join(stateDir, 'registry'),
    // wrangler writes its own logs here instead of the home folder.
    WRANGLER_LOG_PATH: join(logDir, 'wrangler-logs'),
  };
  migrateLocalD1(stateDir, env);
  if (Object.keys(workerVars).length > 0) {
    const base = configFor;
    const dir = join(stateDir, 'configs');
    configFor = (name) => (workerVars[name] ? withVars(base(name), dir, name, workerVars[name]) : base(name));
  }

  const children = [];
  const launch = async (name, args) => {
    const inspectorPort = await freePort();
    const child = spawn(WRANGLER, ['dev', ...args, '--ip', '127.0.0.1', '--persist-to', stateDir,
      '--inspector-port', String(inspectorPort), '--show-interactive-dev-session=false', '--log-level', 'log'], {
      cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    });
    const log = createWriteStream(join(logDir, `${name}.log`));
    for (const stream of [child.stdout, child.stderr]) {
      stream.pipe(log, { end: false });
      // The terminal gets warnings and errors; every line, info included, is in the log file.
      if (echo) {
        createInterface({ input: stream }).on('line', (line) => {
          if (!QUIET_LINE.test(line)) process.stderr.write(`[${name}] ${line}\n`);
        });
      }
    }
    children.push(child);
    return child;
  };

  const stop = async () => {
    await Promise.all(children.map((child) => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', resolve);
      try { process.kill(-child.pid, 'SIGTERM'); } catch { resolve(); }
      setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000).unref();
    })));
    await access.close();
  };

  try {
    const pub = await launch('public', ['-c', configFor('read-gateway'), '-c', configFor('event-do'),
      '-c', configFor('archiver-consumer'), '-c', configFor('analytics-consumer'),
      ...publicExtras.flatMap((extra) => ['-c', extra]), '--port', String(readPort),
      ...Object.entries(readVars).flatMap(([key, value]) => ['--var', `${key}:${value}`])]);
    await waitForHealth(`http://127.0.0.1:${readPort}/healthz`, pub, 'read-gateway', healthTimeoutMs);
    const ingestSettings = {
      ACCESS_CERTS_URL: access.certsUrl,
      ACCESS_ISSUER: LOCAL_ISSUER,
      ACCESS_AUD: LOCAL_AUDIENCE,
      // Two feeds must sign: the one the auth tests use, and the simulated Games.
      FEED_SIGNING_KEYS: `service:${SIGNED_FEED}=${SIGNED_FEED_KEY},service:${SIM_FEED}=${SIM_FEED_KEY}`,
      ADMIN_IDENTITIES: `service:${OPERATOR}`,
      // Locally every feed may write every event; tests of the allow-lists set their own policy.
      FEED_POLICIES: JSON.stringify({ feeds: { '*': { events: ['*'] } } }),
      ...ingestVars,
    };
    // The ingest port is chosen only now: the public process's runtime opens ports of its own while it
    // starts, and a port picked before it could be taken by then. One more try with a fresh port if the
    // ingest process still dies before it is healthy.
    const fixedPort = ingestPort;
    for (let attempt = 1; ; attempt += 1) {
      ingestPort = fixedPort ?? await freePort();
      const ingest = await launch('ingest', ['-c', configFor('ingest-gateway'), '--port', String(ingestPort),
        ...Object.entries(ingestSettings).flatMap(([key, value]) => ['--var', `${key}:${value}`])]);
      try {
        await waitForHealth(`http://127.0.0.1:${ingestPort}/healthz`, ingest, 'ingest-gateway', healthTimeoutMs);
        break;
      } catch (err) {
        if (attempt >= 2 || ingest.exitCode === null) throw new Error(`${err.message}\n${logTail(logDir, 'ingest')}`);
        process.stderr.write(`ingest-gateway exited before it was healthy; starting it again\n${logTail(logDir, 'ingest')}\n`);
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    readUrl: `http://127.0.0.1:${readPort}`,
    ingestUrl: `http://127.0.0.1:${ingestPort}`,
    stateDir,
    access,
    stop,
    children,
  };
}
