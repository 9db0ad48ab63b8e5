/**
 * Binary data in the AMS SDK's wire format, so SDK peers and ours understand each other:
 * a header frame `Int32[token, totalLength]` (8 bytes), then chunks of `Int32 token` + at most
 * 16,000 payload bytes. Int32s are little-endian, as the SDK writes them on every platform we
 * meet. Pure and DOM-free.
 */

export const CHUNK_BYTES = 16_000;

const toBytes = (data: ArrayBuffer | ArrayBufferView): Uint8Array =>
  data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** Splits `data` into the SDK's frames. */
export function encodeBinary(data: ArrayBuffer | ArrayBufferView, token = Math.floor(Math.random() * 999_999)): ArrayBuffer[] {
  const bytes = toBytes(data);
  const header = new ArrayBuffer(8);
  const view = new DataView(header);
  view.setInt32(0, token, true);
  view.setInt32(4, bytes.byteLength, true);
  const frames = [header];
  for (let offset = 0; offset < bytes.byteLength; offset += CHUNK_BYTES) {
    const part = bytes.subarray(offset, Math.min(offset + CHUNK_BYTES, bytes.byteLength));
    const frame = new Uint8Array(4 + part.byteLength);
    new DataView(frame.buffer).setInt32(0, token, true);
    frame.set(part, 4);
    frames.push(frame.buffer);
  }
  return frames;
}

interface Partial {
  total: number;
  received: number;
  bytes: Uint8Array;
}

/** The most bytes one reassembled message may claim (a bad header must not allocate gigabytes). */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** Reassembles the SDK's frames; a binary message not in that format passes through as is. */
export class BinaryAssembler {
  readonly #partial = new Map<number, Partial>();

  /** Returns a whole message when one completes, else undefined. */
  push(frame: ArrayBuffer): ArrayBuffer | undefined {
    if (frame.byteLength < 4) return frame;
    const view = new DataView(frame);
    const token = view.getInt32(0, true);
    const open = this.#partial.get(token);
    if (open) {
      const payload = new Uint8Array(frame, 4);
      const room = open.total - open.received;
      if (payload.byteLength > room) {
        this.#partial.delete(token);
        return frame;
      }
      open.bytes.set(payload, open.received);
      open.received += payload.byteLength;
      if (open.received < open.total) return undefined;
      this.#partial.delete(token);
      return open.bytes.buffer as ArrayBuffer;
    }
    if (frame.byteLength === 8) {
      const total = view.getInt32(4, true);
      if (total >= 0 && total <= MAX_MESSAGE_BYTES) {
        if (total === 0) return new ArrayBuffer(0);
        this.#partial.set(token, { total, received: 0, bytes: new Uint8Array(total) });
        return undefined;
      }
    }
    return frame;
  }

  reset(): void {
    this.#partial.clear();
  }
}
