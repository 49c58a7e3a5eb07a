import { expect, test } from './fixtures';
import { channelName, createChannel, joinChannel, member, openChannel, send } from './support';
import {
  advanceClock,
  CLOCK_STARTS,
  postedMessage,
  rootMessage,
  serverNow,
  setSchedule,
  workingHoursStartingIn,
} from './bridge-support';

// Follow-ups to the async-first bridge (issue #7): a scheduled message keeps the
// urgency picked in the composer, an action item opens where it was assigned and
// counts in the Inbox badge, the organiser cancels a scheduled meeting for everyone,
// and a weekday holds a split shift.

// Every person's browser runs in UTC, so the times the tests type are the server's.
const UTC = { timezoneId: 'UTC' };

test.describe.configure({ timeout: 150_000 });

/** A `datetime-local` value (the contexts run in UTC) for `ms`. */
function localInput(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}

test('a message scheduled as Critical keeps its tier, and the tier can be changed before it is sent', async ({ browser }) => {
  const ana = await member(browser, 'Ana', UTC);
  const channel = await createChannel(ana.page, channelName('oncall'));
  await openChannel(ana.page, channel);

  // An hour ahead of both clocks, on a whole minute (the picker has no seconds).
  const later = Math.ceil((Math.max(Date.now(), await serverNow(ana.page)) + 3600_000) / 60_000) * 60_000;
  const text = `Database failover drill starts now ${Date.now()}`;
  await ana.page.getByRole('combobox', { name: 'Urgency' }).selectOption('Critical');
  await ana.page.getByRole('textbox', { name: `Message #${channel.name}` }).fill(text);
  await ana.page.getByRole('button', { name: 'Send later' }).click();
  const panel = ana.page.getByRole('group', { name: 'Send later' });
  await panel.getByRole('button', { name: 'Custom time…' }).click();
  await panel.getByLabel('Send at').fill(localInput(later));
  await panel.getByRole('button', { name: 'Schedule', exact: true }).click();
  await expect(ana.page.getByRole('status').filter({ hasText: /Scheduled for/ })).toBeVisible();

  // The scheduled list shows the tier it will be sent with.
  await ana.page.goto('/scheduled');
  // (By its channel: while it is edited, its text is inside a text box.)
  const row = ana.page.getByRole('list', { name: 'Scheduled messages' }).getByRole('listitem').filter({ hasText: channel.name });
  await expect(row).toContainText(text);
  await expect(row.getByText('Critical', { exact: true })).toBeVisible();

  // The drill is not urgent after all: Ana lowers it before it goes out.
  await row.getByRole('button', { name: 'Edit' }).click();
  const tier = row.getByRole('combobox', { name: 'Urgency' });
  await expect(tier).toHaveValue('critical');
  await tier.selectOption('Low');
  await row.getByRole('button', { name: 'Save' }).click();
  await expect(row.getByText('Low', { exact: true })).toBeVisible();
  await expect(row.getByText('Critical', { exact: true })).toHaveCount(0);

  // Past its time (server clock), the server sends it as Low.
  await advanceClock(ana.page, later - (await serverNow(ana.page)) + 60_000);
  const sent = await postedMessage(ana.page, channel.id, text);
  expect(sent.urgency).toBe('low');
  await openChannel(ana.page, channel);
  await expect(rootMessage(ana.page, channel, text).getByText('Low', { exact: true })).toBeVisible();
});

