#!/usr/bin/env bash
# What a packager and a user of the installed dfopt see:
#   - `make install` into a temporary DESTDIR puts the command, both libraries, the header,
#     dfopt.pc, the man page and the completions where PREFIX says, and `make uninstall`
#     removes all of it;
#   - the shared library has its soname and exports exactly the DF_API functions of dfopt.h;
#   - examples/parse_print.c builds against the installed library with
#     `pkg-config --cflags --libs dfopt` and prints what the installed dfopt prints;
#   - dfopt.1 and the bash, zsh and fish completions know every long option of `dfopt --help`
#     (and of `dfopt lint|gen|graph --help`) and every pass of `--list-passes`; dfopt.1 also
#     every rule of `dfopt lint --list-rules`.
#
#   tests/install.sh BIN      BIN's directory is the build directory that is installed.
# CC and SAN (set by `make test`) compile the example the way the library was compiled.
set -u
bin=${1:?usage: tests/install.sh BIN}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
build=$(dirname "$bin"); build=${build#"$top"/}
cc=${CC:-cc} san=${SAN:-}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest prefix=/usr
pass=0 fail=0
ok() { pass=$((pass + 1)); return 0; }
bad() { fail=$((fail + 1)); echo "$1 ... FAILED${2:+: $2}"; }
# has_words "LIST" WORD...: every WORD is one of the blank-separated words of LIST
has_words() { local l=" $1 " w; shift; for w; do [[ $l == *" $w "* ]] || return 1; done; }
check() { # check NAME COMMAND...: the command must succeed
    local name=$1; shift
    if "$@" >"$tmp/log" 2>&1; then ok; else bad "$name"; sed 's/^/    /' "$tmp/log" | head -20; fi
}
# a clean environment for make: no jobserver or variables from an enclosing make
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -C "$top" \
    BUILD="$build" CC="$cc" SAN="$san" PREFIX="$prefix" DESTDIR="$dest" "$@"; }

# ---- make install ----
if ! mk install >"$tmp/log" 2>&1; then
    bad "make install" "$(tail -20 "$tmp/log")"
    echo "install: $pass passed, $fail failed"; exit 1
fi
ok
root=$dest$prefix
for f in bin/dfopt lib/libdfopt.a lib/libdfopt.so.0 include/dfopt.h lib/pkgconfig/dfopt.pc \
    share/man/man1/dfopt.1 share/bash-completion/completions/dfopt \
    share/zsh/site-functions/_dfopt share/fish/vendor_completions.d/dfopt.fish; do
    if [ -f "$root/$f" ]; then ok; else bad "installed $prefix/$f" "missing"; fi
done
check "lib/libdfopt.so -> libdfopt.so.0" test "$(readlink "$root/lib/libdfopt.so")" = libdfopt.so.0
check "installed binary is executable" test -x "$root/bin/dfopt"
check "soname" bash -c "readelf -d '$root/lib/libdfopt.so.0' | grep -q 'SONAME.*\\[libdfopt.so.0\\]'"

# the shared library exports exactly the functions dfopt.h declares with DF_API
sed -n 's/^DF_API .*[ *]\(df_[a-z_]*\)(.*/\1/p' "$root/include/dfopt.h" | LC_ALL=C sort >"$tmp/api"
nm -D --defined-only "$root/lib/libdfopt.so.0" | awk '$2 ~ /^[TDBRVW]$/ { print $3 }' |
    LC_ALL=C sort >"$tmp/exports"
if [ "$(wc -l <"$tmp/api")" -ge 10 ] && cmp -s "$tmp/api" "$tmp/exports"; then ok
else bad "exports = DF_API declarations" "$(diff "$tmp/api" "$tmp/exports" | head -20)"; fi
# and every DF_API function has a comment right above its declaration
undocumented=$(awk '/^DF_API/ && prev !~ /\*\/[ ]*$/ { print } { if ($0 !~ /^[ ]*$/) prev = $0 }' \
    "$root/include/dfopt.h")
if [ -z "$undocumented" ]; then ok; else bad "every public function documented" "$undocumented"; fi

# ---- pkg-config, the example, the installed command ----
export PKG_CONFIG_PATH=$root/lib/pkgconfig
version=$("$root/bin/dfopt" --version 2>&1)
check "dfopt --version = dfopt.pc version" test "$version" = "dfopt $(pkg-config --modversion dfopt)"
check "dfopt.pc prefix is PREFIX" test "$(pkg-config --variable=prefix dfopt)" = "$prefix"
flags=$(pkg-config --define-prefix --cflags --libs dfopt)
check "pkg-config --define-prefix finds DESTDIR" has_words "$flags" -I"$root/include" -L"$root/lib" -ldfopt
flags_sysroot=$(PKG_CONFIG_SYSROOT_DIR=$dest pkg-config --cflags --libs dfopt)
check "PKG_CONFIG_SYSROOT_DIR finds DESTDIR" has_words "$flags_sysroot" -I"$root/include" -L"$root/lib" -ldfopt
# shellcheck disable=SC2086 # flags are words
if $cc $san -std=c11 -Wall -Wextra -Werror examples/parse_print.c $flags -o "$tmp/parse_print" \
    >"$tmp/log" 2>&1; then ok; else bad "example builds with pkg-config" "$(head -20 "$tmp/log")"; fi
