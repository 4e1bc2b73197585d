#!/usr/bin/env bash
# Replays what the fuzzers found (tests/fuzz-regressions/) and the fuzz seeds, run by `make test`.
#
#   tests/fuzz.sh BIN
#
# Through the command BIN, each regression file by the harness that found it (its name's prefix):
#   parse-*, pipeline-*, lint-*   dfopt -O0/-O1/-O2: exit 0 or 2, never a crash; on success -O0
#                                 is the input, the output re-parses and optimizing it again
#                                 changes nothing; lint-* also through `dfopt lint` in every format
#   yaml-*                        dfopt gen: exit 0 or 2; on success the Dockerfile parses
# Then through the harnesses themselves, built as plain programs beside BIN (fuzz-replay/, see
# fuzz/replay.c), over the regressions and the seeds: every property the fuzzers check.
set -u
bin=${1:?usage: tests/fuzz.sh BIN}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
shared=${DFOPT_SHARED:-$top/../shared}
[ -d "$shared/conformance" ] || [ -n "${DFOPT_SHARED:-}" ] || shared=/work/shared
replay=$(dirname "$bin")/fuzz-replay
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); [ -n "${VERBOSE:-}" ] && echo "$1 ... ok"; return 0; }
bad() { fail=$((fail + 1)); echo "$1 ... FAILED${2:+: $2}"; }

# exit status 0 or 2, and 2 only with an error message
survived() { # survived NAME RC [ALLOWED]
    local allowed=${3:-0|2}
    if [[ ! $2 =~ ^($allowed)$ ]]; then bad "$1" "exit $2 (want $allowed; >128 is a signal)"; return 1; fi
    if [ "$2" = 2 ] && ! grep -q 'error' "$tmp/err"; then bad "$1" "exit 2 without an error message"; return 1; fi
    return 0
}

n=0
for f in tests/fuzz-regressions/*; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    base=$(basename "$f")
    case $base in
    yaml-*)
        "$bin" gen "$f" >"$tmp/out" 2>"$tmp/err"; rc=$?
        survived "$f gen" $rc || continue
        if [ $rc = 0 ] && ! "$bin" --emit=dump "$tmp/out" >/dev/null 2>&1; then bad "$f gen" "its Dockerfile does not parse"; continue; fi
        ok "$f gen" ;;
    parse-* | pipeline-* | lint-*)
        for level in O0 O1 O2; do
            "$bin" "-$level" "$f" >"$tmp/once" 2>"$tmp/err"; rc=$?
            survived "$f -$level" $rc || continue
            if [ $rc = 0 ]; then
                if [ $level = O0 ] && ! cmp -s "$tmp/once" "$f"; then bad "$f -O0" "not the input"; continue; fi
                if ! "$bin" --emit=dump "$tmp/once" >/dev/null 2>"$tmp/err"; then bad "$f -$level re-parse" "$(head -3 "$tmp/err")"; continue; fi
                "$bin" "-$level" "$tmp/once" >"$tmp/twice" 2>/dev/null
                if ! cmp -s "$tmp/once" "$tmp/twice"; then bad "$f -$level idempotent" "a second run changed the output"; continue; fi
            fi
            ok "$f -$level"
        done
        if [[ $base == lint-* ]]; then
            for fmt in tty json sarif rdjson rdjsonl github checkstyle gitlab; do
                "$bin" lint --no-config --color=never --format=$fmt "$f" >"$tmp/out" 2>"$tmp/err"; rc=$?
                survived "$f lint --format=$fmt" $rc '0|1|2' && ok "$f lint --format=$fmt"
            done
        fi ;;
    *) bad "$f" "no harness prefix (parse-, pipeline-, yaml-, lint-)" ;;
    esac
done
[ $n -gt 0 ] || bad "tests/fuzz-regressions" "no regression files"

# The harnesses as plain programs: regressions plus seeds.
dockerfiles=$tmp/dockerfiles yamls=$tmp/yamls
{ find tests/fuzz-regressions -type f ! -name 'yaml-*'; find corpus -name '*.Dockerfile'; find tests/bad -name '*.Dockerfile'
  [ -d "$shared/conformance" ] && find "$shared/conformance" -name Dockerfile; } | LC_ALL=C sort >"$dockerfiles"
{ find tests/fuzz-regressions -name 'yaml-*'; find corpus/gen -name '*.yaml'; } 2>/dev/null | LC_ALL=C sort >"$yamls"
for h in parse pipeline lint yaml; do
    prog=$replay/fuzz_$h list=$dockerfiles
    [ $h = yaml ] && list=$yamls
    if [ ! -x "$prog" ]; then bad "fuzz_$h replay" "$prog is missing (make builds it)"; continue; fi
    if out=$(xargs "$prog" <"$list" 2>&1); then ok "fuzz_$h replay: ${out##*$'\n'}"
    else bad "fuzz_$h replay" "$(tail -20 <<<"$out")"; fi
done

echo "fuzz: $pass passed, $fail failed"
[ "$fail" = 0 ]
