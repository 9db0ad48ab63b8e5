// The HTTP router (packages/server/src/http/router.ts): matching, parameters, 404 and 405 with Allow; then
// the server's own table over real HTTP (which route family answers what).
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { HttpError } from '../../packages/server/src/http/json.js';
import { requestListener, Router, splitPath, type Route } from '../../packages/server/src/http/router.js';
import type { RunningServer } from '../../packages/server/src/index.js';
import { startServer } from '../helpers/server.js';

const ok = (): void => undefined;
const req = (method: string): IncomingMessage => ({ method }) as IncomingMessage;
const res = {} as ServerResponse;
const url = new URL('http://localhost/');

/** The HttpError `promise` rejects with. */
async function httpError(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof HttpError, String(e));
    return e;
  }
  assert.fail('no error');
}

describe('Router: matching', () => {
  const routes: Route[] = [
    { path: '/a/b', methods: { GET: ok } },
    { path: '/items/:id', methods: { GET: ok } },
    { path: '/items/:id/parts/:part', methods: { GET: ok } },
    { path: '/files/*path', methods: { GET: ok } },
    { path: '/:app/rest/v2/*rest', methods: { GET: ok } },
    { path: '/*all', methods: { GET: ok } },
  ];
  const router = new Router(routes);
  const find = (path: string) => {
    const found = router.find(splitPath(path));
    return found && { path: found.route.path, params: found.params };
  };

  it('splits a path into its segments, empty ones kept', () => {
    assert.deepEqual(splitPath('/'), ['']);
    assert.deepEqual(splitPath('/a/b/'), ['a', 'b', '']);
    assert.deepEqual(splitPath('//x'), ['', 'x']);
  });

  it('matches literals exactly and whole paths only', () => {
    assert.deepEqual(find('/a/b'), { path: '/a/b', params: {} });
    assert.deepEqual(find('/a/b/'), { path: '/*all', params: { all: 'a/b/' } });
    assert.deepEqual(find('/a'), { path: '/*all', params: { all: 'a' } });
    assert.deepEqual(find('/A/b'), { path: '/*all', params: { all: 'A/b' } });
  });

  it('reads :params, which must not be empty, raw (not decoded)', () => {
    assert.deepEqual(find('/items/7'), { path: '/items/:id', params: { id: '7' } });
    assert.deepEqual(find('/items/a%20b/parts/x'), { path: '/items/:id/parts/:part', params: { id: 'a%20b', part: 'x' } });
    assert.deepEqual(find('/items/'), { path: '/*all', params: { all: 'items/' } });
    assert.deepEqual(find('/items//parts/x'), { path: '/*all', params: { all: 'items//parts/x' } });
  });

  it('gives *rest one or more segments, slashes and empty ones included', () => {
    assert.deepEqual(find('/files/a/b.js'), { path: '/files/*path', params: { path: 'a/b.js' } });
    assert.deepEqual(find('/files/'), { path: '/files/*path', params: { path: '' } });
    assert.deepEqual(find('/files'), { path: '/*all', params: { all: 'files' } });
    assert.deepEqual(find('/LiveApp/rest/v2/broadcasts/x'), { path: '/:app/rest/v2/*rest', params: { app: 'LiveApp', rest: 'broadcasts/x' } });
    assert.deepEqual(find('/LiveApp/rest/v2'), { path: '/*all', params: { all: 'LiveApp/rest/v2' } });
    assert.deepEqual(find('/'), { path: '/*all', params: { all: '' } });
  });

  it('lets the first matching route win', () => {
    const first = new Router([
      { path: '/x/new', methods: { POST: ok } },
      { path: '/x/:id', methods: { GET: ok } },
    ]);
    assert.equal(first.find(['x', 'new'])?.route.path, '/x/new');
    assert.equal(first.find(['x', 'old'])?.route.path, '/x/:id');
    assert.equal(first.find(['y']), undefined);
  });

  it('refuses a *rest that is not last', () => {
    assert.throws(() => new Router([{ path: '/*rest/x', methods: {} }]), /must come last/);
  });
});

