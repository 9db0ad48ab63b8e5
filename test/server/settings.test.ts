import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfigFile, resolveConfig } from '../../packages/server/src/config.js';
import { parseArgs } from '../../packages/server/src/cli.js';
import { checkFaultRule, FaultRuleError } from '../../packages/server/src/faults.js';
import type { RunningServer } from '../../packages/server/src/index.js';
import WebSocket from 'ws';
import { AmsClient, http, publishDataOnly, startServer, wsUrl } from '../helpers/server.js';
import { itRefusesConfigs } from '../helpers/config.js';

describe('config', () => {
  it('defaults to 127.0.0.1:5080 with every control off', () => {
    const c = resolveConfig({});
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.port, 5080);
    assert.equal(c.faultInjection, false);
    assert.equal(c.settings.acceptOnlyStreamsInDataStore, false);
    assert.equal(c.settings.publishTokenControlEnabled, false);
    assert.equal(c.settings.playTokenControlEnabled, false);
    assert.equal(c.settings.remoteAllowedCIDR, '127.0.0.1,::1');
    assert.equal(c.settings.corsAllowedOrigins, '');
    assert.equal(c.staticRoot, undefined);
    // Ours, on by default: publishers' answers ask for Opus DTX (test/browser/integration/dtx.test.ts).
    assert.equal(c.settings.audioDtx, true);
    assert.equal(resolveConfig({ apps: { LiveApp: { audioDtx: false } } }).apps['LiveApp']?.audioDtx, false);
    // Ours: the browser's own audio packets (20 ms) unless an app asks for others (test/browser/integration/dtx.test.ts).
    assert.equal(c.settings.audioPacketMs, 20);
    assert.equal(resolveConfig({ apps: { LiveApp: { audioPacketMs: 60 } } }).apps['LiveApp']?.audioPacketMs, 60);
  });

  itRefusesConfigs([
    [{ port: 70000 }, /port/],
    [{ port: '80' }, /port/],
    [{ host: '' }, /host/],
    [{ settings: { publishTokenControlEnabled: 'yes' } }, /publishTokenControlEnabled/],
    [{ apps: { LiveApp: { audioDtx: 1 } } }, /apps\.LiveApp\.audioDtx/],
    [{ apps: { LiveApp: { nope: true } } }, /apps\.LiveApp\.nope/],
    [{ apps: { LiveApp: { audioPacketMs: 30 } } }, /apps\.LiveApp\.audioPacketMs must be one of 10, 20, 40, 60/],
    [{ settings: { audioPacketMs: '60' } }, /settings\.audioPacketMs/],
    [{ apps: { LiveApp: { streams: [3] } } }, /streams/],
    [{ settings: { remoteAllowedCIDR: '127.0.0.1,localhost' } }, /settings\.remoteAllowedCIDR: "localhost"/],
    [{ apps: { LiveApp: { remoteAllowedCIDR: ['127.0.0.1'] } } }, /apps\.LiveApp\.remoteAllowedCIDR/],
    [{ settings: { corsAllowedOrigins: 'https://app.test/path' } }, /settings\.corsAllowedOrigins: "https:\/\/app\.test\/path"/],
    [{ apps: { LiveApp: { corsAllowedOrigins: 'app.test' } } }, /apps\.LiveApp\.corsAllowedOrigins/],
    [{ staticRoot: 5 }, /staticRoot/],
    [{ whatever: 1 }, /whatever/],
    [[], /object/],
  ]);

  it('reads a JSON file and reports an unreadable or broken one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rtc-config-'));
    try {
      const good = join(dir, 'good.json');
      await writeFile(good, JSON.stringify({ port: 0, apps: { LiveApp: { acceptOnlyStreamsInDataStore: true } } }));
      const c = await loadConfigFile(good);
      assert.equal(c.apps.LiveApp?.acceptOnlyStreamsInDataStore, true);
      const broken = join(dir, 'broken.json');
      await writeFile(broken, '{port: 1');
      await assert.rejects(loadConfigFile(broken), /not valid JSON/);
      await assert.rejects(loadConfigFile(join(dir, 'missing.json')), /cannot read/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('parses --port, --host, --config, --static-root and the REST access flags, and refuses bad flags', () => {
    assert.deepEqual(parseArgs(['--port', '6000', '--host=0.0.0.0', '--config', 'x.json']), {
      help: false,
      port: 6000,
      host: '0.0.0.0',
      config: 'x.json',
    });
    assert.deepEqual(
      parseArgs(['--static-root', 'front', '--remote-allowed-cidr=10.0.0.0/8,::1', '--cors-allowed-origins', 'https://app.test, http://localhost:5173']),
      { help: false, staticRoot: 'front', remoteAllowedCIDR: '10.0.0.0/8,::1', corsAllowedOrigins: 'https://app.test, http://localhost:5173' },
    );
    assert.throws(() => parseArgs(['--remote-allowed-cidr', '10.0.0.0/40']), /--remote-allowed-cidr: "10\.0\.0\.0\/40"/);
    assert.throws(() => parseArgs(['--cors-allowed-origins', 'not an origin']), /--cors-allowed-origins/);
    assert.throws(() => parseArgs(['--static-root']), ConfigError);
    assert.throws(() => parseArgs(['--port', 'abc']), ConfigError);
    assert.throws(() => parseArgs(['--port']), ConfigError);
    assert.throws(() => parseArgs(['--bogus']), ConfigError);
  });

  it('checks fault rules', () => {
    assert.throws(() => checkFaultRule({ command: 'publish', reply: { command: 'error', definition: 'made_up' } }), FaultRuleError);
    assert.throws(() => checkFaultRule({ command: 'nonsense', action: 'ignore' }), FaultRuleError);
    assert.throws(() => checkFaultRule({ command: 'publish', action: 'explode' }), FaultRuleError);
    assert.equal(checkFaultRule({ command: 'play', action: 'ignore' }).action, 'ignore');
    assert.throws(() => checkFaultRule({ command: 'play', action: 'raw' }), /text/);
    assert.throws(() => checkFaultRule({ command: 'play', action: 'raw', text: { command: 'pong' } }), /text/);
    assert.equal(checkFaultRule({ command: 'play', action: 'raw', text: '' }).text, '');
  });
});

