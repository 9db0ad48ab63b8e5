// The server against abusive clients, each limit over real sockets: sockets per address, the
// WebSocket's Origin allow-list, the command rate, a client that never reads, streams per
// socket, viewers per stream (viewerLimitReached) and JWT stream tokens (WebSocket, WHIP, WHEP).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { parseArgs } from '../../packages/server/src/cli.js';
import { ConfigError, resolveConfig } from '../../packages/server/src/config.js';
import type { RunningServer, ServerOptions } from '../../packages/server/src/index.js';
import type { LimitEvent } from '../../packages/server/src/limits.js';
import { AmsClient, http, playDataOnly, publishDataOnly, startServer, wsUrl } from '../helpers/server.js';
import { playerPeer, postOffer, problem, publisherPeer, until } from '../helpers/whip.js';
import { itRefusesConfigs } from '../helpers/config.js';

/** What one connection attempt came to: open (the socket), or the HTTP status of a refused upgrade. */
function attempt(url: string, headers: Record<string, string> = {}): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode });
      res.resume();
      ws.terminate();
    });
    ws.once('error', (e) => reject(e));
  });
}

/** A server for one suite, its clients and werift peers closed after; `limits` collects the onLimit events. */
function suiteServer(options: ServerOptions) {
  const s = {
    server: undefined as unknown as RunningServer,
    limits: [] as LimitEvent[],
    clients: [] as AmsClient[],
    sockets: [] as WebSocket[],
    pcs: [] as Array<{ close(): Promise<void> }>,
    async connect(app = 'LiveApp') {
      const c = await AmsClient.connect(wsUrl(s.server, app));
      s.clients.push(c);
      return c;
    },
  };
  let listener: ((e: LimitEvent) => void) | undefined;
  before(async () => {
    s.server = await startServer({
      ...options,
      onLimit: (e) => {
        s.limits.push(e);
        listener?.(e);
      },
    });
  });
  after(async () => {
    for (const pc of s.pcs) await pc.close();
    for (const c of s.clients) c.close();
    for (const w of s.sockets) w.terminate();
    await s.server.close();
  });
  return {
    s,
    /** Resolves on the next onLimit event naming `limit`. */
    nextLimit(limit: LimitEvent['limit']): Promise<LimitEvent> {
      return new Promise((resolve) => {
        listener = (e) => {
          if (e.limit !== limit) return;
          listener = undefined;
          resolve(e);
        };
      });
    },
  };
}

describe('hardening: config', () => {
  it('defaults: no per-address cap, 100 commands a second, 1 MiB unread, 64 streams a socket, any origin, no viewer limit, JWT off', () => {
    const c = resolveConfig({});
    assert.equal(c.maxSocketsPerAddress, 0);
    assert.equal(c.maxCommandsPerSecond, 100);
    assert.equal(c.maxSocketBufferedBytes, 1024 * 1024);
    assert.equal(c.maxStreamsPerSocket, 64);
    assert.equal(c.settings.webSocketAllowedOrigins, '*');
    assert.equal(c.settings.webRTCViewerLimit, -1);
    assert.equal(c.settings.publishJwtControlEnabled, false);
    assert.equal(c.settings.playJwtControlEnabled, false);
    assert.equal(c.settings.jwtStreamSecretKey, '');
  });

  itRefusesConfigs([
    [{ maxSocketsPerAddress: -1 }, /maxSocketsPerAddress/],
    [{ maxCommandsPerSecond: 2.5 }, /maxCommandsPerSecond/],
    [{ maxSocketBufferedBytes: '1MB' }, /maxSocketBufferedBytes/],
    [{ maxStreamsPerSocket: null }, /maxStreamsPerSocket/],
    [{ settings: { webRTCViewerLimit: -2 } }, /settings\.webRTCViewerLimit/],
    [{ settings: { webSocketAllowedOrigins: 'evil.test' } }, /settings\.webSocketAllowedOrigins/],
    [{ settings: { publishJwtControlEnabled: true } }, /settings\.jwtStreamSecretKey/],
    [{ apps: { A: { playJwtControlEnabled: true, jwtStreamSecretKey: 'short' } } }, /apps\.A\.jwtStreamSecretKey/],
    [{ settings: { jwtStreamSecretKey: 5 } }, /jwtStreamSecretKey/],
  ]);

  it('takes the limits and the WebSocket origins from the command line', () => {
    assert.deepEqual(
      parseArgs([
        '--max-sockets-per-address',
        '20',
        '--max-commands-per-second=0',
        '--max-socket-buffered-bytes',
        '65536',
        '--max-streams-per-socket',
        '8',
        '--websocket-allowed-origins',
        'https://app.test',
      ]),
      {
        help: false,
        webSocketAllowedOrigins: 'https://app.test',
        limits: { maxSocketsPerAddress: 20, maxCommandsPerSecond: 0, maxSocketBufferedBytes: 65536, maxStreamsPerSocket: 8 },
      },
    );
    assert.throws(() => parseArgs(['--max-sockets-per-address', '-1']), ConfigError);
    assert.throws(() => parseArgs(['--max-commands-per-second', 'many']), ConfigError);
    assert.throws(() => parseArgs(['--websocket-allowed-origins', 'not an origin']), /--websocket-allowed-origins/);
  });
});

