/**
 * The CDN's languages entry, dist/i18n.js (bundlers get `rtc-elements/i18n`, lib/i18n/i18n.js):
 * the same names, re-exported from the one bundle, where the code is (every element's strings go
 * through it), so a page loads it once.
 */
export { LANGUAGES, Localizer, langOf, resolveLanguage, setTranslations, type Translations } from '../define.js';
