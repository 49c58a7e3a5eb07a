import { expect, type Browser, type Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { newPerson, signUp } from '../tests/support';

// Steps the meeting benchmarks share.

export async function newMember(browser: Browser, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signUp(page, newPerson(name));
  return page;
}

/** Clicks Join in the lobby and returns ms until a remote video has decoded a frame. */
export async function joinAndTime(page: Page, expectRemote: boolean): Promise<number | null> {
  const join = page.getByRole('button', { name: 'Join meeting' });
  await expect(join).toBeVisible();
  await page.evaluate(() => ((window as any).__joinClickedAt = performance.now()));
  await join.click();
  if (!expectRemote) {
    await expect(page.getByRole('main', { name: 'Meeting' })).toBeVisible();
    return null;
  }
  const handle = await page.waitForFunction(
    () => {
      const videos = [...document.querySelectorAll('figure[data-participant-id] video')] as HTMLVideoElement[];
      const decoded = videos.some((v) => v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 0);
      return decoded ? performance.now() - (window as any).__joinClickedAt : null;
    },
    undefined,
    { polling: 'raf', timeout: 60_000 },
  );
  return (await handle.jsonValue()) as number;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

/** utime + stime of every Chromium process, in seconds. */
export function chromiumCpuSeconds(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      // Debian's /usr/bin/chromium is a wrapper; the processes run /usr/lib/chromium/chromium.
      const exe = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
      if (!exe.endsWith('/chromium')) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended while we read it.
    }
  }
  return ticks / 100;
}

