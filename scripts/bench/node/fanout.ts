// The server's fan-out curve (`npm run bench -- --fanout`): one werift publisher sending VP8 at
// about 0.5 Mbit/s and N werift receivers playing it over the AMS WebSocket protocol (play → the
// server's offer → answer), for each N of BENCH_FANOUT (default 25,50,100,150,300). The server runs
// in a child process of its own (fanout-server.ts), so its CPU (process.cpuUsage() there, over the
// window) is not the receivers'; so does the publisher (fanout-publisher.ts), whose clock the
// receivers' load would otherwise slow. The receivers, here, count the video packets they get
// against those their RTP sequence numbers say were sent. Each N has a fresh server; one that
// fails records its error and the next goes on.
import { fork, type ChildProcess } from 'node:child_process';
import type { RTCPeerConnection } from 'werift';
import { AmsClient } from '../../../test/helpers/server.js';
import { wsPlayMedia } from '../../../test/helpers/whip.js';

export interface FanoutPoint {
  /** Receivers asked for. */
  n: number;
  /** Receivers that reached play_started. */
  connected: number;
  /** The server process's CPU over the window (every thread), % of one core: 200 is two cores busy. */
  cpuPercent?: number;
  /** Video packets lost over the window, all receivers together, % of those expected. */
  lossPercent?: number;
  /** The video rate the publisher sent over the window (from the sequence numbers, payload only), kbit/s. */
  kbps?: number;
  expected?: number;
  received?: number;
  error?: string;
}

// 300: the issue's figure for 2 cores (one thread reached it at under 60 % of a core).
export const FANOUT_DEFAULT = [25, 50, 100, 150, 300];

/** The receiver counts of BENCH_FANOUT ("25,50,100"), or the default. */
export function fanoutCounts(env: string | undefined = process.env.BENCH_FANOUT): number[] {
  const counts = (env ?? '')
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  return counts.length ? counts : FANOUT_DEFAULT;
}

/**
 * Video packets of one receiver over a window, from their RTP sequence numbers (unwrapped past
 * 65535): `expected` is the span from the lowest to the highest seen, `received` the distinct ones.
 */
export class SequenceCounter {
  private counting = false;
  private last: number | undefined;
  private low = Infinity;
  private high = -Infinity;
  private readonly seen = new Set<number>();

  start(): void {
    this.counting = true;
  }

  stop(): void {
    this.counting = false;
  }

  add(sequenceNumber: number): void {
    // Unwrap: the step from the last one, as a signed 16-bit number.
    const ext = this.last === undefined ? sequenceNumber : this.last + ((((sequenceNumber - this.last) & 0xffff) << 16) >> 16);
    this.last = ext;
    if (!this.counting) return;
    this.seen.add(ext);
    this.low = Math.min(this.low, ext);
    this.high = Math.max(this.high, ext);
  }

  get expected(): number {
    return this.seen.size ? this.high - this.low + 1 : 0;
  }

  get received(): number {
    return this.seen.size;
  }
}

interface Child {
  /** The next message the child posts; rejects if it exits first. */
  message<T>(what: string): Promise<T>;
  send(m: string): void;
  /** Disconnects (the child closes and leaves), SIGKILL after 5 s. */
  close(): Promise<void>;
}

