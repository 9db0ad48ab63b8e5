import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { catalogEntry } from '../../core/errors.js';
import type { RtcRetryEvent } from '../../events/rtc-events.js';
import { RtcElement } from '../rtc-element.js';
import { hasMessage } from './messages.js';
import styles from './rtc-error-overlay.styles.js';

/** What the overlay needs of an error; an `RtcError` fits. */
export interface OverlayError {
  readonly code: string;
  readonly message: string;
  readonly recoverable: boolean;
}

export type { RtcRetryEvent };

/**
 * A readable error panel for viewers: a title and a message for the error's code (never the raw
 * code, never HTML), and a retry button when trying again can help. `<rtc-publisher>` and
 * `<rtc-player>` show one over their video.
 *
 * @summary Shows an error as a readable title and message, with an optional retry button.
 * @tagname rtc-error-overlay
 *
 * @attr {string} error-code - Reflects `error.code` (read only); absent when there is no error.
 *
 * @fires {RtcRetryEvent} rtc-retry - The viewer pressed the retry button; `detail.code` is the error's code. Bubbles, composed.
 *
 * @slot error-<code> - Replaces the message of one code, e.g. `<p slot="error-NotAllowedError">…</p>`.
 *
 * @csspart overlay - The panel (`role="alert"`).
 * @csspart overlay-title - The title line.
 * @csspart overlay-message - The message (around the `error-<code>` slot).
 * @csspart overlay-detail - The error's own message, shown only for codes without wording of their own.
 * @csspart retry-button - The retry button.
 *
 * @cssproperty [--rtc-overlay-background=rgb(17 17 20 / 0.92)] - Panel background.
 * @cssproperty [--rtc-overlay-color=#fff] - Panel text color.
 * @cssproperty [--rtc-accent-color=#2563eb] - Retry button background.
 * @cssproperty [--rtc-accent-text-color=#fff] - Retry button text color.
 * @cssproperty [--rtc-font-family=system-ui, sans-serif] - Font.
 * @cssproperty [--rtc-radius=8px] - Corner radius of the panel and the button.
 */
export class RtcErrorOverlay extends RtcElement {
  static override styles = styles;

  static override properties: PropertyDeclarations = { error: { attribute: false }, retryable: { type: Boolean } };

  /** Registers the element under `tag` (default `rtc-error-overlay`) unless it is registered already (see `RtcElement.define`). */
  static override define(tag = 'rtc-error-overlay'): void {
    super.define(tag);
  }

  /** The error to show; `null` (the default) shows nothing. */
  error: OverlayError | null = null;

  /** Offers a retry button for recoverable errors. */
  retryable = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('error')) {
      if (this.error) this.setAttribute('error-code', this.error.code);
      else this.removeAttribute('error-code');
    }
  }

  #handleRetryClick(): void {
    const code = this.error?.code;
    if (code === undefined) return;
    this.dispatchEvent(new CustomEvent('rtc-retry', { bubbles: true, composed: true, detail: { code } }));
  }

  protected override render(): TemplateResult | typeof nothing {
    const error = this.error;
    if (!error) return nothing;
    // The wording is the catalog's (`messageFor` in messages.ts reads the same entry).
    const { title, description: message } = catalogEntry(error.code);
    // A code without wording of its own may still carry a useful message; show it as text below the
    // generic one, unless it is only the catalog's fallback description.
    const detail = !hasMessage(error.code) && error.message && error.message !== message ? error.message : '';
    return html`<div part="overlay" class="overlay" role="alert">
      <div part="overlay-title" class="overlay__title">${this.t(title)}</div>
      <div part="overlay-message" class="overlay__message"><slot name="error-${error.code}">${this.t(message)}</slot></div>
      ${detail ? html`<div part="overlay-detail" class="overlay__detail">${detail}</div>` : nothing}
      ${
        this.retryable && error.recoverable
          ? html`<button part="retry-button" class="overlay__retry" type="button" @click=${this.#handleRetryClick}>${this.t('Try again')}</button>`
          : nothing
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rtc-error-overlay': RtcErrorOverlay;
  }
  interface GlobalEventHandlersEventMap {
    'rtc-retry': RtcRetryEvent;
  }
}
