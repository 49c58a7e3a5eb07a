import { expect, type Locator, type Page } from '@playwright/test';
import { channelMenu, openChannel, type ChannelInfo } from './support';

// What the whiteboard browser tests share: the drawing surface, its toolbar and its
// live summary, drawing by dragging, and making or opening a channel's board.

export function surface(page: Page) {
  return page.getByRole('application', { name: 'Drawing surface' });
}

/** The board's live summary ("3 elements: …"), for people who cannot see the canvas. */
export function contents(scope: Page | Locator) {
  return scope.getByRole('status', { name: 'Board contents' });
}

export function tool(scope: Page | Locator, name: string) {
  return scope.getByRole('toolbar', { name: 'Drawing tools' }).getByRole('button', { name, exact: true });
}

/** Drags across the drawing surface from one point to another (surface coordinates). */
export async function drag(page: Page, from: [number, number], to: [number, number]) {
  const box = await surface(page).boundingBox();
  if (!box) throw new Error('the drawing surface has no box');
  await page.mouse.move(box.x + from[0], box.y + from[1]);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) {
    const t = i / 12;
    // A slight curve, so a freehand stroke has more than two points to simplify; it
    // ends exactly at `to`, so shapes are unaffected.
    const bend = Math.sin(t * Math.PI) * 20;
    await page.mouse.move(box.x + from[0] + (to[0] - from[0]) * t, box.y + from[1] + (to[1] - from[1]) * t + bend);
  }
  await page.mouse.up();
}

/** Dark pixels drawn on the surface's canvases: proof the strokes are painted, not just counted. */
export async function inkedPixels(page: Page): Promise<number> {
  return surface(page)
    .locator('canvas')
    .evaluateAll((canvases: HTMLCanvasElement[]) =>
      canvases.reduce((total, canvas) => {
        const ctx = canvas.getContext('2d');
        if (!ctx || canvas.width === 0 || canvas.height === 0) return total;
        const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        let dark = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3] > 200 && data[i] + data[i + 1] + data[i + 2] < 200) dark += 1;
        }
        return total + dark;
      }, 0),
    );
}

/** Creates a board in the channel's Boards panel and opens it; returns its id. */
export async function createBoard(page: Page, channel: ChannelInfo, title: string): Promise<string> {
  await openChannel(page, channel);
  await channelMenu(page, 'Boards');
  const panel = page.getByRole('complementary', { name: 'Boards' });
  await panel.getByRole('button', { name: 'New board' }).click();
  const dialog = page.getByRole('dialog', { name: 'New board' });
  await dialog.getByRole('textbox', { name: 'Board title' }).fill(title);
  await dialog.getByRole('button', { name: 'Create board' }).click();
  await expect(page).toHaveURL(/\/boards\/[0-9a-f-]+$/);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(contents(page)).toHaveText('0 elements');
  return page.url().split('/boards/')[1];
}

export async function openBoardFromChannel(page: Page, channel: ChannelInfo, title: string) {
  await openChannel(page, channel);
  await channelMenu(page, 'Boards');
  await page.getByRole('complementary', { name: 'Boards' }).getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}
