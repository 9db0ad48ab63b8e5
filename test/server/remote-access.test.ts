// CORS and the REST IP filter over real sockets: the public files answer any origin and their
// preflights; the REST API answers only its allowed origins (corsAllowedOrigins, per app) and
// only client addresses in remoteAllowedCIDR (403 "Not allowed IP" otherwise, as AMS answers).
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../packages/server/src/index.js';
import { AmsClient, startServer, wsUrl } from '../helpers/server.js';

const ELSEWHERE = 'http://elsewhere.test:3000';
const APP = 'http://app.test:5173';

/** A request with these headers; the answer's status, the headers asked for (null when absent) and the JSON body, if any. */
async function call(server: RunningServer, method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = method === 'HEAD' ? '' : await res.text();
  const header = (name: string) => res.headers.get(name);
  return { status: res.status, header, json: text.startsWith('{') ? JSON.parse(text) : undefined, text };
}

const preflight = (method: string, origin: string, requestHeaders?: string): Record<string, string> => ({
  origin,
  'access-control-request-method': method,
  ...(requestHeaders ? { 'access-control-request-headers': requestHeaders } : {}),
});

describe('CORS: the bundle and the demo are public files', () => {
  let server: RunningServer;
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rtc-cors-'));
    await mkdir(join(dir, 'demo'));
    await mkdir(join(dir, 'dist'));
    await writeFile(join(dir, 'demo', 'index.html'), '<!doctype html><title>demo</title>');
    await writeFile(join(dir, 'dist', 'rtc-elements.js'), 'export {};');
    // The REST filters, however strict, do not touch the public files.
    server = await startServer({ staticRoot: dir, settings: { remoteAllowedCIDR: '192.0.2.0/24', corsAllowedOrigins: '' } });
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('GET and HEAD of /dist/ and the demo answer any origin with Access-Control-Allow-Origin: *', async () => {
    for (const [method, path] of [
      ['GET', '/dist/rtc-elements.js'],
      ['HEAD', '/dist/rtc-elements.js'],
      ['GET', '/'],
      ['GET', '/index.html'],
    ] as const) {
      const res = await call(server, method, path, { origin: ELSEWHERE });
      assert.equal(res.status, 200, `${method} ${path}`);
      assert.equal(res.header('access-control-allow-origin'), '*', `${method} ${path}`);
    }
    assert.equal((await call(server, 'GET', '/dist/rtc-elements.js')).header('access-control-allow-origin'), '*', 'without an Origin too');
    assert.equal((await call(server, 'GET', '/dist/missing.js', { origin: ELSEWHERE })).status, 404);
  });

  it('answers a preflight with 204, any origin, GET and HEAD, any request header', async () => {
    const res = await call(server, 'OPTIONS', '/dist/rtc-elements.js', preflight('GET', ELSEWHERE, 'x-custom'));
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    assert.equal(res.header('access-control-allow-origin'), '*');
    assert.equal(res.header('access-control-allow-methods'), 'GET, HEAD, OPTIONS');
    assert.equal(res.header('access-control-allow-headers'), '*');
    assert.equal(res.header('access-control-max-age'), '1800');
    assert.equal(res.header('access-control-allow-private-network'), null, 'only when asked');
    const demo = await call(server, 'OPTIONS', '/', preflight('GET', ELSEWHERE));
    assert.equal(demo.status, 204);
    assert.equal(demo.header('allow'), 'GET, HEAD, OPTIONS');
  });

  it("allows a public page's preflight to reach the loopback when it asks (Private Network Access)", async () => {
    const res = await call(server, 'OPTIONS', '/dist/rtc-elements.js', {
      ...preflight('GET', 'https://public.example'),
      'access-control-request-private-network': 'true',
    });
    assert.equal(res.status, 204);
    assert.equal(res.header('access-control-allow-private-network'), 'true');
  });

  it('still refuses other methods with 405', async () => {
    const res = await call(server, 'POST', '/dist/rtc-elements.js', { origin: ELSEWHERE });
    assert.equal(res.status, 405);
    assert.equal(res.header('allow'), 'GET, HEAD, OPTIONS');
  });
});

