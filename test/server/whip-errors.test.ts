// WHIP and WHEP failures and guards over real HTTP: each 4xx (and the 503 of a full server),
// bearer tokens from the REST token route, CORS and OPTIONS, GET and HEAD, and the settings.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RTCPeerConnection } from 'werift';
import { resolveConfig } from '../../packages/server/src/config.js';
import type { RunningServer } from '../../packages/server/src/index.js';
import { startServer } from '../helpers/server.js';
import { clientFragment, playerPeer, postOffer, problem, publisherPeer, request, sendSyntheticMedia, until, type HttpAnswer } from '../helpers/whip.js';

const SDPFRAG = { 'content-type': 'application/trickle-ice-sdpfrag' };

describe('WHIP and WHEP refusals', () => {
  let server: RunningServer;
  const pcs: RTCPeerConnection[] = [];
  const stops: Array<{ stop(): void }> = [];
  let n = 0;
  const id = (prefix: string) => `${prefix}${++n}`;

  before(async () => {
    server = await startServer({
      settings: { stunServerUri: 'stun:stun.example.test:3478' },
      apps: {
        TokenApp: { publishTokenControlEnabled: true, playTokenControlEnabled: true },
        Only: { acceptOnlyStreamsInDataStore: true },
        Strict: { whipCorsAllowedOrigins: 'https://allowed.test' },
      },
    });
  });
  after(async () => {
    for (const s of stops) s.stop();
    for (const pc of pcs) await pc.close();
    await server.close();
  });

  const offerOf = async (kind: 'publisher' | 'player' = 'publisher'): Promise<string> => {
    const peer = kind === 'publisher' ? await publisherPeer() : await playerPeer();
    pcs.push(peer.pc);
    return peer.offer;
  };

  /** A WHIP publish of `app`/`streamId` that sends media; `headers` go with the POST. */
  async function whipLive(app: string, streamId: string, headers: Record<string, string> = {}) {
    const peer = await publisherPeer();
    pcs.push(peer.pc);
    const res = await postOffer(server, `/${app}/whip/${streamId}`, peer.offer, headers);
    assert.equal(res.status, 201, res.text);
    await peer.pc.setRemoteDescription({ type: 'answer', sdp: res.text });
    stops.push(sendSyntheticMedia({ video: peer.video, audio: peer.audio }));
    await until(
      async () => JSON.parse((await request(server, 'GET', `/${app}/rest/v2/broadcasts/${streamId}`)).text).status === 'broadcasting',
      `${streamId} broadcasting`,
    );
    return { ...peer, res, location: res.headers.get('location')!, etag: res.headers.get('etag')! };
  }

  const assertProblem = (res: HttpAnswer, status: number, code?: string): void => {
    assert.equal(res.status, status, res.text);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    const p = problem(res);
    assert.equal(p.status, status);
    assert.ok(p.detail.length > 0);
    if (code !== undefined) assert.equal(p.code, code);
  };

  it('415 for an offer that is not application/sdp (with Accept-Post), 413 above the cap, 400 for a body that is no SDP', async () => {
    const wrongType = await request(server, 'POST', `/LiveApp/whip/${id('t')}`, { headers: { 'content-type': 'text/plain' }, body: await offerOf() });
    assertProblem(wrongType, 415);
    assert.equal(wrongType.headers.get('accept-post'), 'application/sdp');
    assertProblem(await request(server, 'POST', `/LiveApp/whep/${id('t')}`, { body: 'v=0' }), 415);
    assertProblem(await postOffer(server, `/LiveApp/whip/${id('big')}`, `v=0\r\n${'a=x\r\n'.repeat(20_000)}`), 413);
    assertProblem(await postOffer(server, `/LiveApp/whip/${id('bad')}`, 'hello'), 400, 'notSetRemoteDescription');
    assertProblem(await postOffer(server, `/LiveApp/whep/${id('bad')}`, 'v=0\r\n'), 400, 'notSetRemoteDescription');
  });

  it('400 for an offer with the wrong direction: a recvonly offer to WHIP, a sendonly offer to WHEP; the id stays free', async () => {
    const streamId = id('dir');
    assertProblem(await postOffer(server, `/LiveApp/whip/${streamId}`, await offerOf('player')), 400, 'notSetRemoteDescription');
    const live = await whipLive('LiveApp', streamId);
    assertProblem(await postOffer(server, `/LiveApp/whep/${streamId}`, await offerOf('publisher')), 400, 'notSetRemoteDescription');
    assert.equal((await request(server, 'DELETE', live.location)).status, 200);
  });

  it('400 for a stream id AMS refuses, 404 for a path segment that is no app name', async () => {
    assertProblem(await postOffer(server, '/LiveApp/whip/bad%20id', await offerOf()), 400, 'invalidStreamName');
    assertProblem(await postOffer(server, '/bad.app/whip/x', await offerOf()), 404);
  });

  it('409 with Retry-After for WHEP of a stream that is not live', async () => {
    const res = await postOffer(server, `/LiveApp/whep/${id('none')}`, await offerOf('player'));
    assertProblem(res, 409, 'no_stream_exist');
    assert.equal(res.headers.get('retry-after'), '2');
  });

  it('403 for an unregistered stream where only created ones may publish; 201 once created', async () => {
    const streamId = id('only');
    assertProblem(await postOffer(server, `/Only/whip/${streamId}`, await offerOf()), 403, 'not_allowed_unregistered_streams');
    const created = await request(server, 'POST', '/Only/rest/v2/broadcasts/create', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ streamId }),
    });
    assert.equal(created.status, 200);
    const ok = await postOffer(server, `/Only/whip/${streamId}`, await offerOf());
    assert.equal(ok.status, 201, ok.text);
    await request(server, 'DELETE', ok.headers.get('location')!);
    assert.equal(
      JSON.parse((await request(server, 'GET', `/Only/rest/v2/broadcasts/${streamId}`)).text).status,
      'finished',
      'a created stream stays, finished',
    );
  });

  it('404 for a session that is not there (unknown id, another stream id, another app); 405 with Allow for another method', async () => {
    const streamId = id('s');
    const live = await whipLive('LiveApp', streamId);
    const sessionId = live.location.split('/').pop()!;
    for (const path of [
      `/LiveApp/whip/${streamId}/nosuchsession`,
      `/LiveApp/whip/other/${sessionId}`,
      `/Only/whip/${streamId}/${sessionId}`,
      `/LiveApp/whep/${streamId}/${sessionId}`,
    ]) {
      assertProblem(await request(server, 'DELETE', path), 404);
      assertProblem(await request(server, 'PATCH', path, { headers: { ...SDPFRAG, 'if-match': '*' }, body: clientFragment(live.offer) }), 404);
    }
    const put = await request(server, 'PUT', `/LiveApp/whip/${streamId}`);
    assertProblem(put, 405);
    assert.equal(put.headers.get('allow'), 'POST, OPTIONS, GET, HEAD');
    const post = await request(server, 'POST', live.location);
    assertProblem(post, 405);
    assert.equal(post.headers.get('allow'), 'PATCH, DELETE, OPTIONS, GET, HEAD');
    await request(server, 'DELETE', live.location);
  });

  it('PATCH: 428 for an ICE restart without If-Match (a trickle without one is taken), 412 for another ETag, 415 for another type, 400 for a body that is no fragment', async () => {
    const live = await whipLive('LiveApp', id('p'));
    const body = clientFragment(live.offer);
    const restart = body.replace(/a=ice-ufrag:.*/, 'a=ice-ufrag:fresh').replace(/a=ice-pwd:.*/, 'a=ice-pwd:freshfreshfreshfreshfresh');
    assertProblem(await request(server, 'PATCH', live.location, { headers: SDPFRAG, body: restart }), 428);
    assert.equal((await request(server, 'PATCH', live.location, { headers: SDPFRAG, body })).status, 204, "medooze's WHEP client trickles without If-Match");
    assertProblem(await request(server, 'PATCH', live.location, { headers: { ...SDPFRAG, 'if-match': '"other"' }, body }), 412);
    assertProblem(await request(server, 'PATCH', live.location, { headers: { ...SDPFRAG, 'if-match': `W/${live.etag}` }, body }), 412);
    const wrongType = await request(server, 'PATCH', live.location, { headers: { 'content-type': 'application/sdp', 'if-match': live.etag }, body });
    assertProblem(wrongType, 415);
    assert.equal(wrongType.headers.get('accept-patch'), 'application/trickle-ice-sdpfrag');
    assertProblem(await request(server, 'PATCH', live.location, { headers: { ...SDPFRAG, 'if-match': live.etag }, body: 'garbage' }), 400);
    assertProblem(await request(server, 'PATCH', live.location, { headers: { ...SDPFRAG, 'if-match': live.etag }, body: 'a=ice-ufrag:abcd\r\n' }), 400);
    assert.equal(
      (await request(server, 'PATCH', live.location, { headers: { ...SDPFRAG, 'if-match': `"x", ${live.etag}` }, body })).status,
      204,
      'a list with the ETag matches',
    );
    await request(server, 'DELETE', live.location);
  });

  it('publish tokens: 401 with WWW-Authenticate without one, 403 for a bad one, 201 with one from the REST token route; the session wants it again', async () => {
    const streamId = id('tok');
    const offer = await offerOf();
    const missing = await postOffer(server, `/TokenApp/whip/${streamId}`, offer);
    assertProblem(missing, 401, 'unauthorized_access');
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="TokenApp"');
    assertProblem(await postOffer(server, `/TokenApp/whip/${streamId}`, offer, { authorization: 'Bearer nope' }), 403, 'unauthorized_access');
    assertProblem(await postOffer(server, `/TokenApp/whip/${streamId}`, offer, { authorization: 'Basic dXNlcjpwYXNz' }), 401);

    await request(server, 'POST', '/TokenApp/rest/v2/broadcasts/create', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ streamId }),
    });
    const expireDate = Math.floor(Date.now() / 1000) + 600;
    const token = (type: string) =>
      request(server, 'GET', `/TokenApp/rest/v2/broadcasts/${streamId}/token?expireDate=${expireDate}&type=${type}`).then(
        (r) => (JSON.parse(r.text) as { tokenId: string }).tokenId,
      );
    const playToken = await token('play');
    assertProblem(await postOffer(server, `/TokenApp/whip/${streamId}`, offer, { authorization: `Bearer ${playToken}` }), 403, 'unauthorized_access');
    const publishToken = await token('publish');
    const live = await whipLive('TokenApp', streamId, { authorization: `Bearer ${publishToken}` });

    const body = clientFragment(live.offer);
    assertProblem(await request(server, 'PATCH', live.location, { headers: { ...SDPFRAG, 'if-match': live.etag }, body }), 401);
    assertProblem(await request(server, 'PATCH', live.location, { headers: { ...SDPFRAG, 'if-match': live.etag, authorization: 'Bearer other' }, body }), 403);
    assert.equal(
      (await request(server, 'PATCH', live.location, { headers: { ...SDPFRAG, 'if-match': live.etag, authorization: `Bearer ${publishToken}` }, body })).status,
      204,
    );
    assertProblem(await request(server, 'DELETE', live.location), 401);

    // Play tokens for WHEP, here in the query as AMS's URLs carry them; one-time, as over the WebSocket.
    assertProblem(await postOffer(server, `/TokenApp/whep/${streamId}`, await offerOf('player')), 401);
    const play2 = await token('play');
    const played = await postOffer(server, `/TokenApp/whep/${streamId}?token=${play2}`, await offerOf('player'));
    assert.equal(played.status, 201, played.text);
    assertProblem(await postOffer(server, `/TokenApp/whep/${streamId}?token=${play2}`, await offerOf('player')), 403);
    assert.equal((await request(server, 'DELETE', `${played.headers.get('location')!}?token=${play2}`)).status, 200);

    assert.equal((await request(server, 'DELETE', live.location, { headers: { authorization: `Bearer ${publishToken}` } })).status, 200);
  });

  it('CORS: a preflight from any origin allows the WHIP methods and headers; answers expose Location, Link and ETag', async () => {
    const preflight = await request(server, 'OPTIONS', `/LiveApp/whip/${id('c')}`, {
      headers: { origin: 'https://page.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    assert.equal(preflight.status, 200);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://page.test');
    const methods = preflight.headers.get('access-control-allow-methods')!.split(', ');
    for (const m of ['POST', 'PATCH', 'DELETE', 'OPTIONS']) assert.ok(methods.includes(m), m);
    const headers = preflight.headers.get('access-control-allow-headers')!.split(', ');
    for (const h of ['Authorization', 'Content-Type', 'If-Match']) assert.ok(headers.includes(h), h);
    assert.equal(preflight.headers.get('link'), null, 'no ICE servers in a preflight');

    // A plain OPTIONS (Eyevinn's client asks for its ICE servers so) gets Link and Accept-Post.
    const plain = await request(server, 'OPTIONS', `/LiveApp/whip/${id('c')}`, { headers: { origin: 'https://page.test' } });
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get('link'), '<stun:stun.example.test:3478>; rel="ice-server"');
    assert.equal(plain.headers.get('accept-post'), 'application/sdp');

    const streamId = id('c');
    const peer = await publisherPeer();
    pcs.push(peer.pc);
    const res = await postOffer(server, `/LiveApp/whip/${streamId}`, peer.offer, { origin: 'https://page.test' });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://page.test');
    const exposed = res.headers.get('access-control-expose-headers')!.split(', ');
    for (const h of ['Location', 'Link', 'ETag']) assert.ok(exposed.includes(h), h);
    const sessionPreflight = await request(server, 'OPTIONS', res.headers.get('location')!, {
      headers: { origin: 'https://page.test', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'content-type, if-match' },
    });
    assert.equal(sessionPreflight.status, 200);
    assert.equal(sessionPreflight.headers.get('access-control-allow-origin'), 'https://page.test');
    await request(server, 'DELETE', res.headers.get('location')!);
  });

  it('CORS: an app that names its origins refuses the others (403, no Access-Control-Allow-Origin)', async () => {
    const refused = await postOffer(server, `/Strict/whip/${id('x')}`, await offerOf(), { origin: 'https://evil.test' });
    assertProblem(refused, 403);
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
    const refusedPreflight = await request(server, 'OPTIONS', `/Strict/whip/x`, {
      headers: { origin: 'https://evil.test', 'access-control-request-method': 'POST' },
    });
    assert.equal(refusedPreflight.status, 403);
    const allowed = await postOffer(server, `/Strict/whip/${id('x')}`, await offerOf(), { origin: 'https://allowed.test' });
    assert.equal(allowed.status, 201, allowed.text);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://allowed.test');
    await request(server, 'DELETE', allowed.headers.get('location')!);
  });

  it('GET has no content (204); HEAD of an endpoint says application/sdp', async () => {
    const get = await request(server, 'GET', `/LiveApp/whep/${id('g')}`);
    assert.equal(get.status, 204);
    assert.equal(get.text, '');
    const head = await request(server, 'HEAD', `/LiveApp/whep/${id('g')}`);
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-type'), 'application/sdp');
  });
});

