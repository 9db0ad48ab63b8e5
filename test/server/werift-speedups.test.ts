// The relay's werift speed-ups (packages/server/src/relay/werift-speedups.ts): the RTP header
// parser gives what werift's gives (or throws where it throws) on real and on malformed packets,
// the UDP sends of werift's ICE transports skip the address lookup for IP literals and still
// arrive (a name still resolves), and a forwarded packet sent by `sendRtpFast` goes out as
// werift's `sendRtp` sends it, with the same sender state, but a true NTP time.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import dns from 'node:dns';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { RTCDtlsTransport, RtpHeader, RtpPacket, RTCRtpSender, UdpTransport } from 'werift';
import {
  installWeriftSpeedups,
  ntpTimestamp,
  parseRtpHeader,
  sendRtpFast,
  skipLookupForIpLiterals,
  weriftRtpHeaderParse,
} from '../../packages/server/src/relay/werift-speedups.js';
import { ownPacket } from '../../packages/server/src/relay/werift-workarounds.js';
import { prng } from '../helpers/hostile-server.js';

/** Packets as publishers send them: csrcs, one- and two-byte header extensions, padding, markers. */
function packets(): Buffer[] {
  const rnd = prng(7);
  const out: Buffer[] = [];
  for (let i = 0; i < 300; i++) {
    const twoByte = i % 3 === 2;
    const extensions = Array.from({ length: Math.floor(rnd() * 4) }, (_, k) => ({
      id: twoByte ? 1 + Math.floor(rnd() * 200) : 1 + ((k * 3 + i) % 14),
      payload: Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * (twoByte ? 20 : 15)) }, () => Math.floor(rnd() * 256))),
    }));
    const header = new RtpHeader({
      marker: rnd() < 0.3,
      payloadType: Math.floor(rnd() * 128),
      sequenceNumber: Math.floor(rnd() * 65536),
      timestamp: Math.floor(rnd() * 2 ** 32),
      ssrc: Math.floor(rnd() * 2 ** 32),
      csrc: Array.from({ length: i % 5 === 0 ? Math.floor(rnd() * 4) : 0 }, () => Math.floor(rnd() * 2 ** 32)),
      extension: extensions.length > 0,
      extensionProfile: twoByte ? 0x1000 : 0xbede,
      extensions,
    });
    const payload = Buffer.from(Array.from({ length: Math.floor(rnd() * 200) }, () => Math.floor(rnd() * 256)));
    const raw = new RtpPacket(header, payload).serialize();
    if (i % 7 === 0) raw[0] = raw[0]! | 0x20; // padding flag (the last byte is its size)
    out.push(raw);
  }
  return out;
}

/** Whether `raw` has a header extension block said to end past the packet's end. */
function extensionPastEnd(raw: Buffer): boolean {
  if (raw.length < 12 || !(raw[0]! & 0x10)) return false;
  const at = 12 + (raw[0]! & 0x0f) * 4;
  return raw.length >= at + 4 && at + 4 + raw.readUInt16BE(at + 2) * 4 > raw.length;
}

/** What a parser makes of `raw`: the header, or that it threw. */
function outcome(parse: (raw: Buffer) => RtpHeader, raw: Buffer): RtpHeader | 'threw' {
  try {
    return parse(raw);
  } catch {
    return 'threw';
  }
}

