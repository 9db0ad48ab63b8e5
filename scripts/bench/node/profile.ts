// Where a CPU profile's time went, by kind of work: what `npm run bench -- --room` prints for the
// profile `BENCH_PROFILE` asks for. Only the sampled time of the JavaScript thread is seen; the
// process's CPU (process.cpuUsage) also counts the kernel's time outside it and other threads.

/** The parts of a V8 CPU profile (`Profiler.stop`'s `profile`) read here. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  /** Microseconds before each sample. */
  timeDeltas: number[];
}

/** The kinds of work, in the order printed. */
export const WORK_KINDS = [
  'UDP send (native)',
  'crypto (native)',
  'other native',
  'garbage collection',
  '(program)',
  "Node's own JavaScript",
  "werift's JavaScript",
  'our JavaScript',
] as const;
export type WorkKind = (typeof WORK_KINDS)[number];

export interface ProfileShares {
  /** The profile's length, milliseconds. */
  wallMs: number;
  /** Busy time of the thread, the profiler's own work left out (ms of thread time per second of the profile). */
  busyMsPerS: number;
  /** The profiler's own work (ms per second), left out of the rest. */
  profilerMsPerS: number;
  /** Each kind: ms per second of the profile, and its share of the busy time (0-1). */
  kinds: { kind: WorkKind; msPerS: number; share: number }[];
}

/** Native methods of Node's cipher objects (createCipheriv and its decipher). */
const CRYPTO = new Set(['initiv', 'init', 'update', 'final', 'CipherBase', 'setAAD', 'setAuthTag', 'getAuthTag', 'setAutoPadding']);

/** The kind of work of a sample's own function (not idle, not the profiler's). */
function kindOf({ functionName, url }: { functionName: string; url: string }): WorkKind {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)') return '(program)';
  if (url === '') return functionName === 'send' ? 'UDP send (native)' : CRYPTO.has(functionName) ? 'crypto (native)' : 'other native';
  if (url.startsWith('node:')) return "Node's own JavaScript";
  return url.includes('/werift/') ? "werift's JavaScript" : 'our JavaScript';
}

/**
 * The busy time of `profile` by kind of work, from each sample's own function (self time). The
 * profiler's own work (what runs under `node:inspector`) and idle samples are left out.
 */
export function profileShares(profile: CpuProfile): ProfileShares {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  let wallUs = 0;
  profile.samples.forEach((id, i) => {
    const d = profile.timeDeltas[i] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + d);
    wallUs += d;
  });
  const underProfiler = (id: number): boolean => {
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      if (byId.get(cur)?.callFrame.url === 'node:inspector') return true;
    }
    return false;
  };
  const us = new Map<WorkKind, number>(WORK_KINDS.map((k) => [k, 0]));
  let profilerUs = 0;
  for (const [id, t] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)' || frame.functionName === '(root)') continue;
    if (underProfiler(id)) {
      profilerUs += t;
      continue;
    }
    const kind = kindOf(frame);
    us.set(kind, us.get(kind)! + t);
  }
  const busyUs = [...us.values()].reduce((a, b) => a + b, 0);
  const perS = (t: number): number => (wallUs > 0 ? t / 1000 / (wallUs / 1e6) : 0);
  return {
    wallMs: wallUs / 1000,
    busyMsPerS: perS(busyUs),
    profilerMsPerS: perS(profilerUs),
    kinds: WORK_KINDS.map((kind) => ({ kind, msPerS: perS(us.get(kind)!), share: busyUs > 0 ? us.get(kind)! / busyUs : 0 })),
  };
}

/** The JavaScript kinds: what a change to ours, werift's or Node's own JavaScript could remove. */
const isJavaScript = (kind: WorkKind): boolean => kind.endsWith('JavaScript');

/** `profileShares` as lines to print: each kind's share and ms per second, then the JavaScript's sum. */
export function formatProfileShares(s: ProfileShares): string[] {
  const js = s.kinds.filter((k) => isJavaScript(k.kind)).reduce((a, k) => a + k.msPerS, 0);
  return [
    `profile: ${s.busyMsPerS.toFixed(1)} ms busy a second (the profiler's own ${s.profilerMsPerS.toFixed(1)} ms left out), by kind of work (self time):`,
    ...s.kinds.map((k) => `  ${k.kind.padEnd(24)} ${(k.share * 100).toFixed(1).padStart(5)} %  ${k.msPerS.toFixed(1).padStart(6)} ms/s`),
    `  all JavaScript: ${js.toFixed(1)} ms/s, ${(js / 10).toFixed(1)} % of one core; the rest of the process's CPU is native work, GC and time outside the sampled thread`,
  ];
}
