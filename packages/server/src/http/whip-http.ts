/**
 * What the WHIP (RFC 9725) and WHEP (draft-ietf-wish-whep) route families share: the two routes
 * of each (the endpoint `/<App>/<whip|whep>/<streamId>` and the session
 * `/<App>/<whip|whep>/<streamId>/<sessionId>`, AMS's paths), CORS and `OPTIONS`, the capped SDP
 * body and its content type, bearer tokens, `Link` ice-server headers, entity-tags and the PATCH
 * of a session (trickle ICE and ICE restart), DELETE, and errors as problem details (RFC 9457)
 * with the AMS error definition in `code` where one applies. What a POST does is the family's own
 * (`whip-routes.ts`, `whep-routes.ts`).
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { MAX_FRAME_BYTES, STREAM_ID_PATTERN } from '../../../../src/core/protocol/ams.js';
import type { AppSettings } from '../config.js';
import type { FaultTable, HttpFaultRule } from '../faults.js';
import type { Admission } from '../load-gauge.js';
import { newEtag, newSessionId, type HttpSession, type HttpSessionKind, type HttpSessions } from '../registries/http-sessions.js';
import { acceptStreamToken, tokenRequired } from '../registries/stream-tokens.js';
import type { MediaRelay } from '../relay/types.js';
import { SdpError } from '../relay/types.js';
import type { AppContext } from '../signaling/connection.js';
import { isPreflight, whipCors, whipPreflightHeaders } from './cors.js';
import { HttpError } from './json.js';
import type { Route, RouteHandler } from './router.js';
import { answerFragment, fragmentCandidates, iceCredentials, parseSdpFragment, restartedOffer, SdpFragmentError } from './sdpfrag.js';

export const SDP_TYPE = 'application/sdp';
export const SDPFRAG_TYPE = 'application/trickle-ice-sdpfrag';
/** Request bodies (offers, fragments) above this are refused with 413: the AMS WebSocket's frame limit, which an offer must fit in there too. */
export const WHIP_MAX_BODY_BYTES = MAX_FRAME_BYTES;
/** Seconds a client is told to wait (`Retry-After`) when the server is full or a WHEP stream is not live yet. */
export const RETRY_AFTER_SECONDS = 2;
/** Seconds an overloaded server asks a client to wait (`Retry-After`): the longest the elements' WHIP/WHEP client waits for. */
export const OVERLOAD_RETRY_AFTER_SECONDS = 5;

