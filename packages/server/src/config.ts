/**
 * Server configuration: the options of `rtc-elements-server` and the per-application settings,
 * named as AMS names them (`acceptOnlyStreamsInDataStore`, `publishTokenControlEnabled`, …).
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { FaultRule } from './faults.js';
import { CidrError, parseCidrList } from './http/cidr.js';
import { OriginListError, parseOrigins } from './http/cors.js';

/** Settings of one application (`LiveApp`, `WebRTCAppEE`, …). */
export interface AppSettings {
  /** Refuse to publish a stream id that was not created first (REST or `streams`). */
  acceptOnlyStreamsInDataStore: boolean;
  /** Publishing needs a valid token (one-time, expiring), made with the REST token route. */
  publishTokenControlEnabled: boolean;
  /** Playing needs a valid token. */
  playTokenControlEnabled: boolean;
  /** Streams created at start-up: ids, or `{streamId, name}`. */
  streams: Array<string | { streamId: string; name?: string }>;
  /** `stunServerUri` sent in `iceServerConfig` (`""`: none, which clients ignore). */
  stunServerUri: string;
  /**
   * AMS's REST IP filter: comma-separated CIDR ranges (IPv4 or IPv6) of the client addresses
   * the REST API answers; others get 403. Default the loopback (AMS's `127.0.0.1`, and `::1`).
   */
  remoteAllowedCIDR: string;
  /**
   * Comma-separated origins (`scheme://host[:port]`, or `*`) whose pages may call the REST API
   * (CORS), besides the server's own; AMS's CORS filter parameter `cors.allowed.origins`.
   * Default none.
   */
  corsAllowedOrigins: string;
  /**
   * Comma-separated origins (or `*`) whose pages may call the WHIP and WHEP endpoints and
   * sessions (CORS), besides the server's own. Default `*`: WHIP/WHEP endpoints are meant to be
   * called from pages anywhere, their tokens guard them, not the origin.
   */
  whipCorsAllowedOrigins: string;
  /**
   * Comma-separated origins (or `*`) whose pages may open the AMS WebSocket, besides the
   * server's own; another `Origin` is refused at the upgrade with 403. A client that sends no
   * `Origin` (not a browser) is not refused. Ours (AMS checks no origin). Default `*`.
   */
  webSocketAllowedOrigins: string;
  /** Publishing needs a JWT stream token (HS256 with `jwtStreamSecretKey`, claims `streamId`, `type`, `exp`). */
  publishJwtControlEnabled: boolean;
  /** Playing needs a JWT stream token. */
  playJwtControlEnabled: boolean;
  /** The secret the JWT stream tokens are signed with; 32 characters or more (AMS's advice; required here when a JWT control is on). */
  jwtStreamSecretKey: string;
  /** At most this many viewers per stream (WebSocket and WHEP plays together); more get `viewerLimitReached`. -1: no limit (AMS's default). */
  webRTCViewerLimit: number;
  /**
   * Ours: the server asks each WebSocket publisher (a room's participant too) for simulcast layers
   * (`start` with `simulcast: true`); players, and each room connection for each participant, then
   * get the layer their bandwidth estimate allows (a player: or the one `forceStreamQuality`
   * pins), and `streamInformation` lists the layers. Default false.
   */
  simulcast: boolean;
  /**
   * Ours: the server's answer to a publisher (WebSocket, room participant or WHIP) asks for Opus
   * DTX (`usedtx=1`), so a silent or muted microphone sends a packet every 400 ms instead of 50 a
   * second. Default true.
   */
  audioDtx: boolean;
  /**
   * Ours: the audio packet length (milliseconds) the server's answer to a publisher (WebSocket,
   * room participant or WHIP) asks for (`a=ptime`): 10, 20 (the browser's own), 40 or 60. Longer
   * packets are fewer to receive and to forward to every player (a third as many at 60: audio is
   * about half of a 0.5 Mbit/s stream's packets), at that much more audio latency. Default 20.
   */
  audioPacketMs: number;
}

