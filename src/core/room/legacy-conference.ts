/**
 * Legacy conference (`joinRoom`, reference 8.4): the room is joined on a socket of its own
 * (`LegacyRoom`) before the own stream is published as an ordinary publish; every other member
 * is played on a connection of its own, and its name and metaData come with the room's answers.
 * @internal
 */
import { LegacyRoom } from '../session/legacy-room.js';
import { BaseRoom, online } from './adapter.js';
import { decodeMetaData } from './codec.js';

export class LegacyConference extends BaseRoom {
  #legacy: LegacyRoom | null = null;

  /** Joins the room (own socket), then plays every other member as it appears. */
  async join(): Promise<void> {
    const { url, room, own, host, model, current } = this.ctx;
    const r = new LegacyRoom({ url, online: online() });
    this.#legacy = r;
    const mine = (): boolean => this.#legacy === r && current();
    r.on('callback', (cb) => {
      // `leavedFromRoom` answers our leave, after this join ended.
      if (!mine() && cb.definition !== 'leavedFromRoom') return;
      host.dispatch(cb);
      this.onData(cb);
    });
    r.on('error', (e) => mine() && host.report(e));
    r.on('added', ({ streamId, name }) => mine() && model.ensure(streamId, name));
    r.on('member', ({ streamId, name, metaData }) => mine() && model.update(streamId, name, decodeMetaData(metaData)));
    r.on('removed', ({ streamId }) => mine() && model.drop(streamId));
    r.on('track', (t) => mine() && this.track(t.streamId, t.track, own));
    await r.join({ room, streamId: own, streamName: host.element.streamName || undefined, token: host.token(), iceServers: host.element.iceServers });
  }

  protected override async audioLevels(): Promise<Map<string, number>> {
    return this.#legacy ? this.#legacy.audioLevels().catch(() => new Map<string, number>()) : new Map<string, number>();
  }

  protected override leave(): Promise<void> {
    const r = this.#legacy;
    this.#legacy = null;
    return r ? r.leave().finally(() => r.dispose()) : Promise.resolve();
  }

  protected override command(frame: Record<string, unknown> & { command: string }): void {
    this.#legacy?.command(frame);
  }
}
