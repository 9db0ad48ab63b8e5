// Builds dist/rtc-elements.js: one self-contained minified ES module (lit inlined) that a
// single <script type="module"> tag loads; src/define.ts registers the elements (index.ts never does).
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

export default {
  input: 'src/define.ts',
  output: { file: 'dist/rtc-elements.js', format: 'es', sourcemap: true },
  plugins: [
    nodeResolve({ exportConditions: ['production'] }),
    typescript({ tsconfig: './tsconfig.json', noEmit: false, declaration: false, sourceMap: true, inlineSources: false }),
    terser({ ecma: 2022, module: true, compress: { passes: 2 }, format: { comments: false } }),
  ],
};
