import { type Browser, type Page } from '@playwright/test';
import { SFU_ENABLED, SFU_URL } from '../playwright.config';
import { expect, test } from './fixtures';
import { expectVideoFrom, joinFromCard, joinFromLobby, startMeeting, tile } from './meeting-support';
import {
  janusPublishers,
  restartJanus,
  SyntheticParticipants,
  tryJoin,
  watchRoutes,
  type SfuAccess,
} from './sfu-support';
import { channelMenu, channelName, createChannel, joinChannel, member, openChannel } from './support';

// Meetings through the SFU: the "sfu" server (playwright.config.ts) with the two Janus
// nodes scripts/e2e.sh runs in the test's own network namespace, and --mesh-max 2.
test.skip(!SFU_ENABLED, 'needs the Janus nodes scripts/e2e.sh starts (root)');
test.describe.configure({ timeout: 240_000 });

async function sfuMember(browser: Browser, name: string) {
  const m = await member(browser, name, { baseURL: SFU_URL });
  return { ...m, routes: watchRoutes(m.page) };
}

/** Starts noting whether a status saying `text` appears on the page, however briefly. */
async function watchFor(page: Page, text: string) {
  await page.evaluate((text) => {
    const w = window as any;
    w.__sawStatus = false;
    // Added nodes too: it may come and go between two callbacks.
    const look = (records: MutationRecord[]) => {
      const added = records.flatMap((r) => [...r.addedNodes]);
      const statuses = [...document.querySelectorAll('[role="status"]'), ...added];
      const isIt = (n: Node) =>
        n instanceof Element && n.matches('[role="status"]') && !!n.textContent?.includes(text);
      if (statuses.some(isIt)) w.__sawStatus = true;
    };
    new MutationObserver(look).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  }, text);
}

function sawStatus(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as any).__sawStatus === true);
}

function localTile(page: import('@playwright/test').Page) {
  return page.getByRole('main', { name: 'Meeting' }).locator('figure.tile.local');
}

