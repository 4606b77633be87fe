#!/usr/bin/env bash
# progress.sh CMD [ARG...] runs CMD and, while it runs, prints every
# PROGRESS_INTERVAL seconds (default 15) how long it has taken and how big Go's
# module and build caches have grown, so that a first build (a few minutes,
# hundreds of MB of modules) does not look stuck. Exits with CMD's status.
# The Makefile runs ocb through it.
set -euo pipefail

interval=${PROGRESS_INTERVAL:-15}
go=${GO:-go}
modcache=$("$go" env GOMODCACHE 2>/dev/null || true)
buildcache=$("$go" env GOCACHE 2>/dev/null || true)

# size DIR is DIR's size in MB, "?" when unknown.
size() { { du -sm "$1" 2>/dev/null || echo '?'; } | cut -f1; }

"$@" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' INT TERM
start=$SECONDS
next=$interval
while kill -0 "$pid" 2>/dev/null; do
	sleep 1
	if (( SECONDS - start >= next )); then
		printf '   ... still building, %ds: module cache %s MB, build cache %s MB\n' \
			"$(( SECONDS - start ))" "$(size "$modcache")" "$(size "$buildcache")"
		next=$(( next + interval ))
	fi
done
wait "$pid"
