/**
 * Multitrack conference (AMS's default, reference 8.2–8.3): the own stream is published into the
 * room (its main track) and the whole room is played over one more connection (`RoomPlaySession`),
 * without our own tracks. Names and states come from the Broadcast records; with limited video
 * slots, each slot's video goes to the participant `VIDEO_TRACK_ASSIGNMENT_LIST` names.
 * @internal
 */
import { RoomPlaySession } from '../session/room-session.js';
import type { AmsCallback } from '../session/types.js';
import { BaseRoom, online } from './adapter.js';
import { decodeMetaData, isSlot, trackOwner } from './codec.js';

export class MultitrackRoom extends BaseRoom {
  #play: RoomPlaySession | null = null;

  protected override get publish(): { streamId: string; mainTrack: string } {
    return { streamId: this.ctx.own, mainTrack: this.ctx.room };
  }

  override published(): void {
    if (this.ctx.current() && !this.#play) this.#startPlay();
  }

  protected override async audioLevels(): Promise<Map<string, number>> {
    const none = new Map<string, number>();
    const byTrack = (await this.#play?.audioLevels().catch(() => none)) ?? none;
    return new Map([...this.ctx.model.participants.values()].map((p) => [p.id, byTrack.get(p.stream.getAudioTracks()[0]?.id ?? '') ?? 0]));
  }

  protected override leave(): Promise<void> {
    const p = this.#play;
    this.#play = null;
    if (p) void p.stop().finally(() => p.dispose());
    return Promise.resolve();
  }

  protected override command(frame: Record<string, unknown> & { command: string }): void {
    this.#play?.command(frame);
  }

  #startPlay(): void {
    const { url, room, own, host, model } = this.ctx;
    const p = new RoomPlaySession({ url, online: online() });
    this.#play = p;
    const mine = (): boolean => this.#play === p;
    p.on('callback', (cb) => {
      if (!mine()) return;
      host.dispatch(cb);
      this.#onPlayCallback(p, cb);
      this.onData(cb);
    });
    p.on('track', ({ track, trackId }) => {
      const id = trackOwner(trackId);
      if (!mine() || !id || id === own) return;
      // AMS with limited video slots: the track belongs to whoever VIDEO_TRACK_ASSIGNMENT_LIST says.
      if (isSlot(id)) model.addSlotTrack(id, track, host.element.streamId);
      else this.track(id, track, own);
    });
    // A room not there yet (an AMS slower than our publish) is asked for again by the session itself.
    p.on('error', (e) => mine() && e.code !== 'no_stream_exist' && host.report(e));
    p.start({ streamId: room, userPublishId: own, room, token: host.token(), iceServers: host.element.iceServers }).catch((e: unknown) => {
      if (mine()) host.report(e);
    });
  }

  #onPlayCallback(p: RoomPlaySession, { definition, payload }: AmsCallback): void {
    const { room, own, model } = this.ctx;
    if (definition === 'play_started') {
      const max = this.ctx.host.element.maxVideoTracks;
      if (max > 0) p.command({ command: 'setMaxVideoTrackCountCommand', streamId: room, maxTrackCount: max });
      void this.#refresh(p);
      return;
    }
    const id = typeof payload.trackId === 'string' ? payload.trackId : '';
    if (!id || id === own) return;
    if (definition === 'subtrackAdded') {
      model.ensure(id, typeof payload.streamName === 'string' ? payload.streamName : undefined);
      void this.#refresh(p, id);
    } else if (definition === 'subtrackRemoved') model.drop(id);
  }

  /** Names and mic/camera state of everyone in the room (or of `only`), from their Broadcast records. */
  async #refresh(p: RoomPlaySession, only?: string): Promise<void> {
    const { room, own, model } = this.ctx;
    const ids = only ? [only] : ((await p.broadcast(room))?.subTrackStreamIds ?? []);
    const records = await Promise.all(ids.filter((id) => id !== own).map((id) => p.broadcast(id)));
    // In the room's order, whichever answer came first.
    for (const b of records) {
      if (this.#play !== p || !b || (b.status && b.status !== 'broadcasting')) continue;
      model.update(b.streamId, b.name, decodeMetaData(b.metaData));
    }
  }
}
