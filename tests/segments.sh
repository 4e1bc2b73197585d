#!/usr/bin/env bash
# A large file optimized in parts (compiler/segment.c) must give what the whole file gives.
#
#   tests/segments.sh BIN
#
# The inputs are corpus files joined end to end (those whose first instruction is a FROM, with
# LF lines and the backslash escape), some with a stage holding a --from or FROM variable at
# the end (a reference no text resolves, so that dead-stage keeps everything and -O1 may cut),
# some under a syntax directive. Each is optimized whole (DFOPT_SEGMENT=0) and cut wherever it
# may be (DFOPT_SEGMENT=1: parts of a byte); stdout and the exit status must be the same, and
# the diagnostics the same lines (the parts give theirs part by part). DFOPT_SEGMENT_TRACE=1
# makes dfopt say how many parts it made: a run of checks that cut nothing would prove nothing,
# so each counts its cut files and wants enough of them.
set -u
bin=${1:?usage: tests/segments.sh BIN}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "$1 ... FAILED${2:+: $2}"; }

# ---- inputs ----
froms=()
for f in corpus/*.Dockerfile; do
    grep -q -e $'\r' -e '^#[[:space:]]*escape' "$f" && continue # joined, would not parse
    first=$(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$f" | head -1 | awk '{ print toupper($1) }')
    [ "$first" = FROM ] && froms+=("$f")
done
n=${#froms[@]}
[ "$n" -ge 40 ] || { echo "segments: only $n corpus files start with FROM"; exit 1; }
loose=('FROM scratch AS loose\nCOPY --from=${SRC} /x /x\n'
       'FROM alpine:3.19\nRUN --mount=from=${SRC},target=/s cp /s/package.json /\n'
       'FROM build-${MODE}\nRUN true\n')
mkdir -p "$tmp/in"
for i in $(seq 0 159); do
    out=$tmp/in/j$i.Dockerfile
    : >"$out"
    # the mount is BuildKit syntax: without the directive, the file is not cut (below)
    [ $((i % 3)) = 1 ] && echo '# syntax=docker/dockerfile:1' >"$out"
    [ $((i % 5)) = 2 ] && printf 'arg TAG=3.19\nARG NAME=x\n' >>"$out" # global ARGs
    for j in $(seq 0 $((1 + i % 6))); do
        f=${froms[$(((i * 7 + j * 13 + j * j) % n))]}
        [ -s "$out" ] && [ "$(tail -c1 "$out" | od -An -c | tr -d ' ')" != '\n' ] && echo >>"$out"
        cat "$f" >>"$out"
    done
    if [ $((i % 4)) != 3 ]; then
        [ "$(tail -c1 "$out" | od -An -c | tr -d ' ')" != '\n' ] && echo >>"$out"
        printf "${loose[$((i % 3))]}" >>"$out"
    fi
    [ $((i % 5)) = 2 ] && printf 'FROM alpine:${TAG} AS tagged\nRUN echo $NAME\n' >>"$out"
done
inputs=("$tmp"/in/*.Dockerfile)

# same NAME MIN_CUT ARGS...: every input, whole and in parts, with ARGS
same() {
    local name=$1 min=$2 cut=0 differ=0 first=""; shift 2
    for f in "${inputs[@]}"; do
        DFOPT_SEGMENT=0 "$bin" "$@" "$f" >"$tmp/w.out" 2>"$tmp/w.err"; local wr=$?
        DFOPT_SEGMENT=1 DFOPT_SEGMENT_TRACE=1 "$bin" "$@" "$f" >"$tmp/s.out" 2>"$tmp/s.err"
        local sr=$?
        grep -q '^dfopt: .*: [0-9]* parts, ' "$tmp/s.err" && cut=$((cut + 1))
        grep -v '^dfopt: .*: [0-9]* parts\?, [0-9]* stages$' "$tmp/s.err" | LC_ALL=C sort >"$tmp/s.errs"
        LC_ALL=C sort "$tmp/w.err" >"$tmp/w.errs"
        if [ $wr != $sr ] || ! cmp -s "$tmp/w.out" "$tmp/s.out" || ! cmp -s "$tmp/w.errs" "$tmp/s.errs"; then
            differ=$((differ + 1))
            [ -n "$first" ] || first="$(basename "$f") (exit $wr/$sr): $(diff "$tmp/w.out" "$tmp/s.out" | head -5)$(diff "$tmp/w.errs" "$tmp/s.errs" | head -5)"
        fi
    done
    if [ $differ != 0 ]; then bad "$name" "$differ of ${#inputs[@]} differ; first: $first"
    elif [ $cut -lt "$min" ]; then bad "$name" "only $cut of ${#inputs[@]} files were cut (want $min)"
    else ok "$name"; fi
}

same "-O1" 60 -O1
same "-O2" 60 -O2
same "-O1 --skip=dead-stage" 80 -O1 --skip=dead-stage
DFOPT_WALK=all same "-O1 DFOPT_WALK=all" 60 -O1
# each pass alone, over the first 64 files
all_inputs=("${inputs[@]}")
inputs=("${all_inputs[@]:0:64}")
for p in maintainer env-form add-to-copy workdir-abs cd-workdir copy-chown hoist copy-order \
         merge-run pkg-hygiene late-metadata env-merge label-merge dup-config exec-form \
         keyword-case multistage; do
    same "--passes=$p" 30 --passes="$p"
done
inputs=("${all_inputs[@]}")

# the file the checks below start from (it holds a syntax directive on its first line)
base=$tmp/in/j4.Dockerfile
# ---- directives and line ends: CRLF, a BOM before the global ARGs, the backtick escape ----
sed 's/$/\r/' "$base" >"$tmp/crlf.Dockerfile"
{ printf '\357\273\277# syntax=docker/dockerfile:1\nARG X=1\n'; sed 1d "$base"; } >"$tmp/bom.Dockerfile"
{ printf '# escape=`\n# syntax=docker/dockerfile:1\nARG X=1\n'; sed 1d "$base" | sed 's/\\$/`/'; } \
    >"$tmp/backtick.Dockerfile"
inputs=("$tmp/crlf.Dockerfile" "$tmp/bom.Dockerfile" "$tmp/backtick.Dockerfile")
same "CRLF, BOM, backtick escape (-O1)" 3 -O1
same "CRLF, BOM, backtick escape (-O2)" 3 -O2
inputs=("${all_inputs[@]}")

# ---- what keeps a file whole ----
parts() { DFOPT_SEGMENT=1 DFOPT_SEGMENT_TRACE=1 "$bin" "$@" 2>&1 >/dev/null |
          sed -n 's/^dfopt: .*: \([0-9]*\) parts\?, [0-9]* stages$/\1/p'; }
k=$(parts -O1 "$base")
if [ "${k:-0}" -ge 3 ]; then ok "a joined file is cut"; else bad "a joined file is cut" "parts: '$k'"; fi
whole() { # NAME EXPECT-ONE-PART-BECAUSE ARGS...
    local name=$1; shift
    k=$(parts "$@")
    if [ "$k" = 1 ] || [ -z "$k" ]; then ok "whole: $name"; else bad "whole: $name" "$k parts"; fi
}
# the global ARGs go with every part: a FROM that names a stage through one ties to it
{ echo '# syntax=docker/dockerfile:1'; printf 'ARG FIRST=first\nFROM alpine AS first\nRUN true\n'
  sed 1d "$base"; } >"$tmp/argfirst.Dockerfile"
cp "$tmp/argfirst.Dockerfile" "$tmp/argnamed.Dockerfile"
printf 'FROM alpine\nRUN true\n' >>"$tmp/argfirst.Dockerfile"
printf 'FROM ${FIRST}\nRUN true\n' >>"$tmp/argnamed.Dockerfile"
k=$(parts -O1 "$tmp/argfirst.Dockerfile")
if [ "${k:-0}" -ge 3 ]; then ok "a file with global ARGs is cut"; else bad "a file with global ARGs is cut" "parts: '$k'"; fi
whole "a global ARG naming the first stage in the last" -O1 "$tmp/argnamed.Dockerfile"
{ echo 'ENV V=1'; cat "$base"; } >"$tmp/globalenv.Dockerfile"
whole "an ENV before the first FROM" -O1 "$tmp/globalenv.Dockerfile"
# a last FROM whose continuation runs into the end: the file is not optimized at all
{ cat "$base"; printf 'FROM alpine AS open \\\n'; } >"$tmp/open.Dockerfile"
whole "a continuation into the end of the file" -O1 "$tmp/open.Dockerfile"
whole "--target" -O1 --target loose "$base"
whole "--heredoc" -O1 --heredoc "$base"
whole "dead-stage named" --passes=dead-stage,merge-run "$base"
whole "-O1 with a certain stage graph" -O1 "$tmp/in/j3.Dockerfile"
# base starts with a syntax directive: without it, a --link keeps the file whole
{ sed 1d "$base"; printf 'FROM alpine AS l2\nCOPY --link a /a\n'; } >"$tmp/link.Dockerfile"
whole "BuildKit syntax without a syntax directive" -O1 "$tmp/link.Dockerfile"
{ cat "$base"; printf 'FROM alpine AS l2\nCOPY --link a /a\n'; } >"$tmp/link2.Dockerfile"
k=$(parts -O1 "$tmp/link2.Dockerfile")
if [ "${k:-0}" -ge 2 ]; then ok "BuildKit syntax with its directive is cut"; else bad "BuildKit syntax with its directive is cut" "parts: '$k'"; fi
{ printf 'FROM alpine AS first\nRUN true\n'; cat "$base"; printf 'FROM alpine\nCOPY --from=0 /a /a\n'; } >"$tmp/index.Dockerfile"
whole "--from=0 in the last stage" -O1 "$tmp/index.Dockerfile"
# a stage index names the same stage in a later part: b's package lists, which the last stage
# copies, stay (the index read in the part's own numbering would name no stage)
printf '%s\n' 'FROM debian:bookworm AS a' 'RUN apt-get update && apt-get install -y curl' \
    'FROM debian:bookworm AS b' 'RUN apt-get update && apt-get install -y git' \
    'FROM debian:bookworm' 'COPY --from=1 /var/lib/apt/lists /lists' >"$tmp/renumber.Dockerfile"
k=$(parts -O1 --skip=dead-stage "$tmp/renumber.Dockerfile")
DFOPT_SEGMENT=1 "$bin" -O1 --skip=dead-stage "$tmp/renumber.Dockerfile" >"$tmp/s" 2>/dev/null
DFOPT_SEGMENT=0 "$bin" -O1 --skip=dead-stage "$tmp/renumber.Dockerfile" >"$tmp/w" 2>/dev/null
if [ "$k" = 2 ] && cmp -s "$tmp/w" "$tmp/s" && grep -q 'install -y git$' "$tmp/s" &&
   grep -q 'curl && rm -rf /var/lib/apt/lists' "$tmp/s"; then ok "a stage index in a later part"
else bad "a stage index in a later part" "parts '$k'; $(cat "$tmp/s")"; fi
k=$(DFOPT_SEGMENT=1 DFOPT_SEGMENT_TRACE=1 "$bin" -O0 "$base" 2>&1 >/dev/null | grep -c parts)
if [ "$k" = 0 ]; then ok "-O0 is streamed, not cut"; else bad "-O0 is streamed, not cut"; fi

# ---- the output modes ----
cp "$base" "$tmp/a.Dockerfile"; cp "$base" "$tmp/b.Dockerfile"
DFOPT_SEGMENT=0 "$bin" -O1 -i "$tmp/a.Dockerfile" 2>/dev/null
DFOPT_SEGMENT=1 "$bin" -O1 -i "$tmp/b.Dockerfile" 2>/dev/null
if cmp -s "$tmp/a.Dockerfile" "$tmp/b.Dockerfile" && ! cmp -s "$base" "$tmp/b.Dockerfile"; then
    ok "-i"; else bad "-i" "the file in place differs from the whole file's"; fi
for mode in --diff --check; do
    DFOPT_SEGMENT=0 "$bin" -O1 $mode "$base" >"$tmp/w" 2>/dev/null; wr=$?
    DFOPT_SEGMENT=1 "$bin" -O1 $mode "$base" >"$tmp/s" 2>/dev/null; sr=$?
    if [ $wr = $sr ] && cmp -s "$tmp/w" "$tmp/s"; then ok "$mode"; else bad "$mode" "exit $wr/$sr"; fi
done
# one process (DFOPT_JOBS=1) and forked workers give the same
DFOPT_SEGMENT=1 DFOPT_JOBS=1 "$bin" -O1 "$base" >"$tmp/one" 2>"$tmp/one.err"
DFOPT_SEGMENT=1 "$bin" -O1 "$base" >"$tmp/many" 2>"$tmp/many.err"
if cmp -s "$tmp/one" "$tmp/many" && cmp -s "$tmp/one.err" "$tmp/many.err"; then ok "DFOPT_JOBS=1"
else bad "DFOPT_JOBS=1" "one process and workers differ"; fi

echo "segments: $pass passed, $fail failed (${#inputs[@]} joined files)"
[ "$fail" = 0 ]
