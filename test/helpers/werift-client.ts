// A werift connection for a test's (or the bench's) client side, which asks no STUN server:
// werift's own asks Google's on every gathering and waits for it (see `noDefaultStunServer`).
import { RTCPeerConnection } from 'werift';
import { noDefaultStunServer } from '../../packages/server/src/relay/werift-workarounds.js';

export function clientPc(config: ConstructorParameters<typeof RTCPeerConnection>[0]): RTCPeerConnection {
  const pc = new RTCPeerConnection(config);
  noDefaultStunServer(pc, false);
  return pc;
}
