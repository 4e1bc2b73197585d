#!/usr/bin/env bash
# The checks over whole files, run by `make test` after the unit tests.
#
#   tests/run.sh BIN [SECTION...]      sections: conformance roundtrip golden graph invariants
#                                      segments shn cli gen lint conventions install fuzz hostile
#                                      faults
#   UPDATE=1 tests/run.sh BIN golden   rewrite the golden files (review the diff!)
#
# Each check prints `name ... ok` or the difference; the script ends with a count and exits 1
# when anything failed. Nothing is skipped: a missing prerequisite is a failure.
set -u
bin=${1:?usage: tests/run.sh BIN [SECTION...]}; shift
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
sections=${*:-conformance roundtrip golden graph invariants segments shn cli gen lint conventions install fuzz hostile faults}
shared=${DFOPT_SHARED:-$top/../shared}
[ -d "$shared/conformance" ] || [ -n "${DFOPT_SHARED:-}" ] || shared=/work/shared   # this workplace's copy
# dfopt checks the IR once after its passes; here, after every pass that changed something
export DFOPT_CHECK_IR=1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); [ -n "${VERBOSE:-}" ] && echo "$1 ... ok"; return 0; }
bad() { fail=$((fail + 1)); echo "$1 ... FAILED${2:+: $2}"; }

corpus_files() { find corpus -name '*.Dockerfile' -type f | LC_ALL=C sort; }
conformance_files() { find "$shared/conformance" -path '*/testfiles/*' -name Dockerfile | LC_ALL=C sort; }

# The build context a file is optimized with: corpus/<name>/ when it exists beside
# corpus/<name>.Dockerfile, else the file's own directory (dfopt's default, made explicit so a
# second run over a copy sees the same context).
context_of() { local d=${1%.Dockerfile}; if [ -d "$d" ]; then echo "$d"; else dirname "$1"; fi; }

need_shared() {
    [ -d "$shared/conformance" ] && return 0
    bad "shared data" "no conformance cases at $shared (set DFOPT_SHARED)"; return 1
}

for section in $sections; do
case $section in
conformance)
    need_shared || continue
    if out=$("$shared/tools/conformance.sh" "$bin" 2>&1); then ok "conformance: ${out##*$'\n'}"
    else bad "conformance" "$out"; fi ;;
roundtrip)
    need_shared || continue
    if out=$("$shared/tools/roundtrip.sh" "$bin" 2>&1); then ok "roundtrip: ${out##*$'\n'}"
    else bad "roundtrip" "$out"; fi
    n=$(corpus_files | wc -l)
    if [ "$n" -ge 40 ]; then ok "corpus size ($n files)"; else bad "corpus size" "$n files, want 40"; fi ;;
