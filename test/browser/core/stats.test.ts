import { expect } from '@open-wc/testing';
import { StatsTracker, collectStats, type RtcStats } from '../../../src/core/stats.js';

type Stat = Record<string, unknown> & { id: string; type: string; timestamp: number };
type Snapshot = Stat[];

const stat = (type: string, id: string, timestamp: number, fields: Record<string, unknown> = {}): Stat => ({ id, type, timestamp, ...fields });
const inVideo = (t: number, f: Record<string, unknown>) => stat('inbound-rtp', 'IT-v', t, { kind: 'video', ...f });
const inAudio = (t: number, f: Record<string, unknown>) => stat('inbound-rtp', 'IT-a', t, { kind: 'audio', ...f });
const outVideo = (t: number, f: Record<string, unknown>) => stat('outbound-rtp', 'OT-v', t, { kind: 'video', ...f });
const outAudio = (t: number, f: Record<string, unknown>) => stat('outbound-rtp', 'OT-a', t, { kind: 'audio', ...f });
const remoteVideo = (t: number, f: Record<string, unknown>) => stat('remote-inbound-rtp', 'RI-v', t, { kind: 'video', localId: 'OT-v', ...f });
const asMap = (s: Snapshot): Map<string, Stat> => new Map(s.map((x) => [x.id, x]));

/** Feeds every snapshot to a fresh tracker and returns every result. */
function run(snapshots: Snapshot[]): RtcStats[] {
  const tracker = new StatsTracker();
  return snapshots.map((s) => tracker.update(asMap(s)));
}

/** Every number in a result is finite and none is a -1 sentinel. */
function expectClean(result: RtcStats): void {
  for (const [key, value] of Object.entries(result)) {
    if (typeof value === 'number') {
      expect(Number.isFinite(value), `${key} finite`).to.equal(true);
      expect(value, `${key} not negative`).to.be.at.least(0);
    }
    expect(value, `${key} is not undefined-valued (absent keys are left out)`).to.not.equal(undefined);
  }
}

/** `expected` values: numbers compared to 1e-6, `undefined` means the key must be absent. */
function expectFields(result: RtcStats, expected: Partial<Record<keyof RtcStats, number | string | undefined>>): void {
  for (const [key, value] of Object.entries(expected)) {
    const actual = (result as unknown as Record<string, unknown>)[key];
    if (value === undefined) expect(key in result, `${key} absent (got ${String(actual)})`).to.equal(false);
    else if (typeof value === 'number') expect(actual, key).to.be.closeTo(value, 1e-6);
    else expect(actual, key).to.equal(value);
  }
}

interface Case {
  name: string;
  snapshots: Snapshot[];
  /** Fields of the last result. */
  expected: Partial<Record<keyof RtcStats, number | string | undefined>>;
}

