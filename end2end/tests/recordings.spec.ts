import { expect, test } from './fixtures';
import {
  channelName,
  createChannel,
  joinChannel,
  member,
  messageLog,
  openChannel,
} from './support';
import { meetAndSee, waitForRecordedChunks } from './recording-support';

// A host records about 5 s of a two-person meeting in the browser; the server
// finalises the WebM; the recording is played back with its chat in step.
test.describe.configure({ timeout: 150_000 });

test('record a meeting, find its card, and play it back with the chat in sync', async ({ browser }) => {
  const ana = await member(browser, 'Ana');
  const ben = await member(browser, 'Ben');
  const channel = await createChannel(ana.page, channelName('recorded'));
  await joinChannel(ben.page, channel);

  // Count what the recorder uploads, to report the upload overhead.
  let uploadedPayload = 0;
  let uploadedHeaders = 0;
  ana.page.on('request', (request) => {
    if (request.method() === 'PUT' && /\/api\/recordings\/[^/]+\/chunks\//.test(request.url())) {
      uploadedPayload += request.postDataBuffer()?.length ?? 0;
      uploadedHeaders += Object.entries(request.headers()).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
    }
  });

  await meetAndSee(ana, ben, channel);

  // Record ~5 s. Both see the indicator; Ben says something in the meeting chat midway.
  const controls = ana.page.getByRole('toolbar', { name: 'Meeting controls' });
  await controls.getByRole('button', { name: 'Start recording' }).click();
  await expect(ana.page.getByRole('status').filter({ hasText: /^Recording$/ })).toBeVisible();
  await expect(ben.page.getByRole('status').filter({ hasText: /^Recording$/ })).toBeVisible();
  await waitForRecordedChunks(ana.page, channel.id, 1);
  await ben.page.getByRole('toolbar', { name: 'Meeting controls' }).getByRole('button', { name: 'Chat' }).click();
  const chatLine = `Decision: ship it ${Date.now()}`;
  const composer = ben.page.getByRole('textbox', { name: 'Message the meeting' });
  await composer.fill(chatLine);
  await composer.press('Enter');
  await waitForRecordedChunks(ana.page, channel.id, 2);
  await controls.getByRole('button', { name: 'Stop recording' }).click();
  await expect(ana.page.getByText('Recording saved')).toBeVisible({ timeout: 30_000 });
  await expect(ben.page.getByRole('status').filter({ hasText: /^Recording$/ })).toHaveCount(0);

  // The card appears in the channel.
  await openChannel(ben.page, channel);
  const card = messageLog(ben.page, channel).getByRole('group', { name: 'Recording' });
  await expect(card).toBeVisible();
  await card.getByRole('link', { name: 'Play recording' }).click();
  await expect(ben.page).toHaveURL(/\/recordings\/[0-9a-f-]+$/);

  // The player knows the duration (finalisation wrote it), plays, and seeks.
  const video = ben.page.getByLabel('Recording', { exact: true });
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.duration), { timeout: 20_000 }).toBeGreaterThan(3);
  const duration = await video.evaluate((v: HTMLVideoElement) => v.duration);
  expect(Number.isFinite(duration)).toBe(true);
  await ben.page.getByRole('button', { name: 'Play' }).click();
  const t0 = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 }).toBeGreaterThan(t0 + 0.5);

  // Playback reaches the chat line: it is highlighted.
  const line = ben.page.getByRole('log', { name: 'Meeting chat' }).getByRole('listitem').filter({ hasText: chatLine });
  await expect(line).toHaveAttribute('aria-current', 'true', { timeout: 15_000 });

  // Seek to the middle by clicking the middle of the seek bar, as a user would.
  await ben.page.getByRole('button', { name: 'Pause' }).click();
  // Back to the start first (J goes back 10 s), so landing in the middle proves the click.
  await ben.page.keyboard.press('j');
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeLessThan(0.5);
  const seekBar = ben.page.getByRole('slider', { name: 'Seek' });
  const box = await seekBar.boundingBox();
  if (!box) throw new Error('the seek bar has no box');
  await seekBar.click({ position: { x: box.width / 2, y: box.height / 2 } });
  // The thumb's width shifts a click by a few pixels: accept the middle fifth.
  await expect
    .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 })
    .toBeGreaterThan(duration * 0.4);
  expect(await video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeLessThan(duration * 0.6);

  // Figures for the issue note: the recording's bitrate and the upload overhead.
  const id = ben.page.url().split('/recordings/')[1];
  const recording = await (await ben.page.request.get(`/api/recordings/${id}`)).json();
  const kbps = (recording.size_bytes * 8) / (recording.duration_ms / 1000) / 1000;
  console.log(
    `recording: ${recording.size_bytes} bytes over ${(recording.duration_ms / 1000).toFixed(1)} s = ${kbps.toFixed(0)} kbit/s; ` +
      `uploaded ${uploadedPayload} payload bytes + ${uploadedHeaders} header bytes ` +
      `(${(((uploadedPayload + uploadedHeaders) / recording.size_bytes - 1) * 100).toFixed(1)} % over the finalised file)`,
  );
});

