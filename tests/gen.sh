#!/usr/bin/env bash
# `dfopt gen` over its corpus, run by tests/run.sh (section gen):
#
#   corpus/gen/<name>.yaml            -> <name>.Dockerfile.golden, and <name>.dockerignore.golden
#                                        when the spec has `ignore`; every output re-parses and
#                                        `dfopt -O1` leaves it unchanged
#   corpus/gen/<name>.Dockerfile.in   -> <name>.yaml.golden (--from-dockerfile), and that spec
#                                        generates (tests/test_yaml.c checks it means the same)
#   corpus/gen/bad/<name>.yaml        -> <name>.stderr: exit 2, diagnostics byte for byte
#   corpus/gen/bad/<name>.Dockerfile.in -> <name>.stderr: --from-dockerfile refusals
#   docs/spec.schema.json             == `dfopt gen --schema`; it accepts every spec above and
#                                        every example in docs/spec.md, and rejects every
#                                        corpus/gen/bad/shape-*.yaml (python3 jsonschema)
#   docs/spec.md                      every ```yaml example generates a Dockerfile
#
#   tests/gen.sh BIN            UPDATE=1 tests/gen.sh BIN rewrites the golden files
# (Inputs are not named *.Dockerfile so the corpus-wide checks of run.sh leave them alone.)
set -u
bin=${1:?usage: tests/gen.sh BIN}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); [ -n "${VERBOSE:-}" ] && echo "$1 ... ok"; return 0; }
bad() { fail=$((fail + 1)); echo "$1 ... FAILED${2:+: $2}"; }

# same NAME WANT GOT: files equal, or the difference
same() {
    if [ ! -f "$2" ]; then bad "$1" "no $2 (make golden-update)"
    elif cmp -s "$2" "$3"; then ok "$1"
    else bad "$1" "output differs:"; diff -u "$2" "$3" | head -40; fi
}

# the invariants of a generated Dockerfile: it re-parses, and -O1 changes nothing
invariants() {
    if ! "$bin" --emit=dump "$2" >/dev/null 2>"$tmp/err"; then bad "$1 re-parse" "$(cat "$tmp/err")"
    else ok "$1 re-parse"; fi
    if "$bin" -O1 "$2" >"$tmp/again" 2>"$tmp/err" && cmp -s "$2" "$tmp/again"; then ok "$1 -O1 no-op"
    else bad "$1 -O1 no-op" "dfopt -O1 changed it:"; diff -u "$2" "$tmp/again" | head -20; fi
}

