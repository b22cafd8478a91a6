#!/usr/bin/env bash
# fetch-ort.sh fetches the ONNX Runtime shared library that models/onnx loads.
#
# Usage: scripts/fetch-ort.sh [CACHE_DIR]
#
# The library comes from the npm package onnxruntime-node@1.24.3, fetched with
# `npm pack` (the tarball only: no install, no install scripts), checked
# against the pinned sha512 integrity of the registry, and reduced to the one
# file we need: CACHE_DIR/1.24.3/libonnxruntime.so.1.
#
# CACHE_DIR is the first argument, else $ORT_CACHE, else .cache/ort at the
# repository root. Running it again is a no-op once the library is in place
# and matches its recorded sha256. It prints the library's absolute path on
# stdout; everything else goes to stderr.
set -euo pipefail

readonly ORT_VERSION=1.24.3
readonly NPM_SPEC="onnxruntime-node@${ORT_VERSION}"
readonly INTEGRITY='sha512-JH7+czbc8ALA819vlTgcV+Q214/+VjGeBHDjX81+ZCD0PCVCIFGFNtT0V4sXG/1JXypKPgScQcB3ij/hk3YnTg=='
readonly MEMBER='package/bin/napi-v6/linux/x64/libonnxruntime.so.1'
readonly LIB_NAME='libonnxruntime.so.1'

log() { printf 'fetch-ort: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${1:-${ORT_CACHE:-$repo_root/.cache/ort}}"
mkdir -p "$cache/$ORT_VERSION"
cache="$(cd "$cache" && pwd)"
dest_dir="$cache/$ORT_VERSION"
lib="$dest_dir/$LIB_NAME"
marker="$lib.sha256"

# installed reports whether the library is in place and matches the sha256
# recorded when it was extracted.
installed() {
	[[ -f $lib && -f $marker ]] && (cd "$dest_dir" && sha256sum --status -c "$LIB_NAME.sha256")
}

if installed; then
	printf '%s\n' "$lib"
	exit 0
fi

# One fetch at a time per cache folder; a second caller waits and then finds
# the library in place.
if command -v flock >/dev/null 2>&1; then
	exec 9>"$cache/.lock"
	flock 9
	if installed; then
		printf '%s\n' "$lib"
		exit 0
	fi
fi

command -v npm >/dev/null 2>&1 || die "npm not found; install Node.js (Debian: apt-get install -y npm)"
command -v node >/dev/null 2>&1 || die "node not found; install Node.js (Debian: apt-get install -y nodejs)"

tmp="$(mktemp -d "$cache/.fetch.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

log "fetching $NPM_SPEC with npm pack (about 90 MB)"
# npm pack runs from inside $tmp so that no package.json around the caller
# is picked up; --ignore-scripts because we never run package code.
pack_json="$(cd "$tmp" && npm pack "$NPM_SPEC" --json --ignore-scripts --loglevel=error --pack-destination "$tmp")" ||
	die "npm pack $NPM_SPEC failed"

# npm pack --json prints an array with one object per packed package.
read_pack_field() {
	printf '%s' "$pack_json" | node -e '
		let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
			const v = JSON.parse(s)[0][process.argv[1]];
			if (typeof v !== "string" || v === "") process.exit(1);
			process.stdout.write(v);
		});' "$1"
}
filename="$(read_pack_field filename)" || die "npm pack --json: no filename in its output"
npm_integrity="$(read_pack_field integrity)" || die "npm pack --json: no integrity in its output"
tgz="$tmp/$(basename "$filename")"
[[ -f $tgz ]] || die "npm pack did not write $tgz"

# The pinned hash, the registry's (as npm reports it) and the one we compute
# ourselves must all agree.
# Node (needed for npm anyway) computes it, so no openssl is required.
computed="$(node -e '
const crypto = require("crypto"), fs = require("fs");
const h = crypto.createHash("sha512");
const fd = fs.openSync(process.argv[1], "r"), buf = Buffer.alloc(1 << 20);
for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
process.stdout.write("sha512-" + h.digest("base64"));
' "$tgz")" || die "hashing $tgz"
if [[ $computed != "$INTEGRITY" ]]; then
	rm -f "$tgz"
	die "integrity mismatch for $NPM_SPEC: want $INTEGRITY, got $computed (tarball removed)"
fi
if [[ $npm_integrity != "$INTEGRITY" ]]; then
	rm -f "$tgz"
	die "npm reports integrity $npm_integrity for $NPM_SPEC, want $INTEGRITY (tarball removed)"
fi
log "integrity ok: $INTEGRITY"

tar -xzf "$tgz" -C "$tmp" "$MEMBER" || die "extracting $MEMBER from $(basename "$tgz")"
rm -f "$tgz"
[[ -s "$tmp/$MEMBER" ]] || die "$MEMBER is missing or empty in the tarball"
chmod 0644 "$tmp/$MEMBER"

# Move into place, then record the sha256: the marker is written last, so an
# interrupted run is never mistaken for a finished one.
rm -f "$marker"
mv -f "$tmp/$MEMBER" "$lib"
(cd "$dest_dir" && sha256sum "$LIB_NAME" >"$LIB_NAME.sha256.tmp" && mv -f "$LIB_NAME.sha256.tmp" "$LIB_NAME.sha256")
log "installed ONNX Runtime $ORT_VERSION"
printf '%s\n' "$lib"
