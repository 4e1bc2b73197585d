#!/usr/bin/env bash
# valgrind memcheck over the corpus (`make leakcheck`): no invalid access, no uninitialised value
# used, no leak of any kind (definite, indirect, possible or still reachable).
#
#   tests/leakcheck.sh BIN
#
# dfopt takes many files in one run, so each mode below is one valgrind run over all of
# corpus/: -O2 to stdout, --diff, -i on copies, lint in SARIF; then the error paths (every
# tests/bad/ file, which must fail to parse) and `dfopt gen` over each corpus/gen/ spec.
# DFOPT_JOBS=1 keeps the work in the process valgrind watches (worker processes would exit
# with their copy of the parent's memory still allocated).
set -u
bin=${1:?usage: tests/leakcheck.sh BIN}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
command -v valgrind >/dev/null || { echo "leakcheck: valgrind is missing (tools/deps.sh installs it)"; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# vg NAME EXPECTED-EXIT ARGS...: one valgrind run; its own errors exit 99
vg() {
    local name=$1 want=$2; shift 2
    DFOPT_JOBS=1 valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=all \
        --errors-for-leak-kinds=all --track-origins=yes "$bin" "$@" >/dev/null 2>"$tmp/log"
    local rc=$?
    if [ $rc = 99 ] || grep -q '^==[0-9]*== ' "$tmp/log"; then
        fail=$((fail + 1)); echo "$name ... FAILED: valgrind reports:"; grep '^==' "$tmp/log" | head -40
    elif [[ ! $rc =~ ^($want)$ ]]; then
        fail=$((fail + 1)); echo "$name ... FAILED: exit $rc, want $want"; head -5 "$tmp/log"
    else
        pass=$((pass + 1)); echo "$name ... ok"
    fi
}

mapfile -t files < <(find corpus -maxdepth 1 -name '[!.]*.Dockerfile' | LC_ALL=C sort)
[ ${#files[@]} -gt 0 ] || { echo "leakcheck: no corpus files"; exit 2; }
vg "-O2 over ${#files[@]} corpus files" 0 -O2 "${files[@]}"
vg "--diff -O2 over the corpus" 0 --diff -O2 "${files[@]}"
mkdir "$tmp/copies" && cp "${files[@]}" "$tmp/copies/"
vg "-i -O2 over copies of the corpus" 0 -i -O2 "$tmp/copies/"*.Dockerfile
vg "lint --format=sarif over the corpus" '0|1' lint --no-config --format=sarif "${files[@]}"
vg "parse errors (tests/bad/)" 2 tests/bad/*.Dockerfile
# a large file cut into parts (compiler/segment.c): corpus files that start with a FROM (and
# have LF lines and the backslash escape), joined under a syntax directive (some use BuildKit
# syntax), with a stage whose --from no text resolves; DFOPT_SEGMENT=1 cuts it wherever it may
# be (few places: the files share stage names, and stages of one name stay together)
echo '# syntax=docker/dockerfile:1' >"$tmp/joined.Dockerfile"
for f in "${files[@]}"; do
    grep -q -e $'\r' -e '^#[[:space:]]*escape' "$f" && continue
    first=$(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$f" | head -1 | awk '{ print toupper($1) }')
    [ "$first" = FROM ] && { cat "$f"; echo; }
done >>"$tmp/joined.Dockerfile"
printf 'FROM scratch AS loose\nCOPY --from=${SRC} /x /x\n' >>"$tmp/joined.Dockerfile"
parts=$(DFOPT_SEGMENT=1 DFOPT_SEGMENT_TRACE=1 "$bin" -O2 "$tmp/joined.Dockerfile" 2>&1 >/dev/null |
        sed -n 's/^dfopt: .*: \([0-9]*\) parts, .*/\1/p')
if [ "${parts:-0}" -ge 3 ]; then pass=$((pass + 1)); echo "the joined corpus is cut ($parts parts) ... ok"
else fail=$((fail + 1)); echo "the joined corpus is cut ... FAILED: '$parts' parts"; fi
DFOPT_SEGMENT=1 vg "-O2 in parts over the joined corpus" 0 -O2 "$tmp/joined.Dockerfile"
DFOPT_SEGMENT=1 vg "--diff -O1 in parts over the joined corpus" 0 --diff -O1 "$tmp/joined.Dockerfile"
for spec in corpus/gen/*.yaml; do
    [ -f "$spec" ] || continue
    vg "gen $spec" 0 gen "$spec"
done

echo "leakcheck: $pass passed, $fail failed"
[ "$fail" = 0 ]
