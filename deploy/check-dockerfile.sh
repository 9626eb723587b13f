#!/usr/bin/env bash
# What can be checked of the image without Docker (CI has none):
#  1. every apt package deploy/Dockerfile installs exists in Debian bookworm (apt-cache show, when apt is here);
#  2. every setting in the README's settings table reaches the container (deploy/Dockerfile ENV or docker-compose.yml);
#  3. the image is built in two stages, runs as a non-root user and is health-gated on /readyz.
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

# 1. Packages: the words after "apt-get install" up to the end of the command, flags dropped.
packages=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$dockerfile" | grep -o 'apt-get install[^&;]*' | sed 's/apt-get install//' | tr ' ' '\n' | grep -v '^-' | grep -v '^$' | sort -u)
if [ -z "$packages" ]; then fail "no apt-get install line found in $dockerfile"; fi
if command -v apt-cache >/dev/null 2>&1 && grep -q 'VERSION_CODENAME=bookworm' /etc/os-release 2>/dev/null \
  && compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null; then
  for package in $packages; do
    apt-cache show "$package" >/dev/null 2>&1 || fail "apt package $package is not in this machine's bookworm lists (apt-get update?)"
  done
else
  echo "check-dockerfile: not on Debian bookworm with apt package lists: the packages ($(echo $packages)) are not checked"
fi

# 2. Settings: the backquoted upper-case names in the README's "| variable | default | meaning |" table.
# ANSWERS is left out on purpose: an empty value is invalid, so compose cannot pass it unset; set it in the environment block to use it.
settings=$(awk '/^\| variable \| default \| meaning \|/{on=1; next} on && !/^\|/{on=0} on' README.md | cut -d'|' -f2 | grep -o '`[A-Z][A-Z0-9_]*`' | tr -d '`' | sort -u | grep -vx 'ANSWERS')
[ -n "$settings" ] || fail "no settings table found in README.md"
for name in $settings; do
  grep -Eq "^\s*(ENV\s+)?${name}[=:]|^\s+${name}=" "$dockerfile" "$compose" || grep -Eq "^\s+${name}:" "$compose" || fail "$name (README settings) reaches neither $dockerfile nor $compose"
done

# 3. Shape.
[ "$(grep -c '^FROM ' "$dockerfile")" -ge 2 ] || fail "$dockerfile is not a multi-stage build"
grep -q '^USER node' "$dockerfile" || fail "$dockerfile does not drop root"
grep -q '^HEALTHCHECK .*' "$dockerfile" && grep -q '/readyz' "$dockerfile" || fail "$dockerfile has no HEALTHCHECK on /readyz"
grep -q 'condition: service_healthy' "$compose" || fail "$compose starts nothing health-gated"

if [ "$failed" -ne 0 ]; then exit 1; fi
echo "check-dockerfile: packages, settings and image shape check out"
