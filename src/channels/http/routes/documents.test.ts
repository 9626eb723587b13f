import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { IN_CI } from "../../../../test/ci.js";
import { silentLogger, temporaryDirectory } from "../../../../test/helpers.js";
import type { PublishedSnapshot } from "../../../corpus/published-corpus.js";
import { createDocumentsService, type DocumentsService } from "../../../documents/documents-service.js";
import { documentsMigrations } from "../../../documents/documents-table.js";
import { hugePagePdf, malformedPdf, manyPagesPdf, zipBombDocx } from "../../../ingest/__fixtures__/hostile-files.js";
import { makePdf } from "../../../ingest/__fixtures__/make-pdf.js";
import { canOcr, makeBlankScan, makeScannedPdf } from "../../../ingest/__fixtures__/make-scan.js";
import { REGULATION_TITLE, regulationPages } from "../../../ingest/__fixtures__/regulation.js";
import { IngestError } from "../../../ingest/errors.js";
import { ingestDocument } from "../../../ingest/ingest.js";
import { auditMigrations, auditTrail } from "../../../store/audit.js";
import { openStaffDatabase } from "../../../store/database.js";
import { from, testApp } from "../__fixtures__/test-app.js";

const LOCAL = from("127.0.0.1");
const ocr = await canOcr();
const UPLOAD_HEADERS = { "x-requested-with": "test" };

function form(...files: File[]): FormData {
  const body = new FormData();
  for (const file of files) body.append("file", file);
  return body;
}

