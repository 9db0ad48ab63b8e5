// The signaling registries on their own: sessions hear of other sessions only through the
// callbacks they registered (viewers of a live stream, players of a multitrack room).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig, appSettings } from '../../packages/server/src/config.js';
import { LiveStreams, type LiveStream } from '../../packages/server/src/registries/live-streams.js';
import { MainTracks } from '../../packages/server/src/registries/main-tracks.js';
import type { Phase } from '../../packages/server/src/signaling/phase.js';
import { AppStore } from '../../packages/server/src/registries/streams.js';

const store = () => new AppStore('App', appSettings(resolveConfig({}), 'App'));

const stream = (s: AppStore, streamId: string, phase: Phase, mainTrack?: string): LiveStream => ({
  streamId,
  owner: 1,
  phase,
  record: s.forPublish(streamId),
  viewers: new Set(),
  ...(mainTrack ? { mainTrack } : {}),
});

describe('LiveStreams', () => {
  it('lists a stream as live only in the live phase, and tells each viewer once when it ends', () => {
    const s = store();
    const live = new LiveStreams();
    const a = stream(s, 'a', 'connecting');
    live.add(a);
    assert.equal(live.has('a'), true);
    assert.equal(live.live('a'), undefined);
    assert.equal(live.view('a'), undefined);
    const ended: string[] = [];
    a.viewers.add({ onSourceEnded: () => ended.push('v1') });
    a.viewers.add({ onSourceEnded: () => ended.push('v2') });
    live.end(a);
    assert.deepEqual(ended, ['v1', 'v2']);
    assert.equal(live.has('a'), false);
    const b = stream(s, 'b', 'live');
    live.add(b);
    assert.deepEqual(live.view('b'), { name: 'b', metaData: null });
  });
});

describe('MainTracks', () => {
  it('announces a subtrack to the players, keeps the main track broadcasting while one is live, and forgets an idle room', () => {
    const s = store();
    const live = new LiveStreams();
    const rooms = new MainTracks(s, live);
    const heard: string[] = [];
    const player = { onSubtrackAdded: (sub: LiveStream) => heard.push(`+${sub.streamId}`), onSubtrackRemoved: (id: string) => heard.push(`-${id}`) };
    rooms.addPlayer('room', player);
    const sub = stream(s, 'sub1', 'live', 'room');
    live.add(sub);
    rooms.subtrackStarted(sub, 'room');
    assert.deepEqual(heard, ['+sub1']);
    assert.deepEqual(rooms.liveSubtracks('room'), [sub]);
    const main = s.get('room')!.broadcast;
    assert.equal(main.status, 'broadcasting');
    assert.deepEqual(main.subTrackStreamIds, ['sub1']);

    live.end(sub);
    rooms.subtrackEnded(sub, 'room');
    assert.deepEqual(heard, ['+sub1', '-sub1']);
    assert.equal(main.status, 'created');
    assert.ok(rooms.get('room'), 'a room with a player stays');
    rooms.removePlayer('room', player);
    assert.equal(rooms.get('room'), undefined);
    assert.equal(s.get('room'), undefined, 'an unregistered main track goes with its room');
  });
});
