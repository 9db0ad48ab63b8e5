import { expect } from '@open-wc/testing';
import {
  AmsClient,
  fakeMedia,
  inboundStat,
  outboundStat,
  poll,
  sdkBinaryFrames,
  uniqueStreamId,
  waitForOpen,
  type PlaySession,
  type PublishSession,
} from '../helpers/ams-client.js';

/** Collects every message a channel receives. */
function collect(channel: RTCDataChannel): (string | ArrayBuffer)[] {
  const got: (string | ArrayBuffer)[] = [];
  channel.addEventListener('message', (e: MessageEvent) => got.push(e.data as string | ArrayBuffer));
  return got;
}

function pattern(length: number, seed: number): Uint8Array {
  const data = new Uint8Array(length);
  for (let i = 0; i < length; i++) data[i] = (i * 31 + seed) & 0xff;
  return data;
}

const bytes = (b: ArrayBuffer | string): number[] => (typeof b === 'string' ? [] : Array.from(new Uint8Array(b)));

/** Sends `data` in the SDK's binary format and checks every frame arrives intact, in order. */
async function sendBinaryThrough(from: RTCDataChannel, to: RTCDataChannel, data: Uint8Array, token: number): Promise<void> {
  const got = collect(to);
  const frames = sdkBinaryFrames(data, token);
  for (const f of frames) from.send(f);
  await poll(() => got.length >= frames.length, 10_000, `${frames.length} binary frames`);
  expect(got.length).to.equal(frames.length);
  for (let i = 0; i < frames.length; i++) {
    expect(got[i], `frame ${i} type`).to.be.instanceOf(ArrayBuffer);
    expect((got[i] as ArrayBuffer).byteLength, `frame ${i} length`).to.equal(frames[i]!.byteLength);
    expect(bytes(got[i]!), `frame ${i} bytes`).to.deep.equal(bytes(frames[i]!));
  }
  // Reassemble as the SDK does.
  const header = new Int32Array(got[0] as ArrayBuffer);
  expect(header[0]).to.equal(token);
  expect(header[1]).to.equal(data.byteLength);
  const out = new Uint8Array(header[1]!);
  let offset = 0;
  for (const chunk of got.slice(1) as ArrayBuffer[]) {
    expect(new DataView(chunk).getInt32(0, true)).to.equal(token);
    out.set(new Uint8Array(chunk, 4), offset);
    offset += chunk.byteLength - 4;
  }
  expect(offset).to.equal(data.byteLength);
  expect(out.every((b, i) => b === data[i])).to.equal(true);
}

describe('media relay (publish → play through the embedded server)', () => {
  let clients: AmsClient[] = [];
  let media: MediaStream[] = [];

  const client = async (): Promise<AmsClient> => {
    const c = await AmsClient.connect();
    clients.push(c);
    return c;
  };

  const publish = async (streamId: string): Promise<PublishSession> => {
    const stream = await fakeMedia();
    media.push(stream);
    return (await client()).publish(streamId, stream);
  };

  const play = async (streamId: string): Promise<{ session: PlaySession; started: Promise<unknown> }> => (await client()).play(streamId);

  afterEach(() => {
    for (const c of clients) c.close();
    for (const m of media) for (const t of m.getTracks()) t.stop();
    clients = [];
    media = [];
  });

  it('relays camera and microphone from a publisher to a player', async () => {
    const streamId = uniqueStreamId('pub');
    await publish(streamId);
    const { session, started } = await play(streamId);
    await started;

    expect(Object.values(session.idMapping).sort()).to.deep.equal([`ARDAMSa${streamId}`, `ARDAMSv${streamId}`]);
    expect(session.streams.map((s) => s.id)).to.deep.equal([streamId]);
    expect(session.trackIds.sort()).to.deep.equal([`ARDAMSa${streamId}`, `ARDAMSv${streamId}`]);
    // Only loopback candidates are offered.
    const candidates = session.offerSdp.split(/\r?\n/).filter((l) => l.startsWith('a=candidate:'));
    expect(candidates.length).to.be.greaterThan(0);
    for (const c of candidates) expect(c.split(' ')[4]).to.equal('127.0.0.1');

    const firstFrame = await session.firstFrameMs(5000);
    const decoded = await inboundStat(session.pc, 'video', 'framesDecoded');
    await poll(async () => (await inboundStat(session.pc, 'video', 'framesDecoded')) >= decoded + 10, 5000, 'framesDecoded rising');
    await poll(async () => (await inboundStat(session.pc, 'audio', 'packetsReceived')) > 10, 5000, 'audio packets');
    expect(firstFrame).to.be.lessThan(3000);
  });

  it('lets a late joiner decode its first frame within 1 s of play', async () => {
    const streamId = uniqueStreamId('late');
    const publisher = await publish(streamId);
    // The publish has been running a few seconds (the fake camera runs at 20 fps).
    await poll(async () => (await outboundStat(publisher.pc, 'video', 'framesEncoded')) >= 60, 10_000, '3 s of published video', 100);

    const { session, started } = await play(streamId);
    await started;
    const firstFrame = await session.firstFrameMs(3000);
    expect(firstFrame, 'play request → first decoded frame (ms)').to.be.lessThan(1000);
  });

  it('relays data channel messages both ways, text as text and binary as binary', async () => {
    const streamId = uniqueStreamId('data');
    const publisher = await publish(streamId);
    const { session, started } = await play(streamId);
    await started;
    const playerChannel = await session.channel;
    expect(playerChannel.label).to.equal(streamId);
    await waitForOpen(playerChannel);
    await waitForOpen(publisher.channel);

    // publisher → player, text
    const atPlayer = collect(playerChannel);
    publisher.channel.send('hello players');
    publisher.channel.send(JSON.stringify({ eventType: 'CHAT_MESSAGE', message: 'ü ✓' }));
    await poll(() => atPlayer.length >= 2, 5000, 'text at player');
    expect(atPlayer).to.deep.equal(['hello players', JSON.stringify({ eventType: 'CHAT_MESSAGE', message: 'ü ✓' })]);

    // player → publisher, text
    const atPublisher = collect(publisher.channel);
    playerChannel.send('hello publisher');
    await poll(() => atPublisher.length >= 1, 5000, 'text at publisher');
    expect(atPublisher).to.deep.equal(['hello publisher']);

    // 100 kB binary both ways, in the SDK's chunked format.
    await sendBinaryThrough(publisher.channel, playerChannel, pattern(100_000, 7), 4242);
    await sendBinaryThrough(playerChannel, publisher.channel, pattern(100_000, 99), 777);

    // A single message larger than 16 KiB passes too.
    const big = pattern(40_000, 3);
    const gotBig = collect(playerChannel);
    publisher.channel.send(big.buffer as ArrayBuffer);
    await poll(() => gotBig.length >= 1, 5000, 'a 40 kB message');
    expect(bytes(gotBig[0]!)).to.deep.equal(Array.from(big));
  });

  it('serves two players at once', async () => {
    const streamId = uniqueStreamId('two');
    await publish(streamId);
    const a = await play(streamId);
    const b = await play(streamId);
    await Promise.all([a.started, b.started]);
    await Promise.all([a.session.firstFrameMs(5000), b.session.firstFrameMs(5000)]);
    for (const s of [a.session, b.session]) {
      const n = await inboundStat(s.pc, 'video', 'framesDecoded');
      await poll(async () => (await inboundStat(s.pc, 'video', 'framesDecoded')) >= n + 10, 5000, 'framesDecoded rising');
    }
  });
});
