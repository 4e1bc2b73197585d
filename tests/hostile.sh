#!/usr/bin/env bash
# Hostile and broken input: what dfopt accepts (byte for byte, as BuildKit's parser does) and
# what it refuses (exit 2, a clear message), with no crash and bounded output either way.
#
#   tests/hostile.sh BIN          RSS=1 tests/hostile.sh BIN   also prints each case's peak RSS
#
# One row per case below: the input is made by gen_<name> (FILE is its path), the command is
# dfopt with the given arguments, and the exit status and stderr (an extended regex, FILE standing
# for the path; - for no constraint) must match. Every case also requires stderr to stay under
# 4 KiB (a diagnostic on a 10 MB line shows a window of it) and to hold no escape character
# (control characters in the input are shown as '?'). The check column adds:
#   roundtrip   -O0 printed the input byte for byte; -O2 succeeds and its output re-parses
#   stdout:S    stdout contains the fixed string S
#   json        stdout is one JSON document
set -u
bin=${1:?usage: tests/hostile.sh BIN}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
[ -x "$bin" ] || { echo "hostile: $bin: not an executable"; exit 2; }
tmp=$(mktemp -d); trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
pass=0 fail=0
ok() { pass=$((pass + 1)); [ -n "${VERBOSE:-}" ] && echo "$1 ... ok"; return 0; }
bad() { fail=$((fail + 1)); echo "$1 ... FAILED${2:+: $2}"; }

py() { python3 -c "import sys; out = sys.stdout.buffer; $1"; }

# ---- the inputs ----
gen_nul_bytes() { printf 'FROM alpine\nRUN echo a\0b\nLABEL x="\0"\n# c\0mment\n'; }
gen_nul_in_keyword() { printf 'FROM alpine\nRU\0N echo hi\n'; }
gen_invalid_utf8() {
    printf 'FROM alpine\n# \xff\xfe comment\nRUN echo \xc3\x28 \xe2\x82\n'
    printf 'LABEL k=\xff v2="\xc0\xaf"\nENV \xfe=1\nARG A\xf8=2\nCOPY \xed\xa0\x80 /x\n'
    printf 'RUN <<E\xff\nbody \x80\nE\xff\n'
}
gen_long_line_10mb() { py "out.write(b'FROM alpine\nRUN echo ' + b'a' * (10 << 20) + b'\n')"; }
gen_long_line_error() { py "out.write(b'FROM alpine\nENV ' + b'k' * (10 << 20) + b'\n')"; }
gen_continuations_100k() { py "out.write(b'FROM alpine\nRUN echo \\\\\n' + b'  a \\\\\n' * 100000 + b'  end\n')"; }
gen_heredocs_10k() { py "out.write(b'FROM alpine\n' + b''.join(b'RUN <<EOF\necho %d\nEOF\n' % i for i in range(10000)))"; }
gen_heredocs_10k_one_line() {
    py "out.write(b'FROM alpine\nRUN cat ' + b' '.join(b'<<E%d' % i for i in range(10000)) + b'\n' + b''.join(b'line %d\nE%d\n' % (i, i) for i in range(10000)))"
}
gen_onbuild_onbuild() { printf 'FROM alpine\nONBUILD ONBUILD RUN make\n'; }
gen_onbuild_chain_100k() { py "out.write(b'FROM alpine\n' + b'ONBUILD ' * 100000 + b'RUN x\n')"; }
gen_onbuild_from() { printf 'FROM alpine\nONBUILD FROM debian\n'; }
gen_onbuild_maintainer() { printf 'FROM alpine\nonbuild maintainer someone\n'; }
gen_unterminated_quote_run() { printf 'FROM alpine\nRUN echo "never closed\nRUN echo '"'"'nor this\n'; }
gen_unterminated_quote_env() { printf 'FROM alpine\nENV A="open B=2\nLABEL l='"'"'x\nARG C="y\n'; }
gen_unterminated_heredoc() { printf 'FROM alpine\nRUN <<EOF\necho never closed\n'; }
gen_unterminated_heredoc_long() { py "out.write(b'FROM alpine\nRUN <<' + b'E' * (1 << 20) + b'\necho\n')"; }
gen_json_odd_escapes() {
    printf '%s\n' 'FROM alpine' 'CMD ["a\u0000b", "\ud83d\ude00", "\/", "\ud800"]' \
        'ENTRYPOINT ["\x41", "not json"]' 'RUN ["sh", "-c",]' 'SHELL ["a\"b", "\\"]'
}
gen_json_non_string() { printf 'FROM alpine\nCMD ["ok", 1, null]\n'; }
gen_json_deep() { py "out.write(b'FROM alpine\nCMD ' + b'[' * 100000 + b']' * 100000 + b'\n')"; }
gen_variable_nesting_deep() { py "out.write(b'ARG V=' + b'\${A:-' * 100000 + b'}' * 100000 + b'\nFROM \$V\nENV X=\$V\n')"; }
gen_unknown_builder_flag() { printf 'FROM --frobnicate=1 alpine\nCOPY --nope a b\nRUN --bogus=x echo\n'; }
gen_escape_sequences() { printf 'FROM alpine\nENV \033[31mRED\033]0;title\007\n'; }
gen_crlf_and_lone_cr() { printf 'FROM alpine\r\nRUN echo a\rb\r\nRUN echo c \\\r\n  d\r\n'; }
gen_many_stages_20k() {
    py "out.write(b'FROM alpine AS s0\n' + b''.join(b'FROM alpine AS s%d\nCOPY --from=s%d /a /a\n' % (i, i - 1) for i in range(1, 20000)))"
}
gen_empty() { :; }
gen_bom_only() { printf '\xef\xbb\xbf'; }
gen_comments_only() { printf '# syntax=docker/dockerfile:1\n# nothing else\n\n'; }
gen_lint_hostile() { gen_invalid_utf8; gen_nul_bytes; printf 'MAINTAINER \033[2J\xff\n'; }

