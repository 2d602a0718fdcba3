// The Games-scale load section of docs/PERFORMANCE.md (between the loadgen-results markers), from the
// JSON report of loadgen.mjs (`bench loadgen`): the profile, each phase's reads, updates and freshness,
// the billable operations counted per unit of work, what each phase made the Workers do, and the fan-out
// sweep with what it implies for 30,000 direct viewers and the relay tier. Rendering only.

const f = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '—');
const ms = (x) => (Number.isFinite(x) ? (x < 10 ? `${x.toFixed(2)} ms` : x < 100 ? `${x.toFixed(1)} ms` : `${x.toFixed(0)} ms`) : '—');
const n = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—');
const g = (x) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x === 0 ? '0' : Math.abs(x) >= 100 ? n(x) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(2));
const statuses = (s) => Object.entries(s ?? {}).map(([k, v]) => `${k}: ${n(v)}`).join(', ') || '—';

/// Budgets for one broadcast: the freshness targets of issues 11 (p99 ≤ 50 ms locally) and 5 (≤ 100 ms).
const BUDGETS_MS = [50, 100];
/// The largest audience of one event the relay tier is sized for: 10 × the cost profile's 50,000
/// concurrent viewers, all on one event.
const AUDIENCE = 500_000;

export function fanoutImplications(sweep) {
  const perSocketUs = Math.max(sweep.ack_us_per_socket, 0);
  if (!(perSocketUs > 0)) return null;
  const out = {
    per_socket_us: perSocketUs,
    direct_30000_ms: (30_000 * perSocketUs) / 1000,
    per_budget: BUDGETS_MS.map((budget) => {
      const perObject = Math.floor((budget * 1000) / perSocketUs);
      // One level of relays, each reaching its share within the budget: what a flat tier would need. The
      // tier is a tree sized from this figure (object_logic::relays::sizing, docs/SCALING.md).
      const relays = Math.ceil(AUDIENCE / Math.min(perObject, 32_768));
      return { budget_ms: budget, sockets_per_object: perObject, relays_for_audience: relays };
    }),
  };
  return out;
}

