#!/usr/bin/env node
// The server bundled by `npm run build` (esbuild: the shared protocol inlined, werift and ws external).
import { main } from '../dist/cli.js';

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e) => {
    console.error(`rtc-elements-server: ${e?.message ?? e}`);
    process.exit(1);
  },
);
