/**
 * Small, pure SDP rewrites the relay applies around werift: which codecs a publisher may use,
 * the bitrate hints and the audio packet length in the answer, and which ICE candidates are
 * allowed in or out.
 * @internal
 */

const EOL = '\r\n';

interface Section {
  /** Lines of this section, the `m=` line first (for the session part: everything before). */
  lines: string[];
}

function splitSdp(sdp: string): { session: string[]; media: Section[] } {
  const lines = sdp.split(/\r?\n/).filter((l) => l.length > 0);
  const session: string[] = [];
  const media: Section[] = [];
  for (const line of lines) {
    if (line.startsWith('m=')) media.push({ lines: [line] });
    else if (media.length === 0) session.push(line);
    else media[media.length - 1]!.lines.push(line);
  }
  return { session, media };
}

function joinSdp(session: string[], media: Section[]): string {
  return [...session, ...media.flatMap((m) => m.lines)].join(EOL) + EOL;
}

const mediaKind = (section: Section): string => section.lines[0]!.slice(2).split(' ')[0] ?? '';

/** `a=<attr>:<pt> rest` → pt, or undefined. */
function ptOf(line: string, attr: string): number | undefined {
  const prefix = `a=${attr}:`;
  if (!line.startsWith(prefix)) return undefined;
  const pt = Number.parseInt(line.slice(prefix.length), 10);
  return Number.isNaN(pt) ? undefined : pt;
}

interface CodecLine {
  pt: number;
  /** Lower-case encoding name, e.g. `vp8`, `h264`, `opus`, `rtx`. */
  name: string;
  fmtp: Map<string, string>;
}

function codecsOf(section: Section): CodecLine[] {
  const mLine = section.lines[0]!.split(' ');
  const pts = mLine.slice(3).map((p) => Number.parseInt(p, 10));
  return pts.map((pt) => {
    let name = '';
    const fmtp = new Map<string, string>();
    for (const line of section.lines) {
      if (ptOf(line, 'rtpmap') === pt) {
        name = (line.split(' ')[1] ?? '').split('/')[0]!.toLowerCase();
      } else if (ptOf(line, 'fmtp') === pt) {
        const params = line.slice(line.indexOf(' ') + 1);
        for (const kv of params.split(';')) {
          const eq = kv.indexOf('=');
          if (eq > 0) fmtp.set(kv.slice(0, eq).trim().toLowerCase(), kv.slice(eq + 1).trim());
        }
      }
    }
    return { pt, name, fmtp };
  });
}

/** Keeps only the payload types in `keep` (in that order) in a media section. */
function restrictPayloads(section: Section, keep: number[]): void {
  const mLine = section.lines[0]!.split(' ');
  section.lines[0] = [...mLine.slice(0, 3), ...keep.map(String)].join(' ');
  const keepSet = new Set(keep);
  section.lines = section.lines.filter((line, i) => {
    if (i === 0) return true;
    for (const attr of ['rtpmap', 'fmtp', 'rtcp-fb']) {
      const pt = ptOf(line, attr);
      if (pt !== undefined) return keepSet.has(pt);
    }
    return true;
  });
}

/** The one H264 variant the relay accepts: constrained baseline 3.1, non-interleaved. */
export const isAcceptedH264 = (fmtp: ReadonlyMap<string, string>): boolean =>
  fmtp.get('packetization-mode') === '1' && (fmtp.get('profile-level-id') ?? '').toLowerCase() === '42e01f';

/**
 * Rewrites a publisher's offer so werift (which matches codecs by name only) negotiates
 * exactly one video codec (VP8 first, else H264 42e01f packetization-mode=1) and Opus
 * for audio. Sections without an acceptable codec are left untouched (werift rejects them).
 */
export function restrictPublisherOffer(sdp: string, simulcast = false): string {
  const { session, media } = splitSdp(sdp);
  for (const section of media) {
    const kind = mediaKind(section);
    // Layers not asked for (a client that sends them anyway): the answer takes none, so it sends its first encoding alone.
    if (!simulcast) section.lines = section.lines.filter((l) => !l.startsWith('a=simulcast:') && !l.startsWith('a=rid:'));
    const codecs = codecsOf(section);
    let keep: number[];
    if (kind === 'video') {
      const vp8 = codecs.find((c) => c.name === 'vp8');
      const h264 = codecs.find((c) => c.name === 'h264' && isAcceptedH264(c.fmtp));
      keep = [vp8, h264].filter((c): c is CodecLine => c !== undefined).map((c) => c.pt);
    } else if (kind === 'audio') {
      const opus = codecs.find((c) => c.name === 'opus');
      keep = opus ? [opus.pt] : [];
    } else {
      continue;
    }
    if (keep.length > 0) restrictPayloads(section, keep);
  }
  return joinSdp(session, media);
}

