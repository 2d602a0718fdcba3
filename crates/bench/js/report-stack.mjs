// The stack section of docs/PERFORMANCE.md (between the stack-bench-results markers): ingest, reads,
// freshness and fan-out beside the JavaScript peers, from stack-bench.mjs's results.json. Rendering only;
// report.mjs writes the file.

// Issue targets.
export const TARGETS = {
  ingestOne: 200, // applied updates/s into one event object (issue 4)
  readRatio: 1.0, // ours ÷ JavaScript Worker (issue 5)
  freshnessP99: 100, // ms, at 20 and 200 updates/s with 1,000 viewers (issue 5)
  fanoutRatio: 1.0, // ours ÷ JavaScript Durable Object (issue 5)
};

const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : '—');
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const ms = (x) => (Number.isFinite(x) ? (x < 10 ? `${x.toFixed(2)} ms` : x < 100 ? `${x.toFixed(1)} ms` : `${x.toFixed(0)} ms`) : '—');
const ratio = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '—');
const met = (ok) => (ok ? '✅' : '❌');
const thousands = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—');

function header(meta) {
  const outside = meta.outside_share === undefined ? '' : `; ${Math.round(meta.outside_share * 100)} % of the machine's CPU time during the measurements went to processes outside the benchmark`;
  const built = Object.values(meta.builds ?? {}).filter(Boolean).map((b) => b.built).sort();
  const builtText = built.length ? ` (Workers built ${built[0].replace('T', ' ').slice(0, 16)}–${built.at(-1).slice(11, 16)} UTC)` : '';
  const wrk = (meta.wrk ?? '').replace(/^wrk \S*?(\d+\.\d+\.\d+)\S*.*$/, 'wrk $1');
  return `_Written by \`scripts/bench\` (stack part) on ${meta.date} at commit \`${meta.commit}\`${builtText}: ${meta.cpu}; `
    + `load average ${meta.load_at_start} at the start, ${meta.load_at_end} at the end${outside}; `
    + `Node ${meta.node}, wrangler ${meta.wrangler} (workerd), ${wrk}; ${thousands(meta.viewers)} viewers; the run took ${meta.seconds} s.`
    + `${meta.quick ? ' **Quick smoke run: not for comparison.**' : ''}_`
    + (meta.builds_changed?.length ? `\n\n**Warning: the build of ${meta.builds_changed.join(', ')} changed during the run (wrangler dev reloads it); treat these numbers as suspect.**` : '');
}

