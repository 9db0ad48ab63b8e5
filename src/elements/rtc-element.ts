/**
 * The base classes of the elements: `RtcElement` (typed `emit()`, guarded `define()`) and
 * `RtcStreamElement`, what `<rtc-publisher>` and `<rtc-player>` share (server and stream
 * attributes, the token that never stays in the DOM, `state`/`error`, the error overlay).
 */
import { html, LitElement, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { RtcError, toRtcError } from '../core/errors.js';
import { STREAM_ID_PATTERN } from '../core/protocol/ams.js';
import type { SessionState, TokenSource } from '../core/session/types.js';
import type { RtcStats } from '../core/stats.js';
import { noop, type SessionController } from '../controllers/session-controller.js';
import type { RtcEventMap } from '../events/rtc-events.js';
import { Localizer } from '../i18n/i18n.js';

/**
 * Base of every rtc-elements element.
 * @internal
 */
export abstract class RtcElement extends LitElement {
  readonly #i18n = new Localizer(this);

  /**
   * `english` in the element's language (its `lang` or its nearest ancestor's, src/i18n/): every
   * string a viewer reads goes through here.
   * @internal
   */
  t(english: string): string {
    return this.#i18n.t(english);
  }

  /**
   * Registers the element under `tag`; a tag already registered is skipped (with a warning when
   * another class holds it, e.g. two copies of the bundle on one page); without a DOM, nothing.
   */
  static define(tag: string): void {
    // Server-side rendering without a DOM: nothing to register.
    if (typeof customElements === 'undefined') return;
    const existing = customElements.get(tag);
    if (!existing) customElements.define(tag, this as unknown as CustomElementConstructor);
    else if (existing !== (this as unknown)) console.warn(`rtc-elements: <${tag}> is taken by another copy`);
  }

  /**
   * Dispatches one of the elements' events: bubbling, composed, cancelable only when asked
   * (STYLE.md convention 2). Returns the event, so callers can read `defaultPrevented`.
   * @internal
   */
  emit<K extends keyof RtcEventMap>(type: K, detail: RtcEventMap[K]['detail'], options: { cancelable?: boolean } = {}): RtcEventMap[K] {
    const event = new CustomEvent(type, { bubbles: true, composed: true, cancelable: options.cancelable ?? false, detail });
    this.dispatchEvent(event);
    return event as RtcEventMap[K];
  }
}

/** The server address and stream id an element connects with, once checked. */
export interface StreamConfig {
  url: string;
  streamId: string;
  /**
   * Set: WHIP (publisher) or WHEP (player) over HTTP instead of the AMS WebSocket; the `protocol`
   * asked for (`whip`, `whep`, or a bad value the WHIP chunk refuses with `invalid_protocol`).
   */
  whip?: string | false;
}

/** What `<rtc-publisher>` and `<rtc-player>` share. */
export abstract class RtcStreamElement extends RtcElement {
  static override properties: PropertyDeclarations = {
    serverUrl: { attribute: 'server-url' },
    protocol: {},
    streamId: { attribute: 'stream-id' },
    token: { attribute: 'token' },
    tokenProvider: { attribute: false },
    iceServers: { attribute: false },
    noControls: { type: Boolean, attribute: 'no-controls' },
    noErrorOverlay: { type: Boolean, attribute: 'no-error-overlay' },
  };

  /**
   * The AMS WebSocket URL, e.g. `wss://media.example.com:5443/LiveApp/websocket`; or, over WHIP
   * (publisher) / WHEP (player), an `http(s)://` AMS application URL
   * (`https://media.example.com:5443/LiveApp`, with `stream-id`) or any server's full endpoint
   * (without `stream-id`).
   */
  serverUrl = '';

  /**
   * `ams`, `whip` or `whep` (the last two are the same: the publisher speaks WHIP, the player
   * WHEP). Unset: guessed from `server-url` (`ws(s)://` AMS, `http(s)://` WHIP/WHEP). Set, it wins:
   * `ams` with an `http(s)://` URL connects to its `ws(s)://` twin, `whip` with a `ws(s)://` AMS URL to its `http(s)://` application.
   */
  protocol?: string;

  /** The stream id (`A-Z a-z 0-9 _ . -`). */
  streamId = '';

  /**
   * A one-time or JWT token sent with publish/play. The `token` attribute is accepted and removed
   * from the DOM as soon as it is read; the token is never reflected, logged or shown.
   */
  token?: string;

  /** Called on every (re)connect for a fresh token; wins over `token`. */
  tokenProvider?: () => Promise<string> | string;

  /** ICE servers for the peer connection; default: what the server's `iceServerConfig` names. */
  iceServers?: RTCIceServer[];

  /** Hides the built-in controls. */
  noControls = false;

  /** Never shows the error overlay (errors are still dispatched as `rtc-error`). */
  noErrorOverlay = false;

  protected abstract readonly session: SessionController;

  /** The teardown of a removal, waiting for the end of the task (see `disconnectedCallback`). */
  #leaving?: ReturnType<typeof setTimeout>;

  /** Whether the element starts by itself when connected (`auto-publish`, `autoplay`). */
  protected abstract get autoStart(): boolean;

  /** Starts a new run unconditionally (after a change of server or stream). */
  protected abstract restart(): Promise<void>;

  /** The connection state, reflected as the `state` attribute. */
  get state(): SessionState {
    return this.session.state;
  }

  /** The current error, reflected as the `error-code` attribute; `null` when there is none. */
  get error(): RtcError | null {
    return this.session.error;
  }

  override connectedCallback(): void {
    // Put back before the teardown ran (a move): nothing was torn down, nothing restarts.
    if (this.#leaving === undefined) super.connectedCallback();
    clearTimeout(this.#leaving);
    this.#leaving = undefined;
  }

  /**
   * A move within the page (removed and put back in the same task, as `append` elsewhere or a
   * framework re-parenting does) keeps the session: the teardown (camera, microphone, peer
   * connections, socket, timers) waits for the next task, and coming back before then cancels it.
   */
  override disconnectedCallback(): void {
    this.#leaving = setTimeout(() => {
      this.#leaving = undefined;
      super.disconnectedCallback();
    });
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (name === 'token') {
      // Accepted from markup, never kept there (STYLE.md convention 8). Our own removal comes back
      // here with `null` and is ignored.
      if (value !== null) {
        this.token = value;
        this.removeAttribute('token');
      }
      return;
    }
    super.attributeChangedCallback(name, old, value);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (this.hasUpdated && (changed.has('serverUrl') || changed.has('streamId'))) {
      // After this update, so both attributes of one change are read together.
      void this.updateComplete.then(() => {
        const s = this.session;
        if (this.isConnected && (s.active || (s.state === 'failed' && this.autoStart))) this.restart().catch(noop);
      });
    }
  }

  /**
   * Gives the `<video>` `stream`, unless it holds it already: assigning a stream again, even the
   * same one, reloads the video (`emptied`, back to 0 s), and a Lit binding would on every render.
   */
  protected attach(stream: MediaStream | null): void {
    const v = this.video;
    if (v && v.srcObject !== stream) v.srcObject = stream;
  }

  /** The element's `<video>`, once rendered. */
  protected get video(): HTMLVideoElement | null {
    return this.renderRoot?.querySelector('video') ?? null;
  }

  /** The attempt under way, if any (`start()`, `play()` and `join()` return it), else a new one. */
  protected startOnce(): Promise<void> {
    const s = this.session;
    return s.active && s.pending ? s.pending : this.restart();
  }

  /**
   * A stats snapshot of the connection (`<rtc-room>`: of its own publish). Rejects with `RtcError`
   * `NoActiveConnection` when there is none (before a start, after a stop).
   */
  getStats(): Promise<RtcStats> {
    const s = this.session.session;
    return s ? s.getStats() : Promise.reject(RtcError.of('NoActiveConnection', { streamId: this.streamId || undefined }));
  }

  /** The token source for the session: `tokenProvider`, else `token`. */
  protected tokenSource(): TokenSource | undefined {
    return this.tokenProvider ?? (this.token || undefined);
  }

  /**
   * Checks `server-url` and `stream-id` (optional over WHIP/WHEP: without it `server-url` is the
   * full endpoint) and picks the protocol; throws `invalid_server_url` / `invalid_stream_id`.
   */
  protected readConfig(): StreamConfig {
    const { serverUrl: url, protocol: p, streamId } = this;
    let ok: boolean;
    let http = false;
    try {
      const { protocol, host } = new URL(url);
      http = protocol[0] === 'h';
      ok = /^(http|ws)s?:$/.test(protocol) && host !== '';
    } catch {
      ok = false;
    }
    // The URL is never echoed into the message: it may carry credentials in its query.
    if (!ok) throw RtcError.of('invalid_server_url', { message: url ? 'server-url is not a ws(s):// or http(s):// URL.' : 'server-url is missing.' });
    // A value other than ams, whip or whep is refused by the WHIP chunk (`invalid_protocol`).
    const whip = p ? p !== 'ams' && p : http && 'whip';
    if (!(whip && !streamId) && !STREAM_ID_PATTERN.test(streamId)) {
      throw RtcError.of('invalid_stream_id', { message: streamId ? 'stream-id has characters other than A-Z a-z 0-9 _ . -' : 'stream-id is missing.' });
    }
    // `ams` with an http(s) URL: the browser's WebSocket takes it as ws(s) (WHATWG WebSocket).
    return { url, streamId, whip };
  }

  /**
   * Sends text or binary over the data channel. Without an open one, throws `RtcError`
   * `data_channel_not_open`, also dispatched once as `rtc-error` (without the overlay).
   */
  sendData(data: string | ArrayBuffer | ArrayBufferView): void {
    try {
      const s = this.session.session;
      if (!s) throw RtcError.of('data_channel_not_open', { streamId: this.streamId || undefined });
      s.sendData(data);
    } catch (e) {
      const error = toRtcError(e);
      this.session.report(error, false);
      throw error;
    }
  }

  /**
   * Dispatches a failed action's `rtc-error` once and rejects with it (no overlay: the stream goes on).
   * @internal
   */
  protected guard(work: Promise<void>): Promise<void> {
    return work.catch((e: unknown) => {
      const error = toRtcError(e);
      this.session.report(error, false);
      throw error;
    });
  }

  #handleRetry(event: Event): void {
    // Ours to act on; the page hears about the new attempt through rtc-state-change.
    event.stopPropagation();
    this.session.retry();
  }

  /**
   * The error overlay, unless `no-error-overlay` is set or the `rtc-error` was canceled. Never
   * while live: the video and controls stay usable (the error is still dispatched).
   */
  protected renderOverlay(): TemplateResult | typeof nothing {
    const s = this.session;
    const error = s.error;
    if (!error || this.noErrorOverlay || s.errorHidden || s.state === 'live') return nothing;
    const slot = `error-${error.code}`;
    // Forward the page's replacement message for this code, if it gave one; otherwise the
    // overlay shows its own wording.
    const custom = Array.prototype.some.call(this.children, (c: Element) => c.slot === slot);
    return html`<rtc-error-overlay
      exportparts="overlay,overlay-title,overlay-message,overlay-detail,retry-button"
      .error=${error}
      .retryable=${s.retryable}
      @rtc-retry=${this.#handleRetry}
      >${custom ? html`<slot name=${slot} slot=${slot}></slot>` : nothing}</rtc-error-overlay
    >`;
  }
}
