import { expect, test } from './fixtures';
import { expectShell, logIn, newPerson, signUp } from './support';

test('sign up lands in the shell, the session survives a reload, log out locks the shell', async ({ page }) => {
  const ana = newPerson('Ana');
  await signUp(page, ana);
  await expect(page.getByRole('heading', { name: 'No channels yet' })).toBeVisible();

  await page.reload();
  await expectShell(page, ana);

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();

  // The shell is protected: going back to it now sends us to log in.
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('navigation', { name: 'Workspace' })).toHaveCount(0);

  // And logging in again works.
  await logIn(page, ana);
  await expectShell(page, ana);
});

test('a second browser context is not logged in', async ({ page, browser }) => {
  const ben = newPerson('Ben');
  await signUp(page, ben);

  const other = await browser.newContext();
  const stranger = await other.newPage();
  await stranger.goto('/');
  await expect(stranger).toHaveURL(/\/login/);
  const me = await stranger.request.get('/api/auth/me');
  expect(me.status()).toBe(401);
  await other.close();
});

test('a wrong password shows a clear message, not a status code', async ({ page }) => {
  const cleo = newPerson('Cleo');
  await signUp(page, cleo);
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login$/);

  await logIn(page, { ...cleo, password: 'not the right password' });
  await expect(page.getByRole('alert')).toContainText('Email or password is incorrect.');
  await expect(page.getByRole('alert')).not.toContainText('401');
  await expect(page).toHaveURL(/\/login$/);
});

test('sign-up problems are explained next to the form', async ({ page }) => {
  const dan = newPerson('Dan');
  await signUp(page, dan);
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login$/);

  // Same email again: the server answers 409 and the page says why.
  await page.goto('/signup');
  await page.getByLabel('Display name').fill('Dan Again');
  await page.getByLabel('Email').fill(dan.email.toUpperCase());
  await page.getByLabel('Password').fill('another long password');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.getByRole('alert').first()).toBeVisible();
  await expect(page).toHaveURL(/\/signup$/);
});

test('an unknown address shows a not-found page', async ({ page }) => {
  await page.goto('/no/such/place');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to Tandem' }).click();
  await expect(page).toHaveURL(/\/login/);
});
