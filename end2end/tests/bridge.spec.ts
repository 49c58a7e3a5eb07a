import { expect, test } from './fixtures';
import {
  type ChannelInfo,
  channelName,
  createChannel,
  joinChannel,
  member,
  openChannel,
  send,
} from './support';
import {
  advanceClock,
  CLOCK_STARTS,
  EVERY_DAY,
  postedMessage,
  rootMessage,
  serverNow,
  setSchedule,
  workingHoursStartingIn,
} from './bridge-support';

// The async-first bridge: urgency SLAs and the inbox, escalating a thread to a call
// and getting its summary back, deliver-later for people outside working hours (with
// the server's test clock), decision records, and the health dashboard.

// Every person's browser runs in UTC, so the times the tests type are the server's.
const UTC = { timezoneId: 'UTC' };

test.describe.configure({ timeout: 150_000 });

test('a Critical mention lands in the inbox with a countdown and leaves it when answered', async ({ browser }) => {
  const ana = await member(browser, 'Ana', UTC);
  const ben = await member(browser, 'Ben', UTC);
  const channel = await createChannel(ana.page, channelName('incidents'));
  await joinChannel(ben.page, channel);
  await openChannel(ana.page, channel);
  await ben.page.goto('/');

  const text = `@${ben.person.display_name} the deploy is failing ${Date.now()}`;
  await ana.page.getByRole('combobox', { name: 'Urgency' }).selectOption('Critical');
  await send(ana.page, channel, text);
  await expect(rootMessage(ana.page, channel, 'the deploy is failing').getByText('Critical', { exact: true })).toBeVisible();

  // Critical breaks through: Ben is rung in the app.
  const ring = ben.page.getByRole('alertdialog', { name: 'Critical message' });
  await expect(ring).toContainText(ana.person.display_name);
  await ring.getByRole('button', { name: 'Dismiss' }).click();

  // Ben's inbox: awaiting his response, with a countdown inside the 15-minute target.
  await ben.page.getByRole('link', { name: /^Inbox/ }).click();
  await expect(ben.page.getByRole('heading', { level: 1, name: 'Inbox' })).toBeVisible();
  const mine = ben.page.getByRole('region', { name: 'Awaiting my response' });
  const item = mine.getByRole('listitem').filter({ hasText: 'the deploy is failing' });
  await expect(item).toBeVisible();
  await expect(item.getByRole('timer')).toHaveText(/due in 1[45] min/);

  // Ana sees it awaiting Ben.
  await ana.page.goto('/inbox');
  const theirs = ana.page.getByRole('region', { name: 'Awaiting others' }).getByRole('listitem').filter({ hasText: 'the deploy is failing' });
  await expect(theirs).toBeVisible();

  // Ben answers in the thread: the item leaves both inboxes.
  await item.getByRole('link', { name: 'Open' }).click();
  const root = rootMessage(ben.page, channel, 'the deploy is failing');
  await root.hover();
  await root.getByRole('button', { name: 'Reply in thread' }).click();
  const reply = ben.page.getByRole('complementary', { name: 'Thread' }).getByRole('textbox', { name: 'Reply in thread' });
  await reply.fill('Rolling back now');
  await reply.press('Enter');
  await ben.page.goto('/inbox');
  await expect(ben.page.getByRole('region', { name: 'Awaiting my response' }).getByRole('listitem').filter({ hasText: 'the deploy is failing' })).toHaveCount(0);
  await expect(theirs).toHaveCount(0);
});

