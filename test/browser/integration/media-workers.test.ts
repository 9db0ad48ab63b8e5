// The players' media on the server's worker threads (`mediaWorkers`, one per core by default):
// two <rtc-player> of one <rtc-publisher> land on the two workers and both decode; a worker that
// crashes is replaced, and its player (play_finished) asks again and decodes, while the other
// worker's player never stops.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../../src/define.js';
import type { RtcPlayer } from '../../../src/elements/rtc-player/rtc-player.js';
import { poll, uniqueStreamId } from '../../helpers/ams-client.js';
import { player, publisher, unmountAll } from '../../helpers/matrix.js';

interface WorkerInfo {
  index: number;
  threadId: number;
  players: number;
  ready: boolean;
  restarts: number;
}
const workers = (): Promise<WorkerInfo[]> => executeServerCommand('rtc-server', { action: 'workers' }) as Promise<WorkerInfo[]>;
const crashWorker = (index: number): Promise<number> => executeServerCommand('rtc-server', { action: 'crash-worker', index }) as Promise<number>;

const framesOf = (el: RtcPlayer): number => el.shadowRoot?.querySelector('video')?.getVideoPlaybackQuality().totalVideoFrames ?? 0;
/** Resolves once `el` decoded more than `n` frames beyond what it has now. */
const decodes = (el: RtcPlayer, n = 5, ms = 10_000): Promise<unknown> => {
  const from = framesOf(el);
  return poll(() => framesOf(el) > from + n, ms, `${el.streamId}: frames decoded`);
};

describe('media workers', function () {
  (this as unknown as { timeout(ms: number): void }).timeout(60_000);
  afterEach(() => unmountAll());

  it('two players of one stream on the two workers both decode; a crashed worker is replaced and its player decodes again', async () => {
    const streamId = uniqueStreamId('workers');
    const { el: pub } = publisher(streamId);
    await pub.start();
    const a = player(streamId);
    await a.el.play();
    const b = player(streamId);
    await b.el.play();
    await Promise.all([decodes(a.el), decodes(b.el)]);
    const before = await workers();
    expect(before.length, 'one worker per core of the CI machine').to.be.at.least(2);
    expect(before.every((w) => w.ready)).to.equal(true);
    expect(before.filter((w) => w.players === 1).length, 'the two players on two workers').to.equal(2);

    const crashed = before.find((w) => w.players === 1)!;
    const fromA = a.rec.events.length;
    const fromB = b.rec.events.length;
    expect(await crashWorker(crashed.index)).to.equal(200);
    // One of the two was on it: play_finished, then (the element asks again) live and decoding.
    const gone = await Promise.race([
      a.rec.next('rtc-play-finished', 10_000, () => true, fromA).then(() => a),
      b.rec.next('rtc-play-finished', 10_000, () => true, fromB).then(() => b),
    ]);
    const kept = gone === a ? b : a;
    await poll(() => gone.el.getAttribute('state') === 'live', 20_000, 'the crashed worker’s player live again');
    await Promise.all([decodes(gone.el), decodes(kept.el)]);
    expect(kept.rec.all('rtc-play-finished').length, 'the other worker’s player never stopped').to.equal(0);
    const after = await workers();
    const slot = after.find((w) => w.index === crashed.index)!;
    expect(slot.restarts).to.equal(crashed.restarts + 1);
    expect(slot.threadId).to.not.equal(crashed.threadId);
    expect(
      after.reduce((n, w) => n + w.players, 0),
      'both players held again',
    ).to.equal(2);
  });
});
