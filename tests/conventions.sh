#!/usr/bin/env bash
# The conventions users expect of a command-line tool, for dfopt and its subcommands, and the
# --stats report as the command prints it:
#   - `-` and no file read standard input; results go to standard output;
#   - `--` ends the options (a file named like an option can be given after it);
#   - --color=always|never|auto, and NO_COLOR (set and not empty) turns auto colour off;
#   - dfopt --stats [--format=json] [--context DIR] and its usage errors.
#   tests/conventions.sh BIN
set -u
bin=${1:?usage: tests/conventions.sh BIN}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { # check NAME COMMAND...: the command must succeed
    local name=$1; shift
    if "$@" >"$tmp/log" 2>&1; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "$name ... FAILED"; sed 's/^/    /' "$tmp/log" | head -20; fi
}
status() { "$@" >/dev/null 2>&1; echo $?; }
has_sub() { "$bin" "$1" --help >/dev/null 2>&1; }
esc=$'\033['
# `script -qec CMD /dev/null` runs CMD with a terminal on stdout and stderr (util-linux)

cd "$tmp" || exit 2
cat >-dash.Dockerfile <<'EOF'
FROM debian:bookworm AS build
MAINTAINER Jane Doe <jane@example.com>
RUN apt-get update
RUN apt-get install -y gcc make
COPY . /src
RUN make -C /src
RUN make -C /src check
FROM debian:bookworm-slim
COPY --from=build /src/app /usr/local/bin/app
CMD ["app"]
EOF
printf 'FROM alpine\nENV ONLYKEY\n' >bad.Dockerfile
mkdir -p ctx/src && printf 'int main(void) { return 0; }\n' >ctx/src/main.c && printf 'all:\n' >ctx/Makefile
printf 'src/main.c\n' >ctx/.dockerignore

# ---- standard input, standard output, -- ----
check "dfopt -- FILE" cmp <("$bin" -O0 -- -dash.Dockerfile) -- -dash.Dockerfile
check "dfopt - reads stdin" cmp <("$bin" -O0 - <-dash.Dockerfile) -- -dash.Dockerfile
check "dfopt without FILE reads stdin" cmp <("$bin" -O0 <-dash.Dockerfile) -- -dash.Dockerfile
check "dfopt: a leading - without -- is an option" test "$(status "$bin" -dash.Dockerfile)" = 2
if has_sub lint; then
    check "dfopt lint -- FILE" bash -c "'$bin' lint --format=json -- -dash.Dockerfile | grep -q DF101"
    check "dfopt lint - reads stdin" bash -c "'$bin' lint --format=json - <-dash.Dockerfile | grep -q DF101"
fi
if has_sub graph; then
    check "dfopt graph -- FILE" bash -c "'$bin' graph -- -dash.Dockerfile | grep -q '^digraph'"
    check "dfopt graph - reads stdin" bash -c "'$bin' graph - <-dash.Dockerfile | grep -q '^digraph'"
fi
if has_sub gen; then
    check "dfopt gen --from-dockerfile -- FILE" bash -c "'$bin' gen --from-dockerfile -- -dash.Dockerfile | grep -q debian"
    check "dfopt gen --from-dockerfile - reads stdin" bash -c "'$bin' gen --from-dockerfile - <-dash.Dockerfile | grep -q debian"
fi

# ---- colour ----
check "--color=always colours diagnostics" bash -c "'$bin' --color=always bad.Dockerfile 2>&1 | grep -qF '$esc'"
check "--color=never on a terminal" bash -c "! script -qec \"'$bin' --color=never bad.Dockerfile\" /dev/null | grep -qF '$esc'"
check "auto colours on a terminal" bash -c "env -u NO_COLOR script -qec \"'$bin' bad.Dockerfile\" /dev/null | grep -qF '$esc'"
check "auto: NO_COLOR=1 turns colour off" bash -c "! NO_COLOR=1 script -qec \"'$bin' bad.Dockerfile\" /dev/null | grep -qF '$esc'"
check "auto: an empty NO_COLOR does not" bash -c "NO_COLOR= script -qec \"'$bin' bad.Dockerfile\" /dev/null | grep -qF '$esc'"
check "auto: no colour into a pipe" bash -c "! env -u NO_COLOR '$bin' bad.Dockerfile 2>&1 | grep -qF '$esc'"
check "--color=always wins over NO_COLOR" bash -c "NO_COLOR=1 '$bin' --color=always bad.Dockerfile 2>&1 | grep -qF '$esc'"
check "--color=sometimes is a usage error" test "$(status "$bin" --color=sometimes bad.Dockerfile)" = 2
if has_sub lint; then
    check "lint --color=always" bash -c "'$bin' lint --color=always -- -dash.Dockerfile | grep -qF '$esc'"
    check "lint auto: NO_COLOR=1 turns colour off" bash -c "! NO_COLOR=1 script -qec \"'$bin' lint -- -dash.Dockerfile\" /dev/null | grep -qF '$esc'"
    check "lint auto: an empty NO_COLOR does not" bash -c "NO_COLOR= script -qec \"'$bin' lint -- -dash.Dockerfile\" /dev/null | grep -qF '$esc'"
