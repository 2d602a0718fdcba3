// Runs the simulated Games (crates/sim, binary olympic-sim) against a local stack: used by scripts/dev and
// by the end-to-end tests. The binary reads the local Access key from .dev/access to mint its tokens and
// gets its signing key in SIM_SIGNING_KEY (never on the command line, where `ps` would show it).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, KEY_DIR, SIM_FEED, SIM_FEED_KEY } from './access-keys.mjs';

export const SIM_BINARY = join(process.env.CARGO_TARGET_DIR || join(ROOT, 'target'), 'release', 'olympic-sim');

/// Builds the simulator natively in release mode (it plays ten thousand messages; debug would be slow).
export function buildSim({ stdio = 'inherit' } = {}) {
  const res = spawnSync('cargo', ['build', '--release', '--locked', '-p', 'sim'], { cwd: ROOT, stdio });
  if (res.status !== 0) throw new Error(`cargo build --release -p sim failed (${res.status})`);
}

/// Builds the binary unless it is there and up to date (cargo answers that in a fraction of a second), so a
/// test never plays an old simulator.
export function ensureSim(options) {
  buildSim(options);
  if (!existsSync(SIM_BINARY)) throw new Error(`no simulator at ${SIM_BINARY} after the build`);
  return SIM_BINARY;
}

/// Starts olympic-sim against `ingestUrl`. `args` are extra flags (--profile, --speed, --progress…);
/// `onLine` gets each line it prints. Resolves `exited` with the exit code (or the signal's name).
export function startSim({ ingestUrl, args = [], onLine = () => {}, env = {} }) {
  const child = spawn(SIM_BINARY, ['--ingest-url', ingestUrl, '--access-dir', KEY_DIR, '--feed-id', SIM_FEED, ...args], {
    cwd: ROOT,
    env: { ...process.env, SIM_SIGNING_KEY: SIM_FEED_KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) onLine(line);
    });
    stream.on('end', () => { if (pending) onLine(pending); });
  }
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal));
    // No binary (SIM left on without building it): say so instead of crashing the caller.
    child.on('error', (err) => {
      onLine(`cannot start ${SIM_BINARY}: ${err.message} (cargo build --release -p sim)`);
      resolve('error');
    });
  });
  return { child, exited };
}
