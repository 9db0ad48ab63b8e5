#!/usr/bin/env node
// Generates, from custom-elements.json, what frameworks and editors read about the elements:
//   types/elements.d.ts           per tag: its attributes (kebab-case), writable properties, events and their types
//   types/{react,vue,svelte,solid,preact}.d.ts   each framework's JSX or template typings, built on elements.d.ts
//   vscode.html-custom-data.json  VS Code's custom HTML data (`html.customData`)
//   web-types.json                JetBrains web-types (package.json `web-types`)
//
//   node scripts/gen-types.mjs            write them (`npm run docs` runs it after the analyzer)
//   node scripts/gen-types.mjs --check    exit 1 when a file differs from what the manifest gives now
//   --manifest FILE, --out DIR            another manifest, another folder than the repository (tests)
//
// Attribute names and kinds, properties and events come from the manifest (the JSDoc `@attr`,
// `@fires {Type} name` and the Lit properties), so a new one appears after `npm run docs`.
// Property types are read from the element class itself (`RtcPlayer['serverUrl']`), event types are
// the manifest's, where `RtcCallbackEvent` (the generic AMS callback) becomes the exact entry of
// `RtcEventMap` for the event's name.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';

const root = new URL('..', import.meta.url).pathname;
const PACKAGE = 'rtc-elements';
const FIX = 'run `npm run docs` and commit the result';
const HEADER = '// Generated from custom-elements.json by scripts/gen-types.mjs (`npm run docs`): edit the JSDoc of src/elements/, not this file.';

const { values: args } = parseArgs({
  options: { check: { type: 'boolean', default: false }, manifest: { type: 'string' }, out: { type: 'string' } },
});
const manifestPath = resolve(args.manifest ?? join(root, 'custom-elements.json'));
const outDir = resolve(args.out ?? root);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// ------------------------------------------------------------------ the elements, from the manifest

