// The room's chunk cannot be fetched (here: the bundle is evaluated from a blob: URL, beside
// which there is nothing): `<rtc-room>` reports `module_load_failed` once per attempt, with its
// overlay, and stays usable: the next join fetches again instead of keeping the failure.
import { expect, oneEvent } from '@open-wc/testing';
import type { RtcRoom } from '../../../src/elements/rtc-room/rtc-room.js';
import type { RtcErrorEvent } from '../../../src/events/rtc-events.js';
import { ws } from '../../helpers/dom.js';

describe('<rtc-room> when its chunk does not load', () => {
  it('dispatches module_load_failed with the overlay, and tries again on the next join', async () => {
    const source = await (await fetch('/dist/rtc-elements.js')).text();
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    await import(/* @vite-ignore */ url);
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
    URL.revokeObjectURL(url);
  });
});
