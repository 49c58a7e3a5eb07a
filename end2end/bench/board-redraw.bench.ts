import { expect, test, type Page } from '@playwright/test';
import { channelName, createChannel, newPerson, signUp } from '../tests/support';

// Whiteboard redraw cost with 10,000 elements, read from the User Timing entries the
// drawing engine writes (src/whiteboard/perf.rs):
// - "board-base-full": the whole base layer, fitted to the content (all 10,000 visible);
// - "board-base-dirty": the base layer's dirty region after one remote op;
// - "board-base-pan": panning with the Hand tool (the cached picture is shifted and
//   only the strips that scroll into view are drawn);
// - "board-overlay": the overlay while drawing a stroke, per pointer move.
// Figures only: benchmarks measure, the browser tests assert behaviour.
const ELEMENTS = Number(process.env.BOARD_ELEMENTS ?? 10_000);
const RUNS = Number(process.env.BOARD_RUNS ?? 15);

function stats(xs: number[]): string {
  if (xs.length === 0) return 'no samples';
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))];
  return `median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms (n=${s.length})`;
}

/**
 * Opens a second realtime socket in `page` (window.__board), opens the board on it and
 * fills it with `count` elements of every kind, spread over an 8,000 × 4,500 area so
 * that fitting the view to the content keeps all of them on screen. Ops go out in
 * batches, each waiting for its `applied` echoes, as a well-behaved client would.
 */
async function fillBoard(page: Page, boardId: string, count: number): Promise<void> {
  await page.evaluate(
    async ({ boardId, count }) => {
      const url = `${location.origin.replace(/^http/, 'ws')}/api/ws`;
      const ws = new WebSocket(url);
      const waiters: Array<(frame: any) => boolean> = [];
      ws.onmessage = (ev) => {
        const frame = JSON.parse(ev.data);
        for (let i = waiters.length - 1; i >= 0; i--) if (waiters[i](frame)) waiters.splice(i, 1);
      };
      const next = (match: (frame: any) => boolean) =>
        new Promise<any>((resolve) =>
          waiters.push((frame) => {
            if (!match(frame)) return false;
            resolve(frame);
            return true;
          }),
        );
      const send = (frame: unknown) => ws.send(JSON.stringify(frame));
      await next((f) => f.type === 'hello');
      send({ type: 'resume', last_seq: null });
      await next((f) => f.type === 'replay_complete');
      const opened = next((f) => f.type === 'board' && f.action === 'opened');
      send({ type: 'board', action: 'open', board_id: boardId });
      const o = await opened;
      const pageId =
        o.snapshot?.pages?.[0]?.page?.id ?? o.ops.find((op: any) => op.op.op === 'add_page')?.op.page.id;
      if (!pageId) throw new Error('the board has no page');

      let seed = 42;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
      const colours = ['#1e1e1e', '#e03131', '#1971c2', '#2f9e44', '#f08c00'];
      const kinds = ['stroke', 'line', 'arrow', 'rectangle', 'ellipse', 'text', 'sticky'];
      const element = (i: number) => {
        const kind = kinds[i % kinds.length];
        const base: any = {
          id: crypto.randomUUID(),
          page_id: pageId,
          kind,
          x: Math.round(rnd() * 8000),
          y: Math.round(rnd() * 4500),
          stroke: colours[i % colours.length],
          stroke_width: i % 3 === 0 ? 4 : 2,
          z: i + 1,
        };
        if (kind === 'stroke') {
          const points = [{ x: 0, y: 0 }];
          for (let k = 1; k < 16; k++) {
            const last = points[k - 1];
            points.push({ x: last.x + 4 + rnd() * 8, y: Math.max(0, last.y + (rnd() - 0.5) * 16) });
          }
          const minY = Math.min(...points.map((p) => p.y));
          base.points = points.map((p) => ({ x: p.x, y: p.y - minY }));
          base.width = Math.max(...base.points.map((p: any) => p.x));
          base.height = Math.max(...base.points.map((p: any) => p.y));
        } else if (kind === 'line' || kind === 'arrow') {
          const [w, h] = [20 + rnd() * 150, rnd() * 100];
          base.points = [{ x: 0, y: 0 }, { x: w, y: h }];
          Object.assign(base, { width: w, height: h });
        } else if (kind === 'rectangle' || kind === 'ellipse') {
          Object.assign(base, { width: 20 + rnd() * 180, height: 20 + rnd() * 120 });
          if (i % 2 === 0) base.fill = '#e7f5ff';
        } else if (kind === 'text') {
          Object.assign(base, { width: 130, height: 36, text: `Idea number ${i}` });
        } else {
          Object.assign(base, { width: 150, height: 150, text: `Sticky ${i}\nsecond line`, stroke: '#1e1e1e' });
        }
        return base;
      };

      const BATCH = 400;
      for (let start = 0; start < count; start += BATCH) {
        const ids = new Set<string>();
        const batch = Math.min(BATCH, count - start);
        let refused: string | null = null;
        const done = new Promise<void>((resolve) =>
          waiters.push((f) => {
            if (f.type === 'board' && f.action === 'applied') ids.delete(f.op.op_id);
            if (f.type === 'board' && (f.action === 'refused' || f.action === 'resync')) refused = JSON.stringify(f);
            const finished = ids.size === 0 || refused !== null;
            if (finished) resolve();
            return finished;
          }),
        );
        for (let i = start; i < start + batch; i++) {
          const opId = crypto.randomUUID();
          ids.add(opId);
          send({ type: 'board', action: 'apply', board_id: boardId, op_id: opId, op: { op: 'add_element', element: element(i) } });
        }
        await done;
        if (refused) throw new Error(`filling the board failed: ${refused}`);
      }
      // Kept for the dirty-region runs: one remote op at a time.
      (window as any).__board = { ws, send, next, boardId, pageId, element };
    },
    { boardId, count },
  );
}

