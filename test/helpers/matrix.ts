/**
 * Shared by the callback and error matrices: elements mounted with listeners attached before
 * they connect, a recorder of every `rtc-*` event, the test server's switches (fault rules,
 * dropped sockets), and the error overlay as a viewer sees it.
 */
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../src/define.js';
import { hasMessage, messageFor } from '../../src/elements/rtc-error-overlay/messages.js';
import type { RtcErrorOverlay } from '../../src/elements/rtc-error-overlay/rtc-error-overlay.js';
import type { RtcPlayer } from '../../src/elements/rtc-player/rtc-player.js';
import type { RtcPublisher } from '../../src/elements/rtc-publisher/rtc-publisher.js';
import { AMS_CALLBACKS, rtcEventName } from '../../src/events/names.js';
import type { RtcErrorDetail } from '../../src/events/rtc-events.js';

export const ws = (window as unknown as { __RTC_SERVER__: { ws: string } }).__RTC_SERVER__.ws;

export type StreamElement = RtcPublisher | RtcPlayer;
export type Detail = Record<string, unknown> & { streamId?: string; definition?: string };

// ------------------------------------------------------------------ the test server

export interface FaultRule {
  command: string;
  streamId?: string;
  action?: 'replace' | 'after' | 'ignore' | 'close' | 'raw';
  reply?:
    | (Record<string, unknown> & { command: 'error' | 'notification'; definition: string })
    | { command: 'streamInformation'; streamInfo: Record<string, unknown>[] };
  text?: string;
  times?: number;
}

export const fault = (rule: FaultRule): Promise<unknown> => executeServerCommand('rtc-server', { action: 'fault', rule });
export const clearFaults = (): Promise<unknown> => executeServerCommand('rtc-server', { action: 'clear-faults' });
/** Closes every socket the server holds; resolves with how many. */
export const dropConnections = (): Promise<number> => executeServerCommand('rtc-server', { action: 'drop-connections' }) as Promise<number>;
/** Loses the next `times` keyframe requests (PLIs) the relay sends to the publisher of `streamId`. */
export const loseKeyframeRequests = (streamId: string, times = 1): Promise<unknown> =>
  executeServerCommand('rtc-server', { action: 'lose-keyframe-requests', rule: { streamId, times } });
/** Drops the relay's UDP (ICE, DTLS, RTP) both ways for `ms`, for `streamId` or every stream; the sockets stay up. */
export const cutMedia = (ms: number, streamId?: string): Promise<unknown> =>
  executeServerCommand('rtc-server', { action: 'media-cut', rule: { ms, streamId } });
/** An outage: the server closes, stays down `downMs` and starts again on the same port (web-test-runner.config.mjs). */
export const restartServer = (downMs: number): Promise<unknown> => executeServerCommand('rtc-server', { action: 'restart', downMs });

// ------------------------------------------------------------------ elements

const mounted: HTMLElement[] = [];

/**
 * Creates `<tag>` with `props`, starts recording its events, then puts it on the page (so events
 * fired on connect are seen). `unmountAll()` removes it, unless `shared` (the caller removes it).
 */
export function mount<T extends StreamElement>(
  tag: 'rtc-publisher' | 'rtc-player',
  props: Partial<T> & Record<string, unknown>,
  shared = false,
): { el: T; rec: Recorder } {
  const el = document.createElement(tag) as T;
  Object.assign(el, props);
  const rec = new Recorder(el);
  document.body.append(el);
  if (!shared) mounted.push(el);
  return { el, rec };
}

/** Removes every mounted element (releases capture, peer connections, sockets). */
export function unmountAll(): void {
  for (const el of mounted.splice(0)) el.remove();
}

export const publisher = (streamId: string, props: Partial<RtcPublisher> = {}, shared = false) =>
  mount<RtcPublisher>('rtc-publisher', { serverUrl: ws, streamId, ...props }, shared);
export const player = (streamId: string, props: Partial<RtcPlayer> = {}, shared = false) =>
  mount<RtcPlayer>('rtc-player', { serverUrl: ws, streamId, muted: true, ...props }, shared);

/** `start()` of a publisher, `play()` of a player. */
export const begin = (el: StreamElement): Promise<void> => ('start' in el ? el.start() : el.play());

/** The element's running session (core object) and its peer connection and data channel. */
export function sessionOf(el: StreamElement): { pc?: RTCPeerConnection; channel?: RTCDataChannel } {
  const s = (el as unknown as { session: { session: { pc?: RTCPeerConnection; channel?: RTCDataChannel } | null } }).session.session;
  if (!s) throw new Error(`${el.localName} has no session`);
  return s;
}

/** Makes a real connection report ICE `failed` (Chrome takes ~30 s to get there by itself). */
export function failIce(pc: RTCPeerConnection): void {
  Object.defineProperty(pc, 'iceConnectionState', { configurable: true, get: () => 'failed' });
  pc.dispatchEvent(new Event('iceconnectionstatechange'));
  // Only the event was fake: the real state shows through again.
  delete (pc as unknown as Record<string, unknown>).iceConnectionState;
}

// ------------------------------------------------------------------ events

/** Every `rtc-error`, `rtc-state-change` and AMS callback event an element dispatches, in order. */
export class Recorder {
  readonly events: CustomEvent[] = [];
  private waiters: Array<{ match: (e: CustomEvent) => boolean; resolve: (e: CustomEvent) => void }> = [];

