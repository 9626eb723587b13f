// Reads one page image with PaddleOCR's PP-OCRv4 models (@gutenye/ocr-node on onnxruntime-node) and writes its text
// lines with their boxes as JSON: {"lines":[{"text","mean","box":[[x,y]×4]}]}. Run by paddle.ts as a child process,
// like tesseract: the models are loaded only when a scan is read, their native memory and threads belong to this
// process, and a deleted upload or a page past its time limit kills it. Plain JavaScript so it starts without tsx.
import { unlink } from "node:fs/promises";

const [image] = process.argv.slice(2);
if (!image) {
  process.stderr.write("usage: node paddle-ocr.mjs IMAGE\n");
  process.exit(2);
}
const { default: Ocr } = await import("@gutenye/ocr-node");
const { default: sharp } = await import("sharp");

/**
 * Share of pixels a 3×3 median turns from dark to light or back above which a page is speckled. Clean print
 * loses only stroke ends to it (under 0.3% of a page at 150–300 dpi); 2% of pixels flipped by a copier's grain
 * gives 0.8–2.8%. Such specks are what cost PP-OCRv4 the thin 一 of 一、 and a line's last 。 or ，, the marks
 * the parser keys on, so a speckled page is read through the median; a clean one as it is, since the median
 * would also thin small print's one-pixel strokes.
 */
const SPECKLED = 0.005;

/** The page to read: the image itself, or a median-filtered copy beside it when it is speckled. */
async function despeckled(path) {
  const original = await sharp(path).greyscale().raw().toBuffer();
  const median = await sharp(path).greyscale().median(3).raw().toBuffer();
  let flipped = 0;
  for (let i = 0; i < original.length; i++) if ((original[i] < 128) !== (median[i] < 128)) flipped++;
  if (flipped / original.length <= SPECKLED) return path;
  const copy = `${path}.despeckled.png`;
  await sharp(path).greyscale().median(3).png().toFile(copy);
  return copy;
}

// One inference thread: the server's other work and the next upload share the machine's few cores.
const ocr = await Ocr.create({ onnxOptions: { intraOpNumThreads: 1, interOpNumThreads: 1 } });
const page = await despeckled(image);
const lines = await ocr.detect(page);
if (page !== image) await unlink(page);
process.stdout.write(JSON.stringify({ lines: lines.map(({ text, mean, box }) => ({ text, mean, box })) }));
