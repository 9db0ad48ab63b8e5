/**
 * Cheap looks into forwarded RTP payloads: is this the first packet of a keyframe, and what
 * size is the picture (VP8 keyframe header, H264 SPS). Plus a byte-count bitrate meter.
 * @internal
 */

export type VideoCodecName = 'vp8' | 'h264';

export interface KeyframeInfo {
  /** The packet starts a keyframe (VP8) or carries an IDR / SPS (H264). */
  keyframe: boolean;
  width?: number;
  height?: number;
}

const NOT_KEY: KeyframeInfo = { keyframe: false };

/** Where a VP8 payload descriptor's fields are (RFC 7741). */
export interface Vp8Descriptor {
  /** The PictureID's first byte (-1: none); `wide`: 15 bits, else 7. */
  picAt: number;
  wide: boolean;
  /** The TL0PICIDX byte (-1: none). */
  tl0At: number;
  /** The first byte after the descriptor. */
  end: number;
}

/** The descriptor of a VP8 payload, or undefined when the payload ends inside its fields. */
export function vp8Descriptor(payload: Uint8Array): Vp8Descriptor | undefined {
  if (payload.length < 1) return undefined;
  const d: Vp8Descriptor = { picAt: -1, wide: false, tl0At: -1, end: 1 };
  if (payload[0]! & 0x80) {
    if (payload.length < 2) return undefined;
    const x = payload[1]!;
    d.end = 2;
    if (x & 0x80) {
      if (payload.length <= d.end) return undefined;
      d.picAt = d.end;
      d.wide = (payload[d.end]! & 0x80) !== 0;
      d.end += d.wide ? 2 : 1;
    }
    if (x & 0x40) d.tl0At = d.end++;
    if (x & 0x30) d.end += 1;
  }
  return d;
}

/** VP8 (RFC 7741): payload descriptor, then the frame tag; keyframes carry the picture size. */
export function inspectVp8(payload: Uint8Array): KeyframeInfo {
  if (payload.length < 1) return NOT_KEY;
  const b0 = payload[0]!;
  const start = (b0 & 0x10) !== 0;
  const partition = b0 & 0x0f;
  if (!start || partition !== 0) return NOT_KEY;
  const i = vp8Descriptor(payload)?.end ?? payload.length;
  if (payload.length <= i) return NOT_KEY;
  if ((payload[i]! & 0x01) !== 0) return NOT_KEY; // P bit set: inter frame
  const info: KeyframeInfo = { keyframe: true };
  const h = i + 3;
  if (payload.length >= h + 7 && payload[h] === 0x9d && payload[h + 1] === 0x01 && payload[h + 2] === 0x2a) {
    info.width = (payload[h + 3]! | (payload[h + 4]! << 8)) & 0x3fff;
    info.height = (payload[h + 5]! | (payload[h + 6]! << 8)) & 0x3fff;
  }
  return info;
}

/** H264 (RFC 6184): single NAL, STAP-A or FU-A start; IDR (5) or SPS (7) marks a keyframe. */
export function inspectH264(payload: Uint8Array): KeyframeInfo {
  if (payload.length < 1) return NOT_KEY;
  const type = payload[0]! & 0x1f;
  const nals: Uint8Array[] = [];
  if (type >= 1 && type <= 23) {
    nals.push(payload);
  } else if (type === 24) {
    let i = 1;
    while (i + 2 <= payload.length) {
      const size = (payload[i]! << 8) | payload[i + 1]!;
      i += 2;
      if (size === 0 || i + size > payload.length) break;
      nals.push(payload.subarray(i, i + size));
      i += size;
    }
  } else if (type === 28) {
    if (payload.length < 2) return NOT_KEY;
    const fu = payload[1]!;
    if (fu & 0x80 && (fu & 0x1f) === 5) return { keyframe: true };
    return NOT_KEY;
  }
  let keyframe = false;
  const info: KeyframeInfo = { keyframe };
  for (const nal of nals) {
    const t = nal[0]! & 0x1f;
    if (t === 5 || t === 7) keyframe = true;
    if (t === 7) {
      const size = parseSpsSize(nal);
      if (size) {
        info.width = size.width;
        info.height = size.height;
      }
    }
  }
  info.keyframe = keyframe;
  return info;
}

export function inspectVideo(codec: VideoCodecName, payload: Uint8Array): KeyframeInfo {
  return codec === 'vp8' ? inspectVp8(payload) : inspectH264(payload);
}