function summaryTable(r, meta) {
  const rows = [];
  const ingest = r.ingest?.scenarios ?? [];
  const one = ingest.find((s) => s.id === 'one-event');
  const twenty = ingest.find((s) => s.id === 'twenty-events');
  if (one) {
    rows.push(['Ingest into one event object (issue 4)', `applied updates/s, closed loop, N = ${one.chosen}; ack p50 / p99`,
      `${f1(one.run.per_s)}/s; ${ms(one.run.latency_ms.p50)} / ${ms(one.run.latency_ms.p99)}`, '—', '—',
      `≥ ${TARGETS.ingestOne}/s`, `${met(one.run.per_s >= TARGETS.ingestOne)} (${f0((100 * one.run.per_s) / TARGETS.ingestOne)} % of it)`]);
  }
  const solo = r.ingest?.one_process;
  if (solo) {
    rows.push(['Ingest into one event object, gateway and objects in one wrangler process', `applied updates/s, closed loop, N = ${solo.chosen}; ack p50 / p99`,
      `${f1(solo.run.per_s)}/s; ${ms(solo.run.latency_ms.p50)} / ${ms(solo.run.latency_ms.p99)}`, '—', '—',
      `≥ ${TARGETS.ingestOne}/s`, `${met(solo.run.per_s >= TARGETS.ingestOne)} (${f0((100 * solo.run.per_s) / TARGETS.ingestOne)} % of it)`]);
  }
  if (twenty) {
    rows.push(['Ingest across 20 events (issue 4)', `applied updates/s, closed loop, N = ${twenty.chosen}; ack p50 / p99`,
      `${f1(twenty.run.per_s)}/s; ${ms(twenty.run.latency_ms.p50)} / ${ms(twenty.run.latency_ms.p99)}`, '—', '—', '—', '—']);
  }
  const read = r.read?.paths;
  if (read) {
    const c = r.read.config;
    rows.push(['Read, steady state: one hot URL (issue 5)', `req/s, ${c.connections} connections; p50 / p99`,
      `${f0(read.same.ours.rps)}; ${ms(read.same.ours.p50_ms)} / ${ms(read.same.ours.p99_ms)}`,
      `${f0(read.same.peer.rps)}; ${ms(read.same.peer.p50_ms)} / ${ms(read.same.peer.p99_ms)}`,
      ratio(read.same.ratio), `≥ ${TARGETS.readRatio.toFixed(1)}×`, met(read.same.ratio >= TARGETS.readRatio)]);
    rows.push(['Read, cache-miss path (issue 5)', `req/s, ${c.connections} connections; p50 / p99`,
      `${f0(read.vary.ours.rps)}; ${ms(read.vary.ours.p50_ms)} / ${ms(read.vary.ours.p99_ms)}`,
      `${f0(read.vary.peer.rps)}; ${ms(read.vary.peer.p50_ms)} / ${ms(read.vary.peer.p99_ms)}`,
      ratio(read.vary.ratio), `≥ ${TARGETS.readRatio.toFixed(1)}×`, met(read.vary.ratio >= TARGETS.readRatio)]);
  }
  for (const run of r.freshness?.runs ?? []) {
    rows.push([`Freshness, ${run.offered_per_s} updates/s offered (issue 5)`,
      `ack → every viewer holds it, p50 / p99 (max); ${f1(run.achieved_per_s)} updates/s achieved`,
      `${ms(run.freshness_ms.p50)} / ${ms(run.freshness_ms.p99)} (${ms(run.freshness_ms.max)})`, '—', '—',
      `p99 ≤ ${TARGETS.freshnessP99} ms`, met(run.freshness_ms.p99 <= TARGETS.freshnessP99 && run.achieved_per_s >= 0.9 * run.offered_per_s)
        + (run.achieved_per_s < 0.9 * run.offered_per_s ? ' (rate not reached)' : '')]);
  }
  const fo = r.fanout;
  if (fo) {
    rows.push([`Fan-out, ${thousands(fo.viewers)} viewers, ${thousands(fo.message_bytes)}-byte message (issue 5)`,
      'messages delivered per second while a broadcast is delivered (first → last viewer, median)',
      thousands(fo.ours.msgs_per_s_spread), thousands(fo.peer.msgs_per_s_spread), ratio(fo.ratio_spread),
      `≥ ${TARGETS.fanoutRatio.toFixed(1)}×`, met(fo.ratio_spread >= TARGETS.fanoutRatio)]);
    rows.push(['Fan-out, same run', 'messages per CPU-second of the server processes (less our ingest trigger)',
      thousands(fo.msgs_per_cpu_s.ours), thousands(fo.msgs_per_cpu_s.peer), ratio(fo.ratio_cpu),
      `≥ ${TARGETS.fanoutRatio.toFixed(1)}×`, met(fo.ratio_cpu >= TARGETS.fanoutRatio)]);
  }
  const tr = r.tree;
  if (tr) {
    rows.push([`Relay tree, ${thousands(tr.viewers)} viewers over ${tr.layout.relays} relays in two levels (issue 11)`,
      'trigger → last viewer, median: one event object holding every viewer ÷ the tree (peer: our own object, same run)',
      ms(tr.tree.trigger_to_last_ms.p50), ms(tr.direct.trigger_to_last_ms.p50), ratio(tr.ratio_to_last),
      'every viewer every version once, in order', met(tr.tree.viewers_with_every_version === tr.viewers && tr.tree.duplicates === 0 && tr.tree.out_of_order === 0)]);
  }
  void meta;
  return [
    '| benchmark | measure | ours | peer (JavaScript) | ours ÷ peer | target | met |',
    '|---|---|---:|---:|---:|---|---|',
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
  ].join('\n');
}

