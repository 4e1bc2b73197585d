#!/usr/bin/env bash
# dfopt side by side with the npm peers, on the inputs bench/run.sh generated:
#
#   bench/peers.sh BIN          (run by bench/run.sh; needs node and npm)
#
# The peers are installed into build/bench/peers (npm, pinned versions):
#   dockerfile-utils   its formatter (format) and its linter (validate)
#   dockerfilelint     a linter
#   @dprint/dockerfile the dprint formatter plugin, run with @dprint/formatter
# Each peer runs in one node process over all the files (bench/peers.js loads it once), as dfopt
# runs over all the files in one process; its output goes to /dev/null like dfopt's. Formatters
# are compared with `dfopt -O1` (parse, optimize, print), linters with `dfopt lint
# --format=json` when dfopt has it, else with `dfopt -O1`. A ratio is dfopt's speed over the
# peer's: 10 means dfopt is 10 times faster. Times are medians (PEER_RUNS, default 3).
set -euo pipefail
bin=${1:?usage: bench/peers.sh BIN}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
top=$(cd "$(dirname "$0")/.." && pwd)
data=$top/build/bench/data
dir=$top/build/bench/peers
runs=${PEER_RUNS:-3}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
[ -f "$data/manifest.txt" ] && [ -x "$top/build/bench/clock" ] ||
    { echo "peers: run bench/run.sh first (no $data)" >&2; exit 1; }
command -v node >/dev/null && command -v npm >/dev/null ||
    { echo "peers: node and npm are needed (apt-get install nodejs npm)" >&2; exit 1; }

pkgs="dockerfile-utils@0.16.3 dockerfilelint@1.8.0 @dprint/dockerfile@0.6.0 @dprint/formatter@0.6.0"
mkdir -p "$dir"
if [ ! -f "$dir/.installed" ] || [ "$(cat "$dir/.installed")" != "$pkgs" ]; then
    echo '{"private": true}' > "$dir/package.json"
    (cd "$dir" && npm install --no-audit --no-fund --silent $pkgs) >&2
    echo "$pkgs" > "$dir/.installed"
fi
export NODE_PATH=$dir/node_modules
ver() { node -p "require('$1/package.json').version"; }

lint_ok=0
"$bin" lint --help 2>&1 | grep -q -- '--format' && lint_ok=1
if [ $lint_ok = 1 ]; then lint_cmd="lint --format=json"; lint_name="dfopt lint --format=json"
else lint_cmd="-O1"; lint_name="dfopt -O1 (no lint command)"; fi

ls "$data"/files10k/*/Dockerfile > "$tmp/files"
nfiles=$(wc -l < "$tmp/files")
bytes=$(cat "$data"/files10k/*/Dockerfile | wc -c)
big=$data/big-1m/Dockerfile
bigbytes=$(wc -c < "$big")
typical=$data/typical-2k/Dockerfile

# med RUNS CMD: median wall seconds (hyperfine; non-zero exits allowed: linters report findings)
med() {
    local n=$1; shift
    hyperfine --style none --runs "$n" -i --export-csv "$tmp/hf.csv" --shell=bash "$@" \
        >/dev/null 2>"$tmp/hf.err" || { cat "$tmp/hf.err" >&2; echo nan; return; }
    awk -F, 'NR == 2 { print $4 }' "$tmp/hf.csv"
}
medn() { # whole-process time, no shell
    hyperfine --style none -N --runs 20 --warmup 3 -i --export-csv "$tmp/hf.csv" "$@" \
        >/dev/null 2>"$tmp/hf.err" || { cat "$tmp/hf.err" >&2; echo nan; return; }
    awk -F, 'NR == 2 { print $4 }' "$tmp/hf.csv"
}
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

# A peer that throws on a file skips it; how many it skipped is shown beside its name.
declare -A failed
for t in du-format du-lint dockerfilelint dprint; do
    node "$top/bench/peers.js" "$t" "@$tmp/files" > /dev/null 2> "$tmp/fail" ||
        { echo "peers: $t does not run" >&2; cat "$tmp/fail" >&2; exit 1; }
    failed[$t]=$(sed -n 's/^failed on \([0-9]*\) of.*/\1/p' "$tmp/fail")
