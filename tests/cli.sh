#!/usr/bin/env bash
# The dfopt command as a user drives it: modes, exit codes, in-place safety, diffs that apply.
#   tests/cli.sh BIN
set -u
bin=${1:?usage: tests/cli.sh BIN}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
tmp=$(mktemp -d); trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { # check NAME COMMAND...: the command must succeed
    local name=$1; shift
    if "$@" >"$tmp/log" 2>&1; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "$name ... FAILED"; sed 's/^/    /' "$tmp/log" | head -20; fi
}
status() { "$@" >/dev/null 2>&1; echo $?; }

cat >"$tmp/clean.Dockerfile" <<'EOF'
FROM alpine:3.20
RUN echo hello
EOF
cat >"$tmp/dirty.Dockerfile" <<'EOF'
# a comment
FROM debian:bookworm
MAINTAINER Jane Doe <jane@example.com>
RUN echo hello
EOF
printf 'FROM alpine\nENV ONLYKEY\n' >"$tmp/bad.Dockerfile"

check "--version" bash -c "'$bin' --version | grep -q '^dfopt '"
check "--help" bash -c "'$bin' --help | grep -q '^usage: dfopt'"
check "unknown option exits 2" test "$(status "$bin" --frobnicate)" = 2
check "unknown pass exits 2" test "$(status "$bin" --passes=nope "$tmp/clean.Dockerfile")" = 2
check "--list-passes" bash -c "'$bin' --list-passes | grep -q '^maintainer '"
check "--explain" bash -c "'$bin' --explain maintainer | grep -q 'Refuses\\|refuses'"
check "--explain unknown exits 2" test "$(status "$bin" --explain nope)" = 2
check "--context not a directory exits 2" test "$(status "$bin" --context /nonexistent/dfopt "$tmp/clean.Dockerfile")" = 2
# The build context's .dockerignore is read only when a pass asks about the context (an ADD of
# a local file does; a file without COPY or ADD never makes one ask).
mkdir -p "$tmp/ctx-none" "$tmp/ctx-add"
printf 'FROM alpine:3.19\nRUN echo hi\n' >"$tmp/ctx-none/Dockerfile"
printf 'FROM alpine:3.19\nADD app.conf /etc/app.conf\n' >"$tmp/ctx-add/Dockerfile"
opens() { strace -f -qq -e trace=openat -o "$tmp/opens" "$bin" -O1 "$1" >/dev/null 2>&1; grep -c dockerignore "$tmp/opens"; }
check "no pass asks about the context: its .dockerignore is not opened" test "$(opens "$tmp/ctx-none/Dockerfile")" = 0
check "add-to-copy asks: .dockerignore is opened once" test "$(opens "$tmp/ctx-add/Dockerfile")" = 1
# the build context: the file's directory by default, none for standard input
mkdir -p "$tmp/ctx" && printf 'module example.com/x\n' >"$tmp/ctx/go.mod"
printf 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN go build -o /x .\n' >"$tmp/ctx/Dockerfile"
check "--context default: the file's directory" bash -c "'$bin' -O2 '$tmp/ctx/Dockerfile' | grep -q '^COPY go.mod ./\$'"
check "--context DIR" bash -c "cp '$tmp/ctx/Dockerfile' '$tmp/elsewhere.Dockerfile' && '$bin' -O2 --context '$tmp/ctx' '$tmp/elsewhere.Dockerfile' | grep -q '^COPY go.mod ./\$'"
check "no context for stdin" bash -c "! '$bin' -O2 - <'$tmp/ctx/Dockerfile' | grep -q '^COPY go.mod'"

