/** DOM helpers shared by the element tests. */
import type { RtcErrorOverlay } from '../../src/elements/rtc-error-overlay/rtc-error-overlay.js';
import { poll } from './ams-client.js';

/** The embedded server's WebSocket URL (set by web-test-runner.config.mjs). */
export const ws = (window as unknown as { __RTC_SERVER__: { ws: string } }).__RTC_SERVER__.ws;

/** Markup that would run script if it ever reached an HTML sink. */
export const XSS = '<img src=x onerror="window.__xss = true">';

/** Every attribute value and text in `root`, its shadow roots included: what the DOM holds. */
export function domStrings(root: Node): string {
  const out: string[] = [];
  const walk = (node: Node): void => {
    if (node.nodeType === Node.TEXT_NODE) out.push(node.nodeValue ?? '');
    if (node instanceof Element) {
      for (const a of node.attributes) out.push(`${a.name}=${a.value}`);
      if (node.shadowRoot) walk(node.shadowRoot);
    }
    for (const child of node.childNodes) walk(child);
  };
  walk(root);
  return out.join('\n');
}

export const part = (el: Element, name: string): HTMLElement | null => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
export const overlayOf = (el: Element): RtcErrorOverlay | null => el.shadowRoot!.querySelector('rtc-error-overlay');
export const overlayPart = (el: Element, name: string): HTMLElement | null =>
  overlayOf(el)?.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) ?? null;

/** Resolves once a removal's teardown has run: elements keep their session through a move, so they release at the next task. */
export const afterRemoval = (): Promise<void> => new Promise((resolve) => setTimeout(resolve));

/** A button's accessible name: its `aria-label`, else its text. */
export const nameOf = (el: Element | null): string => (el?.getAttribute('aria-label') ?? el?.textContent ?? '').trim();

/** Resolves once `<rtc-player>`'s full controls (its lazy chunk) are rendered: the Statistics button is theirs only. */
export const fullControls = (el: Element): Promise<HTMLElement> => poll(() => part(el, 'stats-button') ?? undefined, 5000, 'the full player controls');
