import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { silentLogger, temporaryDirectory } from "../../test/helpers.js";
import { makeBlankScan } from "../ingest/__fixtures__/make-scan.js";
import type { OcrOptions } from "../ingest/ocr.js";
import { auditMigrations } from "../store/audit.js";
import { openStaffDatabase } from "../store/database.js";
import { createDocumentsService, type DocumentsDatabase, type DocumentsService } from "./documents-service.js";
import { documentsMigrations } from "./documents-table.js";

/*
 * pdftoppm and tesseract stand-ins that never finish a page, run through the
 * same runner as the real ones: the reader must kill them when the upload is
 * deleted, the server stops, or the page time runs out, and not wait for them.
 */

function program(folder: string, name: string, script: string): string {
  const path = join(folder, name);
  writeFileSync(path, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return path;
}

function standIns() {
  const folder = temporaryDirectory();
  return {
    tesseract: program(folder, "tesseract", 'if [ "$1" = "--list-langs" ]; then echo chi_sim; exit 0; fi\nexec sleep 60'),
    hungPdftoppm: program(folder, "pdftoppm-hung", "exec sleep 60"),
    // Renders at once (an empty image): the page then hangs in tesseract.
    pdftoppm: program(folder, "pdftoppm", 'for last; do :; done\n: > "$last.png"'),
  };
}

/** The first child started from `path` (reading a page: not tesseract's availability check), as the runner started it. */
function watchChildren(path: string) {
  let found!: (child: ChildProcess) => void;
  const started = new Promise<ChildProcess>((resolve) => {
    found = resolve;
  });
  const onChild = (child: ChildProcess) => (child.spawnfile === path && !child.spawnargs.includes("--list-langs") ? found(child) : undefined);
  return { started, onChild };
}

/** Resolves with how the child ended, once it has. */
async function ended(child: ChildProcess): Promise<NodeJS.Signals | number | null> {
  if (child.exitCode === null && child.signalCode === null) await once(child, "exit");
  return child.signalCode ?? child.exitCode;
}

let services: DocumentsService[] = [];
afterEach(async () => {
  await Promise.all(services.map((s) => s.stop().catch(() => undefined)));
  services = [];
});

async function open(ocr: OcrOptions) {
  const db = (await openStaffDatabase(new Database(":memory:"), { ...auditMigrations, ...documentsMigrations })) as DocumentsDatabase;
  const documents = createDocumentsService({
    db,
    documentsDir: temporaryDirectory(),
    logger: silentLogger,
    publish: async () => undefined as never,
    ocr: { engine: "tesseract", ...ocr },
  });
  services.push(documents);
  return { db, documents };
}

describe("reading a scan: pdftoppm and tesseract do not outlive their upload", () => {
  it("deleting the upload kills pdftoppm rendering it; the delete does not wait for the page", async () => {
    const programs = standIns();
    const pdftoppm = watchChildren(programs.hungPdftoppm);
    const { documents } = await open({ tesseract: programs.tesseract, pdftoppm: programs.hungPdftoppm, onChild: pdftoppm.onChild });
    const [scan] = await documents.upload([{ name: "扫描件.pdf", bytes: await makeBlankScan() }], "alice");
    expect(scan.status).toBe("reading");
    const child = await pdftoppm.started;
    const started = performance.now();
    await documents.remove(scan.id, "bob");
    expect(await ended(child)).toBe("SIGKILL");
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await documents.list()).toEqual([]);
  });

  it("stopping the server kills tesseract reading a page and gives the upload back to the queue", async () => {
    const programs = standIns();
    const tesseract = watchChildren(programs.tesseract);
    const { db, documents } = await open({ tesseract: programs.tesseract, pdftoppm: programs.pdftoppm, onChild: tesseract.onChild });
    const [scan] = await documents.upload([{ name: "扫描件.pdf", bytes: await makeBlankScan() }], "alice");
    const child = await tesseract.started;
    expect(child.spawnargs).toContain("stdout");
    const started = performance.now();
    await documents.stop();
    expect(await ended(child)).toBe("SIGKILL");
    expect(performance.now() - started).toBeLessThan(2_000);
    const row = await db.selectFrom("policy_documents").select(["state", "claimed_by"]).where("id", "=", scan.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ state: "reading", claimed_by: null });
  });

  it("deleting the upload kills PaddleOCR reading a page", async () => {
    const programs = standIns();
    const paddle = join(temporaryDirectory(), "paddle-hung.mjs");
    writeFileSync(paddle, "setInterval(() => undefined, 1000);\n");
    const node = watchChildren(process.execPath);
    const { documents } = await open({ engine: "paddle", paddle: { script: paddle }, pdftoppm: programs.pdftoppm, onChild: node.onChild });
    const [scan] = await documents.upload([{ name: "扫描件.pdf", bytes: await makeBlankScan() }], "alice");
    const child = await node.started;
    expect(child.spawnargs).toContain(paddle);
    await documents.remove(scan.id, "bob");
    expect(await ended(child)).toBe("SIGKILL");
    expect(await documents.list()).toEqual([]);
  });

  it("a page pdftoppm does not render in time fails the read, its pdftoppm killed; a retry reads it again, under the same limit", async () => {
    const programs = standIns();
    const children: ChildProcess[] = [];
    const { documents } = await open({
      tesseract: programs.tesseract,
      pdftoppm: programs.hungPdftoppm,
      pageTimeoutMs: 300,
      onChild: (child) => (child.spawnfile === programs.hungPdftoppm ? children.push(child) : undefined),
    });
    const [scan] = await documents.upload([{ name: "扫描件.pdf", bytes: await makeBlankScan() }], "alice");
    await vi.waitFor(async () => expect((await documents.preview(scan.id)).status).toBe("failed"), { timeout: 10_000, interval: 50 });
    expect((await documents.preview(scan.id)).error).toBe(
      "扫描件.pdf: rendering page 1 for OCR did not finish within 0.3 s; try again, or upload a smaller or clearer scan",
    );
    expect(await ended(children[0])).toBe("SIGKILL");

    await documents.retry(scan.id, "bob");
    await vi.waitFor(() => expect(children).toHaveLength(2), { timeout: 10_000, interval: 20 });
    expect(await ended(children[1])).toBe("SIGKILL");
    await vi.waitFor(async () => expect((await documents.preview(scan.id)).status).toBe("failed"), { timeout: 10_000, interval: 50 });
  });
});
