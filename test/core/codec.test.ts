// DOM-free: runs in the browser and in Node (test/helpers/bdd.ts).
import { RtcError } from '../../src/core/errors.js';
import { MAX_INBOUND_FRAME_BYTES, parseFrame, serializeFrame } from '../../src/core/protocol/codec.js';
import { describe, it } from '../helpers/bdd.js';
import { expect } from '../helpers/expect.js';

const ok = (text: unknown) => {
  const frame = parseFrame(text);
  if (frame instanceof RtcError) throw new Error(`expected a frame, got ${frame.code}: ${frame.message}`);
  return frame;
};

const bad = (text: unknown): RtcError => {
  const frame = parseFrame(text);
  expect(frame, `expected an RtcError for ${String(text).slice(0, 80)}`).to.be.instanceOf(RtcError);
  return frame as RtcError;
};

describe('codec', () => {
  describe('happy path', () => {
    const valid: Array<[string, Record<string, unknown>]> = [
      ['start', { command: 'start', streamId: 's1', subscriberId: '' }],
      ['stop', { command: 'stop', streamId: 's1' }],
      ['pong', { command: 'pong' }],
      ['notification', { command: 'notification', definition: 'publish_started', streamId: 's1' }],
      ['error', { command: 'error', definition: 'no_stream_exist', streamId: 's1', error_code: '404' }],
      ['takeConfiguration answer', { command: 'takeConfiguration', streamId: 's1', type: 'answer', sdp: 'v=0\r\n' }],
      [
        'takeConfiguration offer with idMapping',
        { command: 'takeConfiguration', streamId: 's1', type: 'offer', sdp: 'v=0\r\n', idMapping: { '0': 'ARDAMSvs1', '1': 'ARDAMSas1' } },
      ],
      ['takeCandidate', { command: 'takeCandidate', streamId: 's1', label: 0, id: '0', candidate: 'candidate:1 1 udp 1 1.2.3.4 5 typ host' }],
      ['iceServerConfig', { command: 'iceServerConfig', stunServerUri: '', turnServerUsername: '', turnServerCredential: '' }],
    ];
    for (const [name, frame] of valid) {
      it(`parses ${name} unchanged`, () => {
        expect(ok(JSON.stringify(frame))).to.deep.equal(frame);
      });
    }

    it('turns a numeric-string label into a number', () => {
      const frame = ok('{"command":"takeCandidate","streamId":"s","label":"1","id":"1","candidate":"c"}');
      expect(frame).to.deep.include({ command: 'takeCandidate', label: 1 });
      expect(typeof (frame as { label: unknown }).label).to.equal('number');
    });

    it('passes unknown commands through as they are', () => {
      const raw = { command: 'roomInformation', room: 'r', streams: ['a'], nested: { x: [1, 2] } };
      expect(ok(JSON.stringify(raw))).to.deep.equal(raw);
    });

    it('accepts a frame just under the size cap', () => {
      const filler = 'a'.repeat(MAX_INBOUND_FRAME_BYTES - 100);
      expect(ok(JSON.stringify({ command: 'notification', definition: 'debugInfo', debugInfo: filler })).command).to.equal('notification');
    });

    it('serializes a client frame as JSON', () => {
      const text = serializeFrame({ command: 'takeCandidate', streamId: 's', label: 0, id: '0', candidate: 'c' });
      expect(JSON.parse(text)).to.deep.equal({ command: 'takeCandidate', streamId: 's', label: 0, id: '0', candidate: 'c' });
      expect(serializeFrame({ command: 'ping' })).to.equal('{"command":"ping"}');
    });

    it('round-trips a frame through serialize and parse', () => {
      const frame = { command: 'takeConfiguration', streamId: 's', type: 'offer', sdp: 'v=0', idMapping: { '0': 'ARDAMSvs' } } as const;
      expect(ok(serializeFrame(frame))).to.deep.equal(frame);
    });
  });

  describe('failure: malformed frames', () => {
    const cases: Array<[string, unknown]> = [
      ['a non-string (binary) frame', new ArrayBuffer(4)],
      ['undefined', undefined],
      ['text that is not JSON', '{"command":'],
      ['an empty string', ''],
      ['a JSON array', '[{"command":"pong"}]'],
      ['JSON null', 'null'],
      ['a JSON string', '"pong"'],
      ['no command', '{"streamId":"s"}'],
      ['a numeric command', '{"command":5}'],
      ['an empty command', '{"command":""}'],
      ['start without streamId', '{"command":"start"}'],
      ['stop with a numeric streamId', '{"command":"stop","streamId":1}'],
      ['notification without definition', '{"command":"notification","streamId":"s"}'],
      ['error with a null definition', '{"command":"error","definition":null}'],
      ['takeConfiguration with a bad type', '{"command":"takeConfiguration","streamId":"s","type":"pranswer","sdp":"v=0"}'],
      ['takeConfiguration without sdp', '{"command":"takeConfiguration","streamId":"s","type":"offer"}'],
      ['takeConfiguration with an array idMapping', '{"command":"takeConfiguration","streamId":"s","type":"offer","sdp":"v","idMapping":["a"]}'],
      ['takeConfiguration with a non-string idMapping value', '{"command":"takeConfiguration","streamId":"s","type":"offer","sdp":"v","idMapping":{"0":1}}'],
      ['takeCandidate without candidate', '{"command":"takeCandidate","streamId":"s","label":0}'],
      ['takeCandidate with a non-numeric label', '{"command":"takeCandidate","streamId":"s","label":"x","candidate":"c"}'],
      ['takeCandidate with a negative label', '{"command":"takeCandidate","streamId":"s","label":-1,"candidate":"c"}'],
      ['takeCandidate with a fractional label', '{"command":"takeCandidate","streamId":"s","label":0.5,"candidate":"c"}'],
      ['takeCandidate without label', '{"command":"takeCandidate","streamId":"s","candidate":"c"}'],
    ];
    for (const [name, input] of cases) {
      it(`refuses ${name} with a protocol error`, () => {
        const error = bad(input);
        expect(error.code).to.equal('protocol');
        expect(error.category).to.equal('signaling');
        expect(error.message).to.match(/^Invalid frame from the server: /);
      });
    }

    it('refuses text over 1 MiB without parsing it', () => {
      const big = JSON.stringify({ command: 'pong', pad: 'a'.repeat(MAX_INBOUND_FRAME_BYTES) });
      expect(bad(big).message).to.contain('larger than');
    });

    it('counts the cap in UTF-8 bytes, not characters', () => {
      // 400 Ki three-byte characters: 1.2 MiB of UTF-8 in well under 1 Mi characters.
      const text = JSON.stringify({ command: 'pong', pad: '€'.repeat(400 * 1024) });
      expect(text.length).to.be.below(MAX_INBOUND_FRAME_BYTES);
      expect(bad(text).message).to.contain('larger than');
    });

    it('names the stream of a malformed frame when it can', () => {
      expect(bad('{"command":"takeCandidate","streamId":"s9","label":"x","candidate":"c"}').streamId).to.equal('s9');
    });

    it('never throws, whatever it is given', () => {
      for (const input of [null, 0, {}, [], Symbol('x'), () => 1, '\u0000', '{"command":"start","streamId":{}}', '{"__proto__":{"command":"pong"}}']) {
        expect(() => parseFrame(input)).not.to.throw();
      }
      expect(parseFrame('{"__proto__":{"command":"pong"}}')).to.be.instanceOf(RtcError);
    });
  });
});