check "example links the shared library" bash -c \
    "readelf -d '$tmp/parse_print' | grep -q 'NEEDED.*\\[libdfopt.so.0\\]'"
for f in corpus/node-express-npm.Dockerfile corpus/c-make-debian-bullseye.Dockerfile; do
    LD_LIBRARY_PATH=$root/lib "$tmp/parse_print" "$f" >"$tmp/ex.out" 2>"$tmp/ex.err"; rc=$?
    "$root/bin/dfopt" "$f" >"$tmp/cmd.out" 2>/dev/null
    if [ $rc = 0 ] && cmp -s "$tmp/ex.out" "$tmp/cmd.out" && ! cmp -s "$tmp/ex.out" "$f"; then ok
    else bad "example = installed dfopt on $f" "exit $rc; $(diff "$tmp/cmd.out" "$tmp/ex.out" | head -10)"; fi
done
LD_LIBRARY_PATH=$root/lib "$tmp/parse_print" corpus/node-express-npm.Dockerfile 2>"$tmp/ex.err" >/dev/null
check "example: pass_fired callback" grep -qx 'changed by maintainer' "$tmp/ex.err"
check "example: df_version of the loaded library" grep -qx "lib$version" "$tmp/ex.err"
printf 'FROM alpine\nENV ONLYKEY\n' >"$tmp/bad.Dockerfile"
LD_LIBRARY_PATH=$root/lib "$tmp/parse_print" "$tmp/bad.Dockerfile" >/dev/null 2>"$tmp/ex.err"
check "example: parse error exits 2" test $? = 2
check "example: diagnostic printed" grep -q 'bad.Dockerfile:2:5: error: ENV must have two arguments' "$tmp/ex.err"
check "installed dfopt = built dfopt" cmp <("$root/bin/dfopt" -O2 corpus/node-express-npm.Dockerfile) \
    <("$bin" -O2 corpus/node-express-npm.Dockerfile)
check "installed dfopt --stats" bash -c "'$root/bin/dfopt' --stats corpus/node-express-npm.Dockerfile | grep -q 'passes fired: .*maintainer'"

# ---- the man page ----
man=$root/share/man/man1/dfopt.1
check "dfopt.1 renders without warnings" bash -c "groff -man -ww -z '$man' 2>&1 | { ! grep .; }"
check "man -l dfopt.1" bash -c "MANWIDTH=80 man -l '$man' 2>&1 | grep -q '^EXIT STATUS'"

# ---- the options, passes and rules of the binary, against the man page and completions ----
# Long options: from the usage lines and the option lines (those starting with blanks and -)
# of a help text, not from its prose (which may name Dockerfile flags like COPY --from).
long_options() {
    grep -E '^(usage:|[[:space:]]+(-|dfopt ))' | grep -oE -- '--[a-z][a-z0-9-]*' | LC_ALL=C sort -u
}
"$bin" --help | grep -vE '^[[:space:]]+dfopt (lint|gen|graph)' | long_options >"$tmp/opts.main"
subs=""
for sub in lint gen graph; do
    if "$bin" "$sub" --help >"$tmp/help.$sub" 2>/dev/null; then
        subs="$subs $sub"
        long_options <"$tmp/help.$sub" >"$tmp/opts.$sub"
    fi
done
"$bin" --list-passes | awk 'NR > 1 { print $1 }' >"$tmp/passes"
if [ "$(wc -l <"$tmp/opts.main")" -ge 15 ] && [ "$(wc -l <"$tmp/passes")" -ge 1 ]; then ok
else bad "options and passes read from the binary" "$(cat "$tmp/opts.main" "$tmp/passes")"; fi

# dfopt.1: an option is documented when it is in the tag line of an item (.TP) of its section:
# OPTIONS for dfopt, the `.SS dfopt SUB` subsection for a subcommand.
awk '/^\.SH /    { sec = ($2 == "OPTIONS") ? "main" : "" }
     /^\.SS dfopt / { sec = $3 }
     tag && sec  { gsub(/\\-/, "-"); print sec "\t" $0 }
     { tag = /^\.TP/ }' "$man" >"$tmp/man.tags"
for sec in main $subs; do
    missing=$(while read -r o; do
        grep -q -P "^$sec\t.*\Q$o\E(?![a-z0-9-])" "$tmp/man.tags" || echo "$o"
    done <"$tmp/opts.$sec")
    if [ -z "$missing" ]; then ok; else bad "dfopt.1 documents the options of ${sec/main/dfopt}" "missing: ${missing//$'\n'/ }"; fi
