import { expect, test } from './fixtures';
import {
  channelName,
  createChannel,
  goOffline,
  goOnline,
  joinChannel,
  messageLog,
  newPerson,
  openChannel,
  send,
  signUp,
} from './support';

test('a status set in one tab appears live in another person\'s tab', async ({ page, browser }) => {
  const eva = newPerson('Eva');
  await signUp(page, eva);

  const other = await browser.newContext();
  const finn = await other.newPage();
  await signUp(finn, newPerson('Finn'));

  const status = `Reviewing specs ${Date.now()}`;
  await page.getByLabel('Status').fill(status);
  await page.getByRole('button', { name: 'Set status' }).click();

  // Finn sees Eva's new status without reloading.
  await expect(finn.getByRole('navigation', { name: 'Workspace' }).getByText(status)).toBeVisible();
  await other.close();
});

test('a command sent while offline is delivered after reconnecting', async ({ page, browser }) => {
  const gus = newPerson('Gus');
  await signUp(page, gus);
  const other = await browser.newContext();
  const hana = await other.newPage();
  await signUp(hana, newPerson('Hana'));

  await goOffline(page);
  await expect(page.getByRole('status').filter({ hasText: 'Reconnecting…' })).toBeVisible();

  const status = `Offline note ${Date.now()}`;
  await page.getByLabel('Status').fill(status);
  await page.getByRole('button', { name: 'Set status' }).click();
  await expect(page.getByText('Sending…')).toBeVisible();
  await expect(hana.getByRole('navigation', { name: 'Workspace' }).getByText(status)).toHaveCount(0);

  await goOnline(page);
  await expect(page.getByRole('status').filter({ hasText: 'Reconnecting…' })).toHaveCount(0, { timeout: 20_000 });
  await expect(page.getByText('Sending…')).toHaveCount(0);
  await expect(hana.getByRole('navigation', { name: 'Workspace' }).getByText(status)).toBeVisible();
  await other.close();
});

test('a message posted while a page is still loading shows up without a reload', async ({ page, browser }) => {
  const ivy = newPerson('Ivy');
  await signUp(page, ivy);
  const channel = await createChannel(page, channelName('startup'));
  await openChannel(page, channel);

  const other = await browser.newContext();
  const jon = await other.newPage();
  await signUp(jon, newPerson('Jon'));
  await joinChannel(jon, channel);

  // Jon's next page load: the server answers the people list and the channel's messages
  // at once (they are read before Ivy posts), but the answers reach the page only later.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const read: Promise<void>[] = [];
  for (const path of [/^\/api\/users$/, /^\/api\/channels\/[^/]+\/messages$/]) {
    let served!: () => void;
    read.push(new Promise<void>((resolve) => (served = resolve)));
    await jon.route(
      (url) => path.test(url.pathname),
      async (route) => {
        const response = await route.fetch();
        served();
        await held;
        await route.fulfill({ response });
      },
      { times: 1 },
    );
  }
  await jon.goto(`/c/${channel.id}`);
  await Promise.all(read);

  const text = `Posted during Jon's page load ${Date.now()}`;
  await send(page, channel, text);
  await expect(messageLog(page, channel).getByText(text)).toBeVisible();
  await expect(page.getByText('Sending…')).toHaveCount(0);

  release();
  await expect(messageLog(jon, channel).getByText(text)).toBeVisible({ timeout: 15_000 });
  await other.close();
});
