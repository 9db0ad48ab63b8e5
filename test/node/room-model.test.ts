// The room model (src/core/room/model.ts) in Node: participants joining, leaving and changing,
// their tracks and AMS's video slots, chat, audio levels and the active speaker's hold (with a
// manual clock: `now` is an argument). Tracks and streams are small fakes of the members it uses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeRoomMessage } from '../../src/core/room/codec.js';
import { NAME_WAIT_MS, RoomModel, SPEAKER_HOLD_MS, type ParticipantEvent, type RoomStream } from '../../src/core/room/model.js';

/** A short wait for names, so the tests need no fake clock. */
const NAME_WAIT = 30;

class FakeTrack extends EventTarget {
  readyState = 'live';
  muted = false;
  constructor(
    readonly kind: 'audio' | 'video',
    readonly id: string,
  ) {
    super();
  }
  end(): void {
    this.readyState = 'ended';
    this.dispatchEvent(new Event('ended'));
  }
}

class FakeStream implements RoomStream<FakeTrack> {
  constructor(public tracks: FakeTrack[]) {}
  getTracks(): FakeTrack[] {
    return [...this.tracks];
  }
  removeTrack(track: FakeTrack): void {
    this.tracks = this.tracks.filter((t) => t !== track);
  }
}

function room(): { model: RoomModel<FakeTrack, FakeStream>; log: string[]; changes: () => number } {
  const model = new RoomModel<FakeTrack, FakeStream>((tracks) => new FakeStream(tracks), NAME_WAIT);
  const log: string[] = [];
  let changes = 0;
  // `id/streamId` where the two differ (p2p).
  const who = ({ id, streamId, name }: ParticipantEvent): string =>
    `${id}${streamId === id ? '' : `/${streamId}`} ${name} (${[...model.participants.keys()].join(',')})`;
  model.on('joined', (e) => log.push(`joined ${who(e)}`));
  model.on('left', (e) => log.push(`left ${who(e)}`));
  model.on('change', () => changes++);
  return { model, log, changes: () => changes };
}

const msg = (o: object): ReturnType<typeof decodeRoomMessage> => decodeRoomMessage(JSON.stringify(o));
const tracksOf = (model: RoomModel<FakeTrack, FakeStream>, id: string): string[] =>
  model.participants
    .get(id)
    ?.stream.getTracks()
    .map((t) => t.id) ?? [];

