/**
 * The shape of a locale table, in a file of its own so that the tables (`locales/*.ts`) import no
 * DOM code: the Node build (tsconfig.node.json, no DOM library) compiles them for the test that
 * checks every table has exactly the English strings.
 */

/** English string → its translation. */
export type Translations = Readonly<Record<string, string>>;