describe('app settings over a real socket', () => {
  let server: RunningServer;
  const clients: AmsClient[] = [];
  const connect = async (app: string) => {
    const c = await AmsClient.connect(wsUrl(server, app));
    clients.push(c);
    return c;
  };

  before(async () => {
    server = await startServer({
      apps: {
        Registered: { acceptOnlyStreamsInDataStore: true, streams: ['known', { streamId: 'named', name: 'A name' }] },
        Tokens: { publishTokenControlEnabled: true, playTokenControlEnabled: true },
      },
    });
  });
  after(async () => {
    for (const c of clients) c.close();
    await server.close();
  });

  it('acceptOnlyStreamsInDataStore: refuses an unregistered id with not_allowed_unregistered_streams', async () => {
    const c = await connect('Registered');
    const f = await c.request({ command: 'publish', streamId: 'stranger' }, { command: 'error' });
    assert.equal(f.definition, 'not_allowed_unregistered_streams');
    assert.equal(f.streamId, 'stranger');
  });

  it('acceptOnlyStreamsInDataStore: accepts ids from the config and from REST', async () => {
    const c = await connect('Registered');
    await c.request({ command: 'publish', streamId: 'known' }, { command: 'start' });
    const created = await http(server, 'POST', '/Registered/rest/v2/broadcasts/create', { streamId: 'viaRest' });
    assert.equal(created.status, 200);
    await c.request({ command: 'publish', streamId: 'viaRest' }, { command: 'start', streamId: 'viaRest' });
  });

  it('other apps keep the default settings', async () => {
    const c = await connect('LiveApp');
    await c.request({ command: 'publish', streamId: 'stranger' }, { command: 'start' });
  });

  it('publishTokenControlEnabled: no token or a wrong one gets unauthorized_access', async () => {
    const c = await connect('Tokens');
    for (const token of [undefined, '', 'wrong']) {
      const f = await c.request({ command: 'publish', streamId: 'guarded', token }, { command: 'error' });
      assert.equal(f.definition, 'unauthorized_access');
      assert.equal(f.streamId, 'guarded');
    }
  });

  it('publishTokenControlEnabled: a REST token works once, for its stream and type only', async () => {
    await http(server, 'POST', '/Tokens/rest/v2/broadcasts/create', { streamId: 'guarded2' });
    await http(server, 'POST', '/Tokens/rest/v2/broadcasts/create', { streamId: 'other' });
    const expireDate = Math.floor(Date.now() / 1000) + 60;
    const playToken = (await http(server, 'GET', `/Tokens/rest/v2/broadcasts/guarded2/token?expireDate=${expireDate}&type=play`)).json;
    const c = await connect('Tokens');
    const wrongType = await c.request({ command: 'publish', streamId: 'guarded2', token: playToken.tokenId }, { command: 'error' });
    assert.equal(wrongType.definition, 'unauthorized_access');

    const { json: token } = await http(server, 'GET', `/Tokens/rest/v2/broadcasts/guarded2/token?expireDate=${expireDate}&type=publish`);
    const wrongStream = await c.request({ command: 'publish', streamId: 'other', token: token.tokenId }, { command: 'error' });
    assert.equal(wrongStream.definition, 'unauthorized_access');

    const publisher = await publishDataOnly(c, 'guarded2', { token: token.tokenId });
    c.send({ command: 'stop', streamId: 'guarded2' });
    await c.next({ definition: 'publish_finished' });
    const reused = await c.request({ command: 'publish', streamId: 'guarded2', token: token.tokenId }, { command: 'error' });
    assert.equal(reused.definition, 'unauthorized_access', 'tokens are one-time');
    await publisher.pc.close();
  });

  it('publishTokenControlEnabled: an expired token gets unauthorized_access', async () => {
    const store = server.app('Tokens').store;
    store.create('late');
    const expired = store.createToken('late', 'publish', Math.floor(Date.now() / 1000) - 1);
    const c = await connect('Tokens');
    const f = await c.request({ command: 'publish', streamId: 'late', token: expired.tokenId }, { command: 'error' });
    assert.equal(f.definition, 'unauthorized_access');
  });

  it('playTokenControlEnabled: play needs a play token', async () => {
    const store = server.app('Tokens').store;
    store.create('show');
    const pub = await connect('Tokens');
    const publishToken = store.createToken('show', 'publish', Math.floor(Date.now() / 1000) + 60);
    const publisher = await publishDataOnly(pub, 'show', { token: publishToken.tokenId });
    const viewer = await connect('Tokens');
    const refused = await viewer.request({ command: 'play', streamId: 'show' }, { command: 'error' });
    assert.equal(refused.definition, 'unauthorized_access');
    const playToken = store.createToken('show', 'play', Math.floor(Date.now() / 1000) + 60);
    const offer = await viewer.request({ command: 'play', streamId: 'show', token: playToken.tokenId }, { command: 'takeConfiguration' });
    assert.equal(offer.type, 'offer');
    pub.send({ command: 'stop', streamId: 'show' });
    await publisher.pc.close();
  });
});

