// scripts/rebuild: one event at a time, or everything and the standings (docs/OPERATIONS.md).
import { adminOptions, admin } from './admin-client.mjs';

const { url, values, positionals } = adminOptions({ all: { type: 'boolean' } });
if (values.help || (!values.all && positionals.length === 0)) {
  console.log('usage: scripts/rebuild EVENT… | --all   [--url INGEST_URL]');
  process.exit(values.help ? 0 : 2);
}
if (values.all) {
  const answer = await admin(url, 'POST', '/rebuild');
  for (const event of answer.rebuilt) console.log(`${event.event}: version ${event.event_version} from ${event.changes} changes`);
  for (const failure of answer.failed) console.error(`${failure.event}: NOT rebuilt: ${failure.reason}`);
  process.exit(answer.failed.length === 0 ? 0 : 1);
}
for (const event of positionals) {
  const answer = await admin(url, 'POST', `/events/${encodeURIComponent(event)}/rebuild`);
  console.log(`${answer.event}: version ${answer.event_version} from ${answer.changes} changes`);
}
