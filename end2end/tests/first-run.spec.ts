import { expect, test } from './fixtures';
import { PRISTINE_URL, SETUP_CODE } from '../playwright.config';
import { expectShell, fillSignup, newPerson } from './support';

// Runs against the never-seeded server: what the very first visitor of a new install
// sees, and how the admin then brings a teammate in with an invite link.
test.use({ baseURL: PRISTINE_URL });

test('the first account sets up the workspace, becomes admin and invites a teammate', async ({ page, browser }) => {
  // Opening a brand-new install lands on setting up the workspace.
  await page.goto('/');
  await expect(page).toHaveURL(/\/signup$/);
  await expect(page.getByRole('heading', { name: 'Set up your workspace' })).toBeVisible();

  // Whoever reaches a new install first cannot just take it: the first account needs
  // the one-time code the server printed on its console.
  const owner = newPerson('Olga');
  const codeField = page.getByLabel('Setup code');
  await expect(codeField).toBeVisible();
  await codeField.fill('not the code');
  await fillSignup(page, owner);
  await expect(page.getByText('That setup code is not right.')).toBeVisible();
  await expect(page).toHaveURL(/\/signup$/);
  await codeField.fill(SETUP_CODE);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expectShell(page, owner);

  // Only an admin has workspace settings; sign-up is closed by default.
  await page.getByRole('button', { name: 'Workspace settings' }).click();
  await expect(page.getByLabel('Allow anyone to sign up without an invite')).not.toBeChecked();
  await page.getByRole('button', { name: 'Create invite link' }).click();
  const link = await page.getByRole('textbox', { name: 'Invite link', exact: true }).inputValue();
  expect(link).toMatch(/\/join\/[0-9a-f]+$/);

  // Without the link, a newcomer is told to ask for one and cannot get in.
  const other = await browser.newContext({ baseURL: PRISTINE_URL });
  const newcomer = await other.newPage();
  await newcomer.goto('/signup');
  await expect(newcomer.getByText('Ask an admin for an invite link')).toBeVisible();
  // The setup code is void once the workspace exists: not asked for, and no way in.
  await expect(newcomer.getByLabel('Setup code')).toHaveCount(0);
  const refused = await newcomer.request.post('/api/auth/signup', {
    data: {
      display_name: 'Mallory',
      email: 'mallory@tandem.test',
      password: 'long enough password',
      setup_code: SETUP_CODE,
    },
  });
  expect(refused.status()).toBe(403);

  // With it, they join.
  await newcomer.goto(link);
  await expect(newcomer.getByRole('heading', { name: /^Join / })).toBeVisible();
  const pia = newPerson('Pia');
  await fillSignup(newcomer, pia);
  await expectShell(newcomer, pia);
  // A member has no workspace settings.
  await expect(newcomer.getByRole('button', { name: 'Workspace settings' })).toHaveCount(0);
  await other.close();
});