# ---- the table ----
#   name                        | arguments                  | exit | stderr (ERE)                                                    | check
cases=$(cat <<'EOF'
nul-bytes                     | -O0 FILE                   | 0    | -                                                                | roundtrip
nul-in-keyword                | -O0 FILE                   | 0    | -                                                                | roundtrip
invalid-utf8                  | -O0 FILE                   | 0    | -                                                                | roundtrip
long-line-10mb                | -O0 FILE                   | 0    | -                                                                | roundtrip
long-line-error               | FILE                       | 2    | ^FILE:2:5: error: ENV must have two arguments$                  | -
continuations-100k            | -O0 FILE                   | 0    | -                                                                | roundtrip
heredocs-10k                  | -O0 FILE                   | 0    | -                                                                | roundtrip
heredocs-10k-one-line         | -O0 FILE                   | 0    | -                                                                | roundtrip
onbuild-onbuild               | FILE                       | 2    | ^FILE:2:9: error: chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed$ | -
onbuild-chain-100k            | FILE                       | 2    | ^FILE:2:9: error: chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed$ | -
onbuild-from                  | FILE                       | 2    | ^FILE:2:9: error: FROM isn't allowed as an ONBUILD trigger$      | -
onbuild-maintainer            | FILE                       | 2    | ^FILE:2:9: error: MAINTAINER isn't allowed as an ONBUILD trigger$ | -
unterminated-quote-run        | -O0 FILE                   | 0    | -                                                                | roundtrip
unterminated-quote-env        | -O0 FILE                   | 0    | -                                                                | roundtrip
unterminated-heredoc          | FILE                       | 2    | ^FILE:2:5: error: unterminated heredoc: no line "EOF" closes the heredoc opened on line 2$ | -
unterminated-heredoc-long     | FILE                       | 2    | ^FILE:2:5: error: unterminated heredoc: no line "E+\.\.\.\[[0-9]+ bytes\]\.\.\.E+" closes | -
json-odd-escapes              | --emit=dump FILE           | 0    | -                                                                | stdout:(cmd "a\x00b" "😀" "/" "�")
json-odd-escapes-text         | -O0 FILE                   | 0    | -                                                                | roundtrip
json-non-string               | FILE                       | 2    | ^FILE:2:5: error: when using JSON array syntax, arrays must be comprised of strings only$ | -
json-deep                     | -O0 FILE                   | 0    | -                                                                | roundtrip
variable-nesting-deep         | -O0 FILE                   | 0    | -                                                                | roundtrip
unknown-builder-flag          | -O0 FILE                   | 0    | -                                                                | roundtrip
unknown-option                | --frobnicate FILE          | 2    | ^dfopt: unknown option '--frobnicate'$                           | -
escape-sequences              | FILE                       | 2    | ^FILE:2:5: error: ENV must have two arguments$                  | -
crlf-and-lone-cr              | -O0 FILE                   | 0    | -                                                                | roundtrip
many-stages-20k               | -O0 FILE                   | 0    | -                                                                | roundtrip
empty                         | FILE                       | 2    | error: file with no instructions$                                | -
bom-only                      | FILE                       | 2    | error: file with no instructions$                                | -
comments-only                 | FILE                       | 2    | error: file with no instructions$                                | -
directory                     | FILE                       | 2    | ^dfopt: FILE: is a directory$                                    | -
missing                       | FILE                       | 2    | ^dfopt: FILE: No such file or directory$                         | -
unreadable                    | FILE                       | 2    | ^dfopt: FILE: Permission denied$                                 | -
over-1gib                     | FILE                       | 2    | ^dfopt: FILE: larger than the 1 GiB input limit$                 | -
process-substitution          | -O0 <(cat FILE)            | 0    | -                                                                | stdout:RUN echo hi
lint-hostile                  | lint --format=json FILE    | 1    | -                                                                | json
EOF
)
gen_json_odd_escapes_text() { gen_json_odd_escapes; }
gen_unknown_option() { printf 'FROM alpine\n'; }
gen_directory() { :; }   # made below: FILE is a directory
gen_missing() { :; }
gen_unreadable() { printf 'FROM alpine\n'; }
gen_over_1gib() { :; }
gen_process_substitution() { printf 'FROM alpine\nRUN echo hi\n'; }

