// Runs the wasm32 build of the domain benchmarks under Node (the closest local stand-in for the V8 in
// workerd) and prints the report as JSON on stdout, a one-line summary per case on stderr.
// Usage: node run-wasm.mjs <wasm-bindgen --target nodejs output dir> <plan.json>
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { positionals: [dir, planFile] } = parseArgs({ allowPositionals: true, strict: true });
if (!dir || !planFile) {
  console.error('usage: node run-wasm.mjs <bindgen-dir> <plan.json>');
  process.exit(2);
}

// wasm-bindgen's nodejs target is CommonJS; it loads the .wasm synchronously beside it.
const require = createRequire(import.meta.url);
const bench = require(path.resolve(dir, 'wasm_bench.js'));
const report = JSON.parse(bench.run(readFileSync(planFile, 'utf8')));

const us = (ns) => (ns / 1000).toFixed(ns < 10_000 ? 2 : 1).padStart(9) + ' µs';
for (const m of report.results) {
  console.error(`  wasm   ${m.id.padEnd(24)} median ${us(m.summary.median_ns)}  p99 ${us(m.summary.p99_ns)}  (${m.summary.samples} samples)`);
}
process.stdout.write(JSON.stringify(report, null, 2) + '\n');
