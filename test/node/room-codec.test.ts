// The conference formats (src/core/room/codec.ts) with literal messages, as AMS's conference apps
// and the server send them: every decoder reads junk as "ignore" and never throws.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeMetaData, decodeRoomMessage, encodeChat, encodeMetaData, encodeStateEvent, isSlot, trackOwner } from '../../src/core/room/codec.js';

const XSS = '<img src=x onerror=alert(1)>';

describe('room data-channel messages', () => {
  it('reads the state events of AMS conference apps', () => {
    const cases: Array<[string, object]> = [
      ['{"streamId":"a","eventType":"MIC_MUTED"}', { micMuted: true }],
      ['{"streamId":"a","eventType":"MIC_UNMUTED"}', { micMuted: false }],
      ['{"streamId":"a","eventType":"CAM_TURNED_OFF"}', { cameraOff: true }],
      ['{"streamId":"a","eventType":"CAM_TURNED_ON"}', { cameraOff: false }],
      ['{"streamId":"a","eventType":"SCREEN_SHARED_ON"}', { sharing: true }],
      ['{"streamId":"a","eventType":"SCREEN_SHARED_OFF"}', { sharing: false }],
    ];
    for (const [text, state] of cases) assert.deepEqual(decodeRoomMessage(text), { kind: 'state', from: 'a', state }, text);
  });

  it('reads chat, with any message as text', () => {
    assert.deepEqual(decodeRoomMessage('{"streamId":"a","eventType":"CHAT_MESSAGE","message":"hello ünïcode ✓"}'), {
      kind: 'chat',
      from: 'a',
      text: 'hello ünïcode ✓',
    });
    assert.deepEqual(decodeRoomMessage(JSON.stringify({ streamId: 'a', eventType: 'CHAT_MESSAGE', message: XSS })), { kind: 'chat', from: 'a', text: XSS });
    assert.deepEqual(decodeRoomMessage('{"streamId":"a","eventType":"CHAT_MESSAGE"}'), { kind: 'chat', from: 'a', text: '' });
    // An object of its own toString made String() throw (a hostile peer or server); a number is still text.
    assert.deepEqual(decodeRoomMessage('{"streamId":"a","eventType":"CHAT_MESSAGE","message":{"toString":1}}'), { kind: 'chat', from: 'a', text: '' });
    assert.deepEqual(decodeRoomMessage('{"streamId":"a","eventType":"CHAT_MESSAGE","message":42}'), { kind: 'chat', from: 'a', text: '42' });
    assert.deepEqual(decodeRoomMessage('{"streamId":"a","eventType":"CHAT_MESSAGE","message":42}'), { kind: 'chat', from: 'a', text: '42' });
  });

  it('reads the p2p name (at most 100 characters, markup kept as the text it is), with any event', () => {
    assert.deepEqual(decodeRoomMessage('{"streamId":"a","eventType":"MIC_UNMUTED","name":"Bob"}'), {
      kind: 'state',
      from: 'a',
      name: 'Bob',
      state: { micMuted: false },
    });
    assert.deepEqual(decodeRoomMessage('{"streamId":"a","eventType":"CHAT_MESSAGE","message":"hi","name":"Bob"}'), {
      kind: 'chat',
      from: 'a',
      name: 'Bob',
      text: 'hi',
    });
    assert.deepEqual(decodeRoomMessage('{"streamId":"a","eventType":"SOMETHING_ELSE","name":"Bob"}'), { kind: 'name', from: 'a', name: 'Bob' });
    assert.deepEqual(decodeRoomMessage(JSON.stringify({ streamId: 'a', eventType: 'X', name: XSS })), { kind: 'name', from: 'a', name: XSS });
    const long = decodeRoomMessage(JSON.stringify({ streamId: 'a', eventType: 'X', name: 'n'.repeat(150) }));
    assert.deepEqual(long, { kind: 'name', from: 'a', name: 'n'.repeat(100) });
    // A name that is not a non-empty string is no name.
    assert.deepEqual(decodeRoomMessage('{"streamId":"a","eventType":"MIC_MUTED","name":42}'), { kind: 'state', from: 'a', state: { micMuted: true } });
    assert.deepEqual(decodeRoomMessage('{"streamId":"a","eventType":"MIC_MUTED","name":""}'), { kind: 'state', from: 'a', state: { micMuted: true } });
    assert.deepEqual(decodeRoomMessage('{"streamId":"a","eventType":"X","name":{"first":"Bob"}}'), { kind: 'ignore' });
  });

  it('reads VIDEO_TRACK_ASSIGNMENT_LIST, skipping broken entries', () => {
    const msg = decodeRoomMessage(
      '{"eventType":"VIDEO_TRACK_ASSIGNMENT_LIST","payload":[{"videoLabel":"videoTrack0","trackId":"p1","reserved":false},null,7,"x",{"videoLabel":"videoTrack1"},{"videoLabel":"videoTrack2","trackId":3},{"videoLabel":"videoTrack1","trackId":"p2"}]}',
    );
    assert.equal(msg.kind, 'slots');
    assert.deepEqual(
      [...(msg.kind === 'slots' ? msg.owners : [])],
      [
        ['videoTrack0', 'p1'],
        ['videoTrack1', 'p2'],
      ],
    );
    assert.deepEqual(decodeRoomMessage('{"eventType":"VIDEO_TRACK_ASSIGNMENT_LIST","payload":[]}'), { kind: 'slots', owners: new Map() });
    // Without a list it is an event like any other: from nobody, so ignored.
    assert.deepEqual(decodeRoomMessage('{"eventType":"VIDEO_TRACK_ASSIGNMENT_LIST","payload":{"videoTrack0":"p1"}}'), { kind: 'ignore' });
  });

  it('ignores malformed input without throwing', () => {
    const junk: unknown[] = [
      'not json',
      '{"streamId":"a","eventType":"MIC_MUTED"',
      '',
      'null',
      '42',
      '"MIC_MUTED"',
      '[{"streamId":"a","eventType":"MIC_MUTED"}]',
      '{}',
      '{"eventType":"MIC_MUTED"}',
      '{"streamId":"","eventType":"MIC_MUTED"}',
      '{"streamId":7,"eventType":"MIC_MUTED"}',
      '{"streamId":"a"}',
      '{"streamId":"a","eventType":"toString"}',
      '{"streamId":"a","eventType":"__proto__"}',
      '{"streamId":"a","eventType":{"MIC_MUTED":true}}',
      XSS,
      undefined,
      null,
      42,
      new ArrayBuffer(4),
      { streamId: 'a', eventType: 'MIC_MUTED' },
    ];
    for (const data of junk) assert.deepEqual(decodeRoomMessage(data), { kind: 'ignore' }, String(data));
  });

  it('writes state events, chat and the p2p name as the apps read them', () => {
    assert.equal(encodeStateEvent('me', 'MIC_MUTED'), '{"streamId":"me","eventType":"MIC_MUTED"}');
    assert.equal(encodeStateEvent('me', 'CAM_TURNED_ON', 'Ann'), '{"streamId":"me","eventType":"CAM_TURNED_ON","name":"Ann"}');
    assert.equal(encodeStateEvent('me', 'SCREEN_SHARED_OFF', ''), '{"streamId":"me","eventType":"SCREEN_SHARED_OFF"}');
    assert.equal(encodeChat('me', 'a "quoted" <b>'), '{"streamId":"me","eventType":"CHAT_MESSAGE","message":"a \\"quoted\\" <b>"}');
    // What is written reads back.
    assert.deepEqual(decodeRoomMessage(encodeStateEvent('me', 'SCREEN_SHARED_ON', 'Ann')), {
      kind: 'state',
      from: 'me',
      name: 'Ann',
      state: { sharing: true },
    });
    assert.deepEqual(decodeRoomMessage(encodeChat('me', 'hi')), { kind: 'chat', from: 'me', text: 'hi' });
  });
});

