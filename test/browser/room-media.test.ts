import { expect } from '@open-wc/testing';
import { AmsClient, fakeMedia, poll, uniqueStreamId, waitForOpen, type PlaySession, type PublishSession } from '../helpers/ams-client.js';

/** framesDecoded of the inbound video whose mid maps to `ARDAMSv<participant>` (undefined: no such track). */
async function decodedOf(session: PlaySession, participant: string): Promise<number | undefined> {
  const mid = Object.entries(session.idMapping).find(([, track]) => track === `ARDAMSv${participant}`)?.[0];
  if (mid === undefined) return undefined;
  const report = await session.pc.getStats();
  let frames: number | undefined;
  report.forEach((s: Record<string, unknown>) => {
    if (s.type === 'inbound-rtp' && s.kind === 'video' && s.mid === mid) frames = Number(s.framesDecoded ?? 0);
  });
  return frames;
}

/** Every participant id whose tracks this play ever received or was offered. */
function participantsSeen(session: PlaySession): Set<string> {
  const ids = new Set<string>();
  for (const t of [...session.trackIds, ...Object.values(session.idMapping)]) if (t) ids.add(t.slice(7));
  for (const t of session.tracks) if (t.id.startsWith('ARDAMS')) ids.add(t.id.slice(7));
  return ids;
}

