import { IngestError } from "./errors.js";

/** The formats staff can upload; each has its extractor in this folder. */
export type SourceFormat = "pdf" | "docx" | "html" | "image" | "txt";

export const ACCEPTED_EXTENSIONS = [".pdf", ".docx", ".html", ".htm", ".txt", ".png", ".jpg", ".jpeg", ".tif", ".tiff"];

const startsWith = (bytes: Uint8Array, ...prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

/** Tells the format from the file's first bytes (the name only breaks ties), so a renamed file is read for what it is. */
export function detectFormat(name: string, bytes: Uint8Array): SourceFormat {
  const extension = name.toLowerCase().match(/\.[a-z0-9]+$/)?.[0] ?? "";
  if (startsWith(bytes, 0x25, 0x50, 0x44, 0x46, 0x2d)) return "pdf";
  if (startsWith(bytes, 0x89, 0x50, 0x4e, 0x47) || startsWith(bytes, 0xff, 0xd8, 0xff)) return "image";
  if (startsWith(bytes, 0x49, 0x49, 0x2a, 0x00) || startsWith(bytes, 0x4d, 0x4d, 0x00, 0x2a)) return "image";
  if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0)) {
    throw new IngestError(
      "UNSUPPORTED_TYPE",
      `${name}: an old binary Word (.doc) or Excel file; open it in Word or WPS and save it as .docx, then upload that`,
    );
  }
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) {
    if (extension === ".docx") return "docx";
    throw new IngestError("UNSUPPORTED_TYPE", `${name}: a ZIP package that is not a .docx file; upload PDF, Word (.docx), web pages (.html), images or .txt`);
  }
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 4096)).toLowerCase();
  if (bytes.includes(0)) {
    throw new IngestError("UNSUPPORTED_TYPE", `${name}: not a PDF, Word (.docx), web page, image or text file; accepted: ${ACCEPTED_EXTENSIONS.join(" ")}`);
  }
  if (/<!doctype html|<html[\s>]|<body[\s>]/.test(head) || extension === ".html" || extension === ".htm") return "html";
  return "txt";
}
