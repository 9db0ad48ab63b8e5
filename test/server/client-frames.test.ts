// The server's side of the codec: parseClientFrame with literal frames, as a socket delivers them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_FRAME_BYTES } from '../../src/core/protocol/ams.js';
import { parseClientFrame } from '../../src/core/protocol/codec.js';
import { CLIENT_FRAME_COMMANDS } from '../../src/core/protocol/messages.js';

/** The typed frame of a usable text frame (fails the test otherwise). */
const frame = (text: string) => {
  const parsed = parseClientFrame(text);
  assert.equal(parsed.kind, 'frame', `${text} -> ${JSON.stringify(parsed)}`);
  return parsed.kind === 'frame' ? parsed.frame : undefined;
};

describe('parseClientFrame', () => {
  it('refuses what is not a JSON object with a command, before any command is looked at', () => {
    const invalid = (reason: string) => ({ kind: 'invalid', error: { definition: 'invalid_message', reason } });
    assert.deepEqual(parseClientFrame(new Uint8Array([123, 125])), invalid('frames must be JSON text'));
    assert.deepEqual(parseClientFrame('{"command":'), invalid('not JSON'));
    for (const text of ['[]', 'null', '"ping"', '{"streamId":"s"}', '{"command":5}']) {
      assert.deepEqual(parseClientFrame(text), invalid('a frame is a JSON object with a command'), text);
    }
  });

  it('refuses a frame over MAX_FRAME_BYTES (counted in UTF-8 bytes) as message_too_large, even a binary one', () => {
    const tooLarge = { kind: 'invalid', error: { definition: 'message_too_large', maxBytes: MAX_FRAME_BYTES } };
    const pad = (n: number) => `{"command":"ping","x":"${'a'.repeat(n - 25)}"}`;
    assert.equal(Buffer.byteLength(pad(MAX_FRAME_BYTES)), MAX_FRAME_BYTES);
    assert.equal(parseClientFrame(pad(MAX_FRAME_BYTES)).kind, 'frame');
    assert.deepEqual(parseClientFrame(pad(MAX_FRAME_BYTES + 1)), tooLarge);
    // 30,000 three-byte characters: under the limit in UTF-16 units, over it in bytes.
    assert.deepEqual(parseClientFrame(`{"command":"ping","x":"${'€'.repeat(30_000)}"}`), tooLarge);
    assert.deepEqual(parseClientFrame(new Uint8Array(MAX_FRAME_BYTES + 1)), tooLarge);
  });

  it('names an unknown command (cut to 64 characters) and keeps its streamId for the fault rules', () => {
    const long = 'x'.repeat(100);
    assert.deepEqual(parseClientFrame(`{"command":"${long}","streamId":"s1"}`), {
      kind: 'refused',
      command: long,
      streamId: 's1',
      error: { definition: 'unknown_command', unknownCommand: 'x'.repeat(64) },
    });
    // A command of the AMS vocabulary this server does not answer is unknown as well.
    assert.equal(parseClientFrame('{"command":"getTrackList","streamId":"s"}').kind, 'refused');
  });

  it('reads forceStreamQuality: a height in pixels, anything else 0 (automatic)', () => {
    const height = (raw: unknown) => {
      const parsed = parseClientFrame(JSON.stringify({ command: 'forceStreamQuality', streamId: 's', streamHeight: raw }));
      return parsed.kind === 'frame' && parsed.frame.command === 'forceStreamQuality' ? parsed.frame.streamHeight : undefined;
    };
    assert.deepEqual([height(360), height('240'), height(-5), height('x'), height(undefined), height(719.6)], [360, 240, 0, 0, 0, 719]);
  });

  it('refuses a stream command with no streamId, an empty one or an invalid one', () => {
    const refused = (text: string) => {
      const parsed = parseClientFrame(text);
      assert.equal(parsed.kind, 'refused', text);
      return parsed.kind === 'refused' ? parsed.error : undefined;
    };
    assert.deepEqual(refused('{"command":"publish"}'), { definition: 'noStreamNameSpecified' });
    assert.deepEqual(refused('{"command":"play","streamId":""}'), { definition: 'noStreamNameSpecified' });
    assert.deepEqual(refused('{"command":"stop","streamId":7}'), { definition: 'noStreamNameSpecified' });
    assert.deepEqual(refused(`{"command":"publish","streamId":"a b${'c'.repeat(300)}"}`), {
      definition: 'invalidStreamName',
      streamId: `a b${'c'.repeat(253)}`,
    });
  });

  it('checks the room of a legacy room command before its optional streamId', () => {
    const error = (text: string) => {
      const parsed = parseClientFrame(text);
      return parsed.kind === 'refused' ? parsed.error : parsed.kind;
    };
    assert.deepEqual(error('{"command":"joinRoom","streamId":"bad id"}'), { definition: 'no_room_specified' });
    assert.deepEqual(error('{"command":"getRoomInfo","room":"r/1"}'), { definition: 'invalidStreamName', room: 'r/1' });
    assert.deepEqual(error('{"command":"leaveFromRoom","room":"r1","streamId":"bad id"}'), { definition: 'invalidStreamName', streamId: 'bad id' });
    assert.deepEqual(frame('{"command":"joinRoom","room":"r1","streamId":"","mode":"legacy","streamName":"Ann","metadata":"m"}'), {
      command: 'joinRoom',
      room: 'r1',
      streamName: 'Ann',
      metadata: 'm',
    });
  });

  it('keeps the fields of the declared types and repairs what AMS tolerates', () => {
    assert.deepEqual(frame('{"command":"takeCandidate","streamId":"s","label":"2","candidate":"c"}'), {
      command: 'takeCandidate',
      streamId: 's',
      label: 2,
      id: '2',
      candidate: 'c',
    });
    assert.deepEqual(frame('{"command":"takeCandidate","streamId":"s","label":-1,"id":"audio"}'), {
      command: 'takeCandidate',
      streamId: 's',
      label: 0,
      id: 'audio',
      candidate: '',
    });
    assert.deepEqual(frame('{"command":"takeConfiguration","streamId":"s","type":"pranswer","sdp":5}'), {
      command: 'takeConfiguration',
      streamId: 's',
      sdp: '',
    });
    assert.deepEqual(frame('{"command":"publish","streamId":"s","token":7,"streamName":"n","mainTrack":"","video":true}'), {
      command: 'publish',
      streamId: 's',
      streamName: 'n',
      mainTrack: '',
    });
    assert.deepEqual(frame('{"command":"play","streamId":"room","trackList":["a",1,"!b",null],"userPublishId":"me"}'), {
      command: 'play',
      streamId: 'room',
      userPublishId: 'me',
      trackList: ['a', '!b'],
    });
    assert.deepEqual(frame('{"command":"updateStreamMetaData","streamId":"s","metaData":{"mic":false}}'), {
      command: 'updateStreamMetaData',
      streamId: 's',
      metaData: '{"mic":false}',
    });
    assert.deepEqual(frame('{"command":"updateStreamMetaData","streamId":"s"}'), { command: 'updateStreamMetaData', streamId: 's', metaData: null });
    assert.deepEqual(frame('{"command":"enableTrack","streamId":"r","trackId":"ARDAMSvs","enabled":"false"}'), {
      command: 'enableTrack',
      streamId: 'r',
      trackId: 'ARDAMSvs',
      enabled: false,
    });
    assert.deepEqual(frame('{"command":"getSubtracks","streamId":"r","offset":-1,"size":2.5}'), { command: 'getSubtracks', streamId: 'r', size: 2.5 });
    assert.deepEqual(frame('{"command":"setMaxVideoTrackCountCommand","streamId":"r"}'), {
      command: 'setMaxVideoTrackCountCommand',
      streamId: 'r',
      maxTrackCount: -1,
    });
  });

  it('hands the JSON object on as it arrived (P2P relays it unchanged) with the raw streamId', () => {
    const parsed = parseClientFrame('{"command":"takeCandidate","streamId":"p","label":"1","candidate":"c","extra":[1]}');
    assert.equal(parsed.kind, 'frame');
    if (parsed.kind !== 'frame') return;
    assert.deepEqual(parsed.json, { command: 'takeCandidate', streamId: 'p', label: '1', candidate: 'c', extra: [1] });
    assert.equal(parsed.streamId, 'p');
    const ping = parseClientFrame('{"command":"getIceServerConfig","streamId":""}');
    assert.deepEqual(ping.kind === 'frame' && [ping.frame, ping.streamId], [{ command: 'getIceServerConfig' }, '']);
  });

  it('reads every command of CLIENT_FRAME_COMMANDS', () => {
    for (const command of CLIENT_FRAME_COMMANDS) {
      const parsed = parseClientFrame(JSON.stringify({ command, streamId: 's1', room: 'r1' }));
      assert.equal(parsed.kind === 'frame' && parsed.frame.command, command);
    }
  });
});