describe('room model: participants', () => {
  it('lists a participant at once (its id as the name) and announces it once, when its name comes; renames', () => {
    const { model, log } = room();
    model.ensure('a');
    assert.deepEqual(log, [], 'not announced before its name');
    assert.equal(model.participants.get('a')!.name, 'a');
    model.ensure('b', 'Bob');
    model.ensure('a', 'Ann');
    model.ensure('a');
    model.ensure('a', 'Annie');
    assert.deepEqual(log, ['joined b Bob (a,b)', 'joined a Ann (a,b)']);
    assert.deepEqual(
      [...model.participants.values()].map((p) => [p.id, p.streamId, p.name, p.micMuted, p.cameraOff, p.sharing]),
      [
        ['a', 'a', 'Annie', false, false, false],
        ['b', 'b', 'Bob', false, false, false],
      ],
    );
  });

  it('without a name, announces after the wait with the best name known (its id); the wait defaults to NAME_WAIT_MS', async () => {
    assert.equal(NAME_WAIT_MS, 3000);
    const { model, log } = room();
    const since = Date.now();
    const joined = new Promise<ParticipantEvent>((resolve) => model.on('joined', resolve));
    model.ensure('anon');
    const e = await joined;
    assert.ok(Date.now() - since >= NAME_WAIT - 5, 'not before the wait');
    assert.deepEqual(e, { id: 'anon', streamId: 'anon', name: 'anon' });
    model.ensure('anon', 'Late name');
    assert.deepEqual(log, ['joined anon anon (anon)'], 'once');
    model.drop('anon');
    assert.deepEqual(log.at(-1), 'left anon Late name ()');
  });

  it('a record has the last word: announced at once, with its name or, without one, the id', () => {
    const { model, log } = room();
    model.ensure('x');
    model.update('x', undefined, { micMuted: true });
    model.update('y', 'Yann', undefined);
    assert.deepEqual(log, ['joined x x (x)', 'joined y Yann (x,y)']);
  });

  it('leaving before being announced: neither joined nor left; clear() ends the waits too', async () => {
    const { model, log } = room();
    model.ensure('gone');
    model.drop('gone');
    model.ensure('cleared');
    model.clear();
    model.ensure('named', 'Nat');
    await new Promise((r) => setTimeout(r, NAME_WAIT * 3));
    assert.deepEqual(log, ['joined named Nat (named)']);
  });

  it('updates from a record (name and metaData state), adding who is new', () => {
    const { model, log } = room();
    model.update('a', 'Ann', { micMuted: true, cameraOff: true });
    model.update('a', undefined, { cameraOff: false });
    model.update('a', undefined, undefined);
    assert.deepEqual(log, ['joined a Ann (a)']);
    const a = model.participants.get('a')!;
    assert.deepEqual([a.name, a.micMuted, a.cameraOff, a.sharing], ['Ann', true, false, false]);
  });

  it('leaves: gone before `left`, with the name its tile showed; unknown ids are nothing; clear() says `left` for each while still listed', () => {
    const { model, log } = room();
    for (const id of ['a', 'b', 'c']) model.ensure(id, `N${id}`);
    model.drop('b');
    model.drop('b');
    model.drop('zz');
    model.clear();
    assert.deepEqual(log.slice(3), ['left b Nb (a,c)', 'left a Na (a,c)', 'left c Nc (a,c)']);
    assert.equal(model.participants.size, 0);
  });

  it('applies state events and chat from the others; ignores its own and unknown senders', () => {
    const { model } = room();
    model.ensure('a', 'Ann');
    model.receive(msg({ streamId: 'a', eventType: 'MIC_MUTED' }), 'me');
    model.receive(msg({ streamId: 'a', eventType: 'CAM_TURNED_OFF' }), 'me');
    model.receive(msg({ streamId: 'a', eventType: 'SCREEN_SHARED_ON' }), 'me');
    model.receive(msg({ streamId: 'me', eventType: 'MIC_UNMUTED' }), 'me');
    model.receive(msg({ streamId: 'x', eventType: 'MIC_UNMUTED' }), 'me');
    model.receive(decodeRoomMessage('not json'), 'me');
    const a = model.participants.get('a')!;
    assert.deepEqual([a.micMuted, a.cameraOff, a.sharing], [true, true, true]);
    assert.equal(model.participants.size, 1, 'an unknown sender is not a participant');

    model.receive(msg({ streamId: 'a', eventType: 'CHAT_MESSAGE', message: 'hi' }), 'me');
    model.receive(msg({ streamId: 'x', eventType: 'CHAT_MESSAGE', message: 'who?' }), 'me');
    model.receive(msg({ streamId: 'me', eventType: 'CHAT_MESSAGE', message: 'echo' }), 'me');
    model.say('You', 'mine');
    assert.deepEqual(model.chat, [
      { from: 'Ann', text: 'hi' },
      { from: 'x', text: 'who?' },
      { from: 'You', text: 'mine' },
    ]);
  });

  it('keeps the last 100 chat lines, and the chat outlives clear()', () => {
    const { model } = room();
    for (let i = 0; i < 130; i++) model.say('a', `line ${i}`);
    model.clear();
    assert.equal(model.chat.length, 100);
    assert.deepEqual([model.chat[0]!.text, model.chat[99]!.text], ['line 30', 'line 129']);
  });

  it('p2p: messages from the other peer are about its one tile, and its name renames it; elsewhere names are not taken', () => {
    const { model, log } = room();
    model.ensure('room1');
    model.receive(msg({ streamId: 'peer9', eventType: 'MIC_MUTED', name: 'Bob' }), 'me', 'room1');
    // Announced by its first message: the peer's own stream id and name (the tile stays keyed by the p2p id).
    assert.deepEqual(log, ['joined room1/peer9 Bob (room1)']);
    model.receive(msg({ streamId: 'peer9', eventType: 'CHAT_MESSAGE', message: 'hello' }), 'me', 'room1');
    let p = model.participants.get('room1')!;
    assert.deepEqual([p.name, p.micMuted], ['Bob', true]);
    assert.deepEqual(model.chat, [{ from: 'Bob', text: 'hello' }]);
    model.receive(msg({ streamId: 'peer9', eventType: 'ANYTHING', name: 'Robert' }), 'me', 'room1');
    assert.equal(p.name, 'Robert');
    model.drop('room1');
    assert.deepEqual(log.slice(1), ['left room1/peer9 Robert ()'], 'left names it as joined did, with the name its tile showed');

    // A peer that sends no name is announced by its first message all the same, under the p2p id.
    model.ensure('room1');
    model.receive(msg({ streamId: 'peer10', eventType: 'MIC_UNMUTED' }), 'me', 'room1');
    assert.deepEqual(log.at(-1), 'joined room1/peer10 room1 (room1)');

    const other = room().model;
    other.ensure('a', 'Ann');
    other.receive(msg({ streamId: 'a', eventType: 'MIC_MUTED', name: 'Mallory' }), 'me');
    p = other.participants.get('a')!;
    assert.deepEqual([p.name, p.micMuted], ['Ann', true]);
  });
});

