import { expect, type Page } from '@playwright/test';

export const ADMIN = {
  display_name: 'Ada Admin',
  email: 'admin@tandem.test',
  password: 'admin password 1',
};

export type Person = { display_name: string; email: string; password: string };

let counter = 0;
/** A user no other test (or earlier run) has: the database is fresh, the name is not. */
export function newPerson(name: string): Person {
  counter += 1;
  const tag = `${Date.now().toString(36)}${process.pid}${counter}`;
  return {
    display_name: name,
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

/** Signs up through the UI and waits for the workspace shell. */
export async function signUp(page: Page, person: Person) {
  await page.goto('/signup');
  await fillSignup(page, person);
  await expectShell(page, person);
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
