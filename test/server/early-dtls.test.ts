// The relay's early-DTLS workaround (packages/server/src/relay/werift-workarounds.ts): DTLS
// datagrams that reach werift before its DTLS side starts are handed to it when it starts, DTLS
// starts once a pair is nominated, and a werift whose internals differ is left as it is.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RTCPeerConnection } from 'werift';
import { networkPolicy } from '../../packages/server/src/relay/network-policy.js';
import { answerAsDtlsServer, EARLY_DTLS_LIMIT, earlyDtlsStatus, startDtlsEarly } from '../../packages/server/src/relay/werift-workarounds.js';

/** The ICE agent behind a werift DTLS transport (internals the workaround also touches). */
interface Agent {
  onData: { subscribe(fn: (d: Buffer) => void): { unSubscribe(): void } };
  send(d: Buffer): Promise<void>;
}
const agentOf = (pc: RTCPeerConnection): Agent => (pc.dtlsTransports[0]!.iceTransport as unknown as { connection: Agent }).connection;
/** A DTLS record carrying a ClientHello: content type 22 (handshake), handshake type 1 at byte 13. */
const isClientHello = (d: Buffer): boolean => d[0] === 22 && d[13] === 1;
const connected = (pc: RTCPeerConnection): Promise<void> =>
  new Promise((resolve, reject) => {
    pc.connectionStateChange.subscribe((s) => (s === 'connected' ? resolve() : s === 'failed' ? reject(new Error('failed')) : undefined));
  });

describe('startDtlsEarly, werift to werift', () => {
  it('hands the client hello that came before the server started DTLS to its DTLS side', async () => {
    const config = networkPolicy(undefined).config;
    const server = new RTCPeerConnection(config);
    const client = new RTCPeerConnection(config);
    startDtlsEarly(server);
    try {
      server.createDataChannel('x');
      await server.setLocalDescription(await server.createOffer());
      await client.setRemoteDescription(server.localDescription!);
      await client.setLocalDescription(await client.createAnswer());
      const dtls = server.dtlsTransports[0]!;
      // The server answers only after the client's first hello has arrived (werift's late start).
      const arrived = new Promise<void>((resolve) => agentOf(server).onData.subscribe((d) => isClientHello(d) && resolve()));
      server.connectionStateChange.subscribe((s) => {
        if (s !== 'connecting') return;
        const ice = dtls.iceTransport as unknown as { start(): Promise<void> };
        const start = ice.start;
        ice.start = () => Promise.all([start.call(ice), arrived]).then(() => undefined);
      });
      // Every client hello the client sends: the first, the one with the server's cookie, and any
      // retransmission (what a lost first hello costs).
      const agent = agentOf(client);
      const send = agent.send.bind(agent);
      let hellos = 0;
      agent.send = (d) => {
        if (isClientHello(d)) hellos++;
        return send(d);
      };
      const up = Promise.all([connected(server), connected(client)]);
      await server.setRemoteDescription(client.localDescription!);
      await up;
      assert.equal(dtls.state, 'connected');
      assert.equal(hellos, 2, 'the first hello was answered, not its retransmission');
      assert.deepEqual(earlyDtlsStatus(dtls), { keepsEarlyPackets: true, startsAtNomination: true });
    } finally {
      await Promise.all([server.close(), client.close()]);
    }
  });
});

describe('answerAsDtlsServer', () => {
  it("makes werift answer an actpass offer passive (werift's own answer is active) and come up as the DTLS server", async () => {
    const config = networkPolicy(undefined).config;
    const offerer = new RTCPeerConnection(config);
    const plain = new RTCPeerConnection(config);
    const answerer = new RTCPeerConnection(config);
    startDtlsEarly(answerer);
    try {
      offerer.createDataChannel('x');
      await offerer.setLocalDescription(await offerer.createOffer());
      assert.match(offerer.localDescription!.sdp, /^a=setup:actpass\r?$/m);
      await plain.setRemoteDescription(offerer.localDescription!);
      assert.match((await plain.createAnswer()).sdp, /^a=setup:active\r?$/m, "werift's own answer: it would be the DTLS client");
      await answerer.setRemoteDescription(offerer.localDescription!);
      answerAsDtlsServer(answerer);
      await answerer.setLocalDescription(await answerer.createAnswer());
      assert.match(answerer.localDescription!.sdp, /^a=setup:passive\r?$/m);
      const up = Promise.all([connected(offerer), connected(answerer)]);
      await offerer.setRemoteDescription(answerer.localDescription!);
      await up;
      assert.equal(answerer.dtlsTransports[0]!.role, 'server');
      assert.equal(offerer.dtlsTransports[0]!.role, 'client');
    } finally {
      await Promise.all([offerer.close(), plain.close(), answerer.close()]);
    }
  });
});

