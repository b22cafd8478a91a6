#!/usr/bin/env bash
# Runs every fuzz target of the module (every `func FuzzXxx` in a
# _test.go file) for the given time each: `make test` runs them briefly,
# `make fuzz` for longer. A crash is saved under the package's
# testdata/fuzz/FuzzXxx/ and fails the run; commit that file: it becomes a
# test that runs with `go test` from then on.
#
# Usage: scripts/fuzz.sh [FUZZTIME]   (default 2000x; e.g. 30s, 5m, 100000x)
#
# A count (Nx) is the steadier budget: Go 1.26's coordinator can end a
# timed run (Ns) with a bare "context deadline exceeded" and no failing
# input (golang/go#75804); such a run is reported, not counted as a crash.
set -euo pipefail
fuzztime="${1:-2000x}"
cd "$(dirname "$0")/.."
go="${GO:-go}"
targets=0
failed=()
while IFS= read -r dir; do
  for name in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go | sed 's/^func //' | sort -u); do
    targets=$((targets + 1))
    printf '%-40s %s\n' "$dir" "$name"
    log="${TMPDIR:-/tmp}/fuzz.$$.log"
    if ! "$go" test "./$dir" -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" >"$log" 2>&1; then
      if grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log"; then
        echo "  stopped by the fuzz coordinator's deadline race (golang/go#75804), no failing input"
        continue
      fi
      cat "$log"
      failed+=("$dir $name")
    fi
  done
done < <(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sed 's|^\./||' | sort -u)
rm -f "${TMPDIR:-/tmp}/fuzz.$$.log"
echo "$targets fuzz targets, $fuzztime each"
if ((${#failed[@]})); then
  printf 'FAILED: %s\n' "${failed[@]}"
  exit 1
fi
