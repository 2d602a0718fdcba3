// scripts/dev's long-running part: the stack, the simulated feed, and a clean stop on Ctrl-C.
import { join } from 'node:path';
import { ROOT } from './access-keys.mjs';
import { startStack } from './stack.mjs';
import { runFeed } from './sim-feed.mjs';

const readPort = Number(process.env.PORT || 8787);
const ingestPort = Number(process.env.INGEST_PORT || 8788);
const accessPort = Number(process.env.ACCESS_PORT || 8789);
const stateDir = join(ROOT, '.dev', 'state');

// DOCS_FROM_BUCKET: the read gateway answers hot documents as the objects published them, as the CDN
// does in production, so the site reads them the way it will there.
const stack = await startStack({
  readPort, ingestPort, accessPort, stateDir, logDir: join(ROOT, '.dev', 'logs'), echo: true,
  readVars: { DOCS_FROM_BUCKET: '1' },
});
console.log(`
Olympic Live is running.
  site and read API  ${stack.readUrl}        (try ${stack.readUrl}/v1/events/ALPMDOWNHILL/leaderboard)
  ingest API         ${stack.ingestUrl}        (token: ./scripts/token)
  logs               .dev/logs
Ctrl-C stops everything.`);

const controller = new AbortController();
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  controller.abort();
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

if (process.env.SIM !== '0') {
  runFeed({ ingestUrl: stack.ingestUrl, signal: controller.signal, log: (line) => console.log(`[feed] ${line}`) })
    .catch((err) => { if (!stopping) console.error(`[feed] stopped: ${err.message}`); });
}
