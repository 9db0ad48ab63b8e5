import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../packages/server/src/index.js';
import { AmsClient, http, publishDataOnly, startServer, wsUrl } from '../helpers/server.js';

describe('REST API subset', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => server.close());
  const base = '/LiveApp/rest/v2/broadcasts';

  it('creates a broadcast with a given id and name', async () => {
    const { status, json } = await http(server, 'POST', `${base}/create`, { streamId: 'rest1', name: 'First' });
    assert.equal(status, 200);
    assert.equal(json.streamId, 'rest1');
    assert.equal(json.name, 'First');
    assert.equal(json.status, 'created');
  });

  it('creates a broadcast with a server-made id when none is given', async () => {
    const { status, json } = await http(server, 'POST', `${base}/create`, {});
    assert.equal(status, 200);
    assert.match(json.streamId, /^[A-Za-z0-9_.-]+$/);
  });

  it('reports broadcasting while published and finished after', async () => {
    await http(server, 'POST', `${base}/create`, { streamId: 'rest2' });
    const c = await AmsClient.connect(wsUrl(server));
    const publisher = await publishDataOnly(c, 'rest2');
    assert.equal((await http(server, 'GET', `${base}/rest2`)).json.status, 'broadcasting');
    await c.request({ command: 'stop', streamId: 'rest2' }, { definition: 'publish_finished' });
    assert.equal((await http(server, 'GET', `${base}/rest2`)).json.status, 'finished');
    c.close();
    await publisher.pc.close();
  });

  it('lists broadcasts with offset and size', async () => {
    for (const id of ['l1', 'l2', 'l3']) await http(server, 'POST', `${base}/create`, { streamId: id });
    const all = (await http(server, 'GET', `${base}/list/0/50`)).json as { streamId: string }[];
    assert.ok(['l1', 'l2', 'l3'].every((id) => all.some((b) => b.streamId === id)));
    const page = (await http(server, 'GET', `${base}/list/1/2`)).json as unknown[];
    assert.equal(page.length, 2);
    assert.deepEqual(page, all.slice(1, 3));
  });

  it('deletes a broadcast', async () => {
    await http(server, 'POST', `${base}/create`, { streamId: 'gone' });
    assert.equal((await http(server, 'DELETE', `${base}/gone`)).status, 200);
    assert.equal((await http(server, 'GET', `${base}/gone`)).status, 404);
    assert.equal((await http(server, 'DELETE', `${base}/gone`)).status, 404);
  });

  it('makes tokens', async () => {
    await http(server, 'POST', `${base}/create`, { streamId: 'tok' });
    const expireDate = Math.floor(Date.now() / 1000) + 3600;
    const { status, json } = await http(server, 'GET', `${base}/tok/token?expireDate=${expireDate}&type=play`);
    assert.equal(status, 200);
    assert.equal(json.streamId, 'tok');
    assert.equal(json.type, 'play');
    assert.equal(json.expireDate, expireDate);
    assert.match(json.tokenId, /^[0-9a-f]{32}$/);
  });

  for (const [what, method, path, body, status] of [
    ['a bad stream id', 'POST', `${base}/create`, { streamId: 'a b' }, 400],
    ['a non-string id', 'POST', `${base}/create`, { streamId: 5 }, 400],
    ['a body that is not JSON', 'POST', `${base}/create`, '{oops', 400],
    ['a body that is a list', 'POST', `${base}/create`, '[1]', 400],
    ['an id that exists', 'POST', `${base}/create`, { streamId: 'rest1' }, 409],
    ['a body over 16 kB', 'POST', `${base}/create`, { streamId: 'big', name: 'x'.repeat(20_000) }, 413],
    ['an unknown broadcast', 'GET', `${base}/nobody`, undefined, 404],
    ['a bad list size', 'GET', `${base}/list/0/0`, undefined, 400],
    ['a negative offset', 'GET', `${base}/list/-1/5`, undefined, 400],
    ['a token for an unknown stream', 'GET', `${base}/nobody/token?expireDate=9999999999`, undefined, 404],
    ['a token in the past', 'GET', `${base}/rest1/token?expireDate=1000`, undefined, 400],
    ['a token without expireDate', 'GET', `${base}/rest1/token`, undefined, 400],
    ['a token of a bad type', 'GET', `${base}/rest1/token?expireDate=9999999999&type=admin`, undefined, 400],
    ['a wrong method', 'PUT', `${base}/rest1`, undefined, 405],
    ['an unknown route', 'GET', '/LiveApp/rest/v2/nothing', undefined, 404],
    ['a bad escape', 'GET', `${base}/%E0%A4%A`, undefined, 400],
  ] as const) {
    it(`answers ${what} with ${status} and a JSON message`, async () => {
      const res = await http(server, method, path, body);
      assert.equal(res.status, status);
      assert.equal(res.json.success, false);
      assert.equal(typeof res.json.message, 'string');
    });
  }
});

describe('HTTP: demo and bundle', () => {
  let server: RunningServer;
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rtc-static-'));
    await mkdir(join(dir, 'demo'));
    await mkdir(join(dir, 'dist'));
    await writeFile(join(dir, 'demo', 'index.html'), '<!doctype html><title>demo</title>');
    await writeFile(join(dir, 'dist', 'rtc-elements.js'), 'export {};');
    await writeFile(join(dir, 'secret.txt'), 'do not serve');
    server = await startServer({ demoDir: join(dir, 'demo'), distDir: join(dir, 'dist') });
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the demo at / and the bundle at /dist/', async () => {
    const page = await fetch(`${server.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await page.text(), /demo/);
    const js = await fetch(`${server.url}/dist/rtc-elements.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
  });

  it('does not serve files outside its folders', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/dist/%2e%2e/secret.txt', '/dist/..%2fsecret.txt']) {
      const res = await fetch(`${server.url}${path}`);
      assert.equal(res.status, 404, path);
    }
  });

  it('binds the loopback by default', () => {
    assert.equal(server.host, '127.0.0.1');
  });
});

describe('media addresses', () => {
  it('announce only the loopback unless --host or announcedHosts say otherwise', async () => {
    const { mediaHosts } = await import('../../packages/server/src/index.js');
    assert.deepEqual(mediaHosts({ host: '127.0.0.1', announcedHosts: [] }), []);
    assert.deepEqual(mediaHosts({ host: 'localhost', announcedHosts: [] }), []);
    assert.deepEqual(mediaHosts({ host: '192.0.2.7', announcedHosts: [] }), ['192.0.2.7']);
    assert.deepEqual(mediaHosts({ host: '127.0.0.1', announcedHosts: ['198.51.100.1'] }), ['198.51.100.1']);
    for (const address of mediaHosts({ host: '0.0.0.0', announcedHosts: [] })) assert.equal(isIP(address), 4);
  });
});
