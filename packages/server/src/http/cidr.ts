/**
 * Client addresses against a list of CIDR ranges, as AMS's `remoteAllowedCIDR` has them: a
 * comma-separated list of `a.b.c.d`, `a.b.c.d/n`, `x:y::z` or `x:y::z/n`. Every address is
 * compared as 16 bytes, an IPv4 one as its IPv4-mapped IPv6 form (`::ffff:a.b.c.d`), so
 * `127.0.0.1` covers a client that the socket reports as `::ffff:127.0.0.1`. Pure.
 */
import { isIP } from 'node:net';

/** A range: the network's 16 bytes and how many leading bits must match (IPv4: 96 + its prefix). */
export interface Cidr {
  readonly bytes: Uint8Array;
  readonly prefix: number;
}

/** Thrown for text that is no address or range; the message names it. */
export class CidrError extends Error {
  override readonly name = 'CidrError';
}

const MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function ipv4Bytes(text: string): number[] {
  return text.split('.').map(Number);
}

/** `address` (IPv4, or IPv6 with an optional `%zone`) as 16 bytes; undefined when it is not an address. */
export function addressBytes(address: string): Uint8Array | undefined {
  const text = address.replace(/%.*$/, '');
  const kind = isIP(text);
  if (kind === 4) return Uint8Array.from([...MAPPED_PREFIX, ...ipv4Bytes(text)]);
  if (kind !== 6) return undefined;
  // An IPv4 tail (`::ffff:1.2.3.4`) becomes two groups.
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let hex = text;
  if (tail) {
    const [a, b, c, d] = ipv4Bytes(tail[1]!);
    hex = `${text.slice(0, tail.index)}${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
  }
  const [head, rest] = hex.split('::') as [string, string | undefined];
  const groups = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const before = groups(head);
  const after = groups(rest);
  const all = rest === undefined ? before : [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
  return Uint8Array.from(all.flatMap((g) => [g >> 8, g & 0xff]));
}

/** One range (`a.b.c.d`, `a.b.c.d/n`, `x::y`, `x::y/n`); an address alone is a range of one. */
export function parseCidr(text: string): Cidr {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const address = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const bytes = addressBytes(address);
  if (!bytes || address.includes('%')) throw new CidrError(`${JSON.stringify(trimmed)} is not an IPv4 or IPv6 address or CIDR range`);
  const v4 = isIP(address) === 4;
  const max = v4 ? 32 : 128;
  if (slash < 0) return { bytes, prefix: 128 };
  const bits = trimmed.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) throw new CidrError(`${JSON.stringify(trimmed)}: the prefix length must be 0 to ${max}`);
  return { bytes, prefix: (v4 ? 96 : 0) + Number(bits) };
}

/** A comma-separated list of ranges (blank entries ignored; an empty list allows nobody). */
export function parseCidrList(list: string): Cidr[] {
  return list
    .split(',')
    .filter((entry) => entry.trim() !== '')
    .map(parseCidr);
}

/** Whether `address` (16 bytes) is in `cidr`. */
export function inCidr(address: Uint8Array, cidr: Cidr): boolean {
  const whole = cidr.prefix >> 3;
  for (let i = 0; i < whole; i++) if (address[i] !== cidr.bytes[i]) return false;
  const rest = cidr.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (address[whole]! & mask) === (cidr.bytes[whole]! & mask);
}

const parsed = new Map<string, Cidr[]>();

/**
 * Whether `address` (as `socket.remoteAddress` gives it) is in one of the ranges of `list`
 * (already checked when the config was read). An unknown or unreadable address is refused.
 */
export function addressAllowed(list: string, address: string | undefined): boolean {
  let ranges = parsed.get(list);
  if (!ranges) {
    ranges = parseCidrList(list);
    parsed.set(list, ranges);
  }
  const bytes = address === undefined ? undefined : addressBytes(address);
  return bytes !== undefined && ranges.some((cidr) => inCidr(bytes, cidr));
}
