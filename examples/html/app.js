// The example's one module script. Query parameters (all optional):
//   ?server=ws://127.0.0.1:5080/LiveApp/websocket   the AMS WebSocket (default: the embedded server)
//   &stream=example&room=example-room                the stream and the room
//   &bundle=https://cdn.example/rtc-elements.js       where the bundle is (default: the server's /dist/)
// Type-checked as JavaScript (tsconfig.json: checkJs) against the package's typings.
const params = new URLSearchParams(location.search);
const serverUrl = params.get('server') ?? 'ws://127.0.0.1:5080/LiveApp/websocket';
const streamId = params.get('stream') ?? 'example';
const roomId = params.get('room') ?? 'example-room';
// The embedded server serves the bundle beside its WebSocket: ws://host:port/… → http://host:port/dist/rtc-elements.js.
const bundle = params.get('bundle') ?? new URL('/dist/rtc-elements.js', serverUrl.replace(/^ws/, 'http')).href;

const status = /** @type {HTMLElement} */ (document.getElementById('status'));
const publisher = document.querySelector('rtc-publisher');
const player = document.querySelector('rtc-player');
const room = document.querySelector('rtc-room');
if (!publisher || !player || !room) throw new Error('the example page lost one of its elements');

for (const el of [publisher, player, room]) {
  el.setAttribute('server-url', serverUrl);
  el.addEventListener('rtc-error', (e) => {
    status.textContent = `rtc-error (${el.localName}): ${e.detail.code}`;
  });
}
publisher.setAttribute('stream-id', streamId);
player.setAttribute('stream-id', streamId);
room.setAttribute('room-id', roomId);
player.addEventListener('rtc-play-started', (e) => {
  status.textContent = `rtc-play-started: ${e.detail.streamId}`;
});

// The elements upgrade when the bundle has registered them.
try {
  await import(bundle);
} catch (err) {
  status.textContent = `could not load ${bundle}: ${err instanceof Error ? err.message : String(err)}`;
}
