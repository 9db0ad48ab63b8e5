/**
 * Fault injection: make the server answer a chosen command for a chosen stream with any AMS
 * `error` or `notification` frame or any raw text, close the socket, or stay silent — so every
 * documented error can be produced over a real socket in tests. Rules come from the config
 * (`faults`) or, when `faultInjection` is on, from the test-only `/__faults` HTTP route. Off by
 * default.
 */
import { ClientCommand, isNotificationDefinition, isServerErrorDefinition } from '../../../src/core/protocol/ams.js';

export type FaultAction =
  /** Answer with `reply` instead of handling the command. */
  | 'replace'
  /** Handle the command as usual, then send `reply`. */
  | 'after'
  /** Swallow the command: no answer at all. */
  | 'ignore'
  /** Close the socket abruptly. */
  | 'close'
  /** Answer with `text` byte for byte (a malformed frame, any command) instead of handling the command. */
  | 'raw';

export interface FaultRule {
  /** App name; any app when absent. */
  app?: string;
  /** The client command to intercept (`publish`, `play`, `takeConfiguration`, …). */
  command: string;
  /** Stream id to intercept; any stream when absent. */
  streamId?: string;
  action?: FaultAction;
  /**
   * For `replace` / `after`: `{command: 'error' | 'notification', definition, ...fields}`, or a
   * `{command: 'streamInformation', streamInfo: [{streamWidth, streamHeight, videoBitrate, audioBitrate, videoCodec}, …]}`
   * (the renditions of an ABR stream, which this server never transcodes). `streamId` is filled in.
   */
  reply?: { command: 'error' | 'notification'; definition: string; [field: string]: unknown } | { command: 'streamInformation'; streamInfo: unknown[] };
  /** For `raw`: the frame to send, byte for byte (need not be JSON). */
  text?: string;
  /** How many times the rule fires; forever when absent. */
  times?: number;
}

export class FaultRuleError extends Error {
  override readonly name = 'FaultRuleError';
}

const ACTIONS: readonly FaultAction[] = ['replace', 'after', 'ignore', 'close', 'raw'];
const COMMANDS = new Set<string>(Object.values(ClientCommand));

/** Validates one rule (from config or HTTP); throws `FaultRuleError` with a readable reason. */
export function checkFaultRule(input: unknown): FaultRule {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new FaultRuleError('a fault rule must be an object');
  const r = input as Record<string, unknown>;
  if (typeof r.command !== 'string' || !COMMANDS.has(r.command)) throw new FaultRuleError('command must be a client command');
  if (r.app !== undefined && typeof r.app !== 'string') throw new FaultRuleError('app must be a string');
  if (r.streamId !== undefined && typeof r.streamId !== 'string') throw new FaultRuleError('streamId must be a string');
  const action = (r.action ?? 'replace') as FaultAction;
  if (!ACTIONS.includes(action)) throw new FaultRuleError(`action must be one of ${ACTIONS.join(', ')}`);
  if (r.times !== undefined && !(typeof r.times === 'number' && Number.isInteger(r.times) && r.times > 0))
    throw new FaultRuleError('times must be a positive integer');
  if (action === 'raw' && typeof r.text !== 'string') throw new FaultRuleError('text (a string) is required for raw');
  if (action === 'replace' || action === 'after') {
    const reply = r.reply as Record<string, unknown> | undefined;
    if (typeof reply !== 'object' || reply === null) throw new FaultRuleError('reply is required for replace and after');
    const def = reply.definition;
    if (reply.command === 'error') {
      if (typeof def !== 'string' || !isServerErrorDefinition(def)) throw new FaultRuleError('reply.definition must be an AMS error definition');
    } else if (reply.command === 'notification') {
      if (typeof def !== 'string' || !isNotificationDefinition(def)) throw new FaultRuleError('reply.definition must be an AMS notification definition');
    } else if (reply.command === 'streamInformation') {
      const info = reply.streamInfo;
      if (!Array.isArray(info) || !info.every((e) => typeof e === 'object' && e !== null && typeof (e as { streamHeight?: unknown }).streamHeight === 'number'))
        throw new FaultRuleError('reply.streamInfo must be a list of renditions with a numeric streamHeight');
    } else {
      throw new FaultRuleError('reply.command must be error, notification or streamInformation');
    }
  }
  return { ...(r as unknown as FaultRule), action };
}

/**
 * A fault of the WHIP and WHEP routes: the next `method` request (`POST`, `PATCH`, `DELETE`) of
 * `kind` for `streamId` is answered `status` with `headers` and `body` instead of being handled
 * (CORS headers still set), or, with `close`, its socket is destroyed (a network failure). For the
 * answers a real server gives that this one never does: a 307 redirect, 429 with `Retry-After`,
 * 405 on PATCH, a 500.
 */
