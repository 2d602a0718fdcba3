// scripts/dev's long-running part: the stack, the simulated Games, and a clean stop on Ctrl-C.
import { join } from 'node:path';
import { ROOT } from './access-keys.mjs';
import { startStack } from './stack.mjs';
import { startSim } from './sim.mjs';

const readPort = Number(process.env.PORT || 8787);
const ingestPort = Number(process.env.INGEST_PORT || 8788);
const accessPort = Number(process.env.ACCESS_PORT || 8789);
const stateDir = join(ROOT, '.dev', 'state');
const simulate = process.env.SIM !== '0';

// DOCS_FROM_BUCKET: the read gateway answers hot documents as the objects published them, as the CDN
// does in production, so the site reads them the way it will there.
const stack = await startStack({
  readPort, ingestPort, accessPort, stateDir, logDir: join(ROOT, '.dev', 'logs'), echo: true,
  readVars: { DOCS_FROM_BUCKET: '1' },
});
const site = stack.readUrl;
console.log(`
Olympic Live is running.
  site               ${site}/                 events by day, live leaderboards
  medal table        ${site}/#/medals         (live over ${site.replace('http', 'ws')}/v1/live/medals)
  schedule           ${site}/#/schedule       in your time zone beside venue time
  read API           ${site}/v1/events        (docs/API.md)
  ingest API         ${stack.ingestUrl}        (token: ./scripts/token)
  logs               .dev/logs
${simulate ? `A simulated Winter Games is being played: 116 events, 4 to 22 February 2026, in about 20 minutes.
Curling mixed doubles and women's hockey start first (${site}/#/event/IHOWTOURNAMENT); the first medals,
the men's downhill, come two or three minutes in (${site}/#/event/ALPMDOWNHILL). SIM_SPEED, SIM_SEED,
SIM_FROM=YYYY-MM-DD tune it, SIM=0 turns it off. It resumes where it stopped; delete .dev/state for a new Games.`
    : 'SIM=0: no simulated Games; the stack holds only what you send it.'}
Ctrl-C stops everything.`);

let sim = null;
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  if (sim) {
    // The simulator finishes its batch in flight, saves its progress and prints its summary.
    sim.child.kill('SIGINT');
    await Promise.race([sim.exited, new Promise((r) => setTimeout(r, 20_000).unref())]);
  }
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

if (simulate) {
  const args = ['--progress', join(stateDir, 'sim-progress.json')];
  for (const [variable, flag] of [['SIM_SEED', '--seed'], ['SIM_SPEED', '--speed'], ['SIM_FROM', '--from'], ['SIM_PROFILE', '--profile']]) {
    if (process.env[variable]) args.push(flag, process.env[variable]);
  }
  sim = startSim({ ingestUrl: stack.ingestUrl, args, onLine: (line) => console.log(`[sim] ${line}`) });
  sim.exited.then((code) => {
    if (!stopping) console.log(`[sim] exited (${code}); the stack keeps running. Ctrl-C stops it.`);
  });
}
