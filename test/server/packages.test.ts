// The two packages of this repository: the front-end package (rtc-elements) installs lit and
// nothing of the media server; the server (packages/server, rtc-elements-server) is a package of
// its own whose bundle carries the shared protocol inlined and needs only werift and ws.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { root } from '../helpers/sources.js';

const json = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8'));
const server = join(root, 'packages/server');

describe('packages', () => {
  it('the front-end package depends on lit alone and has the server as a workspace, not as a bin', () => {
    const front = json('package.json');
    assert.deepEqual(Object.keys(front.dependencies), ['lit']);
    assert.deepEqual(front.workspaces, ['packages/server']);
    assert.equal(front.bin, undefined);
    const back = json('packages/server/package.json');
    assert.equal(back.name, 'rtc-elements-server');
    assert.deepEqual(back.bin, { 'rtc-elements-server': 'bin/rtc-elements-server.js' });
    assert.deepEqual(back.dependencies, { werift: '0.24.4', ws: '8.23.0' });
  });

  it("the front-end package's tarball holds no server code", () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const files = (JSON.parse(r.stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path);
    assert.ok(files.includes('dist/rtc-elements.js'), `no dist/rtc-elements.js in ${files.join(', ')}`);
    assert.deepEqual(
      files.filter((f) => /^(packages|bin|dist\/node|src\/server)\//.test(f) || /server/i.test(f)),
      [],
    );
  });

  describe('the server bundle (packages/server/dist)', () => {
    let code: Record<string, string>;
    before(() => {
      const r = spawnSync(process.execPath, ['build.mjs'], { cwd: server, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      code = Object.fromEntries(
        readdirSync(join(server, 'dist'), { recursive: true, encoding: 'utf8' })
          .filter((f) => f.endsWith('.js'))
          .map((f) => [f, readFileSync(join(server, 'dist', f), 'utf8')]),
      );
    });

    it('inlines the shared protocol and imports only werift, ws, Node built-ins and its own chunks', () => {
      assert.ok(
        ['index.js', 'cli.js', 'media-worker.js'].every((f) => Object.keys(code).includes(f)),
        Object.keys(code).join(', '),
      );
      const imported = new Set(Object.values(code).flatMap((text) => [...text.matchAll(/\bfrom\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!)));
      // (Chunks import each other as ./chunk-….js.)
      const foreign = [...imported].filter((spec) => !/^(node:[a-z_/]+|werift|ws|\.\/(chunks\/)?[\w-]+\.js)$/.test(spec));
      assert.deepEqual(foreign, []);
      assert.ok(
        Object.values(code).some((text) => text.includes('no_stream_exist')),
        'the protocol tables are in the bundle',
      );
    });

    it('runs from its bin: --help', () => {
      const r = spawnSync(process.execPath, [join(server, 'bin/rtc-elements-server.js'), '--help'], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /--remote-allowed-cidr/);
    });

    describe('imported as a program would', () => {
      let running: { url: string; staticRoot: string | undefined; close(): Promise<void> };
      before(async () => {
        const { createServer } = await import(pathToFileURL(join(server, 'dist/index.js')).href);
        running = await createServer({ host: '127.0.0.1', port: 0, mediaWorkers: 2, faultInjection: true });
      });
      after(async () => running?.close());

      it('finds this repository from packages/server/dist and serves its demo and REST', async () => {
        assert.equal(running.staticRoot, root.replace(/\/$/, ''));
        assert.equal((await fetch(`${running.url}/`)).status, 200);
        assert.equal((await fetch(`${running.url}/LiveApp/rest/v2/broadcasts/list/0/5`)).status, 200);
      });

      it('starts its media workers from packages/server/dist/media-worker.js', async () => {
        // A worker whose module is not found ends at once and is started again: `ready` is never true.
        const deadline = Date.now() + 10_000;
        let workers: { ready: boolean; restarts: number }[] = [];
        while (Date.now() < deadline) {
          workers = (await (await fetch(`${running.url}/__faults/workers`)).json()) as typeof workers;
          if (workers.length === 2 && workers.every((w) => w.ready)) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        assert.deepEqual(
          workers.map((w) => [w.ready, w.restarts]),
          [
            [true, 0],
            [true, 0],
          ],
        );
      });
    });
  });
});
