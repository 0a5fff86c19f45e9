#!/usr/bin/env bash
# The newcomer's first command, timed: a fresh clone of this repository, on
# empty Go module, Go build and npm caches, runs the README's serve command
# until the page answers. Prints the seconds from the command's start to the
# first 200 of GET /, and how long the task runner alone took to compile.
#
#   bash e2e/bench/first-serve.sh [REPO]     # REPO defaults to this checkout
#
# Needs network access to the Go module proxy and the npm registry, as a
# newcomer's machine has. Everything it makes goes in one temporary folder,
# removed at the end.
set -euo pipefail
repo=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
runner=$(grep -o 'github.com/go-task/task/v3/cmd/task@v[0-9.]*' "$repo/README.md" | head -1)
tmp=$(mktemp -d)
trap 'kill -- -$pid 2>/dev/null || true; sleep 1; chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
git clone -q "$repo" "$tmp/src"
export GOMODCACHE=$tmp/gomod GOCACHE=$tmp/gocache npm_config_cache=$tmp/npm GOFLAGS=-modcacherw
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cd "$tmp/src"
load=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date +%s.%N)
set -m
go run "$runner" serve -- --addr "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
pid=$!
set +m
until curl -fs -o /dev/null "http://127.0.0.1:$port/"; do
  if ! kill -0 "$pid" 2>/dev/null; then cat "$tmp/serve.log" >&2; echo "serve exited before the page answered" >&2; exit 1; fi
  sleep 0.2
done
end=$(date +%s.%N)
# The runner alone, again on empty caches, for the share it takes.
rm -rf "$tmp/gomod2" "$tmp/gocache2"
r0=$(date +%s.%N)
GOMODCACHE=$tmp/gomod2 GOCACHE=$tmp/gocache2 GOBIN=$tmp/bin go install "$runner"
r1=$(date +%s.%N)
printf 'runner %s\nfresh clone to served page: %.1f s (load average before: %s)\nthe runner alone, fresh caches: %.1f s\n' \
  "${runner#*@}" "$(echo "$end - $start" | bc)" "$load" "$(echo "$r1 - $r0" | bc)"
