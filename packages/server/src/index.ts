/**
 * The embedded AMS-compatible server: one HTTP port serving the demo (`/`), the bundle
 * (`/dist/…`), the AMS WebSocket (`/<App>/websocket`), the REST subset
 * (`/<App>/rest/v2/…`), WHIP and WHEP (`/<App>/whip/<streamId>`, `/<App>/whep/<streamId>` and
 * their sessions below them) and, when enabled, the fault-injection route (`/__faults`).
 */
import { createServer as createHttpServer } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { networkInterfaces } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_FRAME_BYTES } from '../../../src/core/protocol/ams.js';
import { appSettings, resolveConfig, type AppSettings, type ServerConfig } from './config.js';
import { FaultTable } from './faults.js';
import { faultRoutes } from './http/fault-routes.js';
import { restRoutes } from './http/rest-routes.js';
import { requestListener, Router } from './http/router.js';
import { findStaticRoot } from './http/static-root.js';
import { staticRoutes } from './http/static-routes.js';
import { whepRoutes } from './http/whep-routes.js';
import { whipRoutes } from './http/whip-routes.js';
import { restOriginAllowed } from './http/cors.js';
import { AddressCounter, clientAddress, type LimitEvent } from './limits.js';
import { LoadGauge, type Admission } from './load-gauge.js';
import { HttpSessions } from './registries/http-sessions.js';
import type { MediaRelay } from './relay/types.js';
import { createAppContext, type AppContext } from './signaling/connection.js';
import { SignalingHandler } from './signaling/handler.js';
import { createWeriftRelay } from './relay/werift-relay.js';
import { WorkerRelay } from './relay/worker-relay.js';

export interface ServerOptions extends Partial<Omit<ServerConfig, 'settings'>> {
  /** Settings for every app: the ones given, the defaults for the others. */
  settings?: Partial<AppSettings>;
  /** Injected media relay (tests); the werift SFU by default. */
  relay?: MediaRelay;
  /** Called when a limit refuses or drops a WebSocket client (to log it, or count it). */
  onLimit?: (event: LimitEvent) => void;
}

export interface RunningServer {
  /** `http://host:port`. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  readonly config: ServerConfig;
  /** The folder whose `dist/` and `demo/` are served (`staticRoot`, given or found); undefined: none. */
  readonly staticRoot: string | undefined;
  /** Live fault rules (also reachable over HTTP when `faultInjection` is on). */
  readonly faults: FaultTable;
  /** The load gauge of admission control: its readings (`lagMs`, `cpuPercent`) and `overload()` (`maxPlayers` aside). */
  readonly load: Pick<LoadGauge, 'lagMs' | 'cpuPercent' | 'overload' | 'limits'>;
  /** The data store of an app (created on first use). */
  app(name: string): AppContext;
  /** Drops every WebSocket abruptly (as a lost network would); returns how many. For tests. */
  dropConnections(): number;
  /** Stops accepting, closes every socket and peer connection. */
  close(): Promise<void>;
}

/** App names as AMS accepts them in a URL path. */
const APP_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const WS_PATH = /^\/([^/]+)\/websocket\/?$/;
/** Frames above AMS's 81,920-byte limit are answered with an error; far larger ones close the socket. */
const HARD_MAX_FRAME_BYTES = 1024 * 1024;

/**
 * Addresses the relay puts in ICE candidates besides the loopback: `announcedHosts` when given;
 * otherwise none while bound to the loopback, the bound address when bound to one, and every
 * external IPv4 address when bound to all (`--host 0.0.0.0`).
 */
export function mediaHosts(config: Pick<ServerConfig, 'host' | 'announcedHosts'>): string[] {
  if (config.announcedHosts.length > 0) return config.announcedHosts;
  const host = config.host;
  if (host === '0.0.0.0' || host === '::') {
    return Object.values(networkInterfaces())
      .flat()
      .filter((i) => i !== undefined && i.family === 'IPv4' && !i.internal)
      .map((i) => i!.address);
  }
  if (isIP(host) === 4 && !host.startsWith('127.')) return [host];
  return [];
}