function ingestDetails(ing) {
  if (!ing) return [];
  const lines = ['', '**Ingest.** The sweep (each N for a few seconds) and the measured run:', '',
    '| scenario | N clients | applied/s | ack p50 | ack p99 | CPU per applied update: public / ingest / client process | machine busy; CPU outside the benchmark |',
    '|---|---:|---:|---:|---:|---|---|'];
  for (const s of ing.scenarios) {
    for (const w of s.sweep) lines.push(`| ${s.title}, sweep | ${w.clients} | ${f1(w.per_s)} | ${ms(w.p50)} | ${ms(w.p99)} | | |`);
    const c = s.run.cpu;
    const per = (g) => (c ? (Object.entries(c.groups[g] ?? {}).reduce((n, [k, v]) => n + (k === 'esbuild' ? 0 : v), 0) * 1000) / Math.max(1, s.run.applied) : NaN);
    lines.push(`| **${s.title}, measured ${s.run.seconds} s** | **${s.chosen}** | **${f1(s.run.per_s)}** | **${ms(s.run.latency_ms.p50)}** | **${ms(s.run.latency_ms.p99)}** | ${ms(per('public'))} / ${ms(per('ingest'))} / ${ms(per('client'))} | ${c ? `${f0((100 * c.machine_busy_s) / c.machine_capacity_s)} %; ${f1(c.outside_s)} CPU s in ${f1(c.wall_s)} s` : '—'} |`);
  }
  if (ing.breakdown) {
    lines.push('', 'Where an update\'s time and CPU go: sequential requests on a quiet event object. CPU per request by process (idle subtracted): each `wrangler dev` is a Node process, a workerd running wrangler\'s proxy Worker, and a workerd running the Workers. The applied row includes the Queue consumers writing R2 and D1.', '',
      '| request | n | latency p50 | p99 | ingest process: Workers / proxy / Node | public process: Workers / proxy / Node |',
      '|---|---:|---:|---:|---|---|');
    const label = {
      healthz: '`GET /healthz` on the ingest gateway (the runtime\'s floor)',
      refused: 'results with a forged token (RS256 check, then 401)',
      duplicate: 'results already applied (`duplicate`: auth, forward, parse, no write)',
      applied: 'results applied (apply, store, two Queue sends, receipt); all 32 heats of the event hold results',
      applied_small: 'the same, to an event with results in 1 heat (a smaller stored state)',
    };
    for (const [kind, b] of Object.entries(ing.breakdown)) {
      const c = b.cpu_ms_per_request;
      const v = (k) => ms(c[k] ?? 0);
      lines.push(`| ${label[kind] ?? kind} | ${b.requests ?? ''} | ${ms(b.latency_ms.p50)} | ${ms(b.latency_ms.p99)} | ${v('ingest/workerd')} / ${v('ingest/workerd-proxy')} / ${v('ingest/node')} | ${v('public/workerd')} / ${v('public/workerd-proxy')} / ${v('public/node')} |`);
    }
  }
  const solo = ing.one_process;
  if (solo) {
    const c = solo.run.cpu?.groups['one-process'] ?? {};
    const per = (k) => ms(((c[k] ?? 0) * 1000) / Math.max(1, solo.run.applied));
    lines.push('', `The same single-event run with the ingest gateway, the event objects and the consumers in one \`wrangler dev\` process (so the gateway reaches the object inside workerd, as in production, not through wrangler's Node process): sweep ${solo.sweep.map((w) => `N = ${w.clients}: ${f1(w.per_s)}/s`).join(', ')}; measured with N = ${solo.chosen}: **${f1(solo.run.per_s)} applied/s**, ack p50 ${ms(solo.run.latency_ms.p50)}, p99 ${ms(solo.run.latency_ms.p99)}; CPU per applied update ${ms(solo.cpu_ms_per_update)} (Workers ${per('workerd')}, proxy ${per('workerd-proxy')}, Node ${per('node')}); the Workers' workerd was busy ${f0((100 * (c.workerd ?? 0)) / (solo.run.cpu?.wall_s ?? NaN))} % of the time${solo.run.cpu ? `; ${f1(solo.run.cpu.outside_s)} CPU s outside the benchmark in ${f1(solo.run.cpu.wall_s)} s` : ''}.`);
  }
  return lines;
}

