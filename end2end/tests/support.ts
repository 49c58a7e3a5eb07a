import { expect, type Browser, type BrowserContextOptions, type Page } from '@playwright/test';

export const ADMIN = {
  display_name: 'Ada Admin',
  email: 'admin@tandem.test',
  password: 'admin password 1',
};

export type Person = { display_name: string; email: string; password: string };

let counter = 0;
/**
 * A user no other test (or earlier run) has. The display name is unique too: an
 * `@mention` names a person by display name, and a namesake from another test (with
 * other working hours) would otherwise be the one the app asks "Deliver later?" about.
 */
export function newPerson(name: string): Person {
  counter += 1;
  const tag = `${Date.now().toString(36)}${process.pid}${counter}`;
  return {
    display_name: `${name} ${(process.pid % 1296).toString(36)}${counter.toString(36)}`,
    email: `${name.toLowerCase().replace(/\W+/g, '.')}.${tag}@tandem.test`,
    password: `${name} has a long password`,
  };
}

export async function fillSignup(page: Page, person: Person) {
  await page.getByLabel('Display name').fill(person.display_name);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign up' }).click();
}

export type Member = { page: Page; person: Person; id: string };

/** A new person signed up in a browser context of their own. */
export async function member(browser: Browser, name: string, options: BrowserContextOptions = {}): Promise<Member> {
  const page = await (await browser.newContext(options)).newPage();
  const person = newPerson(name);
  await signUp(page, person);
  const me = await (await page.request.get('/api/auth/me')).json();
  return { page, person, id: me.id ?? me.user?.id };
}

/** Signs up through the UI and waits for the workspace shell. */
export async function signUp(page: Page, person: Person) {
  await page.goto('/signup');
  await fillSignup(page, person);
  await expectShell(page, person);
  await workAroundTheClock(page);
}

/**
 * Gives the signed-in user working hours around the clock, every day. Otherwise a test
 * run at night or at a weekend would meet "Deliver later?" (the default is Mon–Fri
 * 09:00–17:00) whenever it mentions someone. Tests about working hours set their own.
 */
export async function workAroundTheClock(page: Page) {
  const res = await page.request.put('/api/users/me/schedule', {
    data: {
      time_zone: 'UTC',
      working_hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start_minute: 0, end_minute: 1440 })),
      focus_blocks: [],
    },
  });
  expect(res.status(), await res.text()).toBe(200);
}

export async function logIn(page: Page, person: Person) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

export async function expectShell(page: Page, person: Person) {
  await expect(page).toHaveURL(/\/$/);
  const nav = page.getByRole('navigation', { name: 'Workspace' });
  await expect(nav).toBeVisible();
  await expect(nav.getByText(person.display_name).first()).toBeVisible();
}

export type ChannelInfo = { id: string; name: string };

/** Creates a public channel through the API, as the signed-in user of `page`. */
export async function createChannel(page: Page, name: string): Promise<ChannelInfo> {
  const res = await page.request.post('/api/channels', { data: { name, kind: 'public', topic: '' } });
  expect(res.status(), await res.text()).toBe(201);
  const channel = await res.json();
  return { id: channel.id, name: channel.name };
}

export async function joinChannel(page: Page, channel: ChannelInfo) {
  const res = await page.request.post(`/api/channels/${channel.id}/join`);
  expect(res.status(), await res.text()).toBe(204);
}

/** A channel name no other test uses (all tests share the seeded server). */
export function channelName(base: string): string {
  counter += 1;
  return `${base}-${Date.now().toString(36)}-${counter}`;
}

export async function openChannel(page: Page, channel: ChannelInfo) {
  await page.goto(`/c/${channel.id}`);
  await expect(page.getByRole('log', { name: `Messages in #${channel.name}` })).toBeVisible();
}

/** Chooses an item of the channel header's "More" menu (everything but starting a meeting). */
export async function channelMenu(page: Page, item: string) {
  await page.getByRole('button', { name: 'More', exact: true }).click();
  await page.getByRole('menu', { name: 'More' }).getByRole('menuitem', { name: item }).click();
}

export function messageLog(page: Page, channel: ChannelInfo) {
  return page.getByRole('log', { name: `Messages in #${channel.name}` });
}

export async function send(page: Page, channel: ChannelInfo, text: string) {
  const composer = page.getByRole('textbox', { name: `Message #${channel.name}` });
  await composer.fill(text);
  await composer.press('Enter');
}

/** The sidebar link of a channel; its accessible name carries the unread and mention counts. */
export function channelLink(page: Page, channel: ChannelInfo) {
  return page
    .getByRole('navigation', { name: 'Workspace' })
    .getByRole('link', { name: new RegExp(`^${channel.name}(,|$)`) });
}

/**
 * Takes a page's browser context offline (requests and new sockets fail) and tells the
 * page, as a real browser does when the network drops. The explicit event is needed
 * because the suite runs in a loopback-only network namespace, where Chromium believes
 * it is offline from the start and so never fires `offline`/`online` on its own.
 */
export async function goOffline(page: Page) {
  await page.context().setOffline(true);
  await page.evaluate(() => window.dispatchEvent(new Event('offline')));
}

export async function goOnline(page: Page) {
  await page.context().setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
}
