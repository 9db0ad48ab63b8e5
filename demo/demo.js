// The demo's logic (no inline script: the page runs under a strict Content-Security-Policy with
// Trusted Types). Points both elements at this server, keeps their stream id in step with the
// input, and logs every rtc-* event as it fires, newest first, as text only.
const LOG_LIMIT = 200;
const DETAIL_LIMIT = 400;

/**
 * Every AMS callback of the reference (info events and server notifications) plus our own events:
 * listened to before the bundle runs. The bundle's exported table adds its names (`namesFromBundle`).
 */
const AMS_CALLBACKS = [
  'initialized', 'closed', 'pong', 'ice_connection_state_changed', 'reconnection_attempt_for_publisher',
  'reconnection_attempt_for_player', 'newTrackAvailable', 'newStreamAvailable', 'data_channel_opened',
  'data_channel_closed', 'data_received', 'updated_stats', 'gotSoundList', 'available_devices',
  'browser_screen_share_supported', 'screen_share_stopped', 'speaking_but_muted', 'audio_only_fallback',
  'publish_started', 'publish_finished', 'play_started', 'play_finished', 'session_restored', 'joined', 'leaved',
  'joinedTheRoom', 'leavedFromRoom', 'bitrateMeasurement', 'resolutionChangeInfo', 'server_will_stop',
  'streaming_started', 'streaming_starts_soon', 'subtrackAdded', 'subtrackRemoved', 'subtrackList', 'subtrackCount',
  'subscriberCount', 'subscriberList', 'broadcastObject', 'videoTrackAssignmentList', 'debugInfo',
  'streamInformation', 'roomInformation', 'trackList', 'peerMessageCommand',
];
const OWN_EVENTS = ['rtc-error', 'rtc-state-change', 'rtc-retry'];

/** `publish_started` → `rtc-publish-started`, `newTrackAvailable` → `rtc-new-track-available`. */
const domName = (ams) => `rtc-${ams.replace(/_/g, '-').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;

const $ = (id) => document.getElementById(id);
const publisher = $('publisher');
const player = $('player');
const log = $('log');
const hideStats = $('hide-stats');
const serverUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/LiveApp/websocket`;

// Before the bundle upgrades the elements (it is the next module script), so they start configured.
$('server-url').textContent = serverUrl;
for (const el of [publisher, player]) el.setAttribute('server-url', serverUrl);

// --- the event log
const listening = new Set();
let count = 0;

function listen(name) {
  if (listening.has(name)) return;
  listening.add(name);
  document.addEventListener(name, record, true);
}

/** JSON of an event detail, one line, without media objects or cycles. */
function summarize(detail) {
  const seen = new WeakSet();
  let text;
  try {
    text = JSON.stringify(detail, (_key, value) => {
      if (typeof value === 'bigint') return String(value);
      if (typeof value !== 'object' || value === null) return value;
      if (seen.has(value)) return '[circular]';
      seen.add(value);
      const kind = Object.getPrototypeOf(value)?.constructor?.name;
      return kind && kind !== 'Object' && kind !== 'Array' ? `[${kind}]` : value;
    });
  } catch {
    text = String(detail);
  }
  text ??= '';
  return text.length > DETAIL_LIMIT ? `${text.slice(0, DETAIL_LIMIT - 1)}…` : text;
}

const detailOf = (event) =>
  event instanceof SecurityPolicyViolationEvent
    ? summarize({ directive: event.effectiveDirective, blocked: event.blockedURI, sample: event.sample })
    : event instanceof CustomEvent
      ? summarize(event.detail)
      : '';

const span = (className, text) => {
  const s = document.createElement('span');
  s.className = className;
  s.textContent = text;
  return s;
};

function record(event) {
  if (hideStats.checked && event.type === 'rtc-updated-stats') return;
  // At the document, target is the outermost element (retargeted out of shadow roots).
  const source = event.target;
  const from = source instanceof Element ? source.id || source.localName : 'document';
  const item = document.createElement('li');
  item.append(
    span('log__time', new Date().toISOString().slice(11, 23)),
    ' ',
    span(`log__name${event.type === 'rtc-error' || event.type === 'securitypolicyviolation' ? ' log__name--error' : ''}`, event.type),
    ' ',
    span('log__source', from),
    ' ',
    span('log__detail', detailOf(event)),
  );
  log.prepend(item);
  while (log.childElementCount > LOG_LIMIT) log.lastElementChild.remove();
  $('log-count').textContent = `(${++count})`;
}

for (const name of [...AMS_CALLBACKS.map(domName), ...OWN_EVENTS]) listen(name);
// A blocked resource shows up in the log too (the page's policy is strict on purpose).
listen('securitypolicyviolation');

$('clear-log').addEventListener('click', () => {
  log.replaceChildren();
  count = 0;
  $('log-count').textContent = '';
});

// --- stream id
$('settings').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('stream-id');
  if (!input.checkValidity()) return;
  for (const el of [publisher, player]) el.setAttribute('stream-id', input.value);
});

// --- the bundle: it is evaluated by the script tag above; importing it again gives its exports.
/** The bundle's own names: `RTC_EVENTS` (AMS name → DOM type, src/events/names.ts), `RTC_ERROR`, `RTC_STATE_CHANGE`. */
const namesFromBundle = (bundle) =>
  [...Object.values(bundle.RTC_EVENTS ?? {}), bundle.RTC_ERROR, bundle.RTC_STATE_CHANGE].filter((n) => typeof n === 'string' && n.startsWith('rtc-'));

try {
  const bundle = await import('/dist/rtc-elements.js');
  for (const name of namesFromBundle(bundle)) listen(name);
  const missing = ['rtc-publisher', 'rtc-player'].filter((tag) => !customElements.get(tag));
  if (missing.length > 0) $('status').textContent = `This build of /dist/rtc-elements.js does not define ${missing.map((t) => `<${t}>`).join(' or ')}.`;
} catch (error) {
  $('status').textContent = `Could not load /dist/rtc-elements.js (${error instanceof Error ? error.message : String(error)}). Run npm run build.`;
}
