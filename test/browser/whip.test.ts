// <rtc-publisher> over WHIP and <rtc-player> over WHEP against the real embedded server (another
// origin than the page: every request is a CORS one), with fake camera and microphone: each way
// across the two protocols, ICE restart by PATCH, DELETE on stop, tokens, the full-endpoint form,
// and each HTTP failure reaching rtc-error with overlay text (the server's real refusals where it
// makes them, its WHIP/WHEP fault switch for the answers it never gives: 307, 429, 405, 500).
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { HttpFaultRule } from '../../packages/server/src/faults.js';
import '../../src/define.js';
import { messageFor } from '../../src/elements/rtc-error-overlay/messages.js';
import type { RtcPlayer } from '../../src/elements/rtc-player/rtc-player.js';
import type { RtcPublisher } from '../../src/elements/rtc-publisher/rtc-publisher.js';
import type { RtcErrorDetail } from '../../src/events/rtc-events.js';

const server = (window as unknown as { __RTC_SERVER__: { http: string; ws: string } }).__RTC_SERVER__;
const app = `${server.http}/LiveApp`;

const httpFault = (rule: HttpFaultRule) => executeServerCommand('rtc-server', { action: 'http-fault', rule });
const clearFaults = () => executeServerCommand('rtc-server', { action: 'clear-faults' });
const token = (streamId: string, type: 'publish' | 'play') =>
  executeServerCommand('rtc-server', { action: 'token', app: 'TokenApp', streamId, type }) as Promise<string>;

/** Every request the page makes (fetch passes through: this only watches). */
interface Seen {
  method: string;
  url: string;
  headers: Headers;
  body?: string;
  status?: number;
  /** The answer's `Location`, absolute. */
  location?: string;
}
let seen: Seen[] = [];
const realFetch = window.fetch;
const watchFetch = () => {
  seen = [];
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const entry: Seen = {
      method: init?.method ?? 'GET',
      url: String(input),
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : undefined,
    };
    seen.push(entry);
    const res = await realFetch(input, init);
    entry.status = res.status;
    const location = res.headers.get('location');
    if (location) entry.location = new URL(location, res.url).href;
    return res;
  };
};

const mounted: HTMLElement[] = [];
function mount<T extends HTMLElement>(tag: string, attrs: Record<string, string>): T {
  const el = document.createElement(tag) as T;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  mounted.push(el);
  document.body.append(el);
  return el;
}
const publisher = (attrs: Record<string, string>) => mount<RtcPublisher>('rtc-publisher', { 'no-audio': '', ...attrs });
const player = (attrs: Record<string, string>) => mount<RtcPlayer>('rtc-player', { muted: '', ...attrs });