describe('WHIP and WHEP at capacity', () => {
  let server: RunningServer;
  const pcs: RTCPeerConnection[] = [];
  before(async () => {
    server = await startServer({ maxWhipSessions: 1 });
  });
  after(async () => {
    for (const pc of pcs) await pc.close();
    await server.close();
  });

  it('503 with Retry-After beyond maxWhipSessions; a freed session makes room', async () => {
    const offer = async () => {
      const p = await publisherPeer();
      pcs.push(p.pc);
      return p.offer;
    };
    const first = await postOffer(server, '/LiveApp/whip/a', await offer());
    assert.equal(first.status, 201);
    const full = await postOffer(server, '/LiveApp/whip/b', await offer());
    assert.equal(full.status, 503);
    assert.equal(full.headers.get('retry-after'), '2');
    assert.equal(problem(full).status, 503);
    assert.equal((await postOffer(server, '/LiveApp/whep/a', await offer())).status, 503, 'WHEP too');
    assert.equal((await request(server, 'DELETE', first.headers.get('location')!)).status, 200);
    assert.equal((await postOffer(server, '/LiveApp/whip/b', await offer())).status, 201);
  });
});

describe('WHIP settings', () => {
  it('maxWhipSessions and whipCorsAllowedOrigins are checked; the defaults are no limit and any origin', () => {
    const c = resolveConfig({});
    assert.equal(c.maxWhipSessions, 0);
    assert.equal(c.settings.whipCorsAllowedOrigins, '*');
    assert.equal(resolveConfig({ maxWhipSessions: 10 }).maxWhipSessions, 10);
    assert.throws(() => resolveConfig({ maxWhipSessions: -1 }), /maxWhipSessions/);
    assert.throws(() => resolveConfig({ maxWhipSessions: 1.5 }), /maxWhipSessions/);
    assert.throws(() => resolveConfig({ settings: { whipCorsAllowedOrigins: 'page.test' } }), /settings\.whipCorsAllowedOrigins/);
    assert.equal(
      resolveConfig({ apps: { A: { whipCorsAllowedOrigins: 'https://a.test, https://b.test' } } }).apps.A!.whipCorsAllowedOrigins,
      'https://a.test, https://b.test',
    );
  });
});
