import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import PDFDocument from "pdfkit";

/** A greyscale image: one byte a pixel, row by row. */
interface Grey {
  width: number;
  height: number;
  pixels: Uint8Array;
}

export type ScanVariant = "clean" | "noisy" | "skewed";

/**
 * A scan of `pdf` as a copier makes one: each page rendered by pdftoppm at
 * `dpi` in grey, then left clean, speckled (2% of pixels flipped, a seeded
 * sequence so every run is the same), or turned 1.5° (nearest pixel), and the
 * images put back in a PDF with no text layer.
 */
export async function scanOf(pdf: Uint8Array, dir: string, dpi: number, variant: ScanVariant): Promise<Buffer> {
  const source = join(dir, "printed.pdf");
  writeFileSync(source, pdf);
  const prefix = join(dir, `page-${dpi}`);
  execFileSync("pdftoppm", ["-r", String(dpi), "-gray", source, prefix]);
  const pages = readdirSync(dir)
    .filter((file) => file.startsWith(`page-${dpi}`) && file.endsWith(".pgm"))
    .sort()
    .map((file) => readPgm(readFileSync(join(dir, file))));
  const changed = pages.map((page) => (variant === "noisy" ? speckle(page, 0.02) : variant === "skewed" ? rotate(page, 1.5) : page));
  return imagesPdf(changed.map(png));
}

function readPgm(bytes: Buffer): Grey {
  // P5, width, height, maxval, each separated by white space, then the pixels.
  const header = bytes
    .subarray(0, 64)
    .toString("latin1")
    .match(/^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  if (!header) throw new Error("not a binary PGM");
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, pixels: bytes.subarray(header[0].length, header[0].length + width * height) };
}

function speckle(image: Grey, share: number): Grey {
  const pixels = Uint8Array.from(image.pixels);
  let seed = 20250220;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  for (let i = 0; i < pixels.length; i++) if (random() < share) pixels[i] = pixels[i] > 127 ? 0 : 255;
  return { ...image, pixels };
}

function rotate(image: Grey, degrees: number): Grey {
  const { width, height } = image;
  const pixels = new Uint8Array(width * height).fill(255);
  const angle = (degrees * Math.PI) / 180;
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const [cx, cy] = [width / 2, height / 2];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = Math.round(cos * (x - cx) + sin * (y - cy) + cx);
      const sy = Math.round(-sin * (x - cx) + cos * (y - cy) + cy);
      if (sx >= 0 && sx < width && sy >= 0 && sy < height) pixels[y * width + x] = image.pixels[sy * width + sx];
    }
  }
  return { width, height, pixels };
}

function png({ width, height, pixels }: Grey): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, "latin1");
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const rows = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) rows.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function imagesPdf(images: Buffer[]): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4", margin: 0, autoFirstPage: false });
  const chunks: Buffer[] = [];
  doc.on("data", (part: Buffer) => chunks.push(part));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  for (const image of images) doc.addPage().image(image, 0, 0, { width: 595 });
  doc.end();
  return done;
}
