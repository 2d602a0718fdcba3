// The domain section of docs/PERFORMANCE.md: ours natively and in wasm beside Redis, from the JSON that
// `bench domain`, run-wasm.mjs and `bench redis` print. Rendering only; report.mjs writes the file.

// Issue 3's targets, in nanoseconds per operation.
const TARGETS = {
  'leaderboard/100': { native: 5_000, wasm: 15_000, text: '≤ 5 µs native, ≤ 15 µs wasm (3×)' },
  'medal-table/games': { native: 100_000, wasm: 100_000, text: '≤ 100 µs (native and wasm)' },
  'medal-book/games': { native: 100_000, wasm: 100_000, text: '≤ 100 µs (native and wasm)' },
};

/// `1.23 µs`, `45.6 µs`, `789 µs`, `1.23 ms` (as `bench::stats::duration`).
export function duration(ns) {
  const us = ns / 1000;
  if (us < 10) return `${us.toFixed(2)} µs`;
  if (us < 100) return `${us.toFixed(1)} µs`;
  if (us < 1000) return `${us.toFixed(0)} µs`;
  return `${(us / 1000).toFixed(2)} ms`;
}

function ratio(peer, ours) {
  if (!(ours > 0)) return '—';
  const r = peer / ours;
  if (r >= 10) return `${r.toFixed(0)}×`;
  if (r >= 1) return `${r.toFixed(1)}×`;
  if (r >= 0.1) return `${r.toFixed(2)}×`;
  return `${r.toFixed(3)}×`;
}

function verdict(platform, measured, limit) {
  if (measured === undefined || limit === undefined) return null;
  return measured <= limit ? `${platform} ✅` : `${platform} ❌ (${(measured / limit).toFixed(1)}× over)`;
}

/// The Markdown between the domain-bench markers. `meta` holds the run's facts (date, commit, load…).
export function renderDomain({ native, wasm, redis, meta }) {
  const find = (list, id) => list?.find((m) => m.id === id);
  const lines = [];
  lines.push(`_Written by \`scripts/bench\` on ${meta.date} at commit \`${meta.commit}\`: ${meta.cpu} (load average at start ${meta.load}); ${meta.rustc}; Node ${meta.node}; wasm ${meta.wasm}; Redis ${redis?.redis_version ?? 'not run'} (${meta.peer}). Times per operation; lower is better._`, '');
  lines.push('| operation | size | ours native median | ours native p99 | ours wasm median | Redis median | Redis p99 | Redis pipelined median | Redis ÷ ours, native / wasm (> 1: we are faster) | target | met |');
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|');
  for (const ours of native.results) {
    const inWasm = find(wasm?.results, ours.id);
    // The variants are compared with the same Redis operation as the plain update.
    const peerId = ours.id.replace('leaderboard-json/', 'leaderboard/').replace('leaderboard-open/', 'leaderboard/');
    const sequential = find(redis?.sequential, peerId);
    const pipelined = find(redis?.pipelined, peerId);
    const ratios = sequential
      ? `${ratio(sequential.summary.median_ns, ours.summary.median_ns)} / ${inWasm ? ratio(sequential.summary.median_ns, inWasm.summary.median_ns) : '—'}`
      : '—';
    const goal = TARGETS[ours.id];
    const met = goal
      ? [verdict('native', ours.summary.median_ns, goal.native), verdict('wasm', inWasm?.summary.median_ns, goal.wasm)].filter(Boolean).join(', ')
      : '—';
    const d = (m, key) => (m ? duration(m.summary[key]) : '—');
    lines.push(`| ${ours.operation} | ${ours.size} | ${d(ours, 'median_ns')} | ${d(ours, 'p99_ns')} | ${d(inWasm, 'median_ns')} | ${d(sequential, 'median_ns')} | ${d(sequential, 'p99_ns')} | ${d(pipelined, 'median_ns')} | ${ratios} | ${goal?.text ?? '—'} | ${met} |`);
  }
  lines.push('', 'Details of the run:', '');
  const detail = (platform, m) => lines.push(`- ${platform} \`${m.id}\`: ${m.summary.samples} samples, min ${duration(m.summary.min_ns)}, mean ${duration(m.summary.mean_ns)}, p99 ${duration(m.summary.p99_ns)}; ${m.detail || '—'}`);
  for (const m of native.results) detail('native', m);
  for (const m of wasm?.results ?? []) detail('wasm', m);
  if (redis) {
    for (const m of redis.sequential) detail('redis', m);
    for (const m of redis.pipelined) detail('redis pipelined', m);
    detail('redis', redis.ping);
  }
  lines.push(`- clock overhead (two consecutive readings, median): native ${duration(native.clock_overhead_ns)}, wasm ${wasm ? duration(wasm.clock_overhead_ns) : '—'}`);
  return lines.join('\n');
}