/** Through the SFU a browser sends one camera stream, simulcast (more than one layer). */
async function expectOneSimulcastUpstream(page: import('@playwright/test').Page) {
  const me = localTile(page);
  await expect(me).toHaveAttribute('data-upstream-video-streams', '1', { timeout: 30_000 });
  await expect
    .poll(async () => Number(await me.getAttribute('data-upstream-layers')), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(2);
}

test('a meeting of two grows past the mesh onto the SFU: six synthetic publishers, no rejoin, one simulcast upstream each', async ({ browser }) => {
  const ana = await sfuMember(browser, 'Ana');
  const channel = await createChannel(ana.page, channelName('allhands'));
  const ben = await sfuMember(browser, 'Ben');
  await joinChannel(ben.page, channel);

  const url = await startMeeting(ana.page, channel);
  const meetingId = url.split('/').pop()!;
  await joinFromCard(ben.page, channel);
  // Two people: peer to peer.
  await expectVideoFrom(ana.page, ben.person.display_name);
  await expectVideoFrom(ben.page, ana.person.display_name);
  expect(ana.routes).toHaveLength(0);

  const synthetic = new SyntheticParticipants(SFU_URL, channel.id, meetingId, 6);
  try {
    // The third joiner moves the meeting: both browsers get an SFU route, in place.
    await expect.poll(() => ana.routes.length, { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(() => ben.routes.length, { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => synthetic.publishing.size, { timeout: 90_000 }).toBe(6);
    await expect(ana.page.getByRole('button', { name: 'Join meeting' })).toHaveCount(0);

    for (const viewer of [ana, ben]) {
      const other = viewer === ana ? ben : ana;
      await expectVideoFrom(viewer.page, other.person.display_name);
      for (const name of synthetic.names) await expectVideoFrom(viewer.page, name);
      await expectOneSimulcastUpstream(viewer.page);
    }
    const publishers = await janusPublishers(0, meetingId);
    expect(publishers).toHaveLength(8);

    // Each tile gets the simulcast layer its size needs: small tiles the low layer,
    // a pinned (large) tile a higher one.
    const anaOnBen = tile(ben.page, ana.person.display_name);
    const height = () => anaOnBen.locator('video').evaluate((v: HTMLVideoElement) => v.videoHeight);
    const tileHeight = await anaOnBen.evaluate((f) => f.getBoundingClientRect().height);
    expect(tileHeight).toBeLessThanOrEqual(200);
    await expect.poll(height, { timeout: 30_000 }).toBeLessThanOrEqual(180);
    await anaOnBen.getByRole('button', { name: `Pin ${ana.person.display_name}` }).click();
    await expect(anaOnBen.getByRole('button', { name: `Unpin ${ana.person.display_name}` }))
      .toHaveAttribute('aria-pressed', 'true');
    await expect.poll(height, { timeout: 30_000 }).toBeGreaterThanOrEqual(360);

    // Screen share rides the SFU as its own stream.
    await ana.page.getByRole('toolbar', { name: 'Meeting controls' })
      .getByRole('button', { name: 'Share screen' }).click();
    const screen = ben.page.getByRole('figure', { name: `${ana.person.display_name}'s screen` });
    await expect(screen).toBeVisible({ timeout: 30_000 });
    await expect.poll(() => screen.locator('video').evaluate((v: HTMLVideoElement) => v.videoWidth), {
      timeout: 30_000,
    }).toBeGreaterThan(0);
    // Still one camera stream upstream.
    await expect(localTile(ana.page)).toHaveAttribute('data-upstream-video-streams', '1');
  } finally {
    await synthetic.stop();
  }
});

test('a guest joins through the SFU with a token only their room accepts, expired tokens are refused, and a removed guest loses the streams', async ({ browser }) => {
  const ana = await sfuMember(browser, 'Ana');
  const channel = await createChannel(ana.page, channelName('guests-sfu'));
  // Another meeting elsewhere: its room must refuse the guest's token.
  const other = await createChannel(ana.page, channelName('elsewhere'));
  const elsewhere = await ana.page.request.post(`/api/channels/${other.id}/meetings`, { data: {} });
  const elsewhereId = (await elsewhere.json()).id as string;
  await openChannel(ana.page, channel);
  const url = await startMeeting(ana.page, channel);
  const meetingId = url.split('/').pop()!;

  const synthetic = new SyntheticParticipants(SFU_URL, channel.id, meetingId, 2);
  try {
    await expect.poll(() => synthetic.publishing.size, { timeout: 90_000 }).toBe(2);
    await ana.page.getByRole('toolbar', { name: 'Meeting controls' })
      .getByRole('button', { name: 'Invite guest' }).click();
    const link = await ana.page.getByRole('textbox', { name: 'Guest link' }).inputValue();

    const guest = await (await browser.newContext({ baseURL: SFU_URL })).newPage();
    const guestRoutes = watchRoutes(guest);
    await guest.goto(link);
    await guest.getByLabel('Your name').fill('Gil Guest');
    await guest.getByRole('button', { name: 'Join as guest' }).click();
    await joinFromLobby(guest);
    await expectVideoFrom(guest, ana.person.display_name);
    await expectVideoFrom(ana.page, 'Gil Guest');
    const first: SfuAccess = guestRoutes[0];
    expect(first.room).toBe(meetingId);

    // The guest's tokens open their own room and no other.
    expect(await tryJoin(guest, first, meetingId)).toBe(0);
    expect(await tryJoin(guest, first, elsewhereId)).not.toBe(0);

    // Tokens are short-lived (the sfu server: 20 s): the page refreshes them and keeps
    // playing, and the first one stops working.
    await expect.poll(() => Date.now() > first.expires_at + 1_000, { timeout: 40_000 }).toBe(true);
    expect(guestRoutes.length).toBeGreaterThan(1);
    expect(await tryJoin(guest, first, meetingId)).toBe(403);
    await expectVideoFrom(guest, ana.person.display_name);

    // Removed: Janus kicks the feed and the guest's page has no one's video any more.
    const guestFeed = first.feed;
    expect(await janusPublishers(0, meetingId)).toContain(guestFeed);
    await ana.page.getByRole('button', { name: 'Participants' }).click();
    await ana.page.getByRole('complementary', { name: 'Participants' })
      .getByRole('listitem', { name: 'Gil Guest' }).getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => janusPublishers(0, meetingId), { timeout: 5_000 }).not.toContain(guestFeed);
    await expect(guest.locator('video')).toHaveCount(0, { timeout: 5_000 });
    await expect(tile(ana.page, 'Gil Guest')).toHaveCount(0);
  } finally {
    await synthetic.stop();
  }
});

test('a town hall across two Janus nodes: the audience watches a speaker cascaded from the other node, and the host brings one on stage', async ({ browser }) => {
  const ana = await sfuMember(browser, 'Ana');
  const channel = await createChannel(ana.page, channelName('townhall'));
  const ben = await sfuMember(browser, 'Ben');
  await joinChannel(ben.page, channel);

  await openChannel(ana.page, channel);
  await channelMenu(ana.page, 'Start town hall');
  await expect(ana.page).toHaveURL(/\/m\/[0-9a-f-]+$/);
  await joinFromLobby(ana.page);
  await joinFromCard(ben.page, channel);

  // Ana speaks on node 0; Ben is audience, placed on node 1, and sees her there.
  await expect.poll(() => ana.routes.length).toBeGreaterThan(0);
  await expect.poll(() => ben.routes.length).toBeGreaterThan(0);
  expect(ana.routes.at(-1)!.url).toContain(':8188');
  expect(ana.routes.at(-1)!.publish).toBe(true);
  expect(ben.routes.at(-1)!.url).toContain(':8189');
  expect(ben.routes.at(-1)!.publish).toBe(false);
  await expectVideoFrom(ben.page, ana.person.display_name);
  await expect(tile(ana.page, ben.person.display_name)).toHaveCount(0);

  // On stage: Ben publishes on node 0 and Ana sees him.
  await ana.page.getByRole('button', { name: 'Participants' }).click();
  await ana.page.getByRole('complementary', { name: 'Participants' })
    .getByRole('listitem', { name: ben.person.display_name })
    .getByRole('button', { name: 'Bring on stage' }).click();
  await expect.poll(() => ben.routes.at(-1)!.publish, { timeout: 20_000 }).toBe(true);
  expect(ben.routes.at(-1)!.url).toContain(':8188');
  await expectVideoFrom(ana.page, ben.person.display_name);
  await expectVideoFrom(ben.page, ana.person.display_name);
});

test('when Janus restarts, the meeting says it is reconnecting media and comes back by itself', async ({ browser }) => {
  const ana = await sfuMember(browser, 'Ana');
  const channel = await createChannel(ana.page, channelName('restart'));
  const ben = await sfuMember(browser, 'Ben');
  await joinChannel(ben.page, channel);
  const url = await startMeeting(ana.page, channel);
  await joinFromCard(ben.page, channel);
  // A third participant takes the meeting past the mesh.
  const synthetic = new SyntheticParticipants(SFU_URL, channel.id, url.split('/').pop()!, 1);
  try {
    await expect.poll(() => ana.routes.length, { timeout: 60_000 }).toBeGreaterThan(0);
    await expectVideoFrom(ana.page, ben.person.display_name);
    await expectVideoFrom(ben.page, ana.person.display_name);

    // Recovery can take well under a second: record whether the status ever showed.
    for (const page of [ana.page, ben.page]) await watchFor(page, 'Reconnecting media…');
    restartJanus(0);
    for (const page of [ana.page, ben.page]) {
      await expect.poll(() => sawStatus(page), { timeout: 20_000 }).toBe(true);
    }
    // Rooms are recreated and both browsers publish again, with no rejoin.
    for (const page of [ana.page, ben.page]) {
      await expect(page.getByRole('status').filter({ hasText: 'Reconnecting media…' }))
        .toHaveCount(0, { timeout: 30_000 });
    }
    await expectVideoFrom(ana.page, ben.person.display_name);
    await expectVideoFrom(ben.page, ana.person.display_name);
    await expect(ana.page.getByRole('button', { name: 'Join meeting' })).toHaveCount(0);
  } finally {
    await synthetic.stop();
  }
});
