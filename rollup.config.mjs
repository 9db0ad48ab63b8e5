// Builds dist/rtc-elements.js (src/define.ts: publisher, player) and dist/rtc-room.js
// (src/define-room.ts: the conference element): each one self-contained minified ES module
// (lit inlined) that a single <script type="module"> tag loads. index.ts never registers anything.
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

const plugins = () => [
  nodeResolve({ exportConditions: ['production'] }),
  typescript({ tsconfig: './tsconfig.json', noEmit: false, declaration: false, sourceMap: true, inlineSources: false }),
  terser({ ecma: 2022, module: true, compress: { passes: 2 }, format: { comments: false } }),
];

export default [
  { input: 'src/define.ts', output: { file: 'dist/rtc-elements.js', format: 'es', sourcemap: true }, plugins: plugins() },
  { input: 'src/define-room.ts', output: { file: 'dist/rtc-room.js', format: 'es', sourcemap: true }, plugins: plugins() },
];
