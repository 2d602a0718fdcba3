// scripts/dead-letters: list and replay dead letters (docs/OPERATIONS.md).
import { adminOptions, admin } from './admin-client.mjs';

const { url, values, positionals } = adminOptions({
  replay: { type: 'boolean' },
  limit: { type: 'string' },
});
if (values.help) {
  console.log('usage: scripts/dead-letters [--limit N] | --replay [ID…]   [--url INGEST_URL]');
  process.exit(0);
}
if (values.replay) {
  const ids = positionals.map((id) => {
    const n = Number(id);
    if (!Number.isSafeInteger(n) || n <= 0) {
      console.error(`not a dead letter id: ${id}`);
      process.exit(2);
    }
    return n;
  });
  const { replayed } = await admin(url, 'POST', '/dead-letters/replay', { ids });
  console.log(replayed.length === 0 ? 'nothing to replay' : `replayed ${replayed.join(', ')}`);
  process.exit(0);
}
const limit = values.limit ? `?limit=${encodeURIComponent(values.limit)}` : '';
const { dead_letters: letters } = await admin(url, 'GET', `/dead-letters${limit}`);
if (letters.length === 0) console.log('no dead letters');
for (const d of letters) {
  const change = d.event ? `${d.event} v${d.event_version}` : 'unreadable message';
  const state = d.replayed_at_ms ? `replayed ${new Date(d.replayed_at_ms).toISOString()}` : 'PENDING';
  console.log(`#${d.id}  ${d.queue}  ${change}  ${state}\n    failed ${new Date(d.failed_at_ms).toISOString()}: ${d.error}` +
    (d.request_id ? `\n    request id ${d.request_id}` : ''));
}
