/** `<rtc-room>`'s render pieces: the icons, a tile, the audio slots and the chat. */
import { html, nothing, svg, type TemplateResult } from 'lit';
import type { ChatLine } from '../../core/room/model.js';
import { t } from './strings.js';

const icon = (d: TemplateResult, off = false): TemplateResult =>
  svg`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${d}${off ? svg`<path d="M4 4l16 16"/>` : nothing}</svg>`;
export const micSvg = (off: boolean): TemplateResult =>
  icon(svg`<rect x="9" y="3" width="6" height="11" rx="3"/><path d="M5 11a7 7 0 0 0 14 0M12 18v3"/>`, off);
export const camSvg = (off: boolean): TemplateResult => icon(svg`<rect x="3" y="7" width="12" height="10" rx="2"/><path d="M15 11l6-3v8l-6-3"/>`, off);
export const screenSvg = icon(svg`<rect x="3" y="4" width="18" height="12" rx="2"/><path d="M8 20h8M12 16v4"/>`);
export const chatSvg = icon(svg`<path d="M4 5h16v11H10l-5 4v-4H4z"/>`);
export const fullSvg = (on: boolean): TemplateResult =>
  icon(on ? svg`<path d="M9 4v5H4M15 4v5h5M9 20v-5H4M15 20v-5h5"/>` : svg`<path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5"/>`);
export const pinSvg = icon(svg`<path d="M9 4h6l-1 6 3 3H7l3-3zM12 13v7"/>`);
export const leaveSvg = icon(svg`<path d="M3 14c5-5 13-5 18 0l-2 3-4-1v-2.5a9 9 0 0 0-6 0V16l-4 1z"/>`);
export const closeSvg = icon(svg`<path d="M6 6l12 12M18 6L6 18"/>`);

const initials = (name: string): string =>
  name
    .split(/[\s_.-]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('') || '?';

/** What one tile shows. */
export interface TileView {
  name: string;
  stream: MediaStream | null;
  micMuted: boolean;
  cameraOff: boolean;
  sharing: boolean;
  /** The own tile (mirrored unless sharing, muted). */
  local?: boolean;
  /** False: initials instead of the video (no media, or over `max-video-tracks`). */
  video?: boolean;
}

/** How a tile sits in the room: the active speaker, the large one of the speaker layout, pinned, and its pin button's handler (none: no button). */
export interface TileRole {
  speaking: boolean;
  main: boolean;
  pinned: boolean;
  onPin?: () => void;
}

/** One tile: `key` is the participant id, or `local`. */
export function tile(key: string, v: TileView, r: TileRole): TemplateResult {
  const { name, micMuted, cameraOff, sharing, local } = v;
  const hidden = cameraOff || v.video === false;
  const classes = `tile${r.speaking ? ' speaking' : ''}${r.main ? ' main' : ''}${sharing ? ' sharing' : ''}`;
  // The stream is attached by the view (`attach`), not bound here: Lit assigns an object on
  // every render, and each assignment of `srcObject` reloads the video.
  return html`<div
    part=${`tile${local ? ' local-tile' : ''}${r.pinned ? ' pinned-tile' : ''}`}
    class=${classes}
    role="group"
    aria-label=${name}
    data-participant=${key}
    data-speaking=${r.speaking ? 'true' : 'false'}
  >
    <video
      part="video"
      class=${local && !sharing ? 'mirror' : ''}
      .muted=${!!local}
      autoplay
      playsinline
    ></video>
    ${hidden ? html`<div part="placeholder" class="placeholder" aria-hidden="true"><span>${initials(name)}</span></div>` : nothing}
    <span part="name" class="name"
      ><span class="label">${name}</span>
      <span class="mic" data-off=${micMuted ? 'true' : 'false'} role="img" aria-label=${t(micMuted ? 'micMuted' : 'micOn')}>${micSvg(micMuted)}</span>
      <span class="cam" data-off=${cameraOff ? 'true' : 'false'} role="img" aria-label=${t(cameraOff ? 'camOff' : 'camOn')}>${camSvg(cameraOff)}</span>
      ${sharing ? html`<span class="screen" role="img" aria-label=${t('sharing')}>${screenSvg}</span>` : nothing}</span
    >
    ${
      r.onPin
        ? html`<button
            part="pin-button"
            class="btn pin tip-end"
            type="button"
            aria-pressed=${r.pinned ? 'true' : 'false'}
            aria-label=${t('pin')}
            data-tip=${t(r.pinned ? 'unpin' : 'pin')}
            @click=${r.onPin}
          >
            ${pinSvg}
          </button>`
        : nothing
    }
  </div>`;
}

/**
 * Puts `stream` in `media` unless it is there already. A `<video>` holding a track-less
 * MediaStream keeps Chromium's page `load` from ever firing: a stream goes in once it has tracks.
 */
export function attach(media: HTMLMediaElement | null | undefined, stream: MediaStream | null | undefined): void {
  const s = stream?.getTracks().length ? stream : null;
  if (media && media.srcObject !== s) media.srcObject = s;
}

const audioStreams = new WeakMap<MediaStreamTrack, MediaStream>();

/** One stream object per audio slot track. */
export function audioStream(track: MediaStreamTrack): MediaStream {
  let s = audioStreams.get(track);
  if (!s) audioStreams.set(track, (s = new MediaStream([track])));
  return s;
}

/** An `<audio>` for each audio slot (`audioTrack0`…; the view attaches its track); video slots show in the tiles. */
export const audioSlots = (slots: ReadonlyMap<string, MediaStreamTrack>): Array<TemplateResult | typeof nothing> =>
  [...slots].map(([label, tr]) => (tr.kind === 'audio' ? html`<audio data-slot=${label} autoplay></audio>` : nothing));

/** What the chat panel needs: whether it shows, and its handlers (none: read only, `no-controls`). */
export interface ChatView {
  open: boolean;
  onSend?: (event: Event) => void;
  onClose?: () => void;
}

/** The chat panel: the messages as text (always in the DOM), a close button and the input unless read only. */
export const chatPanel = (chat: readonly ChatLine[], v: ChatView): TemplateResult =>
  html`<section part="chat" class="chat" aria-label=${t('chat')} ?hidden=${!v.open}>
    ${
      v.onClose
        ? html`<div class="chat-head">
          <h2>${t('chat')}</h2>
          <button part="button chat-close-button" class="btn flat tip-end" type="button" aria-label=${t('close')} data-tip=${t('close')} @click=${v.onClose}>
            ${closeSvg}
          </button>
        </div>`
        : nothing
    }
    <ul part="chat-log" class="log" aria-label=${t('chat')} aria-live="polite">
      ${chat.map((c) => html`<li><b>${c.from}</b> ${c.text}</li>`)}
    </ul>
    ${
      v.onSend
        ? html`<form @submit=${v.onSend}>
          <input part="chat-input" name="message" aria-label=${t('message')} placeholder=${t('message')} autocomplete="off" /><button
            part="button send-button"
            class="send"
            type="submit"
          >
            ${t('send')}
          </button>
        </form>`
        : nothing
    }
  </section>`;