/** Sends one remote op (a new small rectangle) from the second socket; resolves on its echo. */
async function remoteOp(page: Page, i: number): Promise<void> {
  await page.evaluate(async (i) => {
    const b = (window as any).__board;
    const opId = crypto.randomUUID();
    const echoed = b.next((f: any) => f.type === 'board' && f.action === 'applied' && f.op.op_id === opId);
    const element = { ...b.element(3), id: crypto.randomUUID(), x: 1000 + (i % 10) * 300, y: 1000, z: 100_000 + i };
    b.send({ type: 'board', action: 'apply', board_id: b.boardId, op_id: opId, op: { op: 'add_element', element } });
    await echoed;
  }, i);
}

async function clearMeasures(page: Page) {
  await page.evaluate(() => performance.clearMeasures());
}

async function measures(page: Page, name: string): Promise<number[]> {
  return page.evaluate((name) => performance.getEntriesByName(name, 'measure').map((e) => e.duration), name);
}

/** Waits two animation frames: whatever was invalidated has been drawn. */
async function settle(page: Page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

test('whiteboard redraw with 10,000 elements', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await signUp(page, newPerson('Bench'));
  const channel = await createChannel(page, channelName('board-bench'));
  const res = await page.request.post(`/api/channels/${channel.id}/boards`, { data: { title: 'Redraw bench' } });
  expect(res.status(), await res.text()).toBe(201);
  const board = await res.json();

  // The filling socket lives in its own tab, which stays open for the remote ops.
  const filler = await context.newPage();
  await filler.goto('/');
  const t0 = Date.now();
  await fillBoard(filler, board.id, ELEMENTS);
  const fillSeconds = (Date.now() - t0) / 1000;

  await page.goto(`/boards/${board.id}`);
  const contents = page.getByRole('status', { name: 'Board contents' });
  await expect(contents).toHaveText(new RegExp(`^${ELEMENTS} elements`), { timeout: 120_000 });
  const toolbar = page.getByRole('toolbar', { name: 'Drawing tools' });
  await settle(page);

  // Full redraws at "fit to content": zoom in (a full redraw we do not count), fit.
  const full: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    await toolbar.getByRole('button', { name: 'Zoom in' }).click();
    await settle(page);
    await clearMeasures(page);
    await toolbar.getByRole('button', { name: 'Fit to content' }).click();
    await settle(page);
    full.push(...(await measures(page, 'board-base-full')));
  }

  // Dirty-region redraws: one op from the other tab at a time.
  const dirty: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    await clearMeasures(page);
    await remoteOp(filler, run);
    await expect.poll(async () => (await measures(page, 'board-base-dirty')).length).toBeGreaterThan(0);
    dirty.push(...(await measures(page, 'board-base-dirty')));
  }

  // Panning at "fit to content" with the Hand tool.
  await toolbar.getByRole('button', { name: 'Fit to content' }).click();
  await toolbar.getByRole('button', { name: 'Hand', exact: true }).click();
  const stage = await page.getByRole('application', { name: 'Drawing surface' }).boundingBox();
  if (!stage) throw new Error('the drawing surface has no box');
  await page.mouse.move(stage.x + stage.width / 2, stage.y + stage.height / 2);
  await settle(page);
  await clearMeasures(page);
  await page.mouse.down();
  const panMoves = 100;
  for (let i = 1; i <= panMoves; i++) {
    await page.mouse.move(stage.x + stage.width / 2 + i * 3, stage.y + stage.height / 2 + i * 2);
    await settle(page);
  }
  await page.mouse.up();
  const pan = await measures(page, 'board-base-pan');
  const fullDuringPan = (await measures(page, 'board-base-full')).length;

  // Overlay redraws while drawing a freehand stroke across the view.
  await toolbar.getByRole('button', { name: 'Pen', exact: true }).click();
  const box = await page.getByRole('application', { name: 'Drawing surface' }).boundingBox();
  if (!box) throw new Error('the drawing surface has no box');
  await page.mouse.move(box.x + 100, box.y + 100);
  await clearMeasures(page);
  await page.mouse.down();
  const moves = 200;
  for (let i = 1; i <= moves; i++) {
    const t = i / moves;
    await page.mouse.move(box.x + 100 + t * (box.width - 200), box.y + box.height / 2 + Math.sin(t * 12) * 120);
  }
  const overlay = await measures(page, 'board-overlay');
  const baseDuringStroke = (await measures(page, 'board-base-full')).length + (await measures(page, 'board-base-dirty')).length;
  await page.mouse.up();

  console.log(
    [
      '',
      `whiteboard benchmark (${ELEMENTS} elements, filled over the WebSocket in ${fillSeconds.toFixed(1)} s):`,
      `  board-base-full (fit to content, all visible): ${stats(full)}`,
      `  board-base-dirty (one remote op): ${stats(dirty)}`,
      `  board-base-pan (Hand tool at fit, ${panMoves} moves): ${stats(pan)}; full redraws meanwhile: ${fullDuringPan}`,
      `  board-overlay (per pointer move while drawing, ${moves} moves): ${stats(overlay)}`,
      `  base redraws during the stroke: ${baseDuringStroke}`,
    ].join('\n'),
  );
  await context.close();
});