describe('Router: dispatch', () => {
  const calls: string[] = [];
  const router = new Router<string>(
    [
      { path: '/new', methods: { POST: (_q, _s, _m, ctx) => void calls.push(`new ${ctx}`) } },
      {
        path: '/things/:id',
        before: ({ params }) => {
          if (params.id === 'bad') throw new HttpError(400, 'bad id');
        },
        methods: {
          GET: (_q, _s, { params }, ctx) => void calls.push(`get ${params.id} ${ctx}`),
          DELETE: async (_q, _s, { params }) => void calls.push(`delete ${params.id}`),
        },
      },
      { path: '/admin', methods: { GET: ok, POST: ok, DELETE: ok } },
      { path: '/files/*path', methods: { GET: ok, HEAD: ok } },
      { path: '/public/*path', methods: { GET: ok, HEAD: ok, OPTIONS: ok } },
      { path: '/any', methods: { '*': (q) => void calls.push(`any ${q.method}`) } },
    ],
    'no such route',
  );
  const dispatch = (method: string, path: string) => router.dispatch(req(method), res, splitPath(path), url, 'ctx');

  it('runs the handler of the method with the parameters and the context', async () => {
    calls.length = 0;
    await dispatch('POST', '/new');
    await dispatch('GET', '/things/7');
    await dispatch('DELETE', '/things/8');
    await dispatch('PATCH', '/any');
    assert.deepEqual(calls, ['new ctx', 'get 7 ctx', 'delete 8', 'any PATCH']);
  });

  it("answers an unknown path with 404 and the router's message", async () => {
    const e = await httpError(dispatch('GET', '/nothing'));
    assert.deepEqual([e.status, e.message, e.headers], [404, 'no such route', undefined]);
    assert.equal((await httpError(new Router([]).dispatch(req('GET'), res, [''], url))).message, 'not found');
  });

  it('answers a known path and another method with 405, Allow and what to use (HEAD and OPTIONS unsaid)', async () => {
    const cases: [string, string, string, string][] = [
      ['GET', '/new', 'POST', 'use POST'],
      ['PUT', '/things/7', 'GET, DELETE', 'use GET or DELETE'],
      ['OPTIONS', '/admin', 'GET, POST, DELETE', 'use GET, POST or DELETE'],
      ['POST', '/files/a.js', 'GET, HEAD', 'use GET'],
      ['PUT', '/public/a.js', 'GET, HEAD, OPTIONS', 'use GET'],
    ];
    for (const [method, path, allow, message] of cases) {
      const e = await httpError(dispatch(method, path));
      assert.deepEqual([e.status, e.message, e.headers], [405, message, { allow }], `${method} ${path}`);
    }
  });

  it('runs `before` once the path matches, ahead of the method check', async () => {
    const e = await httpError(dispatch('PUT', '/things/bad'));
    assert.deepEqual([e.status, e.message], [400, 'bad id']);
  });

  it('does not take Object.prototype members for handlers', async () => {
    assert.equal((await httpError(dispatch('constructor', '/new'))).status, 405);
    assert.equal((await httpError(dispatch('toString', '/things/1'))).status, 405);
  });
});

describe('requestListener', () => {
  let base = '';
  const server = createServer(
    requestListener(
      new Router([
        { path: '/fine', methods: { GET: (_q, s) => void s.end('fine') } },
        {
          path: '/broken',
          methods: {
            GET: () => {
              throw new Error('a bug');
            },
          },
        },
        {
          path: '/half',
          methods: {
            GET: (_q, s) => {
              s.writeHead(200);
              s.write('started');
              throw new HttpError(400, 'too late');
            },
          },
        },
      ]),
    ),
  );
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers an HttpError as JSON with its status and headers, a bug as a 500', async () => {
    assert.equal(await (await fetch(`${base}/fine`)).text(), 'fine');
    const missing = await fetch(`${base}/missing`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(missing.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await missing.json(), { success: false, message: 'not found' });
    const wrong = await fetch(`${base}/fine`, { method: 'DELETE' });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET');
    assert.deepEqual(await wrong.json(), { success: false, message: 'use GET' });
    const broken = await fetch(`${base}/broken`);
    assert.equal(broken.status, 500);
    assert.deepEqual(await broken.json(), { success: false, message: 'internal error' });
  });

  it('drops the socket when the headers already went out', async () => {
    await assert.rejects(async () => (await fetch(`${base}/half`)).text());
  });
});

describe("the server's route table", () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ faultInjection: true });
  });
  after(async () => server.close());
  const call = async (method: string, path: string) => {
    const r = await fetch(`${server.url}${path}`, { method });
    return { status: r.status, allow: r.headers.get('allow'), body: method === 'HEAD' ? '' : await r.text() };
  };
  const json = (message: string): string => JSON.stringify({ success: false, message });

  it('static files: GET and HEAD, OPTIONS answered as a preflight; any other method is 405', async () => {
    assert.deepEqual(await call('OPTIONS', '/'), { status: 204, allow: 'GET, HEAD, OPTIONS', body: '' });
    assert.deepEqual(await call('POST', '/dist/rtc-elements.js'), { status: 405, allow: 'GET, HEAD, OPTIONS', body: json('use GET') });
    assert.deepEqual(await call('GET', '/no-such-file.html'), { status: 404, allow: null, body: json('not found') });
    assert.deepEqual(await call('POST', '/__faults/'), { status: 405, allow: 'GET, HEAD, OPTIONS', body: json('use GET') });
  });

  it('REST: a route per resource, the bad id before the method, 404 for a bad app name', async () => {
    const b = '/LiveApp/rest/v2/broadcasts';
    assert.deepEqual(await call('GET', `${b}/create`), { status: 405, allow: 'POST', body: json('use POST') });
    assert.deepEqual(await call('PUT', `${b}/x`), { status: 405, allow: 'GET, DELETE', body: json('use GET or DELETE') });
    assert.deepEqual(await call('HEAD', `${b}/list/0/5`), { status: 405, allow: 'GET', body: '' });
    assert.deepEqual(await call('POST', `${b}/x/token`), { status: 405, allow: 'GET', body: json('use GET') });
    assert.equal((await call('PUT', `${b}/a%20b`)).status, 400);
    assert.equal((await call('GET', `${b}//cre%61te`)).status, 405);
    assert.deepEqual(await call('GET', '/Live%20App/rest/v2/broadcasts/x'), { status: 404, allow: null, body: json('no such application') });
    assert.deepEqual(await call('GET', '/LiveApp/rest/v2/'), { status: 404, allow: null, body: json('no such route') });
    assert.deepEqual(await call('GET', `${b}/list/0/5/6`), { status: 404, allow: null, body: json('no such route') });
  });

  it('the fault switch: GET, POST and DELETE', async () => {
    assert.deepEqual(await call('PUT', '/__faults'), { status: 405, allow: 'GET, POST, DELETE', body: json('use GET, POST or DELETE') });
    assert.deepEqual(await call('GET', '/__faults'), { status: 200, allow: null, body: '[]' });
  });
});
