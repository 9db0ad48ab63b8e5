/**
 * The plugin in a real WordPress (Debian's, served by php -S, MariaDB on its socket), set up by
 * scripts/wordpress-test.mjs, which passes the site in RTC_WP. Headless Chromium with fake camera
 * and microphone against that WordPress and the embedded server: the settings page (nonce and
 * capability), a publisher post and a player post on one stream (live, frames decoded), a room
 * post with two visitors, visitors not allowed (no element, no token in the page), tokens minted
 * for an allowed editor when the app requires them, hostile shortcode attributes, the blocks.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';
import type { RunningServer } from '../../packages/server/src/index.js';
import { FLAGS, executablePath } from '../helpers/chromium.js';
import { startServer } from '../helpers/server.js';

interface Site {
  url: string;
  posts: Record<string, number>;
  password: string;
  pluginDir: string;
  /** What test/wordpress/setup.php needs to load this site in php-cli. */
  phpEnv: Record<string, string>;
}
const site: Site = JSON.parse(process.env['RTC_WP'] ?? 'null') ?? { url: '', posts: {}, password: '', pluginDir: '', phpEnv: {} };
const root = fileURLToPath(new URL('../../../../', import.meta.url));
/** Each test's limit: a hang fails that test, not the whole file. */
const T = { timeout: 60_000 };
const TOKEN_ATTR = /\btoken="[^"]+"/;

const postUrl = (slug: string): string => {
  const id = site.posts[slug];
  assert.ok(id, `no post ${slug}: run scripts/wordpress-test.mjs`);
  return `${site.url}/?p=${id}`;
};

/** A page's HTML as the server sent it to a visitor without cookies. */
const anonymousHtml = async (slug: string): Promise<string> => (await fetch(postUrl(slug))).text();

/** Waits until `expression` is truthy in the page; a timeout says what the elements showed. */
async function waitFor(page: Page, what: string, expression: string, timeout = 20_000): Promise<void> {
  try {
    await page.waitForFunction(expression, { timeout, polling: 200 });
  } catch (e) {
    const state = await page
      .evaluate(
        `[...document.querySelectorAll('rtc-publisher, rtc-player, rtc-room')].map((e) => e.localName + ':' + e.getAttribute('state') + ':' + e.getAttribute('error-code'))`,
      )
      .catch((err: unknown) => String(err));
    throw new Error(`${what}: not within ${timeout} ms; elements: ${JSON.stringify(state)}`, { cause: e });
  }
}

const framesAtLeast = (n: number): string => `document.querySelector('rtc-player')?.getStats().then((s) => (s.framesDecoded ?? 0) >= ${n}, () => false)`;

