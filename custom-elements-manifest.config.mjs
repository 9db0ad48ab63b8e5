// Generates custom-elements.json (committed; test/server/manifest.test.ts checks it is fresh).
// `npm run docs` regenerates it and the README API tables.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export default {
  globs: ['src/elements/**/rtc-*.ts'],
  exclude: ['src/elements/**/*.styles.ts'],
  outdir: '.',
  litelement: true,
  dependencies: false,
  // package.json already names the manifest; off so an `--outdir` run (the freshness check) never
  // rewrites package.json.
  packagejson: false,
  // globby lists files in directory order, which differs between file systems: sort them so the
  // manifest is the same on every machine.
  overrideModuleCreation: ({ ts, globs }) =>
    [...globs].sort().map((glob) => ts.createSourceFile(glob, readFileSync(resolve(glob), 'utf8'), ts.ScriptTarget.ES2015, true)),
  plugins: [dropAnonymousDefinitions(), dropPrivateStateAttributes()],
};

/**
 * `static define(tag)` calls `customElements.define(tag, this)`, which the analyzer records as a
 * definition of a tag named `tag` for a class `anonymous_N`. The real tag comes from `@tagname`.
 */
function dropAnonymousDefinitions() {
  return {
    name: 'rtc-drop-anonymous-definitions',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules ?? []) {
        mod.exports = mod.exports?.filter((e) => !(e.kind === 'custom-element-definition' && /^anonymous_\d+$/.test(e.declaration?.name ?? '')));
      }
    },
  };
}

/**
 * Internal reactive state is declared in `static properties` as `{ state: true }` on private
 * fields, which the analyzer takes for attributes: a private field never has one.
 */
function dropPrivateStateAttributes() {
  return {
    name: 'rtc-drop-private-state-attributes',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules ?? []) {
        for (const decl of mod.declarations ?? []) {
          const hidden = new Set((decl.members ?? []).filter((m) => m.privacy === 'private' || m.privacy === 'protected').map((m) => m.name));
          for (const m of decl.members ?? []) if (hidden.has(m.name)) delete m.attribute;
          if (decl.attributes) decl.attributes = decl.attributes.filter((a) => !hidden.has(a.fieldName));
        }
      }
    },
  };
}
