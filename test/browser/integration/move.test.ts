// Moving an element within the page (removed and put back before the task ends: `append` to
// another parent, or a framework re-parenting it a microtask later) keeps its session: the same
// socket, peer connection and camera, no state change. A real removal still releases everything
// (camera, microphone, peer connections, sockets), once the task is over. Real server, real media.
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/define.js';
import type { RtcPlayer } from '../../../src/elements/rtc-player/rtc-player.js';
import type { RtcPublisher } from '../../../src/elements/rtc-publisher/rtc-publisher.js';
import type { RtcRoom } from '../../../src/elements/rtc-room/rtc-room.js';
import { poll, uniqueStreamId as unique } from '../../helpers/ams-client.js';
import { ws } from '../../helpers/dom.js';
import { installLeakTracker } from '../../helpers/leak-tracker.js';
import { frames } from '../../helpers/room.js';

type Moving = RtcPublisher | RtcPlayer | RtcRoom;

/** The element's running session object and its peer connection (internal, for identity checks). */
const sessionOf = (el: Moving): { pc?: RTCPeerConnection } | null =>
  (el as unknown as { session: { session: { pc?: RTCPeerConnection } | null } }).session.session;

/** Two ways a page moves an element: in one go, or removed now and put back a microtask later (as a framework may). */
const MOVES: Array<[string, (el: Moving, to: HTMLElement) => Promise<void>]> = [
  ['append elsewhere', async (el, to) => void to.append(el)],
  [
    'remove, then put back a microtask later',
    async (el, to) => {
      el.remove();
      await Promise.resolve();
      to.prepend(el);
    },
  ],
];

describe('moving an element within the page', () => {
  let leaks: ReturnType<typeof installLeakTracker>;
  let other: HTMLElement;

  beforeEach(() => {
    leaks = installLeakTracker();
    other = document.createElement('section');
    document.body.append(other);
  });

  afterEach(() => {
    other.remove();
    leaks.uninstall();
  });

  /** Moves `el` and checks, half a second later, that nothing was torn down or made again; then removes it for real. */
  async function movesThenLeaves(el: Moving, move: (el: Moving, to: HTMLElement) => Promise<void>): Promise<void> {
    const session = sessionOf(el)!;
    const pc = session.pc!;
    const made = leaks.created();
    const open = leaks.open();
    const changes: string[] = [];
    el.addEventListener('rtc-state-change', (e) => changes.push(e.detail.state));
    await move(el, other);
    expect(el.parentElement).to.equal(other);
    await new Promise((r) => setTimeout(r, 500));
    expect(sessionOf(el) === session, 'the same session').to.equal(true);
    expect(pc.connectionState).to.equal('connected');
    expect(el.state).to.equal('live');
    expect(changes, 'no state change').to.deep.equal([]);
    expect(leaks.created(), 'no new socket, connection or capture').to.deep.equal(made);
    expect(leaks.open(), 'nothing closed').to.deep.equal(open);

    // A real removal: released once the task is over.
    el.remove();
    await poll(() => leaks.open().total === 0, 5000, 'released').catch(() => {
      throw new Error(`still open after removal: ${JSON.stringify(leaks.open())}`);
    });
    expect(el.state).to.equal('stopped');
    expect(pc.signalingState).to.equal('closed');
  }

  for (const [how, move] of MOVES) {
    it(`<rtc-publisher> keeps publishing (${how})`, async () => {
      const el = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id=${unique('movepub')}></rtc-publisher>`);
      await el.start();
      await movesThenLeaves(el, move);
    });

    it(`<rtc-player> keeps playing (${how})`, async () => {
      const streamId = unique('moveplay');
      const pub = await fixture<RtcPublisher>(html`<rtc-publisher server-url=${ws} stream-id=${streamId} no-audio></rtc-publisher>`);
      await pub.start();
      leaks.reset();
      const el = await fixture<RtcPlayer>(html`<rtc-player server-url=${ws} stream-id=${streamId} muted></rtc-player>`);
      await el.play();
      const video = el.shadowRoot!.querySelector('video')!;
      await poll(() => video.currentTime > 0, 5000, 'playing');
      const stream = video.srcObject;
      await movesThenLeaves(el, async (e, to) => {
        await move(e, to);
        // Still the same stream in the same <video>, still playing.
        await new Promise((r) => setTimeout(r, 300));
        expect(e.shadowRoot!.querySelector('video') === video && video.srcObject === stream, 'same video, same stream').to.equal(true);
        const t = video.currentTime;
        await poll(() => video.currentTime > t, 3000, 'still playing after the move');
      });
      pub.remove();
    });

    it(`<rtc-room> stays in the room (${how})`, async function () {
      (this as { timeout(ms: number): void }).timeout(40_000);
      const roomId = unique('moveroom');
      const [ia, ib] = [unique('a'), unique('b')];
      const a = await fixture<RtcRoom>(html`<rtc-room server-url=${ws} room-id=${roomId} stream-id=${ia}></rtc-room>`);
      await a.join();
      leaks.reset();
      const b = await fixture<RtcRoom>(html`<rtc-room server-url=${ws} room-id=${roomId} stream-id=${ib}></rtc-room>`);
      await b.join();
      await poll(() => frames(a, ib) > 0 && frames(b, ia) > 0, 20_000, 'both decode');
      const left: string[] = [];
      a.addEventListener('rtc-participant-left', (e) => left.push(e.detail.streamId));
      await movesThenLeaves(b, async (e, to) => {
        await move(e, to);
        await new Promise((r) => setTimeout(r, 300));
        expect(b.participantIds).to.deep.equal([ia]);
        const before = frames(b, ia);
        await poll(() => frames(b, ia) > before, 3000, 'still decoding after the move');
        expect(left, 'nobody left').to.deep.equal([]);
      });
      await poll(() => left.includes(ib), 5000, 'the real removal leaves the room');
      await a.leave();
      a.remove();
    });
  }
});
