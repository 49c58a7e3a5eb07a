import { type Browser, type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  channelLink,
  channelName,
  goOffline,
  goOnline,
  createChannel,
  joinChannel,
  messageLog,
  newPerson,
  openChannel,
  send,
  signUp,
  type ChannelInfo,
} from './support';

/** Two people, each in their own browser context, both members of a fresh channel. */
async function twoMembers(page: Page, browser: Browser, base: string) {
  const ana = newPerson('Ana');
  await signUp(page, ana);
  const channel = await createChannel(page, channelName(base));
  const context = await browser.newContext();
  const other = await context.newPage();
  const ben = newPerson('Ben');
  await signUp(other, ben);
  await joinChannel(other, channel);
  return { ana, ben, channel, other, context };
}

test('creating a channel in the UI and a message appearing live for the other member', async ({ page, browser }) => {
  const ana = newPerson('Ana');
  await signUp(page, ana);
  const name = channelName('launch');
  await page.getByRole('button', { name: 'Create channel' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create a channel' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Topic').fill('Shipping the launch');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { name: `#${name}` })).toBeVisible();
  const channelId = page.url().split('/c/')[1];
  const channel: ChannelInfo = { id: channelId, name };

  const context = await browser.newContext();
  const other = await context.newPage();
  await signUp(other, newPerson('Ben'));
  await other.getByRole('button', { name: 'Browse channels' }).click();
  const browse = other.getByRole('dialog');
  await browse.getByRole('listitem').filter({ hasText: name }).getByRole('button', { name: 'Join' }).click();
  await other.keyboard.press('Escape');
  await channelLink(other, channel).click();
  await expect(messageLog(other, channel)).toBeVisible();

  const text = `Hello from Ana ${Date.now()}`;
  await send(page, channel, text);
  await expect(messageLog(other, channel).getByText(text)).toBeVisible();
  await expect(messageLog(page, channel).getByText(text)).toBeVisible();
  await context.close();
});