nspecs=0
for f in corpus/gen/*.yaml; do
    [ -f "$f" ] || continue
    nspecs=$((nspecs + 1))
    stem=${f%.yaml}
    rm -rf "$tmp/out" && mkdir "$tmp/out"
    if ! "$bin" gen -o "$tmp/out/Dockerfile" "$f" 2>"$tmp/err"; then
        bad "$f" "exit $?: $(cat "$tmp/err")"; continue
    fi
    if [ -n "${UPDATE:-}" ]; then
        cp "$tmp/out/Dockerfile" "$stem.Dockerfile.golden"
        if [ -f "$tmp/out/.dockerignore" ]; then cp "$tmp/out/.dockerignore" "$stem.dockerignore.golden"
        else rm -f "$stem.dockerignore.golden"; fi
        continue
    fi
    same "$f" "$stem.Dockerfile.golden" "$tmp/out/Dockerfile"
    if [ -f "$tmp/out/.dockerignore" ]; then same "$f .dockerignore" "$stem.dockerignore.golden" "$tmp/out/.dockerignore"
    elif [ -f "$stem.dockerignore.golden" ]; then bad "$f .dockerignore" "not written"; fi
    # stdout gives the same Dockerfile as -o
    if "$bin" gen "$f" 2>/dev/null | cmp -s - "$tmp/out/Dockerfile"; then ok "$f stdout"
    else bad "$f stdout" "differs from -o"; fi
    invariants "$f" "$tmp/out/Dockerfile"
done
[ "$nspecs" -ge 10 ] && ok "gen corpus size" || bad "gen corpus size" "$nspecs specs, want 10"

for f in corpus/gen/*.Dockerfile.in; do
    [ -f "$f" ] || continue
    stem=${f%.Dockerfile.in}
    if ! "$bin" gen --from-dockerfile "$f" >"$tmp/spec.yaml" 2>"$tmp/err"; then
        bad "$f" "exit $?: $(cat "$tmp/err")"; continue
    fi
    if [ -n "${UPDATE:-}" ]; then cp "$tmp/spec.yaml" "$stem.yaml.golden"; continue; fi
    same "$f" "$stem.yaml.golden" "$tmp/spec.yaml"
    # the spec generates a Dockerfile (that it means the same as the original is checked
    # instruction by instruction in tests/test_yaml.c)
    if "$bin" gen -o "$tmp/back.Dockerfile" "$tmp/spec.yaml" 2>"$tmp/err"; then
        ok "$f generates"; invariants "$f generated" "$tmp/back.Dockerfile"
    else bad "$f generates" "$(cat "$tmp/err")"; fi
done

# diagnostics, byte for byte, from inside the directory so file names are short
nbad=0
for f in corpus/gen/bad/*.yaml corpus/gen/bad/*.Dockerfile.in; do
    [ -f "$f" ] || continue
    nbad=$((nbad + 1))
    case $f in *.yaml) want=${f%.yaml}.stderr; args=(gen) ;;
               *) want=${f%.Dockerfile.in}.stderr; args=(gen --from-dockerfile) ;; esac
    (cd corpus/gen/bad && "$bin" "${args[@]}" "$(basename "$f")" >"$tmp/out.txt" 2>"$tmp/err"); rc=$?
    if [ -n "${UPDATE:-}" ]; then cp "$tmp/err" "$want"; continue; fi
    if [ $rc != 2 ]; then bad "$f" "exit $rc, want 2"
    elif [ -s "$tmp/out.txt" ]; then bad "$f" "wrote to stdout on error"
    else same "$f" "$want" "$tmp/err"; fi
done
[ "$nbad" -ge 20 ] && ok "gen error cases" || bad "gen error cases" "$nbad cases, want 20"

[ -n "${UPDATE:-}" ] && { "$bin" gen --schema >docs/spec.schema.json; exit 0; }

# the command
status() { "$@" >/dev/null 2>&1; echo $?; }
[ "$(status "$bin" gen)" = 2 ] && ok "gen without input exits 2" || bad "gen without input exits 2"
[ "$(status "$bin" gen --frobnicate x.yaml)" = 2 ] && ok "gen unknown option exits 2" ||
    bad "gen unknown option exits 2"
"$bin" gen --help | grep -q '^usage: dfopt gen' && ok "gen --help" || bad "gen --help"
if "$bin" gen - <corpus/gen/go.yaml | cmp -s - corpus/gen/go.Dockerfile.golden; then ok "gen from stdin"
else bad "gen from stdin"; fi
mkdir -p "$tmp/o"
if "$bin" gen -o "$tmp/o/app.Dockerfile" corpus/gen/go.yaml && [ -f "$tmp/o/app.Dockerfile.dockerignore" ] &&
    [ ! -e "$tmp/o/.dockerignore" ]; then ok "gen -o NAME writes NAME.dockerignore"
else bad "gen -o NAME writes NAME.dockerignore"; fi
if [ "$(status "$bin" gen -o "$tmp/o/bad.Dockerfile" corpus/gen/bad/shape-choice.yaml)" = 2 ] &&
    [ ! -e "$tmp/o/bad.Dockerfile" ]; then ok "gen error writes nothing"
else bad "gen error writes nothing"; fi
[ "$(status "$bin" gen -o "$tmp/no/such/dir/Dockerfile" corpus/gen/go.yaml)" = 2 ] &&
    ok "gen -o unwritable exits 2" || bad "gen -o unwritable exits 2"
if "$bin" gen --from-dockerfile - <corpus/gen/from-service.Dockerfile.in |
    cmp -s - corpus/gen/from-service.yaml.golden; then ok "gen --from-dockerfile from stdin"
else bad "gen --from-dockerfile from stdin"; fi

# the schema
"$bin" gen --schema >"$tmp/schema.json"
same "docs/spec.schema.json matches dfopt gen --schema" docs/spec.schema.json "$tmp/schema.json"

# the examples of docs/spec.md
mkdir -p "$tmp/docs"
awk -v dir="$tmp/docs" '/^```yaml$/ { n++; f = sprintf("%s/example-%02d.yaml", dir, n); on = 1; next }
    /^```$/ { on = 0; next } on { print > f }' docs/spec.md
nex=0
for f in "$tmp"/docs/example-*.yaml; do
    [ -f "$f" ] || continue
    nex=$((nex + 1))
    if "$bin" gen -o "$tmp/docs/out.Dockerfile" "$f" 2>"$tmp/err"; then ok "docs/spec.md ${f##*/}"
        invariants "docs/spec.md ${f##*/}" "$tmp/docs/out.Dockerfile"
    else bad "docs/spec.md ${f##*/}" "$(cat "$tmp/err")"; sed 's/^/    /' "$f" | head -20; fi
done
[ "$nex" -ge 5 ] && ok "docs/spec.md examples" || bad "docs/spec.md examples" "$nex examples, want 5"

if out=$(python3 tests/gen_schema.py docs/spec.schema.json corpus/gen/*.yaml "$tmp"/docs/example-*.yaml \
        -- corpus/gen/bad/shape-*.yaml 2>&1); then ok "schema: ${out##*$'\n'}"
else bad "schema" "$out"; fi

echo "gen: $pass passed, $fail failed"
[ "$fail" = 0 ]