/** Forks `file` (beside this one) with `args`, its stderr the bench's. */
function forkChild(file: string, args: string[]): Child {
  const child: ChildProcess = fork(new URL(file, import.meta.url), args, { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    message: <T>(what: string) =>
      new Promise<T>((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`${file} exited (${code}) before ${what}`));
        child.once('exit', onExit);
        child.once('message', (m) => {
          child.off('exit', onExit);
          resolve(m as T);
        });
      }),
    send: (m) => child.send(m),
    close: async () => {
      if (child.exitCode === null && child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface FanoutOptions {
  /** The CPU and loss window, once every receiver is up (ms). */
  windowMs?: number;
  /** The publisher's video payload per packet, 50 packets a second (1250 bytes: 0.5 Mbit/s). */
  videoBytes?: number;
  /** Receivers set up at once. */
  batch?: number;
  log?: (line: string) => void;
}

/** One N: a fresh server, the publisher, N receivers; the server's CPU and the loss over the window. */
export async function fanoutPoint(n: number, options: FanoutOptions = {}): Promise<FanoutPoint> {
  const { windowMs = 10_000, videoBytes = 1250, batch = 10 } = options;
  const clients: AmsClient[] = [];
  const pcs: RTCPeerConnection[] = [];
  const children: Child[] = [];
  const point: FanoutPoint = { n, connected: 0 };
  try {
    const server = forkChild('./fanout-server.js', []);
    children.push(server);
    const { url } = await server.message<{ url: string }>('listening');
    const ws = `${url.replace(/^http/, 'ws')}/LiveApp/websocket`;
    const publisher = forkChild('./fanout-publisher.js', [ws, String(videoBytes)]);
    children.push(publisher);
    const published = await publisher.message<{ live?: true; error?: string }>('publish_started');
    if (published.error) throw new Error(`the publisher: ${published.error}`);
    const streamId = 'fanout';
    const counters: SequenceCounter[] = [];
    const errors: string[] = [];
    for (let i = 0; i < n; i += batch) {
      await Promise.all(
        Array.from({ length: Math.min(batch, n - i) }, async () => {
          try {
            const counter = new SequenceCounter();
            const client = await AmsClient.connect(ws);
            clients.push(client);
            const { pc } = await wsPlayMedia(client, streamId, (kind, rtp) => kind === 'video' && counter.add(rtp.header.sequenceNumber));
            pcs.push(pc);
            counters.push(counter);
          } catch (e) {
            errors.push(e instanceof Error ? e.message : String(e));
          }
        }),
      );
    }
    point.connected = counters.length;
    if (errors.length) point.error = `${errors.length} of ${n} receivers did not start: ${errors[0]}`;
    // Past the set-up (the last ones' keyframes), then the window.
    await sleep(2000);
    server.send('mark');
    for (const c of counters) c.start();
    await sleep(windowMs);
    const reading = server.message<{ cpuMs: number; wallMs: number }>('its CPU reading');
    server.send('read');
    const cpu = await reading;
    for (const c of counters) c.stop();
    point.cpuPercent = (cpu.cpuMs / cpu.wallMs) * 100;
    point.expected = counters.reduce((s, c) => s + c.expected, 0);
    point.received = counters.reduce((s, c) => s + c.received, 0);
    if (point.expected > 0) {
      point.lossPercent = (1 - point.received / point.expected) * 100;
      point.kbps = ((point.expected / counters.length / (cpu.wallMs / 1000)) * videoBytes * 8) / 1000;
    }
  } catch (e) {
    point.error = e instanceof Error ? e.message : String(e);
  } finally {
    await Promise.all(pcs.map((pc) => pc.close().catch(() => undefined)));
    for (const c of clients) c.close();
    for (const c of children.reverse()) await c.close();
  }
  return point;
}

/** Every N in turn; prints a line per N (errors included) and goes on. */
export async function fanoutCurve(counts: number[], options: FanoutOptions = {}): Promise<FanoutPoint[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const points: FanoutPoint[] = [];
  for (const n of counts) {
    const p = await fanoutPoint(n, options);
    points.push(p);
    const cpu = p.cpuPercent === undefined ? '—' : `${p.cpuPercent.toFixed(1)} % of one core (all its threads)`;
    const loss = p.lossPercent === undefined ? '—' : `${p.lossPercent.toFixed(2)} % (${p.received} of ${p.expected})`;
    const rate = p.kbps === undefined ? '' : ` at ${p.kbps.toFixed(0)} kbit/s`;
    log(`fan-out ${n} receivers (${p.connected} up)${rate}: server CPU ${cpu}, video packet loss ${loss}${p.error ? `; ${p.error}` : ''}`);
  }
  return points;
}
