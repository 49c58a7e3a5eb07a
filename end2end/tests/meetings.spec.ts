import { type Browser, type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectVideoFrom, joinFromCard, joinFromLobby, startMeeting, tile } from './meeting-support';
import {
  channelName,
  createChannel,
  joinChannel,
  messageLog,
  newPerson,
  openChannel,
  signUp,
  type ChannelInfo,
  type Person,
} from './support';

// Meetings run real WebRTC between pages of this one Chromium, inside the loopback-only
// network namespace (scripts/e2e.sh), with fake camera and microphone.
test.describe.configure({ timeout: 180_000 });

type Member = { page: Page; person: Person };

async function member(browser: Browser, name: string, channel?: ChannelInfo): Promise<Member> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const person = newPerson(name);
  await signUp(page, person);
  if (channel) await joinChannel(page, channel);
  return { page, person };
}

test('two members meet and each sees the other\'s video; muting shows on the other side', async ({ browser }) => {
  const ana = await member(browser, 'Ana');
  const channel = await createChannel(ana.page, channelName('standup'));
  const ben = await member(browser, 'Ben', channel);

  await startMeeting(ana.page, channel);
  await joinFromCard(ben.page, channel);

  await expectVideoFrom(ana.page, ben.person.display_name);
  await expectVideoFrom(ben.page, ana.person.display_name);

  const controls = ana.page.getByRole('toolbar', { name: 'Meeting controls' });
  await controls.getByRole('button', { name: 'Mute microphone' }).click();
  await expect(tile(ben.page, ana.person.display_name).getByLabel(`${ana.person.display_name} is muted`)).toBeVisible();
  await controls.getByRole('button', { name: 'Unmute microphone' }).click();
  await expect(tile(ben.page, ana.person.display_name).getByLabel(`${ana.person.display_name} is muted`)).toHaveCount(0);
});

test('three participants all see each other, and a closed page leaves within 10 s', async ({ browser }) => {
  const ana = await member(browser, 'Ana');
  const channel = await createChannel(ana.page, channelName('trio'));
  const ben = await member(browser, 'Ben', channel);
  const cy = await member(browser, 'Cy', channel);

  await startMeeting(ana.page, channel);
  await joinFromCard(ben.page, channel);
  await joinFromCard(cy.page, channel);

  for (const [viewer, others] of [
    [ana, [ben, cy]],
    [ben, [ana, cy]],
    [cy, [ana, ben]],
  ] as const) {
    for (const other of others) await expectVideoFrom(viewer.page, other.person.display_name);
  }

  await cy.page.close();
  await expect(tile(ana.page, cy.person.display_name)).toHaveCount(0, { timeout: 10_000 });
  await expect(tile(ben.page, cy.person.display_name)).toHaveCount(0, { timeout: 10_000 });
});

test('a guest joins by invite link, sees the host, and is refused the channel API', async ({ browser }) => {
  const ana = await member(browser, 'Ana');
  const channel = await createChannel(ana.page, channelName('guests'));
  await startMeeting(ana.page, channel);

  await ana.page.getByRole('toolbar', { name: 'Meeting controls' }).getByRole('button', { name: 'Invite guest' }).click();
  const link = await ana.page.getByRole('textbox', { name: 'Guest link' }).inputValue();
  expect(link).toMatch(/\/guest\/[0-9a-f]+$/);

  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await guest.goto(link);
  await expect(guest.getByRole('heading', { name: /^Join / })).toBeVisible();
  await guest.getByLabel('Your name').fill('Gil Guest');
  await guest.getByRole('button', { name: 'Join as guest' }).click();
  await joinFromLobby(guest);

  await expectVideoFrom(guest, ana.person.display_name);
  await expectVideoFrom(ana.page, 'Gil Guest');
  // A guest is scoped to this meeting: no channels, no members.
  expect((await guest.request.get('/api/channels')).status()).toBe(403);
  expect((await guest.request.get('/api/users')).status()).toBe(403);
  await expect(guest.getByRole('navigation', { name: 'Workspace' })).toHaveCount(0);
});

