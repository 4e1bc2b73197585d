#!/bin/sh
# Prints the README's layer table: for each corpus Dockerfile, its RUN instructions and its
# layers (RUN, COPY and ADD, over all stages; ONBUILD's not counted) before and after -O1.
#
#   tools/layer-table.sh [BIN]     (default build/dfopt)
set -eu
bin=${1:-build/dfopt}
cd "$(dirname "$0")/.."
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
count() { "$bin" --emit=dump "$2" 2>/dev/null | grep -cE "^\\(($1)[ )]" || true; }
echo "| Dockerfile | RUN before | RUN after | layers before | layers after |"
echo "| --- | ---: | ---: | ---: | ---: |"
tr0=0 tr1=0 tl0=0 tl1=0
for f in $(find corpus -name '*.Dockerfile' -type f | LC_ALL=C sort); do
    stem=${f%.Dockerfile}
    ctx=$(dirname "$f"); [ -d "$stem" ] && ctx=$stem
    "$bin" -O1 --context "$ctx" "$f" >"$tmp" 2>/dev/null
    r0=$(count run "$f") r1=$(count run "$tmp")
    l0=$(count 'run|copy|add' "$f") l1=$(count 'run|copy|add' "$tmp")
    echo "| ${f#corpus/} | $r0 | $r1 | $l0 | $l1 |"
    tr0=$((tr0 + r0)) tr1=$((tr1 + r1)) tl0=$((tl0 + l0)) tl1=$((tl1 + l1))
done
echo "| **total** | **$tr0** | **$tr1** | **$tl0** | **$tl1** |"
