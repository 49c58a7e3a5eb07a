import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { channelName, createChannel, member, openChannel } from './support';
import { contents, createBoard, drag, tool } from './board-support';

// Whiteboard follow-ups (issue #6): a meeting's guest draws on the meeting's board and
// the host sees it; a read-only link is listed in the share dialog, revoked there, and
// then opens only the "revoked" message; an SVG export wraps long text into lines.
test.describe.configure({ timeout: 180_000 });

test('a guest draws on the meeting board and the host sees the shape', async ({ browser }) => {
  const ana = await member(browser, 'Ana');
  const channel = await createChannel(ana.page, channelName('guest-board'));

  await openChannel(ana.page, channel);
  await ana.page.getByRole('button', { name: 'Start meeting' }).click();
  await ana.page.getByRole('button', { name: 'Join meeting' }).click();
  await expect(ana.page.getByRole('main', { name: 'Meeting' })).toBeVisible();
  const controls = ana.page.getByRole('toolbar', { name: 'Meeting controls' });
  await controls.getByRole('button', { name: 'Invite guest' }).click();
  const link = await ana.page.getByRole('textbox', { name: 'Guest link' }).inputValue();

  const guest = await (await browser.newContext()).newPage();
  await guest.goto(link);
  await guest.getByLabel('Your name').fill('Gil Guest');
  await guest.getByRole('button', { name: 'Join as guest' }).click();
  await guest.getByRole('button', { name: 'Join meeting' }).click();
  await expect(guest.getByRole('main', { name: 'Meeting' })).toBeVisible();

  // The host opens the whiteboard; it opens beside the video for the guest too, with
  // the drawing tools.
  await controls.getByRole('button', { name: 'Whiteboard' }).click();
  const anaBoard = ana.page.getByRole('complementary', { name: 'Meeting whiteboard' });
  const guestBoard = guest.getByRole('complementary', { name: 'Meeting whiteboard' });
  await expect(anaBoard).toBeVisible();
  await expect(guestBoard).toBeVisible();
  await expect(tool(guestBoard, 'Rectangle')).toBeVisible();
  await expect(guestBoard.getByText('View only')).toHaveCount(0);

  // The guest draws a rectangle; the host sees it.
  await tool(guestBoard, 'Rectangle').click();
  await drag(guest, [40, 40], [160, 120]);
  await expect(contents(guestBoard)).toHaveText('1 element: 1 rectangle');
  await expect(contents(anaBoard)).toHaveText('1 element: 1 rectangle');
  // No refusal was shown to the guest.
  await expect(guestBoard.getByRole('alert')).toHaveCount(0);
});

test('a revoked read-only link leaves the list and then shows the revoked message', async ({ browser }) => {
  const ana = await member(browser, 'Ana');
  const channel = await createChannel(ana.page, channelName('links'));
  const title = `Links ${Date.now()}`;
  await createBoard(ana.page, channel, title);

  await ana.page.getByRole('button', { name: 'Share read-only link' }).click();
  const link = await ana.page.getByRole('textbox', { name: 'Read-only link' }).inputValue();
  expect(link).toMatch(/\/board-links\/[A-Za-z0-9_-]+$/);
  const token = link.split('/board-links/')[1];

  // The share dialog lists it: when it was made, and when it expires (links always do).
  const list = ana.page.getByRole('list', { name: 'Active read-only links' });
  const row = list.getByRole('listitem');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Created');
  await expect(row).toContainText(/Expires \w{3} \d+/);
  await expect(row).not.toContainText('never');

  // Dan (a member outside the channel) watches through it.
  const dan = await member(browser, 'Dan');
  await dan.page.goto(link);
  await expect(dan.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(contents(dan.page)).toHaveText('0 elements');

  // Revoked: gone from the list (and the link box), and the server answers 410.
  await row.getByRole('button', { name: 'Revoke link' }).click();
  await expect(ana.page.getByRole('button', { name: 'Revoke link' })).toHaveCount(0);
  await expect(list).toHaveCount(0);
  await expect(ana.page.getByRole('textbox', { name: 'Read-only link' })).toHaveCount(0);
  expect((await dan.page.request.get(`/api/board-links/${token}`)).status()).toBe(410);

  // Opening it now shows the revoked message and no board.
  await dan.page.goto(link);
  await expect(dan.page.getByRole('alert')).toContainText('revoked');
  await expect(dan.page.getByRole('application', { name: 'Drawing surface' })).toHaveCount(0);

  // A reload of Ana's board page lists no link either.
  await ana.page.reload();
  await expect(ana.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(ana.page.getByRole('button', { name: 'Revoke link' })).toHaveCount(0);
});

test('the SVG export wraps a long note into several lines', async ({ browser }) => {
  const ana = await member(browser, 'Ana');
  const channel = await createChannel(ana.page, channelName('svg-wrap'));
  await createBoard(ana.page, channel, `Notes ${Date.now()}`);

  await tool(ana.page, 'Sticky note').click();
  const box = await ana.page.getByRole('application', { name: 'Drawing surface' }).boundingBox();
  if (!box) throw new Error('the drawing surface has no box');
  await ana.page.mouse.click(box.x + 200, box.y + 180);
  const text = 'Bring the quarterly numbers & the new hiring plan <draft> to Monday review';
  await ana.page.getByRole('textbox', { name: 'Text' }).fill(text);
  await ana.page.getByRole('textbox', { name: 'Text' }).press('Enter');
  await expect(contents(ana.page)).toHaveText('1 element: 1 sticky note');

  const download = ana.page.waitForEvent('download');
  await tool(ana.page, 'Export SVG').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.svg$/);
  const svg = readFileSync(await file.path(), 'utf8');
  const lines = [...svg.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((m) => m[1]);
  expect(lines.length).toBeGreaterThanOrEqual(3);
  // Every word is there, in order, escaped; nothing raw slipped through.
  expect(lines.join(' ')).toBe(text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;'));
  expect(svg).not.toContain('<draft>');
});