describe('fault injection', () => {
  let server: RunningServer;
  const clients: AmsClient[] = [];
  const connect = async () => {
    const c = await AmsClient.connect(wsUrl(server));
    clients.push(c);
    return c;
  };
  before(async () => {
    server = await startServer({
      faultInjection: true,
      faults: [{ command: 'publish', streamId: 'busy', reply: { command: 'error', definition: 'highResourceUsage' } }],
    });
  });
  after(async () => {
    for (const c of clients) c.close();
    await server.close();
  });

  it('answers a configured command with the configured error, streamId filled in', async () => {
    const c = await connect();
    const f = await c.request({ command: 'publish', streamId: 'busy' }, { command: 'error' });
    assert.deepEqual(f, { command: 'error', definition: 'highResourceUsage', streamId: 'busy' });
    await c.request({ command: 'publish', streamId: 'notbusy' }, { command: 'start' });
  });

  it('adds rules over HTTP: replace with a notification, after, times', async () => {
    const added = await http(server, 'POST', '/__faults', [
      { command: 'play', streamId: 'f1', reply: { command: 'notification', definition: 'streaming_starts_soon' }, times: 1 },
      { command: 'getBroadcastObject', streamId: 'f2', action: 'after', reply: { command: 'notification', definition: 'server_will_stop' } },
    ]);
    assert.equal(added.status, 200);
    const c = await connect();
    const f = await c.request({ command: 'play', streamId: 'f1' }, { command: 'notification' });
    assert.equal(f.definition, 'streaming_starts_soon');
    const second = await c.request({ command: 'play', streamId: 'f1' }, { command: 'error' });
    assert.equal(second.definition, 'no_stream_exist', 'times: 1 fires once');
    c.send({ command: 'getBroadcastObject', streamId: 'f2' });
    await c.next({ command: 'error', definition: 'no_stream_exist', streamId: 'f2' });
    await c.next({ definition: 'server_will_stop', streamId: 'f2' });
  });

  it('answers getStreamInfo with the renditions a rule gives (an ABR stream), checked', async () => {
    const streamInfo = [720, 480, 240].map((h) => ({
      streamWidth: (h * 16) / 9,
      streamHeight: h,
      videoBitrate: h * 2000,
      audioBitrate: 64000,
      videoCodec: 'vp8',
    }));
    assert.throws(() => checkFaultRule({ command: 'getStreamInfo', reply: { command: 'streamInformation' } }), /streamInfo/);
    assert.throws(
      () => checkFaultRule({ command: 'getStreamInfo', reply: { command: 'streamInformation', streamInfo: [{ streamHeight: '720' }] } }),
      /streamHeight/,
    );
    const added = await http(server, 'POST', '/__faults', {
      command: 'getStreamInfo',
      streamId: 'abr1',
      reply: { command: 'streamInformation', streamInfo },
      times: 1,
    });
    assert.equal(added.status, 200);
    const c = await connect();
    const f = await c.request({ command: 'getStreamInfo', streamId: 'abr1' }, { command: 'streamInformation' });
    assert.deepEqual(f, { command: 'streamInformation', streamInfo, streamId: 'abr1' });
    const again = await c.request({ command: 'getStreamInfo', streamId: 'abr1' }, { command: 'error' });
    assert.equal(again.definition, 'no_stream_exist', 'off once the rule is used up: the server has no renditions of its own');
  });

  it('can swallow a command or close the socket', async () => {
    server.faults.add({ command: 'getStreamInfo', streamId: 'quiet', action: 'ignore' });
    server.faults.add({ command: 'getStreamInfo', streamId: 'slam', action: 'close' });
    const c = await connect();
    c.send({ command: 'getStreamInfo', streamId: 'quiet' });
    await c.request({ command: 'ping' }, { command: 'pong' });
    assert.equal(c.frames.length, 0, 'no answer to a swallowed command');
    c.send({ command: 'getStreamInfo', streamId: 'slam' });
    await c.closed();
  });

  it('sends raw text exactly as given, instead of handling the command', async () => {
    const text = '{"command":"notification","definition":"<img src=x onerror=alert(1)>"';
    const added = await http(server, 'POST', '/__faults', { command: 'play', streamId: 'raw1', action: 'raw', text, times: 1 });
    assert.equal(added.status, 200);
    assert.equal((await http(server, 'POST', '/__faults', { command: 'play', action: 'raw' })).status, 400);
    // A plain socket: the frame is not JSON, so AmsClient could not read it.
    const ws = new WebSocket(wsUrl(server));
    try {
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      const received: string[] = [];
      ws.on('message', (data) => received.push(String(data)));
      ws.send(JSON.stringify({ command: 'play', streamId: 'raw1' }));
      ws.send(JSON.stringify({ command: 'play', streamId: 'raw1' }));
      ws.send(JSON.stringify({ command: 'ping' }));
      while (!received.some((f) => f.includes('pong'))) await new Promise((r) => ws.once('message', r));
      // The raw text byte for byte, then (times: 1) the second play handled as usual; nothing else.
      assert.equal(received[0], text);
      assert.deepEqual(
        received
          .slice(1)
          .map((f) => JSON.parse(f) as Record<string, unknown>)
          .map((f) => f.definition ?? f.command),
        ['no_stream_exist', 'pong'],
      );
    } finally {
      ws.close();
    }
  });

  it('refuses a bad rule with 400 and lists and clears rules', async () => {
    const bad = await http(server, 'POST', '/__faults', { command: 'publish', reply: { command: 'error', definition: 'no_such_error' } });
    assert.equal(bad.status, 400);
    assert.match(bad.json.message, /definition/);
    const list = await http(server, 'GET', '/__faults');
    assert.ok(Array.isArray(list.json) && list.json.length > 0);
    assert.equal((await http(server, 'DELETE', '/__faults')).status, 200);
    assert.deepEqual((await http(server, 'GET', '/__faults')).json, []);
  });

  it('has no /__faults route when fault injection is off', async () => {
    const plain = await startServer();
    try {
      assert.equal((await http(plain, 'POST', '/__faults', { command: 'play', action: 'ignore' })).status, 404);
    } finally {
      await plain.close();
    }
  });
});
