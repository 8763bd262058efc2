#!/usr/bin/env bash
# Build the real `pulumi` CLI and the Python language host from their Go modules (the CLI is
# not published as a binary on the registries we can reach), into a cache folder, and write
# the small launchers the engine expects beside them. Reuses a finished build.
#
# bin/ then holds: pulumi; pulumi-language-python-host (Pulumi's Go language host) behind
# pulumi-language-python (our pass-through that bridges one protocol change, see that file);
# pulumi-language-python-exec (runs a program); pulumi-resource-pulumi-python (dynamic providers).
#
#   scripts/install-pulumi-cli.sh          build (or reuse) and print the bin folder on the last line
#
# Versions (see README, "End-to-end tests"):
#   PULUMI_CLI_VERSION        the CLI, from github.com/pulumi/pulumi/pkg/v3 (default 3.259.0: the
#                             newest whose source archive the Go module proxy serves here)
#   PULUMI_LANGHOST_VERSION   the Python language host, from github.com/pulumi/pulumi/sdk/v3
#                             (default 3.79.0: the newest sdk/v3 that still contains it; later
#                             it moved to its own module, which the proxy does not serve)
#   PULUMI_CLI_CACHE          cache root (default ~/.cache/pulumi-runpod-endpoint)
set -euo pipefail

CLI_VERSION="${PULUMI_CLI_VERSION:-3.259.0}"
LANGHOST_VERSION="${PULUMI_LANGHOST_VERSION:-3.79.0}"
CACHE_ROOT="${PULUMI_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-runpod-endpoint}"
HERE="$(cd "$(dirname "$0")" && pwd)"
DEST="$CACHE_ROOT/pulumi-v$CLI_VERSION-langhost-v$LANGHOST_VERSION"
BIN="$DEST/bin"
STAMP="$DEST/.complete"

say() { printf '[install-pulumi-cli %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

if ! command -v go >/dev/null 2>&1; then
  say "Go is not installed: the pulumi CLI cannot be built on this machine"
  exit 3
fi

# The Go module proxy is the only source; some of Pulumi's versions are missing from the
# checksum database, so Pulumi's own modules are verified by go.sum only.
export GOFLAGS=-mod=mod
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}github.com/pulumi/pulumi"
export GOTOOLCHAIN=local

write_launchers() {
  install -m 0755 "$HERE/pulumi-launchers/pulumi-language-python" "$BIN/pulumi-language-python"
  install -m 0755 "$HERE/pulumi-launchers/pulumi-language-python-exec" "$BIN/pulumi-language-python-exec"
  install -m 0755 "$HERE/pulumi-launchers/pulumi-resource-pulumi-python" "$BIN/pulumi-resource-pulumi-python"
}

if [ -f "$STAMP" ] && "$BIN/pulumi" version >/dev/null 2>&1 && [ -x "$BIN/pulumi-language-python-host" ]; then
  write_launchers  # cheap, and keeps them in step with this checkout
  say "reusing the build in $DEST ($("$BIN/pulumi" version))"
  echo "$BIN"
  exit 0
fi

mkdir -p "$BIN"

# wrapper_module DIR MODULE VERSION: a module that requires MODULE@VERSION (and, for pkg, the
# sdk at the same version) and repeats MODULE's non-local replace directives, since `go install
# module@version` refuses modules that have replace directives.
wrapper_module() {
  local dir="$1" module="$2" version="$3"
  rm -rf "$dir" && mkdir -p "$dir"
  local gomod
  gomod="$(go mod download -json "$module@v$version" | python3 -c 'import json,sys; print(json.load(sys.stdin)["GoMod"])')"
  (
    cd "$dir"
    go mod init example.invalid/pulumi-build >/dev/null 2>&1
    go mod edit -require="$module@v$version"
    if [ "$module" = "github.com/pulumi/pulumi/pkg/v3" ]; then
      go mod edit -require="github.com/pulumi/pulumi/sdk/v3@v$version"
    fi
    go mod edit -json "$gomod" | python3 -c '
import json, sys
for r in json.load(sys.stdin).get("Replace") or []:
    new = r["New"]
    if new["Path"].startswith((".", "/")):
        continue  # local paths point into the source tree; the wrapper requires the real modules
    old = r["Old"]["Path"] + ("@" + r["Old"]["Version"] if r["Old"].get("Version") else "")
    print(old + "=" + new["Path"] + "@" + new["Version"])
' | while read -r replacement; do go mod edit -replace="$replacement"; done
  )
}

# build LABEL MODULE VERSION PACKAGE OUTPUT: compile PACKAGE of MODULE@VERSION into bin/OUTPUT.
build() {
  local label="$1" module="$2" version="$3" package="$4" output="$5" dir="$DEST/build-$5" started
  started=$(date +%s)
  say "building $label from $module@v$version"
  wrapper_module "$dir" "$module" "$version"
  (
    cd "$dir"
    printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$package" > tools.go
    go mod tidy
    go build -trimpath -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
      -o "$BIN/$output" "$package"
  )
  say "$label built in $(( $(date +%s) - started ))s"
}

say "first build: downloads ~2 GB of Go modules and compiles for 5-15 minutes"
build "the pulumi CLI v$CLI_VERSION" github.com/pulumi/pulumi/pkg/v3 "$CLI_VERSION" \
  github.com/pulumi/pulumi/pkg/v3/cmd/pulumi pulumi
build "the Python language host v$LANGHOST_VERSION" github.com/pulumi/pulumi/sdk/v3 "$LANGHOST_VERSION" \
  github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python pulumi-language-python-host

write_launchers
"$BIN/pulumi" version >/dev/null
printf 'cli=%s langhost=%s\n' "$CLI_VERSION" "$LANGHOST_VERSION" > "$STAMP"
say "ready: $BIN"
echo "$BIN"
