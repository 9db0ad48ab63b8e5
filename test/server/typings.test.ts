// The framework typings (types/*.d.ts) and IDE data (vscode.html-custom-data.json, web-types.json) are
// generated from custom-elements.json by scripts/gen-types.mjs; these tests fail when they are stale
// (fix: `npm run docs`, then commit) and check what the generator makes of the manifest.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// This file runs from dist/node/test/server/.
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const FRAMEWORKS = ['react', 'vue', 'svelte', 'solid', 'preact'];
const GENERATED = ['types/elements.d.ts', ...FRAMEWORKS.map((f) => `types/${f}.d.ts`), 'vscode.html-custom-data.json', 'web-types.json'];

interface Attribute {
  name: string;
  fieldName?: string;
  type?: { text: string };
  description?: string;
}
interface Declaration {
  name: string;
  tagName?: string;
  customElement?: boolean;
  attributes?: Attribute[];
  events?: Array<{ name: string; type?: { text: string }; description?: string }>;
}
interface Manifest {
  modules: Array<{ declarations?: Declaration[] }>;
}
interface VsCodeData {
  tags: Array<{ name: string; attributes: Array<{ name: string; valueSet?: string; values?: Array<{ name: string }> }> }>;
}
interface WebTypes {
  name: string;
  contributions: {
    html: { elements: Array<{ name: string; attributes: Array<{ name: string; value: { type: string } }>; js: { events: Array<{ name: string }> } }> };
  };
}

const gen = (...args: string[]) => spawnSync(process.execPath, [join(root, 'scripts/gen-types.mjs'), ...args], { cwd: root, encoding: 'utf8' });
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const manifest = () => JSON.parse(read('custom-elements.json')) as Manifest;
const tags = (m: Manifest) => m.modules.flatMap((mod) => mod.declarations ?? []).filter((d) => d.customElement && d.tagName);

/** The body of `export interface <name> { … }` in a generated declaration file. */
function interfaceBody(text: string, name: string): string {
  const start = text.indexOf(`export interface ${name} {`);
  assert.ok(start >= 0, `no interface ${name}`);
  return text.slice(start, text.indexOf('\n}\n', start));
}

