// scripts/screenshots' work: a fresh local stack, the simulated Games played into it from a day in the
// middle (everything before that day sent at once, then a few minutes of Games per second), and the
// website's main views photographed by headless Chromium at a phone's width and a desktop's, into
// docs/screenshots/. The stack and the simulator are stopped at the end, and the state folder removed.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './access-keys.mjs';
import { startStack } from './stack.mjs';
import { ensureSim, startSim } from './sim.mjs';

const FROM = process.env.SIM_FROM || '2026-02-15';
const SPEED = process.env.SIM_SPEED || '120';
const OUT = join(ROOT, 'docs', 'screenshots');
const log = (line) => console.log(`[screenshots] ${line}`);

async function json(url) {
  const res = await fetch(url);
  return res.ok ? res.json() : null;
}

/// Waits (at most `ms`) for `probe` to answer something truthy.
async function until(probe, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

ensureSim();
const stateDir = mkdtempSync(join(tmpdir(), 'olympic-shots-'));
const stack = await startStack({ stateDir, readVars: { DOCS_FROM_BUCKET: '1' } });
const sim = startSim({ ingestUrl: stack.ingestUrl, args: ['--from', FROM, '--speed', SPEED], onLine: (l) => log(`sim: ${l}`) });
let browser;
try {
  const site = stack.readUrl;
  // Mid-Games: medals awarded and something live that is not a game.
  const live = await until(async () => {
    const medals = await json(`${site}/v1/medals`);
    const events = (await json(`${site}/v1/events`))?.events || [];
    const race = events.find((e) => e.progress === 'live' && !/TOURNAMENT/.test(e.code));
    return medals?.totals?.total > 60 && race ? race.code : null;
  }, 15 * 60_000, 'the Games to reach mid-Games');
  const hockey = (await json(`${site}/v1/events`)).events.find((e) => /^IHO.TOURNAMENT$/.test(e.code))?.code || 'IHOWTOURNAMENT';
  const leader = (await json(`${site}/v1/medals`)).rows[0].noc;
  const athlete = (await json(`${site}/v1/medals/athletes?limit=1`)).rows[0].competitor;
  log(`live: ${live}; leading NOC ${leader}; top athlete ${athlete}`);

  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  mkdirSync(OUT, { recursive: true });
  const shots = [
    ['phone', { width: 390, height: 844 }, [['now', '#/'], ['event', `#/event/${live}`], ['hockey', `#/event/${hockey}`], ['country', `#/noc/${leader}`]]],
    ['desktop', { width: 1440, height: 900 }, [['now', '#/'], ['medals', '#/medals'], ['hockey', `#/event/${hockey}`], ['athlete', `#/athlete/${encodeURIComponent(athlete)}`]]],
  ];
  for (const [device, viewport, views] of shots) {
    const page = await browser.newPage({ viewport, deviceScaleFactor: 1, colorScheme: 'light', timezoneId: 'Europe/Rome' });
    for (const [name, hash] of views) {
      await page.goto(`${site}/${hash}`);
      await page.waitForFunction(() => !/Loading/.test(document.querySelector('main').textContent), null, { timeout: 20_000 });
      await page.waitForLoadState('networkidle').catch(() => {});
      await new Promise((r) => setTimeout(r, 1500));
      const file = join(OUT, `${device}-${name}.png`);
      await page.screenshot({ path: file });
      log(`wrote ${file}`);
    }
    await page.close();
  }
} finally {
  await browser?.close();
  sim.child.kill('SIGINT');
  await Promise.race([sim.exited, new Promise((r) => setTimeout(r, 20_000).unref())]);
  await stack.stop();
  rmSync(stateDir, { recursive: true, force: true });
}
