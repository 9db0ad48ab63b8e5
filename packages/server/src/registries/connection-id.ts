/**
 * Which socket a session, a room membership or a P2P peer belongs to: one number per WebSocket.
 * Registries compare it; they never reach the socket through it.
 */
export type ConnectionId = number;

let last = 0;

/** A fresh id for a new socket. */
export const nextConnectionId = (): ConnectionId => ++last;
