// React 19 JSX with `import 'rtc-elements/react'`: attributes (kebab-case), properties (camelCase) and
// `onrtc-…` event props are typed; each `@ts-expect-error` line is a mistake the types must catch.
import 'rtc-elements/react';
import type { ComponentProps } from 'react';
import { useRef } from 'react';
import type { RtcCallbackEvent, RtcErrorEvent, RtcParticipantEvent, RtcPlayer, RtcRoom } from 'rtc-elements';

export function Page() {
  const player = useRef<RtcPlayer>(null);
  const room = useRef<RtcRoom>(null);
  return (
    <main>
      <rtc-publisher server-url="wss://media.example.com:5443/LiveApp/websocket" stream-id="cam1" auto-publish no-audio max-bitrate={900} />
      <rtc-publisher stream-name="Ann" max-bitrate="1200" mediaConstraints={{ video: { width: 1280 } }} onrtc-publish-started={(e) => e.detail.streamId} />
      <rtc-player
        ref={player}
        className="video"
        server-url="wss://media.example.com:5443/LiveApp/websocket"
        stream-id="cam1"
        autoplay
        muted={false}
        tokenProvider={async () => 'token'}
        iceServers={[{ urls: 'stun:stun.example.com' }]}
        onrtc-play-started={(e) => console.log(e.detail.streamId, e.detail.definition)}
        onrtc-error={(e) => {
          const code: string = e.detail.code;
          if (e.detail.recoverable) e.preventDefault();
          return code;
        }}
        onrtc-state-change={(e) => console.log(e.detail.state, e.detail.previous)}
        onrtc-updated-stats={(e) => console.log(e.detail)}
      />
      <rtc-room ref={room} server-url="wss://x/LiveApp/websocket" room-id="standup" mode="legacy" max-video-tracks={4} auto-join>
        <p slot="error-no_room_specified">Pick a room first.</p>
      </rtc-room>
      <rtc-room room-id="r" onrtc-participant-joined={(e) => e.detail.name} onrtc-got-sound-list={(e) => Object.values(e.detail.soundList)} />
      <rtc-error-overlay retryable error={{ code: 'no_stream_exist', message: 'Not live', recoverable: true }} onrtc-retry={(e) => e.detail.code} />

      <rtc-player
        // @ts-expect-error: misspelt attribute (`autoplay`)
        autoplya
      />
      <rtc-player
        // @ts-expect-error: misspelt property (`serverUrl`)
        serverUrll="wss://x/LiveApp/websocket"
      />
      <rtc-player
        // @ts-expect-error: `state` is reflected by the element, read only
        state="live"
      />
      <rtc-room
        // @ts-expect-error: no such mode
        mode="mesh"
      />
      <rtc-player
        // @ts-expect-error: a boolean attribute takes a boolean
        autoplay="yes"
      />
      {/* TypeScript reports a wrong value of a hyphenated attribute on the tag, so the directive sits above it. */}
      {/* @ts-expect-error: `max-bitrate` is a number (or its text), not an object */}
      <rtc-publisher max-bitrate={{ kbps: 900 }} />
      {/* @ts-expect-error: `stream-id` is text */}
      <rtc-player stream-id={42} />
      <rtc-player
        // @ts-expect-error: `tokenProvider` returns the token
        tokenProvider={() => 42}
      />
      {/* @ts-expect-error: `rtc-play-started` is not an `RtcErrorEvent` */}
      <rtc-player onrtc-play-started={(e: RtcErrorEvent) => e.detail.code} />
      <rtc-room
        // @ts-expect-error: `rtc-participant-joined` carries an `RtcParticipantEvent`, whose detail has no `code`
        onrtc-participant-joined={(e) => e.detail.code}
      />
      <rtc-player onrtc-error={(e) => e.detail.code} />
      <rtc-player
        // @ts-expect-error: `rtc-error` has `code`, not `cod`
        onrtc-error={(e) => e.detail.cod}
      />
      <rtc-error-overlay
        // @ts-expect-error: an overlay error needs `message` and `recoverable`
        error={{ code: 'x' }}
      />
    </main>
  );
}

// The props of a tag, as a React component sees them.
type PlayerProps = ComponentProps<'rtc-player'>;
const handler: NonNullable<PlayerProps['onrtc-play-started']> = (e: RtcCallbackEvent<'play_started'>) => e.detail.streamId;
const joined: NonNullable<ComponentProps<'rtc-room'>['onrtc-participant-joined']> = (e: RtcParticipantEvent) => e.detail.name;
// @ts-expect-error: the player fires no `rtc-participant-joined`
const notFired: ComponentProps<'rtc-player'>['onrtc-participant-joined'] = joined;
export { handler, notFired };