fi

# ---- --stats ----
"$bin" --stats -- -dash.Dockerfile >stats.txt 2>stats.err; rc=$?
check "--stats exits 0" test $rc = 0
check "--stats names the file" grep -qx -- '-dash.Dockerfile' stats.txt
check "--stats: stages" grep -qE '^  stages +2 +2$' stats.txt
check "--stats: layers before" grep -qE '^  layers \(RUN, COPY, ADD\) +6 +[0-9]+$' stats.txt
check "--stats: fewer layers after" bash -c "awk '/^  layers/ { exit !(\$NF < \$(NF-1)) }' stats.txt"
check "--stats: cache-busting distance" grep -qE '^  instructions after the COPY of the context +2 +[0-9]+$' stats.txt
check "--stats: installs without cleanup before" grep -qE '^  package installs without cache cleanup +1 +0$' stats.txt
check "--stats: passes fired" grep -qE '^  passes fired: .*maintainer' stats.txt
check "--stats -O0: nothing fires" bash -c "'$bin' -O0 --stats -- -dash.Dockerfile | grep -qx '  passes fired: none'"
check "--stats reads stdin" bash -c "'$bin' --stats <-dash.Dockerfile | grep -qx '<stdin>'"

"$bin" --stats --format=json -- -dash.Dockerfile >stats.json; rc=$?
check "--stats --format=json exits 0" test $rc = 0
check "--format=json is one JSON object per file" python3 -c '
import json, sys
lines = open("stats.json").read().splitlines()
assert len(lines) == 1, lines
o = json.loads(lines[0])
assert o["file"] == "-dash.Dockerfile", o
assert "maintainer" in o["passes_fired"], o
b, a = o["before"], o["after"]
assert (b["stages"], b["instructions"], b["layers"]) == (2, 10, 6), b
assert b["context_copy_line"] == 5 and b["after_context_copy"] == 2, b
assert [i["manager"] for i in b["installs_without_cleanup"]] == ["apt-get"], b
assert b["installs_without_cleanup"][0]["packages"] == ["gcc", "make"], b
assert a["layers"] < b["layers"] and a["installs_without_cleanup"] == [], a
assert "copies" not in b, b
'
"$bin" --stats --format json --context ctx -- -dash.Dockerfile -dash.Dockerfile >stats2.json; rc=$?
check "--stats --context: two files, two lines" test "$rc:$(wc -l <stats2.json)" = "0:2"
check "--stats --context measures COPY" python3 -c '
import json
o = json.loads(open("stats2.json").readline())
c = o["after"]["copies"]
assert len(c) == 1 and c[0]["instruction"] == "COPY . /src", c
# ctx holds .dockerignore (11 bytes) and Makefile (5); src/main.c is ignored
assert (c[0]["files"], c[0]["bytes"], c[0]["complete"]) == (2, 16, True), c
'
check "--stats --context text lists the COPY" bash -c "'$bin' --stats --context ctx -- -dash.Dockerfile | grep -qE '^    line [0-9]+: COPY \\. /src: 2 files, 16 B$'"
check "--stats -i is a usage error" test "$(status "$bin" --stats -i -- -dash.Dockerfile)" = 2
check "--stats --diff is a usage error" test "$(status "$bin" --stats --diff -- -dash.Dockerfile)" = 2
check "--stats --emit=json is a usage error" test "$(status "$bin" --stats --emit=json -- -dash.Dockerfile)" = 2
check "--format without --stats is a usage error" test "$(status "$bin" --format=json -- -dash.Dockerfile)" = 2
check "--format=xml is a usage error" test "$(status "$bin" --stats --format=xml -- -dash.Dockerfile)" = 2
check "--stats on a parse error exits 2" test "$(status "$bin" --stats bad.Dockerfile)" = 2

echo "conventions: $pass passed, $fail failed"
[ "$fail" = 0 ]
