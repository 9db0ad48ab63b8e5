import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RTCPeerConnection } from 'werift';
import { AmsClient, playDataOnly, publishDataOnly, startServer, wsUrl, type Frame, useServer } from '../helpers/server.js';

describe('multitrack conference (rooms as main tracks)', () => {
  const { connect, clients, pcs, id } = useServer();
  const join = async (room: string, participant: string, extra: Record<string, unknown> = {}) => {
    const c = await connect();
    const { pc, channel } = await publishDataOnly(c, participant, { mainTrack: room, ...extra });
    pcs.push(pc);
    return { c, pc, channel };
  };
  const broadcast = async (c: AmsClient, streamId: string) => {
    const f = await c.request({ command: 'getBroadcastObject', streamId }, { command: 'notification', definition: 'broadcastObject', streamId });
    return JSON.parse(f.broadcast as string) as Record<string, unknown>;
  };
  /** Answers every later offer on a werift room player (renegotiation). */
  const answerRenegotiations = (c: AmsClient, pc: RTCPeerConnection, room: string, offers: Frame[]) => {
    const state = { done: false };
    const loop = async () => {
      while (!state.done) {
        const offer = await c.next({ command: 'takeConfiguration', streamId: room, type: 'offer' }, 300).catch(() => undefined);
        if (!offer) continue;
        offers.push(offer);
        await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp as string });
        await pc.setLocalDescription(await pc.createAnswer());
        c.send({ command: 'takeConfiguration', streamId: room, type: 'answer', sdp: pc.localDescription!.sdp });
      }
    };
    void loop();
    return state;
  };

  it('a publish with mainTrack makes the room a main track listing its live subtracks', async () => {
    const room = id('room');
    const a = id('a');
    const b = id('b');
    const { c } = await join(room, a, { streamName: 'Ada' });
    await join(room, b);
    const main = await broadcast(c, room);
    assert.equal(main.streamId, room);
    assert.deepEqual(main.subTrackStreamIds, [a, b]);
    assert.equal(main.status, 'broadcasting');
    const sub = await broadcast(c, a);
    assert.equal(sub.mainTrackStreamId, room);
    assert.equal(sub.name, 'Ada');
    const count = await c.request({ command: 'getSubtracksCount', streamId: room }, { command: 'notification', definition: 'subtrackCount' });
    assert.deepEqual(count, { command: 'notification', definition: 'subtrackCount', streamId: room, count: 2 });
    const list = await c.request({ command: 'getSubtracks', streamId: room, offset: 1, size: 5 }, { command: 'notification', definition: 'subtrackList' });
    assert.equal(list.streamId, room);
    const entries = list.subtrackList as string[];
    assert.equal(entries.length, 1);
    assert.equal(typeof entries[0], 'string');
    assert.equal((JSON.parse(entries[0]!) as { streamId: string }).streamId, b);
  });

  it('updateStreamMetaData updates the Broadcast', async () => {
    const room = id('room');
    const a = id('a');
    const { c } = await join(room, a);
    c.send({ command: 'updateStreamMetaData', streamId: a, metaData: '{"mic":false}' });
    assert.equal((await broadcast(c, a)).metaData, '{"mic":false}');
  });

  it('refuses a subtrack of an unregistered room when only registered streams are accepted', async () => {
    const strict = await startServer({ apps: { LiveApp: { acceptOnlyStreamsInDataStore: true, streams: ['sub1'] } } });
    try {
      const c = await AmsClient.connect(wsUrl(strict));
      clients.push(c);
      const f = await c.request({ command: 'publish', streamId: 'sub1', mainTrack: 'roomX', video: false, audio: false }, { command: 'error' });
      assert.equal(f.definition, 'not_allowed_unregistered_streams');
    } finally {
      await strict.close();
    }
  });

  it('players of the room get subtrackAdded / subtrackRemoved, a renegotiation offer, and the data of the others', async () => {
    const room = id('room');
    const a = id('a');
    const b = id('b');
    const pa = await join(room, a);
    const viewer = await connect();
    const { pc, offer, channel } = await playDataOnly(viewer, room, { userPublishId: 'nobody' });
    pcs.push(pc);
    assert.deepEqual(offer.idMapping, {}, 'a data-only participant has no m-lines');
    const offers: Frame[] = [];
    const renegotiating = answerRenegotiations(viewer, pc, room, offers);
    const pb = await join(room, b);
    const added = await viewer.next({ command: 'notification', definition: 'subtrackAdded' });
    assert.deepEqual(added, { command: 'notification', definition: 'subtrackAdded', trackId: b, mainTrack: room, streamId: room });
    // Data of a participant reaches the room player.
    const roomChannel = await channel;
    const got = new Promise<string>((resolve) => roomChannel.onMessage.subscribe((m) => resolve(String(m))));
    await new Promise((r) => setTimeout(r, 300));
    pb.channel.send('hello room');
    assert.equal(await got, 'hello room');
    void pa;
    viewer.frames.length = 0;
    pb.c.send({ command: 'stop', streamId: b });
    const removed = await viewer.next({ command: 'notification', definition: 'subtrackRemoved' });
    assert.deepEqual(removed, { command: 'notification', definition: 'subtrackRemoved', trackId: b, mainTrack: room, streamId: room });
    assert.deepEqual((await broadcast(viewer, room)).subTrackStreamIds, [a]);
    renegotiating.done = true;
  });

  it('a room whose first participant is not live yet plays with only the data channel; an unknown room does not', async () => {
    const room = id('room');
    const a = id('a');
    const pub = await connect();
    await pub.request({ command: 'publish', streamId: a, mainTrack: room, video: false, audio: false }, { command: 'start', streamId: a });
    const viewer = await connect();
    const { pc, offer } = await playDataOnly(viewer, room);
    pcs.push(pc);
    assert.deepEqual(offer.idMapping, {});
    assert.match(offer.sdp as string, /^m=application /m);
    assert.doesNotMatch(offer.sdp as string, /^m=(audio|video) /m);
    const unknown = await viewer.request({ command: 'play', streamId: id('nowhere') }, { command: 'error' });
    assert.equal(unknown.definition, 'no_stream_exist');
    // Once nobody plays it and its only publish stopped, the room is gone.
    await pub.request({ command: 'stop', streamId: a }, { command: 'notification', definition: 'publish_finished', streamId: a });
    viewer.send({ command: 'stop', streamId: room });
    await viewer.next({ command: 'notification', definition: 'play_finished', streamId: room });
    const gone = await viewer.request({ command: 'play', streamId: room }, { command: 'error' });
    assert.equal(gone.definition, 'no_stream_exist');
  });

  it('a participant playing the room with userPublishId gets no subtrackAdded for itself', async () => {
    const room = id('room');
    const a = id('a');
    const pa = await join(room, a);
    const { pc } = await playDataOnly(pa.c, room, { userPublishId: a });
    pcs.push(pc);
    const b = id('b');
    await join(room, b);
    const added = await pa.c.next({ command: 'notification', definition: 'subtrackAdded' });
    assert.equal(added.trackId, b);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(pa.c.frames.filter((f) => f.definition === 'subtrackAdded' && f.trackId === a).length, 0);
  });

  it('has no slot assignment commands: they get unknown_command (README, known limits)', async () => {
    const room = id('room');
    const { c } = await join(room, id('a'));
    for (const command of ['getVideoTrackAssignmentsCommand', 'assignVideoTrackCommand', 'updateVideoTrackAssignmentsCommand']) {
      const answer = await c.request(
        { command, streamId: room, videoTrackId: 'videoTrack0', enabled: true, offset: 0, size: 4, maxTrackCount: 2 },
        { command: 'error' },
      );
      assert.equal(answer.definition, 'unknown_command', command);
      assert.equal(answer.unknownCommand, command);
    }
  });
});