describe('hardening: maxSocketsPerAddress', () => {
  const { s, nextLimit } = suiteServer({ maxSocketsPerAddress: 3 });

  it('refuses the socket over the cap with 429, and admits one again once a socket closed', async () => {
    const open: WebSocket[] = [];
    for (let i = 0; i < 3; i++) {
      const a = await attempt(wsUrl(s.server));
      assert.ok(a.ws, `socket ${i + 1} of 3 opens`);
      open.push(a.ws);
      s.sockets.push(a.ws);
    }
    const refused = nextLimit('maxSocketsPerAddress');
    assert.equal((await attempt(wsUrl(s.server))).status, 429);
    assert.deepEqual(await refused, { limit: 'maxSocketsPerAddress', address: '127.0.0.1', app: 'LiveApp' });
    // Other apps count too: the cap is the address's.
    assert.equal((await attempt(wsUrl(s.server, 'OtherApp'))).status, 429);

    open[0]!.close();
    await until(async () => {
      const a = await attempt(wsUrl(s.server));
      if (a.ws) s.sockets.push(a.ws);
      return a.ws !== undefined;
    }, 'a socket admitted after one closed');
  });
});

describe('hardening: webSocketAllowedOrigins', () => {
  const { s, nextLimit } = suiteServer({ apps: { Strict: { webSocketAllowedOrigins: 'https://good.test' } } });

  it('an app with a list refuses other origins at the upgrade with 403; its own origin, listed ones and non-browsers pass', async () => {
    const url = wsUrl(s.server, 'Strict');
    const refused = nextLimit('webSocketAllowedOrigins');
    assert.equal((await attempt(url, { origin: 'https://evil.test' })).status, 403);
    assert.equal((await refused).app, 'Strict');
    assert.equal((await attempt(url, { origin: 'https://good.test.evil.test' })).status, 403);
    for (const headers of [{ origin: 'https://good.test' }, { origin: s.server.url }, {}] as Array<Record<string, string>>) {
      const a = await attempt(url, headers);
      assert.ok(a.ws, `opens with ${JSON.stringify(headers)}`);
      s.sockets.push(a.ws);
    }
  });

  it('by default any origin may open the socket, as before', async () => {
    const a = await attempt(wsUrl(s.server), { origin: 'https://anywhere.test' });
    assert.ok(a.ws);
    s.sockets.push(a.ws);
  });
});

describe('hardening: maxCommandsPerSecond', () => {
  const { s, nextLimit } = suiteServer({ maxCommandsPerSecond: 10 });

  it('a burst up to twice the rate passes; a flood gets highResourceUsage, then the socket closes with 1008', async () => {
    const calm = await s.connect();
    // 19 of the bucket's 20: one is left for the check at the end.
    for (let i = 0; i < 19; i++) calm.send({ command: 'ping' });
    for (let i = 0; i < 19; i++) await calm.next({ command: 'pong' });

    const flood = await s.connect();
    const limited = nextLimit('maxCommandsPerSecond');
    for (let i = 0; i < 100; i++) flood.send({ command: 'ping' });
    const error = await flood.next({ command: 'error' });
    assert.equal(error.definition, 'highResourceUsage');
    assert.match(String(error.reason), /more than 10 commands a second/);
    assert.equal(await flood.closed(), 1008);
    await limited;
    const pongs = flood.frames.filter((f) => f.command === 'pong').length;
    assert.ok(pongs <= 21, `at most the bucket's worth answered, got ${pongs}`);

    // The calm socket was not touched.
    await calm.request({ command: 'ping' }, { command: 'pong' });
  });
});

