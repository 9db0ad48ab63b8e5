// The JSX typings of the elements and their events (React 19 passes `onrtc-…` props as listeners);
// the elements themselves are registered by `useRtcElements` below, once the App runs in the browser.
import type {} from 'rtc-elements/react';
import { useEffect, useState } from 'react';

export interface AppProps {
  serverUrl: string;
  streamId: string;
  roomId: string;
}

/**
 * Registers <rtc-publisher>, <rtc-player>, <rtc-room> and <rtc-error-overlay> after the App's second
 * render in the browser, so that every element starts (and fires its first events) only once React
 * listens to it. A page rendered on the server needs this: when React 19 hydrates it, it attaches no
 * `on…` listener of a custom element (react/react#35446), only at the next render that passes a new
 * handler; and an element registered before hydration sets its `state` attribute, which React's
 * development build reports as a hydration mismatch. In an app rendered on the client only,
 * `import 'rtc-elements/react'` at the top is enough.
 */
function useRtcElements(): void {
  const [rendered, setRendered] = useState(false);
  useEffect(() => {
    if (rendered) void import('rtc-elements');
    else setRendered(true);
  }, [rendered]);
}

/** A publisher, a player of the same stream and a room; the status line shows what the player said last. */
export function App({ serverUrl, streamId, roomId }: AppProps) {
  const [status, setStatus] = useState('waiting for the stream');
  useRtcElements();
  return (
    <main>
      <h1>rtc-elements in React</h1>
      <p id="status" role="status">
        {status}
      </p>
      <rtc-publisher server-url={serverUrl} stream-id={streamId} auto-publish onrtc-error={(e) => setStatus(`rtc-error (publisher): ${e.detail.code}`)} />
      <rtc-player
        server-url={serverUrl}
        stream-id={streamId}
        autoplay
        muted
        onrtc-play-started={(e) => setStatus(`rtc-play-started: ${e.detail.streamId}`)}
        onrtc-error={(e) => setStatus(`rtc-error (player): ${e.detail.code}`)}
      />
      <rtc-room server-url={serverUrl} room-id={roomId} stream-name="React" onrtc-error={(e) => setStatus(`rtc-error (room): ${e.detail.code}`)} />
    </main>
  );
}
