import { expect, test } from '@playwright/test';
import { goOffline, goOnline, newPerson, signUp } from './support';

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
