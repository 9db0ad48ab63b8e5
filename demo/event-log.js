// The demo pages' event log (index.html and room.html): every rtc-* event as it fires, newest
// first, as text only (never innerHTML: the pages run under a strict Content-Security-Policy with
// Trusted Types), and every CSP violation too.
const LOG_LIMIT = 200;
const DETAIL_LIMIT = 400;
/** Events that come every second or so: the log can hide them. */
const NOISY = new Set(['rtc-updated-stats', 'rtc-pong', 'rtc-got-sound-list']);

/**
 * Every AMS callback of the reference (info events and server notifications) plus our own events:
 * listened to before the bundle runs. The drop-in bundle's exported table adds its names (`namesFromBundle`).
 */
export const AMS_CALLBACKS = [
  'initialized',
  'closed',
  'pong',
  'ice_connection_state_changed',
  'reconnection_attempt_for_publisher',
  'reconnection_attempt_for_player',
  'newTrackAvailable',
  'newStreamAvailable',
  'data_channel_opened',
  'data_channel_closed',
  'data_received',
  'updated_stats',
  'gotSoundList',
  'available_devices',
  'browser_screen_share_supported',
  'screen_share_stopped',
  'speaking_but_muted',
  'audio_only_fallback',
  'publish_started',
  'publish_finished',
  'play_started',
  'play_finished',
  'session_restored',
  'joined',
  'leaved',
  'joinedTheRoom',
  'leavedFromRoom',
  'bitrateMeasurement',
  'resolutionChangeInfo',
  'server_will_stop',
  'streaming_started',
  'streaming_starts_soon',
  'subtrackAdded',
  'subtrackRemoved',
  'subtrackList',
  'subtrackCount',
  'subscriberCount',
  'subscriberList',
  'broadcastObject',
  'videoTrackAssignmentList',
  'debugInfo',
  'streamInformation',
  'roomInformation',
  'trackList',
  'peerMessageCommand',
];
export const OWN_EVENTS = ['rtc-error', 'rtc-state-change', 'rtc-retry'];

/** `publish_started` → `rtc-publish-started`, `newTrackAvailable` → `rtc-new-track-available`. */
export const domName = (ams) =>
  `rtc-${ams
    .replace(/_/g, '-')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()}`;

/** The embedded server's AMS WebSocket: the one that served this page. */
export const serverUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/LiveApp/websocket`;

/** The drop-in bundle's own names: `RTC_EVENTS` (AMS name → DOM type, src/events/names.ts), `RTC_ERROR`, `RTC_STATE_CHANGE`. */
export const namesFromBundle = (bundle) =>
  [...Object.values(bundle.RTC_EVENTS ?? {}), bundle.RTC_ERROR, bundle.RTC_STATE_CHANGE].filter((n) => typeof n === 'string' && n.startsWith('rtc-'));

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

/** `document.createElement(tag)` with properties and children (text only). */
const make = (tag, props = {}, ...children) => {
  const el = Object.assign(document.createElement(tag), props);
  el.append(...children);
  return el;
};

/**
 * Fills `section` (a `<section class="log">`) with the log: a heading with a count, a checkbox
 * that hides the NOISY events (checked when `quiet`), a Clear button and the list. Listens
 * at the document in the capture phase, so an element's events are seen before any page handler
 * can stop them. Returns `listen(type)`.
 */
export function mountEventLog(section, { quiet = false } = {}) {
  const counter = make('span', { id: 'log-count', className: 'log__count' });
  const quietBox = make('input', { id: 'hide-noisy', type: 'checkbox', checked: quiet });
  const clear = make('button', { id: 'clear-log', type: 'button', textContent: 'Clear' });
  const list = make('ol', { id: 'log', className: 'log__list' });
  const title = make('h2', { id: 'log-title' }, 'Events ', counter);
  section.setAttribute('aria-labelledby', title.id);
  section.replaceChildren(
    make(
      'div',
      { className: 'log__head' },
      title,
      make(
        'label',
        {},
        quietBox,
        ' hide ',
        make('code', { textContent: 'rtc-updated-stats' }),
        ', ',
        make('code', { textContent: 'rtc-pong' }),
        ' and ',
        make('code', { textContent: 'rtc-got-sound-list' }),
      ),
      clear,
    ),
    list,
  );

  const listening = new Set();
  let count = 0;

  function record(event) {
    if (quietBox.checked && NOISY.has(event.type)) return;
    // At the document, target is the outermost element (retargeted out of shadow roots).
    const source = event.target;
    const from = source instanceof Element ? source.id || source.localName : 'document';
    const error = event.type === 'rtc-error' || event.type === 'securitypolicyviolation';
    list.prepend(
      make(
        'li',
        {},
        make('span', { className: 'log__time', textContent: new Date().toISOString().slice(11, 23) }),
        ' ',
        make('span', { className: `log__name${error ? ' log__name--error' : ''}`, textContent: event.type }),
        ' ',
        make('span', { className: 'log__source', textContent: from }),
        ' ',
        make('span', { className: 'log__detail', textContent: detailOf(event) }),
      ),
    );
    while (list.childElementCount > LOG_LIMIT) list.lastElementChild.remove();
    counter.textContent = `(${++count})`;
  }

  clear.addEventListener('click', () => {
    list.replaceChildren();
    count = 0;
    counter.textContent = '';
  });

  const listen = (type) => {
    if (listening.has(type)) return;
    listening.add(type);
    document.addEventListener(type, record, true);
  };
  // A blocked resource shows up in the log too (the pages' policy is strict on purpose).
  listen('securitypolicyviolation');
  return { listen };
}
