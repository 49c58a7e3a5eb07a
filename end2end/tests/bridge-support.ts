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
