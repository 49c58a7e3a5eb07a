import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createInterface } from 'node:readline';
import { type Page } from '@playwright/test';
import { JANUS_NODES, JANUS_TOKEN_SECRET } from '../playwright.config';

// What the SFU tests need beside the browser: the media route each page was given
// (read off its own realtime socket), synthetic participants (tools/sfu-load), and
// questions to Janus itself.

export type SfuAccess = {
  url: string;
  room: string;
  feed: string;
  token: string;
  room_token: string;
  pin: string;
  expires_at: number;
  publish: boolean;
};

/** Every SFU route the server sends this page, newest last (from `joined` and `route`). */
export function watchRoutes(page: Page): SfuAccess[] {
  const routes: SfuAccess[] = [];
  page.on('websocket', (ws) => {
    ws.on('framereceived', ({ payload }) => {
      if (typeof payload !== 'string' || !payload.includes('"route"')) return;
      const found = JSON.stringify(JSON.parse(payload)).match(/"route":\{"route":"sfu".*?\}/);
      if (!found) return;
      routes.push(JSON.parse(found[0].slice('"route":'.length)));
    });
  });
  return routes;
}

/** Synthetic members (aiortc publishers) that join `meetingId` through the server. */
export class SyntheticParticipants {
  private child: ChildProcess;
  readonly publishing = new Set<string>();
  readonly names: string[];

  constructor(server: string, channelId: string, meetingId: string, count: number) {
    this.names = Array.from({ length: count }, (_, i) => `Synthetic ${i + 1}`);
    this.child = spawn(
      '../.tools/venv-sfu/bin/python',
      [
        '../tools/sfu-load/participant.py',
        '--server', server,
        '--signup', '--channel', channelId, '--meeting', meetingId,
        '--count', String(count),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      try {
        const status = JSON.parse(line);
        if (status.publishing) this.publishing.add(status.name);
        else this.publishing.delete(status.name);
      } catch {
        // Not a status line.
      }
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}

/** A core token for the test itself, signed like the server's. */
function coreToken(): string {
  const data = `${Math.floor(Date.now() / 1000) + 60},janus,janus.plugin.videoroom`;
  return `${data}:${createHmac('sha1', JANUS_TOKEN_SECRET).update(data).digest('base64')}`;
}

async function janus(node: number, path: string, body: object): Promise<any> {
  const res = await fetch(`${JANUS_NODES[node].api}${path}`, {
    method: 'POST',
    body: JSON.stringify({ ...body, token: coreToken(), transaction: `t${Math.random()}` }),
  });
  return res.json();
}

/** The feeds publishing in `room` on Janus node `node` (VideoRoom `listparticipants`). */
export async function janusPublishers(node: number, room: string): Promise<string[]> {
  const session = (await janus(node, '', { janus: 'create' })).data.id;
  try {
    const handle = (await janus(node, `/${session}`, {
      janus: 'attach',
      plugin: 'janus.plugin.videoroom',
    })).data.id;
    const answer = await janus(node, `/${session}/${handle}`, {
      janus: 'message',
      body: { request: 'listparticipants', room },
    });
    const list = answer.plugindata?.data?.participants ?? [];
    return list.filter((p: any) => p.publisher).map((p: any) => String(p.id));
  } finally {
    await janus(node, `/${session}`, { janus: 'destroy' });
  }
}

/**
 * Tries `access` against Janus from inside `page` (as a browser would): a session,
 * then a join of `room` with the access's room token. Returns Janus's error code, or
 * 0 when it let us in.
 */
export async function tryJoin(page: Page, access: SfuAccess, room: string): Promise<number> {
  return page.evaluate(async ({ access, room }) => {
    const ws = new WebSocket(access.url, 'janus-protocol');
    await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = fail; });
    let n = 0;
    const call = (msg: any, untilEvent = false): Promise<any> =>
      new Promise((resolve) => {
        const transaction = `x${++n}`;
        const listener = (ev: MessageEvent) => {
          const m = JSON.parse(ev.data);
          if (m.transaction !== transaction || (untilEvent && m.janus === 'ack')) return;
          ws.removeEventListener('message', listener);
          resolve(m);
        };
        ws.addEventListener('message', listener);
        ws.send(JSON.stringify({ ...msg, transaction, token: access.token }));
      });
    try {
      const created = await call({ janus: 'create' });
      if (created.janus === 'error') return created.error.code as number;
      const session = created.data.id;
      const attached = await call({ janus: 'attach', session_id: session, plugin: 'janus.plugin.videoroom' });
      if (attached.janus === 'error') return attached.error.code as number;
      const joined = await call({
        janus: 'message', session_id: session, handle_id: attached.data.id,
        body: {
          request: 'join', ptype: 'publisher', room, id: `probe-${Date.now()}`,
          pin: access.pin, token: access.room_token,
        },
      }, true);
      if (joined.janus === 'error') return joined.error.code as number;
      return (joined.plugindata?.data?.error_code as number) ?? 0;
    } finally {
      ws.close();
    }
  }, { access, room });
}

/** Stops Janus node `node` (as a crash would) and starts it again, with no rooms. */
export function restartJanus(node: number) {
  const dir = `../target/e2e/janus/${node}`;
  execFileSync('../scripts/janus/stop.sh', [dir], { stdio: 'inherit' });
  execFileSync('../scripts/janus/start.sh', [dir], { stdio: 'inherit' });
}
