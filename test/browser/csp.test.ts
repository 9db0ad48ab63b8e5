import { expect } from '@open-wc/testing';

/** What demo/csp-check.js posts back. */
interface CspCheck {
  type: 'rtc-csp-check';
  ok: boolean;
  error?: string;
  bundle?: string;
  exports?: number;
  /** Bundle check: the /dist/ files the page fetched after importing the bundle, and after creating the elements. */
  fetchedBefore?: string[];
  fetchedAfter?: string[];
  /** `?stats`: the SVG plots in the players' stats panels. */
  statsPlots?: number;
  elements?: Array<{ tag: string; registered: boolean; upgraded?: boolean; rendered?: boolean; styled?: boolean; attributes?: Record<string, string> }>;
  demoPolicy?: string | null;
  roomPolicy?: string | null;
  ownPolicy?: string | null;
  /** Page check (`?page=`): the page's own policy, its status line, its nav link and the violations its event log shows. */
  page?: string;
  pagePolicy?: string | null;
  status?: string | null;
  navLink?: string | null;
  logged?: string[];
  violations: Array<{ directive: string; blocked: string; sample: string; source: string }>;
}

interface Manifest {
  modules: Array<{ declarations?: Array<{ customElement?: boolean; tagName?: string }> }>;
}

const server = (window as unknown as { __RTC_SERVER__: { http: string; ws: string } }).__RTC_SERVER__;

/** Opens demo/csp-check.html from the embedded server in an iframe and waits for its report. */
async function runCheck(query = ''): Promise<CspCheck> {
  const frame = document.createElement('iframe');
  const report = new Promise<CspCheck>((resolve) => {
    const onMessage = (e: MessageEvent): void => {
      if (e.source !== frame.contentWindow || (e.data as CspCheck | undefined)?.type !== 'rtc-csp-check') return;
      window.removeEventListener('message', onMessage);
      resolve(e.data as CspCheck);
    };
    window.addEventListener('message', onMessage);
  });
  frame.src = `${server.http}/csp-check.html${query}`;
  document.body.append(frame);
  try {
    return await report;
  } finally {
    frame.remove();
  }
}

/** Every tag custom-elements.json documents: the one bundle must ship each of them. */
async function documentedTags(): Promise<string[]> {
  const manifest = (await (await fetch('/custom-elements.json')).json()) as Manifest;
  return manifest.modules
    .flatMap((m) => m.declarations ?? [])
    .filter((d) => d.customElement && d.tagName)
    .map((d) => d.tagName!)
    .sort();
}

describe('the bundle under a strict Content-Security-Policy', () => {
  it("is checked under the demo page's own policy, which is strict", async () => {
    const result = await runCheck();
    expect(result.error).to.equal(undefined);
    expect(result.ownPolicy).to.be.a('string');
    expect(result.ownPolicy).to.equal(result.demoPolicy);
    expect(result.roomPolicy, 'demo/room.html').to.equal(result.demoPolicy);
    const policy = result.ownPolicy!;
    expect(policy).to.contain("script-src 'self'");
    expect(policy).to.contain("require-trusted-types-for 'script'");
    expect(policy).not.to.match(/unsafe-(inline|eval|hashes)/);
  });

  it('sees a violation when there is one (Trusted Types enforced)', async () => {
    const result = await runCheck('?probe');
    expect(result.violations.map((v) => v.directive)).to.include('require-trusted-types-for');
  });

  it('upgrades and renders every element with no violation', async () => {
    const tags = await documentedTags();
    expect(tags).to.include('rtc-error-overlay');
    const result = await runCheck(`?tags=${tags.join(',')}`);
    expect(result.ok, result.error).to.equal(true);
    expect(result.violations).to.deep.equal([]);
    expect(result.elements!.map((e) => e.tag)).to.deep.equal(tags);
    for (const e of result.elements!) {
      expect(e, `<${e.tag}> in dist/rtc-elements.js`).to.deep.equal({ tag: e.tag, registered: true, upgraded: true, rendered: true, styled: true });
    }
  });
});

/** What a bundle check reports for an element that upgraded, rendered and got its styles. */
const working = (tag: string): object => ({ tag, registered: true, upgraded: true, rendered: true, styled: true });