describe('room model: tracks and slots', () => {
  it('a track joins its participant and replaces the one of its kind; a new stream object each time', () => {
    const { model, log } = room();
    const [v1, a1, v2] = [new FakeTrack('video', 'v1'), new FakeTrack('audio', 'a1'), new FakeTrack('video', 'v2')];
    model.addTrack('a', v1);
    const first = model.participants.get('a')!.stream;
    model.addTrack('a', a1);
    model.addTrack('a', v2);
    assert.deepEqual(log, [], 'listed, not announced: no name yet');
    assert.deepEqual(tracksOf(model, 'a'), ['a1', 'v2']);
    assert.notEqual(model.participants.get('a')!.stream, first);
    // A reused track object moves to its new owner.
    model.addTrack('b', v2);
    assert.deepEqual(tracksOf(model, 'a'), ['a1']);
    assert.deepEqual(tracksOf(model, 'b'), ['v2']);
    assert.equal(model.ownerOf(v2)?.id, 'b');
  });

  it('an ended track leaves its stream in place; the participant leaves when all of its tracks ended', () => {
    const { model, log } = room();
    const [v, a] = [new FakeTrack('video', 'v'), new FakeTrack('audio', 'a')];
    model.ensure('p', 'p');
    model.addTrack('p', v);
    model.addTrack('p', a);
    const stream = model.participants.get('p')!.stream;
    v.end();
    assert.equal(model.participants.get('p')!.stream, stream, 'the same stream, without the ended track');
    assert.deepEqual(tracksOf(model, 'p'), ['a']);
    a.end();
    assert.deepEqual(log, ['joined p p (p)', 'left p p ()']);
  });

  it('mute and unmute of a track are changes; shown videos are the live, unmuted ones, the first `max` of them', () => {
    const { model, changes } = room();
    const tracks = ['a', 'b', 'c'].map((id) => new FakeTrack('video', `v${id}`));
    tracks.forEach((t, i) => model.addTrack('abc'[i]!, t));
    model.addTrack('d', new FakeTrack('audio', 'ad'));
    assert.deepEqual([...model.withVideo(0)], ['a', 'b', 'c']);
    assert.deepEqual([...model.withVideo(2)], ['a', 'b']);
    const before = changes();
    tracks[0]!.muted = true;
    tracks[0]!.dispatchEvent(new Event('mute'));
    assert.equal(changes(), before + 1);
    assert.deepEqual([...model.withVideo(2)], ['b', 'c']);
    tracks[0]!.muted = false;
    tracks[0]!.dispatchEvent(new Event('unmute'));
    assert.equal(changes(), before + 2);
    assert.deepEqual([...model.withVideo(0)], ['a', 'b', 'c']);
  });

  it('video slots go to the tiles VIDEO_TRACK_ASSIGNMENT_LIST names: swapped, to ourselves (nowhere); audio slots stay apart', () => {
    const { model } = room();
    const [v0, v1, a0] = [new FakeTrack('video', 'v0'), new FakeTrack('video', 'v1'), new FakeTrack('audio', 'a0')];
    model.addSlotTrack('videoTrack0', v0, 'me');
    model.addSlotTrack('videoTrack1', v1, 'me');
    model.addSlotTrack('audioTrack0', a0, 'me');
    assert.equal(model.participants.size, 0, 'a slot is not a participant');
    assert.deepEqual([...model.slots.keys()], ['videoTrack0', 'videoTrack1', 'audioTrack0']);
    const assign = (pairs: [string, string][]): void =>
      model.receive(msg({ eventType: 'VIDEO_TRACK_ASSIGNMENT_LIST', payload: pairs.map(([videoLabel, trackId]) => ({ videoLabel, trackId })) }), 'me');
    assign([
      ['videoTrack0', 'p1'],
      ['videoTrack1', 'p2'],
    ]);
    assert.deepEqual([...model.participants.keys()], ['p1', 'p2']);
    assert.deepEqual([tracksOf(model, 'p1'), tracksOf(model, 'p2')], [['v0'], ['v1']]);
    assign([
      ['videoTrack0', 'p2'],
      ['videoTrack1', 'p1'],
    ]);
    assert.deepEqual([tracksOf(model, 'p1'), tracksOf(model, 'p2')], [['v1'], ['v0']]);
    assign([
      ['videoTrack0', 'me'],
      ['videoTrack1', 'p1'],
    ]);
    assert.deepEqual([tracksOf(model, 'p1'), tracksOf(model, 'p2')], [['v1'], []]);
    model.clear();
    assert.equal(model.slots.size, 0);
  });
});

