import { expect, test } from './fixtures';
import { logIn, newPerson, signUp } from './support';

test('a new display name reaches other people live', async ({ page, browser }) => {
  const kai = newPerson('Kai');
  await signUp(page, kai);
  const other = await browser.newContext();
  const lea = await other.newPage();
  await signUp(lea, newPerson('Lea'));
  await lea.goto('/people');
  const people = lea.getByRole('main');
  await expect(people.getByText(kai.display_name, { exact: true })).toBeVisible();

  await page.getByRole('link', { name: 'Profile' }).click();
  await expect(page.getByRole('heading', { name: 'Profile' })).toBeVisible();
  const renamed = `Kai Okafor ${Date.now().toString(36)}`;
  await page.getByLabel('Display name').fill(renamed);
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Profile saved.' })).toBeVisible();

  // Lea's open page follows without a reload; so does Kai's own menu.
  await expect(people.getByText(renamed)).toBeVisible();
  await expect(people.getByText(kai.display_name, { exact: true })).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Workspace' }).getByText(renamed)).toBeVisible();

  // A name that is only spaces is refused with a message, and nothing changes.
  await page.getByLabel('Display name').fill('   ');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByText('Please enter your name.')).toBeVisible();
  await expect(people.getByText(renamed)).toBeVisible();
  await other.close();
});

test('signing out another device ends its session at once', async ({ page, browser }) => {
  const mia = newPerson('Mia');
  await signUp(page, mia);
  const laptop = await browser.newContext();
  const second = await laptop.newPage();
  await logIn(second, mia);
  await expect(second.getByRole('navigation', { name: 'Workspace' })).toBeVisible();

  await page.goto('/settings/profile');
  const devices = page.getByRole('list', { name: 'Signed-in devices' });
  await expect(devices.getByRole('listitem')).toHaveCount(2);
  await expect(devices.getByRole('listitem').filter({ hasText: 'This device' })).toHaveCount(1);
  await devices
    .getByRole('listitem')
    .filter({ hasNotText: 'This device' })
    .getByRole('button', { name: 'Sign out' })
    .click();
  await expect(devices.getByRole('listitem')).toHaveCount(1);

  // The other device is told over its socket and shows the log-in page.
  await expect(second.getByRole('heading', { name: 'Log in' })).toBeVisible({ timeout: 15_000 });
  await laptop.close();
});
