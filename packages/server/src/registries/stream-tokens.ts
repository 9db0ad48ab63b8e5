/**
 * Stream tokens, both kinds AMS has: its one-time tokens (`publishTokenControlEnabled`,
 * `playTokenControlEnabled`, made by the REST token route, kept in the app's store) and its JWT
 * stream tokens (`publishJwtControlEnabled`, `playJwtControlEnabled`): HS256 signed with the
 * app's `jwtStreamSecretKey`, claims `streamId`, `type` (`publish` or `play`) and `exp` (unix
 * seconds), reusable until they expire. Verified with node:crypto alone.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AppSettings } from '../config.js';
import type { AppStore, TokenType } from './streams.js';

/** The claims of a stream JWT, as AMS's `jwt-token` route and its docs write them. */
export interface StreamJwtClaims {
  streamId: string;
  type: TokenType;
  /** Unix seconds. */
  exp: number;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** A stream JWT (HS256) for `claims`, signed with `secret`. */
export function signStreamJwt(secret: string, claims: StreamJwtClaims): string {
  const head = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

const parsePart = (part: string): Record<string, unknown> | undefined => {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Whether `token` is a JWT signed with `secret` (HS256 only: `none` and every other algorithm are
 * refused) for `streamId` and `type`, not expired (`exp` is required: a token that never expires
 * cannot be taken back) and not before its `nbf`.
 */
export function verifyStreamJwt(token: unknown, secret: string, streamId: string, type: TokenType, now = Date.now()): boolean {
  if (typeof token !== 'string' || secret === '' || token.length > 4096) return false;
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return false;
  const [head, body, signature] = parts as [string, string, string];
  const header = parsePart(head);
  if (header?.alg !== 'HS256') return false;
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  const claims = parsePart(body);
  if (!claims || claims.streamId !== streamId || claims.type !== type) return false;
  const seconds = now / 1000;
  if (typeof claims.exp !== 'number' || claims.exp <= seconds) return false;
  return claims.nbf === undefined || (typeof claims.nbf === 'number' && claims.nbf <= seconds);
}

/** Whether publishing (or playing) in an app with these settings needs a token of either kind. */
export const tokenRequired = (settings: AppSettings, type: TokenType): boolean =>
  type === 'publish'
    ? settings.publishTokenControlEnabled || settings.publishJwtControlEnabled
    : settings.playTokenControlEnabled || settings.playJwtControlEnabled;

/**
 * Whether `token` lets its holder publish (or play) `streamId`: a stream JWT where JWT control is
 * on, else a one-time token where one-time control is on (consumed then). With both on, either
 * kind is taken. True when neither control is on.
 */
export function acceptStreamToken(settings: AppSettings, store: AppStore, token: unknown, streamId: string, type: TokenType): boolean {
  if (!tokenRequired(settings, type)) return true;
  const jwt = type === 'publish' ? settings.publishJwtControlEnabled : settings.playJwtControlEnabled;
  const oneTime = type === 'publish' ? settings.publishTokenControlEnabled : settings.playTokenControlEnabled;
  if (jwt && verifyStreamJwt(token, settings.jwtStreamSecretKey, streamId, type)) return true;
  return oneTime && store.consumeToken(token, streamId, type);
}
