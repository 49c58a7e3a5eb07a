import { expect, test } from './fixtures';
import {
  channelName,
  createChannel,
  joinChannel,
  member,
  messageLog,
  openChannel,
} from './support';
import { drag } from './board-support';
import { waitForRecordedChunks } from './recording-support';

// A meeting's whiteboard opens beside the video for everyone; it is recorded with the
// meeting, linked from the card afterwards, and replayed in step with the recording.
test.describe.configure({ timeout: 180_000 });

test('the meeting board opens for everyone and replays in step with the recording', async ({ browser }) => {
  const ana = await member(browser, 'Ana');
  const ben = await member(browser, 'Ben');
  const channel = await createChannel(ana.page, channelName('board-meeting'));
  await joinChannel(ben.page, channel);

  await openChannel(ana.page, channel);
  await ana.page.getByRole('button', { name: 'Start meeting' }).click();
  await ana.page.getByRole('button', { name: 'Join meeting' }).click();
  await expect(ana.page.getByRole('main', { name: 'Meeting' })).toBeVisible();
  await openChannel(ben.page, channel);
  await messageLog(ben.page, channel).getByRole('group', { name: 'Meeting' }).getByRole('link', { name: 'Join meeting' }).click();
  await ben.page.getByRole('button', { name: 'Join meeting' }).click();
  await expect(ben.page.getByRole('main', { name: 'Meeting' })).toBeVisible();

  // Ana opens the whiteboard: it opens beside the video for Ben too. Then she records.
  const controls = ana.page.getByRole('toolbar', { name: 'Meeting controls' });
  await controls.getByRole('button', { name: 'Whiteboard' }).click();
  const anaBoard = ana.page.getByRole('complementary', { name: 'Meeting whiteboard' });
  const benBoard = ben.page.getByRole('complementary', { name: 'Meeting whiteboard' });
  await expect(anaBoard).toBeVisible();
  await expect(benBoard).toBeVisible();
  await controls.getByRole('button', { name: 'Start recording' }).click();
  await expect(ana.page.getByRole('status').filter({ hasText: /^Recording$/ })).toBeVisible();
  const benContents = benBoard.getByRole('status', { name: 'Board contents' });

  // First a stroke once the recording has media, then a rectangle a chunk (3 s of
  // media) later, then one more chunk so the recording runs past the rectangle.
  await waitForRecordedChunks(ana.page, channel.id, 1);
  await anaBoard.getByRole('button', { name: 'Pen', exact: true }).click();
  await drag(ana.page, [40, 40], [160, 90]);
  await expect(benContents).toHaveText('1 element: 1 stroke');
  await waitForRecordedChunks(ana.page, channel.id, 2);
  await anaBoard.getByRole('button', { name: 'Rectangle', exact: true }).click();
  await drag(ana.page, [60, 120], [150, 190]);
  await expect(benContents).toHaveText('2 elements: 1 stroke, 1 rectangle');
  await waitForRecordedChunks(ana.page, channel.id, 3);
  await controls.getByRole('button', { name: 'Stop recording' }).click();
  await expect(ana.page.getByText('Recording saved')).toBeVisible({ timeout: 30_000 });

  // The meeting card links the board.
  await openChannel(ben.page, channel);
  const card = messageLog(ben.page, channel).getByRole('group', { name: 'Meeting' });
  await expect(card.getByRole('link', { name: 'Open whiteboard' })).toBeVisible();

  // Playback: the board beside the video follows the position.
  const recordingCard = messageLog(ben.page, channel).getByRole('group', { name: 'Recording' });
  await recordingCard.getByRole('link', { name: 'Play recording' }).click();
  await expect(ben.page).toHaveURL(/\/recordings\/[0-9a-f-]+$/);
  const video = ben.page.getByLabel('Recording', { exact: true });
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.duration), { timeout: 20_000 }).toBeGreaterThan(3);
  const replay = ben.page.getByRole('region', { name: 'Board at playback position' });
  const replayContents = replay.getByRole('status', { name: 'Board contents' });

  // At the start nothing is drawn yet.
  await expect(replayContents).toHaveText('0 elements');

  // Board changes are markers on the timeline; the first one is the stroke.
  const markers = ben.page
    .getByRole('group', { name: 'Timeline' })
    .getByRole('button', { name: /^Board changed at \d+:\d\d/ });
  await expect(markers).toHaveCount(2);
  await markers.first().click();
  await expect(replayContents).toHaveText('1 element: 1 stroke');

  // Past the second change, the rectangle is there too.
  await markers.last().click();
  await expect(replayContents).toHaveText('2 elements: 1 stroke, 1 rectangle');
});
