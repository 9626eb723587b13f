#!/usr/bin/env bash
# What can be checked of the image without Docker (CI has none):
#  1. every apt package deploy/Dockerfile installs exists in Debian bookworm (apt-cache show). Without package
#     lists a workstation skips this; under CI (CI=true or 1, as root) the lists are fetched, and a machine
#     that cannot check fails instead of skipping;
#  2. every setting in the README's settings table reaches the container (deploy/Dockerfile ENV or docker-compose.yml);
#  3. the image is built in two stages, runs as a non-root user and is health-gated on /readyz;
#  4. the build stage installs what node-gyp needs (Python 3, make, a C++ compiler) for the native modules
#     package-lock.json says build on install (hnswlib-node, better-sqlite3), and runs npm ci there.
# Not checked here: that the image builds (npm ci compiling hnswlib-node) and starts; see README, Deploy.
set -euo pipefail
cd "$(dirname "$0")/.."
dockerfile=deploy/Dockerfile
compose=deploy/docker-compose.yml
failed=0
fail() {
  echo "check-dockerfile: $*" >&2
  failed=1
}

# The words after "apt-get install" up to the end of the command, flags dropped, in the Dockerfile text given;
# none is an empty list for the checks below to report, not a failed pipeline that ends the script unsaid.
installed() {
  sed -e ':a' -e '/\\$/N; s/\\\n//; ta' | grep -o 'apt-get install[^&;]*' | sed 's/apt-get install//' | tr ' ' '\n' | grep -v '^-' | grep -v '^$' | sort -u || true
}
in_ci() { [ "${CI:-}" = "true" ] || [ "${CI:-}" = "1" ]; }
# Where apt keeps its package lists; tests point this at a folder of their own.
apt_lists=${APT_LISTS_DIR:-/var/lib/apt/lists}
# Debian ships the lists compressed (…_Packages.lz4) as often as not.
have_lists() { compgen -G "$apt_lists/*_Packages*" >/dev/null; }
on_bookworm() { command -v apt-cache >/dev/null 2>&1 && grep -q 'VERSION_CODENAME=bookworm' /etc/os-release 2>/dev/null; }

# 1. Packages.
packages=$(installed <"$dockerfile")
if [ -z "$packages" ]; then fail "no apt-get install line found in $dockerfile"; fi
if on_bookworm && ! have_lists && in_ci; then
  # CI runs as root: fetch the lists rather than leave the packages unchecked.
  apt-get update -qq || fail "apt-get update failed, so the packages ($(echo $packages)) cannot be checked"
fi
if on_bookworm && have_lists; then
  # One apt-cache call (each reads every list); its exit status says only that some package was found.
  found=$(apt-cache show $packages 2>/dev/null | sed -n 's/^Package: //p' | sort -u)
  for package in $packages; do
    grep -qx -- "$package" <<<"$found" || fail "apt package $package is not in this machine's bookworm lists (apt-get update?)"
  done
elif in_ci; then
  fail "under CI the packages ($(echo $packages)) must be checked, but this is not Debian bookworm with apt package lists"
else
  echo "check-dockerfile: not on Debian bookworm with apt package lists: the packages ($(echo $packages)) are not checked"
fi

# 2. Settings: the backquoted upper-case names in the README's "| variable | default | meaning |" table.
# ANSWERS is left out on purpose: an empty value is invalid, so compose cannot pass it unset; set it in the environment block to use it.
settings=$(awk '/^\| variable \| default \| meaning \|/{on=1; next} on && !/^\|/{on=0} on' README.md | cut -d'|' -f2 | grep -o '`[A-Z][A-Z0-9_]*`' | tr -d '`' | sort -u | grep -vx "ANSWERS")
[ -n "$settings" ] || fail "no settings table found in README.md"
for name in $settings; do
  grep -Eq "^\s*(ENV\s+)?${name}[=:]|^\s+${name}=" "$dockerfile" "$compose" || grep -Eq "^\s+${name}:" "$compose" || fail "$name (README settings) reaches neither $dockerfile nor $compose"
done

# 3. Shape.
[ "$(grep -c '^FROM ' "$dockerfile")" -ge 2 ] || fail "$dockerfile is not a multi-stage build"
grep -q '^USER node' "$dockerfile" || fail "$dockerfile does not drop root"
grep -q '^HEALTHCHECK .*' "$dockerfile" && grep -q '/readyz' "$dockerfile" || fail "$dockerfile has no HEALTHCHECK on /readyz"
grep -q 'condition: service_healthy' "$compose" || fail "$compose starts nothing health-gated"

# 4. Build tools. A package that builds on install (package-lock.json's hasInstallScript: hnswlib-node runs
# node-gyp, better-sqlite3 falls back to it when no prebuilt binary matches) compiles with node-gyp, which on
# Linux needs Python 3, make and a C++ compiler: the build stage, the one that runs npm ci, must install them.
build_stage=$(awk '/^FROM /{stage++} stage == 1' "$dockerfile")
build_packages=$(installed <<<"$build_stage")
for module in hnswlib-node better-sqlite3; do
  node -e 'const entry = require("./package-lock.json").packages["node_modules/" + process.argv[1]]; process.exit(entry?.hasInstallScript ? 0 : 1)' "$module" \
    || fail "package-lock.json has no $module that builds on install: check what the build stage needs for it now"
done
for tool in python3 make g++; do
  grep -qx -- "$tool" <<<"$build_packages" || fail "the build stage of $dockerfile does not install $tool, which node-gyp needs to compile hnswlib-node and better-sqlite3"
done
grep -q 'npm ci' <<<"$build_stage" || fail "npm ci does not run in the build stage of $dockerfile, where the build tools are"

if [ "$failed" -ne 0 ]; then exit 1; fi
echo "check-dockerfile: packages, settings, image shape and build tools check out"
