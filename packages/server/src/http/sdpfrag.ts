/**
 * The SDP fragments of WHIP and WHEP PATCH requests (`application/trickle-ice-sdpfrag`, RFC 8840):
 * reading a client's fragment (credentials, candidates per mid), rebuilding the client's offer
 * with new credentials for an ICE restart, and writing the server's fragment from its answer.
 * Pure string work.
 */
import { parseCandidate } from '../relay/sdp.js';
import type { IceCandidateInit } from '../relay/types.js';

const EOL = '\r\n';

/** What a client's fragment carries. */
export interface SdpFragment {
  /** `a=ice-ufrag` / `a=ice-pwd`, at session or media level (the first of each). */
  ufrag?: string;
  pwd?: string;
  /** Candidates with the `a=mid` of the section they are in (`undefined`: before any `m=` line). */
  candidates: Array<{ candidate: string; mid: string | undefined }>;
  endOfCandidates: boolean;
}

/** Thrown for a fragment that is not one; the message says why. */
export class SdpFragmentError extends Error {
  override readonly name = 'SdpFragmentError';
}

const lines = (text: string): string[] => text.split(/\r?\n/).filter((l) => l.trim() !== '');

/** Reads a client's fragment. Throws `SdpFragmentError` for a line that is no SDP line or a candidate that does not parse. */
export function parseSdpFragment(text: string): SdpFragment {
  const frag: SdpFragment = { candidates: [], endOfCandidates: false };
  const all = lines(text);
  if (all.length === 0) throw new SdpFragmentError('the fragment is empty');
  let mid: string | undefined;
  for (const line of all) {
    if (!/^[a-z]=/.test(line)) throw new SdpFragmentError(`not an SDP line: ${JSON.stringify(line.slice(0, 80))}`);
    if (line.startsWith('m=')) mid = undefined;
    else if (line.startsWith('a=mid:')) mid = line.slice('a=mid:'.length).trim();
    else if (line.startsWith('a=ice-ufrag:')) frag.ufrag ??= line.slice('a=ice-ufrag:'.length).trim();
    else if (line.startsWith('a=ice-pwd:')) frag.pwd ??= line.slice('a=ice-pwd:'.length).trim();
    else if (line === 'a=end-of-candidates') frag.endOfCandidates = true;
    else if (line.startsWith('a=candidate:')) {
      const candidate = line.slice(2).trim();
      if (!parseCandidate(candidate)) throw new SdpFragmentError(`not a candidate: ${JSON.stringify(candidate.slice(0, 80))}`);
      frag.candidates.push({ candidate, mid });
    }
  }
  if ((frag.ufrag === undefined) !== (frag.pwd === undefined)) throw new SdpFragmentError('a=ice-ufrag and a=ice-pwd go together');
  if (frag.ufrag === '' || frag.pwd === '') throw new SdpFragmentError('empty ICE credentials');
  return frag;
}

/** The ICE credentials of a session description (the first `a=ice-ufrag` / `a=ice-pwd`). */
export function iceCredentials(sdp: string): { ufrag: string; pwd: string } | undefined {
  const ufrag = /^a=ice-ufrag:(.+?)\r?$/m.exec(sdp)?.[1]?.trim();
  const pwd = /^a=ice-pwd:(.+?)\r?$/m.exec(sdp)?.[1]?.trim();
  return ufrag && pwd ? { ufrag, pwd } : undefined;
}

/** The mids of a session description's m-sections, in order. */
function midsOf(sdp: string): string[] {
  const mids: string[] = [];
  let index = -1;
  for (const line of lines(sdp)) {
    if (line.startsWith('m=')) mids[++index] = String(index);
    else if (line.startsWith('a=mid:') && index >= 0) mids[index] = line.slice('a=mid:'.length).trim();
  }
  return mids;
}

/** A fragment's candidates as the peer takes them: each with its section's mid and m-line index (unknown or no mid: the first section, the bundle transport). */
export function fragmentCandidates(frag: SdpFragment, offer: string): IceCandidateInit[] {
  const mids = midsOf(offer);
  return frag.candidates.map(({ candidate, mid }) => {
    const index = mid === undefined ? -1 : mids.indexOf(mid);
    return index >= 0 ? { candidate, sdpMid: mid!, sdpMLineIndex: index } : { candidate, sdpMid: mids[0] ?? '0', sdpMLineIndex: 0 };
  });
}

/**
 * The client's offer after an ICE restart: the same SDP with the fragment's credentials in place
 * of the old ones, its old candidates dropped and the fragment's put in the first m-section.
 */
export function restartedOffer(offer: string, frag: SdpFragment & { ufrag: string; pwd: string }): string {
  const out: string[] = [];
  let sections = 0;
  for (const line of lines(offer)) {
    if (line.startsWith('a=candidate:') || line === 'a=end-of-candidates') continue;
    if (line.startsWith('a=ice-ufrag:')) out.push(`a=ice-ufrag:${frag.ufrag}`);
    else if (line.startsWith('a=ice-pwd:')) out.push(`a=ice-pwd:${frag.pwd}`);
    else out.push(line);
    if (line.startsWith('m=') && sections++ === 0) {
      for (const c of frag.candidates) out.push(`a=${c.candidate}`);
      if (frag.endOfCandidates) out.push('a=end-of-candidates');
    }
  }
  return out.join(EOL) + EOL;
}

/**
 * The server's fragment for a restarted ICE session, from its new answer: `ice-lite` and
 * `ice-options` as the answer has them, the BUNDLE group, then the first m-section (the bundle
 * transport) with its mid, credentials, candidates and `a=end-of-candidates`.
 */
export function answerFragment(answer: string): string {
  const all = lines(answer);
  const firstM = all.findIndex((l) => l.startsWith('m='));
  const session = firstM < 0 ? all : all.slice(0, firstM);
  const section: string[] = [];
  for (const line of firstM < 0 ? [] : all.slice(firstM + 1)) {
    if (line.startsWith('m=')) break;
    section.push(line);
  }
  const out: string[] = [
    ...session.filter((l) => l === 'a=ice-lite' || l.startsWith('a=ice-options:') || l.startsWith('a=group:BUNDLE')),
    ...(firstM < 0 ? [] : [all[firstM]!]),
    ...section.filter((l) => l.startsWith('a=mid:')),
  ];
  const credentials = iceCredentials(answer);
  if (credentials) out.push(`a=ice-ufrag:${credentials.ufrag}`, `a=ice-pwd:${credentials.pwd}`);
  out.push(...section.filter((l) => l.startsWith('a=candidate:')), 'a=end-of-candidates');
  return out.join(EOL) + EOL;
}
