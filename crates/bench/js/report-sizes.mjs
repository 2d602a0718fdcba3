// The Worker sizes section of docs/PERFORMANCE.md: each built Worker's wasm, raw and gzipped, read from
// workers/*/build (what the benchmarks ran). Rendering only; report.mjs writes the file.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const WORKERS = ['event-do', 'read-gateway', 'ingest-gateway', 'archiver-consumer', 'analytics-consumer'];

/// The sizes of the Workers built in `root`, or null when one is not built.
export function measureSizes(root) {
  const rows = [];
  for (const worker of WORKERS) {
    const file = join(root, 'workers', worker, 'build', 'index_bg.wasm');
    try {
      const bytes = readFileSync(file);
      rows.push({ worker, bytes: bytes.length, gzipped: gzipSync(bytes, { level: 9 }).length, built: statSync(file).mtime.toISOString() });
    } catch {
      return null;
    }
  }
  return rows;
}

export function renderSizes({ sizes, meta }) {
  return [
    `Release build with wasm-opt, measured ${meta.date} at commit ${meta.commit}. Workers may be up to 64 MiB; size matters for cold starts, not for limits.`,
    '',
    '| Worker | wasm (bytes) | gzipped (bytes) |',
    '|---|---:|---:|',
    ...sizes.map((s) => `| ${s.worker} | ${s.bytes} | ${s.gzipped} |`),
  ].join('\n');
}
