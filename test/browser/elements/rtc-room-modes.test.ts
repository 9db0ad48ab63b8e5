// <rtc-room mode="legacy"> and <rtc-room mode="p2p"> against the real embedded server over real
// sockets, with Chromium's fake camera: media both ways, chat, leaving, the errors of each mode,
// and that leaving releases camera, microphone, sockets and peer connections.
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/define-room.js';
import { MESSAGES } from '../../../src/elements/rtc-error-overlay/messages.js';
import type { RtcRoom } from '../../../src/elements/rtc-room/rtc-room.js';
import { poll, uniqueStreamId as unique } from '../../helpers/ams-client.js';
import { ws } from '../../helpers/dom.js';
import { installLeakTracker } from '../../helpers/leak-tracker.js';
import { chatText, frames, label, remoteTiles, speaking, tile } from '../../helpers/room.js';
import { expectOverlay, Recorder, type StreamElement } from '../../helpers/matrix.js';

describe('<rtc-room> modes', () => {
  let rooms: RtcRoom[] = [];
  let leaks: ReturnType<typeof installLeakTracker>;

  const mount = async (mode: string, roomId: string | undefined, id: string): Promise<{ el: RtcRoom; rec: Recorder }> => {
    const el = await fixture<RtcRoom>(
      html`<rtc-room server-url=${ws} mode=${mode} room-id=${roomId ?? ''} stream-id=${id} stream-name=${`Name ${id}`}></rtc-room>`,
    );
    if (roomId === undefined) el.removeAttribute('room-id');
    rooms.push(el);
    const rec = new Recorder(el);
    rec.listen('rtc-participant-joined');
    rec.listen('rtc-participant-left');
    rec.listen('rtc-got-sound-list');
    return { el, rec };
  };

  beforeEach(() => {
    leaks = installLeakTracker();
  });

  afterEach(async () => {
    await Promise.all(rooms.map((r) => r.leave()));
    for (const r of rooms) r.remove();
    rooms = [];
    leaks.uninstall();
  });

  /** Everything the page opened during the test is closed again. */
  const released = (): Promise<unknown> =>
    poll(() => leaks.open().total === 0, 5000, 'release').catch(() => {
      throw new Error(`still open: ${JSON.stringify(leaks.open())}`);
    });

  describe('legacy', () => {
    it('two participants: video both ways (never their own), chat both ways, one leaves and the other drops its tile', async function () {
      (this as { timeout(ms: number): void }).timeout(60_000);
      const roomId = unique('legacy');
      const [idA, idB] = [unique('a'), unique('b')];
      const a = await mount('legacy', roomId, idA);
      await a.el.join();
      const joinedA = await a.rec.next('rtc-joined-the-room');
      expect(joinedA.detail).to.include({ streamId: idA, room: roomId, definition: 'joinedTheRoom' });
      expect(joinedA.detail.streams).to.deep.equal([]);

      const b = await mount('legacy', roomId, idB);
      await b.el.join();
      // b finds a in joinedTheRoom; a finds b by polling getRoomInfo.
      expect((await b.rec.next('rtc-joined-the-room')).detail.streams).to.deep.equal([idA]);
      await a.rec.next('rtc-room-information', 8000, (d) => (d.streams as string[]).includes(idB));

      await poll(() => frames(a.el, idB) > 0 && frames(b.el, idA) > 0, 20000, 'each decodes the other');
      // The other's (fake, beeping) microphone lights its tile up; gotSoundList names it.
      await poll(() => speaking(a.el) === idB, 15000, 'b speaking, seen by a');
      const sound = await a.rec.next('rtc-got-sound-list', 5000, (d) => idB in (d.soundList as object));
      expect(Object.keys(sound.detail.soundList as object).sort()).to.deep.equal([idA, idB].sort());
      expect(remoteTiles(a.el)).to.deep.equal([idB]);
      expect(remoteTiles(b.el)).to.deep.equal([idA]);
      expect(a.el.participantIds).to.deep.equal([idB]);
      expect((await a.rec.next('rtc-participant-joined')).detail).to.deep.equal({ streamId: idB, name: `Name ${idB}` });
      expect(tile(a.el, idB)!.querySelector('.label')!.textContent).to.equal(`Name ${idB}`);

      // Chat over the own publish's data channel, relayed to the players of that stream.
      a.el.sendMessage('hello from a');
      b.el.sendMessage('hello from b');
      await poll(() => chatText(b.el).includes('hello from a'), 5000, 'chat a → b');
      await poll(() => chatText(a.el).includes('hello from b'), 5000, 'chat b → a');

      // a mutes: b sees it at once (data channel); a third joining later sees it too (metaData in streamList).
      a.el.setMicrophoneMuted(true);
      const micOff = (el: RtcRoom, id: string): boolean => tile(el, id)?.querySelector('.mic')?.getAttribute('data-off') === 'true';
      await poll(() => micOff(b.el, idA), 5000, 'b sees a muted');
      const c = await mount('legacy', roomId, unique('c'));
      await c.el.join();
      await poll(() => micOff(c.el, idA) && !micOff(c.el, idB), 5000, 'the late joiner sees a muted, b not');
      await c.el.leave();
      await poll(() => a.el.participantIds.length === 1 && b.el.participantIds.length === 1, 6000, 'c gone');

      const left = a.rec.next('rtc-participant-left', 6000, (d) => d.streamId === idB);
      await b.el.leave();
      expect((await b.rec.next('rtc-leaved-from-room')).detail.room).to.equal(roomId);
      await left;
      await poll(() => !tile(a.el, idB), 2000, 'tile dropped');
      expect(a.el.participantIds).to.deep.equal([]);
      expect(a.el.state).to.equal('live');

      await a.el.leave();
      await released();
    });

    it('no_room_specified: without room-id the server refuses joinRoom; fatal, overlay with the catalog sentence', async () => {
      const { el, rec } = await mount('legacy', undefined, unique('noroom'));
      const err = await el.join().then(
        () => null,
        (e: { code?: string }) => e,
      );
      expect(err?.code).to.equal('no_room_specified');
      const e = await rec.error('no_room_specified');
      expect(e.detail).to.include({ code: 'no_room_specified', category: 'server', recoverable: false });
      expect(el.state).to.equal('failed');
      expect(el.getAttribute('error-code')).to.equal('no_room_specified');
      await expectOverlay(el as unknown as StreamElement, 'no_room_specified', false);
      // The camera was never opened; the room socket is closed.
      await released();
    });

    it('no_active_streams_in_room: alone in the room, one recoverable rtc-error while it stays empty, no overlay over the live video', async function () {
      (this as { timeout(ms: number): void }).timeout(30_000);
      // Count the getRoomInfo polls the page sends.
      const send = WebSocket.prototype.send;
      let asked = 0;
      WebSocket.prototype.send = function (this: WebSocket, data: string | ArrayBufferLike | Blob | ArrayBufferView) {
        if (typeof data === 'string' && data.includes('"getRoomInfo"')) asked++;
        return send.call(this, data);
      };
      try {
        const { el, rec } = await mount('legacy', unique('alone'), unique('solo'));
        await el.join();
        const e = await rec.error('no_active_streams_in_room');
        expect(e.detail).to.include({ code: 'no_active_streams_in_room', category: 'server', recoverable: true });
        expect(e.detail.message).to.equal(MESSAGES.no_active_streams_in_room.message);
        expect(MESSAGES.no_active_streams_in_room.message).to.match(/^[A-Z].+\.$/);
        // Two more answers to the poll: still one error.
        const from = asked;
        await poll(() => asked >= from + 3, 10000, 'three more polls');
        expect(rec.all('rtc-error').filter((x) => x.detail.code === 'no_active_streams_in_room')).to.have.length(1);
        expect(el.state).to.equal('live');
        expect(el.hasAttribute('error-code')).to.equal(false);
        expect(el.shadowRoot!.querySelector('rtc-error-overlay')).to.equal(null);
      } finally {
        WebSocket.prototype.send = send;
      }
    });
  });

  describe('p2p', () => {
    it('two peers: video both ways on one connection, chat and peer messages, one leaves and the other waits for the next', async function () {
      (this as { timeout(ms: number): void }).timeout(60_000);
      const p2pId = unique('p2p');
      const a = await mount('p2p', p2pId, unique('a'));
      await a.el.join();
      await a.rec.next('rtc-joined', 5000, (d) => d.streamId === p2pId);
      expect(a.el.state).to.equal('live');
      expect(remoteTiles(a.el)).to.deep.equal([]);

      const b = await mount('p2p', p2pId, unique('b'));
      await b.el.join();
      await poll(() => frames(a.el, p2pId) > 0 && frames(b.el, p2pId) > 0, 20000, 'each decodes the other');
      await poll(() => speaking(a.el) === p2pId, 15000, 'the other peer speaking');
      expect(remoteTiles(a.el)).to.deep.equal([p2pId]);
      expect(remoteTiles(b.el)).to.deep.equal([p2pId]);
      // One connection each, sending and receiving.
      expect(leaks.open().peerConnections).to.equal(2);
      // Names travel over the channel once it opens (p2p has no metaData); so do mute and camera.
      await poll(() => label(a.el, p2pId) === `Name ${b.el.streamId}` && label(b.el, p2pId) === `Name ${a.el.streamId}`, 5000, 'names');
      // The events name the other peer as its tile does, by its own stream id (the tile is keyed by the p2p id both share).
      const bOnA = { streamId: b.el.streamId, name: `Name ${b.el.streamId}` };
      expect((await a.rec.next('rtc-participant-joined')).detail).to.deep.equal(bOnA);
      expect((await b.rec.next('rtc-participant-joined')).detail).to.deep.equal({ streamId: a.el.streamId, name: `Name ${a.el.streamId}` });
      expect(a.rec.all('rtc-participant-joined')).to.have.length(1);
      b.el.setMicrophoneMuted(true);
      await poll(() => tile(a.el, p2pId)?.querySelector('.mic')?.getAttribute('data-off') === 'true', 5000, 'a sees b muted');

      a.el.sendMessage('hi b');
      b.el.sendMessage('hi a');
      await poll(() => chatText(b.el).includes('hi b'), 5000, 'chat a → b');
      await poll(() => chatText(a.el).includes('hi a'), 5000, 'chat b → a');

      a.el.sendPeerMessage('greeting', 'hello over the server');
      const msg = await b.rec.next('rtc-peer-message-command');
      expect(msg.detail).to.include({ definition: 'peerMessageCommand', peerDefinition: 'greeting', data: 'hello over the server', streamId: p2pId });

      // b leaves: a gets `stop`, drops the tile, stays live and takes the next peer.
      const stopped = a.rec.next('rtc-stop', 5000);
      await b.el.leave();
      await stopped;
      await poll(() => !tile(a.el, p2pId), 2000, 'tile dropped');
      expect((await a.rec.next('rtc-participant-left')).detail).to.deep.equal(bOnA);
      expect(a.el.state).to.equal('live');
      expect(a.rec.all('rtc-error')).to.deep.equal([]);

      const c = await mount('p2p', p2pId, unique('c'));
      await c.el.join();
      await poll(() => frames(a.el, p2pId) > 0 && frames(c.el, p2pId) > 0, 20000, 'a and the next peer decode each other');

      // Removing the elements releases everything too.
      a.el.remove();
      c.el.remove();
      await released();
    });

    it('no_peer_associated_before: a peer message with nobody else joined; reported, the session stays live', async () => {
      const p2pId = unique('lonely');
      const { el, rec } = await mount('p2p', p2pId, unique('a'));
      await el.join();
      el.sendPeerMessage('ping', 'anyone?');
      const e = await rec.error('no_peer_associated_before');
      expect(e.detail).to.include({ code: 'no_peer_associated_before', category: 'server' });
      expect(e.detail.message).to.equal(MESSAGES.no_peer_associated_before.message);
      expect(MESSAGES.no_peer_associated_before.message).to.match(/^[A-Z].+\.$/);
      expect(el.state).to.equal('live');
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('rtc-error-overlay'), 'no overlay over the live video').to.equal(null);
      await el.leave();
      await released();
    });
  });

  it('invalid_mode: any other mode fails at join with an overlay', async () => {
    const { el, rec } = await mount('sfu', unique('r'), unique('x'));
    await el.join().catch(() => undefined);
    expect((await rec.error('invalid_mode')).detail).to.include({ category: 'config', recoverable: false });
    expect(el.state).to.equal('failed');
    await expectOverlay(el as unknown as StreamElement, 'invalid_mode', false);
  });
});
