// Loaded by test/browser/csp.test.ts in an iframe, under the demo's strict Content-Security-Policy
// (Trusted Types enforced). Posts to the parent what it found, and every policy violation.
//
// Bundle check (default): loads a bundle, creates every element it registers and reports what
// upgraded and what rendered, and which files of /dist/ the page fetched before and after the
// elements were created (the room's chunk comes only with a <rtc-room>); `?tags=a,b` names the
// tags to check (default: the four below); `?stats` opens the players' stats panels.
//
// Page check: `?page=room.html` opens that demo page (same origin) in a frame of its own and
// reports its rtc-* elements (upgraded, rendered, attributes), its nav link and the violations
// its own event log shows.
//
// `?probe` also does one forbidden thing (a string to innerHTML; in the page, with `page`) to
// prove violations are seen.
const violations = [];
const watch = (doc) =>
  new Promise((resolve) => {
    doc.addEventListener('securitypolicyviolation', (e) => {
      violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample, source: `${e.sourceFile}:${e.lineNumber}` });
      resolve();
    });
  });
const seen = watch(document);
const report = (result) => parent.postMessage({ type: 'rtc-csp-check', ...result, violations }, '*');
const policyOf = (html) => html.match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)?.[1] ?? null;
const policyAt = async (path) => policyOf(await (await fetch(path)).text());
/** Lets queued violation reports (tasks) and a render frame run. */
const settle = (win = window) => new Promise((resolve) => win.requestAnimationFrame(() => win.setTimeout(resolve, 0)));
/** A string to innerHTML: Trusted Types refuses it; the violation event is what the test looks for. */
function probe(doc) {
  try {
    doc.createElement('div').innerHTML = '<b>probe</b>';
  } catch {
    // Expected.
  }
}

const BUNDLES = { 'rtc-elements': '/dist/rtc-elements.js' };
const params = new URLSearchParams(location.search);
const TAGS = params.get('tags')?.split(',').filter(Boolean) ?? ['rtc-publisher', 'rtc-player', 'rtc-room', 'rtc-error-overlay'];
const serverUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/LiveApp/websocket`;

/** What upgraded and rendered of `el` (an element of the realm of `win`). */
async function inspect(win, tag, el) {
  const Class = win.customElements.get(tag);
  if (!Class) return { tag, registered: false };
  await el.updateComplete;
  const root = el.shadowRoot;
  return {
    tag,
    registered: true,
    upgraded: el instanceof Class,
    rendered: root !== null && root.childElementCount > 0,
    styled: root !== null && root.adoptedStyleSheets.length + root.querySelectorAll('style').length > 0,
  };
}

async function checkBundle() {
  const name = params.get('bundle') ?? 'rtc-elements';
  const path = BUNDLES[name];
  if (!path) throw new Error(`unknown bundle ${name}`);
  const [demoPolicy, roomPolicy] = [await policyAt('/'), await policyAt('/room.html')];
  const bundle = await import(path);
  const fetched = () =>
    performance
      .getEntriesByType('resource')
      .map((e) => new URL(e.name).pathname)
      .filter((p) => p.startsWith('/dist/'));
  const fetchedBefore = fetched();
  const elements = [];
  for (const tag of TAGS) {
    if (!customElements.get(tag)) {
      elements.push({ tag, registered: false });
      continue;
    }
    const el = document.createElement(tag);
    if (tag === 'rtc-error-overlay') {
      el.retryable = true;
      el.error = { code: 'WebSocketNotConnected', message: '', recoverable: true };
    } else {
      el.setAttribute('server-url', serverUrl);
      el.setAttribute('stream-id', 'csp-check');
    }
    document.body.append(el);
    elements.push(await inspect(window, tag, el));
  }
  if (params.has('probe')) {
    probe(document);
    await seen;
  }
  await settle();
  // A player fetches its full controls when connected, a publisher its device check: wait for them, so the list of fetched files is complete.
  const players = [...document.querySelectorAll('rtc-player')];
  const publishers = [...document.querySelectorAll('rtc-publisher')];
  const pending = () =>
    players.some((p) => !p.shadowRoot.querySelector('[part~=stats-button]')) || publishers.some((p) => !p.shadowRoot.querySelector('[part~=device-check]'));
  for (let i = 0; i < 100 && pending(); i++) await settle();
  // `?stats`: the players' stats panel, drawn as inline SVG, and their full controls (a chunk).
  let statsPlots;
  if (params.has('stats')) {
    for (const p of players) p.setAttribute('stats', '');
    const plots = () => players.reduce((n, p) => n + p.shadowRoot.querySelectorAll('[part~=stats-panel] svg').length, 0);
    for (let i = 0; i < 100 && !plots(); i++) await settle();
    statsPlots = plots();
  }
  return { bundle: name, exports: Object.keys(bundle).length, elements, demoPolicy, roomPolicy, fetchedBefore, fetchedAfter: fetched(), statsPlots };
}

async function checkPage(page) {
  if (!/^[a-z-]+\.html$/.test(page)) throw new Error(`not a demo page: ${page}`);
  const frame = document.createElement('iframe');
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  frame.src = `/${page}`;
  document.body.append(frame);
  // The load event comes after the page's module scripts ran (the bundle among them).
  await loaded;
  const win = frame.contentWindow;
  const doc = frame.contentDocument;
  // Earlier violations are in the page's own log (it listens before the bundle runs); later ones here too.
  const late = watch(doc);
  const elements = [];
  for (const el of doc.querySelectorAll('*')) {
    if (!el.localName.startsWith('rtc-')) continue;
    const attributes = Object.fromEntries([...el.attributes].map((a) => [a.name, a.value]));
    elements.push({ ...(await inspect(win, el.localName, el)), attributes });
  }
  if (params.has('probe')) {
    probe(doc);
    await late;
  }
  await settle(win);
  const logged = [...doc.querySelectorAll('#log .log__name')]
    .filter((n) => n.textContent === 'securitypolicyviolation')
    .map((n) => n.parentElement.querySelector('.log__detail')?.textContent ?? '');
  const nav = doc.querySelector('nav a');
  return {
    page,
    pagePolicy: doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? null,
    demoPolicy: await policyAt('/'),
    elements,
    status: doc.getElementById('status')?.textContent ?? null,
    navLink: nav ? new URL(nav.getAttribute('href'), doc.baseURI).pathname : null,
    logged,
  };
}

try {
  const ownPolicy = document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? null;
  const page = params.get('page');
  const result = page ? await checkPage(page) : await checkBundle();
  report({ ok: true, ownPolicy, ...result });
} catch (error) {
  await settle();
  report({ ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
}
