/**
 * WHIP ingest (RFC 9725) at AMS's path, `POST /<App>/whip/<streamId>` with the offer: the publish
 * goes into the app's registries exactly as an AMS WebSocket publish does (the same checks, the
 * same Broadcast record, the same relay), so it plays over the WebSocket and over WHEP, and the
 * REST API and `getStreamInfo` see it. Its session (`…/whip/<streamId>/<sessionId>`) takes
 * trickle and ICE restart PATCHes; DELETE, or the connection failing, ends the publish.
 */
import { nextConnectionId } from '../registries/connection-id.js';
import type { LiveStream } from '../registries/live-streams.js';
import { isUsableSdp } from '../relay/sdp.js';
import type { PublisherPeer } from '../relay/types.js';
import { isStopped, transition, type Phase } from '../signaling/phase.js';
import type { Route } from './router.js';
import {
  checkCapacity,
  consumeToken,
  firstAnswer,
  offerSession,
  readBody,
  SDP_TYPE,
  sendCreated,
  whipFamily,
  WhipError,
  type PostHandler,
  type WhipDeps,
} from './whip-http.js';

/** A WHIP publish as the other sessions see it. */
interface WhipStream extends LiveStream {
  phase: Phase;
  peer?: PublisherPeer;
}

/** `POST` on a WHIP endpoint: the checks of an AMS `publish`, then the offer; 201 with the answer. */
const publish: PostHandler = async (req, res, post, deps) => {
  const { ctx, streamId } = post;
  const { store, settings, live } = ctx;
  const offer = await readBody(req, SDP_TYPE);
  if (!isUsableSdp(offer)) throw new WhipError(400, 'the body is not an SDP offer (v=0, m-sections, ICE and DTLS attributes)', 'notSetRemoteDescription');
  checkCapacity(deps, 'publish');
  if (live.has(streamId)) throw new WhipError(409, `${streamId} is being published`, 'streamIdInUse');
  if (settings.acceptOnlyStreamsInDataStore && !store.isRegistered(streamId)) {
    throw new WhipError(403, `${streamId} was not created, and this app publishes only created streams`, 'not_allowed_unregistered_streams');
  }
  const token = consumeToken(req, post, 'publish');

  const record = store.forPublish(streamId);
  const stream: WhipStream = { streamId, owner: nextConnectionId(), record, phase: 'negotiating', viewers: new Set() };
  live.add(stream);
  const end = (): void => {
    if (!transition(stream, 'stopped')) return;
    deps.sessions.delete(session);
    live.end(stream);
    peer.close();
    store.finish(streamId);
  };
  const peer = deps.relay.createPublisher(
    streamId,
    {
      // The answer carries every server candidate (werift gathers before it answers).
      onCandidate: () => undefined,
      onMediaStarted: () => {
        if (!transition(stream, 'live')) return;
        record.broadcast.status = 'broadcasting';
        record.broadcast.startTime = Date.now();
      },
      onClosed: end,
    },
    { audioDtx: settings.audioDtx, audioPacketMs: settings.audioPacketMs },
  );
  stream.peer = peer;
  const session = offerSession('whip', ctx.name, streamId, token, offer, peer, end);
  const answer = await firstAnswer(peer, offer, end);
  if (isStopped(stream)) throw new WhipError(503, 'the server is closing');
  if (peer.kinds.size === 0) {
    end();
    throw new WhipError(400, 'the offer sends no audio and no video (or none in a codec the server takes: VP8, H264 42e01f, Opus)', 'notSetRemoteDescription');
  }
  transition(stream, 'connecting');
  deps.sessions.add(session);
  sendCreated(res, session, answer, settings);
};

/** The WHIP endpoint and session routes. */
export const whipRoutes = (deps: WhipDeps): Route[] => whipFamily('whip', deps, publish);
