import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { temporaryDirectory, testSettings } from "../../test/helpers.js";

const root = new URL("../..", import.meta.url).pathname;
// Its own index and documents folder: never the working copy's data/documents, where a console upload would change the answers.
const settings = testSettings(temporaryDirectory());

function run(args: string[], input = "", env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
    cwd: root,
    input,
    encoding: "utf8",
    env: { ...process.env, ...settings, LOG_LEVEL: "silent", ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("command line", () => {
  it("prints a readable answer with its citations", () => {
    const { code, stdout } = run(["ask", "公司刻章备案要多长时间？"]);
    expect(code).toBe(0);
    expect(stdout).toContain("1个工作日");
    expect(stdout).toContain("引用条款原文");
    expect(stdout).toContain("新疆维吾尔自治区政法机关优化法治化营商环境50条措施");
  });

  it("answers JSONL on stdout only, one line per question, and survives a bad line", () => {
    const input = [
      JSON.stringify({ id: "a", question: "现在办居民身份证要多少个工作日？" }),
      "{not json",
      JSON.stringify({ id: "b", question: "那农业用电呢？", history: ["哈密市居民用非电网直供电，电价是多少？"] }),
      JSON.stringify({ id: "c" }),
    ].join("\n");
    const { code, stdout } = run(["ask", "--jsonl"], input);
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(["a", "line-2", "b", "c"]);
    expect(lines[0].answer).toContain("15个工作日");
    expect(Object.keys(lines[0].citations[0]).sort()).toEqual(["date", "docNumber", "document", "issuer", "pages", "path", "score", "status", "text"]);
    expect(lines[1].error).toMatch(/line 2/);
    expect(lines[2].answer).toContain("0.312");
    expect(lines[3].error).toMatch(/question/);
  });

  it("gives usage and exit code 2 for an empty question", () => {
    const { code, stderr } = run(["ask"]);
    expect(code).toBe(2);
    expect(stderr).toContain("用法");
  });

  it("names the path when the seeds folder is missing or empty", () => {
    const missing = run(["ask", "检测费"], "", { SEEDS_DIR: "/nonexistent/seeds" });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("/nonexistent/seeds");
    const empty = join(temporaryDirectory(), "seeds");
    mkdirSync(empty);
    writeFileSync(join(empty, "readme.md"), "not a seed");
    const none = run(["ask", "检测费"], "", { SEEDS_DIR: empty });
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain(empty);
  });

  it("shows usage for --help instead of answering it, and rejects unknown flags with exit code 2", () => {
    const help = run(["ask", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("用法");
    expect(help.stdout).not.toContain("依据");
    const unknown = run(["ask", "--jsnol", "公司刻章备案要多长时间？"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--jsnol");
    expect(unknown.stderr).toContain("用法");
    expect(unknown.stdout).toBe("");
    expect(run(["index", "--force"]).code).toBe(2);
  });

  it("prints a known error once without a stack, and an unexpected one with its stack", () => {
    const missing = run(["ask", "检测费"], "", { SEEDS_DIR: "/nonexistent/seeds" });
    expect(missing.stderr.split("/nonexistent/seeds").length - 1).toBe(1);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const seeds = join(temporaryDirectory(), "seeds");
    mkdirSync(join(seeds, "folder.txt"), { recursive: true });
    const unexpected = run(["ask", "检测费"], "", { SEEDS_DIR: seeds });
    expect(unexpected.code).toBe(1);
    expect(unexpected.stderr).toContain("EISDIR");
    expect(unexpected.stderr).toMatch(/\n\s+at /);
  });

  it("rebuilds the index beside its folder and swaps it in, keeping files that are not the index", () => {
    const folder = join(temporaryDirectory(), "embeddings");
    mkdirSync(folder);
    writeFileSync(join(folder, "README.md"), "kept");
    const { code, stdout } = run(["index"], "", { INDEX_DIR: folder });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).measures).toBeGreaterThan(100);
    expect(readFileSync(join(folder, "README.md"), "utf8")).toBe("kept");
    expect(existsSync(join(folder, "manifest.json"))).toBe(true);
    expect(readdirSync(dirname(folder))).toEqual(["embeddings"]);
  });

  it("stops quietly when the reader closes the pipe early (… | head -1)", async () => {
    const questions = Array.from({ length: 40 }, (_, i) => JSON.stringify({ id: i, question: "公司刻章备案要多长时间？" })).join("\n");
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", "ask", "--jsonl"], {
      cwd: root,
      env: { ...process.env, ...settings, LOG_LEVEL: "silent" },
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.stdout.once("data", () => child.stdout.destroy());
    child.stdin.end(questions);
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});
