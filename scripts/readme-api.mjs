#!/usr/bin/env node
// Regenerates the API tables of README.md (between `<!-- api:start -->` and `<!-- api:end -->`)
// from custom-elements.json: per element, attributes, properties, methods, events, CSS parts,
// slots and CSS custom properties.
//
//   node scripts/readme-api.mjs            rewrite the README section (`npm run docs` runs the analyzer first)
//   node scripts/readme-api.mjs --check    exit 1 when custom-elements.json (analysed afresh into a
//                                          temporary folder) or the README tables are stale
//   --readme FILE, --manifest FILE         other files than ./README.md and ./custom-elements.json (tests)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const ERRORS_START = '<!-- errors:start -->';
const ERRORS_END = '<!-- errors:end -->';
const START = '<!-- api:start -->';
const END = '<!-- api:end -->';
const FIX = 'run `npm run docs` and commit the result';

const { values: args } = parseArgs({
  options: { check: { type: 'boolean', default: false }, readme: { type: 'string' }, manifest: { type: 'string' } },
});
const readmePath = resolve(args.readme ?? join(root, 'README.md'));
const manifestPath = resolve(args.manifest ?? join(root, 'custom-elements.json'));

/** A table cell: one line, pipes escaped (also inside code spans, as GFM requires). */
const cell = (s) =>
  s === undefined || s === null || s === ''
    ? ''
    : String(s)
        .replace(/\s*\n\s*/g, ' ')
        .replace(/\|/g, '\\|');
const code = (s) => (s === undefined || s === null || s === '' ? '' : `\`${String(s).replace(/\s*\n\s*/g, ' ')}\``);
const isPublic = (m) => (!m.privacy || m.privacy === 'public') && !/^[_#]/.test(m.name) && !/@internal\b/.test(m.description ?? '');

function table(title, head, rows) {
  if (rows.length === 0) return [];
  return [`#### ${title}`, '', `| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`), ''];
}

const signature = (m) => {
  const params = (m.parameters ?? []).map(
    (p) =>
      `${p.rest ? '...' : ''}${p.name}${p.optional && p.default === undefined ? '?' : ''}${p.type?.text ? `: ${p.type.text}` : ''}${p.default !== undefined ? ` = ${p.default}` : ''}`,
  );
  return `${m.static ? 'static ' : ''}${m.name}(${params.join(', ')})${m.return?.type?.text ? `: ${m.return.type.text}` : ''}`;
};

