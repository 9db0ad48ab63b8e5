// The lazy chunks cannot be fetched (here: the bundle is evaluated from a blob: URL, beside
// which there is nothing): `<rtc-room>` reports `module_load_failed` once per attempt, with its
// overlay, and stays usable: the next join fetches again instead of keeping the failure. A live
// publisher whose stats chunk cannot load stays live; getStats() rejects with the same code.
import { expect, oneEvent } from '@open-wc/testing';
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