for (const clock of CLOCK_STARTS) {
  test(`"Deliver at" keeps the urgency picked in the composer (${clock.name})`, async ({ browser }) => {
    // Critical is never held for working hours (it is meant to interrupt), so the
    // deliver-later dialog is checked with the other non-default tier, Low.
    const ana = await member(browser, 'Ana', UTC);
    const ben = await member(browser, 'Ben', UTC);
    await clock.prepare(ben.page);
    await setSchedule(ben.page, {
      time_zone: 'UTC',
      working_hours: await workingHoursStartingIn(ben.page, 5),
      focus_blocks: [],
    });

    const dmRes = await ana.page.request.post('/api/direct', { data: { user_ids: [ben.id] } });
    expect(dmRes.ok()).toBeTruthy();
    const dmId: string = (await dmRes.json()).id;
    await ana.page.goto(`/c/${dmId}`);
    const text = `No rush: the quarterly numbers ${Date.now()}`;
    await ana.page.getByRole('combobox', { name: 'Urgency' }).selectOption('Low');
    const composer = ana.page.getByRole('textbox', { name: /^Message/ });
    await composer.fill(text);
    await composer.press('Enter');
    const offer = ana.page.getByRole('dialog', { name: 'Deliver later?' });
    await offer.getByRole('button', { name: /^Deliver at/ }).click();
    await expect(ana.page.getByRole('status').filter({ hasText: /Scheduled for/ })).toBeVisible();

    await advanceClock(ana.page, 6 * 60_000);
    const sent = await postedMessage(ben.page, dmId, text);
    expect(sent.urgency).toBe('low');
  });
}

test('an action item opens its thread and counts in the Inbox badge', async ({ browser }) => {
  const ana = await member(browser, 'Ana', UTC);
  const ben = await member(browser, 'Ben', UTC);
  const channel = await createChannel(ana.page, channelName('migration'));
  await joinChannel(ben.page, channel);
  await openChannel(ana.page, channel);

  // A thread escalated to a call; when the call ends its summary card joins the thread.
  const text = `Plan the database migration ${Date.now()}`;
  await send(ana.page, channel, text);
  const root = rootMessage(ana.page, channel, 'Plan the database migration');
  await root.hover();
  await root.getByRole('button', { name: 'Reply in thread' }).click();
  await ana.page.getByRole('complementary', { name: 'Thread' }).getByRole('button', { name: 'Escalate to call' }).click();
  await expect(ana.page).toHaveURL(/\/m\/[0-9a-f-]+/);
  const meetingId = new URL(ana.page.url()).pathname.split('/')[2];
  await expect(ana.page.getByRole('main', { name: 'Meeting', exact: true })).toBeVisible();
  await ana.page.getByRole('button', { name: 'End meeting for all' }).click();
  const rootId = (await postedMessage(ana.page, channel.id, text)).id;
  await expect
    .poll(
      async () => {
        const thread = await (await ana.page.request.get(`/api/messages/${rootId}/thread`)).json();
        return thread.replies.some((m: { body: string }) => m.body === 'Call summary');
      },
      { timeout: 30_000 },
    )
    .toBe(true);

  // The host's note gives Ben an action item.
  const task = `Write the rollback runbook ${Date.now()}`;
  const note = await ana.page.request.put(`/api/meetings/${meetingId}/note`, {
    data: {
      text: '',
      decisions: [],
      action_items: [{ text: task, owner_id: ben.id, due_at: (await serverNow(ana.page)) + 2 * 86_400_000 }],
    },
  });
  expect(note.status(), await note.text()).toBe(200);

  // Ben owes no response, but the open action item counts in his Inbox badge.
  await ben.page.goto('/');
  const nav = ben.page.getByRole('navigation', { name: 'Workspace' });
  await expect(nav.getByRole('link', { name: 'Inbox, 1 waiting on me' })).toBeVisible();
  await ben.page.goto('/inbox');
  const item = ben.page.getByRole('region', { name: 'Action items' }).getByRole('listitem').filter({ hasText: task });
  await item.getByRole('link', { name: 'Open' }).click();
  await expect(ben.page).toHaveURL(new RegExp(`/c/${channel.id}\\?m=`));
  await expect(rootMessage(ben.page, channel, 'Plan the database migration')).toBeVisible();
  // The summary card is a thread reply: its thread opens beside the channel.
  await expect(
    ben.page.getByRole('complementary', { name: 'Thread' }).getByRole('list', { name: 'Replies' }).getByRole('heading', { name: 'Call summary' }),
  ).toBeVisible();

  // Done: it leaves the inbox and the badge.
  await ben.page.goto('/inbox');
  await item.getByRole('checkbox', { name: 'Done' }).click();
  await expect(item).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Inbox', exact: true })).toBeVisible();
});