describe('werift speed-ups', () => {
  it("parses every RTP header as werift's own parser does", () => {
    const all = packets();
    assert.ok(all.some((p) => p[0]! & 0x10) && all.some((p) => p.readUInt16BE(12 + (p[0]! & 0x0f) * 4) === 0x1000), 'both extension profiles in the corpus');
    for (const raw of all) assert.deepStrictEqual(outcome(parseRtpHeader, raw), outcome(weriftRtpHeaderParse, raw));
  });

  it('parses malformed and truncated packets as werift does, throwing where it throws', () => {
    const rnd = prng(11);
    const cases: Buffer[] = [Buffer.alloc(0), Buffer.alloc(11), Buffer.from([0x9f, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3])];
    for (const raw of packets().slice(0, 120)) {
      cases.push(raw.subarray(0, Math.floor(rnd() * raw.length)));
      const bent = Buffer.from(raw);
      bent[Math.floor(rnd() * Math.min(bent.length, 24))] = Math.floor(rnd() * 256);
      cases.push(bent);
    }
    for (let i = 0; i < 200; i++) cases.push(Buffer.from(Array.from({ length: Math.floor(rnd() * 48) }, () => Math.floor(rnd() * 256))));
    let threw = 0;
    let past = 0;
    for (const raw of cases) {
      const ours = outcome(parseRtpHeader, raw);
      if (ours === 'threw') threw++;
      if (extensionPastEnd(raw)) {
        // werift reads on past the end (quadratically: not run here); ours refuses the packet.
        past++;
        assert.equal(ours, 'threw', raw.toString('hex'));
        continue;
      }
      assert.deepStrictEqual(ours, outcome(weriftRtpHeaderParse, raw), raw.toString('hex'));
    }
    assert.ok(threw > 0 && threw < cases.length && past > 0, `some throw, some parse (${threw} of ${cases.length}; ${past} past the end)`);
  });

  it('refuses a header extension said to run past the packet, which werift reads on into', () => {
    // One-byte extension block of 0xffff words in a 16-byte datagram.
    const raw = Buffer.from([0x90, 96, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xbe, 0xde, 0xff, 0xff]);
    assert.throws(() => parseRtpHeader(raw), RangeError);
    // werift's own: an entry for every two missing bytes (a short block keeps this test quick).
    const short = Buffer.from([0x90, 96, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xbe, 0xde, 0x00, 0x40]);
    assert.equal(weriftRtpHeaderParse(short).extensions.length, 128);
    assert.throws(() => parseRtpHeader(short), RangeError);
  });

  it("installs the parser into werift, and UDP sends of werift's transports skip the lookup for an address and arrive", async () => {
    installWeriftSpeedups();
    installWeriftSpeedups();
    assert.equal(RtpHeader.deSerialize, parseRtpHeader);
    const sink = createSocket('udp4');
    await new Promise<void>((r) => sink.bind(0, '127.0.0.1', r));
    // A socket takes dns.lookup as it is made: the spy sees every lookup of the transport's sends.
    const looked: string[] = [];
    const lookup = dns.lookup;
    dns.lookup = ((name: string, ...rest: unknown[]) => {
      looked.push(name);
      return (lookup as (...a: unknown[]) => void).call(dns, name, ...rest);
    }) as typeof dns.lookup;
    const transport = await UdpTransport.init('udp4').finally(() => void (dns.lookup = lookup));
    // (Binding looked its address up: only the sends' lookups count.)
    assert.ok(looked.length <= 1, `lookups while binding: ${JSON.stringify(looked)}`);
    looked.length = 0;
    try {
      const got: string[] = [];
      sink.on('message', (m) => got.push(m.toString()));
      await transport.send(Buffer.from('by address'), ['127.0.0.1', sink.address().port]);
      await once(sink, 'message');
      assert.deepEqual(looked, [], 'no lookup for an IP literal');
      await transport.send(Buffer.from('by name'), ['localhost', sink.address().port]);
      if (got.length < 2) await once(sink, 'message');
      assert.deepEqual(looked, ['localhost'], 'a name is still looked up');
      assert.deepEqual(got, ['by address', 'by name']);
      // Installed by init already: a second call finds the internals again and wraps its own lookup.
      assert.equal(skipLookupForIpLiterals(transport.socket), true, "Node's dgram internals as expected");
    } finally {
      await transport.close();
      sink.close();
    }
  });

  describe('sendRtpFast', () => {
    /** A sender on a stand-in DTLS transport that is connected: its SRTP "encrypts" to header + payload, its ICE connection records what it sends. */
    function sender(): { sender: RTCRtpSender; sent: Buffer[]; dtls: { bytesSent: number; packetsSent: number; state: string } } {
      const sent: Buffer[] = [];
      const dtls = {
        state: 'connected',
        srtp: { encrypt: (payload: Buffer, header: RtpHeader) => Buffer.concat([header.serialize(header.serializeSize), payload]) },
        bytesSent: 0,
        packetsSent: 0,
        config: {},
        iceTransport: { connection: { send: (data: Buffer) => Promise.resolve(void sent.push(data)) } },
        sendRtp: RTCDtlsTransport.prototype.sendRtp,
        sendRtcp: () => Promise.resolve(),
      };
      const s = new RTCRtpSender('video');
      Object.assign(s, { dtlsTransport: dtls, codec: { payloadType: 101 }, ssrc: 0x1234abcd });
      // Offsets as a source switch leaves them (werift's replaceRTP), past the wrap of both counters.
      Object.assign(s, { seqOffset: 65_500, timestampOffset: 4_294_967_000 });
      return { sender: s, sent, dtls };
    }
    const state = (s: RTCRtpSender) => {
      const i = s as unknown as Record<string, unknown>;
      return {
        timestamp: i.timestamp,
        sequenceNumber: i.sequenceNumber,
        rtpTimestamp: i.rtpTimestamp,
        octetCount: i.octetCount,
        packetCount: i.packetCount,
        headerBytesSent: i.headerBytesSent,
        rtpCache: (i.rtpCache as RtpPacket[]).map((p) => p?.serialize().toString('hex')),
      };
    };

    it("sends what werift's sendRtp sends, leaving the sender's state as it does, with a true NTP time", async () => {
      const ours = sender();
      const theirs = sender();
      try {
        for (const raw of packets()) {
          const rtp = RtpPacket.deSerialize(raw);
          assert.equal(sendRtpFast(ours.sender, ownPacket(rtp)), true);
          await theirs.sender.sendRtp(ownPacket(rtp));
        }
        assert.equal(ours.sent.length, 300);
        assert.deepEqual(
          ours.sent.map((b) => b.toString('hex')),
          theirs.sent.map((b) => b.toString('hex')),
        );
        assert.deepEqual(state(ours.sender), state(theirs.sender));
        assert.deepEqual([ours.dtls.bytesSent, ours.dtls.packetsSent], [theirs.dtls.bytesSent, theirs.dtls.packetsSent]);
        // The Sender Reports' NTP time: ours is now, to the millisecond; werift's is whole seconds.
        const ntp = (ours.sender as unknown as { ntpTimestamp: bigint }).ntpTimestamp;
        const ms = Number(ntp >> 32n) * 1000 + (Number(ntp & 0xffffffffn) / 2 ** 32) * 1000 - 2_208_988_800_000;
        assert.ok(Math.abs(ms - Date.now()) < 1000, `NTP time ${ms} against now ${Date.now()}`);
        assert.ok((ours.sender as unknown as { rtcpRunning: boolean }).rtcpRunning, 'its Sender Reports started');
      } finally {
        ours.sender.stop();
        theirs.sender.stop();
      }
    });

    it("leaves a sender with header extensions to werift's path, and drops a packet while not connected as werift does", () => {
      const a = sender();
      (a.sender as unknown as { headerExtensions: unknown[] }).headerExtensions = [{ id: 1, uri: 'urn:ietf:params:rtp-hdrext:sdes:mid' }];
      const rtp = RtpPacket.deSerialize(packets()[0]!);
      assert.equal(sendRtpFast(a.sender, ownPacket(rtp)), false);
      const b = sender();
      b.dtls.state = 'connecting';
      const before = state(b.sender);
      assert.equal(sendRtpFast(b.sender, ownPacket(rtp)), true);
      assert.deepEqual([a.sent.length, b.sent.length], [0, 0]);
      assert.deepEqual(state(b.sender), before);
    });

    it('writes NTP timestamps as seconds since 1900 and a binary fraction', () => {
      const ms = Date.UTC(2026, 11, 7, 12, 0, 0, 250);
      assert.equal(ntpTimestamp(ms), (BigInt(ms / 1000 - 0.25 + 2_208_988_800) << 32n) | BigInt(2 ** 30));
      assert.equal(ntpTimestamp(Date.UTC(1970, 0, 1)), 2_208_988_800n << 32n);
    });
  });
});
