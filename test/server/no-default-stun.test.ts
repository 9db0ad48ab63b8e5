// The relay's ICE agents ask no STUN server (packages/server/src/relay/werift-workarounds.ts,
// `noDefaultStunServer`): werift's own ask Google's on every gathering, and each offer or answer
// waits for that (the name's lookup, then the request, up to 5 s).
import assert from 'node:assert/strict';
import { promises as dns } from 'node:dns';
import { describe, it } from 'node:test';
import { RTCPeerConnection, UdpTransport } from 'werift';
import { networkPolicy } from '../../packages/server/src/relay/network-policy.js';
import { noDefaultStunServer } from '../../packages/server/src/relay/werift-workarounds.js';
import { AmsClient, playDataOnly, publishDataOnly, startServer, wsUrl } from '../helpers/server.js';

/** The names werift looks up (`dns.promises.lookup`, as it resolves a STUN server) and where its UDP transports send, meanwhile. */
function recordDestinations(): { hosts: string[]; stop: () => void } {
  const hosts: string[] = [];
  const lookup = dns.lookup;
  dns.lookup = ((name: string, ...rest: unknown[]) => {
    hosts.push(name);
    return (lookup as (...a: unknown[]) => Promise<unknown>).call(dns, name, ...rest);
  }) as typeof dns.lookup;
  const init = UdpTransport.init;
  UdpTransport.init = async (...args: Parameters<typeof UdpTransport.init>) => {
    const transport = await init.apply(UdpTransport, args);
    const send = transport.send;
    transport.send = (data, addr) => {
      if (addr) hosts.push(addr[0]);
      return send(data, addr);
    };
    return transport;
  };
  return {
    hosts,
    stop: () => {
      UdpTransport.init = init;
      dns.lookup = lookup;
    },
  };
}

/** An offer made by a connection with the relay's network policy, `patched` or not; the destinations its gathering sent to. */
async function gatherOnce(patched: boolean): Promise<{ hosts: string[]; sdp: string }> {
  const record = recordDestinations();
  const pc = new RTCPeerConnection(networkPolicy(undefined).config);
  try {
    if (patched) noDefaultStunServer(pc, false);
    pc.addTransceiver('video', { direction: 'sendonly' });
    await pc.setLocalDescription(await pc.createOffer());
    return { hosts: record.hosts, sdp: pc.localDescription?.sdp ?? '' };
  } finally {
    record.stop();
    await pc.close();
  }
}

describe('noDefaultStunServer', () => {
  it("werift's own gathering asks Google's STUN server, though no ICE server is configured", async () => {
    const { hosts } = await gatherOnce(false);
    assert.ok(hosts.includes('stun.l.google.com'), `sent to ${JSON.stringify(hosts)}`);
  });

  it("the relay's gathering asks none, and still offers its host candidate", async () => {
    const { hosts, sdp } = await gatherOnce(true);
    assert.deepEqual(hosts, []);
    assert.match(sdp, /^a=candidate:.* 127\.0\.0\.1 \d+ typ host/m);
  });

  it("the real server's publish answer and play offer look up no STUN server", async () => {
    // Media workers off: the players' connections then live in this process, where the spy is.
    const server = await startServer({ mediaWorkers: 0 });
    const pub = await AmsClient.connect(wsUrl(server));
    const viewer = await AmsClient.connect(wsUrl(server));
    const record = recordDestinations();
    try {
      const { pc: pubPc } = await publishDataOnly(pub, 'nostun');
      const { pc: playPc } = await playDataOnly(viewer, 'nostun');
      assert.ok(!record.hosts.includes('stun.l.google.com'), `looked up or sent to ${JSON.stringify(record.hosts)}`);
      await Promise.all([pubPc.close(), playPc.close()]);
    } finally {
      record.stop();
      pub.close();
      viewer.close();
      await server.close();
    }
  });
});