describe('hardening: maxSocketBufferedBytes (a client that never reads)', () => {
  const big = 'x'.repeat(60_000);
  const { s, nextLimit } = suiteServer({ maxSocketBufferedBytes: 4 * 1024 * 1024, maxCommandsPerSecond: 0, settings: { streams: ['big'] } });

  it('is dropped once its unread frames pass the cap, while another socket is answered all along', async () => {
    const fast = await s.connect();
    fast.send({ command: 'updateStreamMetaData', streamId: 'big', metaData: big });
    const reply = await fast.request({ command: 'getBroadcastObject', streamId: 'big' }, { command: 'notification', definition: 'broadcastObject' });
    assert.ok(String(reply.broadcast).length > 60_000);

    const slow = await attempt(wsUrl(s.server));
    s.sockets.push(slow.ws!);
    slow.ws!.pause();
    const request = JSON.stringify({ command: 'getBroadcastObject', streamId: 'big' });
    // About 1.8 MB of answers it does not read: more than the kernel holds, less than the cap.
    for (let i = 0; i < 30; i++) slow.ws!.send(request);
    let dropped = false;
    const drop = nextLimit('maxSocketBufferedBytes').then((e) => {
      dropped = true;
      return e;
    });
    // The other socket's requests are answered at once, big answers included.
    for (let i = 0; i < 10; i++) {
      await fast.request({ command: 'ping' }, { command: 'pong' });
      await fast.request({ command: 'getBroadcastObject', streamId: 'big' }, { command: 'notification', definition: 'broadcastObject' });
    }
    assert.equal(dropped, false, 'under the cap, the slow reader is kept');

    // Another 12 MB of answers: over the cap, so it goes.
    for (let i = 0; i < 200; i++) slow.ws!.send(request);
    assert.equal((await drop).address, '127.0.0.1');
    await fast.request({ command: 'ping' }, { command: 'pong' });
    // Once it reads again, it finds its socket closed.
    const closed = new Promise((resolve) => slow.ws!.once('close', resolve));
    slow.ws!.resume();
    await closed;
  });
});

describe('hardening: maxStreamsPerSocket', () => {
  const { s } = suiteServer({ maxStreamsPerSocket: 2 });

  it('refuses the stream over the cap with highResourceUsage; one that ended makes room', async () => {
    const c = await s.connect();
    await c.request({ command: 'publish', streamId: 'p1' }, { command: 'start', streamId: 'p1' });
    await c.request({ command: 'publish', streamId: 'p2' }, { command: 'start', streamId: 'p2' });
    const refused = await c.request({ command: 'publish', streamId: 'p3' }, { command: 'error' });
    assert.equal(refused.definition, 'highResourceUsage');
    assert.equal(refused.streamId, 'p3');
    assert.match(String(refused.reason), /2 streams open/);

    // Plays count the same: this socket cannot play a live stream either.
    const other = await s.connect();
    const { pc } = await publishDataOnly(other, 'live1');
    s.pcs.push(pc);
    const noPlay = await c.request({ command: 'play', streamId: 'live1' }, { command: 'error' });
    assert.equal(noPlay.definition, 'highResourceUsage');

    c.send({ command: 'stop', streamId: 'p1' });
    await c.request({ command: 'publish', streamId: 'p3' }, { command: 'start', streamId: 'p3' });
  });
});

