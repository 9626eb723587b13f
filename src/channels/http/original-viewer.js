// The original view of an uploaded PDF: pdf.js draws the page of the file itself on a canvas, and the cited
// clause's lines (recorded from the text layer at ingest, in PDF units from the page's top-left corner) are laid
// over it and scrolled to. The page's address carries everything it needs as data attributes; nothing else is read.
const figure = document.getElementById("original");
const status = figure.querySelector(".status");
const { file, page, rects, pdfjs } = figure.dataset;

async function show() {
  const lib = await import(`${pdfjs}pdf.min.mjs`);
  lib.GlobalWorkerOptions.workerSrc = `${pdfjs}pdf.worker.min.mjs`;
  const pdf = await lib.getDocument({
    url: file,
    // Chinese PDFs often name their fonts' character maps (UniGB-UCS2-H) instead of embedding them.
    cMapUrl: `${pdfjs}cmaps/`,
    cMapPacked: true,
    standardFontDataUrl: `${pdfjs}standard_fonts/`,
    wasmUrl: `${pdfjs}wasm/`,
    iccUrl: `${pdfjs}iccs/`,
    // The page's policy allows no eval: say so rather than have pdf.js try it.
    isEvalSupported: false,
    enableXfa: false,
  }).promise;
  const sheet = await pdf.getPage(Number(page));
  const fit = Math.min(figure.clientWidth, 1000) / sheet.getViewport({ scale: 1 }).width;
  const viewport = sheet.getViewport({ scale: fit });
  const ratio = window.devicePixelRatio || 1;
  const canvas = figure.querySelector("canvas");
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  canvas.style.width = `${viewport.width}px`;
  canvas.style.height = `${viewport.height}px`;
  const layer = figure.querySelector(".page");
  layer.style.width = canvas.style.width;
  layer.style.height = canvas.style.height;
  await sheet.render({ canvas, canvasContext: canvas.getContext("2d"), viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] }).promise;

  // Back from the page's top-left corner to PDF user space, then to the screen with the page's scale and rotation.
  const [x0, y0, x1, y1] = sheet.view;
  const left = Math.min(x0, x1);
  const top = Math.max(y0, y1);
  const marks = JSON.parse(rects).map((rect, i) => {
    const [ax, ay, bx, by] = viewport.convertToViewportRectangle([left + rect.x, top - rect.y - rect.height, left + rect.x + rect.width, top - rect.y]);
    const mark = document.createElement("div");
    mark.className = "highlight";
    if (i === 0) mark.id = "clause";
    Object.assign(mark.style, {
      left: `${Math.min(ax, bx)}px`,
      top: `${Math.min(ay, by)}px`,
      width: `${Math.abs(bx - ax)}px`,
      height: `${Math.abs(by - ay)}px`,
    });
    layer.append(mark);
    return mark;
  });
  status.remove();
  marks[0]?.scrollIntoView({ block: "center" });
  figure.dataset.rendered = "true";
}

show().catch((error) => {
  status.textContent = "原文加载失败，请查看文字版。";
  status.classList.add("failed");
  figure.dataset.rendered = "failed";
  console.error(error);
});
