import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/define-room.js';
import type { RtcRoom } from '../../../src/elements/rtc-room/rtc-room.js';

const ws = (window as unknown as { __RTC_SERVER__: { ws: string } }).__RTC_SERVER__.ws;
const unique = (p: string): string => `${p}${Math.random().toString(36).slice(2, 10)}`;

async function poll(check: () => boolean | Promise<boolean>, timeout = 15000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const tile = (room: RtcRoom, id: string): HTMLElement | null => room.shadowRoot!.querySelector<HTMLElement>(`.tile[data-participant="${id}"]`);
const frames = (room: RtcRoom, id: string): number => tile(room, id)?.querySelector('video')?.getVideoPlaybackQuality().totalVideoFrames ?? 0;

describe('<rtc-room>', () => {
  let rooms: RtcRoom[] = [];
  const join = async (roomId: string, id: string): Promise<RtcRoom> => {
    const el = await fixture<RtcRoom>(html`<rtc-room server-url=${ws} room-id=${roomId} stream-id=${id} stream-name=${`Name ${id}`}></rtc-room>`);
    rooms.push(el);
    await el.join();
    return el;
  };

  afterEach(async () => {
    await Promise.all(rooms.map((r) => r.leave()));
    for (const r of rooms) r.remove();
    rooms = [];
  });

  it('renders a local tile and is accessible', async () => {
    const el = await fixture<RtcRoom>(html`<rtc-room room-id="r1"></rtc-room>`);
    expect(el.shadowRoot!.querySelector('.tile[data-participant="local"]')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('three participants see each other, one leaves, a fourth joins late; mute, camera and chat reach the others', async function () {
    (this as { timeout(ms: number): void }).timeout(60_000);
    const roomId = unique('room');
    const ids = [unique('a'), unique('b'), unique('c')];
    const [a, b, c] = [await join(roomId, ids[0]!), await join(roomId, ids[1]!), await join(roomId, ids[2]!)];
    const all = [a!, b!, c!];
    for (const [i, r] of all.entries()) {
      const others = ids.filter((_, j) => j !== i);
      await poll(() => others.every((o) => frames(r, o) > 0), 20000, `decoded video in room ${i}`);
      expect(tile(r, ids[i]!)).to.equal(null);
      expect(r.participantIds.sort()).to.deep.equal([...others].sort());
    }
    // Names as text.
    expect(tile(a!, ids[1]!)!.querySelector('.label')!.textContent).to.contain(ids[1]!);

    // Mute and camera off seen by the others.
    b!.setMicrophoneMuted(true);
    await b!.setCameraOff(true);
    for (const r of [a!, c!]) {
      await poll(() => tile(r, ids[1]!)?.querySelector('.mic')?.getAttribute('data-off') === 'true', 5000, 'mic icon');
      await poll(() => !!tile(r, ids[1]!)?.querySelector('.placeholder'), 5000, 'placeholder');
    }

    // Chat, intact and as text.
    const evil = '<img src=x onerror=window.__xss=1>';
    a!.sendMessage('hello ünïcode ✓');
    a!.sendMessage(evil);
    for (const r of [b!, c!]) {
      await poll(() => (r.shadowRoot!.querySelector('.log')?.textContent ?? '').includes(evil), 5000, 'chat');
      expect(r.shadowRoot!.querySelector('.log')!.textContent).to.contain('hello ünïcode ✓');
      expect(r.shadowRoot!.querySelector('.log img')).to.equal(null);
    }
    expect((window as unknown as { __xss?: number }).__xss).to.equal(undefined);

    // c leaves: a and b drop its tile within 2 s.
    const left = [a!, b!].map((r) => new Promise<string>((res) => r.addEventListener('rtc-participant-left', (e) => e.detail.streamId === ids[2] && res(e.detail.streamId))));
    const t0 = Date.now();
    await c!.leave();
    await Promise.all(left);
    await poll(() => !tile(a!, ids[2]!) && !tile(b!, ids[2]!), 2000, 'tile dropped');
    expect(Date.now() - t0).to.be.below(2500);

    // A fourth joins late and sees everyone present.
    const d = await join(roomId, unique('d'));
    await poll(() => [ids[0]!, ids[1]!].every((o) => frames(d, o) > 0), 20000, 'late joiner decodes');
  });
});
