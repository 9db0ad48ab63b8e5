// Generates custom-elements.json (committed; a test checks it is fresh).
export default {
  globs: ['src/elements/**/rtc-*.ts'],
  exclude: ['src/elements/**/*.styles.ts'],
  outdir: '.',
  litelement: true,
  dependencies: false,
  packagejson: true,
};
