/**
 * The second `Signaling` (signaling.ts): WHIP (RFC 9725) for publishing and WHEP
 * (draft-ietf-wish-whep) for playing, over HTTP. It speaks the sessions' frames: `publish`/`play`
 * in → `start` out (we offer, in both directions); our offer → `POST application/sdp` → `201`
 * with the answer and `Location` → `takeConfiguration` answer out; `takeCandidate` → trickle
 * `PATCH application/trickle-ice-sdpfrag` (`If-Match` on the `ETag`); an ICE restart offer → a
 * `PATCH` with the new credentials → the answer rebuilt from the server's fragment; `stop` and
 * `close()` → `DELETE` (keepalive, so a removal on the way out still reaches the server).
 *
 * What HTTP answers mean to the session: a failed POST fails it with the code of the status (or
 * the problem's AMS `code`); a WHEP stream not live yet (409) is `no_stream_exist`, the waiting the
 * session already knows; `429`/`503` are tried again after `Retry-After` (up to 5 s, 3 times), then
 * are the session's `highResourceUsage` (it asks again every 2-5 s, never before `Retry-After`); a
 * session the server forgot (`404` on PATCH) or a PATCH the server does not take for an ICE restart
 * is a `stop` frame, after which the session starts over with a new POST. A server that answers
 * PATCH with 405/501 gets no more trickle: later offers wait for the candidates and carry them.
 * Commands WHIP and WHEP have no words for (`forceStreamQuality`, …) are answered with an `error`
 * frame `not_supported_over_whip`. DOM-free: `fetch` is read when a request goes out.
 * @internal
 */
import { catalogEntry, isCatalogCode, RtcError } from '../errors.js';
import type { ServerFrame } from '../protocol/messages.js';
import { TypedEmitter } from '../typed-emitter.js';
import type { OutgoingFrame, Signaling, SignalingEventMap, SignalingState } from './signaling.js';

export const SDP_TYPE = 'application/sdp';
export const SDPFRAG_TYPE = 'application/trickle-ice-sdpfrag';
/** The longest `Retry-After` waited for at once; a longer one goes to the session (busy: it asks again later). */
export const MAX_RETRY_AFTER_MS = 5_000;
/** How many times a 429/503 is tried again. */
export const BUSY_RETRIES = 3;
/** Without trickle: how long an offer waits for its candidates before it goes as it is. */
export const GATHER_TIMEOUT_MS = 2_000;

/** An ICE server as `IceServer` has it (declared here: this folder compiles without the DOM types too). */
export interface IceServer {
  urls: string;
  username?: string;
  credential?: string;
}

/** What the signaling uses of the session's RTCPeerConnection. */
export interface PeerLike {
  readonly iceGatheringState: string;
  readonly localDescription: { sdp: string } | null;
  addEventListener(type: 'icegatheringstatechange', fn: () => void): void;
  removeEventListener(type: 'icegatheringstatechange', fn: () => void): void;
  getConfiguration(): object;
  setConfiguration(config: { iceServers: IceServer[] }): void;
}

/** What the signaling needs of its session. */
export interface WhipHost {
  /** The current peer connection (candidates to wait for, ICE servers to apply). */
  pc(): PeerLike | undefined;
  /** A request failed for good: the session fails with `error`. */
  failed(error: RtcError): void;
  /** The page set `iceServers` itself: `Link` ice-server headers are not applied. */
  ownIce(): boolean;
}

/** `publish` speaks WHIP, `play` WHEP. */
export type WhipKind = 'whip' | 'whep';

/**
 * The endpoint for `streamId`. The rule: with a stream id, `url` is an AMS application URL
 * (`https://host:5443/LiveApp`, or its WebSocket URL `wss://host:5443/LiveApp/websocket`) and the
 * endpoint is AMS's `<app>/whip/<streamId>` (players: `/whep/`); without one, `url` is the full
 * endpoint (LiveKit, Cloudflare, MediaMTX, …), used as it is.
 */