describe('hardening: webRTCViewerLimit', () => {
  const { s } = suiteServer({ settings: { webRTCViewerLimit: 1 } });

  it('the viewer over the limit gets viewerLimitReached (WebSocket) or 503 viewerLimitReached (WHEP); a viewer leaving makes room', async () => {
    const pub = await s.connect();
    const published = await publishDataOnly(pub, 'limited');
    s.pcs.push(published.pc);

    const first = await s.connect();
    const play = await playDataOnly(first, 'limited');
    s.pcs.push(play.pc);

    const second = await s.connect();
    const refused = await second.request({ command: 'play', streamId: 'limited' }, { command: 'error' });
    assert.deepEqual(refused, { command: 'error', definition: 'viewerLimitReached', streamId: 'limited' });

    const whep = await playerPeer();
    s.pcs.push(whep.pc);
    const busy = await postOffer(s.server, '/LiveApp/whep/limited', whep.offer);
    assert.equal(busy.status, 503);
    assert.equal(problem(busy).code, 'viewerLimitReached');
    assert.equal(busy.headers.get('retry-after'), '2');

    first.send({ command: 'stop', streamId: 'limited' });
    await first.next({ command: 'notification', definition: 'play_finished' });
    const again = await playDataOnly(second, 'limited');
    s.pcs.push(again.pc);
  });

  it("a Broadcast's own webRTCViewerLimit (REST create) wins over the app's", async () => {
    assert.equal((await http(s.server, 'POST', '/LiveApp/rest/v2/broadcasts/create', { streamId: 'x', webRTCViewerLimit: -2 })).status, 400);
    const created = await http(s.server, 'POST', '/LiveApp/rest/v2/broadcasts/create', { streamId: 'two', webRTCViewerLimit: 2 });
    assert.equal(created.json.webRTCViewerLimit, 2);
    const pub = await s.connect();
    s.pcs.push((await publishDataOnly(pub, 'two')).pc);
    for (let i = 0; i < 2; i++) s.pcs.push((await playDataOnly(await s.connect(), 'two')).pc);
    const third = await s.connect();
    assert.equal((await third.request({ command: 'play', streamId: 'two' }, { command: 'error' })).definition, 'viewerLimitReached');
  });
});

