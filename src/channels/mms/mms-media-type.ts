/**
 * What a media file is, judged by its bytes (a declared Content-Type is never trusted): the image
 * formats sharp reads, MP4/3GP video (and whether it carries H.264, which China video SMS
 * requires), MP3 and AMR audio.
 */

export type MediaKind = 'image' | 'video' | 'audio';

export interface SniffedMedia {
  kind: MediaKind;
  mime: string;
  /** Video only: an H.264 (avc1) track was found. */
  h264?: boolean;
}

const startsWith = (b: Buffer, sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);

/** The media type of `bytes`, or undefined when it is none the platform takes. */
export function sniffMedia(bytes: Buffer): SniffedMedia | undefined {
  if (bytes.length < 12) return undefined;
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { kind: 'image', mime: 'image/jpeg' };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'image', mime: 'image/png' };
  if (bytes.toString('latin1', 0, 4) === 'GIF8') return { kind: 'image', mime: 'image/gif' };
  if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return { kind: 'image', mime: 'image/webp' };
  if (bytes.toString('latin1', 4, 8) === 'ftyp') {
    const brand = bytes.toString('latin1', 8, 12);
    // The sample description names the codec; it sits in the moov box, anywhere in the file.
    const h264 = bytes.includes('avc1', 0, 'latin1') || bytes.includes('avcC', 0, 'latin1');
    return { kind: 'video', mime: brand.startsWith('3gp') ? 'video/3gpp' : 'video/mp4', h264 };
  }
  if (bytes.toString('latin1', 0, 6) === '#!AMR\n') return { kind: 'audio', mime: 'audio/amr' };
  // MP3: an ID3v2 tag, or an MPEG audio frame sync (11 bits set) with layer III.
  if (bytes.toString('latin1', 0, 3) === 'ID3' || (bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0 && (bytes[1] & 0x06) === 0x02)) {
    return { kind: 'audio', mime: 'audio/mpeg' };
  }
  return undefined;
}

/** File extension of a part name for a MIME type. */
export function extensionOf(mime: string): string {
  switch (mime) {
    case 'image/jpeg': return 'jpg';
    case 'image/png': return 'png';
    case 'image/gif': return 'gif';
    case 'video/mp4': return 'mp4';
    case 'video/3gpp': return '3gp';
    case 'audio/mpeg': return 'mp3';
    case 'audio/amr': return 'amr';
    default: return 'bin';
  }
}
