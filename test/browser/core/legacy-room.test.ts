// LegacyRoom against a scripted socket (FakeServer) and a fake clock: the frames it sends, how it
// diffs the room's answers into plays, the once-per-empty error, rejoining on a new socket, leaving.
import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import type { RtcError } from '../../../src/core/errors.js';
import { LegacyRoom, ROOM_POLL_MS } from '../../../src/core/session/legacy-room.js';
import type { AmsCallback } from '../../../src/core/session/types.js';
import { FakeServer, type FakeTransport } from '../../helpers/fake-transport.js';

const URL = 'ws://127.0.0.1:1/LiveApp/websocket';

function setup() {
  const server = new FakeServer();
  const room = new LegacyRoom({ url: URL, createTransport: server.create });
  const log = { added: [] as Array<{ streamId: string; name: string }>, removed: [] as string[], errors: [] as RtcError[], callbacks: [] as AmsCallback[] };
  room.on('added', (a) => log.added.push(a));
  room.on('removed', ({ streamId }) => log.removed.push(streamId));
  room.on('error', (e) => log.errors.push(e));
  room.on('callback', (c) => log.callbacks.push(c));
  return { server, room, log };
}

const roomInfo = (streams: string[]) => ({
  command: 'roomInformation',
  streams,
  streamList: streams.map((streamId) => ({ streamId, streamName: `N ${streamId}` })),
  room: 'r1',
});
const lastCommand = (t: FakeTransport) => t.commands[t.commands.length - 1];

describe('LegacyRoom', () => {
  let clock: sinon.SinonFakeTimers;
  let rooms: LegacyRoom[] = [];
  beforeEach(() => {
    clock = sinon.useFakeTimers();
    rooms = [];
  });
  afterEach(() => {
    for (const r of rooms) r.dispose();
    clock.restore();
  });

  it('joins, plays the live members, polls getRoomInfo, diffs arrivals and departures, reports an empty room once per time, leaves', async () => {
    const { server, room, log } = setup();
    rooms.push(room);
    const joined = room.join({ room: 'r1', streamId: 'me', streamName: 'Me' });
    const t = server.transports[0]!;
    t.open();
    expect(t.commands[0]).to.deep.equal({ command: 'joinRoom', room: 'r1', mainTrack: 'r1', streamId: 'me', mode: 'legacy', streamName: 'Me' });
    t.receive({
      command: 'notification',
      definition: 'joinedTheRoom',
      streamId: 'me',
      streams: ['a'],
      streamList: [{ streamId: 'a', streamName: 'Alice' }],
      room: 'r1',
    });
    expect(await joined).to.equal('me');
    expect(log.added).to.deep.equal([{ streamId: 'a', name: 'Alice' }]);
    expect(log.callbacks.map((c) => c.definition)).to.deep.equal(['joinedTheRoom']);

    // `a` is played on a socket of its own, naming the room.
    const playA = server.transports[1]!;
    playA.open();
    await clock.tickAsync(0);
    expect(playA.commands.find((f) => f.command === 'play')).to.include({ streamId: 'a', room: 'r1' });

    await clock.tickAsync(ROOM_POLL_MS);
    expect(lastCommand(t)).to.deep.equal({ command: 'getRoomInfo', room: 'r1', streamId: 'me' });
    t.receive(roomInfo(['a', 'b', 'me']));
    expect(log.added.map((a) => a.streamId)).to.deep.equal(['a', 'b']);
    expect(log.added[1]!.name).to.equal('N b');
    t.receive(roomInfo(['b']));
    expect(log.removed).to.deep.equal(['a']);
    expect(room.members).to.deep.equal(['b']);

    // Alone: one error however many polls say so; again after someone came and went.
    t.receive({ command: 'error', definition: 'no_active_streams_in_room', room: 'r1' });
    t.receive({ command: 'error', definition: 'no_active_streams_in_room', room: 'r1' });
    expect(log.removed).to.deep.equal(['a', 'b']);
    expect(log.errors.map((e) => [e.code, e.recoverable])).to.deep.equal([['no_active_streams_in_room', true]]);
    t.receive(roomInfo(['c']));
    t.receive({ command: 'error', definition: 'no_active_streams_in_room', room: 'r1' });
    expect(log.errors).to.have.length(2);

    const left = room.leave();
    expect(lastCommand(t)).to.deep.equal({ command: 'leaveFromRoom', room: 'r1', mainTrack: 'r1', streamId: 'me' });
    t.receive({ command: 'notification', definition: 'leavedFromRoom', ATTR_ROOM_NAME: 'r1', room: 'r1' });
    await left;
    expect(log.callbacks.map((c) => c.definition).at(-1)).to.equal('leavedFromRoom');
    expect(t.readyState).to.equal('closed');
    expect(room.members).to.deep.equal([]);
    // No more polls once left.
    const sent = t.sent.length;
    await clock.tickAsync(ROOM_POLL_MS * 2);
    expect(t.sent.length).to.equal(sent);
  });

  it("a refusal rejects join with the server's code and closes the socket", async () => {
    const { server, room } = setup();
    rooms.push(room);
    const joined = room.join({ room: '', streamId: 'me' });
    const t = server.transports[0]!;
    t.open();
    t.receive({ command: 'error', definition: 'no_room_specified' });
    const e = await joined.then(
      () => null,
      (err: RtcError) => err,
    );
    expect(e?.code).to.equal('no_room_specified');
    expect(t.readyState).to.equal('closed');
  });

  it('joins again with the same id on a new socket', async () => {
    const { server, room } = setup();
    rooms.push(room);
    const joined = room.join({ room: 'r1' });
    server.transports[0]!.open();
    // No id given: the server's one is kept.
    server.transports[0]!.receive({ command: 'notification', definition: 'joinedTheRoom', streamId: 'srv1', streams: [], streamList: [], room: 'r1' });
    expect(await joined).to.equal('srv1');
    server.transports[0]!.serverClose();
    await clock.tickAsync(30_000);
    const t2 = server.transports[server.transports.length - 1]!;
    t2.open();
    expect(t2.commands.find((f) => f.command === 'joinRoom')).to.include({ room: 'r1', streamId: 'srv1' });
  });
});