const CASES: Case[] = [
  {
    name: 'first snapshot, start unknown: totals, zero rates, loss since the start; no outgoing figures on a receive-only connection',
    snapshots: [
      [
        inVideo(1000, { bytesReceived: 50_000, packetsReceived: 90, packetsLost: 10, jitter: 0.02, framesDecoded: 40, frameWidth: 640, frameHeight: 480 }),
        inAudio(1000, { bytesReceived: 10_000, packetsReceived: 100, packetsLost: 0, jitter: 0.005, audioLevel: 0.25 }),
      ],
    ],
    expected: {
      timestamp: 1000,
      bitrateInKbps: 0,
      bitrateOutKbps: undefined,
      bytesReceived: 60_000,
      bytesSent: undefined,
      packetsLost: 10,
      fractionLost: 10 / 200,
      jitterMs: 20,
      framesDecoded: 40,
      framesPerSecond: undefined, // no framesPerSecond and no previous frame count
      frameWidth: 640,
      frameHeight: 480,
      audioLevel: 0.25,
      roundTripTimeMs: undefined,
      framesEncoded: undefined,
      availableOutgoingBitrateKbps: undefined,
    },
  },
  {
    name: 'player: two snapshots give kbps in, loss over the interval, jitter, fps from frame counts',
    snapshots: [
      [
        inVideo(1000, { bytesReceived: 100_000, packetsReceived: 100, packetsLost: 0, framesDecoded: 20 }),
        inAudio(1000, { bytesReceived: 20_000, packetsReceived: 50, packetsLost: 0 }),
      ],
      [
        inVideo(2000, { bytesReceived: 225_000, packetsReceived: 190, packetsLost: 10, jitter: 0.012, framesDecoded: 45, frameWidth: 1280, frameHeight: 720 }),
        inAudio(2000, { bytesReceived: 25_000, packetsReceived: 100, packetsLost: 0, jitter: 0.004 }),
      ],
    ],
    expected: {
      timestamp: 2000,
      bitrateInKbps: 1000 + 40, // (125 000 + 5 000) bytes * 8 / 1000 ms
      bitrateOutKbps: undefined,
      bytesReceived: 250_000,
      packetsLost: 10,
      fractionLost: 10 / (90 + 50 + 10),
      jitterMs: 12,
      framesDecoded: 45,
      framesPerSecond: 25,
      frameWidth: 1280,
      frameHeight: 720,
    },
  },
  {
    name: 'player: framesPerSecond from the report wins over frame counts',
    snapshots: [[inVideo(0, { bytesReceived: 0, framesDecoded: 0 })], [inVideo(500, { bytesReceived: 62_500, framesDecoded: 10, framesPerSecond: 29.97 })]],
    expected: { bitrateInKbps: 1000, framesPerSecond: 29.97 },
  },
  {
    name: 'publisher: kbps out, remote-inbound loss and RTT, encoder fields, candidate pair',
    snapshots: [
      [
        outVideo(10_000, { bytesSent: 1_000_000, packetsSent: 1000, framesEncoded: 300 }),
        outAudio(10_000, { bytesSent: 100_000, packetsSent: 500 }),
        remoteVideo(9_900, { packetsLost: 0, roundTripTime: 0.03, jitter: 0.002 }),
      ],
      [
        outVideo(12_000, {
          bytesSent: 1_250_000,
          packetsSent: 1200,
          framesEncoded: 360,
          frameWidth: 640,
          frameHeight: 360,
          qualityLimitationReason: 'bandwidth',
        }),
        outAudio(12_000, { bytesSent: 110_000, packetsSent: 600 }),
        remoteVideo(11_900, { packetsLost: 5, roundTripTime: 0.045, jitter: 0.003 }),
        stat('candidate-pair', 'CP-1', 12_000, { state: 'succeeded', nominated: true, currentRoundTripTime: 0.002, availableOutgoingBitrate: 1_500_000 }),
        stat('media-source', 'SV', 12_000, { kind: 'video', width: 1280, height: 720, framesPerSecond: 30 }),
      ],
    ],
    expected: {
      bitrateOutKbps: 1000 + 40, // (250 000 + 10 000) * 8 / 2000 ms
      bitrateInKbps: undefined, // send-only: no incoming figures
      bytesReceived: undefined,
      bytesSent: 1_360_000,
      packetsLost: 5,
      fractionLost: 5 / 200,
      roundTripTimeMs: 45, // media round trip wins over the candidate pair's
      jitterMs: 3,
      framesEncoded: 360,
      framesPerSecond: 30, // 60 frames in 2 s
      frameWidth: 640, // encoded size, not the camera's
      frameHeight: 360,
      qualityLimitationReason: 'bandwidth',
      availableOutgoingBitrateKbps: 1500,
      framesDecoded: undefined,
    },
  },
  {
    name: 'RTT from the selected candidate pair when there is no remote-inbound-rtp',
    snapshots: [
      [
        outVideo(5, { bytesSent: 0 }),
        stat('candidate-pair', 'CP-old', 5, { state: 'succeeded', nominated: true, currentRoundTripTime: 0.5, availableOutgoingBitrate: 100_000 }),
        stat('candidate-pair', 'CP-new', 5, { state: 'succeeded', nominated: true, currentRoundTripTime: 0.008, availableOutgoingBitrate: 2_000_000 }),
        stat('candidate-pair', 'CP-waiting', 5, { state: 'in-progress', currentRoundTripTime: 0.9 }),
        stat('transport', 'T', 5, { selectedCandidatePairId: 'CP-new' }),
      ],
    ],
    expected: { roundTripTimeMs: 8, availableOutgoingBitrateKbps: 2000, timestamp: 5 },
  },
  {
    name: 'no succeeded pair: no RTT, no available bitrate',
    snapshots: [[stat('candidate-pair', 'CP', 5, { state: 'in-progress', nominated: true, currentRoundTripTime: 0.9, availableOutgoingBitrate: 1 })]],
    expected: { roundTripTimeMs: undefined, availableOutgoingBitrateKbps: undefined },
  },
  {
    name: 'publisher without outbound video yet: camera size and rate from media-source, microphone level',
    snapshots: [
      [
        stat('media-source', 'SV', 1, { kind: 'video', width: 1280, height: 720, framesPerSecond: 24 }),
        stat('media-source', 'SA', 1, { kind: 'audio', audioLevel: 0.5 }),
      ],
    ],
    expected: { frameWidth: 1280, frameHeight: 720, framesPerSecond: 24, audioLevel: 0.5 },
  },
  {
    name: 'counters that go backwards (a new connection) reset instead of going negative',
    snapshots: [
      [inVideo(1000, { bytesReceived: 500_000, packetsReceived: 500, packetsLost: 50, framesDecoded: 100 })],
      [inVideo(2000, { bytesReceived: 1_000, packetsReceived: 2, packetsLost: 0, framesDecoded: 1 })],
    ],
    expected: { bitrateInKbps: 0, bytesReceived: 1_000, packetsLost: 0, fractionLost: 0, framesPerSecond: undefined },
  },
  {
    name: 'after a reset the next interval counts from the new start',
    snapshots: [
      [inVideo(1000, { bytesReceived: 500_000, packetsReceived: 500 })],
      [inVideo(2000, { bytesReceived: 1_000, packetsReceived: 2 })],
      [inVideo(3000, { bytesReceived: 126_000, packetsReceived: 102 })],
    ],
    expected: { bitrateInKbps: 1000 },
  },
  {
    name: 'a new connection with new stat ids gives zero rates (no spike)',
    snapshots: [[inVideo(1000, { bytesReceived: 100_000 })], [stat('inbound-rtp', 'IT-v-second-pc', 2000, { kind: 'video', bytesReceived: 900_000 })]],
    expected: { bitrateInKbps: 0, bytesReceived: 900_000 },
  },
  {
    name: 'the same cached report twice keeps the previous rate',
    snapshots: [
      [outVideo(1000, { bytesSent: 0, packetsSent: 0 })],
      [outVideo(2000, { bytesSent: 62_500, packetsSent: 50 })],
      [outVideo(2000, { bytesSent: 62_500, packetsSent: 50 })],
    ],
    expected: { bitrateOutKbps: 500 },
  },
  {
    name: 'a remote report not yet renewed keeps its loss; sent packets count from the report before',
    snapshots: [
      [outVideo(1000, { bytesSent: 0, packetsSent: 100 }), remoteVideo(900, { packetsLost: 0 })],
      [outVideo(2000, { bytesSent: 0, packetsSent: 200 }), remoteVideo(1900, { packetsLost: 10 })],
      [outVideo(2500, { bytesSent: 0, packetsSent: 250 }), remoteVideo(1900, { packetsLost: 10 })],
      [outVideo(3000, { bytesSent: 0, packetsSent: 300 }), remoteVideo(2900, { packetsLost: 10 })],
    ],
    // Last interval (report 1900 -> 2900): 100 packets sent, none lost.
    expected: { fractionLost: 0, packetsLost: 10 },
  },
  {
    name: 'empty report',
    snapshots: [[], []],
    expected: {
      timestamp: 0,
      bitrateInKbps: undefined,
      bitrateOutKbps: undefined,
      packetsLost: 0,
      fractionLost: 0,
      bytesReceived: undefined,
      bytesSent: undefined,
      jitterMs: undefined,
    },
  },
  {
    name: 'receive-only (a player): no outgoing figures, not even the estimate the candidate pair gives',
    snapshots: [
      [
        inVideo(1000, { bytesReceived: 0, packetsReceived: 0 }),
        stat('candidate-pair', 'CP', 1000, { state: 'succeeded', nominated: true, currentRoundTripTime: 0.001, availableOutgoingBitrate: 300_000 }),
      ],
      [
        inVideo(2000, { bytesReceived: 50_000, packetsReceived: 50 }),
        stat('candidate-pair', 'CP', 2000, { state: 'succeeded', nominated: true, currentRoundTripTime: 0.001, availableOutgoingBitrate: 300_000 }),
      ],
    ],
    expected: {
      bitrateInKbps: 400,
      bytesReceived: 50_000,
      roundTripTimeMs: 1,
      availableOutgoingBitrateKbps: undefined,
      bitrateOutKbps: undefined,
      bytesSent: undefined,
      framesEncoded: undefined,
      qualityLimitationReason: undefined,
    },
  },
];