check "-O0 identity" cmp <("$bin" -O0 "$tmp/dirty.Dockerfile") "$tmp/dirty.Dockerfile"
check "stdin" cmp <("$bin" -O0 - <"$tmp/dirty.Dockerfile") "$tmp/dirty.Dockerfile"
check "stdin by default" cmp <("$bin" -O0 <"$tmp/dirty.Dockerfile") "$tmp/dirty.Dockerfile"
check "process substitution" cmp <("$bin" -O0 <(cat "$tmp/dirty.Dockerfile")) "$tmp/dirty.Dockerfile"
check "-O1 rewrites" bash -c "'$bin' '$tmp/dirty.Dockerfile' | grep -q '^LABEL maintainer=\"Jane Doe <jane@example.com>\"$'"

check "--check clean exits 0 silently" bash -c "[ -z \"\$('$bin' --check '$tmp/clean.Dockerfile')\" ] && '$bin' --check '$tmp/clean.Dockerfile'"
check "--check dirty exits 1" test "$(status "$bin" --check "$tmp/dirty.Dockerfile")" = 1
check "--check dirty prints nothing" test -z "$("$bin" --check "$tmp/dirty.Dockerfile")"
check "--check -O0 exits 0" test "$(status "$bin" --check -O0 "$tmp/dirty.Dockerfile")" = 0

# --diff applies with patch -p1 and git apply, giving dfopt's output
mkdir -p "$tmp/p" && cp "$tmp/dirty.Dockerfile" "$tmp/p/Dockerfile"
(cd "$tmp/p" && "$bin" --diff Dockerfile >../d.patch)
check "--diff labels" grep -q '^--- a/Dockerfile$' "$tmp/d.patch"
check "--diff applies (patch -p1)" bash -c "cd '$tmp/p' && patch -s -p1 <../d.patch && cmp Dockerfile <('$bin' '$tmp/dirty.Dockerfile')"
cp "$tmp/dirty.Dockerfile" "$tmp/p/Dockerfile"
check "--diff applies (git apply)" bash -c "cd '$tmp/p' && git apply ../d.patch && cmp Dockerfile <('$bin' '$tmp/dirty.Dockerfile')"
check "--diff clean prints nothing" test -z "$("$bin" --diff "$tmp/clean.Dockerfile")"

# -i: atomic, mode kept, untouched when unchanged or on error
cp "$tmp/dirty.Dockerfile" "$tmp/i.Dockerfile" && chmod 640 "$tmp/i.Dockerfile"
check "-i exits 0" "$bin" -i "$tmp/i.Dockerfile"
check "-i rewrote" cmp "$tmp/i.Dockerfile" <("$bin" "$tmp/dirty.Dockerfile")
check "-i keeps the mode" test "$(stat -c %a "$tmp/i.Dockerfile")" = 640
check "-i leaves no temporary" test -z "$(find "$tmp" -name '.dfopt-*')"
cp "$tmp/clean.Dockerfile" "$tmp/c.Dockerfile" && touch -d '2020-01-01' "$tmp/c.Dockerfile"
before=$(stat -c '%i %Y' "$tmp/c.Dockerfile")
check "-i unchanged file untouched" bash -c "'$bin' -i '$tmp/c.Dockerfile' && test \"\$(stat -c '%i %Y' '$tmp/c.Dockerfile')\" = '$before'"
cp "$tmp/bad.Dockerfile" "$tmp/b.Dockerfile"
check "-i parse error exits 2" test "$(status "$bin" -i "$tmp/b.Dockerfile")" = 2
check "-i parse error leaves file" cmp "$tmp/b.Dockerfile" "$tmp/bad.Dockerfile"
cp "$tmp/dirty.Dockerfile" "$tmp/m1.Dockerfile"; cp "$tmp/bad.Dockerfile" "$tmp/m2.Dockerfile"
check "-i several files, one bad, exits 2" test "$(status "$bin" -i "$tmp/m1.Dockerfile" "$tmp/m2.Dockerfile")" = 2
check "-i several files: good one rewritten" cmp "$tmp/m1.Dockerfile" <("$bin" "$tmp/dirty.Dockerfile")
check "-i several files: bad one intact" cmp "$tmp/m2.Dockerfile" "$tmp/bad.Dockerfile"
ln -s dirty.Dockerfile "$tmp/link.Dockerfile"
check "-i refuses a symlink" test "$(status "$bin" -i "$tmp/link.Dockerfile")" = 2
check "-i symlink target intact" cmp "$tmp/dirty.Dockerfile" <(cat "$tmp/link.Dockerfile") 
check "-i symlink still a link" test -L "$tmp/link.Dockerfile"
if [ "$(id -u)" != 0 ]; then
    mkdir "$tmp/ro" && cp "$tmp/dirty.Dockerfile" "$tmp/ro/Dockerfile" && chmod a-w "$tmp/ro"
    check "-i read-only directory exits 2" test "$(status "$bin" -i "$tmp/ro/Dockerfile")" = 2
    check "-i read-only directory leaves file" cmp "$tmp/ro/Dockerfile" "$tmp/dirty.Dockerfile"