export interface BitrateHints {
  /** kbit/s */
  start: number;
  min: number;
  max: number;
}

/**
 * Adds `x-google-start/min/max-bitrate` to every video codec's fmtp in an answer, so
 * Chrome does not start (and stay) at a starved bitrate.
 */
export function addVideoBitrateHints(sdp: string, hints: BitrateHints): string {
  const { session, media } = splitSdp(sdp);
  const extra = `x-google-start-bitrate=${hints.start};x-google-min-bitrate=${hints.min};x-google-max-bitrate=${hints.max}`;
  for (const section of media) {
    if (mediaKind(section) !== 'video' || section.lines[0]!.startsWith('m=video 0 ')) continue;
    for (const codec of codecsOf(section)) {
      if (['rtx', 'red', 'ulpfec', 'flexfec-03', ''].includes(codec.name)) continue;
      const fmtpIdx = section.lines.findIndex((l) => ptOf(l, 'fmtp') === codec.pt);
      if (fmtpIdx >= 0) {
        if (!section.lines[fmtpIdx]!.includes('x-google-')) section.lines[fmtpIdx] += `;${extra}`;
      } else {
        const rtpmapIdx = section.lines.findIndex((l) => ptOf(l, 'rtpmap') === codec.pt);
        section.lines.splice(rtpmapIdx + 1, 0, `a=fmtp:${codec.pt} ${extra}`);
      }
    }
  }
  return joinSdp(session, media);
}

/**
 * Asks for audio packets of `ms` milliseconds (`a=ptime`, RFC 4566, which Chrome's Opus encoder
 * follows): in each audio section in use that has no `ptime` yet.
 */
export function setAudioPacketTime(sdp: string, ms: number): string {
  const { session, media } = splitSdp(sdp);
  for (const section of media) {
    if (mediaKind(section) !== 'audio' || section.lines[0]!.startsWith('m=audio 0 ')) continue;
    if (section.lines.some((l) => l.startsWith('a=ptime:'))) continue;
    section.lines.push(`a=ptime:${ms}`);
  }
  return joinSdp(session, media);
}

/** The connection address and transport of a `candidate:` string (with or without `a=`). */
export function parseCandidate(candidate: string): { address: string; protocol: string } | undefined {
  const body = candidate.replace(/^a=/, '').replace(/^candidate:/, '');
  const parts = body.trim().split(/\s+/);
  if (parts.length < 8) return undefined;
  return { protocol: parts[2]!.toLowerCase(), address: parts[4]!.toLowerCase() };
}

/** Drops `a=candidate` lines whose candidate `allow` refuses. */
export function filterCandidates(sdp: string, allow: (candidate: string) => boolean): string {
  const { session, media } = splitSdp(sdp);
  for (const section of media) {
    section.lines = section.lines.filter((l) => !l.startsWith('a=candidate:') || allow(l.slice(2)));
  }
  return joinSdp(session, media);
}

/** Candidates of the first m-section (the bundle transport), as trickle messages. */
export function bundleCandidates(sdp: string): { candidate: string; sdpMid: string; sdpMLineIndex: number }[] {
  const { media } = splitSdp(sdp);
  const first = media[0];
  if (!first) return [];
  const mid = first.lines.find((l) => l.startsWith('a=mid:'))?.slice('a=mid:'.length) ?? '0';
  return first.lines.filter((l) => l.startsWith('a=candidate:')).map((l) => ({ candidate: l.slice(2), sdpMid: mid, sdpMLineIndex: 0 }));
}

/** A cheap sanity check werift does not make: a session description with media sections and ICE/DTLS parameters. */
export function isUsableSdp(sdp: string): boolean {
  if (!/^v=0\r?$/m.test(sdp)) return false;
  const { media } = splitSdp(sdp);
  if (media.length === 0) return false;
  const all = sdp.split(/\r?\n/);
  return all.some((l) => l.startsWith('a=ice-ufrag:')) && all.some((l) => l.startsWith('a=fingerprint:'));
}
