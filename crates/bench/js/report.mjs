// The one writer of docs/PERFORMANCE.md's generated sections. Every benchmark prints JSON; this script
// renders each part it is given and puts it between that part's markers, `<!-- NAME:start -->` and
// `<!-- NAME:end -->`, leaving the hand-written text around them alone. A part not given is left as it is.
//
//   node crates/bench/js/report.mjs --out FILE [--domain DIR] [--stack FILE] [--loadgen FILE] [--sizes]
//                                   [--meta key=value]…
//
// --domain DIR  native.json, wasm.json and redis.json of `scripts/bench` (domain-bench section)
// --stack FILE  results.json of stack-bench.mjs (stack-bench-results section)
// --loadgen F   the JSON report of `bench loadgen` (loadgen-results section)
// --sizes       the built Workers' sizes (worker-sizes section)
// --meta k=v    facts of the run shown in the domain header: date, commit, rustc, node, load, wasm, peer
// A FILE that does not exist yet is created with only the sections given (quick runs write to target/).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { renderDomain } from './report-domain.mjs';
import { renderStack } from './report-stack.mjs';
import { renderLoadgen } from './report-loadgen.mjs';
import { measureSizes, renderSizes } from './report-sizes.mjs';
import { cpuModel } from './stack-common.mjs';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const LAST_SECTION = '## Worker sizes';

/// Puts `body` between the markers of `name` in `document`; the first time, inserts a section with
/// `heading` before "## Worker sizes" (or at the end).
export function splice(document, name, body, heading) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${body}\n${end}`;
  const a = document.indexOf(start);
  const b = document.indexOf(end);
  if (a >= 0 && b > a) return document.slice(0, a) + block + document.slice(b + end.length);
  const section = `${heading}\n\n${block}\n\n`;
  const at = name === 'worker-sizes' ? -1 : document.indexOf(LAST_SECTION);
  if (at >= 0) return document.slice(0, at) + section + document.slice(at);
  return `${document.trimEnd()}\n\n${section}`.trimStart();
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

export function main(argv = process.argv.slice(2)) {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      domain: { type: 'string' },
      stack: { type: 'string' },
      loadgen: { type: 'string' },
      sizes: { type: 'boolean', default: false },
      meta: { type: 'string', multiple: true, default: [] },
    },
    strict: true,
  });
  if (!values.out) throw new Error('report.mjs needs --out FILE');
  const meta = { cpu: cpuModel() };
  for (const pair of values.meta) {
    const at = pair.indexOf('=');
    meta[at < 0 ? pair : pair.slice(0, at)] = at < 0 ? '' : pair.slice(at + 1);
  }
  let doc = existsSync(values.out) ? readFileSync(values.out, 'utf8') : '# Performance (a benchmark run, not docs/PERFORMANCE.md)\n';
  const written = [];
  if (values.domain) {
    const dir = values.domain;
    const optional = (f) => (existsSync(join(dir, f)) ? readJson(join(dir, f)) : undefined);
    const body = renderDomain({ native: readJson(join(dir, 'native.json')), wasm: optional('wasm.json'), redis: optional('redis.json'), meta });
    doc = splice(doc, 'domain-bench', body, '## Domain');
    written.push('domain');
  }
  if (values.stack) {
    doc = splice(doc, 'stack-bench-results', renderStack(readJson(values.stack)), '## Stack');
    written.push('stack');
  }
  if (values.loadgen) {
    doc = splice(doc, 'loadgen-results', renderLoadgen(readJson(values.loadgen)), '## Games-scale load');
    written.push('loadgen');
  }
  if (values.sizes) {
    const sizes = measureSizes(ROOT);
    if (sizes) {
      doc = splice(doc, 'worker-sizes', renderSizes({ sizes, meta }), LAST_SECTION);
      written.push('worker sizes');
    }
  }
  writeFileSync(values.out, doc);
  return written;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const written = main();
    process.stderr.write(`report: ${written.join(', ') || 'nothing'} written\n`);
  } catch (err) {
    process.stderr.write(`report: ${err.message}\n`);
    process.exit(2);
  }
}
