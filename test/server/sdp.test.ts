// The relay's pure SDP rewrites (packages/server/src/relay/sdp.ts) on literal, browser-shaped descriptions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addVideoBitrateHints,
  setAudioPacketTime,
  bundleCandidates,
  filterCandidates,
  isAcceptedH264,
  isUsableSdp,
  parseCandidate,
  restrictPublisherOffer,
} from '../../packages/server/src/relay/sdp.js';

const sdp = (...lines: string[]): string => lines.join('\r\n') + '\r\n';

const SESSION = ['v=0', 'o=- 4611731400430051336 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0 1 2', 'a=msid-semantic: WMS'];
const ICE = [
  'a=ice-ufrag:Kx2f',
  'a=ice-pwd:Q7hUo2Txq0z9d2n8ZlW1nVd5',
  'a=fingerprint:sha-256 4A:AD:B9:B1:3F:82:18:3B:26:94:AB:7F:AD:3D:D3:A1:E4:C5:0F:3A:00:11:22:33:44:55:66:77:88:99:AA:BB',
  'a=setup:actpass',
];
const HOST = 'candidate:1 1 udp 2122260223 127.0.0.1 50001 typ host generation 0';
const LAN = 'candidate:2 1 udp 2122194687 192.0.2.10 50002 typ host generation 0';
const TCP = 'candidate:3 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active generation 0';

/** A Chrome-shaped publisher offer: Opus and friends, VP8/VP9/three H.264 variants with RTX, a data channel. */
const OFFER = sdp(
  ...SESSION,
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0',
  'c=IN IP4 0.0.0.0',
  `a=${HOST}`,
  `a=${LAN}`,
  ...ICE,
  'a=mid:0',
  'a=sendonly',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2',
  'a=fmtp:63 111/111',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97 98 102 127 125 107',
  'c=IN IP4 0.0.0.0',
  ...ICE,
  'a=mid:1',
  'a=sendonly',
  'a=rtpmap:96 VP8/90000',
  'a=rtcp-fb:96 nack',
  'a=rtcp-fb:96 nack pli',
  'a=rtpmap:97 rtx/90000',
  'a=fmtp:97 apt=96',
  'a=rtpmap:98 VP9/90000',
  'a=fmtp:98 profile-id=0',
  'a=rtpmap:102 H264/90000',
  'a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f',
  'a=rtpmap:127 H264/90000',
  'a=fmtp:127 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f',
  'a=rtpmap:125 H264/90000',
  'a=rtcp-fb:125 nack pli',
  'a=fmtp:125 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42E01F',
  'a=rtpmap:107 rtx/90000',
  'a=fmtp:107 apt=125',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 0.0.0.0',
  ...ICE,
  'a=mid:2',
  'a=sctp-port:5000',
);

describe('restrictPublisherOffer', () => {
  it('keeps VP8 and H.264 42e01f mode 1 for video and Opus alone for audio, with their lines only', () => {
    assert.equal(
      restrictPublisherOffer(OFFER),
      sdp(
        ...SESSION,
        'm=audio 9 UDP/TLS/RTP/SAVPF 111',
        'c=IN IP4 0.0.0.0',
        `a=${HOST}`,
        `a=${LAN}`,
        ...ICE,
        'a=mid:0',
        'a=sendonly',
        'a=rtpmap:111 opus/48000/2',
        'a=rtcp-fb:111 transport-cc',
        'a=fmtp:111 minptime=10;useinbandfec=1',
        'm=video 9 UDP/TLS/RTP/SAVPF 96 125',
        'c=IN IP4 0.0.0.0',
        ...ICE,
        'a=mid:1',
        'a=sendonly',
        'a=rtpmap:96 VP8/90000',
        'a=rtcp-fb:96 nack',
        'a=rtcp-fb:96 nack pli',
        'a=rtpmap:125 H264/90000',
        'a=rtcp-fb:125 nack pli',
        'a=fmtp:125 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42E01F',
        'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
        'c=IN IP4 0.0.0.0',
        ...ICE,
        'a=mid:2',
        'a=sctp-port:5000',
      ),
    );
  });

  it('leaves a section without an acceptable codec as it was (werift then rejects it)', () => {
    const vp9Only = sdp(
      ...SESSION,
      'm=video 9 UDP/TLS/RTP/SAVPF 98 99',
      ...ICE,
      'a=mid:0',
      'a=rtpmap:98 VP9/90000',
      'a=rtpmap:99 rtx/90000',
      'a=fmtp:99 apt=98',
    );
    assert.equal(restrictPublisherOffer(vp9Only), vp9Only);
  });

  it('turns LF line ends into CRLF and drops empty lines', () => {
    const lf = [
      'v=0',
      'o=- 1 2 IN IP4 127.0.0.1',
      's=-',
      't=0 0',
      '',
      'm=audio 9 UDP/TLS/RTP/SAVPF 0 111',
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:111 opus/48000/2',
      '',
    ].join('\n');
    assert.equal(
      restrictPublisherOffer(lf),
      sdp('v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=rtpmap:111 opus/48000/2'),
    );
  });
});

