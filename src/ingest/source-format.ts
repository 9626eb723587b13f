import { IngestError } from "./errors.js";

/** The formats staff can upload; each has its extractor in this folder. */
export type SourceFormat = "pdf" | "docx" | "ofd" | "html" | "image" | "txt";

export const ACCEPTED_EXTENSIONS = [".pdf", ".docx", ".html", ".htm", ".txt", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".ofd"];

const startsWith = (bytes: Uint8Array, ...prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

/** The first part of a zip: its local header's name (a .docx starts with [Content_Types].xml or _rels/, an OFD with OFD.xml or a Doc_N folder). */
function firstZipEntry(bytes: Uint8Array): string {
  if (bytes.length < 30) return "";
  const length = bytes[26] | (bytes[27] << 8);
  return new TextDecoder("utf-8").decode(bytes.subarray(30, 30 + Math.min(length, 200)));
}

/** Tells the format from the file's first bytes (the name only breaks ties), so a renamed file is read for what it is. */
export function detectFormat(name: string, bytes: Uint8Array): SourceFormat {
  const extension = name.toLowerCase().match(/\.[a-z0-9]+$/)?.[0] ?? "";
  if (startsWith(bytes, 0x25, 0x50, 0x44, 0x46, 0x2d)) return "pdf";
  if (startsWith(bytes, 0x89, 0x50, 0x4e, 0x47) || startsWith(bytes, 0xff, 0xd8, 0xff)) return "image";
  if (startsWith(bytes, 0x49, 0x49, 0x2a, 0x00) || startsWith(bytes, 0x4d, 0x4d, 0x00, 0x2a)) return "image";
  if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0)) {
    throw new IngestError("UNSUPPORTED_TYPE", `${name}：这是旧版 Word（.doc）或 Excel 文件，请在 Word 或 WPS 中另存为 .docx 后上传`);
  }
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) {
    const first = firstZipEntry(bytes);
    if (extension === ".ofd" || /^(OFD\.xml|Doc_\d+\/)/i.test(first)) return "ofd";
    if (extension === ".docx") return "docx";
    throw new IngestError(
      "UNSUPPORTED_TYPE",
      `${name}：这是一个压缩包，不是 Word（.docx）或 OFD 文件；请上传 PDF、OFD、Word（.docx）、网页（.html）、图片或 .txt`,
    );
  }
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 4096)).toLowerCase();
  if (bytes.includes(0)) {
    throw new IngestError("UNSUPPORTED_TYPE", `${name}：不是 PDF、OFD、Word（.docx）、网页、图片或文本文件；可上传：${ACCEPTED_EXTENSIONS.join(" ")}`);
  }
  if (/<!doctype html|<html[\s>]|<body[\s>]/.test(head) || extension === ".html" || extension === ".htm") return "html";
  return "txt";
}