test('in a locked meeting a guest waits in the lobby until the host admits them', async ({ browser }) => {
  const ana = await member(browser, 'Ana');
  const channel = await createChannel(ana.page, channelName('locked'));
  await startMeeting(ana.page, channel);
  const controls = ana.page.getByRole('toolbar', { name: 'Meeting controls' });
  await controls.getByRole('button', { name: 'Invite guest' }).click();
  const link = await ana.page.getByRole('textbox', { name: 'Guest link' }).inputValue();
  await ana.page.getByRole('button', { name: 'Lock meeting' }).click();
  await expect(ana.page.getByRole('button', { name: 'Unlock meeting' })).toBeVisible();

  const guest = await (await browser.newContext()).newPage();
  await guest.goto(link);
  await guest.getByLabel('Your name').fill('Kim Knock');
  await guest.getByRole('button', { name: 'Join as guest' }).click();
  await guest.getByRole('button', { name: 'Join meeting' }).click();
  await expect(guest.getByText('Waiting for the host to let you in…')).toBeVisible();

  await expect(ana.page.getByRole('status').filter({ hasText: 'Kim Knock is waiting to join' })).toBeVisible();
  await ana.page.getByRole('button', { name: 'Admit' }).click();
  await expect(guest.getByRole('main', { name: 'Meeting' })).toBeVisible();
  await expectVideoFrom(guest, ana.person.display_name);
});

async function openDm(caller: Page, callee: Person): Promise<ChannelInfo & { dm: true }> {
  const users = await (await caller.request.get('/api/users')).json();
  const target = users.find((u: { email: string }) => u.email === callee.email.toLowerCase());
  const res = await caller.request.post('/api/direct', { data: { user_ids: [target.id] } });
  expect(res.ok()).toBeTruthy();
  const channel = await res.json();
  return { id: channel.id, name: '', dm: true };
}

test('a 1:1 call rings, is accepted and connects; a declined call leaves a message', async ({ browser }) => {
  const ana = await member(browser, 'Ana');
  const ben = await member(browser, 'Ben');
  const dm = await openDm(ana.page, ben.person);

  await ana.page.goto(`/c/${dm.id}`);
  await ana.page.getByRole('button', { name: 'Call' }).click();
  // Calls skip the lobby: the caller is in at once, and so is whoever accepts.
  await expect(ana.page.getByRole('main', { name: 'Meeting' })).toBeVisible();
  const ring = ben.page.getByRole('alertdialog', { name: 'Incoming call' });
  await expect(ring).toContainText(`${ana.person.display_name} is calling`);
  await ring.getByRole('button', { name: 'Accept' }).click();
  await expect(ben.page).toHaveURL(/\/m\//);
  await expect(ben.page.getByRole('main', { name: 'Meeting' })).toBeVisible();
  await expectVideoFrom(ben.page, ana.person.display_name);
  await expectVideoFrom(ana.page, ben.person.display_name);
  await ana.page.getByRole('button', { name: 'Leave meeting' }).click();
  await ben.page.getByRole('button', { name: 'Leave meeting' }).click();

  // Second call: declined, which both sides can read in the DM afterwards.
  await ana.page.goto(`/c/${dm.id}`);
  await ana.page.getByRole('button', { name: 'Call' }).click();
  await ben.page.getByRole('alertdialog', { name: 'Incoming call' }).getByRole('button', { name: 'Decline' }).click();
  await expect(ben.page.getByRole('alertdialog', { name: 'Incoming call' })).toHaveCount(0);
  await ben.page.goto(`/c/${dm.id}`);
  await expect(ben.page.getByRole('log').getByText('Call declined')).toBeVisible();
  await ana.page.goto(`/c/${dm.id}`);
  await expect(ana.page.getByRole('log').getByText('Call declined')).toBeVisible();
});

test('screen share reaches the other side as its own tile', async ({ browser }) => {
  const ana = await member(browser, 'Ana');
  const channel = await createChannel(ana.page, channelName('demo'));
  const ben = await member(browser, 'Ben', channel);
  await startMeeting(ana.page, channel);
  await joinFromCard(ben.page, channel);
  await expectVideoFrom(ben.page, ana.person.display_name);

  await ana.page.getByRole('toolbar', { name: 'Meeting controls' }).getByRole('button', { name: 'Share screen' }).click();
  const screen = ben.page.getByRole('figure', { name: `${ana.person.display_name}'s screen` });
  await expect(screen).toBeVisible({ timeout: 20_000 });
  await expect
    .poll(() => screen.locator('video').evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 20_000 })
    .toBeGreaterThan(0);
  await ana.page.getByRole('toolbar', { name: 'Meeting controls' }).getByRole('button', { name: 'Stop sharing' }).click();
  await expect(screen).toHaveCount(0, { timeout: 15_000 });
});
