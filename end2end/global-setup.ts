import { request } from '@playwright/test';
import { MAIN_URL, SETUP_CODE, SFU_ENABLED, SFU_URL } from './playwright.config';
import { ADMIN } from './tests/support';

// Makes the "main" server (and the "sfu" server when it runs) a workspace that already
// has its admin and open sign-up, through the public API, exactly as an admin would.
export default async function globalSetup() {
  await seed(MAIN_URL);
  if (SFU_ENABLED) await seed(SFU_URL);
}

async function seed(baseURL: string) {
  const api = await request.newContext({ baseURL });
  const signup = await api.post('/api/auth/signup', { data: { ...ADMIN, setup_code: SETUP_CODE } });
  if (signup.status() !== 201) {
    throw new Error(`seeding the admin on ${baseURL} failed: ${signup.status()} ${await signup.text()}`);
  }
  const open = await api.patch('/api/workspace/settings', { data: { open_signup: true } });
  if (!open.ok()) {
    throw new Error(`opening sign-up on ${baseURL} failed: ${open.status()} ${await open.text()}`);
  }
  await api.dispose();
}