export interface HttpFaultRule {
  kind?: 'whip' | 'whep';
  method: string;
  streamId?: string;
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  close?: boolean;
  /** How many times the rule fires; forever when absent. */
  times?: number;
}

/** Validates one HTTP fault rule; throws `FaultRuleError`. */
export function checkHttpFaultRule(input: unknown): HttpFaultRule {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new FaultRuleError('an HTTP fault rule must be an object');
  const r = input as Record<string, unknown>;
  if (r.kind !== undefined && r.kind !== 'whip' && r.kind !== 'whep') throw new FaultRuleError('kind must be whip or whep');
  if (typeof r.method !== 'string' || !['POST', 'PATCH', 'DELETE'].includes(r.method)) throw new FaultRuleError('method must be POST, PATCH or DELETE');
  if (r.streamId !== undefined && typeof r.streamId !== 'string') throw new FaultRuleError('streamId must be a string');
  if (r.close !== true && !(typeof r.status === 'number' && Number.isInteger(r.status) && r.status >= 200 && r.status <= 599))
    throw new FaultRuleError('status (200-599) or close: true is required');
  if (r.headers !== undefined && (typeof r.headers !== 'object' || r.headers === null || Object.values(r.headers).some((v) => typeof v !== 'string')))
    throw new FaultRuleError('headers must map names to strings');
  if (r.body !== undefined && typeof r.body !== 'string') throw new FaultRuleError('body must be a string');
  if (r.times !== undefined && !(typeof r.times === 'number' && Number.isInteger(r.times) && r.times > 0))
    throw new FaultRuleError('times must be a positive integer');
  return r as unknown as HttpFaultRule;
}

/**
 * A media-path cut: every UDP datagram (ICE checks, DTLS, RTP, RTCP, SCTP) of the relay's
 * connections for `streamId` (a room player's connection counts as its room id), or of all its
 * connections when absent, is dropped both ways for `ms` milliseconds, while the WebSocket stays
 * up. Connections made during the cut are cut too.
 */
export interface MediaCutRule {
  media: 'cut';
  streamId?: string;
  /** 1 to 600,000. */
  ms: number;
}

/**
 * Whether the media of the connection for `key` is cut now, by `cuts` (scope, `''` for all → when
 * the cut ends, `Date.now()` clock; ended cuts are deleted).
 */
export function isCut(cuts: Map<string, number>, key: string, now = Date.now()): boolean {
  if (cuts.size === 0) return false;
  for (const [scope, until] of cuts) {
    if (until <= now) cuts.delete(scope);
    else if (scope === '' || scope === key) return true;
  }
  return false;
}

/** Validates a media-cut rule; throws `FaultRuleError`. */
export function checkMediaCutRule(input: unknown): MediaCutRule {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new FaultRuleError('a media cut must be an object');
  const r = input as Record<string, unknown>;
  if (r.media !== 'cut') throw new FaultRuleError("media must be 'cut'");
  if (r.streamId !== undefined && typeof r.streamId !== 'string') throw new FaultRuleError('streamId must be a string');
  if (!(typeof r.ms === 'number' && Number.isInteger(r.ms) && r.ms >= 1 && r.ms <= 600_000)) throw new FaultRuleError('ms must be an integer from 1 to 600000');
  return { media: 'cut', ms: r.ms, ...(r.streamId === undefined ? {} : { streamId: r.streamId }) };
}

/**
 * Lost keyframe requests: the next `times` (1-100) keyframe requests (PLIs) the relay sends to the
 * publisher of `streamId` (any publisher when absent) are dropped, as if lost on the way; the relay
 * counts them as sent.
 */
export interface KeyframeRequestDropRule {
  keyframeRequests: 'drop';
  streamId?: string;
  times: number;
}

/** Validates a lost-keyframe-request rule; throws `FaultRuleError`. */
export function checkKeyframeRequestDropRule(input: unknown): KeyframeRequestDropRule {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new FaultRuleError('a keyframe request rule must be an object');
  const r = input as Record<string, unknown>;
  if (r.keyframeRequests !== 'drop') throw new FaultRuleError("keyframeRequests must be 'drop'");
  if (r.streamId !== undefined && typeof r.streamId !== 'string') throw new FaultRuleError('streamId must be a string');
  const times = r.times ?? 1;
  if (!(typeof times === 'number' && Number.isInteger(times) && times >= 1 && times <= 100)) throw new FaultRuleError('times must be an integer from 1 to 100');
  return { keyframeRequests: 'drop', times, ...(r.streamId === undefined ? {} : { streamId: r.streamId }) };
}

/**
 * The overload switch: `{overload: true}` makes the load gauge (`load-gauge.ts`) say the server is
 * overloaded, so new publishes, plays and room joins are refused (`highResourceUsage`, WHIP/WHEP
 * 503) without producing real load; `{overload: false}` (or clearing the faults) turns it off.
 */