/** A tracker told that its connection started at `since`, then fed `snapshots`. */
function runSince(since: number, snapshots: Snapshot[]): RtcStats[] {
  const tracker = new StatsTracker();
  tracker.reset(since);
  return snapshots.map((s) => tracker.update(asMap(s)));
}

describe('StatsTracker', () => {
  it('idleMs is the silence on the selected pair; quiet after 0.9 s on a path heard often, after 3 s on one never heard within 0.6 s', () => {
    const at = (t: number, heard: number): Map<string, Stat> =>
      asMap([
        stat('candidate-pair', 'CP', t, { state: 'succeeded', nominated: true, lastPacketReceivedTimestamp: heard }),
        stat('transport', 'T', t, { selectedCandidatePairId: 'CP' }),
      ]);
    const often = new StatsTracker();
    const seen = [at(1000, 990), at(2000, 1500), at(3000, 2050), at(4000, 2050)].map((r) => [often.update(r).idleMs, often.quiet]);
    expect(seen).to.deep.equal([
      [10, false],
      [500, false],
      [950, true],
      [1950, true],
    ]);
    // Heard again: no longer quiet. A new connection (reset) has to be heard often again first.
    often.update(at(5000, 4990));
    expect(often.quiet).to.equal(false);
    often.reset();
    often.update(at(6000, 4990));
    expect(often.quiet, 'a path never heard within 0.6 s: 1 s of silence is not yet a loss').to.equal(false);
    often.update(at(8000, 4990));
    expect(often.quiet, 'but 3 s is (ICE checks are answered every 2.5 s)').to.equal(true);
    // A report without the pair's timestamp says nothing.
    const none = new StatsTracker();
    expect(none.update(asMap([stat('transport', 'T', 1000, {})])).idleMs).to.equal(undefined);
    expect(none.quiet).to.equal(false);
  });

  describe('synthetic reports', () => {
    for (const c of CASES) {
      it(c.name, () => {
        const results = run(c.snapshots);
        for (const r of results) expectClean(r);
        expectFields(results[results.length - 1]!, c.expected);
      });
    }

    it('the remote report in the middle of the interval keeps the loss of the interval before', () => {
      const results = run(CASES.find((c) => c.name.startsWith('a remote report'))!.snapshots);
      expect(results.map((r) => r.fractionLost)).to.deep.equal([0, 10 / 100, 10 / 100, 0]);
    });

    it('the first snapshot after the connection started: rates over the time since that start (214 kB in 5 s is 342.4 kbps, not 0)', () => {
      const [player] = runSince(10_000, [[inVideo(15_000, { bytesReceived: 200_000, packetsReceived: 200 }), inAudio(15_000, { bytesReceived: 14_000 })]]);
      expectClean(player!);
      expectFields(player!, { bitrateInKbps: (214_000 * 8) / 5000, bytesReceived: 214_000, bitrateOutKbps: undefined });
      const [publisher, next] = runSince(1000, [[outVideo(3000, { bytesSent: 250_000 })], [outVideo(4000, { bytesSent: 375_000 })]]);
      expectFields(publisher!, { bitrateOutKbps: 1000, bitrateInKbps: undefined });
      expectFields(next!, { bitrateOutKbps: 1000 });
      // Only the first report counts from the start: a stream that appears later gives 0 for its first interval (no spike).
      const [, later] = runSince(0, [[outVideo(1000, { bytesSent: 0 })], [outVideo(2000, { bytesSent: 0 }), outAudio(2000, { bytesSent: 999_000 })]]);
      expectFields(later!, { bitrateOutKbps: 0 });
      // A report without RTP yet (before media) keeps the start for the first one with RTP.
      const [empty, first] = runSince(1000, [[stat('candidate-pair', 'CP', 1500, {})], [inVideo(2000, { bytesReceived: 125_000 })]]);
      expectFields(empty!, { bitrateInKbps: undefined });
      expectFields(first!, { bitrateInKbps: 1000 });
      // A start after the report (clocks apart) gives no rate rather than a negative one.
      expectFields(runSince(5000, [[inVideo(4000, { bytesReceived: 1 })]])[0]!, { bitrateInKbps: 0 });
    });

    it('reset() forgets the previous sample', () => {
      const tracker = new StatsTracker();
      tracker.update(asMap([outVideo(1000, { bytesSent: 0 })]));
      expect(tracker.update(asMap([outVideo(2000, { bytesSent: 125_000 })])).bitrateOutKbps).to.be.closeTo(1000, 1e-6);
      tracker.reset();
      expect(tracker.update(asMap([outVideo(3000, { bytesSent: 250_000 })])).bitrateOutKbps).to.equal(0);
      expect(tracker.update(asMap([outVideo(4000, { bytesSent: 375_000 })])).bitrateOutKbps).to.be.closeTo(1000, 1e-6);
    });

    it('accepts a Map, an array of entries and a forEach-only object alike', () => {
      const first = [inVideo(0, { bytesReceived: 0, framesDecoded: 0 })];
      const second = [inVideo(1000, { bytesReceived: 250_000, framesDecoded: 30 })];
      const viaMap = new StatsTracker();
      viaMap.update(asMap(first));
      const fromMap = viaMap.update(asMap(second));
      const viaEntries = new StatsTracker();
      viaEntries.update(first.map((s) => [s.id, s] as [string, Stat]));
      const fromEntries = viaEntries.update(second.map((s) => [s.id, s] as [string, Stat]));
      const viaForEach = new StatsTracker();
      const forEachOnly = (s: Snapshot) => ({ forEach: (cb: (v: unknown, k: string) => void) => s.forEach((x) => cb(x, x.id)) });
      viaForEach.update(forEachOnly(first));
      const fromForEach = viaForEach.update(forEachOnly(second));
      expect(fromMap.bitrateInKbps).to.be.closeTo(2000, 1e-6);
      expect(fromMap.framesPerSecond).to.be.closeTo(30, 1e-6);
      expect(fromEntries).to.deep.equal(fromMap);
      expect(fromForEach).to.deep.equal(fromMap);
    });

    it('ignores entries that are not stats and non-numeric fields', () => {
      const tracker = new StatsTracker();
      const report = new Map<string, unknown>([
        ['junk', null],
        ['no-type', { id: 'no-type', timestamp: 1 }],
        ['IT', { id: 'IT', type: 'inbound-rtp', kind: 'video', timestamp: 1, bytesReceived: 'lots', packetsLost: Number.NaN, jitter: -1 / 0 }],
      ]);
      const result = tracker.update(report);
      expectClean(result);
      expect(result.bytesReceived).to.equal(0);
      expect(result.packetsLost).to.equal(0);
      expect('jitterMs' in result).to.equal(false);
    });
  });

  describe('collectStats', () => {
    it('reads getStats once and feeds the tracker', async () => {
      let calls = 0;
      const reports = [asMap([outVideo(0, { bytesSent: 0 })]), asMap([outVideo(1000, { bytesSent: 37_500 })])];
      const pc = { getStats: async () => reports[calls++] };
      const tracker = new StatsTracker();
      expect((await collectStats(pc, tracker)).bitrateOutKbps).to.equal(0);
      expect((await collectStats(pc, tracker)).bitrateOutKbps).to.be.closeTo(300, 1e-6);
      expect(calls).to.equal(2);
    });
  });

  describe('real loopback connection (fake camera)', () => {
    const closers: (() => void)[] = [];
    afterEach(() => {
      for (const close of closers.splice(0)) close();
    });

    it('reports bytes going out on the sender and frames decoded on the receiver', async () => {
      const media = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
      const sender = new RTCPeerConnection({ iceServers: [] });
      const receiver = new RTCPeerConnection({ iceServers: [] });
      closers.push(() => {
        sender.close();
        receiver.close();
        for (const t of media.getTracks()) t.stop();
      });
      sender.addEventListener('icecandidate', (e) => void (e.candidate && receiver.addIceCandidate(e.candidate)));
      receiver.addEventListener('icecandidate', (e) => void (e.candidate && sender.addIceCandidate(e.candidate)));
      for (const t of media.getTracks()) sender.addTrack(t, media);
      await sender.setLocalDescription(await sender.createOffer());
      await receiver.setRemoteDescription(sender.localDescription!);
      await receiver.setLocalDescription(await receiver.createAnswer());
      await sender.setRemoteDescription(receiver.localDescription!);

      const out = new StatsTracker();
      const inn = new StatsTracker();
      const firstOut = await collectStats(sender, out);
      const firstIn = await collectStats(receiver, inn);
      expect(firstOut.bitrateOutKbps ?? 0).to.equal(0);
      expect(firstIn.bitrateInKbps ?? 0).to.equal(0);

      let sent: RtcStats = firstOut;
      let received: RtcStats = firstIn;
      const deadline = performance.now() + 10_000;
      while (performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        sent = await collectStats(sender, out);
        received = await collectStats(receiver, inn);
        if ((sent.bitrateOutKbps ?? 0) > 0 && (received.bitrateInKbps ?? 0) > 0 && (received.framesDecoded ?? 0) > 0) break;
      }
      expectClean(sent);
      expectClean(received);
      expect(sent.bitrateOutKbps, 'sender kbps').to.be.greaterThan(0);
      expect(sent.bytesSent).to.be.greaterThan(0);
      expect(sent.framesEncoded ?? 0, 'frames encoded').to.be.greaterThan(0);
      expect(received.bitrateInKbps, 'receiver kbps').to.be.greaterThan(0);
      expect(received.framesDecoded ?? 0, 'frames decoded').to.be.greaterThan(0);
      expect(received.frameWidth, 'decoded width').to.be.a('number');
      expect(sent.roundTripTimeMs ?? received.roundTripTimeMs, 'a round trip from the candidate pair').to.be.a('number');
    });
  });
});
