// The collector of the benchmark's counts: a loopback HTTP server that the tail counter
// (crates/bench/peers/tail-counter.js) posts its sums to, and that the load generator asks for snapshots
// (`GET /snapshot`, with `?storage=1` also counting the local R2 bucket and D1 table). It also writes the
// bench-only copies of wrangler/*.toml that attach the tail counter to every Worker of the stack: the
// repository's configs and the Workers themselves are untouched.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, watch, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { ROOT } from '../../../scripts/lib/access-keys.mjs';
import { queryLocalD1 } from '../../../scripts/lib/stack.mjs';

export const TAIL_SERVICE = 'bench-tail-counter';
const tailService = (worker) => `${TAIL_SERVICE}-${worker}`;
const WORKERS = ['read-gateway', 'event-do', 'archiver-consumer', 'analytics-consumer', 'ingest-gateway'];

/// Each Worker's name and head_sampling_rate, read from its config.
function configFacts(text) {
  const name = /^name\s*=\s*"([^"]+)"/m.exec(text)?.[1];
  const rate = /^head_sampling_rate\s*=\s*([0-9.]+)/m.exec(text)?.[1];
  return { name, sampling: rate === undefined ? 1 : Number(rate) };
}

/// Writes the configs of the counted stack into `dir`: each of wrangler/*.toml with absolute paths and
/// `tail_consumers` naming its own instance of the tail counter, and those instances' configs. Returns
/// { configFor(name), tailConfigs, sampling, kvBindings }.
export function countedConfigs(dir, collectorUrl) {
  mkdirSync(dir, { recursive: true });
  const sampling = {};
  const tailConfigs = [];
  let kvBindings = 0;
  for (const worker of WORKERS) {
    let text = readFileSync(join(ROOT, 'wrangler', `${worker}.toml`), 'utf8');
    const facts = configFacts(text);
    sampling[facts.name] = facts.sampling;
    kvBindings += (text.match(/^\[\[kv_namespaces\]\]/gm) ?? []).length;
    text = text.replace(/= "\.\.\//g, `= "${ROOT}/`);
    text = text.replace(/^(workers_dev\s*=.*)$/m, `$1\n# Bench only: every invocation's trace event goes to the counter.\ntail_consumers = [{ service = "${tailService(worker)}" }]`);
    if (!text.includes('tail_consumers')) throw new Error(`cannot attach the tail counter to wrangler/${worker}.toml`);
    writeFileSync(join(dir, `${worker}.toml`), text);
    const tailConfig = join(dir, `tail-${worker}.toml`);
    writeFileSync(tailConfig, [
      `name = "${tailService(worker)}"`,
      `main = "${join(ROOT, 'crates', 'bench', 'peers', 'tail-counter.js')}"`,
      'compatibility_date = "2026-04-20"',
      'workers_dev = false',
      '[vars]',
      `COLLECTOR_URL = "${collectorUrl}/tail"`,
      `WATCHED = "${facts.name}"`,
      '',
    ].join('\n'));
    tailConfigs.push(tailConfig);
  }
  return { configFor: (name) => join(dir, `${name}.toml`), tailConfigs, sampling, kvBindings };
}

/// Rows D1 writes per inserted change: the row, and one per index (a composite primary key is an index).
function d1RowsPerInsert() {
  const dir = join(ROOT, 'workers', 'analytics-consumer', 'migrations');
  let indexes = 0;
  let primary = 0;
  for (const file of readdirSync(dir)) {
    const sql = readFileSync(join(dir, file), 'utf8');
    indexes += (sql.match(/CREATE\s+(UNIQUE\s+)?INDEX/gi) ?? []).length;
    primary += (sql.match(/PRIMARY\s+KEY\s*\(/gi) ?? []).length;
  }
  return 1 + indexes + primary;
}

function walk(dir) {
  let files = 0;
  let bytes = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return { files, bytes };
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      const sub = walk(path);
      files += sub.files;
      bytes += sub.bytes;
    } else {
      files += 1;
      bytes += statSync(path).size;
    }
  }
  return { files, bytes };
}

/// Counts writes to the local R2 buckets and KV namespaces as they happen: Miniflare stores every value it
/// is given as a new blob file (and deletes the one it replaces), so each blob created under
/// `v3/r2/<bucket>/blobs` or `v3/kv/<namespace>/blobs` is one put. Hot documents overwrite the same keys,
/// so counting what the folders hold at the end would miss every rewrite. Call `start()` once the state
/// folder exists.
function writeWatcher(stateDir) {
  const seen = new Set();
  const puts = {};
  let watcher;
  return {
    start() {
      watcher = watch(join(stateDir, 'v3'), { recursive: true }, (type, name) => {
        // workerd writes a value to a hidden temporary file (`.kj-tmp…`) and renames it: count the final name.
        const m = /^(r2|kv)\/([^/]+)\/blobs\/([^./][^/]*)$/.exec(String(name ?? ''));
        if (!m || seen.has(name)) return;
        if (type === 'rename' && !existsSync(join(stateDir, 'v3', name))) return; // a deletion
        seen.add(name);
        const key = `${m[1]}:${m[2]}`;
        puts[key] = (puts[key] ?? 0) + 1;
      });
    },
    puts: () => ({ ...puts }),
    close: () => watcher?.close(),
  };
}

/// Starts the collector on a free loopback port. `stateDir` is the stack's state folder.
export async function startCollector({ stateDir }) {
  const invocations = {};
  const writes = writeWatcher(stateDir);
  let sampling = {};
  let kvBindings = 0;
  const rowsPerInsert = d1RowsPerInsert();
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/tail') {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        try {
          for (const [key, b] of Object.entries(JSON.parse(Buffer.concat(chunks).toString('utf8')))) {
            const into = (invocations[key] ??= { count: 0, cpu_ms: 0, wall_ms: 0, log_lines: 0, log_bytes: 0, queue_messages: 0, errors: 0 });
            for (const [field, value] of Object.entries(b)) into[field] = (into[field] ?? 0) + value;
          }
        } catch {
          // a malformed post counts for nothing
        }
        res.writeHead(204).end();
      });
      return;
    }
    if (req.method === 'GET' && req.url.startsWith('/snapshot')) {
      const storage = req.url.includes('storage=1');
      const snap = { invocations: structuredClone(invocations), sampling, puts: writes.puts(), r2_objects: 0, r2_bytes: 0, d1_rows: 0, d1_rows_per_insert: rowsPerInsert, kv_bindings: kvBindings };
      if (storage) {
        // Miniflare keeps each R2 object's body as a file under the bucket's blobs folder.
        const blobs = walk(join(stateDir, 'v3', 'r2', 'olympic-archive', 'blobs'));
        snap.r2_objects = blobs.files;
        snap.r2_bytes = blobs.bytes;
        try {
          snap.d1_rows = Number(queryLocalD1(stateDir, 'SELECT COUNT(*) AS n FROM changes')[0]?.n ?? 0);
        } catch {
          snap.d1_rows = 0;
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(snap));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    setFacts(facts) {
      sampling = facts.sampling;
      kvBindings = facts.kvBindings;
    },
    /// Starts counting R2 and KV writes (the state folder must exist: after the stack has started).
    watchWrites: () => writes.start(),
    close: () => {
      writes.close();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
