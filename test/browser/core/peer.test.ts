// Peer: the peer-connection plumbing the sessions share, against a scripted RTCPeerConnection:
// candidates queued until the remote description, ICE grace period, ICE restart, close.
import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { ICE_GRACE_MS, MAX_QUEUED_CANDIDATES, Peer, type PeerHandlers } from '../../../src/core/session/peer.js';

/** The part of RTCPeerConnection a Peer touches, scripted. */
class FakePc extends EventTarget {
  iceConnectionState: RTCIceConnectionState = 'new';
  onicecandidate: ((e: { candidate: Partial<RTCIceCandidate> | null }) => void) | null = null;
  oniceconnectionstatechange: (() => void) | null = null;
  ondatachannel: ((e: { channel: unknown }) => void) | null = null;
  ontrack: ((e: unknown) => void) | null = null;
  readonly log: string[] = [];
  readonly added: RTCIceCandidateInit[] = [];
  closed = false;
  constructor(readonly config: RTCConfiguration) {
    super();
  }
  async setRemoteDescription(d: RTCSessionDescriptionInit) {
    this.log.push(`remote ${d.type}`);
  }
  async addIceCandidate(c: RTCIceCandidateInit) {
    this.log.push(`candidate ${c.candidate}`);
    this.added.push(c);
  }
  async createOffer(o?: RTCOfferOptions) {
    this.log.push(`createOffer ${JSON.stringify(o ?? null)}`);
    return { type: 'offer' as const, sdp: 'v=0 offer' };
  }
  async createAnswer() {
    return { type: 'answer' as const, sdp: 'v=0 answer' };
  }
  async setLocalDescription(d: RTCSessionDescriptionInit) {
    this.log.push(`local ${d.type}`);
  }
  restartIce() {
    this.log.push('restartIce');
  }
  close() {
    this.closed = true;
  }
  ice(state: RTCIceConnectionState) {
    this.iceConnectionState = state;
    this.oniceconnectionstatechange?.();
  }
}

function setup() {
  let pc!: FakePc;
  const calls: string[] = [];
  const handlers: PeerHandlers = {
    candidate: (c) => calls.push(`candidate ${c.candidate}`),
    state: (s) => calls.push(`state ${s}`),
    connected: () => calls.push('connected'),
    lost: () => calls.push('lost'),
    channel: () => calls.push('channel'),
  };
  const peer = new Peer({ iceServers: [], bundlePolicy: 'max-bundle' }, handlers, (config) => (pc = new FakePc(config)) as unknown as RTCPeerConnection);
  return { peer, pc, calls };
}

describe('Peer', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers();
  });
  afterEach(() => clock.restore());

  it('makes the connection through the factory with the config given', () => {
    const { pc } = setup();
    expect(pc.config).to.deep.equal({ iceServers: [], bundlePolicy: 'max-bundle' });
  });

  it('queues remote candidates until the remote description is set, then adds them in order; later ones at once', async () => {
    const { peer, pc } = setup();
    peer.addCandidate({ candidate: 'a', sdpMLineIndex: 0 });
    peer.addCandidate({ candidate: 'b', sdpMLineIndex: 0 });
    expect(pc.added).to.have.length(0);
    await peer.setRemote({ type: 'answer', sdp: 'x' });
    expect(pc.log).to.deep.equal(['remote answer', 'candidate a', 'candidate b']);
    peer.addCandidate({ candidate: 'c', sdpMLineIndex: 0 });
    await clock.tickAsync(0);
    expect(pc.added.map((c) => c.candidate)).to.deep.equal(['a', 'b', 'c']);
  });

  it(`keeps at most ${MAX_QUEUED_CANDIDATES} candidates that come before the remote description (a hostile server's flood), the first ones`, async () => {
    const { peer, pc } = setup();
    for (let i = 0; i < 10_000; i++) peer.addCandidate({ candidate: `c${i}`, sdpMLineIndex: 0 });
    await peer.setRemote({ type: 'answer', sdp: 'x' });
    expect(pc.added.map((c) => c.candidate)).to.deep.equal(Array.from({ length: MAX_QUEUED_CANDIDATES }, (_, i) => `c${i}`));
  });

  it('hands out local candidates, never the empty end-of-candidates one', () => {
    const { pc, calls } = setup();
    pc.onicecandidate!({ candidate: { candidate: 'x' } });
    pc.onicecandidate!({ candidate: { candidate: '' } });
    pc.onicecandidate!({ candidate: null });
    expect(calls).to.deep.equal(['candidate x']);
  });

  it('ICE disconnected: lost only after the grace period, and not if it reconnects; failed: lost at once', async () => {
    const { pc, calls } = setup();
    pc.ice('connected');
    pc.ice('disconnected');
    await clock.tickAsync(ICE_GRACE_MS - 1);
    expect(calls).to.deep.equal(['state connected', 'connected', 'state disconnected']);
    pc.ice('connected');
    await clock.tickAsync(ICE_GRACE_MS);
    expect(calls.filter((c) => c === 'lost')).to.have.length(0);
    pc.ice('disconnected');
    await clock.tickAsync(ICE_GRACE_MS);
    expect(calls.at(-1)).to.equal('lost');
    pc.ice('failed');
    expect(calls.slice(-2)).to.deep.equal(['state failed', 'lost']);
  });

  it('offers, answers and restarts ICE with a new offer set locally', async () => {
    const { peer, pc } = setup();
    expect(await peer.offer()).to.equal('v=0 offer');
    expect(await peer.answer()).to.equal('v=0 answer');
    expect(await peer.offer(true)).to.equal('v=0 offer');
    expect(pc.log).to.deep.equal(['createOffer null', 'local offer', 'local answer', 'restartIce', 'createOffer {"iceRestart":true}', 'local offer']);
  });

  it('hands the answer out as soon as it is made, before it is set locally', async () => {
    const { peer, pc } = setup();
    let handed = '';
    const answered = peer.answer((sdp) => {
      handed = sdp;
      pc.log.push('handed out');
    });
    expect(await answered).to.equal('v=0 answer');
    expect(handed).to.equal('v=0 answer');
    expect(pc.log).to.deep.equal(['handed out', 'local answer']);
  });

  it('close: the connection closes, the grace timer dies and no handler is left on it', async () => {
    const { peer, pc, calls } = setup();
    pc.ice('disconnected');
    peer.close();
    await clock.tickAsync(ICE_GRACE_MS * 2);
    expect(pc.closed).to.equal(true);
    expect(calls).to.deep.equal(['state disconnected']);
    expect([pc.onicecandidate, pc.oniceconnectionstatechange, pc.ondatachannel, pc.ontrack]).to.deep.equal([null, null, null, null]);
  });
});
