/**
 * The phase of one server-side peer session (a publish, a play, a room play) and the only way
 * it changes: `transition`, checked against `TRANSITIONS`. A publish starts in `awaiting-offer`
 * (the client offers), a play and a room play in `negotiating` (the server offers).
 */

export type Phase = 'awaiting-offer' | 'negotiating' | 'connecting' | 'live' | 'stopped';

/** The phases each phase may move to. `stopped` is final. */
export const TRANSITIONS: Readonly<Record<Phase, readonly Phase[]>> = {
  /** A publish waiting for the client's offer. */
  'awaiting-offer': ['negotiating', 'stopped'],
  /** The offer or answer is being applied. */
  negotiating: ['connecting', 'live', 'stopped'],
  /** The answer is out (or applied); waiting for media. */
  connecting: ['live', 'stopped'],
  /** Media flows; renegotiations and ICE restarts stay here. */
  live: ['stopped'],
  stopped: [],
};

/** Something with a phase that only `transition` writes. */
export interface Phased {
  readonly phase: Phase;
}

/** Whether `from` may move to `to`. */
export const canTransition = (from: Phase, to: Phase): boolean => TRANSITIONS[from].includes(to);

/** Moves `session` to `to` when the table allows it; false (and no change) when it does not. */
export function transition(session: Phased, to: Phase): boolean {
  if (!canTransition(session.phase, to)) return false;
  (session as { phase: Phase }).phase = to;
  return true;
}

/** Read through a function so TypeScript does not narrow `phase` across an `await`. */
export const isStopped = (session: Phased): boolean => session.phase === 'stopped';
