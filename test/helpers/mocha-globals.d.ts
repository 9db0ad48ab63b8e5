// Minimal typings for the mocha BDD globals the test runner provides (no @types/mocha here).
// Declared as functions so they merge with any other declaration of the same globals.
type MochaDone = (err?: unknown) => void;
type MochaFn = (this: unknown, done: MochaDone) => void | Promise<unknown>;
declare function describe(title: string, fn: (this: unknown) => void): void;
declare function it(title: string, fn?: MochaFn): void;
declare function before(fn: MochaFn): void;
declare function after(fn: MochaFn): void;
declare function beforeEach(fn: MochaFn): void;
declare function afterEach(fn: MochaFn): void;