describe('the WordPress plugin in Debian’s WordPress', () => {
  let media: RunningServer;
  let browser: Browser;
  const contexts: Record<string, BrowserContext> = {};

  /** A browser context logged in as `user` (once per user), or a fresh logged-out one for `anonymous`. */
  async function as(user: 'admin' | 'editor' | 'subscriber' | 'anonymous'): Promise<Page> {
    if (!contexts[user]) {
      const context = await browser.createBrowserContext();
      contexts[user] = context;
      if (user !== 'anonymous') {
        const page = await context.newPage();
        await page.goto(`${site.url}/wp-login.php`);
        // Set, not typed: the login page focuses and selects the user field 200 ms after load,
        // which would swallow what was typed before.
        await page.evaluate(
          `document.getElementById('user_login').value = ${JSON.stringify(user)}; document.getElementById('user_pass').value = ${JSON.stringify(site.password)};`,
        );
        await Promise.all([page.waitForNavigation(), page.click('#wp-submit')]);
        assert.ok(
          (await page.cookies()).some((c) => c.name.startsWith('wordpress_logged_in_')),
          `${user} is not logged in: ${await page.$eval('#login_error', (e) => e.textContent).catch(() => 'no error shown')}`,
        );
        await page.close();
      }
    }
    return contexts[user]!.newPage();
  }

  /** Saves the settings page's form as the admin with `fields` changed; returns the page after saving. */
  async function saveSettings(fields: Record<string, string | boolean>): Promise<Page> {
    const page = await as('admin');
    await page.goto(`${site.url}/wp-admin/options-general.php?page=rtc-elements`);
    for (const [key, value] of Object.entries(fields)) {
      const selector = `[name="rtc_elements_settings[${key}]"]`;
      if (typeof value === 'boolean') {
        if ((await page.evaluate(`document.querySelector(${JSON.stringify(selector)}).checked`)) !== value) await page.click(selector);
      } else if ((await page.$eval(selector, (e) => e.localName)) === 'select') await page.select(selector, value);
      else await page.evaluate(`document.querySelector(${JSON.stringify(selector)}).value = ${JSON.stringify(value)}`);
    }
    await Promise.all([page.waitForNavigation(), page.click('#submit')]);
    return page;
  }

  before(async () => {
    assert.ok(site.url, 'RTC_WP is not set: run scripts/wordpress-test.mjs (npm run test:wordpress)');
    media = await startServer({ apps: { TokenApp: { publishTokenControlEnabled: true, playTokenControlEnabled: true } } });
    browser = await puppeteer.launch({ executablePath, headless: true, args: FLAGS });
  });
  after(async () => {
    await browser?.close();
    await media?.close();
  });

  it('php -l passes on every PHP file of the installed plugin and of the test site', T, () => {
    const files = [
      ...readdirSync(site.pluginDir, { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.php'))
        .map((f) => join(site.pluginDir, f)),
      join(root, 'test/wordpress/router.php'),
      join(root, 'test/wordpress/setup.php'),
    ];
    assert.ok(files.length >= 8, `only ${files.length} PHP files`);
    for (const file of files) {
      const r = spawnSync('php', ['-l', file], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${file}: ${r.stdout}${r.stderr}`);
    }
  });

  it('the plugin installed from the zip carries the bundle that dist/ has', T, () => {
    for (const file of ['rtc-elements.js', 'rtc-room.js'])
      assert.ok(readFileSync(join(site.pluginDir, 'dist', file)).equals(readFileSync(join(root, 'dist', file))), file);
  });

  it('the settings page shows the defaults, saves with its nonce, and refuses a post without one', T, async () => {
    const page = await as('admin');
    await page.goto(`${site.url}/wp-admin/options-general.php?page=rtc-elements`);
    const value = (key: string, p = page) => p.evaluate(`document.querySelector('[name="rtc_elements_settings[${key}]"]').value`);
    assert.equal(await value('publish_capability'), 'edit_others_posts');
    assert.equal(await page.$eval('[name="rtc_elements_settings[language]"]', (e) => e.getAttribute('placeholder')), 'en-US');
    await page.close();

    const saved = await saveSettings({ server_url: media.url.replace(/^http/, 'ws'), app_name: 'LiveApp' });
    assert.match(await saved.$eval('#setting-error-settings_updated', (e) => e.textContent ?? ''), /Settings saved/);
    assert.equal(await value('server_url', saved), media.url.replace(/^http/, 'ws'));

    // The same form without its nonce: WordPress refuses it (403) and keeps the setting.
    const status = await saved.evaluate(`(async () => {
      const form = new FormData(document.querySelector('form[action$="options.php"]'));
      if (!form.get('_wpnonce')) return 'the form has no nonce';
      form.delete('_wpnonce');
      form.set('rtc_elements_settings[server_url]', 'wss://evil.example');
      return (await fetch('options.php', { method: 'POST', body: form })).status;
    })()`);
    assert.equal(status, 403);
    await saved.reload();
    assert.equal(await value('server_url', saved), media.url.replace(/^http/, 'ws'));
    await saved.close();

    // A bad value is refused with a message, and the one saved before stays.
    const refused = await saveSettings({ server_url: 'javascript:alert(1)' });
    assert.match(await refused.$eval('#setting-error-server_url', (e) => e.textContent ?? ''), /must look like wss:/);
    assert.equal(await value('server_url', refused), media.url.replace(/^http/, 'ws'));
    await refused.close();

    // An editor has no settings page.
    const editor = await as('editor');
    const response = await editor.goto(`${site.url}/wp-admin/options-general.php?page=rtc-elements`);
    assert.equal(response?.status(), 403);
    await editor.close();
  });

  it('a publisher post (editor) goes live and a player post on the same stream (logged out) decodes frames; the bundle comes from the plugin', T, async () => {
    const publisher = await as('editor');
    await publisher.goto(postUrl('rtc-publisher'));
    await waitFor(publisher, 'the publisher live', `document.querySelector('rtc-publisher')?.getAttribute('state') === 'live'`);
    const scripts = (await publisher.evaluate(
      `[...document.querySelectorAll('script[src]')].map((s) => ({ src: s.src, type: s.getAttribute('type') }))`,
    )) as Array<{
      src: string;
      type: string | null;
    }>;
    const bundle = scripts.find((s) => s.src.includes('/rtc-elements.js'));
    assert.equal(bundle?.type, 'module', JSON.stringify(scripts));
    assert.ok(bundle?.src.startsWith(`${site.url}/wp-content/plugins/rtc-elements/dist/rtc-elements.js`), bundle?.src);
    assert.ok(
      scripts.every((s) => new URL(s.src).origin === site.url),
      `a script from another origin: ${JSON.stringify(scripts)}`,
    );

    const player = await as('anonymous');
    await player.goto(postUrl('rtc-player'));
    await waitFor(player, 'a first decoded frame', framesAtLeast(1));
    const first = (await player.evaluate(`document.querySelector('rtc-player').getStats().then((s) => s.framesDecoded)`)) as number;
    await waitFor(player, `framesDecoded rising from ${first}`, framesAtLeast(first + 10), 10_000);
    assert.equal(await player.$eval('rtc-player', (e) => e.getAttribute('lang')), 'en-US');
    await player.close();
    await publisher.close();
  });

  it('a logged-out visitor and a subscriber get no publisher, a notice instead, and no token', T, async () => {
    const html = await anonymousHtml('rtc-publisher');
    assert.doesNotMatch(html, /<rtc-publisher/);
    assert.match(html, /class="rtc-elements-notice">Log in to publish here\. <a href="[^"]*wp-login\.php/);
    assert.doesNotMatch(html, TOKEN_ATTR);
    const page = await as('subscriber');
    const response = await page.goto(postUrl('rtc-publisher'));
    const text = (await response?.text()) ?? '';
    assert.doesNotMatch(text, /<rtc-publisher/);
    assert.match(text, /You may not publish here\./);
    await page.close();
  });

  it('a room post: two visitors join and each sees the other', T, async () => {
    const [a, b] = [await as('editor'), await as('admin')];
    await Promise.all([a.goto(postUrl('rtc-room')), b.goto(postUrl('rtc-room'))]);
    for (const page of [a, b])
      await waitFor(page, 'the other participant in the room', `document.querySelector('rtc-room')?.participantIds?.length === 1`, 30_000);
    const ids = await Promise.all([a, b].map((p) => p.evaluate(`document.querySelector('rtc-room').participantIds[0]`)));
    assert.notEqual(ids[0], ids[1]);
    assert.equal(await a.$eval('rtc-room', (e) => e.getAttribute('stream-name')), 'Editor');
    await Promise.all([a.close(), b.close()]);
  });

  // Shortcode values hold markup as WordPress passes it on (a stray `>` would end the shortcode for
  // wptexturize, which then curls its quotes); a block's JSON attributes can hold anything.
  it('shortcode and block attributes holding markup are attribute text: no element made of them, no script run', T, async () => {
    const html = await anonymousHtml('rtc-hostile');
    assert.doesNotMatch(html, /<img src=x/);
    assert.doesNotMatch(html, /<script>window\.__rtcPwned/);
    const page = await as('editor');
    await page.goto(postUrl('rtc-hostile'));
    await page.waitForFunction(`customElements.get('rtc-player') && document.querySelector('rtc-player').shadowRoot && document.querySelector('rtc-room')`);
    const seen = await page.evaluate(`({
      pwned: window.__rtcPwned ?? null,
      made: document.querySelectorAll('.rtc-elements img, .rtc-elements script, .rtc-elements b, [onmouseover]').length,
      name: document.querySelector('rtc-publisher')?.getAttribute('stream-name'),
      stream: document.querySelector('rtc-player')?.getAttribute('stream-id'),
      lang: document.querySelector('rtc-player')?.getAttribute('lang'),
      roomName: document.querySelector('rtc-room')?.getAttribute('stream-name'),
      layout: document.querySelector('rtc-room')?.getAttribute('layout'),
    })`);
    assert.deepEqual(seen, {
      pwned: null,
      made: 0,
      name: '<b>bold</b><img src=x onerror=window.__rtcPwned=1>',
      stream: '<b>x</b>',
      lang: '<script>window.__rtcPwned=2</script>',
      roomName: '"><img src=x onerror=window.__rtcPwned=3>',
      layout: "' onmouseover='window.__rtcPwned=4",
    });
    await page.close();
  });

  it('the blocks render the elements with their attributes, and the editor has the blocks with a preview', T, async () => {
    const page = await as('editor');
    const response = await page.goto(postUrl('rtc-blocks'));
    const html = (await response?.text()) ?? '';
    assert.match(
      html,
      /<div class="rtc-elements rtc-elements-player wp-block-rtc-elements-player"><rtc-player server-url="ws:\/\/127\.0\.0\.1:\d+\/LiveApp\/websocket" lang="en-US" stream-id="wp-block" muted><\/rtc-player><\/div>/,
    );
    assert.match(html, /<rtc-publisher [^>]*stream-id="wp-block"/);
    await page.close();

    const editor = await as('admin');
    await editor.goto(`${site.url}/wp-admin/post-new.php`);
    await editor.waitForFunction(`window.wp?.blocks?.getBlockType('rtc-elements/player') && window.wp.blocks.getBlockType('rtc-elements/room')`, {
      timeout: 30_000,
    });
    await editor.evaluate(
      `wp.data.dispatch('core/block-editor').insertBlocks(wp.blocks.createBlock('rtc-elements/player', { stream: 'preview-me', muted: true }))`,
    );
    await editor.waitForFunction(
      `[...document.querySelectorAll('.rtc-elements-preview')].some((e) => e.textContent.includes('Stream: preview-me') && e.textContent.includes('Muted'))`,
      { timeout: 10_000 },
    );
    await editor.close();
  });

  it('with tokens required: an editor publishes and plays with minted tokens; the logged-out visitor gets neither element nor token', T, async () => {
    const saved = await saveSettings({ app_name: 'TokenApp', publish_tokens: true, play_tokens: true, play_capability: 'read' });
    await saved.close();
    try {
      const publisher = await as('editor');
      const response = await publisher.goto(postUrl('rtc-publisher'));
      assert.match((await response?.text()) ?? '', /<rtc-publisher [^>]*token="[0-9a-f]{32}"/);
      await waitFor(publisher, 'the publisher live with its minted token', `document.querySelector('rtc-publisher')?.getAttribute('state') === 'live'`);
      // The element took the token out of the DOM.
      assert.equal(await publisher.$eval('rtc-publisher', (e) => e.hasAttribute('token')), false);

      const player = await as('editor');
      const played = await player.goto(postUrl('rtc-player'));
      assert.match((await played?.text()) ?? '', /<rtc-player [^>]*token="[0-9a-f]{32}"/);
      await waitFor(player, 'a first decoded frame with a minted play token', framesAtLeast(1));

      for (const slug of ['rtc-publisher', 'rtc-player', 'rtc-room']) {
        const html = await anonymousHtml(slug);
        assert.doesNotMatch(html, TOKEN_ATTR, slug);
        assert.doesNotMatch(html, /<rtc-(publisher|player|room)/, slug);
      }
      await Promise.all([player.close(), publisher.close()]);

      // Everyone may watch: a logged-out visitor's player gets a token, the feed none (and no element).
      await (await saveSettings({ play_capability: '' })).close();
      assert.match(await anonymousHtml('rtc-player'), /<rtc-player [^>]*token="[0-9a-f]{32}"/);
      const feed = await (await fetch(`${site.url}/?feed=rss2`)).text();
      assert.match(feed, /rtc-player/); // the feed has the posts…
      assert.doesNotMatch(feed, /&lt;rtc-(player|publisher|room)|<rtc-(player|publisher|room)/); // …but not the elements
      assert.doesNotMatch(feed, /token=/);
    } finally {
      await (await saveSettings({ app_name: 'LiveApp', publish_tokens: false, play_tokens: false, play_capability: '' })).close();
    }
  });

  it('deleting the plugin removes its option (uninstall.php)', T, async () => {
    await (await saveSettings({ app_name: 'LiveApp' })).close();
    const r = spawnSync('php', [join(root, 'test/wordpress/setup.php'), 'uninstall'], { env: { ...process.env, ...site.phpEnv }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))), { before: true, after: false });
  });
});