export interface ServerConfig {
  /** Default 127.0.0.1: nothing leaves the loopback unless told otherwise. */
  host: string;
  /** Default 5080, the AMS default. `0` picks a free port. */
  port: number;
  /** Settings for every application, unless `apps` overrides them. */
  settings: AppSettings;
  /** Per-application overrides, keyed by app name. */
  apps: Record<string, Partial<AppSettings>>;
  /** Enables the test-only `/__faults` HTTP route. Off by default. */
  faultInjection: boolean;
  /** Fault rules active from start-up (they work even when `faultInjection` is off). */
  faults: FaultRule[];
  /** Addresses put in ICE candidates; default the loopback only. */
  announcedHosts: string[];
  /**
   * At most this many WHIP and WHEP sessions at once (every app together); a POST beyond it is
   * answered 503 with `Retry-After`. Default 0: no limit.
   */
  maxWhipSessions: number;
  /** At most this many AMS WebSockets open at once from one client address; more are refused with 429. Ours. Default 0: no limit. */
  maxSocketsPerAddress: number;
  /**
   * Commands one AMS WebSocket may send a second, on average (a burst of twice as many passes);
   * beyond, the socket gets the error `highResourceUsage` and is closed (1008). Ours. Default 100.
   */
  maxCommandsPerSecond: number;
  /**
   * Bytes the server may hold for one AMS WebSocket that its client has not read (`bufferedAmount`);
   * beyond, the socket is dropped. Ours. Default 1 MiB; 0: no cap.
   */
  maxSocketBufferedBytes: number;
  /** Publishes and plays one AMS WebSocket may hold at once; beyond, `highResourceUsage`. Ours. Default 64; 0: no limit. */
  maxStreamsPerSocket: number;
  /**
   * AMS's `cpuLimit`: while the server's process uses this percentage of all its cores or more
   * (over the last second), a new publish, play or room join is refused (`highResourceUsage`;
   * WHIP/WHEP 503 with `Retry-After`); sessions already admitted go on. Default 75 (AMS's); 0: no limit.
   */
  cpuLimit: number;
  /**
   * Ours: plays open at once on the whole server (WebSocket plays of streams and rooms, WHEP plays;
   * counted from the play request); a play beyond gets `highResourceUsage` (WHEP: 503). Default 0: no limit.
   */
  maxPlayers: number;
  /**
   * Ours: while the event loop has lagged this many milliseconds or more (in the last one to two
   * seconds), new sessions are refused as for `cpuLimit`. Default 150; 0: no limit.
   */
  eventLoopLagLimitMs: number;
  /**
   * Ours: worker threads that carry the players' media, each with its own werift connections (the
   * publishers, multitrack rooms and signaling stay on the main thread). Default: one per core
   * (`os.availableParallelism()`) on a machine of two cores or more, else 0; 0: the players stay
   * on the main thread. At most `MAX_MEDIA_WORKERS`.
   */
  mediaWorkers: number;
  /**
   * The front-end package's folder: `/dist/` serves its `dist/`, `/` its `demo/`. Default: the
   * `rtc-elements` package found from the server's own files up (`findStaticRoot`); none found,
   * no static files.
   */
  staticRoot?: string;
  /** Folder served at `/` (the demo); default `<staticRoot>/demo`. */
  demoDir?: string;
  /** Folder served at `/dist/`; default `<staticRoot>/dist`. */
  distDir?: string;
}

/** The most media workers a server starts. */
export const MAX_MEDIA_WORKERS = 64;
const CORES = availableParallelism();
/** One media worker per core on a machine of two or more, none on one core. */
export const DEFAULT_MEDIA_WORKERS = CORES > 1 ? Math.min(CORES, MAX_MEDIA_WORKERS) : 0;

export const DEFAULT_APP_SETTINGS: AppSettings = {
  acceptOnlyStreamsInDataStore: false,
  publishTokenControlEnabled: false,
  playTokenControlEnabled: false,
  streams: [],
  stunServerUri: '',
  remoteAllowedCIDR: '127.0.0.1,::1',
  corsAllowedOrigins: '',
  whipCorsAllowedOrigins: '*',
  webSocketAllowedOrigins: '*',
  publishJwtControlEnabled: false,
  playJwtControlEnabled: false,
  jwtStreamSecretKey: '',
  webRTCViewerLimit: -1,
  simulcast: false,
  audioDtx: true,
  audioPacketMs: 20,
};

