/** chai's `expect` without the DOM plugins, importable in the browser and in Node alike. */
export { expect } from '@esm-bundle/chai/esm/chai.js';
