// The pure parts of WHIP/WHEP (packages/server/src/http/sdpfrag.ts and whip-http.ts): SDP
// fragments as clients write them, the offer an ICE restart rebuilds, the server's fragment,
// entity-tag matching, Link headers and bearer tokens.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import {
  answerFragment,
  fragmentCandidates,
  iceCredentials,
  parseSdpFragment,
  restartedOffer,
  SdpFragmentError,
} from '../../packages/server/src/http/sdpfrag.js';
import { bearerToken, etagMatches, iceServerLinks } from '../../packages/server/src/http/whip-http.js';

const CAND = 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0';
const CAND2 = 'candidate:2 1 udp 2122260223 127.0.0.1 50002 typ host generation 0';

const OFFER = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=mid:0',
  'a=ice-ufrag:old',
  'a=ice-pwd:oldpassword',
  `a=${CAND}`,
  'a=end-of-candidates',
  'a=sendonly',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=mid:1',
  'a=ice-ufrag:old',
  'a=ice-pwd:oldpassword',
  'a=sendonly',
  '',
].join('\r\n');

describe('SDP fragments', () => {
  it('reads credentials at media level (RFC 8840) and at session level (medooze), candidates with their mid', () => {
    const rfc = parseSdpFragment(
      ['a=group:BUNDLE 0 1', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'a=ice-ufrag:EsAw', 'a=ice-pwd:P2uY', `a=${CAND}`, 'a=end-of-candidates', ''].join(
        '\r\n',
      ),
    );
    assert.deepEqual(rfc, { ufrag: 'EsAw', pwd: 'P2uY', candidates: [{ candidate: CAND, mid: '0' }], endOfCandidates: true });
    const medooze = parseSdpFragment(['a=ice-ufrag:u', 'a=ice-pwd:p', 'm=video 9 UDP/TLS/RTP/SAVPF 0', 'a=mid:1', `a=${CAND}`, ''].join('\r\n'));
    assert.deepEqual(medooze, { ufrag: 'u', pwd: 'p', candidates: [{ candidate: CAND, mid: '1' }], endOfCandidates: false });
    assert.deepEqual(parseSdpFragment(`a=${CAND}\n`), { candidates: [{ candidate: CAND, mid: undefined }], endOfCandidates: false });
  });

  it('refuses what is no fragment', () => {
    for (const bad of ['', '\r\n', 'garbage', 'a=candidate:1 2 3', 'a=ice-ufrag:u\r\n', 'a=ice-pwd:p\r\n', 'a=ice-ufrag:\r\na=ice-pwd:\r\n']) {
      assert.throws(() => parseSdpFragment(bad), SdpFragmentError, JSON.stringify(bad));
    }
  });

  it("gives each candidate its section's m-line index; no mid or an unknown one goes to the first section", () => {
    const frag = parseSdpFragment(
      ['m=video 9 UDP/TLS/RTP/SAVPF 0', 'a=mid:1', `a=${CAND}`, 'm=audio 9 UDP/TLS/RTP/SAVPF 0', 'a=mid:9', `a=${CAND2}`, ''].join('\r\n'),
    );
    assert.deepEqual(fragmentCandidates(frag, OFFER), [
      { candidate: CAND, sdpMid: '1', sdpMLineIndex: 1 },
      { candidate: CAND2, sdpMid: '0', sdpMLineIndex: 0 },
    ]);
  });

  it('rebuilds the offer of an ICE restart: new credentials everywhere, old candidates out, new ones in the first section', () => {
    const frag = {
      ...parseSdpFragment(`a=ice-ufrag:new\r\na=ice-pwd:newpassword\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\na=${CAND2}\r\n`),
      ufrag: 'new',
      pwd: 'newpassword',
    };
    const offer = restartedOffer(OFFER, frag);
    assert.deepEqual(iceCredentials(offer), { ufrag: 'new', pwd: 'newpassword' });
    assert.equal(offer.match(/a=ice-ufrag:new/g)!.length, 2);
    assert.ok(!offer.includes('old'));
    assert.ok(!offer.includes(CAND));
    const lines = offer.split('\r\n');
    assert.equal(lines[lines.indexOf('m=audio 9 UDP/TLS/RTP/SAVPF 111') + 1], `a=${CAND2}`);
    assert.ok(!offer.includes('a=end-of-candidates'));
    assert.match(offer, /a=sendonly\r\n$/);
  });

  it("writes the server's fragment from its answer: ice-lite and ice-options, BUNDLE, the first section's mid, credentials, candidates, end-of-candidates", () => {
    const answer = [
      'v=0',
      'o=- 1 2 IN IP4 127.0.0.1',
      's=-',
      't=0 0',
      'a=ice-lite',
      'a=ice-options:trickle',
      'a=group:BUNDLE 0 1',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111',
      'c=IN IP4 0.0.0.0',
      'a=ice-ufrag:srv',
      'a=ice-pwd:srvpassword',
      `a=${CAND}`,
      'a=mid:0',
      'a=recvonly',
      'm=video 9 UDP/TLS/RTP/SAVPF 96',
      'a=mid:1',
      `a=${CAND2}`,
      '',
    ].join('\r\n');
    assert.equal(
      answerFragment(answer),
      [
        'a=ice-lite',
        'a=ice-options:trickle',
        'a=group:BUNDLE 0 1',
        'm=audio 9 UDP/TLS/RTP/SAVPF 111',
        'a=mid:0',
        'a=ice-ufrag:srv',
        'a=ice-pwd:srvpassword',
        `a=${CAND}`,
        'a=end-of-candidates',
        '',
      ].join('\r\n'),
    );
  });
});

describe('WHIP HTTP pieces', () => {
  it('If-Match: * or an equal strong tag in the list; a weak tag never', () => {
    assert.equal(etagMatches('*', '"a"'), true);
    assert.equal(etagMatches('"a"', '"a"'), true);
    assert.equal(etagMatches('"b", "a"', '"a"'), true);
    assert.equal(etagMatches('"b"', '"a"'), false);
    assert.equal(etagMatches('W/"a"', '"a"'), false);
    assert.equal(etagMatches('a', '"a"'), false);
  });

  it('Link: the stun URI of the setting (stun: added when it has no scheme), none when empty or unsafe', () => {
    assert.deepEqual(iceServerLinks('stun:stun.example.test:3478'), ['<stun:stun.example.test:3478>; rel="ice-server"']);
    assert.deepEqual(iceServerLinks('stun.example.test:3478'), ['<stun:stun.example.test:3478>; rel="ice-server"']);
    assert.deepEqual(iceServerLinks('turn:turn.example.test?transport=udp'), ['<turn:turn.example.test?transport=udp>; rel="ice-server"']);
    assert.deepEqual(iceServerLinks(''), []);
    assert.deepEqual(iceServerLinks('stun:a>; rel="x"'), []);
    assert.deepEqual(iceServerLinks('stun:a\r\nx: y'), []);
  });

  it('bearer token: the Authorization header (Bearer only), else the token query parameter', () => {
    const req = (authorization?: string) => ({ headers: authorization === undefined ? {} : { authorization } }) as IncomingMessage;
    const url = new URL('http://h/LiveApp/whip/s?token=fromquery');
    assert.equal(bearerToken(req('Bearer abc'), url), 'abc');
    assert.equal(bearerToken(req('bearer  abc'), url), 'abc');
    assert.equal(bearerToken(req('Basic abc'), url), undefined);
    assert.equal(bearerToken(req('Bearer '), url), undefined);
    assert.equal(bearerToken(req(), url), 'fromquery');
    assert.equal(bearerToken(req(), new URL('http://h/x')), undefined);
  });
});
