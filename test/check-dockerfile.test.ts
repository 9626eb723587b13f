import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { temporaryDirectory } from "./helpers.js";

const root = new URL("..", import.meta.url).pathname;
const FILES = ["deploy/check-dockerfile.sh", "deploy/Dockerfile", "deploy/docker-compose.yml", "README.md", "package-lock.json"];

/** A copy of what the script reads, with the Dockerfile changed by `edit`: the script checks the folder it lives in. */
function tree(edit: (dockerfile: string) => string = (d) => d): string {
  const dir = temporaryDirectory("check-dockerfile-");
  mkdirSync(join(dir, "deploy"));
  for (const file of FILES) copyFileSync(join(root, file), join(dir, file));
  const dockerfile = join(dir, "deploy/Dockerfile");
  writeFileSync(dockerfile, edit(readFileSync(dockerfile, "utf8")));
  return dir;
}

/**
 * A PATH whose apt-get and apt-cache are stand-ins that write what they were asked to `calls`; `update` says
 * whether apt-get update succeeds (and leaves a package list behind, as the real one does). Without `apt`, the
 * PATH has no apt at all: the tools the script uses, and nothing else.
 */
function fakePath(dir: string, apt?: { update: boolean }): { path: string; calls: string } {
  const bin = join(dir, "bin");
  const calls = join(dir, "apt-calls");
  mkdirSync(bin);
  for (const tool of ["sed", "grep", "sort", "tr", "awk", "cut", "dirname", "node"]) {
    const found = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
    symlinkSync(found, join(bin, tool));
  }
  if (apt) {
    const update = apt.update ? ': > "$APT_LISTS_DIR/deb_bookworm_main_binary-amd64_Packages.lz4"' : "exit 100";
    writeFileSync(join(bin, "apt-get"), `#!/bin/sh\necho "apt-get $*" >> ${calls}\n${update}\n`);
    writeFileSync(join(bin, "apt-cache"), `#!/bin/sh\necho "apt-cache $*" >> ${calls}\nshift\nfor p in "$@"; do echo "Package: $p"; done\n`);
    chmodSync(join(bin, "apt-get"), 0o755);
    chmodSync(join(bin, "apt-cache"), 0o755);
  }
  return { path: bin, calls };
}

function check(dir: string, env: Record<string, string> = {}) {
  const { CI: _, ...inherited } = process.env;
  const result = spawnSync(BASH, [join(dir, "deploy/check-dockerfile.sh")], { encoding: "utf8", env: { ...inherited, ...env } });
  return { code: result.status, out: result.stdout + result.stderr };
}

const BASH = spawnSync("sh", ["-c", "command -v bash"], { encoding: "utf8" }).stdout.trim();
const onBookworm = readFileSync("/etc/os-release", "utf8").includes("VERSION_CODENAME=bookworm");

describe("deploy/check-dockerfile.sh", () => {
  it("passes the repository's Dockerfile", () => {
    const { code, out } = check(tree());
    expect(out).toContain("build tools check out");
    expect(code).toBe(0);
  });

  it("fails a build stage that does not install a tool node-gyp needs for hnswlib-node and better-sqlite3, naming it", () => {
    const fast = (dir: string) => check(dir, { PATH: fakePath(dir, { update: true }).path });
    const tools = ["python3", "make", "g++"];
    for (const tool of tools) {
      const others = tools.filter((t) => t !== tool).join(" ");
      const { code, out } = fast(tree((d) => d.replace(`--no-install-recommends ${tools.join(" ")}`, `--no-install-recommends ${others}`)));
      expect(code, tool).toBe(1);
      expect(out).toContain(`does not install ${tool}, which node-gyp needs`);
    }
    // Named only in the stage that runs the bot, they are not there when npm ci compiles.
    const moved = fast(tree((d) => d.replace(" python3 make g++", "").replace("ca-certificates tini", "ca-certificates tini python3 make g++")));
    expect(moved.code).toBe(1);
    expect(moved.out).toContain("does not install python3");
  });

  it.skipIf(!onBookworm)("under CI with no package lists, fetches them (apt-get update -qq) and checks every package", () => {
    const dir = tree();
    const lists = join(dir, "lists");
    mkdirSync(lists);
    const { path, calls } = fakePath(dir, { update: true });
    const { code, out } = check(dir, { CI: "true", APT_LISTS_DIR: lists, PATH: path });
    expect(out).not.toContain("not checked");
    expect(code).toBe(0);
    const asked = readFileSync(calls, "utf8").trim().split("\n");
    expect(asked[0]).toBe("apt-get update -qq");
    expect(asked[1].split(" ")).toEqual(expect.arrayContaining(["show", "g++", "python3", "tesseract-ocr-chi-sim", "tini"]));
  });

  it.skipIf(!onBookworm)("under CI fails, rather than skips, when the lists cannot be fetched", () => {
    const dir = tree();
    const lists = join(dir, "lists");
    mkdirSync(lists);
    const { path } = fakePath(dir, { update: false });
    const { code, out } = check(dir, { CI: "true", APT_LISTS_DIR: lists, PATH: path });
    expect(code).toBe(1);
    expect(out).toContain("apt-get update failed");
  });

  it("under CI fails on a machine without apt; on a workstation says what it did not check and passes", () => {
    const dir = tree();
    const { path, calls } = fakePath(dir);
    const ci = check(dir, { CI: "true", PATH: path });
    expect(ci.code).toBe(1);
    expect(ci.out).toContain("must be checked");
    const workstation = check(dir, { PATH: path });
    expect(workstation.code).toBe(0);
    expect(workstation.out).toContain("are not checked");
    expect(existsSync(calls)).toBe(false);
  });

  it.skipIf(!onBookworm)("on a workstation without package lists, skips the packages and fetches nothing", () => {
    const dir = tree();
    const lists = join(dir, "lists");
    mkdirSync(lists);
    const { path, calls } = fakePath(dir, { update: true });
    const { code, out } = check(dir, { APT_LISTS_DIR: lists, PATH: path });
    expect(code).toBe(0);
    expect(out).toContain("are not checked");
    expect(existsSync(calls)).toBe(false);
  });
});
