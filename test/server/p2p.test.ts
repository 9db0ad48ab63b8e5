import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RTCPeerConnection, type RTCDataChannel } from 'werift';
import { AmsClient, publishDataOnly, type Frame, useServer } from '../helpers/server.js';

const PC_CONFIG = { iceServers: [], iceAdditionalHostAddresses: ['127.0.0.1'], bundlePolicy: 'max-bundle' as const };

describe('peer-to-peer relay (join / leave / peerMessageCommand)', () => {
  const { connect, pcs, id: uid } = useServer();
  const id = (prefix = 'p2p') => uid(prefix);
  const joined = (streamId: string) => ({ command: 'notification', definition: 'joined', streamId });
  const join = (c: AmsClient, streamId: string) => c.request({ command: 'join', streamId, multiPeer: false, mode: 'both' }, joined(streamId));
  /** Two sockets joined to one id; the first has received `start`. */
  const pair = async (streamId: string) => {
    const a = await connect();
    const b = await connect();
    await join(a, streamId);
    const start = a.next({ command: 'start', streamId });
    await join(b, streamId);
    await start;
    return { a, b };
  };
  /** Resolves once every frame the server sent `c` before now has arrived. */
  const barrier = (c: AmsClient) => c.request({ command: 'ping' }, { command: 'pong' });

  it('join answers joined; the second joiner makes the server send start to the first', async () => {
    const streamId = id();
    const a = await connect();
    const b = await connect();
    const ack = await join(a, streamId);
    assert.deepEqual(ack, { command: 'notification', definition: 'joined', streamId });
    await barrier(a);
    assert.equal(a.frames.filter((f) => f.command === 'start').length, 0, 'no start while alone');

    const start = a.next({ command: 'start' });
    assert.deepEqual(await join(b, streamId), { command: 'notification', definition: 'joined', streamId });
    assert.deepEqual(await start, { command: 'start', streamId });
    await barrier(b);
    assert.equal(b.frames.filter((f) => f.command === 'start').length, 0, 'the second peer gets no start');
  });

  it('two werift peers connect through the relay: offer, answer and candidates cross, and a data channel carries a message', async () => {
    const streamId = id();
    const a = await connect();
    const b = await connect();
    const pcA = new RTCPeerConnection(PC_CONFIG);
    const pcB = new RTCPeerConnection(PC_CONFIG);
    pcs.push(pcA, pcB);
    // Trickled candidates go through the relay too (label a number, as AMS wants).
    const trickle = (pc: RTCPeerConnection, c: AmsClient) =>
      pc.onIceCandidate.subscribe((cand) => {
        if (!cand?.candidate) return;
        c.send({ command: 'takeCandidate', streamId, label: cand.sdpMLineIndex ?? 0, id: cand.sdpMid ?? '0', candidate: cand.candidate });
      });
    trickle(pcA, a);
    trickle(pcB, b);
    // Candidates relayed by the server are applied on the other side (those that come before
    // the remote description are dropped: the SDP carries werift's gathered candidates too).
    const applyRelayed = (c: AmsClient, pc: RTCPeerConnection) =>
      c.ws.on('message', (data) => {
        const f = JSON.parse(String(data)) as Frame;
        if (f.command !== 'takeCandidate' || f.streamId !== streamId || !pc.remoteDescription) return;
        void pc.addIceCandidate({ candidate: f.candidate as string, sdpMLineIndex: f.label as number, sdpMid: f.id as string }).catch(() => undefined);
      });
    applyRelayed(a, pcA);
    applyRelayed(b, pcB);
    const channelA: RTCDataChannel = pcA.createDataChannel(streamId, { ordered: true });
    const channelB = new Promise<RTCDataChannel>((resolve) => pcB.onDataChannel.subscribe((ch) => resolve(ch)));

    await join(a, streamId);
    const start = a.next({ command: 'start', streamId });
    await join(b, streamId);
    await start;

    // A (told to start) offers, as the SDK does for publish.
    await pcA.setLocalDescription(await pcA.createOffer());
    const offerAtB = b.next({ command: 'takeConfiguration', streamId, type: 'offer' });
    const sentOffer = { command: 'takeConfiguration', streamId, type: 'offer', sdp: pcA.localDescription!.sdp };
    a.send(sentOffer);
    assert.deepEqual(await offerAtB, sentOffer, 'the offer is relayed unchanged');

    await pcB.setRemoteDescription({ type: 'offer', sdp: sentOffer.sdp });
    await pcB.setLocalDescription(await pcB.createAnswer());
    const answerAtA = a.next({ command: 'takeConfiguration', streamId, type: 'answer' });
    const sentAnswer = { command: 'takeConfiguration', streamId, type: 'answer', sdp: pcB.localDescription!.sdp };
    b.send(sentAnswer);
    assert.deepEqual(await answerAtA, sentAnswer, 'the answer is relayed unchanged');
    await pcA.setRemoteDescription({ type: 'answer', sdp: sentAnswer.sdp });

    const received = new Promise<string>(
      (resolve) => void channelB.then((ch) => ch.onMessage.subscribe((m) => resolve(typeof m === 'string' ? m : m.toString('utf8')))),
    );
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the data channel did not open within 10 s')), 10_000);
      channelA.stateChanged.subscribe((state) => {
        if (state === 'open') {
          clearTimeout(timer);
          resolve();
        }
      });
      if (channelA.readyState === 'open') {
        clearTimeout(timer);
        resolve();
      }
    });
    channelA.send('hello over p2p');
    assert.equal(await received, 'hello over p2p');
    assert.equal((await channelB).label, streamId);
  });

  it('relays takeCandidate and peerMessageCommand frames unchanged, both ways', async () => {
    const streamId = id();
    const { a, b } = await pair(streamId);
    const candidate = { command: 'takeCandidate', streamId, label: 0, id: '0', candidate: 'candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host' };
    const atB = b.next({ command: 'takeCandidate', streamId });
    a.send(candidate);
    assert.deepEqual(await atB, candidate);

    const message = { command: 'peerMessageCommand', streamId, definition: 'chat', data: '{"text":"<b>hi</b>"}' };
    const atA = a.next({ command: 'peerMessageCommand', streamId });
    b.send(message);
    assert.deepEqual(await atA, message);
    const back = { ...message, data: 'pong' };
    const atB2 = b.next({ command: 'peerMessageCommand', streamId });
    a.send(back);
    assert.deepEqual(await atB2, back);
  });

  it('answers relays with no other peer present with no_peer_associated_before', async () => {
    const streamId = id();
    const a = await connect();
    await join(a, streamId);
    for (const frame of [
      { command: 'takeConfiguration', streamId, type: 'offer', sdp: 'v=0' },
      { command: 'takeCandidate', streamId, label: 0, id: '0', candidate: 'candidate:x' },
      { command: 'peerMessageCommand', streamId, definition: 'd', data: 'x' },
    ]) {
      const f = await a.request(frame, { command: 'error' });
      assert.deepEqual(f, { command: 'error', definition: 'no_peer_associated_before' }, frame.command);
    }
    // peerMessageCommand for an id this socket never joined: no peer either.
    const other = await connect();
    const f = await other.request({ command: 'peerMessageCommand', streamId, definition: 'd', data: 'x' }, { command: 'error' });
    assert.equal(f.definition, 'no_peer_associated_before');
    await barrier(a);
    assert.equal(a.frames.filter((x) => x.command === 'peerMessageCommand').length, 0, 'a non-member cannot message a peer');
  });

  it('answers leave of an id the socket never joined with no_peer_associated_before', async () => {
    const c = await connect();
    const f = await c.request({ command: 'leave', streamId: id() }, { command: 'error' });
    assert.deepEqual(f, { command: 'error', definition: 'no_peer_associated_before' });
  });

  it('leave answers leaved and sends stop to the other peer, who can be paired again', async () => {
    const streamId = id();
    const { a, b } = await pair(streamId);
    const stop = a.next({ command: 'stop' });
    const left = await b.request({ command: 'leave', streamId }, { definition: 'leaved' });
    assert.deepEqual(left, { command: 'notification', definition: 'leaved', streamId });
    assert.deepEqual(await stop, { command: 'stop', streamId });

    // B is out: its relays are refused, and A is alone.
    const e1 = await b.request({ command: 'peerMessageCommand', streamId, definition: 'd', data: 'x' }, { command: 'error' });
    assert.equal(e1.definition, 'no_peer_associated_before');
    const e2 = await a.request({ command: 'peerMessageCommand', streamId, definition: 'd', data: 'x' }, { command: 'error' });
    assert.equal(e2.definition, 'no_peer_associated_before');
    await barrier(b);
    assert.equal(b.frames.filter((f) => f.command === 'stop').length, 0, 'the leaver gets no stop');

    // A new peer makes the remaining one start again.
    const c = await connect();
    const start = a.next({ command: 'start', streamId });
    await join(c, streamId);
    assert.deepEqual(await start, { command: 'start', streamId });
    const msg = { command: 'peerMessageCommand', streamId, definition: 'd', data: 'again' };
    const atC = c.next({ command: 'peerMessageCommand' });
    a.send(msg);
    assert.deepEqual(await atC, msg);
  });

  it('a socket that closes leaves: the other peer gets stop', async () => {
    const streamId = id();
    const { a, b } = await pair(streamId);
    const stop = a.next({ command: 'stop' });
    b.close();
    assert.deepEqual(await stop, { command: 'stop', streamId });
    const e = await a.request({ command: 'peerMessageCommand', streamId, definition: 'd', data: 'x' }, { command: 'error' });
    assert.equal(e.definition, 'no_peer_associated_before');
  });

  it('refuses a third peer with streamIdInUse and leaves the pair alone', async () => {
    const streamId = id();
    const { a, b } = await pair(streamId);
    const c = await connect();
    const f = await c.request({ command: 'join', streamId }, { command: 'error' });
    assert.deepEqual(f, { command: 'error', definition: 'streamIdInUse', streamId });
    const msg = { command: 'peerMessageCommand', streamId, definition: 'd', data: 'still paired' };
    const atB = b.next({ command: 'peerMessageCommand' });
    a.send(msg);
    assert.deepEqual(await atB, msg);
    const e = await c.request({ command: 'peerMessageCommand', streamId, definition: 'd', data: 'x' }, { command: 'error' });
    assert.equal(e.definition, 'no_peer_associated_before');
    await barrier(a);
    await barrier(b);
    for (const x of [a, b]) assert.equal(x.frames.filter((fr) => fr.command === 'start' || fr.command === 'stop').length, 0);
  });

  it('a joined peer joining again is acknowledged without a second start', async () => {
    const streamId = id();
    const { a, b } = await pair(streamId);
    assert.deepEqual(await join(b, streamId), { command: 'notification', definition: 'joined', streamId });
    await barrier(a);
    assert.equal(a.frames.filter((f) => f.command === 'start').length, 0);
  });

  it('join and leave need a valid streamId', async () => {
    const c = await connect();
    for (const command of ['join', 'leave', 'peerMessageCommand']) {
      assert.equal((await c.request({ command }, { command: 'error' })).definition, 'noStreamNameSpecified', command);
      const f = await c.request({ command, streamId: 'no spaces' }, { command: 'error' });
      assert.deepEqual(f, { command: 'error', definition: 'invalidStreamName', streamId: 'no spaces' }, command);
    }
  });

  it('keeps SDP and candidates of a publish id with the publish session on a socket that also joined P2P', async () => {
    const p2pId = id();
    const { a, b } = await pair(p2pId);
    // A publishes another id on the same socket: its offer reaches the server, not the P2P peer.
    const { pc } = await publishDataOnly(a, id('pub'));
    pcs.push(pc);
    await barrier(b);
    assert.equal(b.frames.filter((f) => f.command === 'takeConfiguration').length, 0, 'the publish offer was not relayed');
  });

  it('does not relay SDP from a socket that did not join the P2P id', async () => {
    const streamId = id();
    const { a, b } = await pair(streamId);
    const outsider = await connect();
    outsider.send({ command: 'takeConfiguration', streamId, type: 'offer', sdp: 'v=0' });
    outsider.send({ command: 'takeCandidate', streamId, label: 0, id: '0', candidate: 'candidate:x' });
    // The outsider's frames are handled before its pong is sent; anything relayed to A or B
    // would be on their sockets before their own pongs.
    await barrier(outsider);
    await barrier(a);
    await barrier(b);
    for (const x of [a, b]) {
      assert.equal(x.frames.filter((f) => f.command === 'takeConfiguration' || f.command === 'takeCandidate').length, 0);
    }
    assert.equal(outsider.frames.filter((f) => f.command === 'error').length, 0, 'AMS ignores SDP for no session of this socket');
  });
});