golden)
    # corpus/<name>.Dockerfile -> corpus/<name>.O1.golden, corpus/<name>.O2.golden, optimized
    # with the build context corpus/<name>/ when there is one
    while read -r f; do
        stem=${f%.Dockerfile}
        for level in O1 O2; do
            "$bin" "-$level" --context "$(context_of "$f")" "$f" >"$tmp/out" 2>"$tmp/err"; rc=$?
            if [ -n "${UPDATE:-}" ]; then cp "$tmp/out" "$stem.$level.golden"; continue; fi
            if [ $rc != 0 ]; then bad "$stem -$level" "exit $rc: $(cat "$tmp/err")"
            elif [ ! -f "$stem.$level.golden" ]; then bad "$stem -$level" "no $stem.$level.golden (make golden-update)"
            elif cmp -s "$tmp/out" "$stem.$level.golden"; then ok "$stem -$level"
            else bad "$stem -$level" "output differs:"; diff -u "$stem.$level.golden" "$tmp/out" | head -40; fi
        done
    done < <(corpus_files)
    # tests/bad/<name>.Dockerfile -> tests/bad/<name>.stderr: the diagnostics, byte for byte
    for f in tests/bad/*.Dockerfile; do
        [ -f "$f" ] || continue
        want=${f%.Dockerfile}.stderr
        (cd tests/bad && "$bin" "$(basename "$f")" >/dev/null 2>"$tmp/err"); rc=$?
        if [ -n "${UPDATE:-}" ]; then cp "$tmp/err" "$want"; continue; fi
        if [ $rc != 2 ]; then bad "$f" "exit $rc, want 2"
        elif cmp -s "$tmp/err" "$want"; then ok "$f"
        else bad "$f" "diagnostics differ:"; diff -u "$want" "$tmp/err" | head -20; fi
    done ;;
invariants)
    # Over every corpus and conformance file, at every level: the output re-parses, and
    # optimizing the output again changes nothing (idempotence).
    files=$(corpus_files)
    [ -d "$shared/conformance" ] && files="$files"$'\n'"$(conformance_files)"
    while read -r f; do
        ctx=$(context_of "$f")
        for level in O1 O2; do
            if ! "$bin" "-$level" --context "$ctx" "$f" >"$tmp/once" 2>"$tmp/err"; then bad "$f -$level" "$(cat "$tmp/err")"; continue; fi
            if ! "$bin" --emit=dump "$tmp/once" >/dev/null 2>"$tmp/err"; then bad "$f -$level re-parse" "$(cat "$tmp/err")"; continue; fi
            "$bin" "-$level" --context "$ctx" "$tmp/once" >"$tmp/twice" 2>/dev/null
            if cmp -s "$tmp/once" "$tmp/twice"; then ok "$f -$level idempotent"
            else bad "$f -$level idempotent" "second run changed:"; diff -u "$tmp/once" "$tmp/twice" | head -20; fi
        done
    done <<<"$files"
    # Each pass reaches its own fixpoint in one run: the pipeline does not run a pass again on
    # what that pass just produced (api.c), so, run alone again on its output, it must change
    # nothing (--passes=P runs P once when it changes the file).
    passes=$("$bin" --list-passes | awk 'NR > 1 { print $1 }')
    while read -r f; do
        ctx=$(context_of "$f")
        for p in $passes; do
            "$bin" -O2 --passes="$p" --context "$ctx" "$f" >"$tmp/once" 2>/dev/null || continue
            cmp -s "$tmp/once" "$f" && continue # the pass changes nothing here
            "$bin" -O2 --passes="$p" --context "$ctx" "$tmp/once" >"$tmp/twice" 2>/dev/null
            if cmp -s "$tmp/once" "$tmp/twice"; then ok "$f $p alone: one run is a fixpoint"
            else bad "$f $p alone: one run is a fixpoint" "a second run changed:"; diff -u "$tmp/once" "$tmp/twice" | head -20; fi
        done
    done < <(corpus_files)
    # A pass run again looks only at the stages changed since its last run and those tied to
    # them (api.c, df_pass.flags): it must give what running every pass on every stage gives
    # (DFOPT_WALK=all), stdout, diagnostics and exit status alike, over every corpus file (with
    # DFOPT_WALK=changed, as the default does it only from 32 stages on) and over files of
    # many stages (the corpus files joined, twelve at a time).
    same_walks() { # same_walks NAME CONTEXT FILE
        for level in O1 O2; do
            DFOPT_WALK=changed "$bin" "-$level" --context "$2" "$3" >"$tmp/some.out" 2>"$tmp/some.err"
            local rs=$?
            DFOPT_WALK=all "$bin" "-$level" --context "$2" "$3" >"$tmp/all.out" 2>"$tmp/all.err"
            local ra=$?
            if [ $rs = $ra ] && cmp -s "$tmp/some.out" "$tmp/all.out" && cmp -s "$tmp/some.err" "$tmp/all.err"; then
                ok "$1 -$level: changed stages only = every stage"
            else
                bad "$1 -$level: changed stages only = every stage" "exit $rs / $ra:"
                diff -u "$tmp/all.out" "$tmp/some.out" | head -20; diff -u "$tmp/all.err" "$tmp/some.err" | head -10
            fi
        done
    }
    while read -r f; do same_walks "$f" "$(context_of "$f")" "$f"; done < <(corpus_files)
    corpus_files | grep -v -x -F -f <(grep -l -i '^# *escape *=' corpus/*.Dockerfile) |
        split -l 12 - "$tmp/group."
    for g in "$tmp"/group.*; do
        xargs cat <"$g" >"$tmp/joined.Dockerfile"
        same_walks "$(head -1 "$g") and $(($(wc -l <"$g") - 1)) more, joined" corpus "$tmp/joined.Dockerfile"
    done
    rm -f "$tmp"/group.* ;;
graph)
    # tests/graph/<stem>.dot and .mmd: `dfopt graph` of corpus/<stem>.Dockerfile, DOT and Mermaid
    for want in tests/graph/*.dot tests/graph/*.mmd; do
        [ -f "$want" ] || continue
        stem=$(basename "${want%.*}"); fmt=dot; case $want in *.mmd) fmt=mermaid ;; esac
        "$bin" graph --format=$fmt "corpus/$stem.Dockerfile" >"$tmp/out" 2>"$tmp/err"; rc=$?
        if [ -n "${UPDATE:-}" ]; then cp "$tmp/out" "$want"; continue; fi
        if [ $rc != 0 ]; then bad "graph $want" "exit $rc: $(cat "$tmp/err")"
        elif cmp -s "$tmp/out" "$want"; then ok "graph $want"
        else bad "graph $want" "output differs:"; diff -u "$want" "$tmp/out" | head -40; fi
    done
    # the command's errors: an unknown format or target exits 2
    for args in "--format=svg corpus/dead-stage-unused.Dockerfile" "--target nope corpus/dead-stage-unused.Dockerfile"; do
        # shellcheck disable=SC2086
        "$bin" graph $args >/dev/null 2>&1; rc=$?
        if [ $rc = 2 ]; then ok "graph $args"; else bad "graph $args" "exit $rc, want 2"; fi
    done
    if "$bin" graph --target debug corpus/dead-stage-unused.Dockerfile | grep -q '^  s3 \[label="debug", penwidth=2.5\];$'
    then ok "graph --target"; else bad "graph --target" "the named stage is not drawn as the target"; fi
    n=$(ls tests/graph/*.dot tests/graph/*.mmd 2>/dev/null | wc -l)
    if [ "$n" -ge 2 ]; then ok "graph cases ($n)"; else bad "graph cases" "$n golden files in tests/graph"; fi ;;
shn)
    # Every RUN script of every corpus file's -O1 and -O2 output passes sh -n (bash -n under a
    # bash SHELL; PowerShell and cmd RUNs are skipped and counted), see tests/shn.py
    if out=$(python3 tests/shn.py "$bin" $(corpus_files) 2>&1); then ok "shn: ${out##*$'\n'}"
    else bad "shn" "$out"; fi ;;
segments)
    # a large file optimized in parts gives what the whole file gives (tests/segments.sh)
    if out=$(tests/segments.sh "$bin" 2>&1); then ok "segments: ${out##*$'\n'}"; else bad "segments" "$out"; fi ;;
cli)
    if out=$(tests/cli.sh "$bin" 2>&1); then ok "cli: ${out##*$'\n'}"; else bad "cli" "$out"; fi ;;
conventions)
    # stdin/stdout, --, --color and NO_COLOR for dfopt and its subcommands; --stats
    if out=$(tests/conventions.sh "$bin" 2>&1); then ok "conventions: ${out##*$'\n'}"; else bad "conventions" "$out"; fi ;;
install)
    # make install into a temporary DESTDIR: libraries, pkg-config, the example, man page and
    # completions in sync with --help and --list-passes; make uninstall
    if out=$(tests/install.sh "$bin" 2>&1); then ok "install: ${out##*$'\n'}"; else bad "install" "$out"; fi ;;
lint)
    # dfopt lint: golden outputs of every format (corpus/lint/), format shapes, fixes, controls
    if out=$(tests/lint.sh "$bin" 2>&1); then ok "lint: ${out##*$'\n'}"; else bad "lint" "$out"; fi ;;
gen)
    # dfopt gen: golden specs and errors, the schema, the docs' examples (tests/gen.sh)
    if out=$(tests/gen.sh "$bin" 2>&1); then ok "gen: ${out##*$'\n'}"; else bad "gen" "$out"; fi ;;
fuzz)
    # what the fuzzers found (tests/fuzz-regressions/) and their seeds, replayed (tests/fuzz.sh)
    if out=$(tests/fuzz.sh "$bin" 2>&1); then ok "fuzz: ${out##*$'\n'}"; else bad "fuzz" "$out"; fi ;;
hostile)
    # hostile and broken input: the table of tests/hostile.sh
    if out=$(tests/hostile.sh "$bin" 2>&1); then ok "hostile: ${out##*$'\n'}"; else bad "hostile" "$out"; fi ;;
faults)
    # -i and -o under injected faults: full disk, read-only directory, file deleted mid-run
    if out=$(tests/faults.sh "$bin" 2>&1); then ok "faults: ${out##*$'\n'}"; else bad "faults" "$out"; fi ;;
*) echo "tests/run.sh: unknown section $section"; exit 2 ;;
esac
done

[ -n "${UPDATE:-}" ] && { echo "golden files rewritten; review them with git diff"; exit 0; }
echo "run.sh: $pass passed, $fail failed ($sections)"
[ "$fail" = 0 ]
