// Registers <rtc-publisher>, <rtc-player>, <rtc-room> and <rtc-error-overlay>; with it the
// elements' classes, tag map and typed events.
import 'rtc-elements';
import { CUSTOM_ELEMENTS_SCHEMA, Component, signal } from '@angular/core';
import type { RtcCallbackEvent, RtcErrorEvent } from 'rtc-elements';
import { roomId, serverUrl, streamId } from './config';

/** A publisher, a player of the same stream and a room; the status line shows what the player said last. */
@Component({
  selector: 'app-root',
  // The rtc-* tags are custom elements: Angular leaves unknown tags and attributes to the browser.
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <main>
      <h1>rtc-elements in Angular</h1>
      <p id="status" role="status">{{ status() }}</p>
      <rtc-publisher [attr.server-url]="serverUrl" [attr.stream-id]="streamId" auto-publish (rtc-error)="onError('publisher', $event)"></rtc-publisher>
      <rtc-player
        [attr.server-url]="serverUrl"
        [attr.stream-id]="streamId"
        autoplay
        muted
        (rtc-play-started)="onPlayStarted($event)"
        (rtc-error)="onError('player', $event)"
      ></rtc-player>
      <rtc-room [attr.server-url]="serverUrl" [attr.room-id]="roomId" stream-name="Angular" (rtc-error)="onError('room', $event)"></rtc-room>
    </main>
  `,
})
export class AppComponent {
  readonly serverUrl = serverUrl;
  readonly streamId = streamId;
  readonly roomId = roomId;
  readonly status = signal('waiting for the stream');

  // Angular types a custom element's `$event` as a plain Event: the handlers narrow it.
  onPlayStarted(event: Event): void {
    const e = event as RtcCallbackEvent<'play_started'>;
    this.status.set(`rtc-play-started: ${e.detail.streamId}`);
  }

  onError(source: string, event: Event): void {
    const e = event as RtcErrorEvent;
    this.status.set(`rtc-error (${source}): ${e.detail.code}`);
  }
}
