// Reads one page image with PaddleOCR's PP-OCRv4 models (@gutenye/ocr-node on onnxruntime-node) and writes its text
// lines with their boxes as JSON: {"lines":[{"text","mean","box":[[x,y]×4]}]}. Run by paddle.ts as a child process,
// like tesseract: the models are loaded only when a scan is read, their native memory and threads belong to this
// process, and a deleted upload or a page past its time limit kills it. Plain JavaScript so it starts without tsx.
const [image] = process.argv.slice(2);
if (!image) {
  process.stderr.write("usage: node paddle-ocr.mjs IMAGE\n");
  process.exit(2);
}
const { default: Ocr } = await import("@gutenye/ocr-node");
// One inference thread: the server's other work and the next upload share the machine's few cores.
const ocr = await Ocr.create({ onnxOptions: { intraOpNumThreads: 1, interOpNumThreads: 1 } });
const lines = await ocr.detect(image);
process.stdout.write(JSON.stringify({ lines: lines.map(({ text, mean, box }) => ({ text, mean, box })) }));