test('the organiser cancels a scheduled meeting and it leaves everyone’s list', async ({ browser }) => {
  const ana = await member(browser, 'Ana', UTC);
  const ben = await member(browser, 'Ben', UTC);
  const channel = await createChannel(ana.page, channelName('planning'));
  await joinChannel(ben.page, channel);
  const title = `Quarterly planning ${Date.now()}`;
  const res = await ana.page.request.post('/api/scheduled-meetings', {
    data: {
      channel_id: channel.id,
      title,
      participant_ids: [ben.id],
      start_at: (await serverNow(ana.page)) + 3 * 3600_000,
      duration_minutes: 30,
    },
  });
  expect(res.status(), await res.text()).toBe(201);

  await ana.page.goto('/');
  await ben.page.goto('/');
  const onAna = ana.page.getByRole('region', { name: 'Upcoming meetings' }).getByRole('listitem').filter({ hasText: title });
  const onBen = ben.page.getByRole('region', { name: 'Upcoming meetings' }).getByRole('listitem').filter({ hasText: title });
  await expect(onAna).toBeVisible();
  await expect(onBen).toBeVisible();
  // Only the organiser may cancel it.
  await expect(onBen.getByRole('button', { name: 'Cancel meeting' })).toHaveCount(0);

  // "Keep it" changes nothing.
  await onAna.getByRole('button', { name: 'Cancel meeting' }).click();
  const confirm = ana.page.getByRole('dialog', { name: 'Cancel this meeting?' });
  await confirm.getByRole('button', { name: 'Keep it' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(onAna).toBeVisible();

  await onAna.getByRole('button', { name: 'Cancel meeting' }).click();
  await confirm.getByRole('button', { name: 'Cancel meeting' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(onAna).toHaveCount(0);
  // Ben's list drops it live, without a reload.
  await expect(onBen).toHaveCount(0);
});

test('a split shift survives save and reload', async ({ browser }) => {
  const ana = await member(browser, 'Ana', UTC);
  await ana.page.goto('/settings/working-hours');
  const monday = ana.page.getByRole('group', { name: 'Monday' });
  await monday.getByLabel('Monday start', { exact: true }).fill('09:00');
  await monday.getByLabel('Monday end', { exact: true }).fill('12:00');
  await monday.getByRole('button', { name: 'Add hours on Monday' }).click();
  await monday.getByLabel('Monday end 2').fill('18:00');

  // Overlapping ranges are refused beside the day, before any save.
  await monday.getByLabel('Monday start 2').fill('11:00');
  await expect(monday.getByRole('alert')).toHaveText('Working times on Monday overlap: 09:00–12:00 and 11:00–18:00.');
  await monday.getByLabel('Monday start 2').fill('14:00');
  await expect(monday.getByRole('alert')).toHaveCount(0);

  await ana.page.getByRole('button', { name: 'Save working hours' }).click();
  await expect(ana.page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  const stored = await (await ana.page.request.get('/api/users/me/schedule')).json();
  expect(stored.working_hours.filter((r: { weekday: number }) => r.weekday === 1)).toEqual([
    { weekday: 1, start_minute: 540, end_minute: 720 },
    { weekday: 1, start_minute: 840, end_minute: 1080 },
  ]);

  await ana.page.reload();
  const again = ana.page.getByRole('group', { name: 'Monday' });
  await expect(again.getByLabel('Monday start', { exact: true })).toHaveValue('09:00');
  await expect(again.getByLabel('Monday end', { exact: true })).toHaveValue('12:00');
  await expect(again.getByLabel('Monday start 2')).toHaveValue('14:00');
  await expect(again.getByLabel('Monday end 2')).toHaveValue('18:00');
  await expect(again.getByRole('button', { name: 'Remove 14:00–18:00 on Monday' })).toBeVisible();
  await expect(again.getByRole('button', { name: 'Remove 09:00–12:00 on Monday' })).toBeVisible();
});