fi
check "-i on stdin is a usage error" test "$(status "$bin" -i - </dev/null)" = 2

# -o
check "-o writes the result" bash -c "'$bin' -o '$tmp/out.Dockerfile' '$tmp/dirty.Dockerfile' && cmp '$tmp/out.Dockerfile' <('$bin' '$tmp/dirty.Dockerfile')"

# errors
check "parse error exits 2" test "$(status "$bin" "$tmp/bad.Dockerfile")" = 2
# A pass warns again in each round; an instruction another pass has rewritten since (keyword-case
# here) keeps its line: the warning is said once, where the user wrote the instruction.
printf 'FROM alpine\nadd https://example.com/x /x\nCOPY --from=${X} /a /a\n' >"$tmp/recased.Dockerfile"
check "a warning about a rewritten instruction: once, at its place" bash -c "
    '$bin' -O1 '$tmp/recased.Dockerfile' 2>'$tmp/recased.err' >/dev/null
    test \$(grep -c 'warning:' '$tmp/recased.err') = 1 &&
    grep -q '^$tmp/recased.Dockerfile:2:5: warning: ADD of a remote file' '$tmp/recased.err'"
printf 'FROM golang:1.22\nworkdir /src\nCOPY . .\nshell ["/bin/bash", "-c"]\nRUN go build -o /app .\n' >"$tmp/ms-shell.Dockerfile"
check "a note about a rewritten instruction names its line" bash -c "
    '$bin' -O2 --passes=keyword-case,multistage '$tmp/ms-shell.Dockerfile' 2>&1 >/dev/null |
        grep -q '^$tmp/ms-shell.Dockerfile:4:1: note: multistage: not split: line 4: SHELL'"
check "parse error format" bash -c "'$bin' '$tmp/bad.Dockerfile' 2>&1 >/dev/null | head -1 | grep -q '^$tmp/bad.Dockerfile:2:5: error: '"
check "missing file exits 2" test "$(status "$bin" "$tmp/nope")" = 2
check "directory exits 2" bash -c "'$bin' '$tmp' 2>&1 | grep -q 'is a directory'; test \${PIPESTATUS[0]} = 2"
check "--emit=dump" bash -c "'$bin' --emit=dump '$tmp/clean.Dockerfile' | cmp - <(printf '(from \"alpine:3.20\")\n(run \"echo hello\")\n')"
check "--emit=json" bash -c "'$bin' --emit=json '$tmp/clean.Dockerfile' | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"instructions\"][1][\"instruction\"][\"args\"][0][\"value\"]==\"echo hello\"'"