describe("dist/rtc-elements.js's lazy chunks under a strict Content-Security-Policy", () => {
  it('registers all four tags; the room chunk is fetched only with the first <rtc-room>, and renders with no violation', async () => {
    const noRoom = await runCheck('?tags=rtc-publisher,rtc-player,rtc-error-overlay');
    expect(noRoom.ok, noRoom.error).to.equal(true);
    expect(noRoom.violations).to.deep.equal([]);
    expect(noRoom.fetchedBefore).to.deep.equal(['/dist/rtc-elements.js']);
    // A player fetches its full controls, a publisher its device check (chunks of their own, each waited for), never the room's chunk.
    expect([...noRoom.fetchedAfter!].sort(), 'a page without a room').to.deep.equal([
      '/dist/device-check.js',
      '/dist/player-controls.js',
      '/dist/rtc-elements.js',
      '/dist/stats-panel.js',
    ]);
    const withRoom = await runCheck('?tags=rtc-room');
    expect(withRoom.ok, withRoom.error).to.equal(true);
    expect(withRoom.violations).to.deep.equal([]);
    expect(withRoom.fetchedBefore).to.deep.equal(['/dist/rtc-elements.js']);
    // The room's chunk and the device check it imports (the languages' code is in the bundle; no table: the page is in English).
    expect([...withRoom.fetchedAfter!].sort()).to.deep.equal(['/dist/device-check.js', '/dist/rtc-elements.js', '/dist/rtc-room.js']);
    expect(withRoom.elements).to.deep.equal([working('rtc-room')]);
  });

  it("the player's controls chunk and its stats panel (inline SVG plots) render with no violation", async () => {
    const result = await runCheck('?tags=rtc-player&stats');
    expect(result.ok, result.error).to.equal(true);
    expect(result.violations).to.deep.equal([]);
    expect([...result.fetchedAfter!].sort()).to.deep.equal(['/dist/player-controls.js', '/dist/rtc-elements.js', '/dist/stats-panel.js']);
    expect(result.statsPlots, 'one plot per figure').to.equal(5);
  });

  it('sees a violation when there is one', async () => {
    const result = await runCheck('?tags=rtc-room&probe');
    expect(result.ok, result.error).to.equal(true);
    expect(result.violations.map((v) => v.directive)).to.include('require-trusted-types-for');
  });
});

describe('demo/room.html from the embedded server', () => {
  it('loads under the demo policy: <rtc-room> defined, rendered and configured, no violation', async () => {
    const result = await runCheck('?page=room.html');
    expect(result.ok, result.error).to.equal(true);
    expect(result.pagePolicy).to.be.a('string');
    expect(result.pagePolicy).to.equal(result.demoPolicy);
    expect(result.violations).to.deep.equal([]);
    expect(result.logged).to.deep.equal([]);
    expect(result.status).to.equal('');
    const [room, ...others] = result.elements!;
    expect(others).to.deep.equal([]);
    const { attributes, ...state } = room!;
    expect(state).to.deep.equal(working('rtc-room'));
    expect(attributes!['server-url']).to.equal(server.ws);
    expect(attributes!['room-id']).to.equal('demo-room');
    expect(attributes!.mode).to.equal('multitrack');
    expect(attributes!['stream-name']).to.match(/^Guest \d{3}$/);
    // No stream id in the page: each tab's element makes its own, so two tabs are two participants.
    expect(attributes).not.to.have.property('stream-id');
    expect(result.navLink).to.equal('/');
  });

  it('shows a violation in its event log when there is one', async () => {
    const result = await runCheck('?page=room.html&probe');
    expect(result.ok, result.error).to.equal(true);
    expect(result.logged).to.have.length(1);
    expect(result.logged![0]).to.contain('require-trusted-types-for');
  });

  it('is linked from the index page', async () => {
    const result = await runCheck('?page=index.html');
    expect(result.ok, result.error).to.equal(true);
    expect(result.navLink).to.equal('/room.html');
    expect(result.logged).to.deep.equal([]);
    expect(result.elements!.map((e) => e.tag)).to.deep.equal(['rtc-publisher', 'rtc-player']);
  });
});