test('escalating a thread rings its people, and the call summary comes back into the thread', async ({ browser }) => {
  const ana = await member(browser, 'Ana', UTC);
  const ben = await member(browser, 'Ben', UTC);
  const channel = await createChannel(ana.page, channelName('blocked'));
  await joinChannel(ben.page, channel);
  await openChannel(ana.page, channel);
  await openChannel(ben.page, channel);

  const text = `Which database for the audit log? ${Date.now()}`;
  await send(ana.page, channel, text);
  const onBen = rootMessage(ben.page, channel, 'Which database');
  await onBen.hover();
  await onBen.getByRole('button', { name: 'Reply in thread' }).click();
  const benReply = ben.page.getByRole('complementary', { name: 'Thread' }).getByRole('textbox', { name: 'Reply in thread' });
  await benReply.fill('Postgres, but it depends on retention');
  await benReply.press('Enter');

  // Ana escalates from the thread: she lands in the meeting, Ben is rung.
  const onAna = rootMessage(ana.page, channel, 'Which database');
  await onAna.hover();
  await onAna.getByRole('button', { name: /Reply in thread|1 reply/ }).first().click();
  const anaThread = ana.page.getByRole('complementary', { name: 'Thread' });
  await anaThread.getByRole('button', { name: 'Escalate to call' }).click();
  // Escalating is like calling: the caller goes straight into the room.
  await expect(ana.page).toHaveURL(/\/m\/[0-9a-f-]+/);
  await expect(ana.page.getByRole('main', { name: 'Meeting', exact: true })).toBeVisible();
  const ring = ben.page.getByRole('alertdialog', { name: 'Incoming call' });
  await ring.getByRole('button', { name: 'Accept' }).click();
  await expect(ben.page.getByRole('main', { name: 'Meeting', exact: true })).toBeVisible();

  // The host ends the call; the thread gets the summary card with who joined.
  await ana.page.getByRole('button', { name: 'End meeting for all' }).click();
  await openChannel(ana.page, channel);
  const again = rootMessage(ana.page, channel, 'Which database');
  await again.hover();
  await again.getByRole('button', { name: /Reply in thread|repl/ }).first().click();
  const summary = ana.page.getByRole('complementary', { name: 'Thread' }).getByRole('group', { name: 'Call summary' });
  await expect(summary).toBeVisible({ timeout: 30_000 });
  await expect(summary).toContainText(ana.person.display_name);
  await expect(summary).toContainText(ben.person.display_name);
});

for (const clock of CLOCK_STARTS) {
  test(`a message to someone outside working hours is offered for later and delivered then (${clock.name})`, async ({ browser }) => {
    const ana = await member(browser, 'Ana', UTC);
    const ben = await member(browser, 'Ben', UTC);
    await clock.prepare(ben.page);
    // Ben's working day starts a few minutes from now (UTC), every day.
    await setSchedule(ben.page, {
      time_zone: 'UTC',
      working_hours: await workingHoursStartingIn(ben.page, 5),
      focus_blocks: [],
    });

    const res = await ana.page.request.post('/api/direct', { data: { user_ids: [ben.id] } });
    expect(res.ok()).toBeTruthy();
    const dm: ChannelInfo = { id: (await res.json()).id, name: ben.person.display_name };
    await ana.page.goto(`/c/${dm.id}`);
    const composer = ana.page.getByRole('textbox', { name: /^Message/ });
    const text = `Notes for tomorrow ${Date.now()}`;
    await composer.fill(text);
    await composer.press('Enter');

    const offer = ana.page.getByRole('dialog', { name: 'Deliver later?' });
    await expect(offer).toContainText(`${ben.person.display_name} is outside working hours`);
    await offer.getByRole('button', { name: /^Deliver at/ }).click();
    await expect(ana.page.getByRole('status').filter({ hasText: /Scheduled for/ })).toBeVisible();

    // Not delivered yet.
    await ben.page.goto(`/c/${dm.id}`);
    await expect(ben.page.getByRole('log').getByText(text)).toHaveCount(0);

    // Six minutes later (server clock), Ben's working hours have begun: the server sends it.
    await advanceClock(ana.page, 6 * 60_000);
    await postedMessage(ben.page, dm.id, text);
    // Ben's open DM shows it live, without a reload: his page resumed its socket from
    // the log position it read before loading, so even a send that raced the page's
    // start-up reaches it.
    await expect(ben.page.getByRole('log').getByText(text)).toBeVisible({ timeout: 15_000 });
  });
}