/** A stand-in for werift's DTLS transport, with as much of its internals as `parts` gives. */
function fakeTransport(parts: { onData?: boolean; checkComplete?: boolean } = {}) {
  const listeners = new Set<(d: Buffer) => void>();
  const delivered: Buffer[] = [];
  const agent: Record<string, unknown> = { consentFresh: false, nominated: undefined };
  if (parts.onData !== false) {
    agent.onData = {
      subscribe(fn: (d: Buffer) => void) {
        listeners.add(fn);
        return { unSubscribe: () => listeners.delete(fn) };
      },
    };
  }
  let finishIce: () => void = () => undefined;
  if (parts.checkComplete !== false) agent.checkComplete = () => undefined;
  const transport = {
    state: 'new',
    dtls: undefined as unknown,
    iceTransport: { connection: agent, start: () => new Promise<void>((r) => (finishIce = r)) },
    start(this: { dtls: unknown }) {
      this.dtls = { transport: { socket: { onData: (d: Buffer) => delivered.push(d) } } };
      return Promise.resolve();
    },
  };
  const pc = {
    dtlsTransports: [transport],
    async connect() {
      await transport.iceTransport.start();
      await transport.start();
    },
  };
  const emit = (d: Buffer): void => {
    for (const fn of [...listeners]) fn(d);
  };
  return { pc, transport, agent, delivered, emit, finishIce: () => finishIce(), listeners };
}

describe('startDtlsEarly, internals', () => {
  it('keeps DTLS datagrams only (up to the limit), hands them over in order, then stops listening', async () => {
    const f = fakeTransport({ checkComplete: false });
    startDtlsEarly(f.pc as unknown as RTCPeerConnection);
    const connecting = f.pc.connect();
    f.emit(Buffer.from([0x00, 0x01])); // STUN
    f.emit(Buffer.from([0x80, 0x60])); // RTP
    for (let i = 0; i < EARLY_DTLS_LIMIT + 3; i++) f.emit(Buffer.from([22, i]));
    f.finishIce();
    await connecting;
    assert.deepEqual(
      f.delivered.map((d) => d[1]),
      Array.from({ length: EARLY_DTLS_LIMIT }, (_, i) => i),
    );
    assert.equal(f.listeners.size, 0);
    assert.deepEqual(earlyDtlsStatus(f.transport), { keepsEarlyPackets: true, startsAtNomination: false });
  });

  it('goes on to DTLS once a pair is nominated, before the ICE agent ends, with consent marked fresh', async () => {
    const f = fakeTransport();
    startDtlsEarly(f.pc as unknown as RTCPeerConnection);
    const connecting = f.pc.connect();
    const checkComplete = f.agent.checkComplete as (pair: unknown) => void;
    checkComplete.call(f.agent, {});
    await Promise.resolve();
    assert.equal(f.transport.dtls, undefined, 'nothing nominated yet');
    f.agent.nominated = {};
    checkComplete.call(f.agent, {});
    await connecting;
    assert.notEqual(f.transport.dtls, undefined);
    assert.equal(f.agent.consentFresh, true);
  });

  it('leaves a werift without those internals as it is', async () => {
    const f = fakeTransport({ onData: false, checkComplete: false });
    const start = f.transport.start;
    startDtlsEarly(f.pc as unknown as RTCPeerConnection);
    const connecting = f.pc.connect();
    assert.equal(f.transport.start, start);
    f.finishIce();
    await connecting;
    assert.deepEqual(earlyDtlsStatus(f.transport), { keepsEarlyPackets: false, startsAtNomination: false });
    // No connect method at all: nothing to wrap, nothing thrown.
    assert.doesNotThrow(() => startDtlsEarly({} as RTCPeerConnection));
  });
});