export function renderLoadgen(report) {
  const m = report.meta ?? {};
  const o = report.options;
  const lines = [];
  lines.push(`_Written by \`scripts/bench\` (load generator, ${m.profile} profile) on ${m.date} at commit \`${m.commit}\`; load average ${m.load_at_start} at the start, ${m.load_at_end} at the end (the machine's two cores are shared with other work: wall-clock numbers are rough; counts are exact); Node ${m.node}, wrangler ${m.wrangler}; the run took ${m.seconds} s._`, '');
  const top = report.setup.viewers_by_event.slice(0, 4).join(', ');
  lines.push(`**Profile.** ${report.setup.events.length} events (${report.setup.live} live, the most popular; the others finished, with medals); ${n(report.setup.viewers)} viewers on WebSockets spread by a Zipf popularity (exponent ${o.zipf}; the four most popular events hold ${top}), opened in ${f(report.setup.open_seconds)} s (${report.setup.failed_opens} failed opens retried); ${o.reads_per_s} reads/s in a results site's mix (${f(report.hot_share * 100, 0)} % hot documents); ${o.updates_per_s} updates/s through \`POST /v1/ingest/batch\` (a batch every 100 ms); ${o.phase_seconds} s per phase. Each phase ends when the stack has come to rest, so every count belongs to one kind of work.`, '');

  lines.push('| phase | reads answered / offered | reads/s | read p50 / p99 | read statuses | updates applied / offered | freshness from ack p50 / p99 / max | from send p50 / p99 | missed | settled in |');
  lines.push('|---|---:|---:|---|---|---:|---|---|---:|---:|');
  for (const p of report.phases) {
    const r = p.reads;
    const u = p.updates;
    const fr = p.freshness;
    lines.push(`| ${p.name} | ${r ? `${n(r.answered)} / ${n(r.offered)}` : '—'} | ${r ? f(r.per_s) : '—'} | ${r ? `${ms(r.latency_ms.p50)} / ${ms(r.latency_ms.p99)}` : '—'} | ${r ? statuses(r.statuses) : '—'} | ${u ? `${n(u.applied)} / ${n(u.offered)}${Object.keys(u.errors).length ? ` (${statuses(u.errors)})` : ''}` : '—'} | ${fr ? `${ms(fr.from_ack_ms.p50)} / ${ms(fr.from_ack_ms.p99)} / ${ms(fr.from_ack_ms.max)}` : '—'} | ${fr ? `${ms(fr.from_send_ms.p50)} / ${ms(fr.from_send_ms.p99)}` : '—'} | ${fr ? n(fr.missed) : '—'} | ${f(p.settle_seconds)} s |`);
  }
  const closed = Object.entries(report.viewers_closed ?? {});
  lines.push('', `Viewers: ${report.viewers_out_of_order} messages arrived with a lower version than one before them; ${closed.length ? `sockets closed early: ${closed.map(([why, k]) => `${k} (${why})`).join(', ')}` : 'no socket closed early'}. Freshness counts only updates of watched events; "missed" is an update some viewer of its event never reached.`, '');

  const ratios = report.ratios;
  if (ratios) {
    lines.push('**Billable operations per unit of work, counted** (the cost tool\'s `crates/cost/measured.json`; "—" is not measured here and stays modelled in `crates/cost/profile.toml`):', '');
    lines.push('| operation | per read asking an object | per read from the gateway\'s caches | per update | per viewer connection |');
    lines.push('|---|---:|---:|---:|---:|');
    const fields = ['worker_requests', 'worker_cpu_ms', 'do_requests', 'do_active_ms', 'do_rows_read', 'do_rows_written', 'queue_messages', 'r2_class_a', 'r2_class_b', 'r2_bytes', 'd1_rows_written', 'kv_reads', 'kv_writes', 'log_events', 'log_bytes'];
    for (const field of fields) {
      lines.push(`| \`${field}\` | ${g(ratios.read_miss?.[field])} | ${g(ratios.read_hit?.[field])} | ${g(ratios.update?.[field])} | ${g(ratios.viewer?.[field])} |`);
    }
    lines.push('', ...Object.entries(ratios.notes ?? {}).map(([k, v]) => `- ${k}: ${v}`), '');
  }

  lines.push('**What each phase made the Workers do** (trace events of every invocation, from the tail counter):', '');
  lines.push('| phase | script | model | kind | invocations | CPU ms | wall ms | Queue messages | log lines |');
  lines.push('|---|---|---|---|---:|---:|---:|---:|---:|');
  for (const p of report.phases) {
    for (const [key, b] of Object.entries(p.counted?.invocations ?? {})) {
      const [script, model, kind] = key.split('|');
      lines.push(`| ${p.name} | ${script} | ${model} | ${kind} | ${n(b.count)} | ${n(b.cpu_ms)} | ${n(b.wall_ms)} | ${n(b.queue_messages)} | ${n(b.log_lines)} |`);
    }
    if (p.counted) {
      const puts = Object.entries(p.counted.puts ?? {}).map(([k, v]) => `${k} ${n(v)}`).join(', ') || 'none';
      lines.push(`| ${p.name} | storage | | puts; D1 rows added | ${puts}; ${n(p.counted.d1_rows)} | | | | |`);
    }
  }
  const updates = report.phases.find((p) => p.name === 'updates');
  const docs = updates?.counted?.puts?.['r2:olympic-public'];
  if (docs !== undefined && report.setup.live > 0) {
    const perEvent = docs / updates.seconds / report.setup.live;
    const rate = o.updates_per_s / report.setup.live;
    lines.push('', `**Hot documents.** In the updates phase the objects wrote ${n(docs)} documents to the public bucket (and as many snapshots to KV): ${f(perEvent, 2)} a second per live event, at ${f(rate, 1)} updates a second per event. The cost model's rule, 2 keys per event at most once a second each plus the standings' 3 on a status or medal change, gives ${f(2 * Math.min(rate, 1), 1)} a second per event.`);
  }

  const sweep = report.fanout;
  if (sweep) {
    lines.push('', `**Fan-out sweep.** One event (\`${sweep.event}\`) with N viewers; one update at a time, 400 ms apart, ${o.fanout_rounds} measured per step after a warm-up. The object sends to every socket before it answers the feed, so the acknowledgement grows with N by the time its send loop takes. Message ${n(sweep.message_bytes)} bytes (the whole results message; viewers get a patch).`, '');
    lines.push('| viewers | ack p50 / p99 | send → first viewer p50 | send → last viewer p50 / p99 | first → last p50 | incomplete | workerd memory |');
    lines.push('|---:|---|---:|---|---:|---:|---:|');
    for (const s of sweep.steps) {
      lines.push(`| ${n(s.viewers)} | ${ms(s.ack_ms.p50)} / ${ms(s.ack_ms.p99)} | ${ms(s.to_first_ms.p50)} | ${ms(s.to_last_ms.p50)} / ${ms(s.to_last_ms.p99)} | ${ms(s.spread_ms.p50)} | ${s.incomplete} | ${f(s.rss_mb, 0)} MB |`);
    }
    const imp = fanoutImplications(sweep);
    lines.push('', `Per socket, the slope over N: **${f(sweep.ack_us_per_socket, 1)} µs** of the acknowledgement (the object's send loop), ${f(sweep.spread_us_per_socket, 1)} µs of the first-to-last spread (bounded by this client reading), and ${f(sweep.rss_kb_per_socket, 1)} KB of workerd memory.`);
    if (imp) {
      lines.push('', `What it implies: a broadcast to 30,000 direct viewers would hold one object for about **${f(imp.direct_30000_ms, 0)} ms**. ${imp.per_budget.map((b) => `Within ${b.budget_ms} ms, one object reaches about ${n(b.sockets_per_object)} sockets, so an audience of ${n(AUDIENCE)} on one event needs ${n(b.relays_for_audience)} relays of one level`).join('; ')}; the relay tree is sized from this figure (docs/SCALING.md). Memory: ${f(sweep.rss_kb_per_socket, 1)} KB a socket is ${f((sweep.rss_kb_per_socket * 32_768) / 1024, 0)} MB for the 32,768 sockets one object may hold, against 128 MB per isolate (the process's memory, not one object's: an upper bound).`);
    }
  }
  lines.push('', 'Raw numbers: `$CARGO_TARGET_DIR/bench/loadgen/report.json`.');
  return lines.join('\n');
}