test('thread replies show a count; reactions, edits and deletes reach the other member', async ({ page, browser }) => {
  const { channel, other, context } = await twoMembers(page, browser, 'thread');
  await openChannel(page, channel);
  await openChannel(other, channel);

  const root = `Should we ship on Friday? ${Date.now()}`;
  await send(page, channel, root);
  const rootOnOther = messageLog(other, channel).getByRole('article').filter({ hasText: root });
  await expect(rootOnOther).toBeVisible();

  // Ben replies in the thread.
  await rootOnOther.hover();
  await rootOnOther.getByRole('button', { name: 'Reply in thread' }).click();
  const thread = other.getByRole('complementary', { name: 'Thread' });
  const reply = thread.getByRole('textbox', { name: 'Reply in thread' });
  await reply.fill('Friday works for me');
  await reply.press('Enter');
  await expect(thread.getByText('Friday works for me')).toBeVisible();
  const rootOnAna = messageLog(page, channel).getByRole('article').filter({ hasText: root });
  await expect(rootOnAna.getByRole('button', { name: /^1 reply/ })).toBeVisible();

  // Ana reacts; Ben sees the count.
  await rootOnAna.hover();
  await rootOnAna.getByRole('button', { name: 'Add reaction' }).click();
  await page.getByRole('button', { name: 'React with 👍' }).click();
  await expect(rootOnOther.getByRole('button', { name: /^👍 1/ })).toBeVisible();

  // Ana edits; Ben sees the new text marked as edited.
  await rootOnAna.hover();
  await rootOnAna.getByRole('button', { name: 'Edit message' }).click();
  const edit = page.getByRole('textbox', { name: 'Edit message' });
  const edited = `Should we ship on Monday? ${Date.now()}`;
  await edit.fill(edited);
  await edit.press('Enter');
  const editedOnOther = messageLog(other, channel).getByRole('article').filter({ hasText: edited });
  await expect(editedOnOther).toBeVisible();
  await expect(editedOnOther.getByText('(edited)')).toBeVisible();

  // Ana deletes; Ben sees the marker instead of the text.
  const editedOnAna = messageLog(page, channel).getByRole('article').filter({ hasText: edited });
  await editedOnAna.hover();
  await editedOnAna.getByRole('button', { name: 'Delete message' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(messageLog(other, channel).getByText(edited)).toHaveCount(0);
  await expect(messageLog(other, channel).getByText('This message was deleted.')).toBeVisible();
  await context.close();
});

test('unread and mention badges appear for messages elsewhere and clear on opening', async ({ page, browser }) => {
  const { ben, channel, other, context } = await twoMembers(page, browser, 'badges');
  // Ben is looking at another channel of his.
  const elsewhere = await createChannel(other, channelName('elsewhere'));
  await openChannel(other, elsewhere);
  await openChannel(page, channel);

  await send(page, channel, 'A plain update');
  await expect(channelLink(other, channel)).toHaveAccessibleName(new RegExp(`^${channel.name}, 1 unread$`));

  await send(page, channel, `@${ben.display_name} can you look at this?`);
  await expect(channelLink(other, channel)).toHaveAccessibleName(
    new RegExp(`^${channel.name}, 2 unread, 1 mention$`),
  );

  await channelLink(other, channel).click();
  await expect(messageLog(other, channel).getByText('can you look at this?')).toBeVisible();
  await expect(channelLink(other, channel)).toHaveAccessibleName(channel.name);
  await context.close();
});

test('hostile markup in a message renders as inert text', async ({ page, browser }) => {
  const { channel, other, context } = await twoMembers(page, browser, 'xss');
  await openChannel(page, channel);
  await openChannel(other, channel);
  let dialogs = 0;
  other.on('dialog', async (d) => {
    dialogs += 1;
    await d.dismiss();
  });
  await other.evaluate(() => ((window as any).__pwned = false));

  await send(page, channel, '<img src=x onerror="window.__pwned=true;alert(1)"> and <script>window.__pwned=true</script>');
  await send(page, channel, '[click me](javascript:window.__pwned=true)');
  const log = messageLog(other, channel);
  await expect(log.getByText('<img src=x onerror="window.__pwned=true;alert(1)">', { exact: false })).toBeVisible();
  await expect(log.getByText('click me')).toBeVisible();
  expect(await log.locator('img[src="x"], script').count()).toBe(0);
  expect(await log.locator('a[href^="javascript:"]').count()).toBe(0);
  await log.getByText('click me').click();
  expect(await other.evaluate(() => (window as any).__pwned)).toBe(false);
  expect(dialogs).toBe(0);

  // A real link is kept, opening safely in a new tab.
  await send(page, channel, 'See [the docs](https://docs.example.com/guide)');
  const link = log.getByRole('link', { name: 'the docs' });
  await expect(link).toHaveAttribute('href', 'https://docs.example.com/guide');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  await context.close();
});

// A valid 1×1 PNG, padded so the upload lasts long enough to see its progress bar.
const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

test('an image upload shows progress, then the image reaches the other member', async ({ page, browser }) => {
  const { channel, other, context } = await twoMembers(page, browser, 'files');
  await openChannel(page, channel);
  await openChannel(other, channel);

  // Throttle uploads so the progress bar is observable.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 20,
    downloadThroughput: -1,
    uploadThroughput: 256 * 1024,
  });
  const image = Buffer.concat([PNG_1x1, Buffer.alloc(768 * 1024)]);
  await page.getByLabel('Attach files').setInputFiles({ name: 'diagram.png', mimeType: 'image/png', buffer: image });
  await expect(page.getByRole('progressbar', { name: 'Uploading diagram.png' })).toBeVisible();
  // Sending mid-upload is held back rather than going out without the file.
  await send(page, channel, 'Here is the diagram');
  await expect(page.getByRole('alert').filter({ hasText: 'Wait for the upload to finish' })).toBeVisible();
  await expect(messageLog(other, channel).getByText('Here is the diagram')).toHaveCount(0);
  await expect(page.getByRole('progressbar', { name: 'Uploading diagram.png' })).toHaveCount(0, { timeout: 30_000 });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });

  await send(page, channel, 'Here is the diagram');
  const img = messageLog(other, channel).getByRole('img', { name: 'diagram.png' });
  await expect(img).toBeVisible();
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(1);
  await context.close();
});