describe('generated typings and IDE data', () => {
  it('are what scripts/gen-types.mjs makes of custom-elements.json now', () => {
    const r = gen('--check');
    assert.equal(r.status, 0, `${r.stderr.trim()}\nrun \`npm run docs\` and commit the result`);
  });

  it('name every tag of the manifest in every framework file and in both IDE files', () => {
    const all = tags(manifest());
    assert.equal(all.length, 4, `tags: ${all.map((d) => d.tagName).join(', ')}`);
    const vscode = JSON.parse(read('vscode.html-custom-data.json')) as VsCodeData;
    const webTypes = JSON.parse(read('web-types.json')) as WebTypes;
    for (const d of all) {
      for (const f of FRAMEWORKS)
        assert.match(read(`types/${f}.d.ts`), new RegExp(`'${d.tagName}': \\w+<'${d.tagName}'>;`), `types/${f}.d.ts lacks <${d.tagName}>`);
      assert.ok(
        vscode.tags.some((t) => t.name === d.tagName),
        `vscode data lacks <${d.tagName}>`,
      );
      assert.ok(
        webTypes.contributions.html.elements.some((e) => e.name === d.tagName),
        `web-types lacks <${d.tagName}>`,
      );
    }
    assert.equal(webTypes.name, 'rtc-elements');
  });

  it("type each tag's events exactly as the manifest lists them, never as any", () => {
    const elements = read('types/elements.d.ts');
    for (const d of tags(manifest())) {
      const body = interfaceBody(elements, `${d.name}Events`);
      const declared = [...body.matchAll(/^ {2}'([a-z-]+)': /gm)].map((m) => m[1]);
      assert.deepEqual(declared, (d.events ?? []).map((e) => e.name).filter(Boolean), `<${d.tagName}> events`);
    }
    assert.match(interfaceBody(elements, 'RtcPlayerEvents'), /'rtc-play-started': RtcEventMap\['rtc-play-started'\];/);
    assert.match(interfaceBody(elements, 'RtcPlayerEvents'), /'rtc-error': RtcErrorEvent;/);
    assert.match(interfaceBody(elements, 'RtcRoomEvents'), /'rtc-participant-joined': RtcParticipantEvent;/);
    for (const path of GENERATED.filter((p) => p.endsWith('.d.ts'))) {
      const code = read(path)
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      assert.ok(!/\bany\b/.test(code), `${path} has a type \`any\``);
    }
  });

  it('leave out the attributes the element only reflects (state, error-code), and give enumerations and booleans their values', () => {
    const elements = read('types/elements.d.ts');
    const player = interfaceBody(elements, 'RtcPlayerAttributes');
    assert.match(player, /'server-url'\?: string;/);
    assert.match(player, /autoplay\?: boolean;/);
    assert.doesNotMatch(player, /\bstate\?|'error-code'/);
    assert.match(interfaceBody(elements, 'RtcRoomAttributes'), /mode\?: 'multitrack' \| 'legacy' \| 'p2p';/);
    assert.match(interfaceBody(elements, 'RtcPublisherAttributes'), /'max-bitrate'\?: number \| string;/);
    // Properties are typed by the class itself, read-only ones left out.
    const props = interfaceBody(elements, 'RtcPlayerProperties');
    assert.match(props, /tokenProvider\?: RtcPlayer\['tokenProvider'\];/);
    assert.doesNotMatch(props, /\b(state|error)\?:/);

    const vscode = JSON.parse(read('vscode.html-custom-data.json')) as VsCodeData;
    const room = vscode.tags.find((t) => t.name === 'rtc-room')!;
    assert.deepEqual(room.attributes.find((a) => a.name === 'mode')?.values, [{ name: 'multitrack' }, { name: 'legacy' }, { name: 'p2p' }]);
    assert.equal(room.attributes.find((a) => a.name === 'auto-join')?.valueSet, 'v');
    assert.equal(
      room.attributes.find((a) => a.name === 'state'),
      undefined,
    );
  });

  describe('follow the manifest', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'rtc-typings-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('a new attribute and event appear in every file, and the committed ones are then stale', () => {
      const m = manifest();
      const player = tags(m).find((d) => d.tagName === 'rtc-player')!;
      player.attributes!.push({ name: 'poster-url', fieldName: 'posterUrl', type: { text: 'string' }, description: 'An image shown before playing.' });
      player.attributes!.push({ name: 'fit', fieldName: 'fit', type: { text: "'contain' | 'cover'" }, description: 'How the video fills the box.' });
      player.events!.push({ name: 'rtc-poster-shown', type: { text: 'RtcCallbackEvent' }, description: 'The poster is shown.' });
      const manifestFile = join(dir, 'custom-elements.json');
      writeFileSync(manifestFile, JSON.stringify(m, null, 2));

      const r = gen('--manifest', manifestFile, '--out', dir);
      assert.equal(r.status, 0, r.stderr);
      const elements = readFileSync(join(dir, 'types/elements.d.ts'), 'utf8');
      assert.match(interfaceBody(elements, 'RtcPlayerAttributes'), /'poster-url'\?: string;/);
      assert.match(interfaceBody(elements, 'RtcPlayerAttributes'), /fit\?: 'contain' \| 'cover';/);
      assert.match(interfaceBody(elements, 'RtcPlayerEvents'), /'rtc-poster-shown': RtcEventMap\['rtc-poster-shown'\];/);
      const vscode = JSON.parse(readFileSync(join(dir, 'vscode.html-custom-data.json'), 'utf8')) as VsCodeData;
      const tag = vscode.tags.find((t) => t.name === 'rtc-player')!;
      assert.deepEqual(tag.attributes.find((a) => a.name === 'fit')?.values, [{ name: 'contain' }, { name: 'cover' }]);
      const webTypes = JSON.parse(readFileSync(join(dir, 'web-types.json'), 'utf8')) as WebTypes;
      const el = webTypes.contributions.html.elements.find((e) => e.name === 'rtc-player')!;
      assert.equal(el.attributes.find((a) => a.name === 'poster-url')?.value.type, 'string');
      assert.ok(el.js.events.some((e) => e.name === 'rtc-poster-shown'));

      const check = gen('--check', '--manifest', manifestFile);
      assert.equal(check.status, 1);
      assert.match(check.stderr, /types\/elements\.d\.ts is stale .*run `npm run docs`/);
      assert.match(check.stderr, /vscode\.html-custom-data\.json is stale/);
    });

    it('an attribute of a type no markup can carry is refused with its name', () => {
      const m = manifest();
      tags(m)
        .find((d) => d.tagName === 'rtc-room')!
        .attributes!.push({ name: 'layout', type: { text: 'LayoutOptions' }, description: 'x' });
      const manifestFile = join(dir, 'bad.json');
      writeFileSync(manifestFile, JSON.stringify(m));
      const r = gen('--manifest', manifestFile, '--out', join(dir, 'bad'));
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /<rtc-room> attribute "layout" has type `LayoutOptions`/);
    });
  });
});