/** An HS256 JWT written here from scratch (not with the server's signer), so that both sides are checked against the standard. */
function jwt(secret: string, claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${enc(header)}.${enc(claims)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

describe('hardening: JWT stream tokens', () => {
  const secret = 'zautXStXM9iW3aD3FuyPH0TdK4GHPmHq-test';
  const inAMinute = () => Math.floor(Date.now() / 1000) + 60;
  const { s } = suiteServer({
    apps: {
      Jwt: { publishJwtControlEnabled: true, playJwtControlEnabled: true, jwtStreamSecretKey: secret },
      Both: { publishJwtControlEnabled: true, publishTokenControlEnabled: true, jwtStreamSecretKey: secret },
    },
  });

  it('publish and play over the WebSocket need a JWT for the stream and use; it works more than once until it expires', async () => {
    const c = await s.connect('Jwt');
    const token = jwt(secret, { streamId: 'j1', type: 'publish', exp: inAMinute() });
    await c.request({ command: 'publish', streamId: 'j1', token }, { command: 'start', streamId: 'j1' });
    c.send({ command: 'stop', streamId: 'j1' });
    await c.request({ command: 'publish', streamId: 'j1', token }, { command: 'start', streamId: 'j1' });
    c.send({ command: 'stop', streamId: 'j1' });

    const bad = [
      undefined,
      '',
      'not.a.jwt',
      jwt('another-secret-of-thirty-two-characters', { streamId: 'j1', type: 'publish', exp: inAMinute() }),
      jwt(secret, { streamId: 'j2', type: 'publish', exp: inAMinute() }),
      jwt(secret, { streamId: 'j1', type: 'play', exp: inAMinute() }),
      jwt(secret, { streamId: 'j1', type: 'publish', exp: Math.floor(Date.now() / 1000) - 1 }),
      jwt(secret, { streamId: 'j1', type: 'publish' }),
      jwt(secret, { streamId: 'j1', type: 'publish', exp: inAMinute(), nbf: inAMinute() }),
      jwt(secret, { streamId: 'j1', type: 'publish', exp: inAMinute() }, { alg: 'HS512', typ: 'JWT' }),
      `${jwt(secret, { streamId: 'j1', type: 'publish', exp: inAMinute() }, { alg: 'none' }).split('.').slice(0, 2).join('.')}.`,
    ];
    for (const t of bad) {
      const f = await c.request({ command: 'publish', streamId: 'j1', token: t }, { command: 'error' });
      assert.equal(f.definition, 'unauthorized_access', `refused: ${t}`);
    }

    const pub = await s.connect('Jwt');
    const published = await publishDataOnly(pub, 'j3', { token: jwt(secret, { streamId: 'j3', type: 'publish', exp: inAMinute() }) });
    s.pcs.push(published.pc);
    const viewer = await s.connect('Jwt');
    const noToken = await viewer.request({ command: 'play', streamId: 'j3' }, { command: 'error' });
    assert.equal(noToken.definition, 'unauthorized_access');
    const play = await playDataOnly(viewer, 'j3', { token: jwt(secret, { streamId: 'j3', type: 'play', exp: inAMinute() }) });
    s.pcs.push(play.pc);
  });

  it('the REST jwt-token route makes a token the server takes; without a secret it is a 400', async () => {
    const exp = inAMinute();
    const made = await http(s.server, 'GET', `/Jwt/rest/v2/broadcasts/j4/jwt-token?expireDate=${exp}&type=publish`);
    assert.equal(made.status, 200);
    assert.equal(made.json.tokenId, jwt(secret, { streamId: 'j4', type: 'publish', exp }));
    assert.deepEqual({ ...made.json, tokenId: '' }, { tokenId: '', streamId: 'j4', expireDate: exp, type: 'publish' });
    const c = await s.connect('Jwt');
    await c.request({ command: 'publish', streamId: 'j4', token: made.json.tokenId }, { command: 'start', streamId: 'j4' });
    assert.equal((await http(s.server, 'GET', `/LiveApp/rest/v2/broadcasts/j4/jwt-token?expireDate=${exp}`)).status, 400);
    assert.equal((await http(s.server, 'GET', `/Jwt/rest/v2/broadcasts/j4/jwt-token?expireDate=1`)).status, 400);
  });

  it('with both controls on, a JWT or a one-time token is taken', async () => {
    const c = await s.connect('Both');
    await c.request({ command: 'publish', streamId: 'b1', token: jwt(secret, { streamId: 'b1', type: 'publish', exp: inAMinute() }) }, { command: 'start' });
    await http(s.server, 'POST', '/Both/rest/v2/broadcasts/create', { streamId: 'b2' });
    const oneTime = await http(s.server, 'GET', `/Both/rest/v2/broadcasts/b2/token?expireDate=${inAMinute()}&type=publish`);
    await c.request({ command: 'publish', streamId: 'b2', token: oneTime.json.tokenId }, { command: 'start', streamId: 'b2' });
    const f = await c.request({ command: 'publish', streamId: 'b3', token: 'nothing' }, { command: 'error' });
    assert.equal(f.definition, 'unauthorized_access');
  });

  it('WHIP and WHEP take the JWT as a Bearer token: 401 without one, 403 for a bad one, 201 for a good one', async () => {
    const pub = await publisherPeer();
    s.pcs.push(pub.pc);
    const path = '/Jwt/whip/w1';
    assert.equal((await postOffer(s.server, path, pub.offer)).status, 401);
    const wrong = await postOffer(s.server, path, pub.offer, { authorization: `Bearer ${jwt(secret, { streamId: 'w1', type: 'play', exp: inAMinute() })}` });
    assert.equal(wrong.status, 403);
    assert.equal(problem(wrong).code, 'unauthorized_access');
    const ok = await postOffer(s.server, path, pub.offer, { authorization: `Bearer ${jwt(secret, { streamId: 'w1', type: 'publish', exp: inAMinute() })}` });
    assert.equal(ok.status, 201, ok.text);

    const player = await playerPeer();
    s.pcs.push(player.pc);
    const token = jwt(secret, { streamId: 'w1', type: 'play', exp: inAMinute() });
    // WHEP answers only a live stream: the publisher's media has not started, so 409 with the token, 403 without a valid one.
    assert.equal((await postOffer(s.server, '/Jwt/whep/w1', player.offer, { authorization: 'Bearer x.y.z' })).status, 403);
    assert.equal((await postOffer(s.server, '/Jwt/whep/w1', player.offer, { authorization: `Bearer ${token}` })).status, 409);
  });
});