export const DEFAULT_CONFIG: ServerConfig = {
  host: '127.0.0.1',
  port: 5080,
  settings: DEFAULT_APP_SETTINGS,
  apps: {},
  faultInjection: false,
  faults: [],
  announcedHosts: [],
  maxWhipSessions: 0,
  maxSocketsPerAddress: 0,
  maxCommandsPerSecond: 100,
  maxSocketBufferedBytes: 1024 * 1024,
  maxStreamsPerSocket: 64,
  cpuLimit: 75,
  maxPlayers: 0,
  eventLoopLagLimitMs: 150,
  mediaWorkers: DEFAULT_MEDIA_WORKERS,
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const APP_KEYS: Record<keyof AppSettings, 'boolean' | 'string' | 'streams' | 'cidrs' | 'origins' | 'limit' | 'ptime'> = {
  acceptOnlyStreamsInDataStore: 'boolean',
  publishTokenControlEnabled: 'boolean',
  playTokenControlEnabled: 'boolean',
  streams: 'streams',
  stunServerUri: 'string',
  remoteAllowedCIDR: 'cidrs',
  corsAllowedOrigins: 'origins',
  whipCorsAllowedOrigins: 'origins',
  webSocketAllowedOrigins: 'origins',
  publishJwtControlEnabled: 'boolean',
  playJwtControlEnabled: 'boolean',
  jwtStreamSecretKey: 'string',
  webRTCViewerLimit: 'limit',
  simulcast: 'boolean',
  audioDtx: 'boolean',
  audioPacketMs: 'ptime',
};

/** The audio packet lengths (ms) `audioPacketMs` may ask for: Opus frame sizes a browser sends. */
const AUDIO_PACKET_MS: readonly number[] = [10, 20, 40, 60];

/** The server options that are whole numbers (counts, milliseconds): 0 or more, 0 meaning no limit. */
const COUNT_KEYS = [
  'maxWhipSessions',
  'maxSocketsPerAddress',
  'maxCommandsPerSecond',
  'maxSocketBufferedBytes',
  'maxStreamsPerSocket',
  'maxPlayers',
  'eventLoopLagLimitMs',
] as const;

/** The shortest `jwtStreamSecretKey` taken (AMS asks for 32 characters or more: HS256 wants 256 bits). */
export const MIN_JWT_SECRET_LENGTH = 32;

/** A JWT control that is on needs a secret long enough; throws `ConfigError` naming `where`. */
function checkJwtSecret(settings: AppSettings, where: string): void {
  if (!settings.publishJwtControlEnabled && !settings.playJwtControlEnabled) return;
  if (settings.jwtStreamSecretKey.length < MIN_JWT_SECRET_LENGTH)
    throw new ConfigError(`${where}.jwtStreamSecretKey must have ${MIN_JWT_SECRET_LENGTH} characters or more when a JWT control is on`);
}

/** Checks a comma-separated list with `parse`; its error of class `failure` becomes a `ConfigError` naming `where`. */
function checkList(value: unknown, where: string, what: string, parse: (list: string) => unknown, failure: new (message: string) => Error): string {
  if (typeof value !== 'string') throw new ConfigError(`${where} must be a comma-separated list of ${what}`);
  try {
    parse(value);
  } catch (e) {
    if (e instanceof failure) throw new ConfigError(`${where}: ${e.message}`);
    throw e;
  }
  return value;
}

/** Checks a `remoteAllowedCIDR` value; throws `ConfigError` naming `where`. */
export const checkCidrList = (value: unknown, where: string): string => checkList(value, where, 'CIDR ranges', parseCidrList, CidrError);

/** Checks a `corsAllowedOrigins` value; throws `ConfigError` naming `where`. */
export const checkOriginList = (value: unknown, where: string): string => checkList(value, where, 'origins', parseOrigins, OriginListError);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkAppSettings(value: unknown, where: string): Partial<AppSettings> {
  if (!isObject(value)) throw new ConfigError(`${where} must be an object`);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const kind = APP_KEYS[key as keyof AppSettings];
    if (!kind) throw new ConfigError(`${where}.${key} is not a known setting`);
    if (kind === 'boolean' && typeof v !== 'boolean') throw new ConfigError(`${where}.${key} must be true or false`);
    if (kind === 'string' && typeof v !== 'string') throw new ConfigError(`${where}.${key} must be a string`);
    if (kind === 'streams') {
      const ok = Array.isArray(v) && v.every((s) => typeof s === 'string' || (isObject(s) && typeof s.streamId === 'string'));
      if (!ok) throw new ConfigError(`${where}.${key} must be a list of stream ids or {streamId, name}`);
    }
    if (kind === 'limit' && (typeof v !== 'number' || !Number.isInteger(v) || v < -1))
      throw new ConfigError(`${where}.${key} must be an integer, -1 (no limit) or more`);
    if (kind === 'ptime' && !AUDIO_PACKET_MS.includes(v as number)) throw new ConfigError(`${where}.${key} must be one of ${AUDIO_PACKET_MS.join(', ')}`);
    if (kind === 'cidrs') checkCidrList(v, `${where}.${key}`);
    if (kind === 'origins') checkOriginList(v, `${where}.${key}`);
    out[key] = v;
  }
  return out as Partial<AppSettings>;
}

