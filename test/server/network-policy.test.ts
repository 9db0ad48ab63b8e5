// The relay's network policy (packages/server/src/relay/network-policy.ts) and werift workarounds
// (packages/server/src/relay/werift-workarounds.ts) that need no connection, on literal candidates,
// SDP and RTP bytes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RtpPacket } from 'werift';
import { MAX_MESSAGE_SIZE, networkPolicy } from '../../packages/server/src/relay/network-policy.js';
import { ownPacket, reviveInactiveSections } from '../../packages/server/src/relay/werift-workarounds.js';

const candidate = (address: string, protocol = 'udp'): string => `candidate:1 1 ${protocol} 2122260223 ${address} 50000 typ host generation 0`;

describe('networkPolicy without announced hosts', () => {
  const policy = networkPolicy(undefined);

  it('binds and gathers 127.0.0.1 only', () => {
    assert.deepEqual(policy.config, {
      iceServers: [],
      bundlePolicy: 'max-bundle',
      iceUseIpv4: false,
      iceUseIpv6: false,
      maxMessageSize: MAX_MESSAGE_SIZE,
      iceAdditionalHostAddresses: ['127.0.0.1'],
      iceInterfaceAddresses: { udp4: '127.0.0.1' },
    });
    assert.equal(MAX_MESSAGE_SIZE, 262_144);
    assert.deepEqual(networkPolicy([]).config, policy.config);
  });

  it('hands out 127.0.0.1 candidates only', () => {
    assert.equal(policy.allowLocal(candidate('127.0.0.1')), true);
    assert.equal(policy.allowLocal(`a=${candidate('127.0.0.1')}`), true);
    assert.equal(policy.allowLocal(candidate('192.0.2.10')), false);
    assert.equal(policy.allowLocal('candidate:garbage'), false);
  });

  it("takes UDP loopback candidates, never TCP or another machine's", () => {
    assert.equal(policy.allowRemote(candidate('127.0.0.1')), true);
    assert.equal(policy.allowRemote(candidate('127.3.2.1')), true);
    assert.equal(policy.allowRemote(candidate('::1')), true);
    assert.equal(policy.allowRemote(candidate('127.0.0.1', 'tcp')), false);
    assert.equal(policy.allowRemote(candidate('192.0.2.10')), false);
    assert.equal(policy.allowRemote(''), false);
  });
});

describe('networkPolicy with announced hosts', () => {
  const policy = networkPolicy(['198.51.100.7', '127.0.0.1']);

  it('gathers the loopback and the announced hosts, on every interface', () => {
    assert.deepEqual(policy.config?.iceAdditionalHostAddresses, ['127.0.0.1', '198.51.100.7']);
    assert.equal(policy.config?.iceInterfaceAddresses, undefined);
  });

  it('hands out the announced addresses and takes any UDP candidate', () => {
    assert.equal(policy.allowLocal(candidate('198.51.100.7')), true);
    assert.equal(policy.allowLocal(candidate('127.0.0.1')), true);
    assert.equal(policy.allowLocal(candidate('192.0.2.10')), false);
    assert.equal(policy.allowRemote(candidate('192.0.2.10')), true);
    assert.equal(policy.allowRemote(candidate('192.0.2.10', 'tcp')), false);
  });
});

describe('werift workarounds', () => {
  it('reviveInactiveSections turns port 0 audio and video m-lines into port 9', () => {
    const sdp = [
      'v=0',
      'm=audio 0 UDP/TLS/RTP/SAVPF 111',
      'a=inactive',
      'm=video 0 UDP/TLS/RTP/SAVPF 96',
      'm=video 50000 UDP/TLS/RTP/SAVPF 96',
      'm=application 0 UDP/DTLS/SCTP webrtc-datachannel',
      '',
    ].join('\r\n');
    assert.equal(
      reviveInactiveSections(sdp),
      [
        'v=0',
        'm=audio 9 UDP/TLS/RTP/SAVPF 111',
        'a=inactive',
        'm=video 9 UDP/TLS/RTP/SAVPF 96',
        'm=video 50000 UDP/TLS/RTP/SAVPF 96',
        'm=application 0 UDP/DTLS/SCTP webrtc-datachannel',
        '',
      ].join('\r\n'),
    );
  });

  it('ownPacket copies the header without extensions and leaves the original alone', () => {
    // V=2 X=1, PT 96, seq 0x1234, ts 4096, SSRC aabbccdd, one-byte extension (id 1), VP8 payload 10 b0.
    const raw = Buffer.from([0x90, 0x60, 0x12, 0x34, 0, 0, 0x10, 0, 0xaa, 0xbb, 0xcc, 0xdd, 0xbe, 0xde, 0x00, 0x01, 0x10, 0x55, 0x00, 0x00, 0x10, 0xb0]);
    const rtp = RtpPacket.deSerialize(raw);
    const copy = ownPacket(rtp);
    assert.notEqual(copy.header, rtp.header);
    assert.equal(copy.payload, rtp.payload);
    assert.deepEqual(
      [copy.header.payloadType, copy.header.sequenceNumber, copy.header.timestamp, copy.header.ssrc, copy.header.extension, copy.header.extensions.length],
      [96, 0x1234, 4096, 0xaabbccdd, false, 0],
    );
    assert.deepEqual([...copy.serialize()], [0x80, 0x60, 0x12, 0x34, 0, 0, 0x10, 0, 0xaa, 0xbb, 0xcc, 0xdd, 0x10, 0xb0]);
    assert.equal(rtp.header.extension, true);
    assert.equal(rtp.header.extensions.length, 1);
  });
});
