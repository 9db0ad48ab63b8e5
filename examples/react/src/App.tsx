// Registers <rtc-publisher>, <rtc-player>, <rtc-room> and <rtc-error-overlay>, and brings the
// JSX typings of the elements and their events (React 19 passes `onrtc-…` props as listeners).
import 'rtc-elements/react';
import { useState } from 'react';

export interface AppProps {
  serverUrl: string;
  streamId: string;
  roomId: string;
}

/** A publisher, a player of the same stream and a room; the status line shows what the player said last. */
export function App({ serverUrl, streamId, roomId }: AppProps) {
  const [status, setStatus] = useState('waiting for the stream');
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