describe('CORS: the REST API answers only its allowed origins', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({
      settings: { corsAllowedOrigins: `${APP}, https://admin.test` },
      apps: { Open: { corsAllowedOrigins: '*' }, Closed: { corsAllowedOrigins: '' } },
    });
  });
  after(async () => server.close());
  const list = '/LiveApp/rest/v2/broadcasts/list/0/10';

  it('without an Origin (a backend, curl) answers as before, with Vary: Origin and no CORS header', async () => {
    const res = await call(server, 'GET', list);
    assert.equal(res.status, 200);
    assert.equal(res.header('vary'), 'Origin');
    assert.equal(res.header('access-control-allow-origin'), null);
  });

  it('answers the preflight of an allowed origin: 204, the origin echoed, the methods and headers', async () => {
    for (const origin of [APP, 'https://admin.test']) {
      const res = await call(server, 'OPTIONS', '/LiveApp/rest/v2/broadcasts/create', preflight('POST', origin, 'authorization, content-type'));
      assert.equal(res.status, 204, origin);
      assert.equal(res.header('access-control-allow-origin'), origin);
      assert.equal(res.header('access-control-allow-methods'), 'GET, POST, PUT, DELETE, OPTIONS');
      assert.equal(res.header('access-control-allow-headers'), 'Authorization, Content-Type');
      assert.equal(res.header('vary'), 'Origin');
    }
  });

  it('lets an allowed origin read the answers, errors included', async () => {
    const created = await call(server, 'POST', '/LiveApp/rest/v2/broadcasts/create', { origin: APP }, { streamId: 'corsMade' });
    assert.equal(created.status, 200);
    assert.equal(created.json.streamId, 'corsMade');
    assert.equal(created.header('access-control-allow-origin'), APP);
    const missing = await call(server, 'GET', '/LiveApp/rest/v2/broadcasts/nobody', { origin: APP });
    assert.equal(missing.status, 404);
    assert.equal(missing.header('access-control-allow-origin'), APP);
  });

  it("refuses another origin's preflight and requests with 403 and no Access-Control-Allow-Origin", async () => {
    const pre = await call(server, 'OPTIONS', '/LiveApp/rest/v2/broadcasts/create', preflight('POST', ELSEWHERE, 'content-type'));
    assert.equal(pre.status, 403);
    assert.equal(pre.header('access-control-allow-origin'), null);
    assert.equal(pre.header('access-control-allow-methods'), null);
    assert.equal(pre.header('vary'), 'Origin');
    // A request the browser sends without a preflight (a form-like POST) is refused, not run.
    const post = await call(server, 'POST', '/LiveApp/rest/v2/broadcasts/create', { origin: ELSEWHERE }, { streamId: 'forged' });
    assert.deepEqual([post.status, post.json], [403, { success: false, message: 'Not allowed origin' }]);
    assert.equal(post.header('access-control-allow-origin'), null);
    assert.equal(server.app('LiveApp').store.isRegistered('forged'), false);
    // Near misses are other origins.
    for (const origin of ['http://app.test:5174', 'https://app.test:5173', 'http://app.test', 'null']) {
      assert.equal((await call(server, 'GET', list, { origin })).status, 403, origin);
    }
  });

  it("always answers the server's own origin", async () => {
    const res = await call(server, 'POST', '/Closed/rest/v2/broadcasts/create', { origin: server.url }, { streamId: 'own' });
    assert.equal(res.status, 200);
  });

  it('takes the per-app setting over the global one: * answers any origin, "" none but its own', async () => {
    const open = await call(server, 'OPTIONS', '/Open/rest/v2/broadcasts/create', preflight('POST', ELSEWHERE));
    assert.equal(open.status, 204);
    assert.equal(open.header('access-control-allow-origin'), ELSEWHERE);
    assert.equal((await call(server, 'GET', '/Open/rest/v2/broadcasts/list/0/10', { origin: ELSEWHERE })).status, 200);
    assert.equal((await call(server, 'OPTIONS', '/Closed/rest/v2/broadcasts/create', preflight('POST', APP))).status, 403);
  });

  it('answers a plain OPTIONS (no Origin) with 204 and Allow', async () => {
    const res = await call(server, 'OPTIONS', list);
    assert.equal(res.status, 204);
    assert.equal(res.header('allow'), 'GET, POST, PUT, DELETE, OPTIONS');
    assert.equal(res.header('access-control-allow-methods'), null);
  });
});

