import { inflateRawSync } from "node:zlib";
import { IngestError } from "./errors.js";
import type { UploadLimits } from "./limits.js";
import { megabytes } from "./limits.js";

interface ZipEntry {
  name: string;
  method: number;
  packed: number;
  unpacked: number;
  localHeader: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
/** A zip64 field: the real size is elsewhere; no Word file needs that. */
const ZIP64 = 0xffffffff;

/** What a zip package is, for messages: its kind and what staff should do with a refused one. */
interface ZipKind {
  /** "Word（.docx）文件", "OFD 文件". */
  label: string;
  /** How to save it afresh: "在 Word 或 WPS 中另存为新的 .docx". */
  resave: string;
}

const WORD: ZipKind = { label: "Word（.docx）文件", resave: "在 Word 或 WPS 中另存为新的 .docx" };
export const OFD_PACKAGE: ZipKind = { label: "OFD 文件", resave: "用数科或福昕 OFD 阅读器另存为新的 .ofd，或导出为 PDF" };

/**
 * Checks a Word (.docx) file's zip before mammoth unpacks it: the sizes its
 * directory declares (in all, and each part against its packed size), then the
 * sizes its parts actually inflate to, inflating each no further than the limit
 * allows. A zip bomb (1.2 MB unpacking to 400 MB of paragraphs) is refused here,
 * having used at most the limit's memory, instead of running the server out of heap.
 */
export function checkDocxArchive(name: string, bytes: Uint8Array, limits: UploadLimits["docx"]): void {
  readZipArchive(name, bytes, limits, WORD, () => false);
}

/**
 * The parts of a zip package (an OFD file) that `wanted` names, unpacked,
 * after the same checks as a Word file's: declared sizes first, then each
 * part inflated no further than what is left of the allowance.
 */
export function readZipArchive(
  name: string,
  bytes: Uint8Array,
  limits: UploadLimits["docx"],
  kind: ZipKind,
  wanted: (entry: string) => boolean,
): Map<string, Buffer> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries = readDirectory(name, buffer, limits.maxEntries, kind);
  const refuse = (why: string) => new IngestError("TOO_LARGE", `${name}：${why}，可能是“压缩炸弹”或损坏的文件，已拒绝；请${kind.resave}后再上传`);
  let declared = 0;
  for (const entry of entries) {
    declared += entry.unpacked;
    if (declared > limits.maxUnpackedBytes) throw refuse(`解压后超过 ${megabytes(limits.maxUnpackedBytes)}（声明的大小）`);
    if (entry.unpacked > 1024 * 1024 && entry.unpacked > entry.packed * limits.maxRatio) {
      throw refuse(`其中 ${entry.name} 压缩比为 ${Math.round(entry.unpacked / Math.max(1, entry.packed))} 倍，超过 ${limits.maxRatio} 倍`);
    }
  }
  // The declared sizes may lie: inflate each part, stopping one byte past what is left of the allowance.
  const parts = new Map<string, Buffer>();
  let actual = 0;
  for (const entry of entries) {
    const data = entryData(name, buffer, entry, kind);
    let part: Buffer;
    if (entry.method === 0) part = data;
    else if (entry.method === 8) {
      try {
        part = inflateRawSync(data, { maxOutputLength: Math.max(1, limits.maxUnpackedBytes - actual + 1) });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw refuse(`解压后超过 ${megabytes(limits.maxUnpackedBytes)}`);
        throw unreadable(name, kind, `其中 ${entry.name} 无法解压`, error);
      }
    } else throw unreadable(name, kind, `其中 ${entry.name} 使用了不支持的压缩方式`);
    actual += part.byteLength;
    if (actual > limits.maxUnpackedBytes) throw refuse(`解压后超过 ${megabytes(limits.maxUnpackedBytes)}`);
    if (part.byteLength > entry.unpacked) throw refuse(`其中 ${entry.name} 解压后比声明的大`);
    if (wanted(entry.name)) parts.set(entry.name, part);
  }
  return parts;
}

const unreadable = (name: string, kind: ZipKind, why: string, cause?: unknown) =>
  new IngestError("UNREADABLE", `${name}：不是可以读取的 ${kind.label}（${why}）`, { cause });

function readDirectory(name: string, buffer: Buffer, maxEntries: number, kind: ZipKind): ZipEntry[] {
  // The end record sits in the last 22 bytes plus a comment of at most 64 KB.
  let end = -1;
  for (let at = buffer.length - 22; at >= Math.max(0, buffer.length - 22 - 0xffff); at--) {
    if (buffer.readUInt32LE(at) === END_OF_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) throw unreadable(name, kind, "找不到 zip 目录");
  const count = buffer.readUInt16LE(end + 10);
  if (count > maxEntries) throw new IngestError("TOO_LARGE", `${name}：zip 中有 ${count} 个部件，超过 ${maxEntries} 个，已拒绝`);
  const entries: ZipEntry[] = [];
  let at = buffer.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    if (at + 46 > buffer.length || buffer.readUInt32LE(at) !== DIRECTORY_ENTRY) throw unreadable(name, kind, "zip 目录已损坏");
    const nameLength = buffer.readUInt16LE(at + 28);
    const entry: ZipEntry = {
      method: buffer.readUInt16LE(at + 10),
      packed: buffer.readUInt32LE(at + 20),
      unpacked: buffer.readUInt32LE(at + 24),
      localHeader: buffer.readUInt32LE(at + 42),
      name: buffer.toString("utf8", at + 46, at + 46 + nameLength),
    };
    if (entry.packed === ZIP64 || entry.unpacked === ZIP64 || entry.localHeader === ZIP64) {
      throw new IngestError("TOO_LARGE", `${name}：zip 中的 ${entry.name} 超过 4 GB（zip64），已拒绝`);
    }
    entries.push(entry);
    at += 46 + nameLength + buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32);
  }
  return entries;
}

function entryData(name: string, buffer: Buffer, entry: ZipEntry, kind: ZipKind): Buffer {
  const at = entry.localHeader;
  if (at + 30 > buffer.length || buffer.readUInt32LE(at) !== LOCAL_HEADER) throw unreadable(name, kind, `${entry.name} 的位置不对`);
  const start = at + 30 + buffer.readUInt16LE(at + 26) + buffer.readUInt16LE(at + 28);
  if (start + entry.packed > buffer.length) throw unreadable(name, kind, `${entry.name} 不完整`);
  return buffer.subarray(start, start + entry.packed);
}