describe('isAcceptedH264', () => {
  it('accepts constrained baseline 3.1 in packetization mode 1 only', () => {
    assert.equal(
      isAcceptedH264(
        new Map([
          ['packetization-mode', '1'],
          ['profile-level-id', '42E01F'],
        ]),
      ),
      true,
    );
    assert.equal(
      isAcceptedH264(
        new Map([
          ['packetization-mode', '0'],
          ['profile-level-id', '42e01f'],
        ]),
      ),
      false,
    );
    assert.equal(
      isAcceptedH264(
        new Map([
          ['packetization-mode', '1'],
          ['profile-level-id', '42001f'],
        ]),
      ),
      false,
    );
    assert.equal(isAcceptedH264(new Map([['profile-level-id', '42e01f']])), false);
  });
});

describe('setAudioPacketTime', () => {
  it('asks each audio section in use for the packet length, at its end; not video, a rejected section or one with a ptime', () => {
    const audio = ['m=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=rtpmap:111 opus/48000/2', 'a=fmtp:111 minptime=10;useinbandfec=1'];
    const rest = [
      'm=video 9 UDP/TLS/RTP/SAVPF 96',
      'a=rtpmap:96 VP8/90000',
      'm=audio 0 UDP/TLS/RTP/SAVPF 111',
      'a=rtpmap:111 opus/48000/2',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111',
      'a=ptime:20',
    ];
    assert.equal(setAudioPacketTime(sdp(...SESSION, ...audio, ...rest), 60), sdp(...SESSION, ...audio, 'a=ptime:60', ...rest));
  });
});

