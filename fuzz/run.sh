#!/usr/bin/env bash
# Runs each libFuzzer harness for a bounded time (`make fuzz`).
#
#   fuzz/run.sh DIR SECONDS HARNESS...
#
# DIR holds the built harnesses (fuzz_<name>). Each starts from seeds, plus what earlier runs
# found (kept in DIR/corpus-<name>):
#   parse, pipeline, lint   corpus/*.Dockerfile, tests/bad/, the shared conformance Dockerfiles,
#                           tests/fuzz-regressions/ (with fuzz/dockerfile.dict)
#   yaml                    corpus/gen/ and tests/fuzz-regressions/ YAML specs (fuzz/yaml.dict)
# A crash, leak, timeout or broken property leaves its input in DIR/findings-<name>/ and makes
# the script exit 1; once fixed, copy the input to tests/fuzz-regressions/<name>-<what>.
set -u
dir=${1:?usage: fuzz/run.sh DIR SECONDS HARNESS...}; secs=${2:?}; shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
shared=${DFOPT_SHARED:-$top/../shared}
[ -d "$shared/conformance" ] || [ -n "${DFOPT_SHARED:-}" ] || shared=/work/shared   # as tests/run.sh
[ -d "$shared/conformance" ] || echo "fuzz: no conformance cases at $shared (set DFOPT_SHARED); seeding without them"

seed() { # seed DIR: copies the files named on stdin into DIR, numbered
    rm -rf "$1"; mkdir -p "$1"
    local i=0 f
    while IFS= read -r f; do i=$((i + 1)); cp "$f" "$1/$i"; done
    echo "$i"
}
nd=$({ find "$top/corpus" -name '*.Dockerfile'; find "$top/tests/bad" -name '*.Dockerfile'
       find "$top/tests/fuzz-regressions" -type f ! -name 'yaml-*'
       [ -d "$shared/conformance" ] && find "$shared/conformance" -name Dockerfile; } 2>/dev/null |
     LC_ALL=C sort | seed "$dir/seeds-dockerfile")
ny=$({ find "$top/corpus/gen" -name '*.yaml'; find "$top/tests/fuzz-regressions" -name 'yaml-*'; } 2>/dev/null |
     LC_ALL=C sort | seed "$dir/seeds-yaml")
echo "fuzz: $nd Dockerfile seeds, $ny YAML seeds, $secs s per harness"

failed=0
for h in "$@"; do
    bin=$dir/fuzz_$h work=$dir/corpus-$h found=$dir/findings-$h
    seeds=$dir/seeds-dockerfile dict=$top/fuzz/dockerfile.dict
    [ "$h" = yaml ] && seeds=$dir/seeds-yaml dict=$top/fuzz/yaml.dict
    mkdir -p "$work" "$found"
    echo "== fuzz_$h (${secs}s)"
    # a fixed seed (FUZZ_SEED, default 1): a run from a fresh checkout explores the same inputs
    # in the same order, so a slower machine sees a prefix of what a longer run here saw
    "$bin" -seed="${FUZZ_SEED:-1}" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -close_fd_mask=1 \
        -dict="$dict" -artifact_prefix="$found/" -print_final_stats=1 \
        "$work" "$seeds" >"$dir/log-$h" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log-$h")
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$dir/log-$h")
    cov=$(grep -o 'cov: [0-9]*' "$dir/log-$h" | tail -1)
    if [ $rc != 0 ] || [ -n "$(ls -A "$found")" ]; then
        failed=1
        echo "fuzz_$h: FAILED (exit $rc) after ${runs:-?} runs; findings in $found, log in $dir/log-$h:"
        grep -aE 'ERROR|SUMMARY|property violated|internal error|Test unit written' "$dir/log-$h" | head -10 | sed 's/^/   /'
        for f in "$found"/*; do # the input itself, so a CI log is enough to reproduce it
            [ -f "$f" ] && [ "$(stat -c %s "$f")" -le 16384 ] &&
                echo "   $(basename "$f") (base64): $(base64 -w0 "$f")"
        done
    else
        echo "fuzz_$h: ok: ${runs:-?} runs in ${secs}s, ${cov:-cov: ?} edges, corpus $(ls "$work" | wc -l) inputs, peak RSS ${rss:-?} MB"
    fi
done
exit $failed