type SeekResult = { seeked: boolean; error: boolean; time: number; frameTime: number | null; frames: number };

// Issue 11: a recording of 15 s or more seeks anywhere. Each seek must end in `seeked` at
// the target, without a media error, with a frame decoded there (MediaRecorder starts
// clusters between keyframes, and a cue on a non-key frame made seeks fail).
test('a recorded meeting seeks to any point with a decoded frame', async ({ browser }) => {
  test.setTimeout(180_000);
  const ana = await member(browser, 'Ana');
  const ben = await member(browser, 'Ben');
  const channel = await createChannel(ana.page, channelName('seekable'));
  await joinChannel(ben.page, channel);
  await meetAndSee(ana, ben, channel);

  const controls = ana.page.getByRole('toolbar', { name: 'Meeting controls' });
  await controls.getByRole('button', { name: 'Start recording' }).click();
  await expect(ana.page.getByRole('status').filter({ hasText: /^Recording$/ })).toBeVisible();
  // At least 17 s: six chunks of CHUNK_INTERVAL_MS (3 s) on the server.
  await waitForRecordedChunks(ana.page, channel.id, 6);
  await controls.getByRole('button', { name: 'Stop recording' }).click();
  await expect(ana.page.getByText('Recording saved')).toBeVisible({ timeout: 30_000 });

  await openChannel(ben.page, channel);
  const card = messageLog(ben.page, channel).getByRole('group', { name: 'Recording' });
  await card.getByRole('link', { name: 'Play recording' }).click();
  await expect(ben.page).toHaveURL(/\/recordings\/[0-9a-f-]+$/);
  const video = ben.page.getByLabel('Recording', { exact: true });
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.duration), { timeout: 20_000 }).toBeGreaterThan(1);
  const duration = await video.evaluate((v: HTMLVideoElement) => v.duration);
  expect(Number.isFinite(duration)).toBe(true);
  expect(duration).toBeGreaterThanOrEqual(15);

  // Ten targets over the whole length, in an order that jumps back and forth.
  const targets = [0.5, 0.5, 0.9, 0.1, 0.7, 0.3, 0.98, 0.2, 0.6, 0.4].map((f, i) => (i === 0 ? f : f * duration));
  for (const target of targets) {
    const result: SeekResult = await video.evaluate(
      (v: HTMLVideoElement, target: number) =>
        new Promise<SeekResult>((resolve) => {
          let error = false;
          let frameTime: number | null = null;
          const framesBefore = v.getVideoPlaybackQuality().totalVideoFrames;
          v.addEventListener('error', () => (error = true), { once: true });
          // Called when a frame is presented: the one decoded at the new position.
          v.requestVideoFrameCallback((_now, meta) => (frameTime = meta.mediaTime));
          const finish = (seeked: boolean) =>
            resolve({
              seeked,
              error: error || v.error !== null,
              time: v.currentTime,
              frameTime,
              frames: v.getVideoPlaybackQuality().totalVideoFrames - framesBefore,
            });
          const timer = setTimeout(() => finish(false), 10_000);
          v.addEventListener(
            'seeked',
            () => {
              // Give the compositor a moment to present the decoded frame.
              const wait = Date.now() + 3_000;
              const check = () => {
                if (frameTime !== null || error || Date.now() > wait) {
                  clearTimeout(timer);
                  finish(true);
                } else {
                  setTimeout(check, 20);
                }
              };
              check();
            },
            { once: true },
          );
          v.currentTime = target;
        }),
      target,
    );
    const where = `seek to ${target.toFixed(2)} s of ${duration.toFixed(2)} s`;
    expect(result.error, where).toBe(false);
    expect(result.seeked, where).toBe(true);
    expect(Math.abs(result.time - target), where).toBeLessThan(0.5);
    // A frame was decoded there: presented (with its time) or at least counted.
    expect(result.frameTime !== null || result.frames > 0, where).toBe(true);
    if (result.frameTime !== null) expect(Math.abs(result.frameTime - target), where).toBeLessThan(0.5);
  }
  await expect(ben.page.getByRole('alert').filter({ hasText: 'could not' })).toHaveCount(0);
  // And it plays on from the last position.
  await ben.page.getByRole('button', { name: 'Play' }).click();
  const t0 = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 }).toBeGreaterThan(t0 + 0.3);
  await ben.page.getByRole('button', { name: 'Pause' }).click();

  // A media failure is explained, with a Reload that brings the recording back.
  const media = /\/api\/recordings\/[^/]+\/media/;
  await ben.page.route(media, (route) => route.fulfill({ status: 503, body: 'down' }));
  await ben.page.reload();
  const failure = ben.page.getByRole('alert').filter({ hasText: 'The recording could not be' });
  await expect(failure).toBeVisible();
  await ben.page.unroute(media);
  await failure.getByRole('button', { name: 'Reload' }).click();
  await expect(failure).toHaveCount(0);
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.duration), { timeout: 20_000 }).toBeGreaterThanOrEqual(15);
});
