import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../packages/server/src/index.js';
import { AmsClient, playDataOnly, publishDataOnly, startServer, wsUrl } from '../helpers/server.js';

describe('AMS WebSocket protocol', () => {
  let server: RunningServer;
  const clients: AmsClient[] = [];
  const connect = async (app = 'LiveApp', suffix = '') => {
    const c = await AmsClient.connect(wsUrl(server, app, suffix));
    clients.push(c);
    return c;
  };
  let n = 0;
  const id = (prefix = 's') => `${prefix}${++n}`;

  before(async () => {
    server = await startServer();
  });
  after(async () => {
    for (const c of clients) c.close();
    await server.close();
  });

  describe('happy path', () => {
    it('answers ping with pong', async () => {
      const c = await connect();
      assert.deepEqual(await c.request({ command: 'ping' }, { command: 'pong' }), { command: 'pong' });
    });

    it('answers getIceServerConfig with iceServerConfig', async () => {
      const c = await connect();
      const f = await c.request({ command: 'getIceServerConfig' }, { command: 'iceServerConfig' });
      assert.equal(f.stunServerUri, '');
      assert.equal(f.turnServerUsername, '');
      assert.equal(f.turnServerCredential, '');
    });

    it('accepts any app name and ignores the query string and a trailing slash', async () => {
      for (const [app, suffix] of [
        ['WebRTCAppEE', ''],
        ['LiveApp', '?target=origin'],
        ['live', '/?target=edge'],
      ] as const) {
        const c = await connect(app, suffix);
        await c.request({ command: 'ping' }, { command: 'pong' });
      }
    });

    it('refuses a WebSocket outside /<App>/websocket', async () => {
      await assert.rejects(AmsClient.connect(`${server.url.replace('http', 'ws')}/LiveApp/other`));
    });

    it('publishes: start, answer, publish_started, then publish_finished on stop', async () => {
      const c = await connect();
      const streamId = id();
      const { pc } = await publishDataOnly(c, streamId);
      const info = await c.request({ command: 'getBroadcastObject', streamId }, { definition: 'broadcastObject' });
      assert.equal(typeof info.broadcast, 'string', 'broadcast is a JSON string, as AMS sends it');
      assert.equal(JSON.parse(info.broadcast as string).status, 'broadcasting');
      const finished = await c.request({ command: 'stop', streamId }, { definition: 'publish_finished' });
      assert.equal(finished.streamId, streamId);
      await pc.close();
    });

    it('sends its candidates as takeCandidate with a numeric label', async () => {
      const c = await connect();
      const streamId = id();
      const { pc } = await publishDataOnly(c, streamId);
      const candidates = c.frames.filter((f) => f.command === 'takeCandidate');
      for (const f of candidates) {
        assert.equal(typeof f.label, 'number');
        assert.equal(typeof f.candidate, 'string');
        assert.equal(f.streamId, streamId);
      }
      c.send({ command: 'stop', streamId });
      await pc.close();
    });

    it('plays: offer with idMapping, play_started, play_finished on stop', async () => {
      const pub = await connect();
      const streamId = id();
      const publisher = await publishDataOnly(pub, streamId);
      const c = await connect();
      const { pc, offer } = await playDataOnly(c, streamId);
      assert.equal(typeof offer.idMapping, 'object');
      assert.ok(offer.idMapping !== null && !Array.isArray(offer.idMapping));
      const finished = await c.request({ command: 'stop', streamId }, { definition: 'play_finished' });
      assert.equal(finished.streamId, streamId);
      await pc.close();
      pub.send({ command: 'stop', streamId });
      await publisher.pc.close();
    });

    it('sends play_finished to every player when the publisher stops', async () => {
      const pub = await connect();
      const streamId = id();
      const publisher = await publishDataOnly(pub, streamId);
      const p1 = await connect();
      const p2 = await connect();
      const a = await playDataOnly(p1, streamId);
      const b = await playDataOnly(p2, streamId);
      pub.send({ command: 'stop', streamId });
      await p1.next({ definition: 'play_finished', streamId });
      await p2.next({ definition: 'play_finished', streamId });
      await Promise.all([a.pc.close(), b.pc.close(), publisher.pc.close()]);
    });

    it('stops the streams of a socket that closes', async () => {
      const pub = await connect();
      const streamId = id();
      const publisher = await publishDataOnly(pub, streamId);
      const player = await connect();
      const played = await playDataOnly(player, streamId);
      pub.close();
      await player.next({ definition: 'play_finished', streamId });
      // The id is free again.
      const again = await connect();
      const republished = await publishDataOnly(again, streamId);
      again.send({ command: 'stop', streamId });
      await Promise.all([publisher.pc.close(), played.pc.close(), republished.pc.close()]);
    });

    it('relays the data channel: publisher to player and player to publisher, text and binary', async () => {
      const pub = await connect();
      const streamId = id();
      const publisher = await publishDataOnly(pub, streamId);
      const player = await connect();
      const played = await playDataOnly(player, streamId);
      const playerChannel = await played.channel;
      assert.equal(playerChannel.label, streamId);
      if (playerChannel.readyState !== 'open') await new Promise<void>((r) => playerChannel.stateChanged.subscribe((s) => s === 'open' && r()));

      const atPlayer = new Promise<(string | Buffer)[]>((resolve) => {
        const got: (string | Buffer)[] = [];
        playerChannel.onMessage.subscribe((m) => {
          got.push(m);
          if (got.length === 2) resolve(got);
        });
      });
      const binary = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));
      publisher.channel.send('hello players');
      publisher.channel.send(binary);
      const [text, bin] = await atPlayer;
      assert.equal(text, 'hello players');
      assert.ok(Buffer.isBuffer(bin));
      assert.deepEqual(bin, binary);

      const atPublisher = new Promise<string | Buffer>((resolve) => publisher.channel.onMessage.subscribe((m) => resolve(m)));
      playerChannel.send('hello publisher');
      assert.equal(await atPublisher, 'hello publisher');
      pub.send({ command: 'stop', streamId });
      await Promise.all([publisher.pc.close(), played.pc.close()]);
    });

    it('answers getStreamInfo of a live stream with streamInformation', async () => {
      const pub = await connect();
      const streamId = id();
      const publisher = await publishDataOnly(pub, streamId);
      const f = await pub.request({ command: 'getStreamInfo', streamId }, { command: 'streamInformation' });
      assert.equal(f.streamId, streamId);
      assert.ok(Array.isArray(f.streamInfo) && f.streamInfo.length === 1);
      const entry = (f.streamInfo as Record<string, unknown>[])[0]!;
      for (const key of ['streamWidth', 'streamHeight', 'videoBitrate', 'audioBitrate']) assert.equal(typeof entry[key], 'number', key);
      assert.equal(typeof entry.videoCodec, 'string');
      pub.send({ command: 'stop', streamId });
      await publisher.pc.close();
    });
  });

  describe('failure: AMS errors', () => {
    for (const command of ['publish', 'play', 'stop', 'takeConfiguration', 'takeCandidate', 'getStreamInfo', 'getBroadcastObject']) {
      it(`answers ${command} without a streamId with noStreamNameSpecified`, async () => {
        const c = await connect();
        const f = await c.request({ command }, { command: 'error' });
        assert.equal(f.definition, 'noStreamNameSpecified');
        const g = await c.request({ command, streamId: '' }, { command: 'error' });
        assert.equal(g.definition, 'noStreamNameSpecified');
      });
    }

    for (const bad of ['has space', '<img src=x>', 'a/b', 'ünï']) {
      it(`answers the stream id ${JSON.stringify(bad)} with invalidStreamName`, async () => {
        const c = await connect();
        const f = await c.request({ command: 'publish', streamId: bad }, { command: 'error' });
        assert.equal(f.definition, 'invalidStreamName');
      });
    }

    it('answers a second publish of the same id on one socket with already_publishing', async () => {
      const c = await connect();
      const streamId = id();
      await c.request({ command: 'publish', streamId }, { command: 'start' });
      const f = await c.request({ command: 'publish', streamId }, { command: 'error' });
      assert.equal(f.definition, 'already_publishing');
      assert.equal(f.streamId, streamId);
    });

    it('answers a publish of an id another socket publishes with streamIdInUse', async () => {
      const a = await connect();
      const b = await connect();
      const streamId = id();
      await a.request({ command: 'publish', streamId }, { command: 'start' });
      const f = await b.request({ command: 'publish', streamId }, { command: 'error' });
      assert.equal(f.definition, 'streamIdInUse');
      assert.equal(f.streamId, streamId);
    });

    it('answers play of a stream that is not live with no_stream_exist (error_code 404)', async () => {
      const c = await connect();
      const streamId = id();
      const f = await c.request({ command: 'play', streamId }, { command: 'error' });
      assert.equal(f.definition, 'no_stream_exist');
      assert.equal(f.error_code, '404');
      assert.equal(f.streamId, streamId);
    });

    it('answers getStreamInfo and getBroadcastObject of an unknown stream with no_stream_exist', async () => {
      const c = await connect();
      for (const command of ['getStreamInfo', 'getBroadcastObject']) {
        const f = await c.request({ command, streamId: id() }, { command: 'error' });
        assert.equal(f.definition, 'no_stream_exist');
      }
    });

    it('answers a second play of the same id on one socket with already_playing', async () => {
      const pub = await connect();
      const streamId = id();
      const publisher = await publishDataOnly(pub, streamId);
      const c = await connect();
      await c.request({ command: 'play', streamId }, { command: 'takeConfiguration' });
      const f = await c.request({ command: 'play', streamId }, { command: 'error' });
      assert.equal(f.definition, 'already_playing');
      pub.send({ command: 'stop', streamId });
      await publisher.pc.close();
    });

    it('answers an offer it cannot use with notSetRemoteDescription, and the id can publish again', async () => {
      const c = await connect();
      const streamId = id();
      await c.request({ command: 'publish', streamId }, { command: 'start' });
      const f = await c.request({ command: 'takeConfiguration', streamId, type: 'offer', sdp: 'v=0\r\nthis is not sdp\r\n' }, { command: 'error' });
      assert.equal(f.definition, 'notSetRemoteDescription');
      assert.equal(f.streamId, streamId);
      await c.request({ command: 'publish', streamId }, { command: 'start' });
    });

    it('answers a play answer it cannot use with notSetRemoteDescription', async () => {
      const pub = await connect();
      const streamId = id();
      const publisher = await publishDataOnly(pub, streamId);
      const c = await connect();
      await c.request({ command: 'play', streamId }, { command: 'takeConfiguration', type: 'offer' });
      const f = await c.request({ command: 'takeConfiguration', streamId, type: 'answer', sdp: 'garbage' }, { command: 'error' });
      assert.equal(f.definition, 'notSetRemoteDescription');
      pub.send({ command: 'stop', streamId });
      await publisher.pc.close();
    });
  });

  describe('failure: bad frames', () => {
    const protocolError = async (c: AmsClient, send: () => void) => {
      const answer = c.next({ command: 'error' });
      send();
      const f = await answer;
      // The socket stays usable.
      await c.request({ command: 'ping' }, { command: 'pong' });
      return f.definition;
    };

    it('answers text that is not JSON with an error frame and keeps the socket', async () => {
      const c = await connect();
      assert.equal(await protocolError(c, () => c.sendRaw('{not json')), 'invalid_message');
    });

    it('answers JSON without a command, arrays and scalars with an error frame', async () => {
      const c = await connect();
      for (const raw of ['[]', '42', 'null', '{"streamId":"x"}', '{"command":7}']) {
        assert.equal(await protocolError(c, () => c.sendRaw(raw)), 'invalid_message', raw);
      }
    });

    it('answers a binary frame with an error frame', async () => {
      const c = await connect();
      assert.equal(await protocolError(c, () => c.sendRaw(Buffer.from([1, 2, 3]), true)), 'invalid_message');
    });

    it('answers a frame over 81,920 bytes with message_too_large', async () => {
      const c = await connect();
      const big = JSON.stringify({ command: 'publish', streamId: 'big', metaData: 'x'.repeat(81_920) });
      assert.equal(await protocolError(c, () => c.sendRaw(big)), 'message_too_large');
    });

    it('answers an unknown command with unknown_command', async () => {
      const c = await connect();
      assert.equal(await protocolError(c, () => c.send({ command: 'launchRockets', streamId: 'x' })), 'unknown_command');
    });

    it('closes a socket that sends over a megabyte, and other sessions go on', async () => {
      const other = await connect();
      const c = await connect();
      c.sendRaw('x'.repeat(1024 * 1024 + 1));
      assert.equal(await c.closed(), 1009);
      await other.request({ command: 'ping' }, { command: 'pong' });
    });

    it('survives sockets that close in the middle of negotiation', async () => {
      const survivor = await connect();
      for (let i = 0; i < 5; i++) {
        const c = await connect();
        const streamId = id('abrupt');
        await c.request({ command: 'publish', streamId }, { command: 'start' });
        c.send({ command: 'takeCandidate', streamId, label: 0, id: '0', candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' });
        c.close();
      }
      await survivor.request({ command: 'ping' }, { command: 'pong' });
    });

    it('ignores candidates and SDPs for streams the socket does not have', async () => {
      const c = await connect();
      c.send({ command: 'takeCandidate', streamId: 'nobody', label: 0, id: '0', candidate: 'candidate:x' });
      c.send({ command: 'takeConfiguration', streamId: 'nobody', type: 'answer', sdp: 'v=0' });
      await c.request({ command: 'ping' }, { command: 'pong' });
      assert.equal(c.frames.filter((f) => f.command === 'error').length, 0);
    });
  });
});
