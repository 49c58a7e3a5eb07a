import { expect, type Page } from '@playwright/test';
import { type ChannelInfo, type Member, messageLog, openChannel } from './support';

// What browser tests of recordings share: waiting on what the server has actually
// received, instead of sleeping for a while and hoping the recorder kept up.

type WireRecording = { id: string; state: string };

/**
 * Waits until the channel's running recording has at least `chunks` chunks on the
 * server (the recorder uploads one every CHUNK_INTERVAL_MS of media), so that much
 * of the meeting is recorded; returns the recording's id.
 */
export async function waitForRecordedChunks(page: Page, channelId: string, chunks: number): Promise<string> {
  let id = '';
  await expect
    .poll(
      async () => {
        const list = await page.request.get(`/api/recordings?channel_id=${channelId}`);
        const running = ((await list.json()) as WireRecording[]).find((r) => r.state === 'recording');
        if (!running) return -1;
        id = running.id;
        const upload = await page.request.get(`/api/recordings/${id}/upload`);
        return (await upload.json()).next_index as number;
      },
      { timeout: 30_000 },
    )
    .toBeGreaterThanOrEqual(chunks);
  return id;
}

/** Ana starts a meeting in the channel, Ben joins it from its card, and Ana sees his video. */
export async function meetAndSee(ana: Member, ben: Member, channel: ChannelInfo) {
  await openChannel(ana.page, channel);
  await ana.page.getByRole('button', { name: 'Start meeting' }).click();
  await ana.page.getByRole('button', { name: 'Join meeting' }).click();
  await expect(ana.page.getByRole('main', { name: 'Meeting' })).toBeVisible();
  await openChannel(ben.page, channel);
  await messageLog(ben.page, channel).getByRole('group', { name: 'Meeting' }).getByRole('link', { name: 'Join meeting' }).click();
  await ben.page.getByRole('button', { name: 'Join meeting' }).click();
  const benTile = ana.page.getByRole('figure', { name: ben.person.display_name, exact: true }).locator('video');
  await expect.poll(() => benTile.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 30_000 }).toBeGreaterThan(0);
}
