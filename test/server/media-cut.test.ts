// The media-cut fault: the relay drops a stream's UDP both ways for a while, its WebSocket kept,
// and the path works again afterwards (werift peers on both sides, data channel messages as probe).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RTCPeerConnection } from 'werift';
import type { RunningServer } from '../../packages/server/src/index.js';
import { checkMediaCutRule, FaultRuleError, FaultTable } from '../../packages/server/src/faults.js';
import { AmsClient, http, playDataOnly, publishDataOnly, startServer, wsUrl } from '../helpers/server.js';

describe('media cut (fault injection)', () => {
  let server: RunningServer;
  const clients: AmsClient[] = [];
  const pcs: RTCPeerConnection[] = [];
  before(async () => {
    server = await startServer({ faultInjection: true });
  });
  after(async () => {
    for (const pc of pcs) await pc.close();
    for (const c of clients) c.close();
    await server.close();
  });
  const connect = async (): Promise<AmsClient> => {
    const c = await AmsClient.connect(wsUrl(server));
    clients.push(c);
    return c;
  };

  it('checks its rule and scopes the cut to one stream or all, for ms', () => {
    assert.throws(() => checkMediaCutRule({ media: 'cut' }), FaultRuleError);
    assert.throws(() => checkMediaCutRule({ media: 'cut', ms: 0 }), FaultRuleError);
    assert.throws(() => checkMediaCutRule({ media: 'drop', ms: 10 }), FaultRuleError);
    assert.throws(() => checkMediaCutRule({ media: 'cut', ms: 10, streamId: 5 }), FaultRuleError);
    const t = new FaultTable();
    assert.equal(t.mediaCut('a'), false);
    t.cutMedia({ media: 'cut', ms: 60_000, streamId: 'a' });
    assert.equal(t.mediaCut('a'), true);
    assert.equal(t.mediaCut('b'), false);
    t.cutMedia({ media: 'cut', ms: 60_000 });
    assert.equal(t.mediaCut('b'), true);
    t.clear();
    assert.equal(t.mediaCut('a'), false);
  });

  it("over /__faults: nothing of the stream's path gets through while the cut lasts, the socket stays, and it carries again after", async () => {
    const streamId = 'cut1';
    const pubClient = await connect();
    const pub = await publishDataOnly(pubClient, streamId);
    const play = await playDataOnly(await connect(), streamId);
    pcs.push(pub.pc, play.pc);
    const channel = await play.channel;
    const arrival = (text: string) =>
      new Promise<number>((resolve) => {
        const sub = channel.onMessage.subscribe((m) => {
          if (String(m) !== text) return;
          sub.unSubscribe();
          resolve(Date.now());
        });
      });
    const before = arrival('before');
    pub.channel.send('before');
    await before;

    const CUT_MS = 1500;
    const added = await http(server, 'POST', '/__faults', { media: 'cut', streamId, ms: CUT_MS });
    assert.equal(added.status, 200);
    const cutAt = Date.now();
    const during = arrival('during');
    pub.channel.send('during');
    // The socket is untouched: it still answers.
    await pubClient.request({ command: 'ping' }, { command: 'pong' });
    assert.ok((await during) >= cutAt + CUT_MS - 50, 'the message crossed only once the cut was over');
    assert.equal((await http(server, 'POST', '/__faults', { media: 'cut', ms: -1 })).status, 400);
  });
});
