// Sessions get their signaling from `SessionDeps.createSignaling` (the seam for a second
// protocol): they connect it, speak typed frames through it, and close it; no WebSocket is made.
import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { LegacyRoom } from '../../../src/core/session/legacy-room.js';
import { PlaySession } from '../../../src/core/session/play-session.js';
import { PublishSession } from '../../../src/core/session/publish-session.js';
import { TRANSITIONS, type SessionDeps } from '../../../src/core/session/types.js';
import { SIGNALING_TRANSITIONS } from '../../../src/core/signaling/signaling-client.js';
import { FakeSignaling } from '../../helpers/fake-transport.js';

const URL = 'https://media.example.test/LiveApp/whip';
/** Lets the sessions' pending promise work (the token lookup before `publish`/`play`) run. */
const nextTask = () => new Promise((resolve) => setTimeout(resolve));

function deps() {
  const made: FakeSignaling[] = [];
  const createTransport = sinon.spy(() => {
    throw new Error('the default signaling was used');
  });
  const d: SessionDeps = {
    url: URL,
    createTransport,
    createSignaling: (url) => {
      const s = new FakeSignaling(url);
      made.push(s);
      return s;
    },
  };
  return { deps: d, made, createTransport };
}

describe('SessionDeps.createSignaling', () => {
  it('a publish connects the injected signaling, publishes through it, goes live on its frames and closes it on stop', async () => {
    const { deps: d, made, createTransport } = deps();
    const pub = new PublishSession(d);
    const live = pub.start({ streamId: 's1', stream: new MediaStream() });
    expect(made).to.have.length(1);
    const s = made[0]!;
    expect(s.url).to.equal(URL);
    expect(s.state).to.equal('connecting');
    s.open();
    await nextTask();
    expect(s.sent.map((f) => f.command)).to.have.members(['publish', 'getIceServerConfig']);
    expect(s.sent).to.have.length(2);
    expect(s.sent.find((f) => f.command === 'publish')).to.include({ streamId: 's1', video: false, audio: false });
    s.receive({ command: 'notification', definition: 'publish_started', streamId: 's1' });
    expect(pub.state).to.equal('live');
    await live;
    await pub.stop();
    expect(s.sent.at(-1)).to.deep.equal({ command: 'stop', streamId: 's1' });
    expect(s.state).to.equal('closed');
    expect(createTransport.called).to.equal(false);
    pub.dispose();
  });

  it('a server error arriving through it fails a play with the server code', async () => {
    const { deps: d, made } = deps();
    const play = new PlaySession(d);
    const started = play.start({ streamId: 's2' });
    made[0]!.open();
    made[0]!.receive({ command: 'error', definition: 'unauthorized_access', streamId: 's2' });
    const error = await started.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.include({ code: 'unauthorized_access' });
    expect(play.state).to.equal('failed');
    expect(made[0]!.state).to.equal('closed');
    play.dispose();
  });

  it('a legacy room joins through it and plays every member through a signaling of the same factory', async () => {
    const { deps: d, made, createTransport } = deps();
    const room = new LegacyRoom(d);
    const joined = room.join({ room: 'r1', streamId: 'me' });
    const s = made[0]!;
    s.open();
    expect(s.sent[0]).to.deep.equal({ command: 'joinRoom', room: 'r1', mainTrack: 'r1', streamId: 'me', mode: 'legacy', streamName: '' });
    s.receive({ command: 'notification', definition: 'joinedTheRoom', streamId: 'me', streams: ['a', 'b'], room: 'r1' });
    expect(await joined).to.equal('me');
    expect(made.map((m) => m.url)).to.deep.equal([URL, URL, URL]);
    made[1]!.open();
    await nextTask();
    expect(made[1]!.sent.find((f) => f.command === 'play')).to.include({ streamId: 'a', room: 'r1' });
    const left = room.leave();
    s.receive({ command: 'notification', definition: 'leavedFromRoom', room: 'r1' });
    await left;
    expect(made.every((m) => m.state === 'closed')).to.equal(true);
    expect(createTransport.called).to.equal(false);
    room.dispose();
  });
});

describe('state tables', () => {
  // `transition()` of sessions and of the signaling client relies on this: moving to the state it is in is refused.
  it('never allow staying in the same state', () => {
    for (const [state, next] of [...Object.entries(TRANSITIONS), ...Object.entries(SIGNALING_TRANSITIONS)]) expect(next, state).to.not.include(state);
  });
});
