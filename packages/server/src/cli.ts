/**
 * `rtc-elements-server [--port 5080] [--host 127.0.0.1] [--config FILE] [--static-root DIR]
 * [--remote-allowed-cidr LIST] [--cors-allowed-origins LIST] [--websocket-allowed-origins LIST]
 * [--max-sockets-per-address N] [--max-commands-per-second N] [--max-socket-buffered-bytes N]
 * [--max-streams-per-socket N] [--max-players N] [--cpu-limit PERCENT] [--event-loop-lag-limit-ms N]
 * [--media-workers N]`: starts the embedded
 * AMS-compatible server and prints the URL it listens on.
 */
import { resolve } from 'node:path';
import { checkCidrList, checkOriginList, ConfigError, loadConfigFile, MAX_MEDIA_WORKERS, resolveConfig, type ServerConfig } from './config.js';
import { createServer } from './index.js';

const USAGE = `Usage: rtc-elements-server [--port N] [--host ADDRESS] [--config FILE] [--static-root DIR]
                           [--remote-allowed-cidr LIST] [--cors-allowed-origins LIST]
                           [--websocket-allowed-origins LIST] [--max-sockets-per-address N]
                           [--max-commands-per-second N] [--max-socket-buffered-bytes N]
                           [--max-streams-per-socket N] [--max-players N] [--cpu-limit PERCENT]
                           [--event-loop-lag-limit-ms N] [--media-workers N]
  --port N                     port to listen on (default 5080; 0 picks a free one)
  --host ADDRESS               address to bind (default 127.0.0.1, the loopback only)
  --config FILE                JSON config file (settings per app, streams, faults); flags win over it
  --static-root DIR            the rtc-elements package whose dist/ and demo/ are served
                               (default: found from the server's folder up; none found, none served)
  --remote-allowed-cidr LIST   client addresses the REST API answers, comma-separated CIDR ranges
                               (default 127.0.0.1,::1)
  --cors-allowed-origins LIST  origins whose pages may call the REST API, comma-separated, or *
                               (default none but the server's own)
  --websocket-allowed-origins LIST
                               origins whose pages may open the AMS WebSocket, comma-separated, or *
                               (default *; clients that send no Origin are not browsers and pass)
  --max-sockets-per-address N  AMS WebSockets open at once from one client address (default 0: no limit)
  --max-commands-per-second N  commands a socket may send a second, bursts of twice that (default 100)
  --max-socket-buffered-bytes N
                               bytes a client may leave unread before its socket is dropped (default 1048576)
  --max-streams-per-socket N   publishes and plays one socket may hold (default 64)
  --max-players N              plays open at once on the server (default 0: no limit)
  --cpu-limit PERCENT          refuse new publishes and plays while the server uses this much of
                               all cores (default 75, AMS's cpuLimit)
  --event-loop-lag-limit-ms N  refuse them while the event loop lags this many ms (default 150)
  (0 means no limit for each --max-… and --…-limit…)
  --media-workers N            worker threads carrying the players' media (default: one per core
                               on 2 cores or more; 0: all on the main thread)
  --help                       this text`;

export interface CliArgs {
  port?: number;
  host?: string;
  config?: string;
  staticRoot?: string;
  remoteAllowedCIDR?: string;
  corsAllowedOrigins?: string;
  webSocketAllowedOrigins?: string;
  /** The `--max-…` flags, by option name. */
  limits?: Partial<Record<LimitOption, number>>;
  help: boolean;
}

/** The server options a `--max-…` flag sets, by flag. */
const LIMIT_FLAGS = {
  '--max-sockets-per-address': 'maxSocketsPerAddress',
  '--max-commands-per-second': 'maxCommandsPerSecond',
  '--max-socket-buffered-bytes': 'maxSocketBufferedBytes',
  '--max-streams-per-socket': 'maxStreamsPerSocket',
  '--max-players': 'maxPlayers',
  '--cpu-limit': 'cpuLimit',
  '--event-loop-lag-limit-ms': 'eventLoopLagLimitMs',
  '--media-workers': 'mediaWorkers',
} as const;
type LimitOption = (typeof LIMIT_FLAGS)[keyof typeof LIMIT_FLAGS];

/** Parses the command line; throws `ConfigError` with a one-line reason. */
export function parseArgs(argv: readonly string[]): CliArgs {
  const out: CliArgs = { help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new ConfigError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--help':
      case '-h':
        out.help = true;
        break;
      case '--port': {
        const v = value();
        const port = Number(v);
        if (!/^\d+$/.test(v) || port > 65535) throw new ConfigError(`--port must be a number from 0 to 65535, not ${v}`);
        out.port = port;
        break;
      }
      case '--host':
        out.host = value();
        break;
      case '--config':
        out.config = value();
        break;
      case '--static-root':
        out.staticRoot = value();
        break;
      case '--remote-allowed-cidr':
        out.remoteAllowedCIDR = checkCidrList(value(), flag);
        break;
      case '--cors-allowed-origins':
        out.corsAllowedOrigins = checkOriginList(value(), flag);
        break;
      case '--websocket-allowed-origins':
        out.webSocketAllowedOrigins = checkOriginList(value(), flag);
        break;
      default: {
        const option = LIMIT_FLAGS[flag as keyof typeof LIMIT_FLAGS];
        if (option === undefined) throw new ConfigError(`unknown option ${arg}`);
        const v = value();
        if (!/^\d+$/.test(v)) throw new ConfigError(`${flag} must be a whole number, 0 or more (0: no limit), not ${v}`);
        if (option === 'cpuLimit' && Number(v) > 100) throw new ConfigError(`${flag} must be a percentage from 0 to 100 (0: no limit), not ${v}`);
        if (option === 'mediaWorkers' && Number(v) > MAX_MEDIA_WORKERS)
          throw new ConfigError(`${flag} must be a number from 0 to ${MAX_MEDIA_WORKERS}, not ${v}`);
        out.limits = { ...out.limits, [option]: Number(v) };
      }
    }
  }
  return out;
}

export async function main(argv: readonly string[]): Promise<number> {
  let args: CliArgs;
  let config: ServerConfig;
  try {
    args = parseArgs(argv);
    if (args.help) {
      console.log(USAGE);
      return 0;
    }
    config = args.config ? await loadConfigFile(args.config) : resolveConfig({});
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`rtc-elements-server: ${e.message}\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (args.port !== undefined) config.port = args.port;
  if (args.host !== undefined) config.host = args.host;
  if (args.staticRoot !== undefined) config.staticRoot = resolve(args.staticRoot);
  // These settings go for every app; an app with its own in the config file keeps it.
  if (args.remoteAllowedCIDR !== undefined) config.settings.remoteAllowedCIDR = args.remoteAllowedCIDR;
  if (args.corsAllowedOrigins !== undefined) config.settings.corsAllowedOrigins = args.corsAllowedOrigins;
  if (args.webSocketAllowedOrigins !== undefined) config.settings.webSocketAllowedOrigins = args.webSocketAllowedOrigins;
  Object.assign(config, args.limits);
  let server;
  try {
    server = await createServer(config);
  } catch (e) {
    console.error(`rtc-elements-server: cannot listen on ${config.host}:${config.port}: ${(e as Error).message}`);
    return 1;
  }
  console.log(`rtc-elements-server listening on ${server.url}/  (WebSocket ${server.url.replace(/^http/, 'ws')}/LiveApp/websocket)`);
  if (server.staticRoot === undefined && config.demoDir === undefined && config.distDir === undefined)
    console.log('No rtc-elements package found: no /dist/ and no demo served (--static-root DIR names one).');
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1;
}
