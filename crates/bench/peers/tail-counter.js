// The benchmark's counter of what the stack does: a tail Worker attached (in bench-only copies of
// wrangler/*.toml, written by crates/bench/js/collector.mjs) to every Worker of the stack, one instance per
// watched Worker (`WATCHED` names it: the local runtime leaves trace events' scriptName empty). It receives the
// trace event of every invocation (each gateway request, each Durable Object request, alarm and WebSocket
// event, each Queue batch), adds them up by script, execution model and kind, and posts the sums to the
// benchmark's collector on loopback. Never deployed; it changes nothing in the Workers it watches.

function kindOf(event) {
  if (!event) return 'other';
  if (event.request) {
    // A viewer's WebSocket upgrade: its trace event arrives only when the socket closes, so it is counted
    // apart from the reads and updates of the phase in which it happens to arrive.
    const upgrade = event.request.headers?.upgrade ?? event.request.headers?.Upgrade ?? '';
    return /websocket/i.test(upgrade) || /\/live(\?|$)/.test(event.request.url ?? '') ? 'upgrade' : 'fetch';
  }
  if (event.batchSize !== undefined || event.queue !== undefined) return 'queue';
  if (event.getWebSocketEvent) return `websocket:${event.getWebSocketEvent.webSocketEventType}`;
  if (event.cron !== undefined) return 'scheduled';
  if (event.scheduledTime !== undefined) return 'alarm';
  return 'other';
}

export default {
  async fetch() {
    return new Response('tail counter', { status: 404 });
  },

  async tail(items, env) {
    const buckets = {};
    for (const item of items) {
      const key = `${env.WATCHED ?? item.scriptName}|${item.executionModel ?? 'stateless'}|${kindOf(item.event)}`;
      const b = (buckets[key] ??= { count: 0, cpu_ms: 0, wall_ms: 0, log_lines: 0, log_bytes: 0, queue_messages: 0, errors: 0 });
      b.count += 1;
      b.cpu_ms += Number(item.cpuTime ?? 0);
      b.wall_ms += Number(item.wallTime ?? 0);
      b.log_lines += item.logs?.length ?? 0;
      // The trace event's own size stands in for the bytes Workers Logs would keep for it.
      b.log_bytes += JSON.stringify(item).length;
      b.queue_messages += Number(item.event?.batchSize ?? 0);
      if (item.outcome !== 'ok') b.errors += 1;
    }
    await fetch(env.COLLECTOR_URL, { method: 'POST', body: JSON.stringify(buckets) });
  },
};
