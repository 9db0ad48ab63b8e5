// The one tag from another origin, as a site embeds it: this page (the test runner's origin) loads
// the built dist/rtc-elements.js from the embedded server (another origin: module scripts are
// fetched with CORS), and every element comes from that one file. The room's chunk is fetched
// beside it, from the server, only when the first <rtc-room> connects; the player's controls when
// the first <rtc-player> does.
import { expect, oneEvent } from '@open-wc/testing';
import type { RtcRoom } from '../../../src/elements/rtc-room/rtc-room.js';
import { poll, uniqueStreamId } from '../../helpers/ams-client.js';

const server = (window as unknown as { __RTC_SERVER__: { http: string; ws: string } }).__RTC_SERVER__;
const TAGS = ['rtc-publisher', 'rtc-player', 'rtc-room', 'rtc-error-overlay'];

/** The files this page fetched from the embedded server's /dist/, in order. */
const fetchedFromServer = (): string[] =>
  performance
    .getEntriesByType('resource')
    .map((e) => new URL(e.name))
    .filter((u) => u.origin === server.http && u.pathname.startsWith('/dist/'))
    .map((u) => u.pathname);

describe('dist/rtc-elements.js loaded from another origin', () => {
  it('is another origin than this page (the check below is a cross-origin module load)', () => {
    expect(new URL(server.http).origin).not.to.equal(location.origin);
  });

  it('defines all four tags from one file, and fetches nothing else before a <rtc-room>', async () => {
    for (const tag of TAGS) expect(customElements.get(tag), `${tag} before the import`).to.equal(undefined);
    const bundle = (await import(/* @vite-ignore */ `${server.http}/dist/rtc-elements.js`)) as Record<string, unknown>;
    for (const tag of TAGS) expect(customElements.get(tag), tag).to.be.a('function');
    expect(customElements.get('rtc-room')).to.equal(bundle.RtcRoom);
    expect(fetchedFromServer()).to.deep.equal(['/dist/rtc-elements.js']);
    // A player fetches its full controls from beside the bundle (a chunk of their own, not the room's).
    const player = document.createElement('rtc-player');
    document.body.append(player);
    await poll(() => player.shadowRoot!.querySelector('[part~="stats-button"]') ?? undefined, 5000, "the player's full controls");
    expect(fetchedFromServer()).to.deep.equal(['/dist/rtc-elements.js', '/dist/player-controls.js', '/dist/stats-panel.js']);
    player.remove();
  });

  it('a <rtc-room> added later fetches the room chunk from beside the bundle, and joins', async () => {
    const room = document.createElement('rtc-room') as RtcRoom;
    room.setAttribute('server-url', server.ws);
    room.setAttribute('room-id', uniqueStreamId('xo-room'));
    room.setAttribute('stream-name', 'Cross origin');
    const published = oneEvent(room, 'rtc-publish-started');
    document.body.append(room);
    await room.updateComplete;
    // The room's chunk and the device check it imports, beside the player's controls (each imports the entry alone, as test/server/bundle-size.test.ts holds); no language table (the page is in English).
    expect([...fetchedFromServer()].sort()).to.deep.equal([
      '/dist/device-check.js',
      '/dist/player-controls.js',
      '/dist/rtc-elements.js',
      '/dist/rtc-room.js',
      '/dist/stats-panel.js',
    ]);
    // Rendered by the chunk: the grid with the own tile.
    expect(room.shadowRoot!.querySelector('[part~="local-tile"]'), 'the own tile').not.to.equal(null);
    // The minified icons keep their shapes side by side: the microphone is a capsule and a stand (a
    // <rect/> that lost its closing slash would swallow the <path> after it, which then never draws).
    await poll(() => room.shadowRoot!.querySelector('[part~="mic-button"] svg') ?? undefined, 5000, 'the microphone button');
    const mic = room.shadowRoot!.querySelector('[part~="mic-button"] svg')!;
    expect([...mic.children].map((c) => c.localName)).to.deep.equal(['rect', 'path']);
    void room.join();
    await published;
    await poll(() => room.getAttribute('state') === 'live', 10_000, 'the room joined');
    await room.leave();
    room.remove();
  });
});
