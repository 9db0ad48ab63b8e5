// `npm run build -w packages/server`: the server as a package of its own. esbuild bundles the
// sources with the client half's shared protocol (src/core/protocol, src/core/errors.ts) inlined
// and the npm packages (werift, ws) left external, into dist/: index.js (createServer, for
// programs), cli.js (the bin's) and media-worker.js (the media workers' threads, which the relay
// looks for beside the bundle), sharing chunks. dist/ is emptied first.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const here = new URL('.', import.meta.url).pathname;
rmSync(`${here}dist`, { recursive: true, force: true });
await build({
  absWorkingDir: here,
  entryPoints: { index: 'src/index.ts', cli: 'src/cli.ts', 'media-worker': 'src/relay/media-worker.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