function readDetails(read) {
  if (!read) return [];
  const c = read.config;
  const lines = ['', `**Reads.** wrk, ${c.threads} thread, ${c.connections} connections, ${c.rounds} runs of ${c.seconds} s per side and path, alternating; req/s is the mean of the runs, p50 the mean of their medians, p99 the worst run's. The page is ${thousands(c.bytes)} bytes. CPU per request counts every process of the side (workerd and wrangler's Node) and wrk.`, '',
    '| path | side | req/s (each run) | p50 | p99 | errors | CPU per request: server / wrk + client |',
    '|---|---|---:|---:|---:|---:|---|'];
  const sideName = { ours: 'ours (read gateway)', peer: 'peer: JavaScript Worker, constant', peer_cache: 'peer through the Cache API' };
  for (const [mode, sides] of Object.entries(read.paths)) {
    for (const side of ['ours', 'peer', 'peer_cache']) {
      const s = sides[side];
      if (!s) continue;
      const server = Object.entries(s.cpu_ms_per_request).filter(([k]) => !k.startsWith('client/') && !k.endsWith('/esbuild')
        && (side === 'ours' ? k.startsWith('public/') : k.startsWith('read-peer/'))).reduce((n, [, v]) => n + v, 0);
      const client = Object.entries(s.cpu_ms_per_request).filter(([k]) => k.startsWith('client/')).reduce((n, [, v]) => n + v, 0);
      lines.push(`| ${mode === 'same' ? 'steady state' : 'cache miss'} | ${sideName[side]} | ${f0(s.rps)} (${s.rps_each.map(f0).join(', ')}) | ${ms(s.p50_ms)} | ${ms(s.p99_ms)} | ${s.errors} | ${ms(server)} / ${ms(client)} |`);
    }
    lines.push(`| | ours ÷ constant peer; ours ÷ peer through the Cache API | ${ratio(sides.ratio)}; ${ratio(sides.ratio_cache)} | | | | |`);
  }
  return lines;
}

function freshnessDetails(fr, setup) {
  if (!fr) return [];
  const lines = ['', `**Freshness.** ${thousands(fr.viewers)} viewers on one event, ${fr.seconds} s per rate, the feed paced (at most 16 requests in flight). Freshness of an update: from its acknowledgement until every viewer holds its version or a newer one (0 if they all held it first). "From send" counts from when the request left instead.`, '',
    '| offered | achieved | ack p50 / p99 | freshness p50 | p99 | max | held before the ack | from send p50 / p99 | never reached | CPU outside the benchmark |',
    '|---:|---:|---|---:|---:|---:|---:|---|---:|---|'];
  for (const run of fr.runs) {
    lines.push(`| ${run.offered_per_s}/s | ${f1(run.achieved_per_s)}/s | ${ms(run.ack_ms.p50)} / ${ms(run.ack_ms.p99)} | ${ms(run.freshness_ms.p50)} | ${ms(run.freshness_ms.p99)} | ${ms(run.freshness_ms.max)} | ${run.held_before_ack} of ${run.acked} | ${ms(run.from_send_ms.p50)} / ${ms(run.from_send_ms.p99)} | ${run.not_reached} | ${run.cpu ? `${f1(run.cpu.outside_s)} s in ${f1(run.cpu.wall_s)} s` : '—'} |`);
  }
  if (setup) {
    lines.push('', `Our ${thousands(setup.viewers)} viewers opened in ${f1(setup.open_seconds)} s; over the live benchmarks ${setup.out_of_order ?? 0} messages arrived with a lower version than one before them, and ${setup.closed_early ?? 0} sockets closed early.`);
  }
  return lines;
}