export function endpointUrl(url: string, kind: WhipKind, streamId: string): string {
  const u = new URL(url);
  u.protocol = u.protocol.replace(/^ws/, 'http');
  if (!streamId) return u.href;
  u.pathname = `${u.pathname.replace(/\/+$/, '').replace(/\/websocket$/, '')}/${kind}/${encodeURIComponent(streamId)}`;
  return u.href;
}

/** `Link: <stun:…>; rel="ice-server"; username="…"; credential="…"` headers as ICE servers (others ignored). */
export function iceServersFromLinks(header: string | null): IceServer[] {
  const servers: IceServer[] = [];
  for (const m of (header ?? '').matchAll(/<([^>]*)>((?:\s*;\s*[\w-]+\s*=\s*(?:"[^"]*"|[^;,\s]*))*)/g)) {
    const params: Record<string, string> = {};
    for (const p of m[2]!.matchAll(/;\s*([\w-]+)\s*=\s*(?:"([^"]*)"|([^;,\s]*))/g)) params[p[1]!.toLowerCase()] = p[2] ?? p[3] ?? '';
    if (params.rel !== 'ice-server' || !/^(stuns?|turns?):/.test(m[1]!)) continue;
    const server: IceServer = { urls: m[1]! };
    if (params.username !== undefined) server.username = params.username;
    if (params.credential !== undefined) server.credential = params.credential;
    servers.push(server);
  }
  return servers;
}

/** `Retry-After` (seconds or an HTTP date) in ms; 1 s when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number {
  if (value && /^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = value ? Date.parse(value) : NaN;
  return Number.isNaN(date) ? 1000 : Math.max(0, date - now);
}

/** The code of a failed answer: the problem's AMS `code` when it is a server or peer one we know, else by status. */
export function codeForStatus(status: number, kind: WhipKind, problemCode?: unknown): string {
  if (typeof problemCode === 'string' && isCatalogCode(problemCode) && ['server', 'peer'].includes(catalogEntry(problemCode).category)) return problemCode;
  if (status === 401 || status === 403) return 'unauthorized_access';
  if (status === 404 || status === 405 || status === 410) return 'whip_not_found';
  if (status === 409) return kind === 'whep' ? 'no_stream_exist' : 'streamIdInUse';
  if (status === 413) return 'message_too_large';
  if (status === 429 || status === 503) return 'highResourceUsage';
  if (status >= 400 && status < 500) return 'notSetRemoteDescription';
  return 'server_error_check_logs';
}

/** The ICE credentials of a description or fragment (the first of each). */
const credentials = (sdp: string): string[] => [/^a=ice-ufrag:[^\r\n]*/m.exec(sdp)?.[0] ?? '', /^a=ice-pwd:[^\r\n]*/m.exec(sdp)?.[0] ?? ''];

/**
 * Our fragment (RFC 8840) for `candidates`: the credentials of `offer`, then each m-section of
 * `offer` that has candidates (or, with none, the first one: an ICE restart) with its `a=mid`.
 */
export function candidateFragment(offer: string, candidates: ReadonlyArray<{ candidate: string; mid: string }>, end = false): string {
  const out = credentials(offer);
  const sections = offer.split(/\r?\n(?=m=)/).slice(1);
  sections.forEach((section, i) => {
    const mid = /^a=mid:([^\r\n]*)/m.exec(section)?.[1]?.trim() ?? String(i);
    const own = candidates.filter((c) => c.mid === mid);
    if (own.length === 0 && !(i === 0 && candidates.length === 0)) return;
    out.push(section.split(/\r?\n/)[0]!, `a=mid:${mid}`, ...own.map((c) => `a=${c.candidate.replace(/^a=/, '')}`));
    if (end) out.push('a=end-of-candidates');
  });
  return `${out.join('\r\n')}\r\n`;
}

/**
 * The server's ICE restart fragment applied to its previous answer: new credentials, its
 * candidates at the end of the first m-section, and the BUNDLE group of our new `offer` (a section
 * the server rejected has left it there: an answer must not name it again).
 */
export function applyFragment(answer: string, fragment: string, offer = ''): string {
  const [ufrag, pwd] = credentials(fragment);
  const group = /^a=group:BUNDLE[^\r\n]*/m.exec(offer)?.[0];
  const candidates = fragment.split(/\r?\n/).filter((l) => l.startsWith('a=candidate:'));
  const sections = answer
    .split(/\r?\n/)
    .filter((l) => l !== '' && !l.startsWith('a=candidate:') && l !== 'a=end-of-candidates')
    .map((l) => (ufrag && l.startsWith('a=ice-ufrag:') ? ufrag : pwd && l.startsWith('a=ice-pwd:') ? pwd : group && l.startsWith('a=group:BUNDLE') ? group : l))
    .join('\r\n')
    .split(/\r\n(?=m=)/);
  if (sections.length > 1) sections[1] = [sections[1], ...candidates].join('\r\n');
  return `${sections.join('\r\n')}\r\n`;
}

/** A failed answer's own words: the problem's `detail` or the text, short and on one line. */
async function detailOf(res: Response): Promise<{ detail: string; code?: unknown }> {
  const text = await res.text().catch(() => '');
  try {
    const p = JSON.parse(text) as { detail?: unknown; title?: unknown; code?: unknown };
    return { detail: String(p.detail ?? p.title ?? ''), code: p.code };
  } catch {
    return { detail: text.replace(/\s+/g, ' ').slice(0, 200) };
  }
}

/** Resolves once `pc` has gathered its candidates, or after `ms`. */
function gathered(pc: PeerLike, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      if (pc.iceGatheringState !== 'complete') return;
      pc.removeEventListener('icegatheringstatechange', done);
      resolve();
    };
    pc.addEventListener('icegatheringstatechange', done);
    setTimeout(resolve, ms);
    done();
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One session's WHIP or WHEP signaling. */
export class WhipSignaling extends TypedEmitter<SignalingEventMap> implements Signaling {
  #state: SignalingState = 'idle';
  #streamId = '';
  #token = '';
  #endpoint = '';
  /** The HTTP session (absolute `Location`) and its entity-tag, once a POST made one. */
  #session: string | undefined;
  #etag: string | null = null;
  /** Our current offer and the server's current answer. */
  #offer = '';
  #answer = '';
  /** Candidates not sent yet (before the 201, or while a PATCH is out). */
  #candidates: Array<{ candidate: string; mid: string }> = [];
  /** False once the server answered a trickle PATCH with 405/501. */
  #trickle = true;
  /** Requests of one session go out one after another. */
  #queue: Promise<unknown> = Promise.resolve();
  /** Bumped by `stop` and `close`: answers of an older session are dropped. */
  #gen = 0;
  /** No POST before this (`Date.now()`): the last busy answer's `Retry-After`. */
  #notBefore = 0;

  constructor(
    readonly url: string,
    readonly kind: WhipKind,
    private readonly host: WhipHost,
  ) {
    super();
  }

  get state(): SignalingState {
    return this.#state;
  }

  /** No connection to open: HTTP goes out per request. */
  connect(): void {
    if (this.#state !== 'idle') return;
    this.#state = 'open';
    this.emit('open', { reconnected: false });
  }

  send(frame: OutgoingFrame): void {
    if (this.#state !== 'open') return;
    const f = frame as { command: string; streamId?: string; token?: string; type?: string; sdp?: string; candidate?: string; id?: string };
    switch (f.command) {
      case 'publish':
      case 'play':
        return this.#start(f.streamId ?? '', f.token ?? '');
      case 'takeConfiguration':
        if (f.type === 'offer' && f.sdp) this.#enqueue(this.#session ? () => this.#restart(f.sdp!) : () => this.#post(f.sdp!));
        return;
      case 'takeCandidate':
        if (this.#trickle && f.candidate) {
          this.#candidates.push({ candidate: f.candidate, mid: String(f.id ?? '0') });
          if (this.#session) this.#enqueue(() => this.#flush());
        }
        return;
      case 'stop':
        return this.#end();
      case 'getIceServerConfig':
        // ICE servers come in the 201's `Link` headers.
        return;
      default:
        this.#frame({ command: 'error', definition: 'not_supported_over_whip', streamId: this.#streamId, cause: f.command });
    }
  }

  close(): void {
    if (this.#state === 'closed') return;
    this.#end();
    this.#state = 'closed';
    this.removeAllListeners();
  }

  #frame(frame: Record<string, unknown>): void {
    this.emit('frame', frame as unknown as ServerFrame);
  }

  #start(streamId: string, token: string): void {
    this.#end();
    this.#streamId = streamId;
    this.#token = token;
    const gen = this.#gen;
    try {
      this.#endpoint = endpointUrl(this.url, this.kind, streamId);
      if (!streamId && !/^https?:/.test(this.url)) throw new Error();
    } catch {
      queueMicrotask(() => this.host.failed(RtcError.of('invalid_stream_id', { message: 'A ws:// or wss:// server-url needs stream-id.' })));
      return;
    }
    // Both directions: we offer (AMS's `start` asks a publisher to).
    queueMicrotask(() => gen === this.#gen && this.#frame({ command: 'start', streamId }));
  }

  /** Ends the HTTP session: DELETE (keepalive) if there is one; answers still out are dropped. */
  #end(): void {
    this.#gen++;
    this.#candidates = [];
    this.#queue = Promise.resolve();
    const session = this.#session;
    this.#session = undefined;
    if (session) void this.#fetch('DELETE', session).catch(() => undefined);
  }

  #enqueue(job: () => Promise<void>): void {
    const gen = this.#gen;
    this.#queue = this.#queue.then(() => (gen === this.#gen ? job() : undefined)).catch((e: unknown) => gen === this.#gen && this.#failed(e));
  }

  #failed(e: unknown): void {
    const error = e instanceof RtcError ? e : RtcError.of('whip_unreachable', { cause: e, streamId: this.#streamId || undefined });
    // Not live yet is the session's waiting, and busy its asking again, as over the WebSocket.
    if (error.code === 'no_stream_exist' || error.code === 'highResourceUsage')
      this.#frame({ command: 'error', definition: error.code, streamId: this.#streamId });
    else this.host.failed(error);
  }

  /** One request with the token; 429/503 tried again after `Retry-After`. */
  async #fetch(method: string, url: string, body?: string, headers: Record<string, string> = {}): Promise<Response> {
    const gen = this.#gen;
    // A new POST waits out the last busy answer's `Retry-After`, however the session asks again.
    const hold = method === 'POST' ? this.#notBefore - Date.now() : 0;
    if (hold > 0) {
      await sleep(hold);
      if (gen !== this.#gen) throw RtcError.of('AbortError', { message: 'Stopped.' });
    }
    for (let tries = 0; ; tries++) {
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          body,
          headers: { ...headers, ...(this.#token ? { authorization: `Bearer ${this.#token}` } : {}) },
          // A DELETE on the way out (the element removed, the page closing) still goes.
          keepalive: method === 'DELETE',
        });
      } catch (e) {
        // The URL is not repeated: it may carry a token.
        throw RtcError.of('whip_unreachable', { message: `The ${method} request did not reach the server (network, or CORS refused).`, cause: e });
      }
      const wait = retryAfterMs(res.headers.get('retry-after'));
      if ((res.status === 429 || res.status === 503) && method !== 'DELETE') {
        if (tries < BUSY_RETRIES && wait <= MAX_RETRY_AFTER_MS) {
          await sleep(wait);
          if (gen !== this.#gen) throw RtcError.of('AbortError', { message: 'Stopped.' });
          continue;
        }
        this.#notBefore = Date.now() + wait;
      }
      return res;
    }
  }

  async #error(res: Response, what: string): Promise<RtcError> {
    const { detail, code } = await detailOf(res);
    return RtcError.of(codeForStatus(res.status, this.kind, code), {
      message: `The server answered ${what} with ${res.status}${detail ? `: ${detail}` : '.'}`,
      streamId: this.#streamId || undefined,
    });
  }

  async #post(sdp: string): Promise<void> {
    const gen = this.#gen;
    const pc = this.host.pc();
    if (!this.#trickle && pc) {
      // No trickle on this server: the offer carries the candidates.
      await gathered(pc, GATHER_TIMEOUT_MS);
      sdp = pc.localDescription?.sdp ?? sdp;
      this.#candidates = [];
    }
    this.#offer = sdp;
    const res = await this.#fetch('POST', this.#endpoint, sdp, { 'content-type': SDP_TYPE });
    const location = res.headers.get('location');
    const session = location ? new URL(location, res.url || this.#endpoint).href : undefined;
    if (gen !== this.#gen) {
      // Stopped while the POST was out: end what it made.
      if (res.ok && session) void this.#fetch('DELETE', session).catch(() => undefined);
      return;
    }
    if (!res.ok) throw await this.#error(res, `the ${this.kind.toUpperCase()} offer`);
    this.#answer = await res.text();
    this.#session = session;
    this.#etag = res.headers.get('etag');
    const servers = iceServersFromLinks(res.headers.get('link'));
    if (servers.length > 0 && !this.host.ownIce()) {
      const first = servers[0]!;
      // For the next connections (the session keeps it), and for this one from its next gathering.
      this.#frame({ command: 'iceServerConfig', stunServerUri: first.urls, turnServerUsername: first.username, turnServerCredential: first.credential });
      try {
        if (pc) pc.setConfiguration({ ...pc.getConfiguration(), iceServers: servers });
      } catch {
        /* a browser that cannot change them now: the next connection has them */
      }
    }
    this.#frame({ command: 'takeConfiguration', streamId: this.#streamId, type: 'answer', sdp: this.#answer });
    if (!session) this.#trickle = false;
    else if (this.#candidates.length > 0) await this.#flush();
  }

  /** Sends the candidates gathered so far in one trickle PATCH. */
  async #flush(): Promise<void> {
    const batch = this.#candidates.splice(0);
    if (batch.length === 0 || !this.#session || !this.#trickle) return;
    const complete = this.host.pc()?.iceGatheringState === 'complete';
    // A refusal (or a network failure) loses these candidates only: ICE may still connect (the
    // server learns our address from our checks), and if it does not, the session recovers.
    const res = await this.#fetch('PATCH', this.#session, candidateFragment(this.#offer, batch, complete), {
      'content-type': SDPFRAG_TYPE,
      'if-match': this.#etag ?? '*',
    }).catch(() => undefined);
    if (res?.status === 405 || res?.status === 501) this.#trickle = false;
    else if (res?.status === 404) this.#startOver(false);
  }

  /** An ICE restart: our new credentials by PATCH, the server's back; the session starts over when the server cannot. */
  async #restart(sdp: string): Promise<void> {
    this.#offer = sdp;
    this.#candidates = [];
    const res = await this.#fetch('PATCH', this.#session!, candidateFragment(sdp, []), { 'content-type': SDPFRAG_TYPE, 'if-match': '*' }).catch(
      () => undefined,
    );
    const fragment = res?.ok ? await res.text() : '';
    if (res?.status !== 200 || !credentials(fragment)[0]) return this.#startOver(res?.status !== 404);
    this.#etag = res.headers.get('etag') ?? this.#etag;
    this.#answer = applyFragment(this.#answer, fragment, sdp);
    this.#frame({ command: 'takeConfiguration', streamId: this.#streamId, type: 'answer', sdp: this.#answer });
  }

  /** The HTTP session is gone (or cannot restart ICE): end it, and the session publishes or plays anew. */
  #startOver(remove: boolean): void {
    if (!remove) this.#session = undefined;
    this.#end();
    this.#frame({ command: 'stop', streamId: this.#streamId });
  }
}