done

# dfopt over the files: bench/clock.c (built by run.sh) runs it with the names as arguments, as
# peers.js gets them from the list, so neither pays for a shell's expansion of */Dockerfile.
clock=$top/build/bench/clock
# shellcheck disable=SC2086 # a mode is one or two words
many() { "$clock" "$runs" 600 "$tmp/files" "$bin" $1 | awk '{ print $1 }'; }
d_fmt=$(many -O1)
d_lint=$(many "$lint_cmd")
d_big_fmt=$(med "$runs" "'$bin' -O1 '$big'")
d_big_lint=$(med "$runs" "'$bin' $lint_cmd '$big'")
d_one_fmt=$(medn "$bin -O1 $typical")
d_one_lint=$(medn "$bin $lint_cmd $typical")

echo "### dfopt and its peers ($nfiles files, $(calc %.1f "$bytes / 1e6") MB; one $(calc %.0f "$bigbytes / 1e6") MB file; one $(wc -c < "$typical")-byte file)"
echo
echo "Node $(node --version). Ratio: dfopt's speed over the peer's (how many times faster dfopt is)."
echo
echo "| peer | compared with | 10,000 files: peer files/s | dfopt files/s | ratio | 1 MB file: peer s | dfopt s | ratio | one invocation: peer ms | dfopt ms | ratio |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
row() { # row NAME TOOL KIND(fmt|lint) CLI...
    local name=$1 tool=$2 kind=$3; shift 3
    local dm db d1 cmp
    if [ "$kind" = fmt ]; then dm=$d_fmt db=$d_big_fmt d1=$d_one_fmt cmp="dfopt -O1"
    else dm=$d_lint db=$d_big_lint d1=$d_one_lint cmp=$lint_name; fi
    local pm pb p1
    [ -n "${failed[$tool]}" ] && name="$name (throws on ${failed[$tool]} of the files: skipped)"
    pm=$(med "$runs" "node '$top/bench/peers.js' $tool '@$tmp/files'")
    pb=$(timeout 300 bash -c "time -p node '$top/bench/peers.js' $tool '$big' > /dev/null 2>&1" 2>&1 |
         awk '/^real/ { print $2 }')
    [ -n "$pb" ] || pb=nan
    node "$top/bench/peers.js" $tool "$big" > /dev/null 2> "$tmp/bigfail" || true
    grep -q failed "$tmp/bigfail" && pb=throws
    p1=$(medn "$*")
    echo "| $name | \`$cmp\` | $(calc %.0f "$nfiles / $pm") | $(calc %.0f "$nfiles / $dm") | $(calc %.1f "$pm / $dm")" \
         "| $([ "$pb" = throws ] && echo "throws" || calc %.2f "$pb") | $(calc %.3f "$db")" \
         "| $([ "$pb" = throws ] && echo "n/a" || calc %.1f "$pb / $db")" \
         "| $(calc %.1f "$p1 * 1000") | $(calc %.2f "$d1 * 1000") | $(calc %.1f "$p1 / $d1") |"
}
row "dockerfile-utils $(ver dockerfile-utils) format" du-format fmt \
    "$dir/node_modules/.bin/dockerfile-utils format $typical"
row "@dprint/dockerfile $(ver @dprint/dockerfile)" dprint fmt \
    "node $top/bench/peers.js dprint $typical"
row "dockerfile-utils $(ver dockerfile-utils) lint" du-lint lint \
    "$dir/node_modules/.bin/dockerfile-utils lint $typical"
row "dockerfilelint $(ver dockerfilelint)" dockerfilelint lint \
    "$dir/node_modules/.bin/dockerfilelint -o json $typical"
echo
echo "(1 MB file: one run each for the peers (dockerfile-utils takes minutes on the 10 MB one), median of $runs for dfopt. @dprint/dockerfile has no"
echo "command of its own in these packages: its one invocation is node loading the plugin and formatting"
echo "the file.)"