describe('multitrack conference media (a room played over one connection)', () => {
  let clients: AmsClient[] = [];
  let media: MediaStream[] = [];

  const participant = async (room: string, id: string, videoCodec?: 'H264'): Promise<{ client: AmsClient; publisher: PublishSession }> => {
    const client = await AmsClient.connect();
    clients.push(client);
    const stream = await fakeMedia();
    media.push(stream);
    const publisher = await client.publish(id, stream, { mainTrack: room, videoCodec });
    return { client, publisher };
  };

  afterEach(() => {
    for (const c of clients) c.close();
    for (const m of media) for (const t of m.getTracks()) t.stop();
    clients = [];
    media = [];
  });

  it('plays every other participant, renegotiates when one joins and when one leaves', async function () {
    (this as { timeout(ms: number): void }).timeout(40_000);
    const room = uniqueStreamId('room');
    const [p1, p2, p3, p4] = [1, 2, 3, 4].map((n) => uniqueStreamId(`p${n}`)) as [string, string, string, string];
    const first = await participant(room, p1);
    const others = [await participant(room, p2), await participant(room, p3)];

    const { session, started } = first.client.play(room, { userPublishId: p1 });
    await started;
    expect(Object.values(session.idMapping).sort()).to.deep.equal([`ARDAMSa${p2}`, `ARDAMSa${p3}`, `ARDAMSv${p2}`, `ARDAMSv${p3}`].sort());
    expect(session.offerSdp).to.match(/^m=application /m);
    for (const p of [p2, p3]) {
      await poll(async () => ((await decodedOf(session, p)) ?? 0) > 5, 5000, `frames of ${p}`);
    }
    expect(participantsSeen(session).has(p1), 'own tracks are never sent back').to.equal(false);

    // A fourth participant joins: a new offer on the room id, and its video decodes within 2 s.
    const offersBefore = session.offers;
    const fourth = await participant(room, p4);
    await first.client.waitFor((f) => f.definition === 'subtrackAdded' && f.trackId === p4, 5000, 'subtrackAdded p4');
    await poll(() => session.offers > offersBefore, 5000, 'the renegotiation offer');
    const offeredAt = session.lastOfferAt;
    expect(Object.values(session.idMapping)).to.include.members([`ARDAMSv${p4}`, `ARDAMSa${p4}`, `ARDAMSv${p2}`, `ARDAMSv${p3}`]);
    await poll(async () => ((await decodedOf(session, p4)) ?? 0) > 0, 2000, `first frame of ${p4}`, 10);
    const renegotiationToFrame = performance.now() - offeredAt;
    console.log(`room renegotiation offer → first decoded frame of the new participant: ${renegotiationToFrame.toFixed(0)} ms`);
    expect(renegotiationToFrame).to.be.lessThan(2000);
    expect(participantsSeen(session).has(p1)).to.equal(false);

    // Participant 3 stops: subtrackRemoved, another offer, and its m-lines go inactive.
    const offersBeforeLeave = session.offers;
    const midOf3 = Object.entries(session.idMapping).find(([, t]) => t === `ARDAMSv${p3}`)![0];
    others[1]!.client.send({ command: 'stop', streamId: p3 });
    const removed = await first.client.waitFor((f) => f.definition === 'subtrackRemoved' && f.trackId === p3, 5000, 'subtrackRemoved p3');
    expect(removed.mainTrack).to.equal(room);
    await poll(() => session.offers > offersBeforeLeave, 5000, 'the renegotiation offer after a leave');
    expect(Object.values(session.idMapping)).not.to.include(`ARDAMSv${p3}`);
    // A freed m-line stays in the offer as a live, inactive section (port 9, never port 0).
    expect(session.offerSdp).not.to.match(/^m=(audio|video) 0 /m);
    const transceiver = session.pc.getTransceivers().find((t) => t.mid === midOf3)!;
    await poll(() => transceiver.currentDirection === 'inactive' || transceiver.currentDirection === 'stopped', 3000, 'p3 video inactive');
    // The others keep playing.
    for (const p of [p2, p4]) {
      const n = (await decodedOf(session, p)) ?? 0;
      await poll(async () => ((await decodedOf(session, p)) ?? 0) > n + 5, 5000, `frames of ${p} after the leave`);
    }
    void fourth;
  });

  it('reuses a freed m-line for a later participant', async function () {
    (this as { timeout(ms: number): void }).timeout(30_000);
    const room = uniqueStreamId('room');
    const [p1, p2, p3] = [1, 2, 3].map((n) => uniqueStreamId(`r${n}`)) as [string, string, string];
    await participant(room, p1);
    const second = await participant(room, p2);
    const viewer = await AmsClient.connect();
    clients.push(viewer);
    const { session, started } = viewer.play(room);
    await started;
    await poll(async () => ((await decodedOf(session, p2)) ?? 0) > 0, 5000, `frames of ${p2}`);
    const lines = session.offerSdp.split(/\r?\n/).filter((l) => l.startsWith('m=')).length;
    let offers = session.offers;
    second.client.send({ command: 'stop', streamId: p2 });
    await poll(() => session.offers > offers, 5000, 'offer after the leave');
    offers = session.offers;
    await participant(room, p3);
    await poll(() => session.offers > offers, 5000, 'offer after the join');
    await poll(async () => ((await decodedOf(session, p3)) ?? 0) > 0, 3000, `frames of ${p3} on a reused m-line`);
    expect(session.offerSdp.split(/\r?\n/).filter((l) => l.startsWith('m=')).length).to.equal(lines);
  });

  it('honours trackList exclusions and enableTrack', async function () {
    (this as { timeout(ms: number): void }).timeout(30_000);
    const room = uniqueStreamId('room');
    const [p1, p2, p3] = [1, 2, 3].map((n) => uniqueStreamId(`t${n}`)) as [string, string, string];
    await participant(room, p1);
    await participant(room, p2);
    await participant(room, p3);
    const viewer = await AmsClient.connect();
    clients.push(viewer);
    const { session, started } = viewer.play(room, { trackList: [`!${p2}`] });
    await started;
    expect(Object.values(session.idMapping).sort()).to.deep.equal([`ARDAMSa${p1}`, `ARDAMSa${p3}`, `ARDAMSv${p1}`, `ARDAMSv${p3}`].sort());
    await poll(async () => ((await decodedOf(session, p3)) ?? 0) > 0, 5000, `frames of ${p3}`);

    // enableTrack false: p3 leaves the offer; true: it comes back and decodes again.
    let offers = session.offers;
    viewer.send({ command: 'enableTrack', streamId: room, trackId: p3, enabled: false });
    await poll(() => session.offers > offers, 5000, 'offer after enableTrack false');
    expect(Object.values(session.idMapping)).not.to.include(`ARDAMSv${p3}`);
    expect(Object.values(session.idMapping)).to.include(`ARDAMSv${p1}`);
    offers = session.offers;
    viewer.send({ command: 'enableTrack', streamId: room, trackId: p3, enabled: true });
    await poll(() => session.offers > offers, 5000, 'offer after enableTrack true');
    expect(Object.values(session.idMapping)).to.include(`ARDAMSv${p3}`);
    expect(Object.values(session.idMapping)).not.to.include(`ARDAMSv${p2}`);
    const before = (await decodedOf(session, p3)) ?? 0;
    await poll(async () => ((await decodedOf(session, p3)) ?? 0) > before + 3, 5000, `frames of ${p3} again`);
  });

  it("carries an H.264 participant next to a VP8 one: each video m-line offers its participant's codec", async function () {
    (this as { timeout(ms: number): void }).timeout(30_000);
    const room = uniqueStreamId('room');
    const [vp8, h264] = [uniqueStreamId('vp8'), uniqueStreamId('h264')];
    await participant(room, vp8);
    await participant(room, h264, 'H264');
    const viewer = await AmsClient.connect();
    clients.push(viewer);
    const { session, started } = viewer.play(room);
    await started;
    // The codec each video m-line offers, by participant.
    const sections = session.offerSdp.split(/\r?\nm=/).slice(1);
    const codecOf = (participant: string): string | undefined => {
      const mid = Object.entries(session.idMapping).find(([, t]) => t === `ARDAMSv${participant}`)?.[0];
      const section = sections.find((s) => new RegExp(`^a=mid:${mid}$`, 'm').test(s));
      return section?.match(/^a=rtpmap:\d+ (\w+)\/90000/m)?.[1]?.toUpperCase();
    };
    expect(codecOf(vp8)).to.equal('VP8');
    expect(codecOf(h264)).to.equal('H264');
    for (const p of [vp8, h264]) await poll(async () => ((await decodedOf(session, p)) ?? 0) > 5, 10000, `frames of ${p}`);
  });

  it('setMaxVideoTrackCountCommand gives video slots (videoTrack0…) filled by the first participants, VIDEO_TRACK_ASSIGNMENT_LIST says who; -1 lifts it', async function () {
    (this as { timeout(ms: number): void }).timeout(40_000);
    const room = uniqueStreamId('room');
    const [p1, p2, p3] = [1, 2, 3].map((n) => uniqueStreamId(`m${n}`)) as [string, string, string];
    const first = await participant(room, p1);
    for (const p of [p2, p3]) await participant(room, p);
    const viewer = await AmsClient.connect();
    clients.push(viewer);
    const { session, started } = viewer.play(room);
    await started;
    const lists: Array<Array<{ videoLabel: string; trackId: string }>> = [];
    (await session.channel).addEventListener('message', (e) => {
      const m = JSON.parse(String(e.data)) as { eventType?: string; payload?: Array<{ videoLabel: string; trackId: string }> };
      if (m.eventType === 'VIDEO_TRACK_ASSIGNMENT_LIST') lists.push(m.payload!);
    });
    const videos = (): string[] =>
      Object.values(session.idMapping)
        .filter((t) => t.startsWith('ARDAMSv'))
        .sort();
    expect(videos()).to.deep.equal([p1, p2, p3].map((p) => `ARDAMSv${p}`).sort());

    let offers = session.offers;
    viewer.send({ command: 'setMaxVideoTrackCountCommand', streamId: room, maxTrackCount: 1 });
    await poll(() => session.offers > offers, 5000, 'offer after the limit');
    expect(videos()).to.deep.equal(['ARDAMSvvideoTrack0']);
    expect(
      Object.values(session.idMapping)
        .filter((t) => t.startsWith('ARDAMSa'))
        .sort(),
    ).to.deep.equal([p1, p2, p3].map((p) => `ARDAMSa${p}`).sort());
    await poll(() => lists.at(-1)?.[0]?.trackId === p1, 5000, 'videoTrack0 is p1');
    expect(lists.at(-1)).to.deep.equal([{ videoLabel: 'videoTrack0', trackId: p1, reserved: false }]);
    await poll(async () => ((await decodedOf(session, 'videoTrack0')) ?? 0) > 5, 10000, 'frames in videoTrack0');

    // p1 leaves: p2 takes the slot, and the same m-line goes on showing frames.
    first.client.close();
    await poll(() => lists.at(-1)?.[0]?.trackId === p2, 8000, 'videoTrack0 is p2');
    const before = (await decodedOf(session, 'videoTrack0')) ?? 0;
    await poll(async () => ((await decodedOf(session, 'videoTrack0')) ?? 0) > before + 5, 10000, 'frames of p2 in videoTrack0');

    offers = session.offers;
    viewer.send({ command: 'setMaxVideoTrackCountCommand', streamId: room, maxTrackCount: -1 });
    await poll(() => session.offers > offers && videos().length === 2, 5000, 'offer after lifting the limit');
    expect(videos()).to.deep.equal([p2, p3].map((p) => `ARDAMSv${p}`).sort());
    expect(lists.at(-1)).to.deep.equal([]);
    await poll(async () => ((await decodedOf(session, p3)) ?? 0) > 0, 5000, `frames of ${p3}`);
  });

  it('relays the data channel messages of each participant channel messages to the others playing the room, never back to the sender', async function () {
    (this as { timeout(ms: number): void }).timeout(30_000);
    const room = uniqueStreamId('room');
    const ids = [1, 2, 3].map((n) => uniqueStreamId(`d${n}`));
    const people: { client: AmsClient; publisher: PublishSession }[] = [];
    for (const id of ids) people.push(await participant(room, id));
    const plays = people.map((p, i) => p.client.play(room, { userPublishId: ids[i] }));
    await Promise.all(plays.map((p) => p.started));
    const channels = await Promise.all(plays.map((p) => p.session.channel));
    await Promise.all(channels.map((c) => waitForOpen(c)));
    await Promise.all(people.map((p) => waitForOpen(p.publisher.channel)));
    const got: (string | ArrayBuffer)[][] = channels.map(() => []);
    channels.forEach((c, i) => c.addEventListener('message', (e: MessageEvent) => got[i]!.push(e.data as string | ArrayBuffer)));

    const chat = JSON.stringify({ streamId: ids[0], eventType: 'CHAT_MESSAGE', message: '<b>hi</b> ✓' });
    people[0]!.publisher.channel.send(chat);
    people[0]!.publisher.channel.send(new Uint8Array([1, 2, 3, 250]).buffer);
    await poll(() => got[1]!.length >= 2 && got[2]!.length >= 2, 5000, 'messages at participants 2 and 3');
    for (const i of [1, 2]) {
      expect(got[i]![0]).to.equal(chat);
      expect(got[i]![1]).to.be.instanceOf(ArrayBuffer);
      expect(Array.from(new Uint8Array(got[i]![1] as ArrayBuffer))).to.deep.equal([1, 2, 3, 250]);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(got[0], 'not echoed to the sender').to.deep.equal([]);
  });
});
