/**
 * Peer-to-peer (reference 2.3): one `P2PSession` both publishes and receives; the one other tile
 * is keyed by the p2p stream id (the room). A new peer has no metaData to read: once the channel
 * to it opens, it is told our name and mic/camera state, and every state event carries our name.
 * @internal
 */
import { P2PSession } from '../session/p2p-session.js';
import type { PublishSession } from '../session/publish-session.js';
import type { AmsCallback, RemoteTrack, SessionDeps } from '../session/types.js';
import { BaseRoom } from './adapter.js';

export class P2PRoom extends BaseRoom {
  protected override get publish(): { streamId: string } {
    return { streamId: this.ctx.room };
  }

  override createSession(deps: SessionDeps): PublishSession {
    return new P2PSession(deps);
  }

  /** The other peer's media, and its leaving (`stop`). */
  override onCallback(callback: AmsCallback): void {
    super.onCallback(callback);
    const { definition, payload, streamId = '' } = callback;
    if (definition === 'newTrackAvailable') this.track(streamId, (payload as unknown as RemoteTrack).track, '');
    else if (definition === 'stop') this.ctx.model.drop(streamId);
    else if (definition === 'data_channel_opened') {
      const { micMuted, cameraOff } = this.ctx.host.media();
      this.announce(micMuted ? 'MIC_MUTED' : 'MIC_UNMUTED');
      this.announce(cameraOff ? 'CAM_TURNED_OFF' : 'CAM_TURNED_ON');
    }
  }

  /** The connection's received audio is the other peer's (read now: the 1 s stats are too coarse for a beep). */
  protected override async audioLevels(): Promise<Map<string, number>> {
    const stats = await this.ctx.host
      .publisher()
      ?.getStats()
      .catch(() => undefined);
    return new Map([[this.ctx.room, stats?.audioLevel ?? 0]]);
  }

  override sendPeerMessage(definition: string, data: string): boolean {
    const s = this.ctx.host.publisher();
    if (!(s instanceof P2PSession)) return false;
    s.sendPeerMessage(definition, data);
    return true;
  }

  /** In p2p the session's level is the other peer's: the microphone's is not known. */
  protected override ownLevel(): number {
    return 0;
  }

  protected override nameToSend(): string | undefined {
    return this.ctx.host.element.streamName || undefined;
  }

  protected override get peer(): string {
    return this.ctx.room;
  }
}
