/**
 * `describe`/`it` for tests that need no DOM and run twice: in the browser (mocha's globals, under
 * the test runner) and in Node (node:test, through `npm run test:node`). Assertions come from
 * `./expect.js`, the same chai in both.
 */
type Fn = () => void | Promise<unknown>;
interface Bdd {
  describe(title: string, fn: () => void): void;
  it(title: string, fn: Fn): void;
  beforeEach(fn: Fn): void;
  afterEach(fn: Fn): void;
}

const globals = globalThis as unknown as Partial<Bdd>;
// The module name is a variable so that the browser's dev server does not try to resolve it.
const nodeTest = 'node:test';
const bdd: Bdd = typeof globals.describe === 'function' ? (globals as Bdd) : ((await import(nodeTest)) as Bdd);

export const { describe, it, beforeEach, afterEach } = bdd;