/** An attribute documented as reflected state (`state`, `error-code`): shown by the element, never set by the page. */
const READ_ONLY = /\bread[ -]only\b/i;
const isPublicName = (name) => !/^[_#]/.test(name);

/** What an attribute's documented type allows: `string`, `boolean`, `number`, or a union of string literals. */
function attributeKind(element, attr) {
  const text = attr.type?.text ?? 'string';
  const parts = text
    .split('|')
    .map((p) => p.trim())
    .filter((p) => p !== 'undefined' && p !== 'null');
  if (parts.length > 0 && parts.every((p) => /^'[^']*'$|^"[^"]*"$/.test(p))) return { kind: 'enum', values: parts.map((p) => p.slice(1, -1)) };
  if (parts.length === 1 && ['string', 'boolean', 'number'].includes(parts[0])) return { kind: parts[0] };
  throw new Error(`<${element}> attribute "${attr.name}" has type \`${text}\`: document it as string, boolean, number or a union of string literals`);
}

/** The tags of the manifest, sorted, each with what the generated files need. */
function readElements(manifest) {
  const decls = (manifest.modules ?? []).flatMap((m) => (m.declarations ?? []).filter((d) => d.customElement && d.tagName));
  return decls
    .sort((a, b) => a.tagName.localeCompare(b.tagName, 'en'))
    .map((d) => {
      const attributes = (d.attributes ?? [])
        .filter((a) => isPublicName(a.name) && !READ_ONLY.test(a.description ?? ''))
        .map((a) => ({ name: a.name, field: a.fieldName, description: a.description ?? '', default: a.default, ...attributeKind(d.tagName, a) }));
      const properties = (d.members ?? [])
        .filter(
          (m) =>
            m.kind === 'field' &&
            !m.static &&
            !m.readonly &&
            (!m.privacy || m.privacy === 'public') &&
            isPublicName(m.name) &&
            !/@internal\b/.test(m.description ?? ''),
        )
        .map((m) => ({ name: m.name, description: m.description ?? '', type: m.type?.text, attribute: m.attribute }));
      const events = (d.events ?? []).filter((e) => e.name).map((e) => ({ name: e.name, description: e.description ?? '', type: eventType(e) }));
      return {
        tag: d.tagName,
        className: d.name,
        summary: d.summary ?? '',
        description: d.description ?? '',
        attributes,
        properties,
        events,
        slots: d.slots ?? [],
        cssParts: d.cssParts ?? [],
        cssProperties: d.cssProperties ?? [],
      };
    });
}

/** The TypeScript type of an event: the manifest's, the exact `RtcEventMap` entry for a generic AMS callback. */
function eventType(event) {
  const text = event.type?.text?.trim();
  return !text || text === 'RtcCallbackEvent' ? `RtcEventMap['${event.name}']` : text;
}

// ------------------------------------------------------------------ TypeScript declarations

/** A JSDoc block of `text` at `indent`, or nothing. */
function doc(text, indent = '') {
  const t = (text ?? '').trim().replace(/\*\//g, '*\\/');
  if (!t) return [];
  const lines = t.split('\n').map((l) => l.trimEnd());
  if (lines.length === 1) return [`${indent}/** ${lines[0]} */`];
  return [`${indent}/**`, ...lines.map((l) => `${indent} *${l ? ` ${l}` : ''}`), `${indent} */`];
}

const quote = (name) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`);

function attributeTsType(a) {
  if (a.kind === 'enum') return a.values.map((v) => `'${v}'`).join(' | ');
  if (a.kind === 'number') return 'number | string';
  return a.kind;
}

const withDefault = (description, value) =>
  [description.trim(), value !== undefined && value !== '' ? `Default: \`${value}\`.` : ''].filter(Boolean).join('\n\n');

/** types/elements.d.ts: the shared description of every tag the framework files map. */
function elementsDts(elements) {
  const types = new Set(['RtcEventMap']);
  for (const e of elements) {
    types.add(e.className);
    for (const ev of e.events) for (const id of ev.type.match(/\bRtc\w*/g) ?? []) types.add(id);
  }
  const out = [
    HEADER,
    '// The tags of rtc-elements as the framework typings beside this file see them: attributes as written in',
    '// markup (kebab-case), writable properties (camelCase) and the events each tag fires, with their types.',
    `import type { ${[...types].sort().join(', ')} } from '${PACKAGE}';`,
    '',
  ];
  for (const e of elements) {
    out.push(...doc(`Attributes of \`<${e.tag}>\`, as written in markup.`), `export interface ${e.className}Attributes {`);
    for (const a of e.attributes) out.push(...doc(withDefault(a.description, a.default), '  '), `  ${quote(a.name)}?: ${attributeTsType(a)};`);
    out.push('}', '');
    out.push(...doc(`Writable properties of \`<${e.tag}>\` (frameworks that set properties use these names).`), `export interface ${e.className}Properties {`);
    for (const p of e.properties) out.push(...doc(p.description, '  '), `  ${quote(p.name)}?: ${e.className}['${p.name}'];`);
    out.push('}', '');
    out.push(...doc(`The events \`<${e.tag}>\` fires, by name.`), `export interface ${e.className}Events {`);
    for (const ev of e.events) out.push(...doc(ev.description, '  '), `  ${quote(ev.name)}: ${ev.type};`);
    out.push('}', '');
  }
  out.push(
    '/** Every tag: its element class, attributes, writable properties and events. */',
    'export interface RtcElements {',
    ...elements.flatMap((e) => [
      ...doc(e.summary || e.description, '  '),
      `  '${e.tag}': { element: ${e.className}; attributes: ${e.className}Attributes; properties: ${e.className}Properties; events: ${e.className}Events };`,
    ]),
    '}',
    '',
    '/** What every tag takes: its attributes, and its properties not already named as an attribute. */',
    "export type RtcElementProps<T extends keyof RtcElements> = RtcElements[T]['attributes'] & Omit<RtcElements[T]['properties'], keyof RtcElements[T]['attributes']>;",
    '',
  );
  return out.join('\n');
}

/** The `IntrinsicElements` members of the tags, each `'rtc-x': Type<'rtc-x'>`, with the tag's summary. */
const intrinsic = (elements, type, indent) => elements.flatMap((e) => [...doc(e.summary, indent), `${indent}'${e.tag}': ${type}<'${e.tag}'>;`]);

/**
 * A JSX-style framework's typings: `Props<'rtc-x'>` is the framework's own attributes for the element
 * class, less what the tag names itself, plus the tag's attributes, properties and one handler prop per
 * event (`${prefix}${event}`), declared in `IntrinsicElements` inside `scope` (the lines that open it).
 */
function jsxDts(elements, { about, imports, base, prefix, scope }) {
  return [
    HEADER,
    ...about.map((l) => `// ${l}`),
    ...imports,
    "import type { RtcElementProps, RtcElements } from './elements.js';",
    '',
    `type EventProps<E> = { [K in keyof E & string as \`${prefix}\${K}\`]?: (event: E[K]) => void };`,
    "type OwnProps<T extends keyof RtcElements> = RtcElementProps<T> & EventProps<RtcElements[T]['events']>;",
    "type ElementOf<T extends keyof RtcElements> = RtcElements[T]['element'];",
    `type Props<T extends keyof RtcElements> = Omit<${base}, keyof OwnProps<T>> & OwnProps<T>;`,
    '',
    ...scope.map((l, i) => `${'  '.repeat(i)}${l} {`),
    `${'  '.repeat(scope.length)}interface IntrinsicElements {`,
    ...intrinsic(elements, 'Props', '  '.repeat(scope.length + 1)),
    ...[...scope, 'IntrinsicElements'].map((_, i) => `${'  '.repeat(scope.length - i)}}`),
    '',
    '// The helper types above stay private to this file.',
    'export {};',
    '',
  ].join('\n');
}

const reactDts = (elements) =>
  jsxDts(elements, {
    about: [
      `React 19 JSX for the tags: \`import '${PACKAGE}/react'\` (or \`import type {} from '${PACKAGE}/react'\`).`,
      'React 19 sets a prop as a property when the element has one (`prop in element`), else as an attribute, and',
      'listens to `rtc-play-started` for a function prop named `onrtc-play-started`.',
    ],
    imports: ["import type { DetailedHTMLProps, HTMLAttributes } from 'react';"],
    base: 'DetailedHTMLProps<HTMLAttributes<ElementOf<T>>, ElementOf<T>>',
    prefix: 'on',
    scope: ["declare module 'react'", 'namespace JSX'],
  });

const svelteDts = (elements) =>
  jsxDts(elements, {
    about: [
      `Svelte 5 element types for the tags: \`import '${PACKAGE}/svelte'\`. Svelte 5 sets a prop as a property when the`,
      'element has one, else as an attribute, and listens to `rtc-play-started` for `onrtc-play-started={…}`.',
    ],
    imports: ["import type { HTMLAttributes } from 'svelte/elements';"],
    base: 'HTMLAttributes<ElementOf<T>>',
    prefix: 'on',
    scope: ['declare global', 'namespace svelteHTML'],
  });

const solidDts = (elements) =>
  jsxDts(elements, {
    about: [
      `Solid JSX for the tags: \`import '${PACKAGE}/solid'\`. Solid listens to \`rtc-play-started\` for`,
      '`on:rtc-play-started={…}` and sets the props of a custom element as properties.',
    ],
    imports: ["import type { JSX } from 'solid-js';"],
    base: 'JSX.HTMLAttributes<ElementOf<T>>',
    prefix: 'on:',
    scope: ["declare module 'solid-js'", 'namespace JSX'],
  });

const preactDts = (elements) =>
  jsxDts(elements, {
    about: [
      `Preact JSX for the tags: \`import '${PACKAGE}/preact'\`. Preact sets a prop as a property when the element`,
      'has one, else as an attribute, and listens to `rtc-play-started` for `onrtc-play-started={…}`.',
    ],
    imports: ["import type { HTMLAttributes } from 'preact';"],
    base: 'HTMLAttributes<ElementOf<T>>',
    prefix: 'on',
    scope: ["declare module 'preact'", 'namespace JSX'],
  });

function vueDts(elements) {
  return [
    HEADER,
    `// Vue 3 template types for the tags: \`import '${PACKAGE}/vue'\`, with \`compilerOptions.isCustomElement\``,
    "// (tag) => tag.startsWith('rtc-') in the Vue compiler options. Vue's guide types a custom element for vue-tsc as a",
    '// component whose instance has `$props` (what the template may pass) and `$emit` (what `@event` may listen to).',
    "import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';",
    "import type { RtcElementProps, RtcElements } from './elements.js';",
    '',
    'type Emits<E> = EmitFn<{ [K in keyof E]: (event: E[K]) => void }>;',
    "type VueElement<T extends keyof RtcElements> = new () => RtcElements[T]['element'] & {",
    '  /** @deprecated For template type checking only: the element has no `$props`. */',
    '  $props: HTMLAttributes & RtcElementProps<T> & PublicProps;',
    '  /** @deprecated For template type checking only: the element has no `$emit`. */',
    "  $emit: Emits<RtcElements[T]['events']>;",
    '};',
    '',
    "declare module 'vue' {",
    '  interface GlobalComponents {',
    ...intrinsic(elements, 'VueElement', '    '),
    '  }',
    '}',
    '',
    '// The helper types above stay private to this file.',
    'export {};',
    '',
  ].join('\n');
}

// ------------------------------------------------------------------ IDE data

/** The markdown an editor shows for a tag: its description, then its events, slots and CSS parts. */
function tagDoc(e) {
  const list = (title, items) => (items.length ? [`**${title}:** ${items.map((i) => `\`${i.name || '(default)'}\``).join(', ')}`] : []);
  return [
    e.summary && e.summary !== e.description ? e.summary : '',
    e.description,
    ...list('Events', e.events),
    ...list('Slots', e.slots),
    ...list('CSS parts', e.cssParts),
  ]
    .filter(Boolean)
    .join('\n\n');
}

function vscodeData(elements) {
  return {
    $schema: 'https://raw.githubusercontent.com/microsoft/vscode-html-languageservice/main/docs/customData.schema.json',
    version: 1.1,
    tags: elements.map((e) => ({
      name: e.tag,
      description: { kind: 'markdown', value: tagDoc(e) },
      attributes: e.attributes.map((a) => ({
        name: a.name,
        description: { kind: 'markdown', value: withDefault(a.description, a.default) },
        ...(a.kind === 'boolean' ? { valueSet: 'v' } : {}),
        ...(a.kind === 'enum' ? { values: a.values.map((name) => ({ name })) } : {}),
      })),
    })),
  };
}

function webTypes(elements) {
  const value = (a) => ({ type: a.kind === 'number' ? 'number' : attributeTsType(a) });
  return {
    $schema: 'https://json.schemastore.org/web-types',
    name: pkg.name,
    version: pkg.version,
    'description-markup': 'markdown',
    'js-types-syntax': 'typescript',
    contributions: {
      html: {
        elements: elements.map((e) => ({
          name: e.tag,
          description: [e.summary && e.summary !== e.description ? e.summary : '', e.description].filter(Boolean).join('\n\n'),
          source: { module: PACKAGE, symbol: e.className },
          attributes: e.attributes.map((a) => ({
            name: a.name,
            description: a.description,
            ...(a.default !== undefined ? { default: a.default } : {}),
            value: value(a),
          })),
          slots: e.slots.map((s) => ({ name: s.name, description: s.description ?? '' })),
          js: {
            properties: e.properties.map((p) => ({ name: p.name, description: p.description, ...(p.type ? { value: { type: p.type } } : {}) })),
            events: e.events.map((ev) => ({ name: ev.name, description: ev.description })),
          },
          css: {
            parts: e.cssParts.map((p) => ({ name: p.name, description: p.description ?? '' })),
            properties: e.cssProperties.map((p) => ({ name: p.name, description: p.description ?? '' })),
          },
        })),
      },
    },
  };
}

// ------------------------------------------------------------------ writing and checking

/** Every generated file: path relative to the output folder → its text, formatted as Prettier formats the repository. */
async function generate(manifest) {
  const elements = readElements(manifest);
  const raw = {
    'types/elements.d.ts': elementsDts(elements),
    'types/react.d.ts': reactDts(elements),
    'types/vue.d.ts': vueDts(elements),
    'types/svelte.d.ts': svelteDts(elements),
    'types/solid.d.ts': solidDts(elements),
    'types/preact.d.ts': preactDts(elements),
    'vscode.html-custom-data.json': `${JSON.stringify(vscodeData(elements), null, 2)}\n`,
    'web-types.json': `${JSON.stringify(webTypes(elements), null, 2)}\n`,
  };
  const options = (await prettier.resolveConfig(join(root, 'package.json'))) ?? {};
  const files = {};
  for (const [path, text] of Object.entries(raw)) files[path] = await prettier.format(text, { ...options, filepath: join(root, path) });
  return files;
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

const read = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

const files = await generate(JSON.parse(readFileSync(manifestPath, 'utf8')));
if (args.check) {
  const stale = Object.entries(files).filter(([path, text]) => read(join(outDir, path)) !== text);
  for (const [path, text] of stale) {
    const found = read(join(outDir, path));
    console.error(`✗ ${path} is ${found === undefined ? 'missing' : `stale (${firstDifference(text, found)})`}: ${FIX}.`);
  }
  if (stale.length > 0) process.exit(1);
  console.log(`The typings and IDE data are fresh (${Object.keys(files).length} files).`);
} else {
  const written = [];
  for (const [path, text] of Object.entries(files)) {
    const target = join(outDir, path);
    if (read(target) === text) continue;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    written.push(relative(root, target) || target);
  }
  console.log(written.length ? `Wrote ${written.join(', ')}.` : 'The typings and IDE data are up to date.');
}