export interface OverloadRule {
  overload: boolean;
}

/** Validates an overload switch; throws `FaultRuleError`. */
export function checkOverloadRule(input: unknown): OverloadRule {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new FaultRuleError('an overload switch must be an object');
  const r = input as Record<string, unknown>;
  if (typeof r.overload !== 'boolean') throw new FaultRuleError('overload must be true or false');
  return { overload: r.overload };
}

/** Takes the first rule of `rules` that `match`es, counting it down; the list is edited in place. */
function takeFrom<R extends { times?: number }>(rules: R[], match: (r: R) => boolean): R | undefined {
  const i = rules.findIndex(match);
  if (i < 0) return undefined;
  const rule = rules[i]!;
  if (rule.times !== undefined) {
    if (rule.times <= 1) rules.splice(i, 1);
    else rules[i] = { ...rule, times: rule.times - 1 };
  }
  return rule;
}

/** The live set of rules; first match wins. */
export class FaultTable {
  private rules: FaultRule[] = [];
  private httpRules: HttpFaultRule[] = [];
  /** Media cuts: stream id (`''` for all) → when the cut ends (`Date.now()` clock). */
  private cuts = new Map<string, number>();
  private keyframeDrops: KeyframeRequestDropRule[] = [];
  #overloaded = false;

  constructor(initial: readonly unknown[] = []) {
    for (const r of initial) this.add(r);
  }

  add(rule: unknown): FaultRule {
    const checked = checkFaultRule(rule);
    this.rules.push(checked);
    return checked;
  }

  /** Adds a WHIP/WHEP HTTP fault (`HttpFaultRule`). */
  addHttp(rule: unknown): HttpFaultRule {
    const checked = checkHttpFaultRule(rule);
    this.httpRules.push(checked);
    return checked;
  }

  /** Finds (and counts down) the HTTP fault for this request, if any. */
  takeHttp(kind: string, method: string, streamId: string): HttpFaultRule | undefined {
    return takeFrom(
      this.httpRules,
      (r) => r.method === method && (r.kind === undefined || r.kind === kind) && (r.streamId === undefined || r.streamId === streamId),
    );
  }

  /** Starts a media-path cut (`MediaCutRule`); a later cut of the same scope replaces it. */
  cutMedia(rule: unknown): MediaCutRule {
    const checked = checkMediaCutRule(rule);
    this.cuts.set(checked.streamId ?? '', Date.now() + checked.ms);
    this.onMediaCuts?.(this.mediaCuts());
    return checked;
  }

  /** Whether the media of the connection for `streamId` is cut now. */
  mediaCut(streamId: string): boolean {
    return isCut(this.cuts, streamId);
  }

  /** The media cuts now (scope → end, `Date.now()` clock), for a media worker's copy. */
  mediaCuts(): [string, number][] {
    return [...this.cuts];
  }

  /** Called with `mediaCuts()` whenever a cut starts or the faults are cleared (the media workers' copies). */
  onMediaCuts: ((cuts: [string, number][]) => void) | undefined;

  /** Adds a lost-keyframe-request rule (`KeyframeRequestDropRule`). */
  dropKeyframeRequests(rule: unknown): KeyframeRequestDropRule {
    const checked = checkKeyframeRequestDropRule(rule);
    this.keyframeDrops.push(checked);
    return checked;
  }

  /** Whether this keyframe request to the publisher of `streamId` is lost (counting the rule down). */
  takeKeyframeRequestDrop(streamId: string): boolean {
    return takeFrom(this.keyframeDrops, (r) => r.streamId === undefined || r.streamId === streamId) !== undefined;
  }

  /** Turns the overload switch (`OverloadRule`) on or off. */
  setOverload(rule: unknown): OverloadRule {
    const checked = checkOverloadRule(rule);
    this.#overloaded = checked.overload;
    return checked;
  }

  /** Whether the overload switch is on: the load gauge then says overloaded. */
  get overloaded(): boolean {
    return this.#overloaded;
  }

  /** Drops every rule (lost keyframe requests too), ends every media cut and turns the overload switch off. */
  clear(): void {
    this.rules = [];
    this.httpRules = [];
    this.cuts.clear();
    this.keyframeDrops = [];
    this.#overloaded = false;
    this.onMediaCuts?.([]);
  }

  list(): readonly FaultRule[] {
    return this.rules;
  }

  /** Finds (and counts down) the rule for this command, if any. */
  take(app: string, command: string, streamId: string | undefined): FaultRule | undefined {
    return takeFrom(
      this.rules,
      (r) => r.command === command && (r.app === undefined || r.app === app) && (r.streamId === undefined || r.streamId === streamId),
    );
  }
}
