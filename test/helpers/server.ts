/** Test helpers: a real server on a free loopback port and a real WebSocket client speaking AMS. */
import { RTCPeerConnection, type RTCDataChannel } from 'werift';
import { after, before } from 'node:test';
import WebSocket from 'ws';
import { createServer, type RunningServer, type ServerOptions } from '../../packages/server/src/index.js';
import { clientPc } from './werift-client.js';

export type Frame = Record<string, unknown> & { command: string };

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  // Admission control's real readings off unless a test asks: a test's process runs its clients'
  // peers beside the server, and their stalls (werift, start-up) are not the server's load.
  // Media workers off unless a test asks (media-workers.test.ts does): each worker loads werift's
  // code in a thread of its own at every server start, which was 44 % of the Node tests' CPU (user
  // 100 s against 56 s), and in `npm test` the fault lab's timed checks run beside them. The
  // players' path through the workers is also that of every browser test and of the fault lab.
  return createServer({ host: '127.0.0.1', port: 0, cpuLimit: 0, eventLoopLagLimitMs: 0, mediaWorkers: 0, ...options });
}

export const wsUrl = (server: RunningServer, app = 'LiveApp', suffix = ''): string => `${server.url.replace(/^http/, 'ws')}/${app}/websocket${suffix}`;

/** A protocol client: sends JSON frames, awaits matching frames with a deadline. */
export class AmsClient {
  readonly frames: Frame[] = [];
  private waiters: Array<{ match: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];
  private closedPromise: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = JSON.parse(String(data)) as Frame;
      this.frames.push(frame);
      const i = this.waiters.findIndex((w) => w.match(frame));
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(frame);
    });
    this.closedPromise = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
  }

  static async connect(url: string): Promise<AmsClient> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new AmsClient(ws);
  }

  send(frame: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(frame));
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  /** The first frame (already received or coming) that matches; rejects after `ms`. */
  next(match: Partial<Frame> | ((f: Frame) => boolean), ms = 5000): Promise<Frame> {
    const fn = typeof match === 'function' ? match : (f: Frame) => Object.entries(match).every(([k, v]) => f[k] === v);
    const seen = this.frames.findIndex(fn);
    if (seen >= 0) return Promise.resolve(this.frames.splice(seen, 1)[0]!);
    return new Promise((resolve, reject) => {
      const waiter = {
        match: fn,
        resolve: (f: Frame) => {
          clearTimeout(timer);
          this.frames.splice(this.frames.indexOf(f), 1);
          resolve(f);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(
            `no frame matching ${typeof match === 'function' ? 'predicate' : JSON.stringify(match)} within ${ms} ms; got ${JSON.stringify(this.frames).slice(0, 500)}`,
          ),
        );
      }, ms);
      this.waiters.push(waiter);
    });
  }

  /** Sends `frame` and awaits the answer matching `match`. */
  async request(frame: Record<string, unknown>, match: Partial<Frame>, ms?: number): Promise<Frame> {
    const answer = this.next(match, ms);
    this.send(frame);
    return answer;
  }

  /** Resolves with the close code once the socket closes. */
  closed(): Promise<number> {
    return this.closedPromise;
  }

  close(): void {
    this.ws.terminate();
  }
}

const PC_CONFIG = { iceServers: [], iceAdditionalHostAddresses: ['127.0.0.1'], bundlePolicy: 'max-bundle' as const };

/**
 * Publishes `streamId` from a werift peer with a data channel only (no camera in Node), up to
 * `publish_started`. Media publishing is covered by the browser tests.
 */
export async function publishDataOnly(client: AmsClient, streamId: string, extra: Record<string, unknown> = {}) {
  const pc = clientPc(PC_CONFIG);
  const channel: RTCDataChannel = pc.createDataChannel(streamId, { ordered: true });
  await client.request({ command: 'publish', streamId, video: false, audio: false, ...extra }, { command: 'start', streamId });
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  const answer = client.next({ command: 'takeConfiguration', streamId, type: 'answer' });
  client.send({ command: 'takeConfiguration', streamId, type: 'offer', sdp: pc.localDescription!.sdp });
  const a = await answer;
  await pc.setRemoteDescription({ type: 'answer', sdp: a.sdp as string });
  await client.next({ command: 'notification', definition: 'publish_started', streamId }, 10_000);
  return { pc, channel };
}

/** Plays `streamId` from a werift peer up to `play_started`; returns the offer frame too. */
export async function playDataOnly(client: AmsClient, streamId: string, extra: Record<string, unknown> = {}) {
  const pc = clientPc(PC_CONFIG);
  const channelPromise = new Promise<RTCDataChannel>((resolve) => pc.onDataChannel.subscribe((c) => resolve(c)));
  const offer = await client.request({ command: 'play', streamId, ...extra }, { command: 'takeConfiguration', streamId, type: 'offer' });
  await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp as string });
  const answer = await pc.createAnswer();
  await pc.setLocalDescription(answer);
  client.send({ command: 'takeConfiguration', streamId, type: 'answer', sdp: pc.localDescription!.sdp });
  await client.next({ command: 'notification', definition: 'play_started', streamId }, 10_000);
  return { pc, offer, channel: channelPromise };
}

/** Sends a request to the server's HTTP port; resolves status and parsed JSON. */
export async function http(server: RunningServer, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, json };
}

/**
 * One server for a suite (call inside `describe`): started before, closed after with every
 * client and werift peer the suite registered. `id(prefix)` makes ids unique within the suite.
 */
export function useServer(options: ServerOptions = {}) {
  let server: RunningServer | undefined;
  const clients: AmsClient[] = [];
  const pcs: RTCPeerConnection[] = [];
  let n = 0;
  before(async () => {
    server = await startServer(options);
  });
  after(async () => {
    for (const pc of pcs) await pc.close();
    for (const c of clients) c.close();
    await server?.close();
  });
  return {
    clients,
    pcs,
    id: (prefix: string) => `${prefix}${++n}`,
    async connect(app = 'LiveApp'): Promise<AmsClient> {
      const c = await AmsClient.connect(wsUrl(server!, app));
      clients.push(c);
      return c;
    },
  };
}
