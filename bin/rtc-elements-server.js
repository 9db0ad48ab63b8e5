#!/usr/bin/env node
// The compiled server lives in dist/node (built by `npm run build`).
import { main } from '../dist/node/src/server/cli.js';

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e) => {
    console.error(`rtc-elements-server: ${e?.message ?? e}`);
    process.exit(1);
  },
);
