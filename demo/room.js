// The room demo's logic (no inline script: the page runs under a strict Content-Security-Policy
// with Trusted Types). Points <rtc-room> at this server, applies the form (room, name, mode) and
// joins or leaves, and logs every rtc-* event as it fires (event-log.js).
import { AMS_CALLBACKS, OWN_EVENTS, domName, mountEventLog, serverUrl } from './event-log.js';

/** Events of <rtc-room> that are not AMS callbacks. */
const ROOM_EVENTS = ['rtc-participant-joined', 'rtc-participant-left', 'rtc-stop'];
/** States in which the room is neither joined nor joining (SessionState, src/core/session/types.ts). */
const IDLE_STATES = new Set(['idle', 'stopped', 'failed']);

const $ = (id) => document.getElementById(id);
const room = $('room');
const form = $('settings');
const status = $('status');

// --- the event log, listening before the bundle runs (stats and pongs hidden at first: two connections make many)
const log = mountEventLog($('events'), { quiet: true });
for (const name of [...AMS_CALLBACKS.map(domName), ...OWN_EVENTS, ...ROOM_EVENTS]) log.listen(name);

// --- settings: the form is the source of truth; the element reads its attributes on join.
// No stream-id: the element makes one per page, so two tabs are two participants.
const nameInput = $('name');
if (!nameInput.value) nameInput.value = `Guest ${Math.floor(100 + Math.random() * 900)}`;

function apply() {
  room.setAttribute('room-id', $('room-id').value);
  room.setAttribute('stream-name', nameInput.value.trim());
  room.setAttribute('mode', $('mode').value);
}

// Before the bundle upgrades the element (it is the next module script), so it starts configured.
$('server-url').textContent = serverUrl;
room.setAttribute('server-url', serverUrl);
apply();

const reason = (error) => (error && typeof error === 'object' && 'code' in error ? error.code : error instanceof Error ? error.message : String(error));

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!form.checkValidity()) return;
  status.textContent = '';
  try {
    // New settings take effect on a fresh join.
    if (!IDLE_STATES.has(room.state)) await room.leave();
    apply();
    await room.join();
  } catch (error) {
    status.textContent = `Could not join: ${reason(error)}`;
  }
});

$('leave').addEventListener('click', () => {
  status.textContent = '';
  room.leave().catch((error) => {
    status.textContent = `Could not leave: ${reason(error)}`;
  });
});

// --- the bundle: it is evaluated by the script tag above; importing it again gives its exports.
try {
  await import('/dist/rtc-elements.js');
  if (!customElements.get('rtc-room')) status.textContent = 'This build of /dist/rtc-elements.js does not define <rtc-room>.';
} catch (error) {
  status.textContent = `Could not load /dist/rtc-elements.js (${error instanceof Error ? error.message : String(error)}). Run npm run build.`;
}