class BitReader {
  private pos = 0;
  constructor(private readonly data: Uint8Array) {}
  bit(): number {
    const byte = this.pos >> 3;
    if (byte >= this.data.length) throw new RangeError('end of SPS');
    const v = (this.data[byte]! >> (7 - (this.pos & 7))) & 1;
    this.pos++;
    return v;
  }
  bits(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 2 + this.bit();
    return v;
  }
  ue(): number {
    let zeros = 0;
    while (this.bit() === 0) {
      if (++zeros > 31) throw new RangeError('bad exp-golomb');
    }
    return 2 ** zeros - 1 + this.bits(zeros);
  }
  se(): number {
    const k = this.ue();
    return k & 1 ? (k + 1) / 2 : -(k / 2);
  }
}

/** Picture size from an H264 SPS NAL unit (header byte included); undefined if unreadable. */
export function parseSpsSize(nal: Uint8Array): { width: number; height: number } | undefined {
  // Remove emulation prevention bytes (00 00 03 → 00 00).
  const rbsp: number[] = [];
  let zeros = 0;
  for (let i = 1; i < nal.length; i++) {
    const b = nal[i]!;
    if (zeros >= 2 && b === 3) {
      zeros = 0;
      continue;
    }
    zeros = b === 0 ? zeros + 1 : 0;
    rbsp.push(b);
  }
  try {
    const r = new BitReader(Uint8Array.from(rbsp));
    const profile = r.bits(8);
    r.bits(16); // constraint flags, level
    r.ue(); // seq_parameter_set_id
    let chromaFormat = 1;
    if ([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135].includes(profile)) {
      chromaFormat = r.ue();
      if (chromaFormat === 3) r.bit();
      r.ue();
      r.ue();
      r.bit();
      if (r.bit()) {
        const lists = chromaFormat !== 3 ? 8 : 12;
        for (let i = 0; i < lists; i++) {
          if (!r.bit()) continue;
          const size = i < 6 ? 16 : 64;
          let last = 8;
          let next = 8;
          for (let j = 0; j < size; j++) {
            if (next !== 0) next = (last + r.se() + 256) % 256;
            last = next === 0 ? last : next;
          }
        }
      }
    }
    r.ue(); // log2_max_frame_num_minus4
    const pocType = r.ue();
    if (pocType === 0) {
      r.ue();
    } else if (pocType === 1) {
      r.bit();
      r.se();
      r.se();
      const n = r.ue();
      for (let i = 0; i < n; i++) r.se();
    }
    r.ue(); // max_num_ref_frames
    r.bit(); // gaps_in_frame_num_value_allowed_flag
    const widthMbs = r.ue() + 1;
    const heightMapUnits = r.ue() + 1;
    const frameMbsOnly = r.bit();
    if (!frameMbsOnly) r.bit();
    r.bit(); // direct_8x8_inference_flag
    let cropL = 0;
    let cropR = 0;
    let cropT = 0;
    let cropB = 0;
    if (r.bit()) {
      cropL = r.ue();
      cropR = r.ue();
      cropT = r.ue();
      cropB = r.ue();
    }
    const subW = chromaFormat === 1 || chromaFormat === 2 ? 2 : 1;
    const subH = chromaFormat === 1 ? 2 : 1;
    const cropUnitX = chromaFormat === 0 ? 1 : subW;
    const cropUnitY = (chromaFormat === 0 ? 1 : subH) * (2 - frameMbsOnly);
    const width = widthMbs * 16 - (cropL + cropR) * cropUnitX;
    const height = (2 - frameMbsOnly) * heightMapUnits * 16 - (cropT + cropB) * cropUnitY;
    if (width <= 0 || height <= 0) return undefined;
    return { width, height };
  } catch {
    return undefined;
  }
}

/** Bit rate from a running byte count over the last few seconds. */
export class BitrateMeter {
  private total = 0;
  private readonly samples: { t: number; bytes: number }[] = [];

  constructor(
    private readonly windowMs = 3000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  add(bytes: number): void {
    this.total += bytes;
    const t = this.now();
    const last = this.samples[this.samples.length - 1];
    if (last && t - last.t < 250) {
      last.bytes = this.total;
      return;
    }
    this.samples.push({ t, bytes: this.total });
    while (this.samples.length > 2 && t - this.samples[0]!.t > this.windowMs) this.samples.shift();
  }

  /** bit/s; 0 when nothing arrived lately or not enough data yet. */
  bitsPerSecond(): number {
    const t = this.now();
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || first === last || t - last.t > 2000) return 0;
    const dt = (last.t - first.t) / 1000;
    return dt > 0 ? Math.round(((last.bytes - first.bytes) * 8) / dt) : 0;
  }
}
