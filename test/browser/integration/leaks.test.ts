// Add/remove cycles of every element (the room in each mode) against the real embedded server:
// nothing left behind (peer connection, capture track, socket, pending timer, listener on window,
// document or mediaDevices) and the page's JS heap, after a forced GC (DevTools protocol), grows
// by less than 5 MB. 500 quick cycles each, removed before or while connecting (where leaks hide:
// a capture or a socket still opening when the element goes), and 10 full cycles each, removed
// once live (500 live sessions per element would take minutes).
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../../src/define.js';
import { AmsClient, poll, uniqueStreamId } from '../../helpers/ams-client.js';
import { ws } from '../../helpers/dom.js';
import { installLeakTracker } from '../../helpers/leak-tracker.js';

const QUICK = 500;
const LIVE = 10;
const HEAP_BOUND = 5 * 1024 * 1024;

const heap = async (): Promise<number> => ((await executeServerCommand('rtc-server', { action: 'heap' })) as { usedSize: number }).usedSize;
const task = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));
const mb = (n: number): string => (n / 1e6).toFixed(2);

type Kind = { name: string; tag: string; attrs: (i: number) => Record<string, string>; start: (el: any) => Promise<void>; live: (el: any) => Promise<unknown> };

/**
 * The moment a quick cycle removes its element: at once, after a microtask, the next task, a few
 * ms in (capturing), or just after its first socket was made (connecting).
 */
async function quickMoment(i: number, sockets: () => number): Promise<void> {
  switch (i % 5) {
    case 0:
      return;
    case 1:
      return Promise.resolve();
    case 2:
      return task();
    case 3:
      return task((i * 7) % 40);
    default: {
      // (The player makes its socket within play(), the others after capturing.)
      await poll(() => sockets() > 0, 2000, 'a socket').catch(() => undefined);
      return task((i * 3) % 20);
    }
  }
}

describe('add/remove cycles leave nothing behind', function () {
  let steady: AmsClient;
  let streamId: string;
  let camera: MediaStream;

  before(async () => {
    streamId = uniqueStreamId('leaksrc');
    steady = await AmsClient.connect();
    camera = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    await steady.publish(streamId, camera);
  });
  after(() => {
    steady.close();
    for (const t of camera.getTracks()) t.stop();
  });

  const liveState = (el: HTMLElement): Promise<unknown> => poll(() => el.getAttribute('state') === 'live', 15_000, `${el.localName} live`);
  const kinds: Kind[] = [
    {
      name: '<rtc-publisher>',
      tag: 'rtc-publisher',
      attrs: (i) => ({ 'stream-id': `${streamId}p${i}` }),
      start: (el) => el.start(),
      live: liveState,
    },
    { name: '<rtc-player>', tag: 'rtc-player', attrs: () => ({ 'stream-id': streamId, muted: '' }), start: (el) => el.play(), live: liveState },
    ...['multitrack', 'legacy', 'p2p'].map((mode) => ({
      name: `<rtc-room mode="${mode}">`,
      tag: 'rtc-room',
      attrs: (i: number) => ({ mode, 'room-id': `${streamId}${mode}${i % 7}`, 'stream-id': `${streamId}${mode}me${i}` }),
      start: (el: any) => el.join(),
      live: liveState,
    })),
  ];

  it('<rtc-room> taken off the page right after join(): no camera or microphone left open (it captured after the removal)', async () => {
    const tracker = installLeakTracker();
    try {
      for (let i = 0; i < 4; i++) {
        const el = document.createElement('rtc-room') as HTMLElement & { join(): Promise<void> };
        el.setAttribute('server-url', ws);
        el.setAttribute('room-id', `${streamId}early`);
        document.body.append(el);
        el.join().catch(() => undefined);
        el.remove();
      }
      // Long enough for a capture begun after the removal to open (the fake camera opens in well under a second).
      await task(1500);
      await poll(() => tracker.open().total === 0, 5000, 'released').catch(() => {
        throw new Error(`still open ${JSON.stringify(tracker.open())}`);
      });
    } finally {
      tracker.uninstall();
    }
  });

  for (const kind of kinds) {
    it(`${kind.name}: ${QUICK} quick and ${LIVE} live cycles`, async function () {
      (this as { timeout(ms: number): void }).timeout(180_000);
      const host = document.createElement('div');
      document.body.append(host);
      const tracker = installLeakTracker();
      const cycle = async (i: number, live: boolean): Promise<void> => {
        const el = document.createElement(kind.tag);
        el.setAttribute('server-url', ws);
        for (const [k, v] of Object.entries(kind.attrs(i))) el.setAttribute(k, v);
        host.append(el);
        const had = tracker.created().sockets;
        kind.start(el).catch(() => undefined);
        if (live) await kind.live(el);
        else await quickMoment(i, () => tracker.created().sockets - had);
        el.remove();
      };
      const released = async (what: string): Promise<void> => {
        await poll(() => tracker.open().total === 0, 15_000, 'released').catch(() => {
          throw new Error(`${what}: still open ${JSON.stringify(tracker.open())}`);
        });
        await poll(() => tracker.pending().timers.length === 0 && tracker.pending().listeners.length === 0, 15_000, 'timers and listeners').catch(() => {
          throw new Error(`${what}: still pending ${JSON.stringify(tracker.pending()).slice(0, 2000)}`);
        });
      };
      try {
        // Warm-up: the lazy chunks, Lit's template caches and the capture pipeline exist before the baseline.
        for (let i = 0; i < 4; i++) await cycle(i, false);
        await cycle(0, true);
        await released('warm-up');
        const before = await heap();
        tracker.reset();
        const t0 = performance.now();
        for (let i = 0; i < QUICK; i++) await cycle(i, false);
        await released(`${QUICK} quick cycles`);
        const quickMs = performance.now() - t0;
        const afterQuick = await heap();
        const t1 = performance.now();
        for (let i = 0; i < LIVE; i++) await cycle(QUICK + i, true);
        await released(`${LIVE} live cycles`);
        const liveMs = performance.now() - t1;
        const after = await heap();
        const made = tracker.created();
        console.log(
          `${kind.name}: ${QUICK} quick cycles in ${Math.round(quickMs)} ms, ${LIVE} live in ${Math.round(liveMs)} ms ` +
            `(${made.peerConnections} peer connections, ${made.sockets} sockets, ${made.tracks} tracks made); ` +
            `heap after GC ${mb(before)} → ${mb(afterQuick)} (quick) → ${mb(after)} MB (live): +${mb(after - before)} MB`,
        );
        expect(made.sockets, 'sockets were opened').to.be.greaterThan(QUICK / 5);
        expect(after - before, `heap growth ${mb(after - before)} MB`).to.be.below(HEAP_BOUND);
      } finally {
        tracker.uninstall();
        host.remove();
      }
    });
  }
});