/** Validates a parsed config object and fills in defaults. Throws `ConfigError` with the offending key. */
export function resolveConfig(input: unknown = {}): ServerConfig {
  if (!isObject(input)) throw new ConfigError('the config must be a JSON object');
  const known = new Set([
    'host',
    'port',
    'settings',
    'apps',
    'faultInjection',
    'faults',
    'announcedHosts',
    ...COUNT_KEYS,
    'cpuLimit',
    'mediaWorkers',
    'staticRoot',
    'demoDir',
    'distDir',
  ]);
  for (const key of Object.keys(input)) {
    if (!known.has(key)) throw new ConfigError(`${key} is not a known option`);
  }
  const config: ServerConfig = { ...DEFAULT_CONFIG, settings: { ...DEFAULT_APP_SETTINGS }, apps: {} };
  if (input.host !== undefined) {
    if (typeof input.host !== 'string' || input.host === '') throw new ConfigError('host must be a non-empty string');
    config.host = input.host;
  }
  if (input.port !== undefined) {
    const p = input.port;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 65535) throw new ConfigError('port must be an integer from 0 to 65535');
    config.port = p;
  }
  if (input.settings !== undefined) config.settings = { ...DEFAULT_APP_SETTINGS, ...checkAppSettings(input.settings, 'settings') };
  if (input.apps !== undefined) {
    if (!isObject(input.apps)) throw new ConfigError('apps must be an object keyed by app name');
    for (const [name, s] of Object.entries(input.apps)) config.apps[name] = checkAppSettings(s, `apps.${name}`);
  }
  if (input.faultInjection !== undefined) {
    if (typeof input.faultInjection !== 'boolean') throw new ConfigError('faultInjection must be true or false');
    config.faultInjection = input.faultInjection;
  }
  if (input.faults !== undefined) {
    if (!Array.isArray(input.faults)) throw new ConfigError('faults must be a list');
    config.faults = input.faults as FaultRule[];
  }
  if (input.announcedHosts !== undefined) {
    if (!Array.isArray(input.announcedHosts) || !input.announcedHosts.every((h) => typeof h === 'string'))
      throw new ConfigError('announcedHosts must be a list of addresses');
    config.announcedHosts = input.announcedHosts as string[];
  }
  for (const key of COUNT_KEYS) {
    const n = input[key];
    if (n === undefined) continue;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new ConfigError(`${key} must be an integer, 0 or more (0: no limit)`);
    config[key] = n;
  }
  if (input.cpuLimit !== undefined) {
    const n = input.cpuLimit;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 100)
      throw new ConfigError('cpuLimit must be a percentage, an integer from 0 to 100 (0: no limit)');
    config.cpuLimit = n;
  }
  if (input.mediaWorkers !== undefined) {
    const n = input.mediaWorkers;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_MEDIA_WORKERS)
      throw new ConfigError(`mediaWorkers must be an integer from 0 to ${MAX_MEDIA_WORKERS} (0: the players on the main thread)`);
    config.mediaWorkers = n;
  }
  checkJwtSecret(config.settings, 'settings');
  for (const name of Object.keys(config.apps)) checkJwtSecret(appSettings(config, name), `apps.${name}`);
  for (const key of ['staticRoot', 'demoDir', 'distDir'] as const) {
    const v = input[key];
    if (v !== undefined) {
      if (typeof v !== 'string') throw new ConfigError(`${key} must be a path`);
      config[key] = v;
    }
  }
  return config;
}

/** Reads and validates a JSON config file. */
export async function loadConfigFile(path: string): Promise<ServerConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read ${path}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  return resolveConfig(parsed);
}

/** Effective settings of one app. */
export const appSettings = (config: ServerConfig, app: string): AppSettings => ({
  ...config.settings,
  ...(config.apps[app] ?? {}),
});