function fanoutDetails(fo) {
  if (!fo) return [];
  const lines = ['', `**Fan-out.** ${thousands(fo.viewers)} viewers on each side, ${fo.rounds} measured broadcasts each (after one warm-up), alternating, each at least 400 ms after the same side's previous one. Times per broadcast, from the trigger request leaving.`, '',
    '| side | trigger → first viewer p50 | trigger → last viewer p50 / p99 | first → last viewer p50 | msgs/s (trigger → last) | msgs/s (first → last) | server CPU per message | incomplete broadcasts |',
    '|---|---:|---:|---:|---:|---:|---:|---:|'];
  const cpu = { ours: fo.cpu.ours_us_per_message, peer: fo.cpu.peer_us_per_message };
  for (const side of ['ours', 'peer']) {
    const s = fo[side];
    lines.push(`| ${side === 'ours' ? 'ours: ingest → event object → viewers' : 'peer: POST → JavaScript Durable Object → viewers'} | ${ms(s.trigger_to_first_ms.p50)} | ${ms(s.trigger_to_last_ms.p50)} / ${ms(s.trigger_to_last_ms.p99)} | ${ms(s.spread_ms.p50)} | ${thousands(s.msgs_per_s_trigger)} | ${thousands(s.msgs_per_s_spread)} | ${f1(cpu[side])} µs | ${s.incomplete} |`);
  }
  lines.push('', `Server CPU: our processes spent ${f1(fo.cpu.ours_phase_s)} s over the phase, of which ${f1(fo.cpu.ours_triggers_s)} s is the ingest path itself (the same updates to an unwatched event, spaced the same); the peer's processes spent ${f1(fo.cpu.peer_phase_s)} s. Idle CPU of each side is subtracted. ${fo.cpu_phase ? `${f1(fo.cpu_phase.outside_s)} CPU s went to processes outside the benchmark during the ${f1(fo.cpu_phase.wall_s)} s phase.` : ''}`);
  return lines;
}

function treeDetails(tr) {
  if (!tr) return [];
  const l = tr.layout;
  const lines = ['', `**Relay tree.** ${thousands(tr.viewers)} viewers of one event on a second stack whose read gateway lowers the tier to ${l.per_object} viewers per object and ${l.fanout} children per object (\`LIVE_DIRECT_VIEWERS\`, \`LIVE_RELAY_FANOUT\`): ${l.direct} on the event object, ${l.level1} on its ${l.fanout} relays, ${l.level2} on their ${l.fanout * l.fanout} children (the tree holds ${thousands(l.capacity)}). Beside it, the same number of viewers on one event object of the main stack. ${tr.rounds} measured broadcasts each, alternating, at least 400 ms apart; each waits until every viewer holds it, so none is coalesced.`, '',
    '| side | trigger → first viewer p50 | trigger → last viewer p50 / p99 | incomplete broadcasts | viewers with every version exactly once, in order | duplicates | out of order | sockets closed early |',
    '|---|---:|---:|---:|---:|---:|---:|---:|'];
  for (const side of ['tree', 'direct']) {
    const s = tr[side];
    lines.push(`| ${side === 'tree' ? 'tree: event object → relays → relays of relays' : 'one event object'} | ${ms(s.trigger_to_first_ms.p50)} | ${ms(s.trigger_to_last_ms.p50)} / ${ms(s.trigger_to_last_ms.p99)} | ${s.incomplete} | ${thousands(s.viewers_with_every_version)} of ${thousands(tr.viewers)} | ${s.duplicates} | ${s.out_of_order} | ${s.closed_early} |`);
  }
  lines.push('', 'Locally every object of a stack shares one workerd thread, so the tree sends one object after another and adds a request per relay: the ratio is what the tree costs on one thread, not what it gains in production, where each relay runs on its own (see docs/SCALING.md for the sizing).');
  return lines;
}

export function renderStack(out) {
  const r = out.results;
  return [
    header(out.meta),
    '',
    summaryTable(r, out.meta),
    ...ingestDetails(r.ingest),
    ...readDetails(r.read),
    ...freshnessDetails(r.freshness, r.live_setup),
    ...fanoutDetails(r.fanout),
    ...treeDetails(r.tree),
    '',
    'Raw numbers: `$CARGO_TARGET_DIR/bench/stack/results.json`.',
  ].join('\n');
}
