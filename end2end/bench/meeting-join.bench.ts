import { expect, test, type Browser, type Page } from '@playwright/test';
import { channelName, createChannel, joinChannel } from '../tests/support';
import { chromiumCpuSeconds, joinAndTime, median, newMember } from './bench-support';

// Time from clicking "Join meeting" to the first decoded remote video frame, for
// meetings of 2 and 4 participants (median of several runs), and the browser's CPU time
// per participant while a 4-person meeting runs. Everything stays on loopback.
const RUNS = Number(process.env.MEETING_RUNS ?? 5);

async function meeting(browser: Browser, size: number) {
  const pages = [await newMember(browser, 'Host')];
  const channel = await createChannel(pages[0], channelName('bench'));
  for (let i = 1; i < size; i++) {
    const p = await newMember(browser, `Guest${i}`);
    await joinChannel(p, channel);
    pages.push(p);
  }
  await pages[0].goto(`/c/${channel.id}`);
  await pages[0].getByRole('button', { name: 'Start meeting' }).click();
  await expect(pages[0]).toHaveURL(/\/m\//);
  const url = pages[0].url();
  await joinAndTime(pages[0], false);
  const times: number[] = [];
  for (const p of pages.slice(1)) {
    await p.goto(url);
    const ms = await joinAndTime(p, true);
    if (ms !== null) times.push(ms);
  }
  return { pages, times };
}

async function leave(pages: Page[]) {
  for (const p of pages) await p.context().close();
}

test('join to first remote frame, and browser CPU per participant', async ({ browser }) => {
  const report: string[] = [];
  for (const size of [2, 4]) {
    const firstJoiner: number[] = [];
    const lastJoiner: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const { pages, times } = await meeting(browser, size);
      firstJoiner.push(times[0]);
      lastJoiner.push(times[times.length - 1]);
      await leave(pages);
    }
    report.push(
      `${size} participants: join → first remote frame, median of ${RUNS}: ` +
        `${median(firstJoiner).toFixed(0)} ms (first joiner), ${median(lastJoiner).toFixed(0)} ms (last joiner)`,
    );
  }

  const { pages } = await meeting(browser, 4);
  await pages[0].waitForTimeout(3_000);
  const cpuBefore = chromiumCpuSeconds();
  const t0 = Date.now();
  await pages[0].waitForTimeout(10_000);
  const cpu = chromiumCpuSeconds() - cpuBefore;
  const wall = (Date.now() - t0) / 1000;
  report.push(
    `4-person meeting: browser CPU ${((cpu / wall) * 100).toFixed(0)} % of one core in total, ` +
      `${((cpu / wall / 4) * 100).toFixed(0)} % per participant (each page sends 1 and decodes 3 streams)`,
  );
  await leave(pages);
  console.log(['', 'meeting benchmark:', ...report.map((l) => `  ${l}`)].join('\n'));
});
