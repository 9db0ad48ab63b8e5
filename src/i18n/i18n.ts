/**
 * What a viewer reads, in the element's language: the `lang` attribute of the element or of its
 * nearest ancestor (through shadow roots, up to `<html lang>`). English is built in; German,
 * Spanish, French, Brazilian Portuguese, Turkish, Japanese and Simplified Chinese are chunks of
 * their own, fetched the first time an element needs one (a page in English fetches none). The
 * English string is the key, so the code reads as it renders and a string without a translation
 * falls back to English. A page adds a language or overrides strings with `setTranslations()`.
 * DOM access happens only in the controller's hooks (never at import time).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Translations } from './translations.js';

export type { Translations };

type Locale = () => Promise<{ default: Translations }>;

/** The languages shipped, each its own chunk beside the bundle. */
const LOCALES: Record<string, Locale> = {
  de: () => import('./locales/de.js'),
  es: () => import('./locales/es.js'),
  fr: () => import('./locales/fr.js'),
  'pt-BR': () => import('./locales/pt-BR.js'),
  tr: () => import('./locales/tr.js'),
  ja: () => import('./locales/ja.js'),
  'zh-CN': () => import('./locales/zh-CN.js'),
};

/** The languages `lang` can name (besides English, the default). */
export const LANGUAGES: readonly string[] = Object.keys(LOCALES);

/** Loaded tables by language; a language being fetched is absent. */
const tables = new Map<string, Translations>();
const fetching = new Set<string>();
/** The page's own strings (`setTranslations`), by language, winning over ours. */
// By lowercase tag (`''`: English); no prototype, so no tag can name one of Object's members.
const overrides: Record<string, Record<string, string>> = Object.create(null);
/** Connected elements' localizers, told when a table arrives or a `lang` changes. */
const live = new Set<Localizer>();
let watcher: MutationObserver | undefined;

const refreshAll = (): void => live.forEach((l) => l.host.requestUpdate());

/**
 * The language to show for a BCP 47 tag: a shipped one (`de-AT` → `de`, `pt` → `pt-BR`, `zh` and
 * `zh-Hans` → `zh-CN`), one the page gave strings for, else `''` (English).
 */
export function resolveLanguage(tag: string): string {
  const t = tag.trim().toLowerCase();
  const base = t.split(/[-_]/)[0] ?? '';
  if (base === 'pt') return 'pt-BR';
  if (base === 'zh') return 'zh-CN';
  // Own keys only: `lang="constructor"` names no language (and no function of Object.prototype to call as a loader).
  if (Object.hasOwn(LOCALES, base)) return base;
  return t in overrides ? t : base in overrides ? base : '';
}

/** The `lang` that applies to `node`: its own, else its nearest ancestor's, across shadow roots; `''` when none. */
export function langOf(node: Node): string {
  for (let n: Node | null = node; n; n = n.parentNode ?? (n as ShadowRoot).host ?? null) {
    if ((n as Element).hasAttribute?.('lang')) return (n as Element).getAttribute('lang')!;
  }
  return '';
}

/**
 * Adds or overrides strings of a language (`en` included: to reword ours), keyed by the English
 * string; elements on the page update at once.
 */
export function setTranslations(lang: string, strings: Record<string, string>): void {
  const key = lang.trim().toLowerCase();
  const k = key === 'en' ? '' : key;
  overrides[k] = { ...overrides[k], ...strings };
  refreshAll();
}

/** A host's localizer: `t(english)` in the host's language, re-rendering the host when that changes or arrives. */
export class Localizer implements ReactiveController {
  /** The language shown now: a shipped one, or one the page added; `''`: English. */
  lang = '';
  /** The host's own `lang` tag, lowercase (`en` when none). */
  #tag = 'en';

  constructor(readonly host: ReactiveControllerHost & Element) {
    host.addController(this);
  }

  hostConnected(): void {
    live.add(this);
    // One observer for the page: any `lang` attribute change re-resolves every element.
    watcher ??= new MutationObserver(refreshAll);
    if (live.size === 1) watcher.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
  }

  hostDisconnected(): void {
    live.delete(this);
    if (!live.size) watcher?.disconnect();
  }

  hostUpdate(): void {
    const tag = langOf(this.host);
    this.#tag = tag.trim().toLowerCase() || 'en';
    const lang = (this.lang = resolveLanguage(tag));
    const load = LOCALES[lang];
    if (!load || tables.has(lang) || fetching.has(lang)) return;
    fetching.add(lang);
    // A table that cannot be fetched leaves English; the next update tries again.
    load().then(
      (m) => {
        fetching.delete(lang);
        tables.set(lang, m.default);
        refreshAll();
      },
      () => fetching.delete(lang),
    );
  }

  /** `english` in the host's language (the page's override, else ours, else English). */
  t(english: string): string {
    const l = this.lang;
    // The page's strings for the exact tag (`de-AT`), then for the language, then ours, then English.
    return overrides[this.#tag]?.[english] ?? overrides[l.toLowerCase()]?.[english] ?? tables.get(l)?.[english] ?? overrides['']?.[english] ?? english;
  }
}
