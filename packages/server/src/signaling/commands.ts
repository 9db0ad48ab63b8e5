/**
 * The dispatch table: one handler per client command (`CLIENT_FRAME_COMMANDS`), by family. A
 * new command is a member of `ClientFrame`, a reader in the codec and a row here.
 */
import type { ClientFrame, ClientFrameCommand, ClientFrames } from '../../../../src/core/protocol/messages.js';
import type { RelayedFrame } from '../registries/p2p.js';
import type { Connection } from './connection.js';
import { getBroadcastObject, getIceServerConfig, getStreamInfo, getSubtracks, getSubtracksCount, ping, updateStreamMetaData } from './info.js';
import { getRoomInfo, joinRoom, leaveFromRoom } from './legacy-rooms.js';
import { enableTrack, setMaxVideoTrackCount } from './multitrack.js';
import { stop, takeCandidate, takeConfiguration } from './negotiation.js';
import { isP2PPeerOf, join, leave, relayToPeer } from './p2p-commands.js';
import { forceStreamQuality, play } from './play.js';
import { publish } from './publish.js';

/** Handles one typed frame; `json` is the frame as it arrived (for the P2P relay). */
type Handler<F> = (conn: Connection, frame: F, json: RelayedFrame) => void;

const COMMANDS: { readonly [C in ClientFrameCommand]: Handler<ClientFrames[C]> } = {
  // keepalive and info/metadata
  ping,
  getIceServerConfig,
  getStreamInfo,
  getBroadcastObject,
  getSubtracks,
  getSubtracksCount,
  updateStreamMetaData,
  // publish and play
  publish,
  play,
  stop,
  forceStreamQuality,
  // SDP and candidates go to the P2P relay only for an id this socket joined as a peer;
  // for publish and play ids they stay with this socket's sessions.
  takeConfiguration: (conn, frame, json) => (isP2PPeerOf(conn, frame.streamId) ? relayToPeer(conn, frame.streamId, json) : takeConfiguration(conn, frame)),
  takeCandidate: (conn, frame, json) => (isP2PPeerOf(conn, frame.streamId) ? relayToPeer(conn, frame.streamId, json) : takeCandidate(conn, frame)),
  // multitrack rooms (a room is played through `play`)
  enableTrack,
  setMaxVideoTrackCountCommand: setMaxVideoTrackCount,
  // legacy rooms
  joinRoom,
  getRoomInfo,
  leaveFromRoom,
  // peer-to-peer
  join,
  leave,
  peerMessageCommand: (conn, frame, json) => relayToPeer(conn, frame.streamId, json),
};

/** Runs the handler of `frame`'s command. */
export function dispatch(conn: Connection, frame: ClientFrame, json: RelayedFrame): void {
  (COMMANDS[frame.command] as Handler<ClientFrame>)(conn, frame, json);
}
