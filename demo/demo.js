// The demo's logic (no inline script: the page runs under a strict Content-Security-Policy with
// Trusted Types). Points both elements at this server, keeps their stream id in step with the
// input, and logs every rtc-* event as it fires (event-log.js).
import { AMS_CALLBACKS, OWN_EVENTS, domName, mountEventLog, namesFromBundle, serverUrl } from './event-log.js';

const $ = (id) => document.getElementById(id);
const publisher = $('publisher');
const player = $('player');

// Before the bundle upgrades the elements (it is the next module script), so they start configured.
$('server-url').textContent = serverUrl;
for (const el of [publisher, player]) el.setAttribute('server-url', serverUrl);

// --- the event log
const log = mountEventLog($('events'));
for (const name of [...AMS_CALLBACKS.map(domName), ...OWN_EVENTS]) log.listen(name);

// --- stream id
$('settings').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('stream-id');
  if (!input.checkValidity()) return;
  for (const el of [publisher, player]) el.setAttribute('stream-id', input.value);
});

// --- the bundle: it is evaluated by the script tag above; importing it again gives its exports.
try {
  const bundle = await import('/dist/rtc-elements.js');
  for (const name of namesFromBundle(bundle)) log.listen(name);
  const missing = ['rtc-publisher', 'rtc-player'].filter((tag) => !customElements.get(tag));
  if (missing.length > 0) $('status').textContent = `This build of /dist/rtc-elements.js does not define ${missing.map((t) => `<${t}>`).join(' or ')}.`;
} catch (error) {
  $('status').textContent = `Could not load /dist/rtc-elements.js (${error instanceof Error ? error.message : String(error)}). Run npm run build.`;
}