describe('remoteAllowedCIDR: the REST API answers only these client addresses', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({
      apps: {
        // 127.0.0.1, where these requests come from, is outside both.
        Lan: { remoteAllowedCIDR: '192.0.2.0/24, 2001:db8::/32', corsAllowedOrigins: APP },
        Wide: { remoteAllowedCIDR: '0.0.0.0/0' },
      },
    });
  });
  after(async () => server.close());

  it('answers the loopback by default', async () => {
    assert.equal(server.config.settings.remoteAllowedCIDR, '127.0.0.1,::1');
    assert.equal((await call(server, 'GET', '/LiveApp/rest/v2/broadcasts/list/0/10')).status, 200);
    assert.equal((await call(server, 'GET', '/Wide/rest/v2/broadcasts/list/0/10')).status, 200);
  });

  it('refuses a client outside the ranges with 403 {success: false, message: "Not allowed IP"}, running nothing', async () => {
    for (const [method, path] of [
      ['GET', '/Lan/rest/v2/broadcasts/list/0/10'],
      ['POST', '/Lan/rest/v2/broadcasts/create'],
      ['DELETE', '/Lan/rest/v2/broadcasts/x'],
      ['GET', '/Lan/rest/v2/nothing'],
    ] as const) {
      const res = await call(server, method, path, {}, method === 'POST' ? { streamId: 'outsider' } : undefined);
      assert.deepEqual([res.status, res.json], [403, { success: false, message: 'Not allowed IP' }], `${method} ${path}`);
    }
    assert.equal(server.app('Lan').store.isRegistered('outsider'), false);
  });

  it("answers an allowed origin's preflight, so its page can read the 403 (CORS comes before the IP filter, as in AMS)", async () => {
    const pre = await call(server, 'OPTIONS', '/Lan/rest/v2/broadcasts/create', preflight('POST', APP, 'content-type'));
    assert.equal(pre.status, 204);
    const res = await call(server, 'POST', '/Lan/rest/v2/broadcasts/create', { origin: APP }, { streamId: 'x' });
    assert.equal(res.status, 403);
    assert.equal(res.json.message, 'Not allowed IP');
    assert.equal(res.header('access-control-allow-origin'), APP);
  });

  it('leaves the WebSocket of that app alone (the filter is the REST one)', async () => {
    const c = await AmsClient.connect(wsUrl(server, 'Lan'));
    try {
      assert.equal((await c.request({ command: 'ping' }, { command: 'pong' })).command, 'pong');
    } finally {
      c.close();
    }
  });
});

describe('remoteAllowedCIDR over IPv6', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ host: '::1', apps: { V4only: { remoteAllowedCIDR: '127.0.0.1' } } });
  });
  after(async () => server.close());

  it('answers ::1 by default and refuses it where only 127.0.0.1 is listed', async () => {
    assert.equal(server.url, `http://[::1]:${server.port}`);
    assert.equal((await call(server, 'GET', '/LiveApp/rest/v2/broadcasts/list/0/10')).status, 200);
    const refused = await call(server, 'GET', '/V4only/rest/v2/broadcasts/list/0/10');
    assert.deepEqual([refused.status, refused.json?.message], [403, 'Not allowed IP']);
  });
});