describe('room model: levels and the active speaker', () => {
  it('gotSoundList: every level, own included, a muted participant as 0; the loudest over the threshold speaks', () => {
    const { model } = room();
    model.ensure('a');
    model.ensure('b');
    model.update('c', undefined, { micMuted: true });
    const list = model.levels(
      new Map([
        ['a', 0.1],
        ['b', 0.3],
        ['c', 0.9],
        ['stranger', 1],
      ]),
      'me',
      0.2,
      1000,
    );
    assert.deepEqual(list, { a: 0.1, b: 0.3, c: 0, me: 0.2 });
    assert.equal(model.speaker, 'b');
    model.levels(new Map([['a', 0.1]]), 'me', 0.5, 1400);
    assert.equal(model.speaker, 'local');
    // Quiet levels, under the threshold (0.02), are nobody speaking.
    assert.deepEqual(model.levels(new Map(), 'me', 0.02, 1800), { a: 0, b: 0, c: 0, me: 0.02 });
  });

  it('holds the highlight SPEAKER_HOLD_MS after the last sound, then clears it; clear() drops it at once', () => {
    const { model, changes } = room();
    model.ensure('a');
    model.levels(new Map([['a', 0.5]]), 'me', 0, 10_000);
    assert.equal(model.speaker, 'a');
    model.levels(new Map(), 'me', 0, 10_000 + SPEAKER_HOLD_MS);
    assert.equal(model.speaker, 'a', 'still held at exactly the hold time');
    const before = changes();
    model.levels(new Map(), 'me', 0, 10_000 + SPEAKER_HOLD_MS + 1);
    assert.equal(model.speaker, '');
    assert.equal(changes(), before + 1);
    model.levels(new Map(), 'me', 0, 20_000);
    assert.equal(changes(), before + 1, 'no change when the speaker stays the same');
    model.levels(new Map([['a', 0.5]]), 'me', 0, 20_400);
    model.clear();
    assert.equal(model.speaker, '');
  });
});