test('search finds a message and jumps to it in its channel', async ({ page, browser }) => {
  const { channel, other, context } = await twoMembers(page, browser, 'search');
  await openChannel(page, channel);
  const word = `zebracorn${Date.now()}`;
  await send(page, channel, `The ${word} rollout plan is ready`);
  for (let i = 0; i < 3; i++) await send(page, channel, `filler message ${i}`);
  await expect(messageLog(page, channel).getByText('filler message 2')).toBeVisible();

  await other.goto('/');
  await other.getByRole('searchbox', { name: 'Search messages' }).fill(word);
  await other.getByRole('searchbox', { name: 'Search messages' }).press('Enter');
  await expect(other.getByRole('heading', { name: 'Search results' })).toBeVisible();
  const hit = other.getByRole('link').filter({ hasText: 'rollout plan' });
  await expect(hit.locator('mark')).toHaveText(word);
  await hit.click();
  await expect(other).toHaveURL(new RegExp(`/c/${channel.id}\\?m=`));
  await expect(messageLog(other, channel).getByText(`The ${word} rollout plan is ready`)).toBeVisible();
  await context.close();
});

test('a message sent while offline is delivered exactly once after reconnecting', async ({ page, browser }) => {
  const { channel, other, context: otherContext } = await twoMembers(page, browser, 'offline');
  await openChannel(page, channel);
  await openChannel(other, channel);

  await goOffline(page);
  await expect(page.getByRole('status').filter({ hasText: 'Reconnecting…' })).toBeVisible();
  const text = `Written on the train ${Date.now()}`;
  await send(page, channel, text);
  await expect(messageLog(page, channel).getByRole('article').filter({ hasText: text })).toContainText('Sending…');

  await goOnline(page);
  const onOther = messageLog(other, channel).getByRole('article').filter({ hasText: text });
  await expect(onOther).toBeVisible();
  await expect(messageLog(page, channel).getByRole('article').filter({ hasText: text })).not.toContainText('Sending…');
  // Exactly once, on both sides, even after a reload re-reads history. Events arrive in
  // log order, so once a later message has arrived any duplicate would be there too.
  const after = `Back on the network ${Date.now()}`;
  await send(page, channel, after);
  await expect(messageLog(other, channel).getByRole('article').filter({ hasText: after })).toBeVisible();
  await expect(onOther).toHaveCount(1);
  await other.reload();
  await expect(messageLog(other, channel).getByRole('article').filter({ hasText: text })).toHaveCount(1);
  await expect(messageLog(page, channel).getByRole('article').filter({ hasText: text })).toHaveCount(1);
  await otherContext.close();
});

test('at 1280 px the header keeps a long name on one line and the other actions in a More menu; bare addresses are links', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signUp(page, newPerson('Ana'));
  const channel = await createChannel(page, channelName('the-quarterly-planning-of-the-infrastructure-team'));
  await openChannel(page, channel);

  const heading = page.getByRole('heading', { level: 1, name: `#${channel.name}` });
  await expect(heading).toHaveAttribute('title', `#${channel.name}`);
  const lineHeight = await heading.evaluate((h) => parseFloat(getComputedStyle(h).fontSize) * 1.6);
  expect((await heading.boundingBox())!.height).toBeLessThan(lineHeight);

  // The menu button pattern, by keyboard: open on the first item, arrows move, Escape
  // closes and returns to the button.
  const more = page.getByRole('button', { name: 'More', exact: true });
  await expect(more).toHaveAttribute('aria-haspopup', 'menu');
  const menu = page.getByRole('menu', { name: 'More' });
  await expect(menu).toBeHidden();
  await more.focus();
  await page.keyboard.press('Enter');
  await expect(menu.getByRole('menuitem', { name: 'Start town hall' })).toBeFocused();
  await expect(more).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Pinned messages' })).toBeFocused();
  await page.keyboard.press('End');
  await expect(menu.getByRole('menuitem', { name: 'Channel settings' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(more).toBeFocused();

  // An item does its job and closes the menu.
  await more.click();
  await menu.getByRole('menuitem', { name: 'Members' }).click();
  await expect(menu).toBeHidden();
  await expect(page.getByRole('complementary', { name: 'Members' })).toBeVisible();

  const url = `https://example.com/docs/plan_${Date.now()}?a=1&b=2`;
  await send(page, channel, `The plan: ${url}. Thoughts? ftp://example.com/not-a-link`);
  const link = messageLog(page, channel).getByRole('link', { name: url });
  await expect(link).toHaveAttribute('href', url);
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(messageLog(page, channel).getByRole('link', { name: /ftp:/ })).toHaveCount(0);
});
