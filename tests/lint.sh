#!/usr/bin/env bash
# `dfopt lint` as people and CI systems drive it: the golden output of every format, each format
# against its published shape, rdjson fixes that rebuild `dfopt -O1`/`-O2`, suppressions, the
# configuration file, exit codes and --jobs.
#   tests/lint.sh BIN            UPDATE=1 tests/lint.sh BIN rewrites corpus/lint/*.golden
set -u
bin=${1:?usage: tests/lint.sh BIN}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { # check NAME COMMAND...: the command must succeed
    local name=$1; shift
    if "$@" >"$tmp/log" 2>&1; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "$name ... FAILED"; sed 's/^/    /' "$tmp/log" | head -30; fi
}
status() { "$@" >/dev/null 2>&1; echo $?; }
lint() { "$bin" lint --no-config "$@"; }
# json_has FILE PYTHON-EXPRESSION: the expression over the findings list `f` is true
json_has() { python3 -c "import json,sys; f=json.load(open(sys.argv[1]))['findings']; sys.exit(0 if ($2) else 1)" "$1"; }

# ---- golden outputs: corpus/lint/<name>.Dockerfile -> corpus/lint/<name>.<format>.golden ----
for f in corpus/lint/*.Dockerfile; do
    stem=${f%.Dockerfile}
    for fmt in tty tty-color json sarif rdjson rdjsonl github checkstyle gitlab; do
        case $fmt in
        tty) opts=(--format=tty --color=never) ;;
        tty-color) opts=(--format=tty --color=always) ;;
        *) opts=(--format="$fmt") ;;
        esac
        (cd corpus/lint && "$bin" lint --no-config "${opts[@]}" "$(basename "$f")") >"$tmp/out" 2>"$tmp/err"; rc=$?
        if [ -n "${UPDATE:-}" ]; then cp "$tmp/out" "$stem.$fmt.golden"; continue; fi
        if [ $rc != 1 ]; then fail=$((fail + 1)); echo "$stem $fmt ... FAILED: exit $rc, want 1: $(cat "$tmp/err")"
        elif [ ! -f "$stem.$fmt.golden" ]; then fail=$((fail + 1)); echo "$stem $fmt ... FAILED: no $stem.$fmt.golden (make golden-update)"
        elif cmp -s "$tmp/out" "$stem.$fmt.golden"; then pass=$((pass + 1))
        else fail=$((fail + 1)); echo "$stem $fmt ... FAILED: output differs:"; diff -u "$stem.$fmt.golden" "$tmp/out" | head -40; fi
    done
done
if [ -n "${UPDATE:-}" ]; then echo "lint golden files rewritten"; exit 0; fi

# ---- shapes, and fixes that apply ----
corpus=(corpus/lint/*.Dockerfile corpus/*.Dockerfile)
check "formats valid (lint_check.py formats)" python3 tests/lint_check.py formats "$bin" "${corpus[@]}"
check "rdjson fixes rebuild -O1/-O2 (lint_check.py apply)" python3 tests/lint_check.py apply "$bin" "${corpus[@]}"
check "a 3,002-line file: each group of blocks gets one group's findings, fixes apply (lint_check.py blocks)" \
    python3 tests/lint_check.py blocks "$bin" "$tmp"

# ---- every pass has a rule of its own ----
check "a rule for every pass" bash -c "
    '$bin' --list-passes | awk 'NR > 1 {print \$1}' | while read -r p; do
        '$bin' lint --list-rules | awk '{print \$2}' | grep -qx \"\$p\" || { echo \"pass \$p has no DF1xx rule in compiler/lint_rules.h\"; exit 1; }
    done"

# ---- exit codes ----
cat >"$tmp/clean.Dockerfile" <<'EOF'
FROM alpine:3.20
RUN apk add --no-cache curl
USER nobody
CMD ["curl", "--version"]
EOF
printf 'FROM ubuntu\nUSER app\n' >"$tmp/warn.Dockerfile"
printf 'FROM alpine:3.20\nRUN apk add curl\nUSER app\n' >"$tmp/info.Dockerfile"
printf 'FROM alpine\nENV ONLYKEY\n' >"$tmp/bad.Dockerfile"
check "clean file: exit 0" test "$(status lint "$tmp/clean.Dockerfile")" = 0
check "clean file: no output" test -z "$(lint "$tmp/clean.Dockerfile")"
check "warning: exit 1" test "$(status lint "$tmp/warn.Dockerfile")" = 1
check "--fail-level=error ignores warnings" test "$(status lint --fail-level=error "$tmp/warn.Dockerfile")" = 0
check "info only: exit 0 by default" test "$(status lint "$tmp/info.Dockerfile")" = 0
check "--fail-level=info counts info" test "$(status lint --fail-level=info "$tmp/info.Dockerfile")" = 1
check "--fail-level=none" test "$(status lint --fail-level=none corpus/lint/findings.Dockerfile)" = 0
check "parse error: exit 2" test "$(status lint "$tmp/bad.Dockerfile")" = 2
lint --format=json "$tmp/bad.Dockerfile" >"$tmp/bad.json" 2>/dev/null
check "parse error is a DF000 finding at its position" json_has "$tmp/bad.json" \
    "len(f) == 1 and f[0]['rule'] == 'DF000' and (f[0]['line'], f[0]['column']) == (2, 5)"
check "missing file: exit 2 and a message" bash -c "'$bin' lint --no-config '$tmp/nope' 2>&1 >/dev/null | grep -q 'nope: No such file'; test \${PIPESTATUS[0]} = 2"
check "one bad file among good: exit 2, others still reported" bash -c "
    '$bin' lint --no-config --format=json '$tmp/warn.Dockerfile' '$tmp/nope' >'$tmp/m.json' 2>/dev/null; test \$? = 2 &&
    grep -q DF001 '$tmp/m.json'"
check "unknown option: exit 2" test "$(status "$bin" lint --frobnicate "$tmp/clean.Dockerfile")" = 2
check "unknown format: exit 2" test "$(status "$bin" lint --format=xml "$tmp/clean.Dockerfile")" = 2
check "no file: exit 2" test "$(status "$bin" lint)" = 2
check "stdin" bash -c "'$bin' lint --no-config --format=json - <'$tmp/warn.Dockerfile' | grep -q '\"file\": \"<stdin>\"'"
check "-o FILE" bash -c "'$bin' lint --no-config --format=sarif -o '$tmp/r.sarif' '$tmp/warn.Dockerfile'; test \$? = 1 && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' '$tmp/r.sarif'"
check "--explain DF101" bash -c "'$bin' lint --explain DF101 | grep -q 'hadolint: DL4000'"
check "--explain by hadolint code" bash -c "'$bin' lint --explain DL3006 | head -1 | grep -q '^DF001 base-image-untagged'"
check "--explain unknown: exit 2" test "$(status "$bin" lint --explain DF999)" = 2
check "--color=always colours" bash -c "lint() { '$bin' lint --no-config \"\$@\"; }; lint --color=always '$tmp/warn.Dockerfile' | grep -q \$'\\033\\['"
check "--color=auto into a pipe: no colour" bash -c "! '$bin' lint --no-config '$tmp/warn.Dockerfile' | grep -q \$'\\033'"

# ---- suppressions ----
printf '# dfopt ignore=DF001\nFROM ubuntu\nFROM debian\nUSER app\n' >"$tmp/p1.Dockerfile"
lint --format=json "$tmp/p1.Dockerfile" >"$tmp/p1.json"
check "# dfopt ignore: the next instruction only" json_has "$tmp/p1.json" \
    "[x['line'] for x in f if x['rule'] == 'DF001'] == [3]"
printf 'FROM ubuntu\n# dfopt global ignore=base-image-untagged\nFROM debian\nUSER app\n' >"$tmp/p2.Dockerfile"
lint --format=json "$tmp/p2.Dockerfile" >"$tmp/p2.json"
check "# dfopt global ignore (by name)" json_has "$tmp/p2.json" "not any(x['rule'] == 'DF001' for x in f)"
printf '# hadolint ignore=DL3006,DL3002\nFROM ubuntu\nUSER root\n' >"$tmp/p3.Dockerfile"
lint --format=json "$tmp/p3.Dockerfile" >"$tmp/p3.json"
check "# hadolint ignore= (mapped codes)" json_has "$tmp/p3.json" \
    "not any(x['rule'] == 'DF001' for x in f) and any(x['rule'] == 'DF007' for x in f)"
printf '# check=skip=StageNameCasing,JSONArgsRecommended\nFROM alpine:3 AS Build\nCMD echo hi\n' >"$tmp/p4.Dockerfile"
lint --format=json "$tmp/p4.Dockerfile" >"$tmp/p4.json"
check "# check=skip=" json_has "$tmp/p4.json" "not any(x['rule'] in ('DF019', 'DF018') for x in f)"
printf '# check=error=true\nFROM alpine:3 AS Build\nUSER app\n' >"$tmp/p5.Dockerfile"
lint --format=json "$tmp/p5.Dockerfile" >"$tmp/p5.json"
check "# check=error=true raises BuildKit checks" json_has "$tmp/p5.json" \
    "[x['severity'] for x in f if x['rule'] == 'DF019'] == ['error']"
printf 'FROM alpine:3\n# dfopt ignore=DF101\nMAINTAINER me\nUSER app\n' >"$tmp/p6.Dockerfile"
check "ignoring a pass rule drops its finding" test -z "$(lint --format=github "$tmp/p6.Dockerfile")"
printf 'FROM alpine:3\n# dfopt global ignore=maintainer\nMAINTAINER me\nUSER app\n' >"$tmp/p7.Dockerfile"
check "global ignore of a pass rule" test -z "$(lint --format=github "$tmp/p7.Dockerfile")"

# ---- configuration ----
mkdir -p "$tmp/repo/.git" "$tmp/repo/sub" "$tmp/elsewhere"
cp "$tmp/warn.Dockerfile" "$tmp/repo/sub/Dockerfile"
printf 'rules:\n  disable: [DF001]\n' >"$tmp/repo/.dfopt.yaml"
check "repository root .dfopt.yaml" bash -c "cd '$tmp/elsewhere' && '$bin' lint '$tmp/repo/sub/Dockerfile'"
check "--no-config ignores it" bash -c "cd '$tmp/elsewhere' && ! '$bin' lint --no-config '$tmp/repo/sub/Dockerfile' >/dev/null"
printf 'severity:\n  base-image-untagged: error\nfail-level: error\n' >"$tmp/elsewhere/.dfopt.yaml"
check "working directory .dfopt.yaml wins" bash -c "cd '$tmp/elsewhere' && '$bin' lint --format=json '$tmp/repo/sub/Dockerfile' >'$tmp/c1.json'; test \$? = 1"
check "severity override" json_has "$tmp/c1.json" "[x['severity'] for x in f if x['rule'] == 'DF001'] == ['error']"
printf 'trusted-registries: [docker.io]\nrules:\n  enable: [DL3008]\n' >"$tmp/c2.yaml"
printf 'FROM ghcr.io/acme/base:1\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nUSER app\n' >"$tmp/c2.Dockerfile"
"$bin" lint --config "$tmp/c2.yaml" --format=json "$tmp/c2.Dockerfile" >"$tmp/c2.json"
check "--config: trusted registries" json_has "$tmp/c2.json" "any(x['rule'] == 'DF056' for x in f)"
check "--config: a rule off by default enabled" json_has "$tmp/c2.json" "any(x['rule'] == 'DF032' for x in f)"
lint --format=json "$tmp/c2.Dockerfile" >"$tmp/c3.json"
check "defaults: no registry check, no pinning rule" json_has "$tmp/c3.json" \
    "not any(x['rule'] in ('DF056', 'DF032') for x in f)"
printf 'level: 1\nrulez: [DF001]\n' >"$tmp/bad.yaml"
check "unknown config key: exit 2, file:line:col" bash -c "
    '$bin' lint --config '$tmp/bad.yaml' '$tmp/warn.Dockerfile' 2>'$tmp/e' >/dev/null; test \$? = 2 &&
    grep -q '^$tmp/bad.yaml:2:1: error: unknown key .rulez.' '$tmp/e'"
mkdir -p "$tmp/ra/.git" "$tmp/ra/x/y" "$tmp/ra/nested/.git" "$tmp/ra/nested/z" "$tmp/plain"
printf 'rules:\n  disable: [DF001]\n' >"$tmp/ra/.dfopt.yaml"
for d in ra/x/y ra/nested/z ra/x ra/nested; do cp "$tmp/warn.Dockerfile" "$tmp/$d/Dockerfile"; done
(cd "$tmp/plain" && "$bin" lint --format=json "$tmp/ra/x/y/Dockerfile" "$tmp/ra/nested/z/Dockerfile" \
    "$tmp/ra/x/Dockerfile" "$tmp/ra/nested/Dockerfile" "$tmp/ra/x/y/Dockerfile") >"$tmp/ra.json"
check "each file its own repository's .dfopt.yaml (a nested repository has none)" json_has "$tmp/ra.json" \
    "[x['file'].split('/ra/')[1] for x in f if x['rule'] == 'DF001'] == ['nested/z/Dockerfile', 'nested/Dockerfile']"
check "--disable on the command line" bash -c "'$bin' lint --no-config --disable=DF001 '$tmp/warn.Dockerfile'"
check "--disable of an unknown rule: exit 2" test "$(status "$bin" lint --no-config --disable=DF999 "$tmp/warn.Dockerfile")" = 2

# ---- passes: which report ----
printf 'FROM alpine:3\nMAINTAINER me\nUSER app\n' >"$tmp/m.Dockerfile"
check "-O0: no pass findings" test -z "$(lint -O0 "$tmp/m.Dockerfile")"
check "--skip=maintainer" test -z "$(lint --skip=maintainer "$tmp/m.Dockerfile")"
check "--passes= unknown pass: exit 2" test "$(status lint --passes=nope "$tmp/m.Dockerfile")" = 2

# ---- --jobs: the same output, in the order given ----
lint --format=json --fail-level=none -j 1 "${corpus[@]}" >"$tmp/j1" 2>&1
lint --format=json --fail-level=none --jobs 4 "${corpus[@]}" >"$tmp/j4" 2>&1
check "--jobs 4 output equals --jobs 1" cmp "$tmp/j1" "$tmp/j4"
lint --format=tty --fail-level=none -j 3 "${corpus[@]}" >"$tmp/t3" 2>&1
lint --format=tty --fail-level=none "${corpus[@]}" >"$tmp/t1" 2>&1
check "--jobs 3 tty output equals the serial one" cmp "$tmp/t1" "$tmp/t3"

# ---- files spread over the cores (DFOPT_JOBS=2) read as if linted one at a time ----
# Contiguous runs of files go to different processes: the report must be byte for byte the same
# in every format, and so must standard error and the exit status. The sets below put a run
# without findings first (its part of a JSON array is empty), a parse error and a missing file
# in the middle, and nothing to report at all.
[ "$(nproc 2>/dev/null || echo 1)" -ge 2 ] || echo "lint: one core: DFOPT_JOBS=2 runs like DFOPT_JOBS=1"
for i in 1 2 3 4 5 6 7 8; do cp "$tmp/clean.Dockerfile" "$tmp/clean$i.Dockerfile"; done
cleans=("$tmp"/clean?.Dockerfile)
same_when_split() { # same_when_split NAME FILE...
    local name=$1 fmt opts r1 r2; shift
    for fmt in tty tty-color json sarif rdjson rdjsonl github checkstyle gitlab; do
        case $fmt in
        tty-color) opts=(--format=tty --color=always) ;;
        *) opts=(--format="$fmt") ;;
        esac
        DFOPT_JOBS=1 "$bin" lint --no-config "${opts[@]}" "$@" >"$tmp/p1" 2>"$tmp/pe1"; r1=$?
        DFOPT_JOBS=2 "$bin" lint --no-config "${opts[@]}" "$@" >"$tmp/p2" 2>"$tmp/pe2"; r2=$?
        if [ "$r1" = "$r2" ] && cmp -s "$tmp/p1" "$tmp/p2" && cmp -s "$tmp/pe1" "$tmp/pe2"; then
            pass=$((pass + 1))
        else
            fail=$((fail + 1)); echo "DFOPT_JOBS=2 $name $fmt ... FAILED: exit $r1 vs $r2"
            diff -u "$tmp/p1" "$tmp/p2" | head -20; diff -u "$tmp/pe1" "$tmp/pe2" | head -10
        fi
    done
}
same_when_split "corpus" "${corpus[@]}"
same_when_split "clean first" "${cleans[@]}" corpus/lint/*.Dockerfile corpus/*.Dockerfile
same_when_split "errors among files" "${cleans[@]}" "$tmp/bad.Dockerfile" corpus/lint/*.Dockerfile \
    "$tmp/nope" corpus/*.Dockerfile
same_when_split "nothing found" "${cleans[@]}" "${cleans[@]}"
DFOPT_JOBS=2 "$bin" lint --no-config --format=sarif -o "$tmp/split.sarif" "${corpus[@]}"; r2=$?
DFOPT_JOBS=1 "$bin" lint --no-config --format=sarif "${corpus[@]}" >"$tmp/one.sarif"; r1=$?
check "DFOPT_JOBS=2 -o FILE: the same report and status" test "$r1" = "$r2" -a -s "$tmp/one.sarif"
check "DFOPT_JOBS=2 -o FILE: the same bytes" cmp "$tmp/one.sarif" "$tmp/split.sarif"

echo "lint: $pass passed, $fail failed"
[ "$fail" = 0 ]
