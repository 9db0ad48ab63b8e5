import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RTCPeerConnection } from 'werift';
import { STREAM_ID_PATTERN } from '../../src/core/protocol/ams.js';
import { AmsClient, publishDataOnly, type Frame, useServer } from '../helpers/server.js';

describe('legacy rooms (joinRoom / getRoomInfo / leaveFromRoom)', () => {
  const { connect, pcs, id } = useServer();
  const joinedTheRoom = { command: 'notification', definition: 'joinedTheRoom' } as const;
  const join = async (c: AmsClient, room: string, extra: Record<string, unknown> = {}) =>
    c.request({ command: 'joinRoom', room, mainTrack: room, mode: 'legacy', ...extra }, joinedTheRoom);
  const publish = async (c: AmsClient, streamId: string, extra: Record<string, unknown> = {}) => {
    const { pc } = await publishDataOnly(c, streamId, extra);
    pcs.push(pc);
    return pc;
  };

  it('joinRoom without a streamId makes one and answers joinedTheRoom with every field', async () => {
    const c = await connect();
    const room = id('room');
    const f = await join(c, room);
    assert.equal(typeof f.streamId, 'string');
    assert.match(f.streamId as string, STREAM_ID_PATTERN);
    assert.notEqual(f.streamId, room);
    assert.deepEqual(f.streams, []);
    assert.deepEqual(f.streamList, []);
    assert.equal(f.ATTR_ROOM_NAME, room);
    assert.equal(f.room, room);
    assert.equal(f.maxTrackCount, -1);
    // Two joins without an id get two different ids.
    const g = await join(await connect(), room);
    assert.notEqual(g.streamId, f.streamId);
  });

  it('joinRoom keeps a given streamId, and the member publishes it through the normal path', async () => {
    const c = await connect();
    const room = id('room');
    const own = id('member');
    const f = await join(c, room, { streamId: own });
    assert.equal(f.streamId, own);
    await publish(c, own);
  });

  it("a member's publish_started names the room; a non-member's does not", async () => {
    const room = id('room');
    const c = await connect();
    const own = id('member');
    await join(c, room, { streamId: own });
    const started = async (client: AmsClient, streamId: string) => {
      const pc = new RTCPeerConnection({ iceServers: [], iceAdditionalHostAddresses: ['127.0.0.1'], bundlePolicy: 'max-bundle' });
      pcs.push(pc);
      pc.createDataChannel(streamId);
      await client.request({ command: 'publish', streamId, video: false, audio: false }, { command: 'start', streamId });
      await pc.setLocalDescription(await pc.createOffer());
      const answer = client.next({ command: 'takeConfiguration', streamId, type: 'answer' });
      client.send({ command: 'takeConfiguration', streamId, type: 'offer', sdp: pc.localDescription!.sdp });
      await pc.setRemoteDescription({ type: 'answer', sdp: (await answer).sdp as string });
      return client.next({ command: 'notification', definition: 'publish_started', streamId }, 10_000);
    };
    assert.deepEqual(await started(c, own), {
      command: 'notification',
      definition: 'publish_started',
      streamId: own,
      subscriberId: '',
      ATTR_ROOM_NAME: room,
      room,
    });
    const other = id('plain');
    assert.deepEqual(await started(c, other), { command: 'notification', definition: 'publish_started', streamId: other, subscriberId: '' });
  });

  it('lists in streams and streamList only the other members whose publish is live', async () => {
    const room = id('room');
    const ada = await connect();
    const bob = await connect();
    const cyd = await connect();
    const adaId = id('ada');
    await join(ada, room, { streamId: adaId, streamName: 'Ada', metadata: '{"mic":true}' });
    const bobJoin = await join(bob, room, { streamId: id('bob') });
    assert.deepEqual(bobJoin.streams, [], 'Ada joined but is not publishing yet');

    await publish(ada, adaId);
    const cydJoin = await join(cyd, room, { streamId: id('cyd') });
    assert.deepEqual(cydJoin.streams, [adaId]);
    assert.deepEqual(cydJoin.streamList, [{ streamId: adaId, streamName: 'Ada', metaData: '{"mic":true}' }]);

    // A publisher that is not a member is not listed, even with a room-like id.
    const outsider = await connect();
    await publish(outsider, id('outsider'));
    const info = await cyd.request({ command: 'getRoomInfo', room, streamId: cydJoin.streamId }, { command: 'roomInformation' });
    assert.deepEqual(info.streams, [adaId]);
  });

  it('getRoomInfo answers roomInformation without the asker, or no_active_streams_in_room', async () => {
    const room = id('room');
    const a = await connect();
    const b = await connect();
    const aId = id('a');
    const bId = id('b');
    await join(a, room, { streamId: aId });
    await join(b, room, { streamId: bId });

    const empty = await a.request({ command: 'getRoomInfo', room, streamId: aId }, { command: 'error' });
    assert.deepEqual(empty, { command: 'error', definition: 'no_active_streams_in_room', room });

    const pc = await publish(a, aId, { streamName: 'Alice' });
    const info = await b.request({ command: 'getRoomInfo', room, streamId: bId }, { command: 'roomInformation' });
    assert.deepEqual(info, {
      command: 'roomInformation',
      streams: [aId],
      streamList: [{ streamId: aId, streamName: 'Alice', metaData: null }],
      ATTR_ROOM_NAME: room,
      room,
    });
    // The asker's own stream is left out.
    const own = await a.request({ command: 'getRoomInfo', room, streamId: aId }, { command: 'error' });
    assert.equal(own.definition, 'no_active_streams_in_room');

    // Once the publish stops, the room has no live stream again.
    await a.request({ command: 'stop', streamId: aId }, { definition: 'publish_finished' });
    await pc.close();
    const after = await b.request({ command: 'getRoomInfo', room, streamId: bId }, { command: 'error' });
    assert.equal(after.definition, 'no_active_streams_in_room');
    assert.equal(after.room, room);
  });

  it('getRoomInfo of an unknown room answers no_active_streams_in_room', async () => {
    const c = await connect();
    const room = id('nobody');
    const f = await c.request({ command: 'getRoomInfo', room, streamId: 'x' }, { command: 'error' });
    assert.deepEqual(f, { command: 'error', definition: 'no_active_streams_in_room', room });
  });

  it('leaveFromRoom answers leavedFromRoom and drops the membership', async () => {
    const room = id('room');
    const a = await connect();
    const b = await connect();
    const aId = id('a');
    await join(a, room, { streamId: aId });
    await publish(a, aId);
    const bId = (await join(b, room)).streamId as string;
    assert.deepEqual((await b.request({ command: 'getRoomInfo', room, streamId: bId }, { command: 'roomInformation' })).streams, [aId]);

    const left = await a.request({ command: 'leaveFromRoom', room, mainTrack: room, streamId: aId }, { definition: 'leavedFromRoom' });
    assert.deepEqual(left, { command: 'notification', definition: 'leavedFromRoom', ATTR_ROOM_NAME: room, room });
    // Still publishing, but no longer a member: the room does not list it.
    const f = await b.request({ command: 'getRoomInfo', room, streamId: bId }, { command: 'error' });
    assert.equal(f.definition, 'no_active_streams_in_room');
    // The id is free to join again.
    assert.equal((await join(b, room, { streamId: aId })).streamId, aId);
  });

  it('leaveFromRoom without a streamId drops every membership of the socket in that room', async () => {
    const room = id('room');
    const a = await connect();
    const aId = id('a');
    await join(a, room, { streamId: aId });
    await a.request({ command: 'leaveFromRoom', room }, { definition: 'leavedFromRoom' });
    const other = await connect();
    assert.equal((await join(other, room, { streamId: aId })).streamId, aId);
  });

  it('refuses a stream id another socket holds in the room with streamIdInUse', async () => {
    const room = id('room');
    const a = await connect();
    const b = await connect();
    const taken = id('taken');
    await join(a, room, { streamId: taken });
    const f = await b.request({ command: 'joinRoom', room, streamId: taken }, { command: 'error' });
    assert.deepEqual(f, { command: 'error', definition: 'streamIdInUse', streamId: taken });
    // The same socket joining again is acknowledged.
    assert.equal((await join(a, room, { streamId: taken })).streamId, taken);
  });

  it('a socket that closes leaves its rooms', async () => {
    const room = id('room');
    const a = await connect();
    const aId = id('a');
    await join(a, room, { streamId: aId });
    a.close();
    await a.closed();
    // The server handles the close a moment after the client sees it: ask until the id is free
    // (each try awaits the server's answer).
    const b = await connect();
    const answerOf = (f: Frame) => (f.command === 'notification' && f.definition === 'joinedTheRoom') || f.command === 'error';
    const deadline = Date.now() + 5000;
    let answer: Frame;
    do {
      const reply = b.next(answerOf);
      b.send({ command: 'joinRoom', room, streamId: aId });
      answer = await reply;
    } while (answer.command === 'error' && answer.definition === 'streamIdInUse' && Date.now() < deadline);
    assert.equal(answer.definition, 'joinedTheRoom', JSON.stringify(answer));
    assert.equal(answer.streamId, aId);
  });

  it('answers room commands without a room with no_room_specified', async () => {
    const c = await connect();
    for (const command of ['joinRoom', 'getRoomInfo', 'leaveFromRoom']) {
      for (const frame of [{ command }, { command, streamId: 's1' }, { command, room: '', streamId: 's1' }, { command, room: 7 }]) {
        const f = await c.request(frame, { command: 'error' });
        assert.deepEqual(f, { command: 'error', definition: 'no_room_specified' }, JSON.stringify(frame));
      }
    }
  });

  it('answers a room name or stream id outside the pattern with invalidStreamName', async () => {
    const c = await connect();
    for (const command of ['joinRoom', 'getRoomInfo', 'leaveFromRoom']) {
      const f = await c.request({ command, room: 'bad room!' }, { command: 'error' });
      assert.equal(f.definition, 'invalidStreamName', command);
      assert.equal(f.room, 'bad room!');
    }
    const g = await c.request({ command: 'joinRoom', room: 'fine', streamId: 'bad/id' }, { command: 'error' });
    assert.deepEqual(g, { command: 'error', definition: 'invalidStreamName', streamId: 'bad/id' });
    // Nothing was joined by the refused frames.
    const h = await c.request({ command: 'getRoomInfo', room: 'fine' }, { command: 'error' });
    assert.equal(h.definition, 'no_active_streams_in_room');
  });
});
