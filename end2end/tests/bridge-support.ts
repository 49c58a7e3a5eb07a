import { expect, type Page } from '@playwright/test';
import { messageLog, type ChannelInfo } from './support';

// What the async-bridge browser tests share: the server's (test) clock, schedules, and
// finding messages the server posted.

/** The server's clock (other tests may have moved it ahead of the browser's). */
export async function serverNow(page: Page): Promise<number> {
  const res = await page.request.get('/api/availability');
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).now;
}

/** Moves the server's clock (the e2e server is built with the `test-clock` feature). */
export async function advanceClock(page: Page, ms: number): Promise<number> {
  const res = await page.request.post('/api/test/clock', { data: { advance_ms: ms } });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).now;
}

export async function setSchedule(page: Page, schedule: object) {
  const res = await page.request.put('/api/users/me/schedule', { data: schedule });
  expect(res.status(), await res.text()).toBe(200);
}

export const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

const DAY_MINUTES = 24 * 60;

/** The server's minute of the day, UTC. */
export async function serverMinuteUtc(page: Page): Promise<number> {
  const now = new Date(await serverNow(page));
  return now.getUTCHours() * 60 + now.getUTCMinutes();
}

/**
 * Moves the server's clock forward to the next `minute` of the day, UTC (the test
 * clock only moves forward), so a test can run at an hour it chooses, e.g. just
 * before midnight.
 */
export async function advanceClockToMinuteUtc(page: Page, minute: number): Promise<number> {
  const now = await serverNow(page);
  const startOfDay = now - (now % (DAY_MINUTES * 60_000));
  let target = startOfDay + minute * 60_000;
  if (target <= now) target += DAY_MINUTES * 60_000;
  return advanceClock(page, target - now);
}

/**
 * Working hours (UTC, every day) that begin `lead` minutes after the server's now and
 * last up to four hours. Near midnight the start wraps to the next day, so the range
 * never crosses 24:00 and the next start is always `lead` minutes away.
 */
export async function workingHoursStartingIn(page: Page, lead: number) {
  const start = ((await serverMinuteUtc(page)) + lead) % DAY_MINUTES;
  const end = Math.min(start + 240, DAY_MINUTES);
  return EVERY_DAY.map((weekday) => ({ weekday, start_minute: start, end_minute: end }));
}

/** When a clock-dependent test runs: at the server's present time, or just before midnight. */
export const CLOCK_STARTS = [
  { name: 'now', prepare: async (_page: Page) => {} },
  {
    name: 'near midnight UTC',
    prepare: async (page: Page) => {
      await advanceClockToMinuteUtc(page, DAY_MINUTES - 3);
    },
  },
];

export type WireMessage = { id: string; body: string; urgency: string };

/** Waits until the server has posted a message with `body` in the channel; returns it. */
export async function postedMessage(page: Page, channelId: string, body: string): Promise<WireMessage> {
  let found: WireMessage | undefined;
  await expect
    .poll(
      async () => {
        const res = await page.request.get(`/api/channels/${channelId}/messages`);
        const messages: WireMessage[] = (await res.json()).messages;
        found = messages.find((m) => m.body === body);
        return found !== undefined;
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  return found!;
}

/** A channel-level message in the log, by part of its text. */
export function rootMessage(page: Page, channel: ChannelInfo, text: string) {
  return messageLog(page, channel).getByRole('article').filter({ hasText: text }).first();
}
