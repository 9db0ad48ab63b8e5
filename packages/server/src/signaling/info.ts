/**
 * Questions and small updates that start no session: keepalive, ICE servers, stream info,
 * Broadcast objects, the subtracks of a main track, and a stream's metaData.
 */
import type {
  GetBroadcastObjectFrame,
  GetStreamInfoFrame,
  GetSubtracksCountFrame,
  GetSubtracksFrame,
  UpdateStreamMetaDataFrame,
} from '../../../../src/core/protocol/messages.js';
import type { Connection } from './connection.js';

/** The keepalive: `pong`. */
export function ping(conn: Connection): void {
  conn.out.send({ command: 'pong' });
}

/** The STUN server of the app's settings, and no TURN credentials. */
export function getIceServerConfig(conn: Connection): void {
  conn.out.send({
    command: 'iceServerConfig',
    stunServerUri: conn.app.settings.stunServerUri,
    turnServerUsername: '',
    turnServerCredential: '',
  });
}

/** Resolution, bitrates and codec of a live stream (of each of its simulcast layers). */
export function getStreamInfo(conn: Connection, { streamId }: GetStreamInfoFrame): void {
  const live = conn.app.live.live(streamId);
  if (!live || !live.peer) return conn.out.error('no_stream_exist', { streamId, error_code: '404' });
  const info = live.peer.info();
  const layers = live.peer.layers();
  const entry = (width: number, height: number, videoBitrate: number) => ({
    streamWidth: width,
    streamHeight: height,
    videoBitrate,
    audioBitrate: info.audioBitrate,
    videoCodec: info.videoCodec,
  });
  conn.out.send({
    command: 'streamInformation',
    streamId,
    // Simulcast: one entry per layer sending, highest first, as AMS lists its renditions.
    streamInfo: layers.length > 1 ? layers.map((l) => entry(l.width, l.height, l.bitrate)) : [entry(info.width, info.height, info.videoBitrate)],
  });
}

/** A stream's Broadcast record, as a JSON string (as AMS sends it). */
export function getBroadcastObject(conn: Connection, { streamId }: GetBroadcastObjectFrame): void {
  const record = conn.app.store.get(streamId);
  if (!record) return conn.out.error('no_stream_exist', { streamId, error_code: '404' });
  conn.out.notify('broadcastObject', { streamId, broadcast: JSON.stringify(record.broadcast) });
}

/** A page of the live subtracks of a main track, as Broadcast JSON strings. */
export function getSubtracks(conn: Connection, frame: GetSubtracksFrame): void {
  const offset = Math.floor(frame.offset ?? 0);
  const size = Math.floor(frame.size ?? 50);
  const list = conn.app.mainTracks
    .liveSubtracks(frame.streamId)
    .slice(offset, offset + size)
    .map((s) => JSON.stringify(s.record.broadcast));
  conn.out.notify('subtrackList', { streamId: frame.streamId, subtrackList: list });
}

/** How many subtracks of a main track are live (`subtrackCount`). */
export function getSubtracksCount(conn: Connection, { streamId }: GetSubtracksCountFrame): void {
  conn.out.notify('subtrackCount', { streamId, count: conn.app.mainTracks.liveSubtracks(streamId).length });
}

/** Replaces a stream's metaData (no answer, as AMS). */
export function updateStreamMetaData(conn: Connection, { streamId, metaData }: UpdateStreamMetaDataFrame): void {
  const record = conn.app.store.get(streamId);
  if (!record) return conn.out.error('no_stream_exist', { streamId, error_code: '404' });
  record.broadcast.metaData = metaData;
}