describe('addVideoBitrateHints', () => {
  const hints = { start: 1500, min: 300, max: 2500 };
  const extra = 'x-google-start-bitrate=1500;x-google-min-bitrate=300;x-google-max-bitrate=2500';

  it('adds the hints to every video codec fmtp (a new fmtp where there is none), not to RTX or audio', () => {
    const answer = sdp(
      ...SESSION,
      'm=audio 9 UDP/TLS/RTP/SAVPF 111',
      'a=rtpmap:111 opus/48000/2',
      'a=fmtp:111 minptime=10',
      'm=video 9 UDP/TLS/RTP/SAVPF 96 97 125',
      'a=rtpmap:96 VP8/90000',
      'a=rtpmap:97 rtx/90000',
      'a=fmtp:97 apt=96',
      'a=rtpmap:125 H264/90000',
      'a=fmtp:125 packetization-mode=1;profile-level-id=42e01f',
    );
    assert.equal(
      addVideoBitrateHints(answer, hints),
      sdp(
        ...SESSION,
        'm=audio 9 UDP/TLS/RTP/SAVPF 111',
        'a=rtpmap:111 opus/48000/2',
        'a=fmtp:111 minptime=10',
        'm=video 9 UDP/TLS/RTP/SAVPF 96 97 125',
        'a=rtpmap:96 VP8/90000',
        `a=fmtp:96 ${extra}`,
        'a=rtpmap:97 rtx/90000',
        'a=fmtp:97 apt=96',
        'a=rtpmap:125 H264/90000',
        `a=fmtp:125 packetization-mode=1;profile-level-id=42e01f;${extra}`,
      ),
    );
  });

  it('leaves a rejected video section (port 0) and existing hints alone', () => {
    const rejected = sdp(...SESSION, 'm=video 0 UDP/TLS/RTP/SAVPF 96', 'a=rtpmap:96 VP8/90000');
    assert.equal(addVideoBitrateHints(rejected, hints), rejected);
    const hinted = sdp(...SESSION, 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=rtpmap:96 VP8/90000', 'a=fmtp:96 x-google-max-bitrate=900');
    assert.equal(addVideoBitrateHints(hinted, hints), hinted);
  });
});

describe('candidates', () => {
  it('parseCandidate reads the transport and the address, with or without a=', () => {
    assert.deepEqual(parseCandidate(HOST), { protocol: 'udp', address: '127.0.0.1' });
    assert.deepEqual(parseCandidate(`a=${TCP}`), { protocol: 'tcp', address: '127.0.0.1' });
    assert.deepEqual(parseCandidate('candidate:4 1 UDP 1 FE80::1 5000 typ host'), { protocol: 'udp', address: 'fe80::1' });
    assert.equal(parseCandidate('candidate:1 1 udp 2122260223'), undefined);
  });

  it('filterCandidates drops exactly the candidate lines refused', () => {
    const input = sdp(...SESSION, 'm=audio 9 UDP/TLS/RTP/SAVPF 111', `a=${HOST}`, `a=${LAN}`, `a=${TCP}`, 'a=mid:0', 'a=end-of-candidates');
    const seen: string[] = [];
    const out = filterCandidates(input, (c) => {
      seen.push(c);
      return parseCandidate(c)?.address === '127.0.0.1' && parseCandidate(c)?.protocol === 'udp';
    });
    assert.deepEqual(seen, [HOST, LAN, TCP]);
    assert.equal(out, sdp(...SESSION, 'm=audio 9 UDP/TLS/RTP/SAVPF 111', `a=${HOST}`, 'a=mid:0', 'a=end-of-candidates'));
  });

  it("bundleCandidates trickles the first section's candidates with its mid", () => {
    const input = sdp(
      ...SESSION,
      'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
      'a=mid:data',
      `a=${HOST}`,
      `a=${LAN}`,
      'm=audio 9 UDP/TLS/RTP/SAVPF 111',
      'a=mid:1',
      `a=${TCP}`,
    );
    assert.deepEqual(bundleCandidates(input), [
      { candidate: HOST, sdpMid: 'data', sdpMLineIndex: 0 },
      { candidate: LAN, sdpMid: 'data', sdpMLineIndex: 0 },
    ]);
    assert.deepEqual(bundleCandidates(sdp(...SESSION, 'm=audio 9 UDP/TLS/RTP/SAVPF 111', `a=${HOST}`)), [{ candidate: HOST, sdpMid: '0', sdpMLineIndex: 0 }]);
    assert.deepEqual(bundleCandidates(sdp(...SESSION)), []);
  });
});

describe('isUsableSdp', () => {
  it('wants v=0, a media section, ICE credentials and a fingerprint', () => {
    assert.equal(isUsableSdp(OFFER), true);
    assert.equal(isUsableSdp(OFFER.replace(/\r\n/g, '\n')), true);
    assert.equal(isUsableSdp(OFFER.replace('v=0', 'v=1')), false);
    assert.equal(isUsableSdp(sdp(...SESSION, ...ICE)), false);
    assert.equal(isUsableSdp(OFFER.replace(/a=ice-ufrag:[^\r]*\r\n/g, '')), false);
    assert.equal(isUsableSdp(OFFER.replace(/a=fingerprint:[^\r]*\r\n/g, '')), false);
    assert.equal(isUsableSdp('hello'), false);
  });
});
