import { createDeflateRaw } from "node:zlib";
import PDFDocument from "pdfkit";

/**
 * Files that once took the server down, made here in milliseconds and a few
 * MB of memory: the guards must refuse them before the expensive work.
 */

/** A PDF of `count` empty A4 pages, written by hand (pdfkit takes 12 s for 20,000 pages): one page tree, one object per page. */
export function manyPagesPdf(count: number): Buffer {
  const objects: string[] = [];
  objects.push("<< /Type /Catalog /Pages 2 0 R >>");
  const kids = Array.from({ length: count }, (_, i) => `${i + 3} 0 R`).join(" ");
  objects.push(`<< /Type /Pages /Count ${count} /Kids [${kids}] >>`);
  for (let i = 0; i < count; i++) objects.push("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>");
  const parts = ["%PDF-1.4\n"];
  const offsets: number[] = [];
  let offset = parts[0].length;
  objects.forEach((object, i) => {
    offsets.push(offset);
    const text = `${i + 1} 0 obj\n${object}\nendobj\n`;
    parts.push(text);
    offset += text.length;
  });
  parts.push(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`));
  parts.push(`trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`);
  const body = parts.join("");
  return Buffer.from(body, "latin1");
}

/** One blank page `points` wide and high (14,400 is the most the PDF format allows), written by pdfkit: 1.6 billion pixels at 200 dpi. */
export function hugePagePdf(points = 14_400): Promise<Buffer> {
  const doc = new PDFDocument({ size: [points, points], margin: 0 });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  doc.end();
  return done;
}

/** Starts like a PDF, then is nothing of the sort. */
export const malformedPdf = () => Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ngarbage, no xref, no trailer\n", "latin1");

interface ZipPart {
  name: string;
  packed: Buffer;
  unpacked: number;
}

/**
 * A Word file whose document.xml unpacks to `unpackedBytes` of one paragraph
 * repeated: deflated as a stream, so neither the XML nor more than its packed
 * form is ever in memory. `declaredBytes` writes a smaller size into the zip's
 * directory than the part really has (a zip that lies about itself).
 */
export async function zipBombDocx(unpackedBytes: number, options: { declaredBytes?: number } = {}): Promise<Buffer> {
  const head =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>';
  const tail = "</w:body></w:document>";
  const paragraph = Buffer.from("<w:p><w:r><w:t>对小微企业减免房租40%，减免检测费用。</w:t></w:r></w:p>".repeat(2_000));
  const deflate = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on("data", (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => deflate.on("end", resolve).on("error", reject));
  deflate.write(head);
  let written = Buffer.byteLength(head) + Buffer.byteLength(tail);
  while (written + paragraph.byteLength <= unpackedBytes) {
    if (!deflate.write(paragraph)) await new Promise((resolve) => deflate.once("drain", resolve));
    written += paragraph.byteLength;
  }
  deflate.end(tail);
  await finished;
  const parts: ZipPart[] = [
    { name: "[Content_Types].xml", ...stored(CONTENT_TYPES) },
    { name: "_rels/.rels", ...stored(RELS) },
    { name: "word/document.xml", packed: Buffer.concat(chunks), unpacked: options.declaredBytes ?? written },
  ];
  return zip(
    parts,
    parts.map((p) => (p.name === "word/document.xml" ? 8 : 0)),
  );
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';

const stored = (text: string) => ({ packed: Buffer.from(text), unpacked: Buffer.byteLength(text) });

/** A zip of the parts as given (stored or deflated), CRCs left zero: the guard reads sizes, never checksums. */
function zip(parts: ZipPart[], methods: number[]): Buffer {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  parts.forEach((part, i) => {
    const name = Buffer.from(part.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(methods[i], 8);
    local.writeUInt32LE(part.packed.byteLength, 18);
    local.writeUInt32LE(part.unpacked, 22);
    local.writeUInt16LE(name.byteLength, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(methods[i], 10);
    entry.writeUInt32LE(part.packed.byteLength, 20);
    entry.writeUInt32LE(part.unpacked, 24);
    entry.writeUInt16LE(name.byteLength, 28);
    entry.writeUInt32LE(offset, 42);
    locals.push(local, name, part.packed);
    directory.push(entry, name);
    offset += 30 + name.byteLength + part.packed.byteLength;
  });
  const size = directory.reduce((sum, b) => sum + b.byteLength, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...directory, end]);
}