describe('room metaData', () => {
  it('writes {isMicMuted, isCameraOn, isScreenShared}', () => {
    assert.equal(encodeMetaData({ micMuted: true, cameraOff: false, sharing: false }), '{"isMicMuted":true,"isCameraOn":true,"isScreenShared":false}');
    assert.equal(encodeMetaData({ micMuted: false, cameraOff: true, sharing: true }), '{"isMicMuted":false,"isCameraOn":false,"isScreenShared":true}');
  });

  it('reads it back, and the isCameraOff some apps write', () => {
    assert.deepEqual(decodeMetaData('{"isMicMuted":true,"isCameraOn":false,"isScreenShared":true}'), { micMuted: true, cameraOff: true, sharing: true });
    assert.deepEqual(decodeMetaData(encodeMetaData({ micMuted: false, cameraOff: false, sharing: false })), {
      micMuted: false,
      cameraOff: false,
      sharing: false,
    });
    assert.deepEqual(decodeMetaData('{"isCameraOff":true}'), { cameraOff: true });
    assert.deepEqual(decodeMetaData('{"isCameraOn":true,"isCameraOff":true}'), { cameraOff: false });
  });

  it('leaves junk out: fields of another type, not JSON, not an object', () => {
    assert.deepEqual(decodeMetaData('{"isMicMuted":"yes","isCameraOn":1,"isScreenShared":null}'), {});
    assert.deepEqual(decodeMetaData('{}'), {});
    for (const junk of ['not json', '{"isMicMuted": "yes", ', '', 'null', 'true', '"x"', XSS]) assert.equal(decodeMetaData(junk), undefined, junk);
    assert.deepEqual(decodeMetaData('[true]'), {});
  });
});

describe('room track ids', () => {
  it('names the stream of ARDAMS tracks and tells slots from participants', () => {
    assert.equal(trackOwner('ARDAMSvcam1'), 'cam1');
    assert.equal(trackOwner('ARDAMSacam1'), 'cam1');
    assert.equal(trackOwner('ARDAMSvvideoTrack0'), 'videoTrack0');
    assert.equal(trackOwner('cam1'), '');
    assert.equal(trackOwner(''), '');
    assert.equal(trackOwner('ARDAMSxcam1'), '');
    assert.equal(isSlot('videoTrack0'), true);
    assert.equal(isSlot('audioTrack12'), true);
    assert.equal(isSlot('videoTrack'), false);
    assert.equal(isSlot('cam1'), false);
    assert.equal(isSlot('myvideoTrack0'), false);
  });
});