/** The markdown of one element. */
function elementDoc(decl) {
  const members = (decl.members ?? []).filter(isPublic);
  const fields = members.filter((m) => m.kind === 'field' && !m.static);
  const methods = members.filter((m) => m.kind === 'method');
  const attributes = (decl.attributes ?? []).filter((a) => !/^[_#]/.test(a.name));
  const description = [decl.summary, decl.description].filter(Boolean)[0];
  return [
    `### \`<${decl.tagName}>\``,
    '',
    ...(description ? [description.trim(), ''] : []),
    ...table(
      'Attributes',
      ['attribute', 'property', 'type', 'default', 'description'],
      attributes.map((a) => [code(a.name), code(a.fieldName), code(a.type?.text), code(a.default), a.description]),
    ),
    ...table(
      'Properties',
      ['property', 'attribute', 'type', 'default', 'description'],
      fields.map((f) => [code(f.name) + (f.readonly ? ' (read only)' : ''), code(f.attribute), code(f.type?.text), code(f.default), f.description]),
    ),
    ...table(
      'Methods',
      ['method', 'description'],
      methods.map((m) => [code(signature(m)), m.description]),
    ),
    ...table(
      'Events',
      ['event', 'type', 'description'],
      (decl.events ?? []).filter((e) => e.name).map((e) => [code(e.name), code(e.type?.text), e.description]),
    ),
    ...table(
      'CSS parts',
      ['part', 'description'],
      (decl.cssParts ?? []).map((p) => [code(p.name), p.description]),
    ),
    ...table(
      'Slots',
      ['slot', 'description'],
      (decl.slots ?? []).map((s) => [s.name ? code(s.name) : '(default)', s.description]),
    ),
    ...table(
      'CSS custom properties',
      ['property', 'default', 'description'],
      (decl.cssProperties ?? []).map((p) => [code(p.name), code(p.default), p.description]),
    ),
  ];
}

/** The generated section (markers included) for a manifest. */
function apiSection(manifest) {
  const elements = (manifest.modules ?? [])
    .flatMap((m) => m.declarations ?? [])
    .filter((d) => d.customElement && d.tagName)
    .sort((a, b) => a.tagName.localeCompare(b.tagName, 'en'));
  const body = elements.length === 0 ? ['No elements yet.', ''] : elements.flatMap(elementDoc);
  return [START, '<!-- Generated from custom-elements.json by `npm run docs`; edit the JSDoc, not this section. -->', '', ...body, END].join('\n');
}

/** README text with its API section replaced. */
function withApiSection(readme, manifest) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${relative(root, readmePath)} has no ${START} … ${END} section`);
  return readme.slice(0, start) + apiSection(manifest) + readme.slice(end + END.length);
}

/** ERROR_CATALOG, read from src/core/errors.ts (bundled on the fly: it is TypeScript). */
async function loadCatalog() {
  const { build } = await import('esbuild');
  const out = await build({ entryPoints: [join(root, 'src/core/errors.ts')], bundle: true, format: 'esm', write: false, logLevel: 'error' });
  const url = `data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`;
  return import(url);
}

/** The errors table: every catalog code, its category, whether retrying helps, and its sentence. */
function errorsSection({ ERROR_CATALOG: catalog, OUR_CODES: ours }) {
  const rows = Object.entries(catalog).map(
    ([name, e]) => `| ${code(name)} | ${ours.includes(name) ? 'ours' : 'AMS'} | ${e.category} | ${e.recoverable ? 'yes' : 'no'} | ${cell(e.description)} |`,
  );
  return [
    ERRORS_START,
    '<!-- Generated from ERROR_CATALOG (src/core/errors.ts) by `npm run docs`. -->',
    '',
    '| code | from | category | retry helps | message |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    ERRORS_END,
  ].join('\n');
}

function withErrorsSection(readme, catalog) {
  const start = readme.indexOf(ERRORS_START);
  const end = readme.indexOf(ERRORS_END);
  if (start < 0 || end < start) throw new Error(`${relative(root, readmePath)} has no ${ERRORS_START} … ${ERRORS_END} section`);
  return readme.slice(0, start) + errorsSection(catalog) + readme.slice(end + ERRORS_END.length);
}

/** custom-elements.json as the analyzer writes it now, from a run into a temporary folder. */
function freshManifest() {
  const dir = mkdtempSync(join(tmpdir(), 'rtc-cem-'));
  try {
    const cem = join(root, 'node_modules/@custom-elements-manifest/analyzer/cem.js');
    // The analyzer joins --outdir to the working directory, so it must be relative.
    const r = spawnSync(process.execPath, [cem, 'analyze', '--config', 'custom-elements-manifest.config.mjs', '--outdir', relative(root, dir), '--quiet'], {
      cwd: root,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`the analyzer failed (${r.status}): ${r.stderr || r.stdout}`);
    return readFileSync(join(dir, 'custom-elements.json'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The first line where two texts differ, for a readable failure. */
function firstDifference(a, b) {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return `line ${i + 1}: expected ${JSON.stringify(x[i] ?? '(end of file)')}, found ${JSON.stringify(y[i] ?? '(end of file)')}`;
  }
  return '';
}

const readme = readFileSync(readmePath, 'utf8');
const manifestText = readFileSync(manifestPath, 'utf8');
const wanted = withErrorsSection(withApiSection(readme, JSON.parse(manifestText)), await loadCatalog());

if (args.check) {
  const problems = [];
  const fresh = freshManifest();
  if (fresh !== manifestText) problems.push(`${relative(root, manifestPath)} is stale (${firstDifference(fresh, manifestText)})`);
  if (wanted !== readme) problems.push(`the API tables in ${relative(root, readmePath)} are stale (${firstDifference(wanted, readme)})`);
  if (problems.length > 0) {
    for (const p of problems) console.error(`✗ ${p}: ${FIX}.`);
    process.exit(1);
  }
  console.log('custom-elements.json and the README API tables are fresh.');
} else if (wanted !== readme) {
  writeFileSync(readmePath, wanted);
  console.log(`Updated the API tables in ${relative(root, readmePath)}.`);
} else {
  console.log(`The API tables in ${relative(root, readmePath)} are up to date.`);
}
