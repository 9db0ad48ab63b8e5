// Loaded by test/browser/csp.test.ts in an iframe: loads the bundle under the demo's strict
// Content-Security-Policy (Trusted Types enforced), creates every element the bundle registers,
// and posts to the parent what upgraded, what rendered, and every policy violation.
// `?tags=a,b` names the tags to check (default: the four below); `?probe` also does one forbidden
// thing (a string to innerHTML) to prove violations are seen.
const violations = [];
const seen = new Promise((resolve) => {
  document.addEventListener('securitypolicyviolation', (e) => {
    violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample, source: `${e.sourceFile}:${e.lineNumber}` });
    resolve();
  });
});
const report = (result) => parent.postMessage({ type: 'rtc-csp-check', ...result, violations }, '*');
const policyOf = (html) => html.match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)?.[1] ?? null;
/** Lets queued violation reports (tasks) and a render frame run. */
const settle = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

const params = new URLSearchParams(location.search);
const TAGS = params.get('tags')?.split(',').filter(Boolean) ?? ['rtc-publisher', 'rtc-player', 'rtc-room', 'rtc-error-overlay'];
const serverUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/LiveApp/websocket`;

try {
  const demoPolicy = policyOf(await (await fetch('/')).text());
  const ownPolicy = document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? null;
  const bundle = await import('/dist/rtc-elements.js');
  const elements = [];
  for (const tag of TAGS) {
    const Class = customElements.get(tag);
    if (!Class) {
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
    await el.updateComplete;
    const root = el.shadowRoot;
    elements.push({
      tag,
      registered: true,
      upgraded: el instanceof Class,
      rendered: root !== null && root.childElementCount > 0,
      styled: root !== null && root.adoptedStyleSheets.length + root.querySelectorAll('style').length > 0,
    });
  }
  if (params.has('probe')) {
    try {
      document.createElement('div').innerHTML = '<b>probe</b>';
    } catch {
      // Trusted Types refuses the string; the violation event is what the test looks for.
    }
    await seen;
  }
  await settle();
  report({ ok: true, exports: Object.keys(bundle).length, elements, demoPolicy, ownPolicy });
} catch (error) {
  await settle();
  report({ ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
}
