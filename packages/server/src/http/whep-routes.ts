/**
 * WHEP egress (draft-ietf-wish-whep) at AMS's path, `POST /<App>/whep/<streamId>` with the
 * player's offer: any live publish of the app (AMS WebSocket or WHIP) is answered with its media,
 * as an AMS WebSocket play would get it (the same play token check, the same viewer count). A
 * stream that is not live gets 409 with `Retry-After`, as the draft says. The session
 * (`…/whep/<streamId>/<sessionId>`) takes trickle and ICE restart PATCHes; DELETE, the publish
 * ending or the connection failing end the play.
 */
import type { StreamViewer } from '../registries/live-streams.js';
import { isUsableSdp } from '../relay/sdp.js';
import { viewerLimitReached } from '../signaling/play.js';
import type { Route } from './router.js';
import {
  checkCapacity,
  consumeToken,
  firstAnswer,
  offerSession,
  readBody,
  RETRY_AFTER_SECONDS,
  SDP_TYPE,
  sendCreated,
  whipFamily,
  WhipError,
  type PostHandler,
  type WhipDeps,
} from './whip-http.js';

const notLive = (streamId: string): WhipError =>
  new WhipError(409, `${streamId} is not being published now`, 'no_stream_exist', { 'retry-after': String(RETRY_AFTER_SECONDS) });

/** `POST` on a WHEP endpoint: the checks of an AMS `play`, then the offer; 201 with the answer. */
const play: PostHandler = async (req, res, post, deps) => {
  const { ctx, streamId } = post;
  const { settings, live } = ctx;
  const offer = await readBody(req, SDP_TYPE);
  if (!isUsableSdp(offer)) throw new WhipError(400, 'the body is not an SDP offer (v=0, m-sections, ICE and DTLS attributes)', 'notSetRemoteDescription');
  checkCapacity(deps, 'play');
  const token = consumeToken(req, post, 'play');
  const source = live.get(streamId);
  if (!source || source.phase !== 'live' || !source.peer) throw notLive(streamId);
  if (viewerLimitReached(settings, source)) {
    throw new WhipError(503, `${streamId} has as many viewers as its limit`, 'viewerLimitReached', {
      'retry-after': String(RETRY_AFTER_SECONDS),
    });
  }

  let ended = false;
  let counted = false;
  const viewer: StreamViewer = { onSourceEnded: () => end() };
  const end = (): void => {
    if (ended) return;
    ended = true;
    deps.sessions.delete(session);
    source.viewers.delete(viewer);
    if (counted) {
      const b = source.record.broadcast;
      b.webRTCViewerCount = Math.max(0, b.webRTCViewerCount - 1);
    }
    peer.close();
  };
  const peer = deps.relay.createPlayer(source.peer, {
    onCandidate: () => undefined,
    onMediaStarted: () => {
      if (ended || counted) return;
      counted = true;
      source.record.broadcast.webRTCViewerCount++;
    },
    onClosed: end,
  });
  source.viewers.add(viewer);
  const session = offerSession('whep', ctx.name, streamId, token, offer, peer, end);
  // A source that ends while the offer is applied makes the stream not live, not the offer bad.
  const answer = await firstAnswer(
    peer,
    offer,
    end,
    () => ended,
    () => notLive(streamId),
  );
  if (ended) throw notLive(streamId);
  deps.sessions.add(session);
  sendCreated(res, session, answer, settings);
};

/** The WHEP endpoint and session routes. */
export const whepRoutes = (deps: WhipDeps): Route[] => whipFamily('whep', deps, play);
