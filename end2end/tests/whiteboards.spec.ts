import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { channelName, createChannel, joinChannel, member } from './support';
import { contents, createBoard, drag, inkedPixels, openBoardFromChannel, surface, tool } from './board-support';

// Whiteboards in a channel: two people draw on one board and see each other's strokes
// and cursors; the board survives a reload and reaches a late joiner; undo is per
// person; PNG export; a read-only link watches live but cannot draw.
test.describe.configure({ timeout: 120_000 });

test('two people draw together, see each other, undo only their own, and a late joiner sees it all', async ({ browser }) => {
  const ana = await member(browser, 'Ana');
  const ben = await member(browser, 'Ben');
  const channel = await createChannel(ana.page, channelName('sketches'));
  await joinChannel(ben.page, channel);
  const title = `Sprint sketch ${Date.now()}`;
  await createBoard(ana.page, channel, title);
  await openBoardFromChannel(ben.page, channel, title);

  // Ana draws a freehand stroke; Ben sees it counted and painted.
  await tool(ana.page, 'Pen').click();
  await drag(ana.page, [80, 80], [260, 140]);
  await expect(contents(ana.page)).toHaveText('1 element: 1 stroke');
  await expect(contents(ben.page)).toHaveText('1 element: 1 stroke');
  await expect.poll(() => inkedPixels(ben.page)).toBeGreaterThan(50);

  // Ben draws a rectangle; Ana sees it.
  await tool(ben.page, 'Rectangle').click();
  await drag(ben.page, [300, 200], [420, 300]);
  await expect(contents(ben.page)).toHaveText('2 elements: 1 stroke, 1 rectangle');
  await expect(contents(ana.page)).toHaveText('2 elements: 1 stroke, 1 rectangle');

  // Cursors: Ben's pointer shows on Ana's board with his name, and the other way round.
  const benBox = await surface(ben.page).boundingBox();
  await ben.page.mouse.move(benBox!.x + 200, benBox!.y + 220);
  await ben.page.mouse.move(benBox!.x + 210, benBox!.y + 230);
  await expect(ana.page.getByRole('img', { name: `${ben.person.display_name}'s cursor` })).toBeVisible();
  const anaBox = await surface(ana.page).boundingBox();
  await ana.page.mouse.move(anaBox!.x + 120, anaBox!.y + 60);
  await ana.page.mouse.move(anaBox!.x + 130, anaBox!.y + 70);
  await expect(ben.page.getByRole('img', { name: `${ana.person.display_name}'s cursor` })).toBeVisible();

  // Ana's undo removes her stroke only; Ben's rectangle stays. Redo brings it back.
  await tool(ana.page, 'Undo').click();
  await expect(contents(ana.page)).toHaveText('1 element: 1 rectangle');
  await expect(contents(ben.page)).toHaveText('1 element: 1 rectangle');
  await tool(ana.page, 'Redo').click();
  await expect(contents(ben.page)).toHaveText('2 elements: 1 stroke, 1 rectangle');

  // A reload keeps the board.
  await ben.page.reload();
  await expect(contents(ben.page)).toHaveText('2 elements: 1 stroke, 1 rectangle');
  await expect.poll(() => inkedPixels(ben.page)).toBeGreaterThan(50);

  // A late joiner sees everything.
  const cyd = await member(browser, 'Cyd');
  await joinChannel(cyd.page, channel);
  await openBoardFromChannel(cyd.page, channel, title);
  await expect(contents(cyd.page)).toHaveText('2 elements: 1 stroke, 1 rectangle');

  // PNG export downloads a real, non-empty image.
  const download = ana.page.waitForEvent('download');
  await tool(ana.page, 'Export PNG').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.png$/);
  const bytes = readFileSync(await file.path());
  expect(bytes.length).toBeGreaterThan(200);
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
});

test('a read-only link watches the board live and cannot draw', async ({ browser }) => {
  const ana = await member(browser, 'Ana');
  const channel = await createChannel(ana.page, channelName('readonly'));
  const title = `Roadmap ${Date.now()}`;
  await createBoard(ana.page, channel, title);

  await ana.page.getByRole('button', { name: 'Share read-only link' }).click();
  const link = await ana.page.getByRole('textbox', { name: 'Read-only link' }).inputValue();
  expect(link).toMatch(/\/board-links\/[A-Za-z0-9_-]+$/);

  // Dan is a workspace member who is not in the channel: only the link lets him in.
  const dan = await member(browser, 'Dan');
  await dan.page.goto(link);
  await expect(dan.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(dan.page.getByText('View only').first()).toBeVisible();
  await expect(contents(dan.page)).toHaveText('0 elements');
  await expect(tool(dan.page, 'Pen')).toHaveCount(0);

  // Live: Ana draws, Dan sees it.
  await tool(ana.page, 'Pen').click();
  await drag(ana.page, [60, 60], [240, 120]);
  await expect(contents(dan.page)).toHaveText('1 element: 1 stroke');

  // Dan's drag over the surface draws nothing, here or for Ana.
  await drag(dan.page, [100, 200], [300, 260]);
  await dan.page.keyboard.press('p');
  await drag(dan.page, [100, 220], [300, 280]);
  await expect(contents(dan.page)).toHaveText('1 element: 1 stroke');
  await expect(contents(ana.page)).toHaveText('1 element: 1 stroke');
});
