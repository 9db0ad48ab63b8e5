// The ESM build of @esm-bundle/chai (its package `main` is not shipped, so Node imports this path).
declare module '@esm-bundle/chai/esm/chai.js' {
  import chai from 'chai';
  export const expect: Chai.ExpectStatic;
  export default chai;
}
