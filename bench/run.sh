#!/usr/bin/env bash
# The dfopt benchmark (`make bench`):
#
#   bench/run.sh BIN        BIN is the dfopt to measure (build/dfopt)
#
# Generates the inputs (bench/gen.c, from the shapes in corpus/) into build/bench/data, then
# prints markdown tables: throughput per mode, whole-process time of one invocation, peak RSS,
# growth when the input grows 10x, and the targets met or missed. Each time is the median of
# several runs (RUNS=N for more or fewer): hyperfine's, and for the runs over many files
# bench/clock.c's, which passes the file names without a shell. Peak RSS is /usr/bin/time's maximum
# resident set size. At the end bench/peers.sh times the npm peers on the same inputs
# (PEERS=0 skips them).
#
# hyperfine and GNU time are installed with apt-get when missing (as root).
set -euo pipefail
bin=${1:?usage: bench/run.sh BIN}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/bench
data=$out/data
runs=${RUNS:-5}
load() { awk '{ print $1, $2, $3 }' /proc/loadavg; }
load_start=$(load)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# ---- tools ----
need=""
command -v hyperfine >/dev/null 2>&1 || need="$need hyperfine"
[ -x /usr/bin/time ] || need="$need time"
command -v cc >/dev/null 2>&1 || need="$need gcc"
if [ -n "$need" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "bench: installing$need" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y --no-install-recommends $need >/dev/null 2>&1 ||
            { apt-get update >/dev/null && apt-get install -y --no-install-recommends $need >/dev/null; }
    else
        echo "bench: missing$need; install with: sudo apt-get install -y$need" >&2
        exit 1
    fi
fi

# ---- inputs ----
mkdir -p "$out"
gen=$out/gen
if [ ! -x "$gen" ] || [ "$top/bench/gen.c" -nt "$gen" ]; then
    cc -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -O2 -D_GNU_SOURCE "$top/bench/gen.c" -o "$gen"
fi
clock=$out/clock
if [ ! -x "$clock" ] || [ "$top/bench/clock.c" -nt "$clock" ]; then
    cc -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -O2 -D_GNU_SOURCE "$top/bench/clock.c" -o "$clock"
fi
stamp=$data/manifest.txt
if [ ! -f "$stamp" ] || [ "$gen" -nt "$stamp" ] ||
   [ -n "$(find "$top/corpus" -name '*.Dockerfile' -newer "$stamp" | head -1)" ]; then
    rm -rf "$data"
    "$gen" "$top/corpus" "$data"
fi

bytes() { cat "$@" | wc -c; }
n10k=$(ls "$data/files10k" | wc -l)
n1k=$(ls "$data/files1k" | wc -l)
b10k=$(cd "$data/files10k" && bytes */Dockerfile)
b1k=$(cd "$data/files1k" && bytes */Dockerfile)
size() { wc -c < "$data/$1/Dockerfile"; }

# Every input must parse, and -O0 must give it back byte for byte: otherwise the figures would
# measure error paths.
(cd "$data/files10k" && "$bin" -O0 */Dockerfile > "$tmp/all.out") ||
    { echo "bench: dfopt fails on the generated files" >&2; exit 1; }
(cd "$data/files10k" && cat */Dockerfile) | cmp -s - "$tmp/all.out" ||
    { echo "bench: -O0 does not round-trip the generated files" >&2; exit 1; }
for f in one-1k typical-2k big-10m instr-100k; do
    "$bin" -O0 "$data/$f/Dockerfile" | cmp -s - "$data/$f/Dockerfile" ||
        { echo "bench: -O0 does not round-trip $f" >&2; exit 1; }
done
rm -f "$tmp/all.out"
instr() { "$bin" --emit=dump "$data/$1/Dockerfile" | wc -l; }
i100k=$(instr instr-100k)
[ "$i100k" = 100000 ] || { echo "bench: instr-100k has $i100k instructions" >&2; exit 1; }

lint_ok=0
"$bin" lint --help 2>&1 | grep -q -- '--format' && lint_ok=1

# ---- measuring ----
# hf RUNS CMD: median wall seconds of CMD over RUNS runs (run by bash; hyperfine subtracts the
# shell's start). The first run warms the page cache; when it alone takes more than 3 s, three
# more runs instead of RUNS keep the whole benchmark within minutes. The CPU time (user +
# system, mean) is left in $tmp/cpu: unlike wall time it hardly moves when other work loads the
# machine.
hf() {
    local n=$1; shift
    if ! hyperfine --style none --runs 1 -i --export-csv "$tmp/hf.csv" \
            --shell=bash "$@" >/dev/null 2>"$tmp/hf.err"; then
        cat "$tmp/hf.err" >&2; echo nan; return
    fi
    awk -F, 'NR == 2 { print $5 + $6 }' "$tmp/hf.csv" > "$tmp/cpu"
    if awk -F, 'NR == 2 { exit !($4 > 3) }' "$tmp/hf.csv"; then
        n=3 # a long run: the median of three more (one alone moved by a third from run to run)
    fi
    if ! hyperfine --style none --runs "$n" -i --export-csv "$tmp/hf.csv" \
            --shell=bash "$@" >/dev/null 2>"$tmp/hf.err"; then
        cat "$tmp/hf.err" >&2; echo nan; return
    fi
    awk -F, 'NR == 2 { print $5 + $6 }' "$tmp/hf.csv" > "$tmp/cpu"
    awk -F, 'NR == 2 { print $4 }' "$tmp/hf.csv"
}
# clk RUNS DIR ARGS...: the same for `dfopt ARGS... FILE...` over every DIR/*/Dockerfile, run
# from DIR by bench/clock.c, with the file names as arguments and no shell: bash's expansion of
# */Dockerfile alone takes longer than dfopt -O0 on 10,000 files. The timeout is clock's own.
clk() {
    local n=$1 dir=$2; shift 2
    (cd "$dir" && printf '%s\n' */Dockerfile > "$tmp/list" &&
        "$clock" "$n" "$limit" "$tmp/list" "$bin" "$@") > "$tmp/clk" || { echo nan; return; }
    awk '{ print $2 }' "$tmp/clk" > "$tmp/cpu"
    awk '{ print $1 }' "$tmp/clk"
}
# hfn RUNS WARMUP CMD: the same without a shell (hyperfine -N), for whole-process times.
hfn() {
    local n=$1 w=$2; shift 2
    hyperfine --style none -N --runs "$n" --warmup "$w" -i --export-csv "$tmp/hf.csv" "$@" \
        >/dev/null 2>"$tmp/hf.err" || { cat "$tmp/hf.err" >&2; echo nan; return; }
    awk -F, 'NR == 2 { print $5 + $6 }' "$tmp/hf.csv" > "$tmp/cpu"
    awk -F, 'NR == 2 { print $4 }' "$tmp/hf.csv"
}
# rss CMD: peak resident set size in KiB (of the largest process: bash execs the last command).
# A run cut off by the time limit leaves "cut" in $tmp/rsscut (its figure is a lower bound).
rss() {
    /usr/bin/time -f "%M %e" -o "$tmp/rss" bash -c "$1" >/dev/null 2>&1 || true
    tail -1 "$tmp/rss" | awk -v l="$limit" '{ print ($2 + 0.5 >= l) ? "cut" : "" }' > "$tmp/rsscut"
    tail -1 "$tmp/rss" | awk '{ print $1 }'
}
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
# Every timed run is cut off after LIMIT seconds (default 120): a mode that is quadratic
# somewhere must not hold the benchmark for hours. A time that hit the limit prints as such.
limit=${LIMIT:-120}
T="timeout $limit"
cut() { awk -v t="$1" -v l="$limit" 'BEGIN { exit !(t == "nan" || t + 0.5 >= l) }'; }
# per FMT NUM SECONDS: NUM / SECONDS, or "> LIMIT s" when the run was cut off
per() { if cut "$3"; then echo "> $limit s"; else calc "$1" "$2 / $3"; fi; }
# ms SECONDS: in milliseconds, or "> LIMIT s"
ms() { if cut "$1"; then echo "> $limit s"; else calc %.1f "$1 * 1000"; fi; }
# ratio FMT A B: A / B of two times (or of rates), n/a when either was cut off
ratio() { if cut "$2" || cut "$3"; then echo "n/a"; else calc "$1" "$2 / $3"; fi; }

modes=("--emit=dump" "-O0" "-O1" "-O2")
names=("parse (\`--emit=dump\`)" "parse + print (\`-O0\`)" "\`-O1\`" "\`-O2\`")
[ $lint_ok = 1 ] && { modes+=("lint --format=json"); names+=("\`lint --format=json\`"); }

cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
echo "## dfopt benchmark"
echo
echo "Machine: $(nproc) cores, $cpu, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)." \
     "dfopt $("$bin" --version | awk '{ print $2 }'). Median of $runs runs (of 3 where a"\
     "single run takes over 3 s). Load average at the start: $load_start."
echo
echo "Inputs (generated from corpus/ by bench/gen.c): $n10k files of $(calc %.1f "$b10k / 1e6") MB" \
     "(mean $(calc %.0f "$b10k / $n10k") bytes); single files of $(size one-1k) B," \
     "$(calc %.1f "$(size big-10m) / 1e6") MB, $(calc %.1f "$(size big-100m) / 1e6") MB" \
     "($(instr big-100m) instructions) and one of $i100k instructions" \
     "($(calc %.1f "$(size instr-100k) / 1e6") MB)."
echo

# ---- throughput ----
echo "### Throughput, one process (\`dfopt MODE FILE... > /dev/null\`)"
echo
echo "| mode | 10,000 files: files/s | MB/s | MB per CPU second | 100k instructions: ms | MB/s | 10 MB file: MB/s | 100 MB file: MB/s | 100 MB / small |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
declare -A t10k t1k tbig10 tbig100 tins c10k
for k in "${!modes[@]}"; do
    m=${modes[$k]}
    # shellcheck disable=SC2086 # a mode is one or two words
    t10k[$k]=$(clk "$runs" "$data/files10k" $m)
    c10k[$k]=$(cat "$tmp/cpu")
    # shellcheck disable=SC2086
    t1k[$k]=$(clk "$runs" "$data/files1k" $m)
    tins[$k]=$(hf "$runs" "$T '$bin' $m '$data/instr-100k/Dockerfile'")
    tbig10[$k]=$(hf "$runs" "$T '$bin' $m '$data/big-10m/Dockerfile'")
    tbig100[$k]=$(hf "$runs" "$T '$bin' $m '$data/big-100m/Dockerfile'")
    # 100 MB file vs small files: the ratio of the times per byte
    rel=n/a
    cut "${tbig100[$k]}" || cut "${t10k[$k]}" ||
        rel=$(calc %.2f "($(size big-100m) / ${tbig100[$k]}) / ($b10k / ${t10k[$k]})")
    echo "| ${names[$k]} | $(per %.0f "$n10k" "${t10k[$k]}") | $(per %.0f "$b10k / 1e6" "${t10k[$k]}")" \
         "| $(per %.0f "$b10k / 1e6" "${c10k[$k]}")" \
         "| $(ms "${tins[$k]}") | $(per %.0f "$(size instr-100k) / 1e6" "${tins[$k]}")" \
         "| $(per %.0f "$(size big-10m) / 1e6" "${tbig10[$k]}") | $(per %.0f "$(size big-100m) / 1e6" "${tbig100[$k]}")" \
         "| $rel |"
done
[ $lint_ok = 1 ] || echo "| \`lint --format=json\` | n/a (no lint command) | | | | | | | |"
echo

# ---- one invocation ----
echo "### One invocation, whole process (hyperfine -N, 300 runs, median)"
echo
echo "| command | wall ms | CPU ms |"
echo "| --- | ---: | ---: |"
typical=$data/typical-2k/Dockerfile
declare -A tone
for c in "--version" "-O1 $typical" "-O2 $typical" "-O0 $typical" "--emit=dump $typical" \
         "-O1 $data/one-1k/Dockerfile"; do
    tone[$c]=$(hfn 300 30 "$bin $c")
    f=${c##* } note=""
    [ -f "$f" ] && note=" ($(wc -c < "$f") B)"
    echo "| \`dfopt ${c//$data\//}\`$note | $(calc %.2f "${tone[$c]} * 1000") | $(calc %.2f "$(cat "$tmp/cpu") * 1000") |"
done
if [ $lint_ok = 1 ]; then
    t=$(hfn 300 30 "$bin lint --format=json $typical")
    echo "| \`dfopt lint --format=json typical-2k/Dockerfile\` | $(calc %.2f "$t * 1000") | $(calc %.2f "$(cat "$tmp/cpu") * 1000") |"
else
    echo "| \`dfopt lint --format=json typical-2k/Dockerfile\` | n/a (no lint command) | |"
fi
echo

# ---- memory ----
echo "### Peak RSS (/usr/bin/time, maximum resident set size)"
echo
echo "| input | mode | input MB | peak RSS MB | RSS / input | limit (3x input + 8 MB) |"
echo "| --- | --- | ---: | ---: | ---: | --- |"
rss_worst=ok
for f in big-100m big-10m instr-100k; do
    in=$(size $f)
    for m in "--emit=dump" "-O0" "-O1" "-O2"; do
        kb=$(rss "$T '$bin' $m '$data/$f/Dockerfile'")
        mb=$(calc %.1f "$kb * 1024 / 1e6")
        lim=$(calc %.1f "(3 * $in + 8 * 1048576) / 1e6")
        verdict=$(awk "BEGIN { print ($kb * 1024 < 3 * $in + 8 * 1048576) ? \"ok\" : \"over\" }")
        [ "$verdict" = ok ] || rss_worst=over
        grep -q cut "$tmp/rsscut" && mb="≥ $mb (cut off at $limit s)"
        echo "| $f | \`$m\` | $(calc %.1f "$in / 1e6") | $mb | $(calc %.2f "$kb * 1024 / $in") | $lim: $verdict |"
    done
done
kb=$(rss "cd '$data/files10k' && $T '$bin' -O1 */Dockerfile")
echo "| 10,000 files | \`-O1\` | $(calc %.1f "$b10k / 1e6") | $(calc %.1f "$kb * 1024 / 1e6") | $(calc %.2f "$kb * 1024 / $b10k") | $(calc %.1f "(3 * $b10k + 8 * 1048576) / 1e6"): $(awk "BEGIN { print ($kb * 1024 < 3 * $b10k + 8 * 1048576) ? \"ok\" : \"over\" }") |"
echo

# ---- parts ----
# A large file is optimized in parts (compiler/segment.c); DFOPT_SEGMENT=0 keeps it whole. The
# same output either way (tests/segments.sh); here the time and the memory of each.
echo "### Large files in parts and whole (\`DFOPT_SEGMENT=0\`)"
echo
echo "| input | mode | parts: s | whole: s | parts: peak RSS MB | whole: peak RSS MB |"
echo "| --- | --- | ---: | ---: | ---: | ---: |"
for f in big-10m big-100m; do
    for m in -O1 -O2; do
        tp=$(hf "$runs" "$T '$bin' $m '$data/$f/Dockerfile'")
        tw=$(hf "$runs" "DFOPT_SEGMENT=0 $T '$bin' $m '$data/$f/Dockerfile'")
        kp=$(rss "$T '$bin' $m '$data/$f/Dockerfile'")
        kw=$(rss "DFOPT_SEGMENT=0 $T '$bin' $m '$data/$f/Dockerfile'")
        echo "| $f | \`$m\` | $(calc %.2f "$tp") | $(calc %.2f "$tw") | $(calc %.1f "$kp * 1024 / 1e6")" \
             "| $(calc %.1f "$kw * 1024 / 1e6") |"
    done
done
echo

# ---- growth ----
echo "### Growth when the input grows 10x (time ratio; linear is 10)"
echo
echo "| mode | 1,000 → 10,000 files | 10k → 100k instructions | 10 MB → 100 MB file |"
echo "| --- | ---: | ---: | ---: |"
for k in "${!modes[@]}"; do
    m=${modes[$k]}
    t10=$(hf "$runs" "$T '$bin' $m '$data/instr-10k/Dockerfile'")
    echo "| ${names[$k]} | $(ratio %.2f "${t10k[$k]}" "${t1k[$k]}") | $(ratio %.2f "${tins[$k]}" "$t10")" \
         "| $(ratio %.2f "${tbig100[$k]}" "${tbig10[$k]}") |"
done
echo "(bytes: $b1k → $b10k; $(size instr-10k) → $(size instr-100k); $(size big-10m) → $(size big-100m))"
echo

# ---- shapes ----
# Shapes that once took time with the square of their size (bench/gen.c): each at 10,000 and
# 100,000 units, and --diff over the generated big files (changes all through them).
echo "### Growth on shapes that once grew with the square of their size (time ratio; linear is 10)"
echo
echo "| shape | mode | small: ms | 10x: ms | growth |"
echo "| --- | --- | ---: | ---: | ---: |"
shape_row() { # NAME MODE SMALL BIG
    local a b
    # shellcheck disable=SC2086 # a mode is one or two words
    a=$(hf "$runs" "$T '$bin' $2 '$data/$3/Dockerfile'")
    # shellcheck disable=SC2086
    b=$(hf "$runs" "$T '$bin' $2 '$data/$4/Dockerfile'")
    echo "| $1 | \`$2\` | $(ms "$a") | $(ms "$b") | $(ratio %.2f "$b" "$a") |"
}
shape_row "findings said again in later rounds (stages)" "-O1" shape-findings-10k shape-findings-100k
shape_row "global ARGs and the FROMs that use them" "-O1" shape-args-10k shape-args-100k
shape_row "global ARGs and the FROMs that use them" "lint --format=json" shape-args-10k shape-args-100k
shape_row "global ARGs and the FROMs that use them (distinct images)" "graph" shape-args-10k shape-args-100k
shape_row "a chain of relative WORKDIRs" "-O1" shape-workdirs-10k shape-workdirs-100k
shape_row "a chain of relative WORKDIRs" "lint --format=json" shape-workdirs-10k shape-workdirs-100k
shape_row "changes all through a big file (1 MB → 10 MB)" "--diff" big-1m big-10m
echo

# ---- targets ----
o1=2 o0=1 # indexes of -O1 and -O0 in modes
verdict() { awk "BEGIN { print ($1) ? \"met\" : \"MISSED\" }"; }
one=${tone["-O1 $typical"]}
mb_o1=$(per %.1f "$b10k / 1e6" "${t10k[$o1]}")
mb_o0=$(per %.1f "$b10k / 1e6" "${t10k[$o0]}")
r100=n/a
cut "${tbig100[$o1]}" || cut "${t10k[$o1]}" ||
    r100=$(calc %.2f "($(size big-100m) / ${tbig100[$o1]}) / ($b10k / ${t10k[$o1]})")
num() { case $1 in [0-9]*) echo "$1" ;; *) echo 0 ;; esac; } # a cut-off figure counts as 0
echo "### Targets"
echo
echo "| target | measured | |"
echo "| --- | --- | --- |"
echo "| one invocation on a typical 2 KB Dockerfile < 2 ms | $(calc %.2f "$one * 1000") ms | $(verdict "$one < 0.002") |"
echo "| \`-O1\` over 10,000 files ≥ 100 MB/s | $mb_o1 MB/s ($(per %.0f "$b10k / 1e6" "${c10k[$o1]}") MB per CPU second) | $(verdict "$(num "$mb_o1") >= 100") |"
echo "| parse + print over 10,000 files ≥ 200 MB/s | $mb_o0 MB/s ($(per %.0f "$b10k / 1e6" "${c10k[$o0]}") MB per CPU second) | $(verdict "$(num "$mb_o0") >= 200") |"
echo "| 100 MB file ≥ half the small-file throughput (\`-O1\`) | $r100 x | $(verdict "$(num "$r100") >= 0.5") |"
echo "| peak RSS < 3x input + 8 MB (every row above) | $rss_worst | $(verdict "\"$rss_worst\" == \"ok\"") |"
echo

echo "Load average at the end: $(load) (other work on the machine slows every figure)."
echo

if [ "${PEERS:-1}" != 0 ]; then
    "$top/bench/peers.sh" "$bin"
fi
