// Where the server finds the front-end package whose dist/ and demo/ it serves: the option, or
// the rtc-elements package found from the server's own files up (packages/server/src/http/static-root.ts).
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findStaticRoot } from '../../packages/server/src/http/static-root.js';
import { root } from '../helpers/sources.js';
import { startServer } from '../helpers/server.js';

describe('static root', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rtc-root-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  const pkg = async (folder: string, name: string) => {
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'package.json'), JSON.stringify({ name }));
  };

  it('finds the rtc-elements package above, skipping other packages', async () => {
    await pkg(join(dir, 'repo'), 'rtc-elements');
    await pkg(join(dir, 'repo', 'packages', 'server'), 'rtc-elements-server');
    await mkdir(join(dir, 'repo', 'packages', 'server', 'dist', 'deep'), { recursive: true });
    assert.equal(findStaticRoot(join(dir, 'repo', 'packages', 'server', 'dist', 'deep')), join(dir, 'repo'));
    assert.equal(findStaticRoot(join(dir, 'repo')), join(dir, 'repo'));
  });

  it('finds it installed beside the server (node_modules/rtc-elements)', async () => {
    await pkg(join(dir, 'app'), 'my-app');
    await pkg(join(dir, 'app', 'node_modules', 'rtc-elements'), 'rtc-elements');
    await pkg(join(dir, 'app', 'node_modules', 'rtc-elements-server'), 'rtc-elements-server');
    await mkdir(join(dir, 'app', 'node_modules', 'rtc-elements-server', 'dist'), { recursive: true });
    assert.equal(findStaticRoot(join(dir, 'app', 'node_modules', 'rtc-elements-server', 'dist')), join(dir, 'app', 'node_modules', 'rtc-elements'));
  });

  it('finds nothing where there is no rtc-elements package (a broken package.json is no package)', async () => {
    await pkg(join(dir, 'alone'), 'rtc-elements-server');
    await mkdir(join(dir, 'alone', 'node_modules', 'rtc-elements'), { recursive: true });
    await writeFile(join(dir, 'alone', 'node_modules', 'rtc-elements', 'package.json'), '{"name": "rtc-elements"');
    assert.equal(findStaticRoot(join(dir, 'alone')), undefined);
  });

  it('the server serves this package (found from the compiled server) unless told another folder', async () => {
    const found = await startServer();
    try {
      assert.equal(found.staticRoot, root.replace(/\/$/, ''));
      const page = await fetch(`${found.url}/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<rtc-publisher/);
    } finally {
      await found.close();
    }
    await mkdir(join(dir, 'other', 'demo'), { recursive: true });
    await writeFile(join(dir, 'other', 'demo', 'index.html'), 'other demo');
    const told = await startServer({ staticRoot: join(dir, 'other') });
    try {
      assert.equal(told.staticRoot, join(dir, 'other'));
      assert.equal(await (await fetch(`${told.url}/`)).text(), 'other demo');
      assert.equal((await fetch(`${told.url}/dist/rtc-elements.js`)).status, 404);
    } finally {
      await told.close();
    }
  });
});
