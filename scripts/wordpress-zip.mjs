#!/usr/bin/env node
// The WordPress plugin as a site owner uploads it: dist/rtc-elements-wordpress.zip, the folder
// integrations/wordpress/rtc-elements/ with the bundle inside (dist/rtc-elements.js, its lazy
// chunks and the language files, without source maps), all under `rtc-elements/`. `npm run build`
// runs it after the client build; scripts/wordpress-test.mjs installs the plugin from this zip.
// A zip writer and reader of our own (deflate from node:zlib), so that no `zip` tool is needed.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
export const PLUGIN_DIR = join(root, 'integrations', 'wordpress', 'rtc-elements');
export const ZIP_FILE = join(root, 'dist', 'rtc-elements-wordpress.zip');

/** Every file below `dir` as a path relative to `dir` with `/` separators, sorted. */
const filesUnder = (dir) =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((name) => statSync(join(dir, name)).isFile())
    .map((name) => name.split(sep).join('/'))
    .sort();

/** The plugin's files (its own, then the bundle as `dist/…`), as zip entries `{name, data}`. */
export function pluginEntries() {
  const own = filesUnder(PLUGIN_DIR).filter((name) => !name.startsWith('dist/'));
  const bundle = filesUnder(join(root, 'dist')).filter((name) => /^(locales\/)?[\w.-]+\.js$/.test(name));
  if (!bundle.includes('rtc-elements.js')) throw new Error('dist/rtc-elements.js is missing: run `npm run build:client` first');
  return [
    ...own.map((name) => ({ name: `rtc-elements/${name}`, data: readFileSync(join(PLUGIN_DIR, name)) })),
    ...bundle.map((name) => ({ name: `rtc-elements/dist/${name}`, data: readFileSync(join(root, 'dist', name)) })),
  ];
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (data) => {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** A zip archive (deflated entries, a fixed 1980-01-01 time so that the same input gives the same bytes). */
export function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date: 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x031e, 4); // made by: Unix
    local.copy(central, 6, 4, 30); // version needed … name length: the same fields
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // -rw-r--r--
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The entries of a zip written by `zip()` (or any zip of stored or deflated entries without zip64). */
export function unzip(buffer) {
  const end = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip file');
  const count = buffer.readUInt16LE(end + 10);
  let at = buffer.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    const method = buffer.readUInt16LE(at + 10);
    const packedSize = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extra = buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32);
    const name = buffer.toString('utf8', at + 46, at + 46 + nameLength);
    const local = buffer.readUInt32LE(at + 42);
    const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const packed = buffer.subarray(start, start + packedSize);
    const data = method === 8 ? inflateRawSync(packed) : Buffer.from(packed);
    if (crc32(data) !== buffer.readUInt32LE(at + 16)) throw new Error(`${name}: bad CRC`);
    entries.push({ name, data });
    at += 46 + nameLength + extra;
  }
  return entries;
}

/** Writes the files of `entries` below `dir` (names are relative; none may climb out). */
export function extract(entries, dir) {
  for (const { name, data } of entries) {
    const file = join(dir, name);
    if (relative(dir, file).startsWith('..')) throw new Error(`${name}: outside the folder`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, data);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const entries = pluginEntries();
  const archive = zip(entries);
  mkdirSync(dirname(ZIP_FILE), { recursive: true });
  writeFileSync(ZIP_FILE, archive);
  console.log(`${relative(root, ZIP_FILE)}: ${entries.length} files, ${archive.length} bytes`);
}