/** An error answered as problem details; `code` is the AMS error definition where one applies (`streamIdInUse`, …). */
export class WhipError extends HttpError {
  constructor(
    status: number,
    message: string,
    readonly code?: string,
    headers?: OutgoingHttpHeaders,
  ) {
    super(status, message, headers);
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  428: 'Precondition Required',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Answers `{type, title, status, detail, code?}` as `application/problem+json`. */
export function sendProblem(res: ServerResponse, status: number, detail: string, code?: string, headers?: OutgoingHttpHeaders): void {
  const text = JSON.stringify({ type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail, ...(code ? { code } : {}) });
  res.writeHead(status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

/** What the WHIP and WHEP families need of the server. */
export interface WhipDeps {
  /** The app's registries; undefined for a name that is no app name (404). */
  contextOf(app: string): AppContext | undefined;
  /** The app's effective settings (any name). */
  settingsOf(app: string): AppSettings;
  readonly relay: MediaRelay;
  readonly sessions: HttpSessions;
  /** 0: no limit. */
  readonly maxSessions: number;
  /** Fault injection (tests): `HttpFaultRule`s answer requests in place of the routes. */
  readonly faults?: FaultTable;
  /** Admission control: a POST it refuses (overloaded; a WHEP play past `maxPlayers`) gets 503. */
  readonly admission?: Admission;
}

/** What a family's POST gets: the app, the checked stream id, the request's URL. */
export interface PostContext {
  ctx: AppContext;
  streamId: string;
  url: URL;
}

/** The family's POST: makes the session (registered in `deps.sessions`) and answers 201, or throws `WhipError`. */
export type PostHandler = (req: IncomingMessage, res: ServerResponse, post: PostContext, deps: WhipDeps) => Promise<void>;

/** A path segment decoded; 400 on a bad escape. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new WhipError(400, 'the path is not valid');
  }
}

/** The stream id of a path; 400 when it is not one AMS accepts. */
export function checkStreamId(segment: string): string {
  const id = decodeSegment(segment);
  if (!STREAM_ID_PATTERN.test(id)) throw new WhipError(400, 'stream ids may use only A-Z a-z 0-9 _ . -', 'invalidStreamName');
  return id;
}

/** The media type of the request (lower case, no parameters). */
const contentType = (req: IncomingMessage): string => (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

/** Reads a body of media type `type`, at most `WHIP_MAX_BODY_BYTES`: 415 for another type, 413 above the cap. */
export async function readBody(req: IncomingMessage, type: string): Promise<string> {
  if (contentType(req) !== type) {
    throw new WhipError(415, `the body must be ${type}`, undefined, type === SDP_TYPE ? { 'accept-post': SDP_TYPE } : { 'accept-patch': SDPFRAG_TYPE });
  }
  const tooLarge = () => new WhipError(413, `the body is larger than ${WHIP_MAX_BODY_BYTES} bytes`, undefined, { connection: 'close' });
  if (Number(req.headers['content-length'] ?? 0) > WHIP_MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > WHIP_MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The request's bearer token: `Authorization: Bearer <token>`, else a `token` query parameter
 * (as AMS's own URLs carry it). Undefined when there is none (or another auth scheme).
 */
export function bearerToken(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers.authorization;
  if (header !== undefined) return /^Bearer +([\x21-\x7e]+) *$/i.exec(header)?.[1];
  return url.searchParams.get('token') || undefined;
}

/** The 401 for a request without a token. */
export const missingToken = (app: string): WhipError =>
  new WhipError(401, 'this stream needs a token: Authorization: Bearer <token>', 'unauthorized_access', { 'www-authenticate': `Bearer realm="${app}"` });

/**
 * The app's token for `type` of `streamId` when it needs one (a JWT stream token, or a one-time
 * token, consumed): 401 without one, 403 for a token that is not valid; undefined when none is needed.
 */
export function consumeToken(req: IncomingMessage, post: PostContext, type: 'publish' | 'play'): string | undefined {
  const { settings, store, name } = post.ctx;
  if (!tokenRequired(settings, type)) return undefined;
  const token = bearerToken(req, post.url);
  if (token === undefined) throw missingToken(name);
  if (!acceptStreamToken(settings, store, token, post.streamId, type))
    throw new WhipError(403, `the token is not valid for ${type === 'publish' ? 'publishing' : 'playing'} ${post.streamId}`, 'unauthorized_access');
  return token;
}

/** A session opened with a token takes later requests only with the same token. */
function checkSessionToken(req: IncomingMessage, url: URL, session: HttpSession): void {
  if (session.token === undefined) return;
  const token = bearerToken(req, url);
  if (token === undefined) throw missingToken(session.app);
  const a = Buffer.from(token);
  const b = Buffer.from(session.token);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new WhipError(403, 'not the token this session was opened with', 'unauthorized_access');
}

/**
 * 503 with `Retry-After` when admission control refuses a `kind` session (`highResourceUsage`:
 * overloaded, or a play past `maxPlayers`) or `maxSessions` WHIP and WHEP sessions are open.
 */
export function checkCapacity(deps: WhipDeps, kind: 'play' | 'publish'): void {
  const overload = deps.admission?.refusal(kind);
  if (overload) {
    throw new WhipError(503, overload.reason, 'highResourceUsage', { 'retry-after': String(OVERLOAD_RETRY_AFTER_SECONDS) });
  }
  if (deps.maxSessions > 0 && deps.sessions.size >= deps.maxSessions) {
    throw new WhipError(503, `the server has ${deps.maxSessions} WHIP/WHEP sessions open, its limit`, undefined, {
      'retry-after': String(RETRY_AFTER_SECONDS),
    });
  }
}

/** `Link: <stun:…>; rel="ice-server"` for the app's `stunServerUri` (the one `iceServerConfig` gives); none when it is empty or not a plain URI. */
export function iceServerLinks(stunServerUri: string): string[] {
  const uri = stunServerUri.trim();
  if (uri === '') return [];
  const full = /^(stuns?|turns?):/i.test(uri) ? uri : `stun:${uri}`;
  if (!/^[\x21-\x7e]+$/.test(full) || /[<>"\\,;]/.test(full)) return [];
  return [`<${full}>; rel="ice-server"`];
}

/** The `201 Created` of a POST: the answer, the session URL (relative), its entity-tag and the ICE servers. */
export function sendCreated(res: ServerResponse, session: HttpSession, answer: string, settings: AppSettings): void {
  const location = `/${encodeURIComponent(session.app)}/${session.kind}/${encodeURIComponent(session.streamId)}/${session.id}`;
  const links = iceServerLinks(settings.stunServerUri);
  res.writeHead(201, {
    'content-type': SDP_TYPE,
    'content-length': Buffer.byteLength(answer),
    'cache-control': 'no-store',
    location,
    etag: session.etag,
    'accept-patch': SDPFRAG_TYPE,
    ...(links.length > 0 ? { link: links } : {}),
  });
  res.end(answer);
}

/** Whether an `If-Match` value matches `current`: `*`, or one of its strong entity-tags equal to it (a weak one never matches). */
export function etagMatches(condition: string, current: string): boolean {
  return condition
    .split(',')
    .map((t) => t.trim())
    .some((t) => t === '*' || t === current);
}

/**
 * A PATCH of a session: a trickle (candidates of the current ICE session: 204) or an ICE
 * restart (new credentials: 200 with the server's fragment and a new entity-tag). `If-Match`
 * must be `*` or the current entity-tag (412 otherwise); an ICE restart without one is 428, a
 * trickle without one is taken (medooze's WHEP client does not keep the ETag of the POST), and a
 * client that sends its entity-tag in an `ETag` request header (Eyevinn's WHIP client) is understood.
 */
async function patchSession(req: IncomingMessage, res: ServerResponse, session: HttpSession, deps: WhipDeps): Promise<void> {
  const body = await readBody(req, SDPFRAG_TYPE);
  let frag;
  try {
    frag = parseSdpFragment(body);
  } catch (e) {
    if (e instanceof SdpFragmentError) throw new WhipError(400, `not an SDP fragment: ${e.message}`);
    throw e;
  }
  const header = req.headers['if-match'] ?? req.headers.etag;
  const condition = Array.isArray(header) ? header.join(', ') : header;
  await deps.sessions.serialize(session, async () => {
    const current = iceCredentials(session.offer);
    const { ufrag, pwd } = frag;
    const restart = ufrag !== undefined && pwd !== undefined && (ufrag !== current?.ufrag || pwd !== current?.pwd);
    if (condition === undefined && restart) throw new WhipError(428, 'an ICE restart needs If-Match: * (or the ETag of the ICE session)');
    if (condition !== undefined && !etagMatches(condition, session.etag)) throw new WhipError(412, 'If-Match does not match the current ICE session');
    if (restart) {
      const offer = restartedOffer(session.offer, { ...frag, ufrag, pwd });
      let answer: string;
      try {
        answer = await session.renegotiate(offer);
      } catch (e) {
        // The session keeps its ICE session; the client may try again or DELETE.
        if (e instanceof SdpError) throw new WhipError(400, `the ICE restart failed: ${e.message}`);
        throw e;
      }
      session.offer = offer;
      session.etag = newEtag();
      const text = answerFragment(answer);
      res.writeHead(200, { 'content-type': SDPFRAG_TYPE, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', etag: session.etag });
      res.end(text);
      return;
    }
    for (const c of fragmentCandidates(frag, session.offer)) await session.addCandidate(c);
    res.writeHead(204);
    res.end();
  });
}

/** `OPTIONS` on an endpoint or a session: a preflight gets the CORS methods and headers; a plain one what it asks about too (the endpoint's ICE servers, as some clients read them there). */
function options(req: IncomingMessage, res: ServerResponse, allow: string, extra: OutgoingHttpHeaders, cors: 'none' | 'allowed'): void {
  const preflight = isPreflight(req);
  if (preflight && cors === 'allowed') whipPreflightHeaders(req, res);
  res.writeHead(200, { allow, 'content-length': 0, 'cache-control': 'no-store', ...(preflight ? {} : extra) });
  res.end();
}

/** Answers a request as an HTTP fault rule says (the CORS headers are already set). */
function answerFault(res: ServerResponse, fault: HttpFaultRule): void {
  if (fault.close) {
    res.socket?.destroy();
    return;
  }
  const body = fault.body ?? '';
  res.writeHead(fault.status!, { 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', ...fault.headers });
  res.end(body);
}

/** Runs a handler, answering a `WhipError` (or anything else, 500) as problem details. */
async function answering(res: ServerResponse, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (e instanceof WhipError) return sendProblem(res, e.status, e.message, e.code, e.headers);
    if (e instanceof HttpError) return sendProblem(res, e.status, e.message, undefined, e.headers);
    sendProblem(res, 500, 'internal error');
  }
}

const ENDPOINT_METHODS = 'POST, OPTIONS, GET, HEAD';
const SESSION_METHODS = 'PATCH, DELETE, OPTIONS, GET, HEAD';

/**
 * The two routes of a family: `POST` (the family's `post`), `OPTIONS`, `GET`/`HEAD` (no content;
 * `HEAD` of an endpoint says `Content-Type: application/sdp`, as WHEP's discovery asks) on the
 * endpoint; `PATCH`, `DELETE`, `OPTIONS`, `GET`/`HEAD` on a session (404 for one that is not
 * there). First CORS (a refused origin gets 403), then the app (404 for no app name).
 */
export function whipFamily(kind: HttpSessionKind, deps: WhipDeps, post: PostHandler): Route[] {
  const prepare = (req: IncomingMessage, res: ServerResponse, app: string): { ctx: AppContext; settings: AppSettings; cors: 'none' | 'allowed' } => {
    const settings = deps.settingsOf(app);
    const cors = whipCors(req, res, settings.whipCorsAllowedOrigins);
    if (cors === 'refused') throw new WhipError(403, 'Not allowed origin');
    const ctx = deps.contextOf(app);
    if (!ctx) throw new WhipError(404, 'no such application');
    return { ctx, settings, cors };
  };
  const notAllowed = (allow: string) => new WhipError(405, `use ${allow}`, undefined, { allow });

  const endpoint: RouteHandler = (req, res, { params, url }) =>
    answering(res, async () => {
      const { ctx, settings, cors } = prepare(req, res, params.app!);
      const streamId = checkStreamId(params.streamId!);
      const fault = deps.faults?.takeHttp(kind, req.method ?? '', streamId);
      if (fault) return answerFault(res, fault);
      switch (req.method) {
        case 'POST':
          return post(req, res, { ctx, streamId, url }, deps);
        case 'OPTIONS': {
          const links = iceServerLinks(settings.stunServerUri);
          return options(req, res, ENDPOINT_METHODS, { 'accept-post': SDP_TYPE, ...(links.length > 0 ? { link: links } : {}) }, cors);
        }
        case 'GET':
          res.writeHead(204);
          return void res.end();
        case 'HEAD':
          res.writeHead(200, { 'content-type': SDP_TYPE, 'content-length': 0 });
          return void res.end();
        default:
          throw notAllowed(ENDPOINT_METHODS);
      }
    });

  const session: RouteHandler = (req, res, { params, url }) =>
    answering(res, async () => {
      const { ctx, cors } = prepare(req, res, params.app!);
      const streamId = checkStreamId(params.streamId!);
      const fault = deps.faults?.takeHttp(kind, req.method ?? '', streamId);
      if (fault) return answerFault(res, fault);
      if (req.method === 'OPTIONS') return options(req, res, SESSION_METHODS, { 'accept-patch': SDPFRAG_TYPE }, cors);
      if (!SESSION_METHODS.split(', ').includes(req.method ?? '')) throw notAllowed(SESSION_METHODS);
      const found = deps.sessions.find(kind, ctx.name, streamId, decodeSegment(params.session!));
      if (!found) throw new WhipError(404, `no ${kind.toUpperCase()} session there (ended, or never made)`);
      checkSessionToken(req, url, found);
      switch (req.method) {
        case 'PATCH':
          return patchSession(req, res, found, deps);
        case 'DELETE':
          found.end();
          res.writeHead(200, { 'content-length': 0 });
          return void res.end();
        default:
          res.writeHead(204);
          return void res.end();
      }
    });

  return [
    { path: `/:app/${kind}/:streamId`, methods: { '*': endpoint } },
    { path: `/:app/${kind}/:streamId/:session`, methods: { '*': session } },
  ];
}

/** A relay peer that answers the client's offers: the WHIP publisher, the WHEP player. */
interface OfferPeer {
  acceptOffer(offer: string): Promise<string>;
  addCandidate: HttpSession['addCandidate'];
}

/** The session a WHIP or WHEP POST opens for `peer`, which answers this offer and the ICE restarts' ones. */
export const offerSession = (
  kind: HttpSessionKind,
  app: string,
  streamId: string,
  token: string | undefined,
  offer: string,
  peer: OfferPeer,
  end: () => void,
): HttpSession => ({
  id: newSessionId(),
  kind,
  app,
  streamId,
  token,
  etag: newEtag(),
  offer,
  renegotiate: (next) => peer.acceptOffer(next),
  addCandidate: (c) => peer.addCandidate(c),
  end,
});

/**
 * The peer's answer to the POST's offer. On failure the session is ended first; an offer the
 * peer cannot use is `400 notSetRemoteDescription`, unless `gone()` says its cause went away
 * meanwhile (then `whenGone()` is thrown).
 */
export async function firstAnswer(peer: OfferPeer, offer: string, end: () => void, gone?: () => boolean, whenGone?: () => Error): Promise<string> {
  try {
    return await peer.acceptOffer(offer);
  } catch (e) {
    const wasGone = gone?.() ?? false;
    end();
    if (wasGone && whenGone) throw whenGone();
    if (e instanceof SdpError) throw new WhipError(400, `the offer cannot be used: ${e.message}`, 'notSetRemoteDescription');
    throw e;
  }
}
