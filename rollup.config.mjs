// The CDN build: dist/rtc-elements.js (src/define.ts) registers all four elements; it is a
// minified ES module with lit inlined that one <script type="module"> tag loads. The room's code
// is a chunk of its own, dist/rtc-room.js, which the entry imports (relative to its own URL) the
// first time a <rtc-room> connects: a page without a room never fetches it. Bundler users get the
// unbundled lib/ (tsc, tsconfig.lib.json) through package.json `exports` instead.
//
// Every chunk starts with stand-ins for the two DOM globals lit touches while its module is
// evaluated, taken from globalThis when there (always, in a browser): importing the bundle
// where there is no DOM (server-side rendering in Node) throws nothing and registers nothing.
import minifyHTML from '@lit-labs/rollup-plugin-minify-html-literals';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { readdirSync, rmSync } from 'node:fs';

/** Removes the chunks of an earlier build (a renamed or dropped chunk must not linger), never dist/node. */
const cleanChunks = () => ({
  name: 'rtc-clean-chunks',
  buildStart() {
    const names = (() => {
      try {
        return readdirSync('dist');
      } catch {
        return [];
      }
    })();
    for (const n of names) if (n === 'locales' || /\.js(\.map)?$/.test(n)) rmSync(`dist/${n}`, { recursive: true, force: true });
  },
});

const SSR_STANDINS = 'const{HTMLElement=class{},document={createTreeWalker:()=>({})}}=globalThis;';

export default {
  // The shared code stays in the entry (which then exports a few more names the room chunk imports)
  // instead of a third file: one request for a page without a room.
  preserveEntrySignatures: 'allow-extension',
  // The languages' API (setTranslations) is also an entry of its own, dist/i18n.js: a re-export
  // from the bundle, where the code is (every element's strings go through it).
  input: { 'rtc-elements': 'src/define.ts', i18n: 'src/i18n/index.ts' },
  output: {
    dir: 'dist',
    format: 'es',
    sourcemap: true,
    intro: SSR_STANDINS,
    entryFileNames: '[name].js',
    // The room's view is dist/rtc-room.js, WHIP/WHEP dist/whip.js; each language's table dist/locales/<lang>.js.
    chunkFileNames: (chunk) =>
      chunk.name === 'room-view'
        ? 'rtc-room.js'
        : chunk.name === 'whip-sessions'
          ? 'whip.js'
          : chunk.facadeModuleId?.includes('/src/i18n/locales/')
            ? 'locales/[name].js'
            : '[name].js',
  },
  plugins: [
    cleanChunks(),
    // Whitespace and comments out of html``, svg`` and css`` templates (lit's own plugin). The
    // closing slash of `<rect …/>` must stay: in an svg`` template without it, the shapes after a
    // <rect> become its children and are not drawn (the room's icons lost their strokes).
    minifyHTML({ options: { minifyOptions: { keepClosingSlash: true } } }),
    nodeResolve({ exportConditions: ['production'] }),
    typescript({ tsconfig: './tsconfig.json', noEmit: false, declaration: false, sourceMap: true, inlineSources: false, outDir: 'dist' }),
    // pure_getters: reading a property has no side effects here (no getter of ours or lit's
    // does more than read), so single-use reads are inlined: 29 B of the entry's gzip.
    // keep_fargs: false drops unused trailing parameters (nothing here reads a function's
    // `length`): 11 B.
    terser({ ecma: 2022, module: true, compress: { passes: 2, pure_getters: true, keep_fargs: false }, format: { comments: false } }),
  ],
};