  constructor(readonly el: HTMLElement) {
    for (const type of new Set(['rtc-error', 'rtc-state-change', ...AMS_CALLBACKS.map(rtcEventName)])) this.listen(type);
  }

  /** Records events of one more type too. */
  listen(type: string): void {
    this.el.addEventListener(type, (e) => this.push(e as CustomEvent));
  }

  private push(e: CustomEvent): void {
    this.events.push(e);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(e)) return true;
      w.resolve(e);
      return false;
    });
  }

  /** Events of `type` seen so far. */
  all(type: string): CustomEvent[] {
    return this.events.filter((e) => e.type === type);
  }

  /** The first event (seen or coming) of `type` matching `match`; rejects after `ms`. */
  next(type: string, ms = 8000, match: (d: Detail) => boolean = () => true, since = 0): Promise<CustomEvent> {
    const ok = (e: CustomEvent): boolean => e.type === type && match(e.detail as Detail);
    const seen = this.events.slice(since).find(ok);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(
            `no ${type} on <${this.el.localName}> within ${ms} ms; saw ${this.events.map((e) => e.type + (e.type === 'rtc-error' ? `(${String(e.detail.code)})` : '')).join(', ')}`,
          ),
        );
      }, ms);
      const waiter = {
        match: ok,
        resolve: (e: CustomEvent) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** The next `rtc-error` with `code`. */
  error(code: string, ms = 8000): Promise<CustomEvent<RtcErrorDetail>> {
    return this.next('rtc-error', ms, (d) => d.code === code) as Promise<CustomEvent<RtcErrorDetail>>;
  }

  /** Resolves when the element's `state` is `state` (now or later). */
  async state(state: string, ms = 8000): Promise<void> {
    if (this.el.getAttribute('state') === state) return;
    await this.next('rtc-state-change', ms, (d) => d.state === state, this.events.length);
  }

  /** The codes of every `rtc-error` so far. */
  get codes(): string[] {
    return this.all('rtc-error').map((e) => String(e.detail.code));
  }
}

// ------------------------------------------------------------------ the overlay

export const overlayOf = (el: Element): RtcErrorOverlay | null => el.shadowRoot!.querySelector('rtc-error-overlay');
const overlayPart = (o: RtcErrorOverlay, name: string): HTMLElement | null => o.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);

/** Every element in `root` and in every shadow root below it. */
export function deepQueryAll(root: ParentNode, selector: string): Element[] {
  const out = [...root.querySelectorAll(selector)];
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) out.push(...deepQueryAll(el.shadowRoot, selector));
  return out;
}

/** The overlay once rendered, or null when the element shows none. */
export async function renderedOverlay(el: StreamElement): Promise<RtcErrorOverlay | null> {
  await el.updateComplete;
  const o = overlayOf(el);
  if (o) await o.updateComplete;
  return o;
}

/**
 * Checks the overlay a viewer sees: visible, titled and worded exactly as `messages.ts` (`messageFor`) says for
 * `code`, never the raw code, and a retry button exactly when `retry`.
 */
export async function expectOverlay(el: StreamElement, code: string, retry: boolean): Promise<RtcErrorOverlay> {
  const o = await renderedOverlay(el);
  expect(o, `an overlay for ${code}`).to.not.equal(null);
  expect(o!.getAttribute('error-code')).to.equal(code);
  const panel = overlayPart(o!, 'overlay');
  expect(panel, 'overlay panel').to.not.equal(null);
  expect(panel!.checkVisibility(), 'overlay visible').to.equal(true);
  expect(hasMessage(code), `messages.ts has wording for ${code}`).to.equal(true);
  const wording = messageFor(code);
  expect(overlayPart(o!, 'overlay-title')!.innerText.trim()).to.equal(wording.title);
  expect(overlayPart(o!, 'overlay-message')!.innerText.trim()).to.equal(wording.message);
  expect(panel!.innerText, 'no raw code shown').to.not.contain(code);
  const button = overlayPart(o!, 'retry-button');
  expect(!!button && button.checkVisibility(), `retry button for ${code}`).to.equal(retry);
  return o!;
}

/** Checks that the element shows no overlay (it dispatched the error only). */
export async function expectNoOverlay(el: StreamElement): Promise<void> {
  const o = await renderedOverlay(el);
  const panel = o ? overlayPart(o, 'overlay') : null;
  expect(!!panel && panel.checkVisibility(), 'no overlay shown').to.equal(false);
}

/** Clicks the overlay's retry button. */
export async function clickRetry(el: StreamElement): Promise<void> {
  const o = await renderedOverlay(el);
  const button = o && overlayPart(o, 'retry-button');
  if (!button) throw new Error(`<${el.localName}> shows no retry button`);
  button.click();
}

/** `detail` of an `rtc-error`: the documented code, the catalog's category and recoverable, the stream. */
export function expectErrorDetail(e: CustomEvent<RtcErrorDetail>, code: string, category: string, recoverable: boolean, streamId: string | undefined): void {
  expect(e.detail.code).to.equal(code);
  expect(e.detail.category, `${code} category`).to.equal(category);
  expect(e.detail.recoverable, `${code} recoverable`).to.equal(recoverable);
  expect(e.detail.streamId, `${code} streamId`).to.equal(streamId);
  expect(e.detail.error.code).to.equal(code);
  expect(e.detail.message).to.be.a('string').and.not.equal('');
  expect(e.bubbles && e.composed && e.cancelable).to.equal(true);
}
