import { expect, type Page } from '@playwright/test';
import { messageLog, openChannel, type ChannelInfo } from './support';

// Steps every meeting test takes, as a user does them: start, join, find a tile, and
// check that a remote video really plays.

/** The host starts a meeting from the channel header and joins it from the lobby. */
export async function startMeeting(host: Page, channel: ChannelInfo): Promise<string> {
  await openChannel(host, channel);
  await host.getByRole('button', { name: 'Start meeting' }).click();
  await expect(host).toHaveURL(/\/m\/[0-9a-f-]+$/);
  const url = host.url();
  await joinFromLobby(host);
  return url;
}

export async function joinFromLobby(page: Page) {
  await expect(page.getByRole('button', { name: 'Join meeting' })).toBeVisible();
  await page.getByRole('button', { name: 'Join meeting' }).click();
  await expect(page.getByRole('main', { name: 'Meeting' })).toBeVisible();
}

/** Joins through the card the meeting posted in the channel. */
export async function joinFromCard(page: Page, channel: ChannelInfo) {
  await openChannel(page, channel);
  const card = messageLog(page, channel).getByRole('group', { name: 'Meeting' });
  await expect(card).toBeVisible();
  await card.getByRole('link', { name: 'Join meeting' }).or(card.getByRole('button', { name: 'Join meeting' })).click();
  await joinFromLobby(page);
}

export function tile(page: Page, name: string) {
  return page.getByRole('main', { name: 'Meeting' }).getByRole('figure', { name, exact: true });
}

/** The remote video of `name` is playing: it has a size and its decoder keeps producing frames. */
export async function expectVideoFrom(page: Page, name: string) {
  const video = tile(page, name).locator('video');
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 30_000 }).toBeGreaterThan(0);
  const frames = () => tile(page, name).getAttribute('data-frames-decoded').then((v) => Number(v ?? 0));
  await expect.poll(frames, { timeout: 20_000 }).toBeGreaterThan(0);
  const before = await frames();
  await expect.poll(frames, { timeout: 20_000 }).toBeGreaterThan(before);
}