const next = <T = CustomEvent>(el: EventTarget, type: string, ms = 15_000): Promise<T> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} within ${ms} ms`)), ms);
    el.addEventListener(type, (e) => (clearTimeout(timer), resolve(e as T)), { once: true });
  });
const nextError = async (el: HTMLElement): Promise<RtcErrorDetail> => (await next<CustomEvent<RtcErrorDetail>>(el, 'rtc-error')).detail;

const video = (el: HTMLElement) => el.shadowRoot!.querySelector('video')!;
/** Resolves once the player's video has decoded `more` frames beyond now. */
async function frames(el: RtcPlayer, more: number, what: string, ms = 10_000): Promise<void> {
  const count = () => video(el).getVideoPlaybackQuality().totalVideoFrames;
  const start = count();
  const deadline = Date.now() + ms;
  while (count() - start < more) {
    if (Date.now() > deadline) throw new Error(`${what}: ${count() - start} frames within ${ms} ms, wanted ${more}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Resolves once `check` holds (polled: a request's answer comes after the event that sent it). */
async function until(check: () => unknown, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The overlay's title and message, as a viewer reads them. */
async function overlayText(el: HTMLElement): Promise<string> {
  await (el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
  const overlay = el.shadowRoot!.querySelector('rtc-error-overlay') as (HTMLElement & { updateComplete: Promise<unknown> }) | null;
  expect(overlay, 'the error overlay').to.exist;
  await overlay!.updateComplete;
  return overlay!.shadowRoot!.textContent ?? '';
}
async function expectOverlay(el: HTMLElement, code: string): Promise<void> {
  const { title, message } = messageFor(code);
  const text = await overlayText(el);
  expect(text).to.contain(title);
  expect(text).to.contain(message);
}

/** The session an element runs (tests reach its recovery directly). */
const sessionOf = (el: HTMLElement) => (el as unknown as { session: { session: { recoverIce(): void; pc?: RTCPeerConnection } | null } }).session.session!;

const id = (name: string) => `${name}${Date.now()}${Math.floor(Math.random() * 1000)}`;

async function livePublisher(streamId: string, attrs: Record<string, string> = {}): Promise<RtcPublisher> {
  const el = publisher({ 'server-url': app, 'stream-id': streamId, ...attrs });
  const started = next(el, 'rtc-publish-started');
  await el.start();
  await started;
  return el;
}

describe('WHIP and WHEP: <rtc-publisher> and <rtc-player> over HTTP', () => {
  beforeEach(() => watchFetch());
  afterEach(async () => {
    window.fetch = realFetch;
    for (const el of mounted.splice(0)) el.remove();
    await clearFaults();
    // The removals' teardown runs at the end of the task.
    await new Promise((r) => setTimeout(r, 10));
  });

  describe('happy path', () => {
    it('publishes over WHIP (POST application/sdp, 201 + Location) and a player plays it over WHEP, decoding', async () => {
      const streamId = id('whip');
      const pub = await livePublisher(streamId);
      const post = seen.find((s) => s.method === 'POST')!;
      expect(post.url).to.equal(`${app}/whip/${streamId}`);
      expect(post.headers.get('content-type')).to.equal('application/sdp');
      expect(post.body).to.match(/^v=0/);
      expect(post.body, 'no data channel in a WHIP offer').to.not.contain('m=application');
      expect(post.status).to.equal(201);
      expect(pub.state).to.equal('live');

      const play = player({ 'server-url': app, 'stream-id': streamId, autoplay: '' });
      await next(play, 'rtc-play-started');
      expect(play.state).to.equal('live');
      expect(seen.some((s) => s.method === 'POST' && s.url === `${app}/whep/${streamId}` && s.status === 201)).to.equal(true);
      await frames(play, 10, 'frames over WHEP');
    });

    it('our WHIP publish plays over the AMS WebSocket; an AMS WebSocket publish plays over WHEP', async () => {
      const overWhip = id('whip2ws');
      const whipPub = await livePublisher(overWhip);
      const wsPlayer = player({ 'server-url': server.ws, 'stream-id': overWhip, autoplay: '' });
      await next(wsPlayer, 'rtc-play-started');
      await frames(wsPlayer, 10, 'WHIP publish over the WebSocket');

      const overWs = id('ws2whep');
      const wsPub = publisher({ 'server-url': server.ws, 'stream-id': overWs });
      await wsPub.start();
      const whepPlayer = player({ 'server-url': app, 'stream-id': overWs, autoplay: '' });
      await next(whepPlayer, 'rtc-play-started');
      await frames(whepPlayer, 10, 'WebSocket publish over WHEP');
      // Where the browser offers (WHIP, an AMS publish, WHEP), the server answers as the DTLS
      // server: werift's own `active` answer would make its hello wait a fixed 100 ms.
      for (const el of [whipPub, wsPub, whepPlayer]) expect(sessionOf(el).pc!.remoteDescription!.sdp).to.match(/^a=setup:passive\r?$/m);
    });

    it('a full endpoint URL without stream-id is used as it is (any WHIP/WHEP server)', async () => {
      const streamId = id('full');
      const pub = publisher({ 'server-url': `${app}/whip/${streamId}` });
      await pub.start();
      const play = player({ 'server-url': `${app}/whep/${streamId}`, autoplay: '' });
      await next(play, 'rtc-play-started');
      await frames(play, 5, 'frames from the full endpoints');
      // (The player may have POSTed more than once: 409 until the server sees the publisher's media.)
      expect([...new Set(seen.filter((s) => s.method === 'POST').map((s) => s.url))]).to.deep.equal([`${app}/whip/${streamId}`, `${app}/whep/${streamId}`]);
    });

    it('protocol="whip" takes the AMS WebSocket URL and uses its application over HTTP; protocol="ams" an http URL over the WebSocket', async () => {
      const streamId = id('proto');
      const pub = publisher({ 'server-url': server.ws, 'stream-id': streamId, protocol: 'whip' });
      await pub.start();
      expect(seen.find((s) => s.method === 'POST')?.url).to.equal(`${app}/whip/${streamId}`);
      const play = player({ 'server-url': `${server.http}/LiveApp/websocket`, 'stream-id': streamId, protocol: 'ams', autoplay: '' });
      await next(play, 'rtc-play-started');
      expect(
        seen.filter((s) => s.url.includes('/whep/')),
        'no WHEP request',
      ).to.have.length(0);
    });

    it('trickles candidates by PATCH application/trickle-ice-sdpfrag with If-Match on the ETag', async () => {
      await livePublisher(id('trickle'));
      await until(() => seen.find((s) => s.method === 'PATCH')?.status, 'a trickle PATCH answered');
      const patch = seen.find((s) => s.method === 'PATCH');
      expect(patch!.headers.get('content-type')).to.equal('application/trickle-ice-sdpfrag');
      expect(patch!.headers.get('if-match')).to.match(/^"/);
      expect(patch!.body).to.match(/a=ice-ufrag:.*\r\na=ice-pwd:.*\r\nm=.*\r\na=mid:.*\r\na=candidate:/);
      expect(patch!.status).to.equal(204);
    });
  });

  describe('recovery', () => {
    it('an ICE restart by PATCH (publisher and player) keeps frames flowing on the same sessions', async () => {
      const streamId = id('restart');
      const pub = await livePublisher(streamId);
      const play = player({ 'server-url': app, 'stream-id': streamId, autoplay: '' });
      await next(play, 'rtc-play-started');
      await frames(play, 5, 'first frames');
      const posts = seen.filter((s) => s.method === 'POST').length;

      for (const el of [play, pub] as HTMLElement[]) {
        const pc = sessionOf(el).pc!;
        const ufrag = /a=ice-ufrag:(.*)/.exec(pc.remoteDescription!.sdp)![1];
        const attempt = next<CustomEvent>(el, el === pub ? 'rtc-reconnection-attempt-for-publisher' : 'rtc-reconnection-attempt-for-player');
        sessionOf(el).recoverIce();
        expect((await attempt).detail.iceRestart).to.equal(true);
        await new Promise<void>((resolve, reject) => {
          const deadline = Date.now() + 5000;
          const check = () => {
            if (/a=ice-ufrag:(.*)/.exec(pc.remoteDescription!.sdp)![1] !== ufrag && pc.signalingState === 'stable') resolve();
            else if (Date.now() > deadline) reject(new Error('no new server credentials'));
            else setTimeout(check, 20);
          };
          check();
        });
        const restart = seen.filter((s) => s.method === 'PATCH' && s.headers.get('if-match') === '*').pop();
        expect(restart?.status, 'the ICE restart PATCH').to.equal(200);
        expect(sessionOf(el).pc, 'the same connection').to.equal(pc);
        await frames(play, 10, 'frames after the ICE restart');
      }
      expect(seen.filter((s) => s.method === 'POST').length, 'no new POST').to.equal(posts);
      expect(pub.state).to.equal('live');
      expect(play.state).to.equal('live');
    });

    it('a 404 on the session PATCH (the server forgot it) starts over with a new POST', async () => {
      const streamId = id('gone');
      const pub = await livePublisher(streamId);
      // Someone else ends the session (as a server restart or an admin would): the server forgets it.
      const location = seen.find((s) => s.method === 'POST')!.location!;
      expect((await realFetch(location, { method: 'DELETE' })).status).to.equal(200);
      const posts = seen.filter((s) => s.method === 'POST').length;
      const again = next(pub, 'rtc-publish-started');
      sessionOf(pub).recoverIce();
      await again;
      expect(seen.find((s) => s.method === 'PATCH' && s.headers.get('if-match') === '*')?.status, 'the ICE restart PATCH').to.equal(404);
      expect(seen.filter((s) => s.method === 'POST').length).to.equal(posts + 1);
      const play = player({ 'server-url': app, 'stream-id': streamId, autoplay: '' });
      await next(play, 'rtc-play-started');
    });

    it('a server that answers PATCH with 405 gets no more trickle, and ICE restarts become new POSTs', async () => {
      const streamId = id('nopatch');
      await httpFault({ kind: 'whip', method: 'PATCH', streamId, status: 405, headers: { allow: 'POST, DELETE' } });
      const pub = await livePublisher(streamId);
      const patches = () => seen.filter((s) => s.method === 'PATCH').length;
      expect(patches(), 'one refused trickle PATCH').to.equal(1);
      const again = next(pub, 'rtc-publish-started');
      sessionOf(pub).recoverIce();
      await again;
      expect(patches(), 'the ICE restart PATCH, then nothing').to.equal(2);
      const last = seen.filter((s) => s.method === 'POST').pop()!;
      expect(last.body, 'without trickle the offer carries its candidates').to.contain('a=candidate:');
    });

    it('follows a 307 redirect with the POST body; honours Retry-After on 429 and 503', async () => {
      const streamId = id('redirect');
      // First match first: 503, then 429, then the 307 to the endpoint itself (this time handled).
      await httpFault({ kind: 'whip', method: 'POST', streamId, status: 503, headers: { 'retry-after': '0' }, times: 1 });
      await httpFault({ kind: 'whip', method: 'POST', streamId, status: 429, headers: { 'retry-after': '1' }, times: 1 });
      await httpFault({ kind: 'whip', method: 'POST', streamId, status: 307, headers: { location: `/LiveApp/whip/${streamId}` }, times: 1 });
      const t0 = performance.now();
      await livePublisher(streamId);
      // The 307 is followed inside fetch (one call), and the server took the body it re-sent (201, not 400).
      expect(seen.filter((s) => s.method === 'POST').map((s) => s.status)).to.deep.equal([503, 429, 201]);
      expect(performance.now() - t0, 'waited Retry-After: 1').to.be.greaterThan(900);
    });

    it('stop sends DELETE and the server frees the stream: a second publish of the id is taken', async () => {
      const streamId = id('delete');
      const pub = await livePublisher(streamId);
      await pub.stop();
      await until(() => seen.find((s) => s.method === 'DELETE')?.status, 'the DELETE answered');
      const del = seen.find((s) => s.method === 'DELETE');
      expect(del?.url).to.match(new RegExp(`/LiveApp/whip/${streamId}/`));
      expect(del?.status).to.equal(200);
      await livePublisher(streamId);
    });

    it('removal sends DELETE (keepalive) too', async () => {
      const streamId = id('remove');
      const pub = await livePublisher(streamId);
      pub.remove();
      await new Promise((r) => setTimeout(r, 50));
      expect(seen.some((s) => s.method === 'DELETE')).to.equal(true);
      await livePublisher(streamId);
    });
  });

  describe('tokens', () => {
    it('a token is sent as Authorization: Bearer and accepted; a wrong one is refused (unauthorized_access)', async () => {
      const streamId = id('token');
      const pub = await livePublisher(streamId, { 'server-url': `${server.http}/TokenApp`, token: await token(streamId, 'publish') });
      expect(seen.find((s) => s.method === 'POST')!.headers.get('authorization')).to.match(/^Bearer [0-9a-f]{32}$/);
      expect(seen.filter((s) => s.method === 'PATCH').every((s) => /^Bearer /.test(s.headers.get('authorization') ?? ''))).to.equal(true);
      expect(pub.getAttribute('token'), 'never in the DOM').to.equal(null);

      const play = player({ 'server-url': `${server.http}/TokenApp`, 'stream-id': streamId, token: 'not-a-token' });
      const error = nextError(play);
      play.play().catch(() => undefined);
      expect((await error).code).to.equal('unauthorized_access');
      expect((await error).message).to.contain('403');
      await expectOverlay(play, 'unauthorized_access');

      const ok = player({ 'server-url': `${server.http}/TokenApp`, 'stream-id': streamId });
      ok.tokenProvider = () => token(streamId, 'play');
      await ok.play();
    });
  });

  describe('failure: HTTP answers reach rtc-error with overlay text', () => {
    const failing = async (el: HTMLElement & { start?: () => Promise<void>; play?: () => Promise<void> }, code: string, status?: string) => {
      const error = nextError(el);
      (el.start ?? el.play)!.call(el).catch(() => undefined);
      const detail = await error;
      expect(detail.code).to.equal(code);
      if (status) expect(detail.message).to.contain(status);
      await expectOverlay(el, code);
      expect(el.getAttribute('error-code')).to.equal(code);
    };

    it('409: the stream id is being published (streamIdInUse)', async () => {
      const streamId = id('busy');
      await livePublisher(streamId);
      await failing(publisher({ 'server-url': app, 'stream-id': streamId }), 'streamIdInUse', '409');
    });

    it('404 and 405 on the POST: no endpoint there (whip_not_found)', async () => {
      for (const status of [404, 405]) {
        const streamId = id('nf');
        await httpFault({ kind: 'whep', method: 'POST', streamId, status, times: 1 });
        await failing(player({ 'server-url': app, 'stream-id': streamId }), 'whip_not_found', String(status));
      }
    });

    it('400: bad SDP (notSetRemoteDescription); 415 and 422 too', async () => {
      for (const status of [400, 415, 422]) {
        const streamId = id('badsdp');
        await httpFault({ kind: 'whip', method: 'POST', streamId, status, body: 'no', times: 1 });
        await failing(publisher({ 'server-url': app, 'stream-id': streamId }), 'notSetRemoteDescription', String(status));
      }
    });

    it('500: server error (server_error_check_logs)', async () => {
      const a = id('e500');
      await httpFault({ kind: 'whip', method: 'POST', streamId: a, status: 500, times: 1 });
      await failing(publisher({ 'server-url': app, 'stream-id': a }), 'server_error_check_logs', '500');
    });

    it('429 and 503 past the quick retries: highResourceUsage once, shown, asked again by itself (a new POST) until admitted', async () => {
      const streamId = id('e429');
      await livePublisher(streamId);
      // Four refusals: the first POST and its three quick retries (Retry-After 0), then the element's own.
      await httpFault({ kind: 'whep', method: 'POST', streamId, status: 429, headers: { 'retry-after': '0' }, times: 4 });
      await httpFault({ kind: 'whep', method: 'POST', streamId, status: 503, headers: { 'retry-after': '1' }, times: 1 });
      const play = player({ 'server-url': app, 'stream-id': streamId, autoplay: '' });
      const codes: string[] = [];
      play.addEventListener('rtc-error', (e) => codes.push((e as CustomEvent<{ code: string }>).detail.code));
      const error = nextError(play);
      const started = next(play, 'rtc-play-started', 19_000);
      const playing = play.play();
      const detail = await error;
      expect(detail.code).to.equal('highResourceUsage');
      await expectOverlay(play, 'highResourceUsage');
      expect(
        play.shadowRoot!.querySelector('rtc-error-overlay')!.shadowRoot!.querySelector('[part~="retry-button"]'),
        'no retry button: it asks again by itself',
      ).to.equal(null);
      expect(play.getAttribute('state')).to.equal('connecting');
      await playing;
      await started;
      const posts = seen.filter((s) => s.method === 'POST' && s.url.includes('/whep/'));
      expect(posts.map((s) => s.status)).to.deep.equal([429, 429, 429, 429, 503, 201]);
      expect(codes).to.deep.equal(['highResourceUsage'], 'reported once, not per refusal');
      expect(play.hasAttribute('error-code')).to.equal(false);
    });

    it('a network failure (the socket closed) is whip_unreachable', async () => {
      const streamId = id('net');
      // Every time: Chromium tries a request again once when a reused connection closes under it.
      await httpFault({ kind: 'whip', method: 'POST', streamId, close: true });
      await failing(publisher({ 'server-url': app, 'stream-id': streamId }), 'whip_unreachable');
    });

    it('a WHEP stream that is not live (409) is waited for, as over the WebSocket', async () => {
      const streamId = id('later');
      const play = player({ 'server-url': app, 'stream-id': streamId, autoplay: '' });
      const waiting = next(play, 'rtc-waiting');
      expect((await nextError(play)).code).to.equal('no_stream_exist');
      await waiting;
      await livePublisher(streamId);
      await next(play, 'rtc-play-started');
    });

    it('a bad protocol value is invalid_protocol', async () => {
      await failing(player({ 'server-url': app, 'stream-id': id('p'), protocol: 'rtmp' }), 'invalid_protocol');
    });
  });

  describe('failure: what WHIP and WHEP have no words for', () => {
    it('a data-channel send is not_supported_over_whip (rtc-error, throws)', async () => {
      const pub = await livePublisher(id('dc'));
      const error = nextError(pub);
      expect(() => pub.sendData('hello'))
        .to.throw()
        .with.property('code', 'not_supported_over_whip');
      expect((await error).code).to.equal('not_supported_over_whip');
    });

    it('setQuality() on a WHEP player is not_supported_over_whip', async () => {
      const streamId = id('abr');
      await livePublisher(streamId);
      const play = player({ 'server-url': app, 'stream-id': streamId, autoplay: '' });
      await next(play, 'rtc-play-started');
      const error = nextError(play);
      play.setQuality(360);
      expect((await error).code).to.equal('not_supported_over_whip');
      expect(play.state).to.equal('live');
    });

    it('a room over WHIP is not_supported_over_whip', async () => {
      const room = mount<HTMLElement & { join(): Promise<void> }>('rtc-room', { 'server-url': app, 'room-id': id('room') });
      const error = nextError(room);
      room.join().catch(() => undefined);
      expect((await error).code).to.equal('not_supported_over_whip');
    });
  });
});