test('a proposal collects votes and records the decision', async ({ browser }) => {
  const ana = await member(browser, 'Ana', UTC);
  const ben = await member(browser, 'Ben', UTC);
  const channel = await createChannel(ana.page, channelName('decide'));
  await joinChannel(ben.page, channel);
  await openChannel(ana.page, channel);
  await openChannel(ben.page, channel);

  const text = `Move stand-ups to async updates ${Date.now()}`;
  await send(ana.page, channel, text);
  const onAna = rootMessage(ana.page, channel, 'Move stand-ups');
  await onAna.hover();
  await onAna.getByRole('button', { name: 'Make a proposal' }).click();
  const dialog = ana.page.getByRole('dialog', { name: 'Make a proposal' });
  await dialog.getByRole('textbox', { name: 'Question' }).fill('Replace daily stand-ups with written updates?');
  await dialog.getByRole('combobox', { name: 'Decision owner' }).selectOption({ label: ana.person.display_name });
  // Two hours from the server's clock, which earlier tests may have moved ahead.
  const deadline = new Date((await serverNow(ana.page)) + 2 * 3600_000);
  const local = new Date(deadline.getTime() - deadline.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await dialog.getByLabel('Consent deadline').fill(local);
  await dialog.getByRole('button', { name: 'Create proposal' }).click();

  // Ben objects with a reason; Ana agrees.
  const benCard = rootMessage(ben.page, channel, 'Move stand-ups').getByRole('group', { name: 'Proposal' });
  await expect(benCard).toContainText('Replace daily stand-ups with written updates?');
  await benCard.getByRole('button', { name: 'Object' }).click();
  await benCard.getByRole('textbox', { name: 'Reason for objecting' }).fill('Blockers need a quick chat');
  await benCard.getByRole('button', { name: 'Submit objection' }).click();
  const anaCard = rootMessage(ana.page, channel, 'Move stand-ups').getByRole('group', { name: 'Proposal' });
  await expect(anaCard).toContainText('Blockers need a quick chat');
  await anaCard.getByRole('button', { name: 'Agree' }).click();
  await expect(anaCard).toContainText('1 agree · 1 object · 0 abstain');

  // Everyone has answered: the owner records the decision.
  await anaCard.getByRole('button', { name: 'Record decision' }).click();
  await anaCard.getByRole('textbox', { name: 'Decision' }).fill('Written updates, with a weekly call for blockers');
  await anaCard.getByRole('button', { name: 'Save decision' }).click();
  await expect(benCard).toContainText('Decided: Written updates, with a weekly call for blockers');
  await expect(benCard).toContainText('(async)');

  // The workspace decision log finds it.
  await ben.page.goto('/decisions');
  await ben.page.getByRole('searchbox', { name: 'Search decisions' }).fill('weekly call for blockers');
  await expect(ben.page.getByRole('listitem').filter({ hasText: 'Replace daily stand-ups' })).toBeVisible();
});

test('the health dashboard shows the share of working time spent in meetings', async ({ browser }) => {
  const ana = await member(browser, 'Ana', UTC);
  const ben = await member(browser, 'Ben', UTC);
  // Ana works around the clock in UTC: today has 1,440 working minutes.
  await setSchedule(ana.page, {
    time_zone: 'UTC',
    working_hours: EVERY_DAY.map((weekday) => ({ weekday, start_minute: 0, end_minute: 1440 })),
    focus_blocks: [],
  });
  const channel = await createChannel(ana.page, channelName('sync'));
  await joinChannel(ben.page, channel);

  // A 60-minute meeting (the server clock moves an hour while both are in it).
  await openChannel(ana.page, channel);
  await ana.page.getByRole('button', { name: 'Start meeting' }).click();
  await ana.page.getByRole('button', { name: 'Join meeting' }).click();
  await expect(ana.page.getByRole('main', { name: 'Meeting' })).toBeVisible();
  const now = await advanceClock(ana.page, 60 * 60_000);
  await ana.page.getByRole('button', { name: 'End meeting for all' }).click();

  // Today (UTC, by the server's clock): 60 of 1,440 minutes = 4.2 %.
  const today = new Date(now).toISOString().slice(0, 10);
  await ana.page.goto('/health');
  await expect(ana.page.getByRole('heading', { level: 1, name: 'Communication health' })).toBeVisible();
  await ana.page.getByRole('combobox', { name: 'Period' }).selectOption('Custom');
  await ana.page.getByLabel('From').fill(today);
  await ana.page.getByLabel('To').fill(today);
  const figure = ana.page.getByRole('figure', { name: 'Share of working time in meetings' });
  await expect(figure.getByRole('img', { name: 'Share of working time in meetings' })).toBeVisible();
  const table = ana.page.getByRole('table', { name: 'Share of working time in meetings' });
  await expect(table.getByRole('row').filter({ hasText: ana.person.display_name })).toContainText('4.2%');
});
