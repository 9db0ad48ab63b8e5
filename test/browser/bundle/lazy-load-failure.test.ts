// The lazy chunks cannot be fetched (here: the bundle is evaluated from a blob: URL, beside
// which there is nothing): `<rtc-room>` reports `module_load_failed` once per attempt, with its
// overlay, and stays usable: the next join fetches again instead of keeping the failure. A live
// publisher whose stats chunk cannot load stays live; getStats() rejects with the same code. A
// player whose controls chunk cannot load says so once (no overlay) and plays with its basic buttons.
import { expect, oneEvent } from '@open-wc/testing';
import type { RtcPlayer } from '../../../src/elements/rtc-player/rtc-player.js';
import type { RtcPublisher } from '../../../src/elements/rtc-publisher/rtc-publisher.js';
import type { RtcRoom } from '../../../src/elements/rtc-room/rtc-room.js';
import type { RtcErrorEvent } from '../../../src/events/rtc-events.js';
import { ws } from '../../helpers/dom.js';

let url = '';
before(async () => {
  const source = await (await fetch('/dist/rtc-elements.js')).text();
  url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  await import(/* @vite-ignore */ url);
});
after(() => URL.revokeObjectURL(url));

describe('<rtc-room> when its chunk does not load', () => {
  it('dispatches module_load_failed with the overlay, and tries again on the next join', async () => {
    const room = document.createElement('rtc-room') as RtcRoom;
    room.setAttribute('server-url', ws);
    room.setAttribute('room-id', 'lazy-failure');
    const errors: string[] = [];
    room.addEventListener('rtc-error', (e) => errors.push((e as RtcErrorEvent).detail.code));
    document.body.append(room);
    const first = oneEvent(room, 'rtc-error');
    const joined = room.join().then(
      () => 'joined',
      (e: unknown) => (e as { code?: string }).code,
    );
    expect(((await first) as RtcErrorEvent).detail.code).to.equal('module_load_failed');
    expect(await joined).to.equal('module_load_failed');
    await room.updateComplete;
    const overlay = room.shadowRoot!.querySelector('rtc-error-overlay');
    expect(overlay, 'the error overlay').not.to.equal(null);
    expect(room.getAttribute('error-code')).to.equal('module_load_failed');
    // Not cached: a second join fetches again (and fails again here).
    const second = room.join().catch((e: unknown) => (e as { code?: string }).code);
    expect(await second).to.equal('module_load_failed');
    expect(errors).to.deep.equal(['module_load_failed', 'module_load_failed']);
    room.remove();
  });
});

describe('<rtc-publisher> when the stats chunk does not load', () => {
  it('stays live; getStats() rejects with module_load_failed, every time it is asked', async () => {
    const publisher = document.createElement('rtc-publisher') as RtcPublisher;
    publisher.setAttribute('server-url', ws);
    publisher.setAttribute('stream-id', `lazy-stats-${Date.now()}`);
    document.body.append(publisher);
    const live = oneEvent(publisher, 'rtc-publish-started');
    await publisher.start();
    await live;
    for (let i = 0; i < 2; i++) {
      const code = await publisher.getStats().then(
        () => 'resolved',
        (e: unknown) => (e as { code?: string }).code,
      );
      expect(code).to.equal('module_load_failed');
    }
    expect(publisher.state).to.equal('live');
    publisher.remove();
  });
});

describe('<rtc-player> when its controls chunk does not load', () => {
  it('keeps the basic play/stop and mute buttons, dispatches module_load_failed once without the overlay, and plays', async () => {
    const streamId = `lazy-controls-${Date.now()}`;
    const publisher = document.createElement('rtc-publisher') as RtcPublisher;
    publisher.setAttribute('server-url', ws);
    publisher.setAttribute('stream-id', streamId);
    document.body.append(publisher);
    await publisher.start();
    const player = document.createElement('rtc-player') as RtcPlayer;
    player.setAttribute('server-url', ws);
    player.setAttribute('stream-id', streamId);
    const errors: string[] = [];
    player.addEventListener('rtc-error', (e) => errors.push((e as RtcErrorEvent).detail.code));
    const failed = oneEvent(player, 'rtc-error');
    document.body.append(player);
    expect(((await failed) as RtcErrorEvent).detail.code).to.equal('module_load_failed');
    await player.updateComplete;
    const root = player.shadowRoot!;
    expect(root.querySelector('rtc-error-overlay'), 'no overlay: playback is not affected').to.equal(null);
    expect(player.hasAttribute('error-code')).to.equal(false);
    expect(root.querySelector('[part~=stats-button]')).to.equal(null);
    const play = root.querySelector<HTMLButtonElement>('[part~=play-button]')!;
    expect(play.textContent!.trim()).to.equal('Play');
    const started = oneEvent(player, 'rtc-play-started');
    play.click();
    await started;
    await player.updateComplete;
    expect(player.state).to.equal('live');
    expect(root.querySelector('[part~=play-button]')!.textContent!.trim()).to.equal('Stop');
    root.querySelector<HTMLButtonElement>('[part~=mute-button]')!.click();
    await player.updateComplete;
    expect(player.muted).to.equal(true);
    expect(errors).to.deep.equal(['module_load_failed']);
    await player.stop();
    await publisher.stop();
    player.remove();
    publisher.remove();
  });
});
