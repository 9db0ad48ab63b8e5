// The client bugs the hostile server (test/browser/integration/hostile-server.test.ts) found, each
// against a scripted socket (FakeServer): frames a real AMS never sends, which threw in a listener
// (an uncaught error on the page) or gave a participant a function for a name.
import { expect } from '@open-wc/testing';
import type { RtcError } from '../../../src/core/errors.js';
import { LegacyRoom } from '../../../src/core/session/legacy-room.js';
import { P2PSession } from '../../../src/core/session/p2p-session.js';
import { PublishSession } from '../../../src/core/session/publish-session.js';
import { iceServersFromConfig } from '../../../src/core/session/session.js';
import { poll } from '../../helpers/ams-client.js';
import { FakeServer } from '../../helpers/fake-transport.js';

const URL = 'ws://127.0.0.1:1/LiveApp/websocket';

/** Collects what the page would see as uncaught (a throwing listener goes to reportError). */
function uncaught(): { errors: unknown[]; stop(): void } {
  const errors: unknown[] = [];
  const on = (e: ErrorEvent): void => {
    errors.push(e.error ?? e.message);
    e.preventDefault();
  };
  window.addEventListener('error', on);
  return { errors, stop: () => window.removeEventListener('error', on) };
}

describe('frames from a hostile server', () => {
  it('iceServerConfig with an object for a TURN username or credential: no throw, the fields read as empty', () => {
    // An object of its own toString/valueOf makes String() throw "Cannot convert object to primitive value".
    const evil = JSON.parse('{"toString":1,"valueOf":2}') as string;
    const servers = iceServersFromConfig({
      command: 'iceServerConfig',
      stunServerUri: 'turn:127.0.0.1:3478',
      turnServerUsername: evil,
      turnServerCredential: evil,
    });
    expect(servers).to.deep.equal([{ urls: 'turn:127.0.0.1:3478', username: '', credential: '' }]);
  });

  it('a legacy room lists members named like Object.prototype members: each is named by its id, not by a function', async () => {
    const server = new FakeServer();
    const room = new LegacyRoom({ url: URL, createTransport: server.create });
    const added: Array<{ streamId: string; name: unknown }> = [];
    room.on('added', (a) => added.push(a));
    try {
      const joined = room.join({ room: 'r1', streamId: 'me' });
      server.transports[0]!.open();
      server.transports[0]!.receive({
        command: 'notification',
        definition: 'joinedTheRoom',
        streamId: 'me',
        room: 'r1',
        streams: ['constructor', 'toString', '__proto__'],
      });
      await joined;
      expect(added).to.deep.equal([
        { streamId: 'constructor', name: 'constructor' },
        { streamId: 'toString', name: 'toString' },
        { streamId: '__proto__', name: '__proto__' },
      ]);
    } finally {
      room.dispose();
    }
  });

  it('a second start while negotiating is ignored: one peer connection, one offer', async () => {
    const server = new FakeServer();
    let made = 0;
    const s = new PublishSession({
      url: URL,
      createTransport: server.create,
      createPeerConnection: (c) => (made++, new RTCPeerConnection(c)),
    });
    try {
      void s.start({ streamId: 'pub1', stream: new MediaStream() }).catch(() => undefined);
      const t = server.transports[0]!;
      t.open();
      await poll(() => t.commands.some((f) => f.command === 'publish'), 2000, 'publish');
      t.receive({ command: 'start', streamId: 'pub1' });
      await poll(() => s.state === 'negotiating', 5000, 'negotiating');
      t.receive({ command: 'start', streamId: 'pub1' });
      t.receive({ command: 'start', streamId: 'pub1' });
      await new Promise((r) => setTimeout(r, 200));
      expect(made).to.equal(1);
      expect(t.commands.filter((f) => f.command === 'takeConfiguration')).to.have.length(1);
      expect(s.state).to.equal('negotiating');
    } finally {
      s.dispose();
    }
  });

  describe('p2p start', () => {
    const joinP2P = (createPeerConnection?: (c: RTCConfiguration) => RTCPeerConnection) => {
      const server = new FakeServer();
      const s = new P2PSession({ url: URL, createTransport: server.create, createPeerConnection });
      const errors: RtcError[] = [];
      s.on('error', (e) => errors.push(e));
      void s.start({ streamId: 'p2p1', stream: new MediaStream() }).catch(() => undefined);
      const t = server.transports[0]!;
      t.open();
      t.receive({ command: 'notification', definition: 'joined', streamId: 'p2p1' });
      return { s, t, errors };
    };

    it('ICE servers from iceServerConfig that the browser refuses are dropped: the peer connection is made without them and offers', async () => {
      const page = uncaught();
      const configs: RTCConfiguration[] = [];
      const { s, t, errors } = joinP2P((c) => {
        configs.push(c);
        return new RTCPeerConnection(c);
      });
      try {
        // Chromium: "ICE server parsing failed: Invalid transport parameter in ICE URI".
        t.receive({ command: 'iceServerConfig', stunServerUri: 'turn:127.0.0.1:1?transport=bogus', turnServerUsername: 'u', turnServerCredential: 'p' });
        t.receive({ command: 'start', streamId: 'p2p1' });
        await poll(() => t.commands.some((f) => f.command === 'takeConfiguration' && f.type === 'offer'), 5000, 'an offer');
        expect(configs.map((c) => c.iceServers)).to.deep.equal([[{ urls: 'turn:127.0.0.1:1?transport=bogus', username: 'u', credential: 'p' }], []]);
        expect(errors).to.deep.equal([]);
        expect(page.errors).to.deep.equal([]);
      } finally {
        page.stop();
        s.dispose();
      }
    });

    it('a peer connection that cannot be made (the browser limit) is an error event, not a throw; the session stays joined', () => {
      const page = uncaught();
      const { s, t, errors } = joinP2P(() => {
        throw new DOMException('Cannot create so many PeerConnections', 'UnknownError');
      });
      try {
        t.receive({ command: 'start', streamId: 'p2p1' });
        expect(errors.map((e) => e.code)).to.deep.equal(['notSetLocalDescription']);
        expect(s.state).to.equal('live');
        expect(page.errors).to.deep.equal([]);
      } finally {
        page.stop();
        s.dispose();
      }
    });
  });
});