done
missing=$(while read -r p; do grep -qx "\.BR $p \" (.*)\"" "$man" || echo "$p"; done <"$tmp/passes")
if [ -z "$missing" ]; then ok; else bad "dfopt.1 lists every pass" "missing: ${missing//$'\n'/ }"; fi
case " $subs " in *" lint "*)
    "$bin" lint --list-rules | awk 'NR > 1 { print $1 " " $2 }' >"$tmp/rules"
    missing=$(while read -r id name; do grep -qx "\.BR $id \" $name\"" "$man" || echo "$id"; done <"$tmp/rules")
    if [ -s "$tmp/rules" ] && [ -z "$missing" ]; then ok; else bad "dfopt.1 lists every rule" "missing: ${missing//$'\n'/ }"; fi ;;
esac

# bash: what the completion offers, as a user gets it (the script run in bash, TAB simulated)
bashcomp=$root/share/bash-completion/completions/dfopt
complete_bash() { # complete_bash WORD...: the candidates for the last word
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
             _dfopt; printf "%s\n" "${COMPREPLY[@]}"' _ "$bashcomp" "$bin" "$@" 2>/dev/null
}
check "bash -n" bash -n "$bashcomp"
for sec in main $subs; do
    if [ "$sec" = main ]; then complete_bash -- >"$tmp/bash.$sec"; else complete_bash "$sec" -- >"$tmp/bash.$sec"; fi
    missing=$(while read -r o; do grep -qxE -- "$o=?" "$tmp/bash.$sec" || echo "$o"; done <"$tmp/opts.$sec")
    if [ -z "$missing" ]; then ok; else bad "bash completes the options of ${sec/main/dfopt}" "missing: ${missing//$'\n'/ }"; fi
done
complete_bash --passes = "" | LC_ALL=C sort >"$tmp/bash.passes"
if cmp -s "$tmp/bash.passes" <(LC_ALL=C sort "$tmp/passes"); then ok
else bad "bash completes --passes= with exactly the passes" "$(diff <(LC_ALL=C sort "$tmp/passes") "$tmp/bash.passes")"; fi

# fish: the same through `complete -C`
fishcomp=$root/share/fish/vendor_completions.d/dfopt.fish
check "fish -n" fish -n "$fishcomp"
complete_fish() { PATH=$(dirname "$bin"):$PATH fish -c "source '$fishcomp'; complete -C'$1'" | cut -f1; }
for sec in main $subs; do
    if [ "$sec" = main ]; then complete_fish "dfopt --" >"$tmp/fish.$sec"; else complete_fish "dfopt $sec --" >"$tmp/fish.$sec"; fi
    missing=$(while read -r o; do grep -qx -- "$o" "$tmp/fish.$sec" || echo "$o"; done <"$tmp/opts.$sec")
    if [ -z "$missing" ]; then ok; else bad "fish completes the options of ${sec/main/dfopt}" "missing: ${missing//$'\n'/ }"; fi
done
complete_fish "dfopt --passes=" | sed 's/^--passes=//' | LC_ALL=C sort >"$tmp/fish.passes"
if cmp -s "$tmp/fish.passes" <(LC_ALL=C sort "$tmp/passes"); then ok
else bad "fish completes --passes= with exactly the passes" "$(diff <(LC_ALL=C sort "$tmp/passes") "$tmp/fish.passes")"; fi

# zsh: the option specs of each _dfopt_<section> function, and the pass list
zshcomp=$root/share/zsh/site-functions/_dfopt
check "zsh -n" zsh -n "$zshcomp"
for sec in main $subs; do
    awk -v f="_dfopt_$sec() {" '$0 == f { on = 1 } on { print } on && /^}/ { exit }' "$zshcomp" >"$tmp/zsh.$sec"
    missing=$(while read -r o; do grep -qE -- "(^|[^a-z0-9-])$o([^a-z0-9-]|\$)" "$tmp/zsh.$sec" || echo "$o"; done <"$tmp/opts.$sec")
    if [ -s "$tmp/zsh.$sec" ] && [ -z "$missing" ]; then ok
    else bad "zsh completes the options of ${sec/main/dfopt}" "missing: ${missing//$'\n'/ }"; fi
done
awk '/^_dfopt_passes\(\) \{/ { on = 1 } on { print } on && /^}/ { exit }' "$zshcomp" |
    grep -oE '[a-z][a-z0-9-]+' >"$tmp/zsh.words"
missing=$(while read -r p; do grep -qx -- "$p" "$tmp/zsh.words" || echo "$p"; done <"$tmp/passes")
if [ -z "$missing" ]; then ok; else bad "zsh completes every pass" "missing: ${missing//$'\n'/ }"; fi

# ---- make uninstall ----
if mk uninstall >"$tmp/log" 2>&1; then ok; else bad "make uninstall" "$(tail -5 "$tmp/log")"; fi
left=$(find "$dest" ! -type d)
if [ -z "$left" ]; then ok; else bad "make uninstall removes everything" "$left"; fi

echo "install: $pass passed, $fail failed"
[ "$fail" = 0 ]
