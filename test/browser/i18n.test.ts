// The i18n core (src/i18n/i18n.ts) in a real page: a test-only element with a `Localizer` shows a
// string in the language of its own `lang` or its nearest ancestor's (across a shadow root), once
// that language's table has arrived; page overrides win; and only the tables in use are fetched.
// The module's tables and overrides live for the whole page, so each test overrides a string of
// its own, and no test here uses French (the last test checks it was never fetched). Nothing
// imports a table statically either: the first test checks that an English page fetched none.
import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import type { PropertyDeclarations } from 'lit';
import { LANGUAGES, langOf, Localizer, resolveLanguage, setTranslations } from '../../src/i18n/i18n.js';

/** Renders `t(key)` and lets a test wait for its next render. */
class I18nProbe extends LitElement {
  static override properties: PropertyDeclarations = { key: {} };
  /** The English string to show. */
  key = 'Stop';
  readonly i18n = new Localizer(this);
  #waiting: Array<() => void> = [];

  override render() {
    return this.i18n.t(this.key);
  }

  override updated(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    waiting.forEach((resolve) => resolve());
  }

  /** Resolves after the next render. */
  nextRender(): Promise<void> {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
}
customElements.define('i18n-probe', I18nProbe);

const text = (el: I18nProbe): string => el.shadowRoot!.textContent!.trim();

/** Waits, render by render, until `el` shows `expected` (a locale table arrives asynchronously); the suite's timeout bounds it. */
async function shows(el: I18nProbe, expected: string): Promise<void> {
  await el.updateComplete;
  while (text(el) !== expected) await el.nextRender();
  expect(text(el)).to.equal(expected);
}

/** The locale tables the page has fetched so far (their URL paths). */
const fetchedLocales = (): string[] =>
  performance
    .getEntriesByType('resource')
    .map((e) => new URL(e.name).pathname)
    .filter((p) => p.includes('/locales/'));

describe('i18n', () => {
  // First, while nothing asked for a language: a page in English fetches no table.
  it('an element without any lang shows English and fetches no table', async () => {
    const el = await fixture<I18nProbe>(html`<i18n-probe></i18n-probe>`);
    await el.updateComplete;
    expect(text(el)).to.equal('Stop');
    expect(el.i18n.lang).to.equal('');
    expect(fetchedLocales()).to.deep.equal([]);
  });

  describe('resolveLanguage', () => {
    it('maps a tag to a shipped language: region and script dropped, pt to Brazilian, zh to Simplified', () => {
      const cases: Array<[string, string]> = [
        ['de', 'de'],
        ['de-AT', 'de'],
        ['DE-ch', 'de'],
        ['fr-CA', 'fr'],
        ['es-419', 'es'],
        ['pt', 'pt-BR'],
        ['pt-BR', 'pt-BR'],
        ['pt-PT', 'pt-BR'],
        ['zh', 'zh-CN'],
        ['zh-Hans', 'zh-CN'],
        ['zh-CN', 'zh-CN'],
        ['ja-JP', 'ja'],
        ['tr_TR', 'tr'],
        [' de ', 'de'],
      ];
      for (const [tag, lang] of cases) expect(resolveLanguage(tag), tag).to.equal(lang);
    });

    it('gives English ("") for English, an empty tag and unknown codes (prototype names included)', () => {
      for (const tag of ['en', 'EN', 'en-US', '', 'xx', 'klingon', 'constructor', '__proto__', 'toString', '-de'])
        expect(resolveLanguage(tag), tag).to.equal('');
    });

    it('knows a language the page gave strings for, and its regional tags', () => {
      expect(resolveLanguage('tlh')).to.equal('');
      setTranslations('tlh', { Stop: 'mev' });
      expect(resolveLanguage('tlh')).to.equal('tlh');
      expect(resolveLanguage('TLH')).to.equal('tlh');
      expect(resolveLanguage('tlh-Latn')).to.equal('tlh');
    });

    it('lists the seven shipped languages', () => {
      expect([...LANGUAGES].sort()).to.deep.equal(['de', 'es', 'fr', 'ja', 'pt-BR', 'tr', 'zh-CN']);
    });
  });

  describe('lang', () => {
    it('langOf reads the element, then its ancestors, then the host of its shadow root', () => {
      const outer = document.createElement('section');
      outer.lang = 'ja';
      const host = outer.appendChild(document.createElement('div'));
      const inner = host.attachShadow({ mode: 'open' }).appendChild(document.createElement('span'));
      expect(langOf(inner)).to.equal('ja');
      host.lang = 'tr';
      expect(langOf(inner)).to.equal('tr');
      inner.lang = 'es';
      expect(langOf(inner)).to.equal('es');
      expect(langOf(document.createElement('p'))).to.equal('');
    });

    it('lang="de" on the element shows German once the table has loaded', async () => {
      const el = await fixture<I18nProbe>(html`<i18n-probe lang="de"></i18n-probe>`);
      await shows(el, 'Stoppen');
      expect(el.i18n.lang).to.equal('de');
    });

    it('a regional tag on an ancestor applies (de-AT on a wrapper)', async () => {
      const wrapper = await fixture<HTMLElement>(html`<div lang="de-AT"><p><i18n-probe .key=${'Leave'}></i18n-probe></p></div>`);
      const el = wrapper.querySelector<I18nProbe>('i18n-probe')!;
      await shows(el, 'Verlassen');
    });

    it('the lang of a shadow root host applies inside it', async () => {
      const host = await fixture<HTMLElement>(html`<div lang="de"></div>`);
      const el = document.createElement('i18n-probe') as I18nProbe;
      el.key = 'Join';
      host.attachShadow({ mode: 'open' }).append(el);
      await shows(el, 'Beitreten');
    });

    it('an unknown code falls back to English', async () => {
      const el = await fixture<I18nProbe>(html`<i18n-probe lang="xx-YY"></i18n-probe>`);
      await el.updateComplete;
      expect(text(el)).to.equal('Stop');
      expect(el.i18n.lang).to.equal('');
    });

    it("changing an ancestor's lang at run time re-renders the element", async () => {
      const wrapper = await fixture<HTMLElement>(html`<div><i18n-probe .key=${'Send'}></i18n-probe></div>`);
      const el = wrapper.querySelector<I18nProbe>('i18n-probe')!;
      await shows(el, 'Send');
      wrapper.lang = 'de';
      await shows(el, 'Senden');
      wrapper.lang = 'xx';
      await shows(el, 'Send');
      wrapper.removeAttribute('lang');
      el.lang = 'de';
      await shows(el, 'Senden');
    });
  });

  describe('setTranslations', () => {
    it("the page's German wins over ours, at once on a connected element", async () => {
      const el = await fixture<I18nProbe>(html`<i18n-probe lang="de" .key=${'Play'}></i18n-probe>`);
      await shows(el, 'Abspielen');
      setTranslations('de', { Play: 'Los' });
      await shows(el, 'Los');
      // Its other strings stay ours.
      el.key = 'Stop';
      await shows(el, 'Stoppen');
    });

    it('en rewords English, not the strings of a translated element', async () => {
      const english = await fixture<I18nProbe>(html`<i18n-probe .key=${'Close'}></i18n-probe>`);
      const german = await fixture<I18nProbe>(html`<i18n-probe lang="de" .key=${'Close'}></i18n-probe>`);
      await shows(german, 'Schließen');
      setTranslations('en', { Close: 'Dismiss' });
      await shows(english, 'Dismiss');
      await german.updateComplete;
      expect(text(german)).to.equal('Schließen');
      // An unknown code shows English, reworded too.
      const unknown = await fixture<I18nProbe>(html`<i18n-probe lang="xx" .key=${'Close'}></i18n-probe>`);
      await shows(unknown, 'Dismiss');
    });

    it("a regional tag's strings (de-AT) win for that tag only, over German, which still loads for the rest", async () => {
      setTranslations('de-AT', { Join: 'Eintreten' });
      const austrian = await fixture<I18nProbe>(html`<i18n-probe lang="de-AT" .key=${'Join'}></i18n-probe>`);
      await shows(austrian, 'Eintreten');
      expect(austrian.i18n.lang).to.equal('de');
      austrian.key = 'Send';
      await shows(austrian, 'Senden');
      const german = await fixture<I18nProbe>(html`<i18n-probe lang="de" .key=${'Join'}></i18n-probe>`);
      await german.updateComplete;
      expect(text(german)).not.to.equal('Eintreten');
    });

    it('adds a language of its own, which fetches nothing', async () => {
      setTranslations('tlh', { Stop: 'mev' });
      const el = await fixture<I18nProbe>(html`<i18n-probe lang="tlh"></i18n-probe>`);
      await shows(el, 'mev');
      // A string it does not give stays English.
      el.key = 'Play';
      await shows(el, 'Play');
      expect(fetchedLocales().filter((p) => p.includes('tlh'))).to.deep.equal([]);
    });
  });

  it('only the table of a language in use is fetched: de, not fr nor the others', async () => {
    const el = await fixture<I18nProbe>(html`<i18n-probe lang="de"></i18n-probe>`);
    await shows(el, 'Stoppen');
    const fetched = fetchedLocales();
    expect(fetched.filter((p) => p.includes('/locales/de.'))).to.have.length(1);
    for (const lang of ['fr', 'es', 'pt-BR', 'tr', 'ja', 'zh-CN'])
      expect(
        fetched.filter((p) => p.includes(`/locales/${lang}.`)),
        lang,
      ).to.deep.equal([]);
  });
});
