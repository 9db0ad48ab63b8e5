// The locale tables (src/i18n/locales/*.ts) against the English strings the elements show. The
// English set is computed from the sources, never listed here: every title and sentence of the
// error catalog, every string literal passed to `.t()` in src/elements/, every value of a
// src/elements/**/strings.ts table, and the stop-gap list src/i18n/ui-strings.ts. Each table must
// have exactly those keys (a new English string without its translations fails here), with
// values that follow the language's typography.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { catalogEntry, ERROR_CATALOG } from '../../src/core/errors.js';
import { UI_STRINGS } from '../../src/i18n/ui-strings.js';
import { root, sources } from '../helpers/sources.js';

/** The languages issue 11 asks for besides English. */
const SHIPPED = ['de', 'es', 'fr', 'pt-BR', 'tr', 'ja', 'zh-CN'];

/** The English strings in one source file: `.t()` literals anywhere, and table values when the file is a `strings.ts`. */
export function englishIn(path: string, text: string): { strings: string[]; problems: string[] } {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const table = basename(path) === 'strings.ts';
  const strings: string[] = [];
  const problems: string[] = [];
  const where = (node: ts.Node): string => `${path}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const literal = (node: ts.Node): node is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral =>
    ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);
  /** The expression a literal is the value of, past `as const`, `satisfies` and parentheses. */
  const outer = (node: ts.Node): ts.Node => {
    let n = node;
    while (ts.isAsExpression(n.parent) || ts.isSatisfiesExpression(n.parent) || ts.isParenthesizedExpression(n.parent)) n = n.parent;
    return n;
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 't') {
      const [arg] = node.arguments;
      if (arg && literal(arg)) strings.push(arg.text);
      // A key built at run time can have no translation: `.t()` takes a literal or a value from a table.
      else if (arg && (ts.isTemplateExpression(arg) || ts.isBinaryExpression(arg))) problems.push(`${where(arg)}: .t() of a built string`);
    }
    if (table && literal(node)) {
      const parent = outer(node).parent;
      const isValue = (ts.isPropertyAssignment(parent) && parent.initializer === outer(node)) || ts.isArrayLiteralExpression(parent);
      if (isValue) strings.push(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { strings, problems };
}

/** Every English string viewers can read, and what the scan found wrong. */
function englishSource(): { english: Set<string>; problems: string[] } {
  const english = new Set<string>();
  for (const { title, description } of [...Object.values(ERROR_CATALOG), catalogEntry('')]) english.add(title).add(description);
  const problems: string[] = [];
  for (const path of sources('src/elements')) {
    const found = englishIn(path, readFileSync(join(root, path), 'utf8'));
    found.strings.forEach((s) => english.add(s));
    problems.push(...found.problems);
  }
  UI_STRINGS.forEach((s) => english.add(s));
  return { english, problems };
}

const { english, problems } = englishSource();
/** The compiled tables (this file runs from dist/node/test/node/). */
const tables: Record<string, Record<string, string>> = Object.fromEntries(
  await Promise.all(
    SHIPPED.map(async (lang) => [
      lang,
      ((await import(new URL(`../../src/i18n/locales/${lang}.js`, import.meta.url).href)) as { default: Record<string, string> }).default,
    ]),
  ),
);

describe('locale tables', () => {
  it('the scanner reads `.t()` literals in any file and the values of a strings.ts table', () => {
    const element = `
      const a = this.i18n.t('Go live');
      html\`<b>\${l.t("Say \\"hi\\"")}</b>\${this.i18n.t(\`Stop\`)}\`;
      this.i18n.t(entry.title); // a value from elsewhere: not a key here
      const b = { label: 'Not a key outside strings.ts' };`;
    assert.deepEqual(englishIn('src/elements/rtc-x/rtc-x.ts', element), { strings: ['Go live', 'Say "hi"', 'Stop'], problems: [] });
    const table = `
      import { x } from './not-a-key.js';
      export const STRINGS = { play: 'Play', nested: { stop: 'Stop' as const } } as const;
      export const LIST = ['Mute', 'Unmute'] satisfies readonly string[];`;
    assert.deepEqual(englishIn('src/elements/rtc-x/strings.ts', table).strings, ['Play', 'Stop', 'Mute', 'Unmute']);
    assert.deepEqual(englishIn('src/elements/rtc-x/rtc-x.ts', 'this.i18n.t(`Hello ${name}`); this.i18n.t("a" + b);').problems, [
      'src/elements/rtc-x/rtc-x.ts:1: .t() of a built string',
      'src/elements/rtc-x/rtc-x.ts:1: .t() of a built string',
    ]);
  });

  it('the elements pass `.t()` only literals or values from a table', () => {
    assert.deepEqual(problems, []);
  });

  it('the English strings are trimmed, the stop-gap list holds no duplicate, and the set is what the elements need', () => {
    assert.deepEqual(
      [...english].filter((s) => s === '' || s !== s.trim()),
      [],
    );
    assert.equal(new Set(UI_STRINGS).size, UI_STRINGS.length);
    // The catalog alone has more than 40 distinct strings; a scan that finds nothing would leave far fewer.
    assert.ok(english.size >= UI_STRINGS.length + 40, `${english.size} English strings`);
  });

  it('there is one table per shipped language, and src/i18n/i18n.ts loads each of them', () => {
    const files = sources('src/i18n/locales').map((p) => basename(p, '.ts'));
    assert.deepEqual(files.sort(), [...SHIPPED].sort());
    const loaded = [...readFileSync(join(root, 'src/i18n/i18n.ts'), 'utf8').matchAll(/'?([\w-]+)'?: \(\) => import\('\.\/locales\/([\w-]+)\.js'\)/g)];
    assert.deepEqual(loaded.map((m) => [m[1], m[2]]).sort(), SHIPPED.map((l) => [l, l]).sort());
  });

  for (const lang of SHIPPED) {
    describe(lang, () => {
      const table = tables[lang]!;

      it('has exactly the English strings as keys', () => {
        const keys = Object.keys(table);
        assert.deepEqual(
          { missing: [...english].filter((k) => !Object.hasOwn(table, k)), extra: keys.filter((k) => !english.has(k)) },
          { missing: [], extra: [] },
        );
      });

      it('has no empty, untrimmed or doubled-space value', () => {
        assert.deepEqual(
          Object.entries(table).filter(([, v]) => typeof v !== 'string' || v === '' || v !== v.trim() || /\s\s/.test(v)),
          [],
        );
      });

      it('ends as the English does: a sentence with its full stop, "…" kept, a label without a stop', () => {
        const cjk = lang === 'ja' || lang === 'zh-CN';
        const wrong = Object.entries(table).filter(([en, v]) => {
          if (en.endsWith('…')) return !v.endsWith('…') || v.includes('...');
          if (en.endsWith('.')) return !(cjk ? v.endsWith('。') : v.endsWith('.'));
          return /[.。…]$/.test(v);
        });
        assert.deepEqual(wrong, []);
      });

      if (lang === 'fr') {
        it('French typography: a no-break space before ? ! : ;, and the typographic apostrophe', () => {
          assert.deepEqual(
            Object.values(table).filter((v) => /(^|[^\u00a0\u202f])[?!:;]/.test(v) || v.includes("'")),
            [],
          );
        });
      }
      if (lang === 'ja' || lang === 'zh-CN') {
        it('full-width punctuation, no Latin punctuation', () => {
          assert.deepEqual(
            Object.values(table).filter((v) => /[.,!?:;()]/.test(v)),
            [],
          );
        });
      }
    });
  }
});