describe("document routes", () => {
  let published: PublishedSnapshot[];
  let app: ReturnType<typeof testApp>["app"];
  let db: Awaited<ReturnType<typeof openStaffDatabase>>;
  let pdf: File;
  let documents: DocumentsService;

  afterEach(() => documents.stop());

  beforeEach(async () => {
    published = [];
    db = await openStaffDatabase(new Database(":memory:"), { ...auditMigrations, ...documentsMigrations });
    documents = createDocumentsService({
      // biome-ignore lint/suspicious/noExplicitAny: the schema-typed handle
      db: db as any,
      documentsDir: temporaryDirectory(),
      logger: silentLogger,
      // tesseract reads the scan in a few seconds; PaddleOCR has tests of its own (src/ingest/paddle.test.ts).
      ocr: { engine: "tesseract" },
      publish: async (snapshot) => {
        published.push(snapshot);
        return undefined as never;
      },
    });
    ({ app } = testApp({ documents, documentsHtml: "<!doctype html><title>documents</title>" }));
    pdf ??= new File([new Uint8Array(await makePdf(regulationPages()))], "首贷贴息办法.pdf", { type: "application/pdf" });
  });

  it("are staff only: another machine gets 403 without ADMIN_TOKEN", async () => {
    const response = await app.request("/api/documents", { method: "POST", body: form(pdf), headers: UPLOAD_HEADERS }, from("203.0.113.9"));
    expect(response.status).toBe(403);
    expect((await app.request("/api/documents/uploads", {}, from("203.0.113.9"))).status).toBe(403);
  });

  it("upload → 201 preview with fields and warnings; preview, correct, publish and retire, each audited with the actor", async () => {
    const response = await app.request("/api/documents", { method: "POST", body: form(pdf), headers: UPLOAD_HEADERS }, LOCAL);
    expect(response.status).toBe(201);
    const { documents, refused } = await response.json();
    expect(refused).toEqual([]);
    expect(documents[0]).toMatchObject({ status: "preview", title: REGULATION_TITLE, docNumber: "昌市政办发〔2024〕7号", measures: 9, warnings: [] });
    const id = documents[0].id;

    const preview = await (await app.request(`/api/documents/${id}`, {}, LOCAL)).json();
    expect(preview.measureList[2]).toMatchObject({ marker: "第三条", pages: [1], fields: { amounts: ["8万元"] } });
    expect(preview.documents[0].outline.map((o: { marker: string }) => o.marker)).toEqual(["第一章", "第二章", "第四条", "第三章", "附件"]);

    const patch = (body: unknown) =>
      app.request(`/api/documents/${id}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }, LOCAL);
    expect(await (await patch({ issuer: "昌吉市人民政府办公室" })).json()).toMatchObject({ issuer: "昌吉市人民政府办公室" });
    expect(
      (await app.request(`/api/documents/${id}/publish`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }, LOCAL)).status,
    ).toBe(200);
    expect(published.at(-1)!.documents[0]).toMatchObject({ issuer: "昌吉市人民政府办公室", version: 1 });

    const missingDate = await patch({ status: "repealed" });
    expect(missingDate.status).toBe(400);
    expect((await missingDate.json()).error).toMatch(/effectiveDate: required/);
    expect((await patch({ status: "superseded", effectiveDate: "2025-01-01" })).status).toBe(400);
    expect(await (await patch({ status: "repealed", effectiveDate: "2025-01-01" })).json()).toMatchObject({
      retired: { kind: "repealed", date: "2025-01-01" },
    });
    expect(published.at(-1)!.documents[0].retired).toEqual({ kind: "repealed", date: "2025-01-01" });

    const trail = await auditTrail(db as never, id);
    expect(trail.map((e) => [e.actor, e.action])).toEqual(
      expect.arrayContaining([
        ["loopback", "document.upload"],
        ["loopback", "document.correct"],
        ["loopback", "document.publish"],
        ["loopback", "document.repeal"],
      ]),
    );
    const deleted = await app.request(`/api/documents/${id}`, { method: "DELETE" }, LOCAL);
    expect(await deleted.json()).toEqual({ deleted: id });
    expect((await app.request(`/api/documents/${id}`, {}, LOCAL)).status).toBe(404);
  });

  it("refuses a type it cannot read, and a form post without X-Requested-With, saying why", async () => {
    const exe = new File([new Uint8Array([0x4d, 0x5a, 0x90, 0])], "setup.exe");
    const response = await app.request("/api/documents", { method: "POST", body: form(exe), headers: UPLOAD_HEADERS }, LOCAL);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/setup\.exe: \.exe is not accepted; upload \.pdf \.docx \.html/);
    const renamed = new File([new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 1, 2])], "old.txt");
    const both = await app.request("/api/documents", { method: "POST", body: form(renamed, pdf), headers: UPLOAD_HEADERS }, LOCAL);
    expect(both.status).toBe(201);
    expect((await both.json()).refused).toEqual([{ file: "old.txt", error: expect.stringMatching(/另存为 \.docx/) }]);
    const crossSite = await app.request("/api/documents", { method: "POST", body: form(pdf) }, LOCAL);
    expect(crossSite.status).toBe(400);
    expect((await crossSite.json()).error).toMatch(/X-Requested-With/);
  });

  it("files that took the server down are refused one by one, each named in Chinese; the good file beside them is kept", async () => {
    const hostile = [
      new File([new Uint8Array(malformedPdf())], "损坏.pdf"),
      new File([new Uint8Array(await zipBombDocx(400 * 1024 * 1024))], "炸弹.docx"),
      new File([new Uint8Array(manyPagesPdf(20_000))], "两万页.pdf"),
      new File([new Uint8Array(await hugePagePdf())], "巨幅.pdf"),
    ];
    const started = performance.now();
    const response = await app.request("/api/documents", { method: "POST", body: form(...hostile, pdf), headers: UPLOAD_HEADERS }, LOCAL);
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body.documents.map((d: { fileName: string }) => d.fileName)).toEqual(["首贷贴息办法.pdf"]);
    expect(body.refused).toEqual([
      { file: "损坏.pdf", error: expect.stringMatching(/^损坏\.pdf：PDF 文件已损坏或不完整，无法打开/) },
      { file: "炸弹.docx", error: expect.stringMatching(/^炸弹\.docx：解压后超过 64 MB/) },
      { file: "两万页.pdf", error: "两万页.pdf：共 20000 页，超过每个文件 300 页的上限；请拆分后分别上传" },
      { file: "巨幅.pdf", error: expect.stringMatching(/^巨幅\.pdf：第 1 页为 5080×5080 毫米，超过 A0/) },
    ]);
    expect(performance.now() - started).toBeLessThan(15_000);
    // Alone, a malformed PDF is a 400 naming it, not a 500.
    const alone = await app.request("/api/documents", { method: "POST", body: form(hostile[0]), headers: UPLOAD_HEADERS }, LOCAL);
    expect(alone.status).toBe(400);
    expect((await alone.json()).error).toMatch(/^损坏\.pdf：PDF 文件已损坏/);
  });

  it("/readyz keeps answering while a large upload is read", async () => {
    // A web page of site menus around a short notice: a second or more to parse, little to hand back.
    const menus = "<nav><ul><li><a href='/'>首页</a></li><li><a href='/zwgk'>政务公开</a></li><li><a href='/hdjl'>互动交流</a></li></ul></nav>".repeat(3_000);
    const notice = regulationPages()
      .flat()
      .map((line) => `<p>${line}</p>`)
      .join("");
    const page = new File([`<!doctype html><html><body>${menus}<div id="zoom">${notice}</div></body></html>`], "通知.html");
    let done = false;
    const uploading = Promise.resolve(app.request("/api/documents", { method: "POST", body: form(page), headers: UPLOAD_HEADERS }, LOCAL)).finally(() => {
      done = true;
    });
    let slowest = 0;
    let answered = 0;
    while (!done) {
      const asked = performance.now();
      const ready = await app.request("/readyz");
      expect(ready.status).toBe(200);
      slowest = Math.max(slowest, performance.now() - asked);
      answered++;
      // Paced like a load balancer's probe, not a busy loop competing with the reader for the CPU.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await uploading).status).toBe(201);
    expect(answered).toBeGreaterThan(5);
    expect(slowest).toBeLessThan(250);
  });

  it("refuses a 50 MB file with a message, before reading it; other writes keep their 16 KB limit", async () => {
    const huge = new File([new Uint8Array(50 * 1024 * 1024)], "扫描件.pdf", { type: "application/pdf" });
    const response = await app.request("/api/documents", { method: "POST", body: form(huge), headers: UPLOAD_HEADERS }, LOCAL);
    expect(response.status).toBe(413);
    expect((await response.json()).error).toBe("body: request body is larger than 51200 KB");
    const bigJson = await app.request(
      "/api/ask",
      { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question: "x".repeat(20_000) }) },
      LOCAL,
    );
    expect(bigJson.status).toBe(413);
  });

  it("are in the OpenAPI spec", async () => {
    const spec = await (await app.request("/api/openapi.json", {}, LOCAL)).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        "/api/documents",
        "/api/documents/uploads",
        "/api/documents/{id}",
        "/api/documents/{id}/publish",
        "/api/documents/{id}/retry",
        "/staff/documents",
      ]),
    );
    expect(spec.paths["/api/documents"].post.requestBody.content["multipart/form-data"]).toBeDefined();
    expect(Object.keys(spec.paths["/api/documents"].post.responses)).toEqual(expect.arrayContaining(["201", "202"]));
  });

  const list = async () => (await (await app.request("/api/documents/uploads", {}, LOCAL)).json()).documents as Array<Record<string, unknown>>;
  const post = (path: string) => app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }, LOCAL);

  it.skipIf(!ocr && !IN_CI)(
    "a scan → 202 reading at once (a text PDF beside it read as before); refused until read; read by tesseract in the background; then published",
    async () => {
      const scan = new File([new Uint8Array(await makeScannedPdf(regulationPages()[0].slice(0, 8)))], "扫描件.pdf", { type: "application/pdf" });
      const response = await app.request("/api/documents", { method: "POST", body: form(scan, pdf), headers: UPLOAD_HEADERS }, LOCAL);
      expect(response.status).toBe(202);
      const { documents: uploaded } = await response.json();
      expect(uploaded.map((d: { status: string }) => d.status)).toEqual(["reading", "preview"]);
      expect(uploaded[0]).toMatchObject({ title: "扫描件.pdf", reading: { pagesRead: 0, pagesTotal: 1 } });
      const id = uploaded[0].id;

      const early = await post(`/api/documents/${id}/publish`);
      expect(early.status).toBe(409);
      expect((await early.json()).error).toMatch(/扫描件\.pdf\) is still being read by OCR \(page 0 of 1\); publish it once its preview is ready/);
      const patch = await app.request(
        `/api/documents/${id}`,
        { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ issuer: "x" }) },
        LOCAL,
      );
      expect(patch.status).toBe(409);

      await vi.waitFor(async () => expect((await list()).find((d) => d.id === id)?.status).toBe("preview"), { timeout: 30_000, interval: 100 });
      expect((await post(`/api/documents/${id}/publish`)).status).toBe(200);
      expect(published.at(-1)!.measures.length).toBeGreaterThan(2);
      const trail = await auditTrail(db as never, id);
      expect(trail.map((e) => [e.actor, e.action])).toEqual([
        ["loopback", "document.publish"],
        ["system", "document.read"],
        ["loopback", "document.upload"],
      ]);
    },
    60_000,
  );

  it("a text upload still answers 201 with its preview; a failed read shows its reason, retry reads it again", async () => {
    const text = await app.request("/api/documents", { method: "POST", body: form(pdf), headers: UPLOAD_HEADERS }, LOCAL);
    expect(text.status).toBe(201);
    await documents.stop();
    let calls = 0;
    documents = createDocumentsService({
      // biome-ignore lint/suspicious/noExplicitAny: the schema-typed handle
      db: db as any,
      documentsDir: temporaryDirectory(),
      logger: silentLogger,
      publish: async () => undefined as never,
      read: async (input) => {
        if (++calls === 1) throw new IngestError("OCR_UNAVAILABLE", `${input.name} needs OCR, but tesseract is not installed`);
        return ingestDocument({ ...input, bytes: await makePdf(regulationPages()) });
      },
    });
    ({ app } = testApp({ documents, documentsHtml: "<!doctype html><title>documents</title>" }));
    const scan = new File([new Uint8Array(await makeBlankScan())], "扫描件.pdf", { type: "application/pdf" });
    const response = await app.request("/api/documents", { method: "POST", body: form(scan), headers: UPLOAD_HEADERS }, LOCAL);
    expect(response.status).toBe(202);
    const id = (await response.json()).documents[0].id;
    await vi.waitFor(async () => expect((await list()).find((d) => d.id === id)?.status).toBe("failed"));
    expect((await list()).find((d) => d.id === id)).toMatchObject({ error: "扫描件.pdf needs OCR, but tesseract is not installed" });
    expect((await post(`/api/documents/${id}/publish`)).status).toBe(409);

    const retried = await post(`/api/documents/${id}/retry`);
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ id, status: "reading" });
    await vi.waitFor(async () => expect((await list()).find((d) => d.id === id)?.status).toBe("preview"), { timeout: 15_000 });
    const again = await post(`/api/documents/${id}/retry`);
    expect(again.status).toBe(409);
    expect((await again.json()).error).toBe(`${id} is preview; only an upload whose reading failed can be read again`);
    expect((await auditTrail(db as never, id)).map((e) => [e.actor, e.action])).toEqual([
      ["system", "document.read"],
      ["loopback", "document.retry"],
      ["system", "document.read-failed"],
      ["loopback", "document.upload"],
    ]);
  });
});