# many files: spread over worker processes (parallel.c), yet stdout, stderr and the exit status
# are exactly those of doing the files in turn (DFOPT_JOBS=1); a bad file in the middle
many() {
    local jobs=$1; shift
    DFOPT_JOBS=$jobs "$bin" "$@" >"$tmp/many$jobs.out" 2>"$tmp/many$jobs.err"
    echo $? >"$tmp/many$jobs.rc"
}
mkdir -p "$tmp/many"
for i in $(seq -w 1 24); do
    if [ "$i" = 13 ]; then cp "$tmp/bad.Dockerfile" "$tmp/many/$i.Dockerfile"
    elif [ $((10#$i % 2)) = 0 ]; then cp "$tmp/dirty.Dockerfile" "$tmp/many/$i.Dockerfile"
    else printf 'FROM alpine:3.%s\nMAINTAINER m%s\n' "$i" "$i" >"$tmp/many/$i.Dockerfile"; fi
done
for mode in -O1 --emit=dump --diff --check; do
    check "many files $mode: same as one at a time" bash -c "
        $(declare -f many); bin='$bin' tmp='$tmp'
        many 1 $mode '$tmp'/many/*.Dockerfile; many 4 $mode '$tmp'/many/*.Dockerfile
        cmp '$tmp/many1.out' '$tmp/many4.out' && cmp '$tmp/many1.err' '$tmp/many4.err' &&
        cmp '$tmp/many1.rc' '$tmp/many4.rc' && grep -q '13.Dockerfile:2:5: error' '$tmp/many4.err' &&
        test \"\$(cat '$tmp/many4.rc')\" = 2"
done
check "many files -O1: every file's output, in order" bash -c "
    cmp <(DFOPT_JOBS=4 '$bin' '$tmp'/many/*.Dockerfile 2>/dev/null) \\
        <(for f in '$tmp'/many/*.Dockerfile; do '$bin' \"\$f\" 2>/dev/null; done)"

# --heredoc: merged RUNs become heredocs with the same script; never without the option
printf 'FROM debian:bookworm\n# refresh\nRUN apt-get update\nRUN apt-get install -y \\\n    curl\n' >"$tmp/hd.Dockerfile"
check "no heredoc without --heredoc" bash -c "! '$bin' '$tmp/hd.Dockerfile' | grep -q '<<'"
"$bin" --heredoc "$tmp/hd.Dockerfile" >"$tmp/hd.out" 2>&1
check "--heredoc writes a heredoc" grep -qx 'RUN <<EOF' "$tmp/hd.out"
check "--heredoc keeps the script" grep -qx 'apt-get update &&     apt-get install -y     curl &&     rm -rf /var/lib/apt/lists/\*' "$tmp/hd.out"
check "--heredoc keeps the comment" grep -qx '# refresh' "$tmp/hd.out"
check "--heredoc output re-parses" "$bin" --emit=dump "$tmp/hd.out"
check "--heredoc is idempotent" bash -c "'$bin' --heredoc '$tmp/hd.out' | cmp - '$tmp/hd.out'"

# a last instruction continued into the end of the file: printed back, not optimized, a note
printf 'FROM alpine:3.20\nRUN apk add curl\nRUN echo hi \\\n' >"$tmp/open.Dockerfile"
check "open continuation at the end: output unchanged, exit 0" bash -c "
    '$bin' -O2 '$tmp/open.Dockerfile' 2>'$tmp/open.err' | cmp - '$tmp/open.Dockerfile'"
check "open continuation at the end: the note says why" \
    grep -q "open.Dockerfile: not optimized: the line continuation of its last instruction" "$tmp/open.err"

# -O0 and --emit=dump read a document one instruction at a time: the same diagnostics as the
# full reading, and nothing on standard output when the file does not parse
bad_dir=$(cd "$(dirname "$0")/bad" && pwd)
for f in "$bad_dir"/*.Dockerfile; do
    want=${f%.Dockerfile}.stderr
    for mode in -O0 --emit=dump; do
        check "$(basename "$f") $mode: exit 2, no output, the same diagnostics" bash -c "
            cd '$(dirname "$f")' && '$bin' $mode '$(basename "$f")' >'$tmp/bad.out' 2>'$tmp/bad.err'
            test \$? = 2 && test ! -s '$tmp/bad.out' && cmp '$tmp/bad.err' '$want'"
    done
done

echo "cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
