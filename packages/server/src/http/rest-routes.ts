/**
 * The subset of the AMS REST API (`/<App>/rest/v2/broadcasts/…`) a page's backend uses:
 * create, get, list and delete broadcasts, and make one-time tokens and JWT stream tokens. Bad input gets a 4xx
 * JSON answer `{success: false, message}`. As AMS does, the app's `remoteAllowedCIDR` says
 * which client addresses it answers (403 `Not allowed IP` for others), and CORS answers only
 * the origins of `corsAllowedOrigins` besides the server's own.
 */
import { STREAM_ID_PATTERN } from '../../../../src/core/protocol/ams.js';
import { MIN_JWT_SECRET_LENGTH, type AppSettings } from '../config.js';
import { signStreamJwt } from '../registries/stream-tokens.js';
import type { AppStore, TokenType } from '../registries/streams.js';
import { addressAllowed } from './cidr.js';
import { restCors, restPreflight } from './cors.js';
import { HttpError, readJsonBody, sendJson } from './json.js';
import { Router, type Route } from './router.js';

const checkId = (id: string): string => {
  if (!STREAM_ID_PATTERN.test(id)) throw new HttpError(400, 'stream ids may use only A-Z a-z 0-9 _ . -');
  return id;
};

/** `expireDate` (a future unix time in seconds) and `type` (`publish`, the default, or `play`) of a token route. */
function tokenParams(url: URL): { expireDate: number; type: TokenType } {
  const expireDate = Number(url.searchParams.get('expireDate'));
  if (!Number.isInteger(expireDate) || expireDate <= Math.floor(Date.now() / 1000))
    throw new HttpError(400, 'expireDate must be a future time in unix seconds');
  const type = url.searchParams.get('type') ?? 'publish';
  if (type !== 'publish' && type !== 'play') throw new HttpError(400, 'type must be publish or play');
  return { expireDate, type };
}

let counter = 0;
const newStreamId = (): string => `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/** The routes below `rest/v2/`, matched on the decoded, non-empty path segments; the app's store as context. */
const broadcasts = new Router<AppStore>(
  [
    {
      path: '/broadcasts/create',
      methods: {
        POST: async (req, res, _match, store) => {
          const body = await readJsonBody(req);
          if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'the body must be a JSON object');
          const { streamId, name, webRTCViewerLimit: limit } = body as Record<string, unknown>;
          if (streamId !== undefined && typeof streamId !== 'string') throw new HttpError(400, 'streamId must be a string');
          if (name !== undefined && typeof name !== 'string') throw new HttpError(400, 'name must be a string');
          if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < -1))
            throw new HttpError(400, 'webRTCViewerLimit must be an integer, -1 (no limit of its own) or more');
          const id = streamId ? checkId(streamId) : newStreamId();
          if (store.isRegistered(id)) throw new HttpError(409, `a broadcast with id ${id} already exists`);
          sendJson(res, 200, store.create(id, name?.slice(0, 256), limit).broadcast);
        },
      },
    },
    {
      path: '/broadcasts/list/:offset/:size',
      methods: {
        GET: (_req, res, { params }, store) => {
          const offset = Number(params.offset);
          const size = Number(params.size);
          if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(size) || size < 1 || size > 50)
            throw new HttpError(400, 'offset must be 0 or more and size from 1 to 50');
          sendJson(res, 200, store.list(offset, size));
        },
      },
    },
    {
      path: '/broadcasts/:id/token',
      methods: {
        // ?expireDate=<unix seconds>&type=publish|play
        GET: (_req, res, { params, url }, store) => {
          const id = checkId(params.id!);
          if (!store.get(id)) throw new HttpError(404, `no broadcast with id ${id}`);
          const { expireDate, type } = tokenParams(url);
          sendJson(res, 200, store.createToken(id, type, expireDate));
        },
      },
    },
    {
      path: '/broadcasts/:id/jwt-token',
      methods: {
        // ?expireDate=<unix seconds>&type=publish|play: a JWT stream token signed with the app's jwtStreamSecretKey.
        GET: (_req, res, { params, url }, store) => {
          const streamId = checkId(params.id!);
          const secret = store.settings.jwtStreamSecretKey;
          if (secret.length < MIN_JWT_SECRET_LENGTH)
            throw new HttpError(400, `the app has no jwtStreamSecretKey of ${MIN_JWT_SECRET_LENGTH} characters or more`);
          const { expireDate, type } = tokenParams(url);
          sendJson(res, 200, { tokenId: signStreamJwt(secret, { streamId, type, exp: expireDate }), streamId, expireDate, type });
        },
      },
    },
    {
      path: '/broadcasts/:id',
      // A bad id is a 400 whatever the method.
      before: ({ params }) => void checkId(params.id!),
      methods: {
        GET: (_req, res, { params }, store) => {
          const record = store.get(params.id!);
          if (!record) throw new HttpError(404, `no broadcast with id ${params.id}`);
          sendJson(res, 200, record.broadcast);
        },
        DELETE: (_req, res, { params }, store) => {
          if (!store.delete(params.id!)) throw new HttpError(404, `no broadcast with id ${params.id}`);
          sendJson(res, 200, { success: true, message: '' });
        },
      },
    },
  ],
  'no such route',
);

/** `rest` (the path after `rest/v2/`) as decoded segments, empty ones dropped; 400 on a bad escape. */
function restSegments(rest: string): string[] {
  return rest
    .split('/')
    .filter(Boolean)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        throw new HttpError(400, 'the path is not valid');
      }
    });
}

/** What the REST family needs of the server: an app's store and settings. */
export interface RestApps {
  /** The app's store; undefined for a name that is no app name (404). */
  storeOf(app: string): AppStore | undefined;
  /** The app's effective settings (any name: a bad one gets the defaults). */
  settingsOf(app: string): Pick<AppSettings, 'remoteAllowedCIDR' | 'corsAllowedOrigins'>;
}

/**
 * The REST family: `/<App>/rest/v2/…`, any method (the routes below answer 404 or 405). First
 * CORS (a preflight from an allowed origin, or a plain `OPTIONS`, is answered here; a refused
 * origin gets 403 without `Access-Control-Allow-Origin`), then the IP filter, then the route.
 */
export function restRoutes(apps: RestApps): Route[] {
  return [
    {
      path: '/:app/rest/v2/*rest',
      methods: {
        '*': async (req, res, { params, url }) => {
          const settings = apps.settingsOf(params.app!);
          const cors = restCors(req, res, settings.corsAllowedOrigins);
          if (cors === 'refused') throw new HttpError(403, 'Not allowed origin');
          if (req.method === 'OPTIONS') return restPreflight(req, res, cors);
          if (!addressAllowed(settings.remoteAllowedCIDR, req.socket.remoteAddress)) throw new HttpError(403, 'Not allowed IP');
          const store = apps.storeOf(params.app!);
          if (!store) throw new HttpError(404, 'no such application');
          await broadcasts.dispatch(req, res, restSegments(params.rest!), url, store);
        },
      },
    },
  ];
}