export async function createServer(options: ServerOptions = {}): Promise<RunningServer> {
  const { relay: injectedRelay, onLimit, ...rest } = options;
  const config = resolveConfig(rest);
  // The front-end package's folder: given, or found from this module's own folder up.
  const staticRoot = config.staticRoot ?? findStaticRoot(dirname(fileURLToPath(import.meta.url)));
  const demoDir = config.demoDir ?? (staticRoot === undefined ? undefined : join(staticRoot, 'demo'));
  const distDir = config.distDir ?? (staticRoot === undefined ? undefined : join(staticRoot, 'dist'));
  const faults = new FaultTable(config.faults);
  // Media cuts (test faults) only when fault injection is on: otherwise the sockets stay unwrapped.
  const mediaCut = config.faultInjection ? (key: string) => faults.mediaCut(key) : undefined;
  const dropKeyframeRequest = config.faultInjection ? (streamId: string) => faults.takeKeyframeRequestDrop(streamId) : undefined;
  const relayOptions = { announcedHosts: mediaHosts(config), mediaCut, dropKeyframeRequest };
  // The players' media on worker threads (one per core by default), or all on this one.
  const workerRelay =
    injectedRelay === undefined && config.mediaWorkers > 0
      ? new WorkerRelay({ ...relayOptions, workers: config.mediaWorkers, mediaCuts: () => faults.mediaCuts(), lagLimitMs: config.eventLoopLagLimitMs })
      : undefined;
  if (workerRelay && mediaCut) faults.onMediaCuts = (cuts) => workerRelay.setMediaCuts(cuts);
  const relay: MediaRelay = injectedRelay ?? workerRelay ?? createWeriftRelay(relayOptions);
  const apps = new Map<string, AppContext>();
  const handlers = new Set<SignalingHandler>();
  const httpSessions = new HttpSessions();
  // Admission control: new sessions are refused while this says overloaded (started once listening).
  const load = new LoadGauge({ cpuLimit: config.cpuLimit, eventLoopLagLimitMs: config.eventLoopLagLimitMs }, () => faults.overloaded);
  // Plays open on the server (every app; viewers counted from the play request, WHEP's too), for maxPlayers.
  const players = (): number => {
    let n = 0;
    for (const ctx of apps.values()) n += ctx.live.viewerCount() + ctx.mainTracks.playerCount();
    return n;
  };
  const admission: Admission = {
    refusal: (kind) => {
      // A player's media is on a worker: every worker lagging refuses a play too.
      const overload = load.overload() ?? (kind === 'play' ? workerRelay?.overload() : undefined);
      if (overload || kind !== 'play' || config.maxPlayers <= 0) return overload;
      const n = players();
      return n >= config.maxPlayers ? { cause: 'maxPlayers', reason: `the server has ${n} players, its limit` } : undefined;
    },
  };

  const app = (name: string): AppContext => {
    let ctx = apps.get(name);
    if (!ctx) {
      ctx = createAppContext(name, appSettings(config, name));
      apps.set(name, ctx);
    }
    return ctx;
  };
  // Apps named in the config exist from the start, so their streams are listed at once.
  for (const name of Object.keys(config.apps)) app(name);

  // One row per route family, first match wins; a new family (WHIP/WHEP…) is one file and one row.
  const whipDeps = {
    contextOf: (name: string) => (APP_NAME.test(name) ? app(name) : undefined),
    settingsOf: (name: string) => appSettings(config, name),
    relay,
    sessions: httpSessions,
    maxSessions: config.maxWhipSessions,
    faults,
    admission,
  };
  const router = new Router([
    ...restRoutes({ storeOf: (name) => (APP_NAME.test(name) ? app(name).store : undefined), settingsOf: (name) => appSettings(config, name) }),
    ...whipRoutes(whipDeps),
    ...whepRoutes(whipDeps),
    ...faultRoutes(config.faultInjection, faults, workerRelay),
    ...staticRoutes(demoDir, distDir),
  ]);
  const http = createHttpServer(requestListener(router));
  http.on('clientError', (_err, socket) => socket.destroy());

  const wss = new WebSocketServer({ noServer: true, maxPayload: HARD_MAX_FRAME_BYTES, perMessageDeflate: false });
  const perAddress = new AddressCounter(config.maxSocketsPerAddress);
  const limits = { maxCommandsPerSecond: config.maxCommandsPerSecond, maxStreamsPerSocket: config.maxStreamsPerSocket };
  const refuse = (socket: Duplex, status: string): void => {
    // Written, then closed without waiting for the client's side (a flood's client may never close).
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy());
  };
  http.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const m = WS_PATH.exec(path);
    if (!m || !APP_NAME.test(m[1]!)) return refuse(socket, '404 Not Found');
    const ctx = app(m[1]!);
    const address = clientAddress(req.socket.remoteAddress);
    const origin = req.headers.origin;
    // A browser's page elsewhere may not drive a socket (cross-site WebSocket hijacking); no Origin: no browser.
    if (origin !== undefined && !restOriginAllowed(ctx.settings.webSocketAllowedOrigins, origin, req.headers.host)) {
      onLimit?.({ limit: 'webSocketAllowedOrigins', address, app: ctx.name });
      return refuse(socket, '403 Forbidden');
    }
    if (!perAddress.take(address)) {
      onLimit?.({ limit: 'maxSocketsPerAddress', address, app: ctx.name });
      return refuse(socket, '429 Too Many Requests\r\nRetry-After: 1');
    }
    // The handshake can fail (bad headers) without calling back: the count is given back on the socket's close either way.
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      perAddress.release(address);
    };
    socket.once('close', release);
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const dropped = (limit: LimitEvent['limit']) => onLimit?.({ limit, address, app: ctx.name });
      const handler = new SignalingHandler(
        {
          send: (text) => {
            ws.send(text);
            // A client that does not read: what it left unread stays here, so it goes; the others' sends never wait on it.
            if (config.maxSocketBufferedBytes > 0 && ws.bufferedAmount > config.maxSocketBufferedBytes) {
              dropped('maxSocketBufferedBytes');
              ws.terminate();
            }
          },
          close: () => ws.terminate(),
          end: (code, reason) => {
            ws.close(code, reason);
            // The closing handshake waits for the client; an abusive one gets a second, not ws's 30.
            setTimeout(() => ws.terminate(), 1000).unref();
          },
          get open() {
            return ws.readyState === ws.OPEN;
          },
        },
        ctx,
        relay,
        faults,
        limits,
        dropped,
        admission,
      );
      handlers.add(handler);
      ws.on('message', (data, isBinary) => {
        const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
        handler.handleFrame(isBinary ? buf : buf.toString('utf8'));
      });
      ws.on('error', () => ws.terminate());
      ws.on('close', () => {
        release();
        handlers.delete(handler);
        handler.handleClose();
      });
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(config.port, config.host, () => {
        http.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    // (The port is taken, say): the media workers started above end with it.
    await relay.close();
    throw e;
  }
  load.start();
  const address = http.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostForUrl}:${address.port}`,
    port: address.port,
    host: address.address,
    config,
    staticRoot,
    faults,
    load,
    app,
    dropConnections() {
      let n = 0;
      for (const client of wss.clients) {
        client.terminate();
        n++;
      }
      return n;
    },
    close() {
      closing ??= (async () => {
        load.stop();
        for (const client of wss.clients) client.terminate();
        for (const h of handlers) h.handleClose();
        handlers.clear();
        httpSessions.endAll();
        wss.close();
        await relay.close();
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
      })();
      return closing;
    },
  };
}

export { MAX_FRAME_BYTES };