# ---- running a case ----
rss_of() { # rss_of CMD...: runs it under /usr/bin/time when there is one; prints peak RSS in KB
    if [ -x /usr/bin/time ]; then /usr/bin/time -f '%M' -o "$tmp/rss" "$@"; local rc=$?; RSS_KB=$(tail -1 "$tmp/rss"); return $rc; fi
    RSS_KB=?; "$@"
}

while IFS='|' read -r name args want pattern check; do
    name=$(echo $name) args=$(echo $args) want=$(echo $want) check=$(echo "$check" | sed 's/^ *//; s/ *$//')
    pattern=$(echo "$pattern" | sed 's/^ *//; s/ *$//')
    [ -n "$name" ] || continue
    file=$tmp/$name.Dockerfile
    fn=gen_${name//-/_}
    "$fn" >"$file" || { bad "$name" "generator failed"; continue; }
    case $name in
    directory) rm "$file"; mkdir "$file" ;;
    missing) rm "$file" ;;
    over-1gib) truncate -s 1025M "$file" ;;   # sparse: takes no disk space
    esac
    runner=()
    if [ "$name" = unreadable ]; then
        chmod 000 "$file"
        # root reads whatever the mode: read it as nobody then (a copy of the binary it can run)
        if [ "$(id -u)" = 0 ]; then
            cp "$bin" "$tmp/dfopt-copy"; chmod 755 "$tmp/dfopt-copy"
            runner=(setpriv --reuid=65534 --regid=65534 --clear-groups)
        fi
    fi
    exe=$bin; [ ${#runner[@]} -gt 0 ] && exe=$tmp/dfopt-copy
    cmdline=${args//FILE/\"\$file\"}
    eval "rss_of \"\${runner[@]}\" \"\$exe\" $cmdline" >"$tmp/out" 2>"$tmp/err"; rc=$?
    [ -n "${RSS:-}" ] && printf '%-28s exit %s  peak RSS %s KB  input %s bytes\n' "$name" "$rc" "$RSS_KB" "$(stat -c %s "$file" 2>/dev/null || echo -)"
    why=""
    if [[ ! $rc =~ ^($want)$ ]]; then why="exit $rc, want $want"
    elif [ "$(stat -c %s "$tmp/err")" -gt 4096 ]; then why="stderr is $(stat -c %s "$tmp/err") bytes"
    elif grep -q $'\033' "$tmp/err"; then why="an escape character reached stderr"
    elif [ "$pattern" != - ] && ! head -1 "$tmp/err" | grep -qE -- "${pattern//FILE/$file}"; then
        why="stderr does not match /$pattern/: $(head -c 300 "$tmp/err")"
    fi
    if [ -z "$why" ]; then
        case $check in
        roundtrip)
            if ! cmp -s "$tmp/out" "$file"; then why="-O0 did not print the input back byte for byte"
            elif ! "$bin" -O2 "$file" >"$tmp/o2" 2>"$tmp/err2"; then why="-O2 failed: $(head -c 300 "$tmp/err2")"
            elif ! "$bin" --emit=dump "$tmp/o2" >/dev/null 2>"$tmp/err2"; then why="the -O2 output does not parse: $(head -c 300 "$tmp/err2")"
            fi ;;
        stdout:*) grep -qF -- "${check#stdout:}" "$tmp/out" || why="stdout lacks '${check#stdout:}'" ;;
        json) python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out" 2>/dev/null || why="stdout is not JSON" ;;
        -) ;;
        *) why="unknown check '$check'" ;;
        esac
    fi
    if [ -z "$why" ]; then ok "$name"; else bad "$name" "$why"; fi
    rm -rf "$file" "$tmp/o2"
done <<<"$cases"

echo "hostile: $pass passed, $fail failed"
[ "$fail" = 0 ]
