// Recovery after outages, against the real embedded server: the server closes and starts again
// on the same port (every socket and peer connection gone, no stream left), and the elements come
// back by themselves: the publisher live again, the player decoding again, the room seeing everyone.
import { expect } from '@open-wc/testing';
import '../../../src/define.js';
import '../../../src/define-room.js';
import type { RtcPlayer } from '../../../src/elements/rtc-player/rtc-player.js';
import type { RtcRoom } from '../../../src/elements/rtc-room/rtc-room.js';
import { poll, uniqueStreamId } from '../../helpers/ams-client.js';
import { player, publisher, restartServer, unmountAll, ws } from '../../helpers/matrix.js';
import { tile } from '../../helpers/room.js';

const count = (v: HTMLVideoElement | null | undefined): number => v?.getVideoPlaybackQuality().totalVideoFrames ?? 0;
const playerVideo = (el: RtcPlayer): HTMLVideoElement | null | undefined => el.shadowRoot?.querySelector('video');
const tileVideo = (room: RtcRoom, id: string): HTMLVideoElement | null | undefined => tile(room, id)?.querySelector('video');

/** Whether `video()` decoded more than 3 frames since now (counting afresh if the element was replaced). */
function decodesFromNow(video: () => HTMLVideoElement | null | undefined): () => boolean {
  const v0 = video();
  const n0 = count(v0);
  return () => {
    const v = video();
    return count(v) > (v === v0 ? n0 : 0) + 3;
  };
}

/** Every state `el` reports from now on (`rtc-state-change`). */
function states(el: HTMLElement): string[] {
  const seen: string[] = [];
  el.addEventListener('rtc-state-change', (e) => seen.push((e as CustomEvent<{ state: string }>).detail.state));
  return seen;
}

describe('recovery after a server restart', function () {
  (this as unknown as { timeout(ms: number): void }).timeout(60_000);
  afterEach(() => unmountAll());

  it('a live publisher and player come back after 2 s down: reconnecting meanwhile, then live and decoding again', async () => {
    const streamId = uniqueStreamId('restart');
    const pub = publisher(streamId).el;
    await pub.start();
    const play = player(streamId).el;
    await play.play();
    await poll(
      decodesFromNow(() => playerVideo(play)),
      5000,
      'frames before the outage',
    );
    const pubStates = states(pub);
    const playStates = states(play);

    await restartServer(2000);
    // While the server was down both said so.
    expect(pubStates).to.include('reconnecting');
    expect(playStates).to.include('reconnecting');

    await poll(() => pub.getAttribute('state') === 'live', 15_000, 'publisher live again');
    const again = decodesFromNow(() => playerVideo(play));
    await poll(() => play.getAttribute('state') === 'live' && again(), 15_000, 'player decoding again');
    expect(pubStates.at(-1)).to.equal('live');
  });

  it('a 3-person room comes back: everyone publishing again and decoding the other two', async () => {
    const roomId = uniqueStreamId('room');
    const ids = [uniqueStreamId('a'), uniqueStreamId('b'), uniqueStreamId('c')];
    const rooms = ids.map((id) => {
      const el = document.createElement('rtc-room') as RtcRoom;
      el.setAttribute('server-url', ws);
      el.setAttribute('room-id', roomId);
      el.setAttribute('stream-id', id);
      document.body.append(el);
      return el;
    });
    try {
      await Promise.all(rooms.map((r) => r.join()));
      const others = (i: number): string[] => ids.filter((_, j) => j !== i);
      const first = rooms.map((r, i) => others(i).map((o) => decodesFromNow(() => tileVideo(r, o))));
      await poll(() => first.every((checks) => checks.every((c) => c())), 20_000, 'everyone decodes the others');
      const seen = rooms.map(states);

      await restartServer(2000);
      for (const s of seen) expect(s).to.include('reconnecting');

      const again = rooms.map((r, i) => others(i).map((o) => decodesFromNow(() => tileVideo(r, o))));
      await poll(
        () => rooms.every((r, i) => r.getAttribute('state') === 'live' && again[i]!.every((c) => c())),
        30_000,
        'everyone live and decoding the others again',
      );
    } finally {
      await Promise.all(rooms.map((r) => r.leave()));
      for (const r of rooms) r.remove();
    }
  });
});
