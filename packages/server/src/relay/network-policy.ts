/**
 * Which addresses the relay uses: the werift connection config (host addresses gathered, bundle,
 * message size) and which local and remote ICE candidates are allowed. Without announced hosts
 * everything stays on 127.0.0.1.
 */
import { networkInterfaces } from 'node:os';
import type { RTCPeerConnection } from 'werift';
import { parseCandidate } from './sdp.js';

/** Largest data channel message either side may send (werift's default, 65,536, is too small). */
export const MAX_MESSAGE_SIZE = 262_144;

export interface NetworkPolicy {
  /** The werift `RTCPeerConnection` config every peer starts from (codecs are added per peer). */
  config: ConstructorParameters<typeof RTCPeerConnection>[0];
  /** Whether a local candidate may go into a description or a trickle message. */
  allowLocal(candidate: string): boolean;
  /** Whether a remote candidate (from an offer, an answer or `takeCandidate`) is used. */
  allowRemote(candidate: string): boolean;
}

const isLoopback = (address: string): boolean => address.startsWith('127.') || address === '::1';

function localAddresses(): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) out.add(info.address.toLowerCase());
  }
  return out;
}

/**
 * The policy for `announcedHosts`: with some, the relay gathers 127.0.0.1 and those hosts and
 * accepts any remote UDP candidate; without, it binds 127.0.0.1 only and accepts remote UDP
 * candidates of this machine only.
 */
export function networkPolicy(announcedHosts: string[] | undefined): NetworkPolicy {
  const base = {
    iceServers: [],
    bundlePolicy: 'max-bundle' as const,
    // Only the listed host addresses are gathered (werift skips loopback otherwise, and would
    // gather every interface address without these two flags).
    iceUseIpv4: false,
    iceUseIpv6: false,
    maxMessageSize: MAX_MESSAGE_SIZE,
  };
  if (announcedHosts && announcedHosts.length > 0) {
    const hosts = ['127.0.0.1', ...announcedHosts.filter((h) => h !== '127.0.0.1')];
    const allowed = new Set(hosts.map((h) => h.toLowerCase()));
    return {
      config: { ...base, iceAdditionalHostAddresses: hosts },
      allowLocal: (c) => allowed.has(parseCandidate(c)?.address ?? ''),
      allowRemote: (c) => parseCandidate(c)?.protocol === 'udp',
    };
  }
  return {
    // Sockets bound to 127.0.0.1: nothing can be sent off this machine.
    config: { ...base, iceAdditionalHostAddresses: ['127.0.0.1'], iceInterfaceAddresses: { udp4: '127.0.0.1' } },
    allowLocal: (c) => parseCandidate(c)?.address === '127.0.0.1',
    allowRemote: (c) => {
      const parsed = parseCandidate(c);
      if (!parsed || parsed.protocol !== 'udp') return false;
      return isLoopback(parsed.address) || localAddresses().has(parsed.address);
    },
  };
}
