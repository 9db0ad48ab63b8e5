/**
 * CORS for the server's routes. The demo and the bundles are public files: any origin may read
 * them (module scripts are always fetched with CORS). The REST API answers only the origins of
 * the app's `corsAllowedOrigins` (AMS's CORS filter `cors.allowed.origins`, a comma-separated
 * list, `*` for any) besides its own; another origin's preflight and requests are refused. The
 * WHIP and WHEP endpoints and sessions answer the origins of `whipCorsAllowedOrigins` (default
 * `*`: any), with the methods and headers those protocols use and their answer headers exposed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** How long a browser may keep a preflight's answer (seconds; the CORS filter's default). */
export const PREFLIGHT_MAX_AGE = 1800;

/** The methods and request headers the REST API accepts from an allowed origin. */
export const REST_CORS = { methods: 'GET, POST, PUT, DELETE, OPTIONS', headers: 'Authorization, Content-Type' } as const;
/** The methods of the public files. */
export const PUBLIC_METHODS = 'GET, HEAD, OPTIONS';

/** Thrown for an entry that is not `*`, `null` or an origin (`scheme://host[:port]`); the message names it. */
export class OriginListError extends Error {
  override readonly name = 'OriginListError';
}

/** The entries of a comma-separated origin list, each checked (blank entries ignored). */
export function parseOrigins(list: string): string[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      if (entry === '*' || entry === 'null') return entry;
      let url: URL | undefined;
      try {
        url = new URL(entry);
      } catch {
        url = undefined;
      }
      const bare = url && url.origin !== 'null' && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
      if (!url || !bare || !/^[a-z][a-z0-9+.-]*:\/\/[^/]/i.test(entry))
        throw new OriginListError(`${JSON.stringify(entry)} is not an origin (scheme://host[:port]) nor *`);
      return url.origin;
    });
}

/** Whether `origin` (a request's `Origin`) is the server's own, as the request's `Host` names it. */
export function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

/** Whether the REST API answers `origin`: its own, or listed in `allowed` (already checked), or `*` listed. */
export function restOriginAllowed(allowed: string, origin: string, host: string | undefined): boolean {
  if (isSameOrigin(origin, host)) return true;
  const list = parseOrigins(allowed);
  return list.includes('*') || list.includes(origin.toLowerCase());
}

/** What WHIP and WHEP use: the methods, the request headers (`ETag` too: a known client sends its entity-tag in one), the answer headers a page must read. */
export const WHIP_CORS = {
  methods: 'GET, HEAD, POST, PATCH, DELETE, OPTIONS',
  headers: 'Authorization, Content-Type, If-Match, ETag',
  expose: 'Location, Link, ETag, Retry-After, Accept-Post, Accept-Patch',
} as const;

/** Chrome's Private Network Access: a public page's preflight to a loopback or private address asks for this. */
function allowPrivateNetwork(req: IncomingMessage, res: ServerResponse): void {
  if (req.headers['access-control-request-private-network'] === 'true') res.setHeader('access-control-allow-private-network', 'true');
}

/** A public file: any origin may read it. */
export function publicCors(res: ServerResponse): void {
  res.setHeader('access-control-allow-origin', '*');
}

/** The preflight (or plain `OPTIONS`) of a public file: 204, any origin, `GET` and `HEAD`, any request header. */
export function publicPreflight(req: IncomingMessage, res: ServerResponse): void {
  publicCors(res);
  allowPrivateNetwork(req, res);
  res.writeHead(204, {
    allow: PUBLIC_METHODS,
    'access-control-allow-methods': PUBLIC_METHODS,
    'access-control-allow-headers': '*',
    'access-control-max-age': String(PREFLIGHT_MAX_AGE),
  });
  res.end();
}

/**
 * REST: the CORS headers for the request's origin (`Vary: Origin` always, the origin echoed when
 * allowed). Returns `refused` for an origin that is not allowed; `none` without an `Origin`.
 */
export function restCors(req: IncomingMessage, res: ServerResponse, allowed: string): 'none' | 'allowed' | 'refused' {
  res.setHeader('vary', 'Origin');
  const origin = req.headers.origin;
  if (origin === undefined) return 'none';
  if (!restOriginAllowed(allowed, origin, req.headers.host)) return 'refused';
  res.setHeader('access-control-allow-origin', origin);
  return 'allowed';
}

/** REST `OPTIONS` from an allowed origin or none: 204 with the methods and headers the API accepts. */
export function restPreflight(req: IncomingMessage, res: ServerResponse, cors: 'none' | 'allowed'): void {
  if (cors === 'allowed') allowPrivateNetwork(req, res);
  res.writeHead(204, {
    allow: REST_CORS.methods,
    ...(cors === 'allowed'
      ? {
          'access-control-allow-methods': REST_CORS.methods,
          'access-control-allow-headers': REST_CORS.headers,
          'access-control-max-age': String(PREFLIGHT_MAX_AGE),
        }
      : {}),
  });
  res.end();
}

/**
 * WHIP/WHEP: the CORS headers for the request's origin, allowed by `allowed` (the app's
 * `whipCorsAllowedOrigins`) or the server's own: the origin echoed, the answer headers exposed,
 * `Vary: Origin` always. Returns `refused` for an origin that is not allowed; `none` without an `Origin`.
 */
export function whipCors(req: IncomingMessage, res: ServerResponse, allowed: string): 'none' | 'allowed' | 'refused' {
  res.setHeader('vary', 'Origin');
  const origin = req.headers.origin;
  if (origin === undefined) return 'none';
  if (!restOriginAllowed(allowed, origin, req.headers.host)) return 'refused';
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('access-control-expose-headers', WHIP_CORS.expose);
  return 'allowed';
}

/** Whether an `OPTIONS` request is a CORS preflight (it names the method it asks for). */
export const isPreflight = (req: IncomingMessage): boolean => req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;

/** The CORS part of a WHIP/WHEP preflight's answer from an allowed origin: the methods and headers, cached for `PREFLIGHT_MAX_AGE`. */
export function whipPreflightHeaders(req: IncomingMessage, res: ServerResponse): void {
  allowPrivateNetwork(req, res);
  res.setHeader('access-control-allow-methods', WHIP_CORS.methods);
  res.setHeader('access-control-allow-headers', WHIP_CORS.headers);
  res.setHeader('access-control-max-age', String(PREFLIGHT_MAX_AGE));
}
