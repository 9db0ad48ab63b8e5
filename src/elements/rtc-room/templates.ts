/** `<rtc-room>`'s render pieces: the icons, a tile, the audio slots and the chat. */
import { html, nothing, svg, type TemplateResult } from 'lit';
import type { ChatLine } from '../../core/room/model.js';

export const micSvg = (off: boolean): TemplateResult =>
  svg`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2"><rect x="9" y="3" width="6" height="11" rx="3"/><path d="M5 11a7 7 0 0 0 14 0M12 18v3"/>${off ? svg`<path d="M4 4l16 16"/>` : nothing}</svg>`;
export const camSvg = (off: boolean): TemplateResult =>
  svg`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2"><rect x="3" y="7" width="12" height="10" rx="2"/><path d="M15 11l6-3v8l-6-3"/>${off ? svg`<path d="M4 4l16 16"/>` : nothing}</svg>`;
export const screenSvg = svg`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2"><rect x="3" y="4" width="18" height="12" rx="2"/><path d="M8 20h8M12 16v4"/></svg>`;

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

/** One tile: `key` is the participant id, or `local`; `speaking`: it holds the active-speaker highlight. */
export function tile(key: string, t: TileView, speaking: boolean): TemplateResult {
  const { name, micMuted, cameraOff, sharing, local } = t;
  const hidden = cameraOff || t.video === false;
  // A <video> holding a track-less MediaStream keeps Chromium's page `load` from ever firing:
  // a stream is attached only once it has tracks (by `attachStreams`, after the render).
  return html`<div
    part=${local ? 'tile local-tile' : 'tile'}
    class=${speaking ? 'tile speaking' : 'tile'}
    data-participant=${key}
    data-speaking=${speaking ? 'true' : 'false'}
  >
    <video
      part="video"
      class=${local && !sharing ? 'mirror' : ''}
      .stream=${t.stream?.getTracks().length ? t.stream : null}
      .muted=${!!local}
      autoplay
      playsinline
    ></video>
    ${hidden ? html`<div part="placeholder" class="placeholder" aria-hidden="true">${initials(name)}</div>` : nothing}
    <span part="name" class="name"
      ><span class="label">${name}</span>
      <span class="mic" data-off=${micMuted ? 'true' : 'false'} role="img" aria-label=${micMuted ? 'Microphone muted' : 'Microphone on'}>${micSvg(micMuted)}</span>
      <span class="cam" data-off=${cameraOff ? 'true' : 'false'} role="img" aria-label=${cameraOff ? 'Camera off' : 'Camera on'}>${camSvg(cameraOff)}</span>
      ${sharing ? html`<span class="screen" role="img" aria-label="Sharing the screen">${screenSvg}</span>` : nothing}</span
    >
  </div>`;
}

/** A tile's `<video>` or a slot's `<audio>`, with the stream the template gives it. */
type StreamHolder = HTMLMediaElement & { stream?: MediaStream | null };

/**
 * Gives every media element of `root` the `stream` its template set, unless it holds it already:
 * a `.srcObject` binding would assign it again on every render, and assigning a stream again,
 * even the same one, reloads the element (`emptied`, back to 0 s).
 */
export function attachStreams(root: ParentNode): void {
  for (const m of root.querySelectorAll<StreamHolder>('video,audio')) if (m.srcObject !== (m.stream ??= null)) m.srcObject = m.stream;
}

const audioStreams = new WeakMap<MediaStreamTrack, MediaStream>();

/** One stream object per audio slot track, so re-renders keep the same `srcObject`. */
function audioStream(track: MediaStreamTrack): MediaStream {
  let s = audioStreams.get(track);
  if (!s) audioStreams.set(track, (s = new MediaStream([track])));
  return s;
}

/** An `<audio>` for each audio slot (`audioTrack0`…); video slots show in the tiles. */
export const audioSlots = (slots: ReadonlyMap<string, MediaStreamTrack>): Array<TemplateResult | typeof nothing> =>
  [...slots].map(([label, t]) => (t.kind === 'audio' ? html`<audio data-slot=${label} .stream=${audioStream(t)} autoplay></audio>` : nothing));

/** The chat panel: the messages as text, and the input unless `onSend` is null (`no-controls`). */
export const chatPanel = (chat: readonly ChatLine[], onSend: ((event: Event) => void) | null): TemplateResult =>
  html`<div part="chat" class="chat">
    <ul part="chat-log" class="log" aria-label="Chat" aria-live="polite">
      ${chat.map((c) => html`<li><b>${c.from}</b>: ${c.text}</li>`)}
    </ul>
    ${
      onSend
        ? html`<form @submit=${onSend}><input name="message" aria-label="Chat message" autocomplete="off" /><button part="button" type="submit">Send</button></form>`
        : nothing
    }
  </div>`;
