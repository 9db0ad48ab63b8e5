// The room demo's logic (no inline script: the page runs under a strict Content-Security-Policy
// with Trusted Types). Points <rtc-room> at this server, applies the form (room, mode),
// shows errors, and logs every rtc-* event as it fires (event-log.js).
import { AMS_CALLBACKS, OWN_EVENTS, domName, mountEventLog, serverUrl } from './event-log.js';

/** Events of <rtc-room> that are not AMS callbacks. */
const ROOM_EVENTS = ['rtc-participant-joined', 'rtc-participant-left', 'rtc-stop'];

const $ = (id) => document.getElementById(id);
const room = $('room');
const form = $('settings');
const status = $('status');

// --- the event log, listening before the bundle runs (stats and pongs hidden at first: two connections make many)
const log = mountEventLog($('events'), { quiet: true });
for (const name of [...AMS_CALLBACKS.map(domName), ...OWN_EVENTS, ...ROOM_EVENTS]) log.listen(name);

// --- settings: the form sets the room and the mode, read by the element at its next join (its
// own device check has the name and the Join button). No stream-id: the element makes one per
// page, so two tabs are two participants.
room.setAttribute('stream-name', `Guest ${Math.floor(100 + Math.random() * 900)}`);

function apply() {
  if (!form.checkValidity()) return;
  room.setAttribute('room-id', $('room-id').value);
  room.setAttribute('mode', $('mode').value);
}

// Before the bundle upgrades the element (it is the next module script), so it starts configured.
$('server-url').textContent = serverUrl;
room.setAttribute('server-url', serverUrl);
apply();
form.addEventListener('change', apply);
form.addEventListener('submit', (event) => event.preventDefault());

const reason = (error) => (error && typeof error === 'object' && 'code' in error ? error.code : error instanceof Error ? error.message : String(error));
room.addEventListener('rtc-error', (event) => {
  status.textContent = `Error: ${reason(event.detail)}`;
});
room.addEventListener('rtc-state-change', (event) => {
  if (event.detail.state === 'live') status.textContent = '';
});

// --- the bundle: it is evaluated by the script tag above; importing it again gives its exports.
try {
  await import('/dist/rtc-elements.js');
  if (!customElements.get('rtc-room')) status.textContent = 'This build of /dist/rtc-elements.js does not define <rtc-room>.';
} catch (error) {
  status.textContent = `Could not load /dist/rtc-elements.js (${error instanceof Error ? error.message : String(error)}). Run npm run build.`;
}
