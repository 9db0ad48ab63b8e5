// Every element against a hostile signaling server (test/helpers/hostile-server.ts): 100,000
// random, truncated, oversized, out-of-order and type-confused frames, and valid frames at the
// wrong time. No uncaught exception or unhandled rejection on the page, no hang (stop settles
// every element), bounded heap, and every element still works afterwards against the real server.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../../src/define.js';
import type { RtcPlayer } from '../../../src/elements/rtc-player/rtc-player.js';
import type { RtcPublisher } from '../../../src/elements/rtc-publisher/rtc-publisher.js';
import type { RtcRoom } from '../../../src/elements/rtc-room/rtc-room.js';
import { poll, uniqueStreamId } from '../../helpers/ams-client.js';
import { ws } from '../../helpers/dom.js';
import { installLeakTracker } from '../../helpers/leak-tracker.js';

interface HostileStats {
  seed: number;
  budget: number;
  sent: number;
  connections: number;
  kinds: Record<string, number>;
}
const BUDGET = 100_000;
/** Heap growth allowed over the whole run (after a forced GC), with everything stopped. */
const HEAP_BOUND = 5 * 1024 * 1024;

const server = <T>(payload: Record<string, unknown>): Promise<T> => executeServerCommand('rtc-server', payload) as Promise<T>;
const heap = async (): Promise<number> => (await server<{ usedSize: number }>({ action: 'heap' })).usedSize;
const frames = (el: Element): number => el.shadowRoot?.querySelector('video')?.getVideoPlaybackQuality().totalVideoFrames ?? 0;

type Started = RtcPublisher | RtcPlayer | RtcRoom;
const run = (el: Started): Promise<void> => ('join' in el ? el.join() : 'play' in el ? el.play() : el.start());
const end = (el: Started): Promise<void> => ('leave' in el ? el.leave() : el.stop());

describe('a hostile server', () => {
  it(`${BUDGET} hostile frames: no uncaught error, no hang, bounded heap, every element usable after`, async function () {
    (this as { timeout(ms: number): void }).timeout(120_000);
    const problems: string[] = [];
    const onError = (e: ErrorEvent): void => void problems.push(`uncaught: ${e.message} ${e.error?.stack ?? ''}`);
    const onRejection = (e: PromiseRejectionEvent): void => void problems.push(`unhandled rejection: ${String(e.reason?.stack ?? e.reason)}`);
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onRejection);
    const leaks = installLeakTracker();
    const { url, seed } = await server<{ url: string; seed: number }>({ action: 'hostile-start', budget: BUDGET });
    const t0 = performance.now();
    let stats: HostileStats | null = null;
    const els: Started[] = [];
    try {
      const before = await heap();
      const pub = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${url} stream-id="hostile-pub"></rtc-publisher>`);
      const player = await fixture<RtcPlayer>(html`<rtc-player server-url=${url} stream-id="hostile-play" muted></rtc-player>`);
      const rooms = await Promise.all(
        ['multitrack', 'legacy', 'p2p'].map((mode) =>
          fixture<RtcRoom>(html`<rtc-room server-url=${url} mode=${mode} room-id=${`hostile-${mode}`} stream-id=${`hostile-${mode}-me`}></rtc-room>`),
        ),
      );
      els.push(pub, player, ...rooms);
      // Whatever fails is started again, so the frames keep reaching live sessions, not a closed socket.
      let restarts = 0;
      for (;;) {
        for (const el of els) {
          const state = el.getAttribute('state');
          if (state === null || state === 'idle' || state === 'failed' || state === 'stopped') {
            restarts++;
            run(el).catch(() => undefined);
          }
        }
        stats = await server<HostileStats>({ action: 'hostile-stats' });
        if (stats.sent >= BUDGET) break;
        expect(performance.now() - t0, `frames sent in 90 s: ${stats.sent}`).to.be.below(90_000);
        await new Promise((r) => setTimeout(r, 50));
      }
      const sentMs = performance.now() - t0;
      // No hang: every element stops, whatever it was doing, and releases what it held.
      // (Its timer is cleared: the timers check below counts the test's own too.)
      let hung: ReturnType<typeof setTimeout> | undefined;
      try {
        await Promise.race([Promise.all(els.map(end)), new Promise((_, reject) => (hung = setTimeout(() => reject(new Error('stop hung for 10 s')), 10_000)))]);
      } finally {
        clearTimeout(hung);
      }
      for (const el of els) expect(['stopped', 'idle'], `${el.localName} ${el.getAttribute('mode') ?? ''} state`).to.include(el.getAttribute('state'));
      await poll(() => leaks.open().total === 0, 10_000, 'released').catch(() => {
        throw new Error(`still open after stop: ${JSON.stringify(leaks.open())}`);
      });
      await poll(() => leaks.pending().timers.length === 0 && leaks.pending().listeners.length === 0, 10_000, 'timers and listeners').catch(() => {
        throw new Error(`still pending after stop: ${JSON.stringify(leaks.pending()).slice(0, 2000)}`);
      });
      await server({ action: 'hostile-stop' });
      const after = await heap();
      console.log(
        `hostile server (seed ${seed}): ${stats.sent} frames over ${stats.connections} sockets in ${Math.round(sentMs)} ms, ${restarts} restarts, ` +
          `${leaks.created().peerConnections} peer connections made; heap ${(before / 1e6).toFixed(1)} → ${(after / 1e6).toFixed(1)} MB; ${JSON.stringify(stats.kinds)}`,
      );
      expect(problems, 'uncaught errors and unhandled rejections').to.deep.equal([]);
      expect(after - before, 'heap growth after GC').to.be.below(HEAP_BOUND);

      // Still usable: the same elements against the real server publish, play and join.
      const id = uniqueStreamId('afterhostile');
      pub.serverUrl = ws;
      pub.streamId = id;
      // Changed properties restart a running element at its next update: let it see them first.
      await pub.updateComplete;
      const started = oneEvent(pub, 'rtc-publish-started');
      await pub.start();
      await started;
      player.serverUrl = ws;
      player.streamId = id;
      await player.updateComplete;
      await player.play();
      await poll(() => frames(player) > 3, 10_000, 'the player decodes after the hostile run');
      for (const room of rooms) {
        room.serverUrl = ws;
        room.roomId = uniqueStreamId(`after${room.getAttribute('mode')}`);
        await room.updateComplete;
        // join() resolves quietly when the change of server-url restarts it: the state tells.
        await room.join();
        await poll(() => room.state === 'live', 15_000, `${room.getAttribute('mode')} room live against the real server`);
      }
      expect(problems, 'uncaught errors and unhandled rejections').to.deep.equal([]);
    } catch (e) {
      // The seed replays the same frames: RTC_HOSTILE_SEED=<seed> npm run test:browser -- --files <this file>.
      (e as Error).message = `[hostile seed ${seed}; sent ${stats?.sent}] ${(e as Error).message}`;
      throw e;
    } finally {
      await Promise.all(els.map((el) => end(el).catch(() => undefined)));
      await server({ action: 'hostile-stop' });
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
      leaks.uninstall();
    }
  });
});
