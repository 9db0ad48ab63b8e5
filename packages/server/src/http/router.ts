/**
 * A small HTTP router: a table of routes, each a path pattern with one handler per method.
 * The first route whose path matches answers; a method it has no handler for gets 405 with
 * `Allow`, a path no route matches gets 404. Route families (static files, REST, the fault
 * switch; WHIP/WHEP next) are one file each, giving rows for the table in `server.ts`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, sendJson } from './json.js';

/** What a handler gets besides the request and response: the path parameters and the parsed URL. */
export interface RouteMatch {
  /** `:name` segments as they were in the path (not decoded); `*name`: the rest of the path, `/` included. */
  params: Record<string, string>;
  url: URL;
}

export type RouteHandler<C = void> = (req: IncomingMessage, res: ServerResponse, match: RouteMatch, context: C) => void | Promise<void>;

export interface Route<C = void> {
  /**
   * `/`-separated segments: a literal, `:name` (one non-empty segment) or, last, `*name` (one or
   * more segments, possibly empty ones), e.g. `/:app/rest/v2/*rest`.
   */
  path: string;
  /** A handler per method (`GET`, `POST`, …); `*` answers any method. */
  methods: Readonly<Record<string, RouteHandler<C>>>;
  /** Runs once the path matches, before the method is looked at; may throw `HttpError`. */
  before?(match: RouteMatch, context: C): void;
}

type Segment = { literal: string } | { param: string } | { rest: string };

interface Compiled<C> {
  route: Route<C>;
  segments: Segment[];
}

/** A path's segments: `/a/b/` is `['a', 'b', '']`, `/` is `['']`. */
export const splitPath = (pathname: string): string[] => pathname.split('/').slice(1);

function compile(path: string): Segment[] {
  const parts = splitPath(path);
  return parts.map((part, i) => {
    if (part.startsWith('*')) {
      if (i !== parts.length - 1) throw new Error(`${path}: *${part.slice(1)} must come last`);
      return { rest: part.slice(1) };
    }
    if (part.startsWith(':')) return { param: part.slice(1) };
    return { literal: part };
  });
}

function matchSegments(pattern: Segment[], segments: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if ('rest' in p) {
      if (i >= segments.length) return undefined;
      params[p.rest] = segments.slice(i).join('/');
      return params;
    }
    const segment = segments[i];
    if (segment === undefined) return undefined;
    if ('literal' in p) {
      if (segment !== p.literal) return undefined;
    } else {
      if (segment === '') return undefined;
      params[p.param] = segment;
    }
  }
  return pattern.length === segments.length ? params : undefined;
}

/** The methods a route answers, in table order (`*` left out). */
export const allowedMethods = <C>(route: Route<C>): string[] => Object.keys(route.methods).filter((m) => m !== '*');

/** `use GET`, `use GET or DELETE`, `use GET, POST or DELETE` (HEAD goes without saying next to GET, OPTIONS next to anything). */
function usage(methods: readonly string[]): string {
  const shown = methods.filter((m) => !(m === 'HEAD' && methods.includes('GET')) && !(m === 'OPTIONS' && methods.length > 1));
  const last = shown.pop() ?? '';
  return `use ${shown.length > 0 ? `${shown.join(', ')} or ${last}` : last}`;
}

export class Router<C = void> {
  private readonly routes: Compiled<C>[];

  /** `notFound`: the message of the 404 for a path no route matches. */
  constructor(
    routes: readonly Route<C>[],
    private readonly notFound = 'not found',
  ) {
    this.routes = routes.map((route) => ({ route, segments: compile(route.path) }));
  }

  /** The first route whose path matches `segments`, with its parameters. */
  find(segments: readonly string[]): { route: Route<C>; params: Record<string, string> } | undefined {
    for (const { route, segments: pattern } of this.routes) {
      const params = matchSegments(pattern, segments);
      if (params) return { route, params };
    }
    return undefined;
  }

  /**
   * Runs the handler for `method` of the route matching `segments`. Throws `HttpError` 404 when
   * no route matches, 405 (with `Allow`) when the route has no handler for the method.
   */
  async dispatch(req: IncomingMessage, res: ServerResponse, segments: readonly string[], url: URL, context: C): Promise<void> {
    const found = this.find(segments);
    if (!found) throw new HttpError(404, this.notFound);
    const { route, params } = found;
    const match: RouteMatch = { params, url };
    route.before?.(match, context);
    const method = req.method ?? 'GET';
    const handler = Object.hasOwn(route.methods, method) ? route.methods[method] : route.methods['*'];
    if (!handler) {
      const allow = allowedMethods(route);
      throw new HttpError(405, usage(allow), { allow: allow.join(', ') });
    }
    await handler(req, res, match, context);
  }
}

/** Routes a request by its URL path. */
export async function route(router: Router, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  await router.dispatch(req, res, splitPath(url.pathname), url, undefined);
}

/**
 * The `http.Server` request listener for `router`: an `HttpError` becomes its JSON answer
 * `{success: false, message}`, anything else a 500; after the headers went out, the socket is
 * dropped instead.
 */
export function requestListener(router: Router): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    route(router, req, res).catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : 500;
      const message = e instanceof HttpError ? e.message : 'internal error';
      if (!res.headersSent) sendJson(res, status, { success: false, message }, e instanceof HttpError ? e.headers : undefined);
      else res.destroy();
    });
  };
}
