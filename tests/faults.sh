#!/usr/bin/env bash
# Fault injection for `dfopt -i` and `-o`: whatever goes wrong while a file is rewritten, the
# original stays byte for byte as it was (or, when someone else deleted or edited it meanwhile,
# dfopt leaves their change alone), no temporary file is left behind, and dfopt exits 2 with a
# message naming the file.
#
#   tests/faults.sh BIN
#
# Faults: a file size limit (ulimit -f: write() fails with EFBIG), a full tmpfs (ENOSPC), a
# read-only directory (EACCES, run as an unprivileged user when we are root, since root ignores
# permissions), a read-only mount (EROFS), the file deleted or edited while dfopt runs (strace
# holds dfopt inside fsync(2) while the test changes the file), several files with one failing.
# The tmpfs cases need mount(2) in a private mount namespace (root); where that is refused the
# script says so and those cases are not counted; every other case runs everywhere.
set -u
bin=${1:?usage: tests/faults.sh BIN}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
[ -x "$bin" ] || { echo "faults: $bin: not an executable"; exit 2; }
tmp=$(mktemp -d); trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
# a copy an unprivileged user can run whatever the permissions of the build tree
cp "$bin" "$tmp/dfopt-copy" && chmod 755 "$tmp/dfopt-copy"
pass=0 fail=0
ok() { pass=$((pass + 1)); [ -n "${VERBOSE:-}" ] && echo "$1 ... ok"; return 0; }
bad() { fail=$((fail + 1)); echo "$1 ... FAILED${2:+: $2}"; }
expect() { # expect NAME CONDITION-COMMAND...
    local name=$1; shift
    if "$@"; then ok "$name"; else bad "$name"; fi
}
no_temporaries() { [ -z "$(find "$1" -name '.dfopt-*' 2>/dev/null)" ]; }

# A Dockerfile that -O1 changes (MAINTAINER becomes LABEL), about 3 KB.
{
    echo "FROM debian:bookworm"
    echo "MAINTAINER Jane Doe <jane@example.com>"
    for i in $(seq 1 120); do echo "RUN echo step $i"; done
} >"$tmp/orig.Dockerfile"
"$bin" "$tmp/orig.Dockerfile" >"$tmp/want.Dockerfile" 2>/dev/null
expect "the sample changes under -O1" bash -c "! cmp -s '$tmp/orig.Dockerfile' '$tmp/want.Dockerfile'"

# run_i NAME DIR [RUNNER...]: dfopt -i DIR/Dockerfile must exit 2 with an error naming the file,
# leave it byte-identical, and leave no temporary file.
run_i() {
    local name=$1 dir=$2; shift 2
    "$@" "$bin" -i "$dir/Dockerfile" >/dev/null 2>"$tmp/err"; local rc=$?
    if [ $rc != 2 ]; then bad "$name" "exit $rc, want 2"; return; fi
    if ! grep -q "Dockerfile" "$tmp/err"; then bad "$name" "no error naming the file: $(cat "$tmp/err")"; return; fi
    if ! cmp -s "$dir/Dockerfile" "$tmp/orig.Dockerfile"; then bad "$name" "the original changed"; return; fi
    if ! no_temporaries "$dir"; then bad "$name" "a temporary file was left"; return; fi
    ok "$name"
}

# ---- a file size limit: SIGXFSZ is ignored, write() fails with EFBIG ----
mkdir "$tmp/fsize" && cp "$tmp/orig.Dockerfile" "$tmp/fsize/Dockerfile"
limited() { bash -c 'ulimit -f 1 && exec "$@"' limited "$@"; } # 1 KiB: less than the output
run_i "file size limit (ulimit -f)" "$tmp/fsize" limited
expect "file size limit: message says why" grep -q "File too large" "$tmp/err"
limited "$bin" -o "$tmp/fsize/out" "$tmp/orig.Dockerfile" >/dev/null 2>&1; rc=$?
expect "file size limit with -o exits 2 and leaves nothing" \
    bash -c "[ $rc = 2 ] && [ ! -e '$tmp/fsize/out' ] && [ -z \"\$(find '$tmp/fsize' -name '.dfopt-*')\" ]"

# ---- a read-only directory: EACCES (as root, run dfopt as nobody: root ignores modes) ----
mkdir "$tmp/rodir" && cp "$tmp/orig.Dockerfile" "$tmp/rodir/Dockerfile"
chmod 644 "$tmp/rodir/Dockerfile"; chmod 555 "$tmp/rodir"
if [ "$(id -u)" = 0 ]; then
    as_user() { shift; setpriv --reuid=65534 --regid=65534 --clear-groups "$tmp/dfopt-copy" "$@"; }
    run_i "read-only directory (as nobody)" "$tmp/rodir" as_user
else
    run_i "read-only directory" "$tmp/rodir"
fi
expect "read-only directory: message says why" grep -q "Permission denied" "$tmp/err"
chmod 755 "$tmp/rodir"

# ---- several files, one failing: the others are rewritten, the failing one left intact ----
mkdir -p "$tmp/multi/ro" && for f in a b; do cp "$tmp/orig.Dockerfile" "$tmp/multi/$f.Dockerfile"; done
cp "$tmp/orig.Dockerfile" "$tmp/multi/ro/Dockerfile"; chmod 644 "$tmp/multi/ro/Dockerfile"
chmod 755 "$tmp/multi"; chmod 555 "$tmp/multi/ro"; chmod 666 "$tmp/multi/"[ab].Dockerfile
runner=("$bin"); [ "$(id -u)" = 0 ] && runner=(setpriv --reuid=65534 --regid=65534 --clear-groups "$tmp/dfopt-copy")
chmod 777 "$tmp/multi"
"${runner[@]}" -i "$tmp/multi/a.Dockerfile" "$tmp/multi/ro/Dockerfile" "$tmp/multi/b.Dockerfile" >/dev/null 2>"$tmp/err"; rc=$?
expect "several files, one failing: exit 2" test $rc = 2
expect "several files: the first is rewritten" cmp -s "$tmp/multi/a.Dockerfile" "$tmp/want.Dockerfile"
expect "several files: the one after the failure is rewritten" cmp -s "$tmp/multi/b.Dockerfile" "$tmp/want.Dockerfile"
expect "several files: the failing one is intact" cmp -s "$tmp/multi/ro/Dockerfile" "$tmp/orig.Dockerfile"
chmod 755 "$tmp/multi/ro"

# ---- the file deleted or edited while dfopt runs (dfopt held 5 s inside fsync by strace) ----
# delay_enter is in microseconds; the test acts once strace has logged the fsync call.
# (LeakSanitizer cannot run under ptrace: off for these runs when BIN is an ASan build)
# (the caller removes the old trace first, in the foreground: slow_fsync runs in the background,
# and in_fsync must not see the previous run's trace)
slow_fsync() {
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
        strace -f -qq -o "$tmp/trace" -e trace=fsync -e inject=fsync:delay_enter=5000000 "$@"
}
in_fsync() { for _ in $(seq 300); do grep -q fsync "$tmp/trace" 2>/dev/null && return 0; sleep 0.1; done; return 1; }
if ! command -v strace >/dev/null; then
    bad "file changed mid-run" "strace is missing (tools/deps.sh installs it)"
else
    mkdir "$tmp/gone" && cp "$tmp/orig.Dockerfile" "$tmp/gone/Dockerfile"
    rm -f "$tmp/trace"
    slow_fsync "$bin" -i "$tmp/gone/Dockerfile" >/dev/null 2>"$tmp/err" & pid=$!
    in_fsync; rm "$tmp/gone/Dockerfile"; wait $pid; rc=$?
    expect "deleted mid-run: exit 2" test $rc = 2
    expect "deleted mid-run: message" grep -q "disappeared while it was being optimized" "$tmp/err"
    expect "deleted mid-run: not recreated" test ! -e "$tmp/gone/Dockerfile"
    expect "deleted mid-run: no temporary left" no_temporaries "$tmp/gone"

    mkdir "$tmp/edited" && cp "$tmp/orig.Dockerfile" "$tmp/edited/Dockerfile"
    rm -f "$tmp/trace"
    printf 'FROM alpine\n# saved by an editor meanwhile\n' >"$tmp/theirs"
    slow_fsync "$bin" -i "$tmp/edited/Dockerfile" >/dev/null 2>"$tmp/err" & pid=$!
    in_fsync; cat "$tmp/theirs" >"$tmp/edited/Dockerfile"; wait $pid; rc=$?
    expect "edited mid-run: exit 2" test $rc = 2
    expect "edited mid-run: message" grep -q "changed while it was being optimized" "$tmp/err"
    expect "edited mid-run: the other edit is kept" cmp -s "$tmp/edited/Dockerfile" "$tmp/theirs"
    expect "edited mid-run: no temporary left" no_temporaries "$tmp/edited"

    mkdir "$tmp/slow" && cp "$tmp/orig.Dockerfile" "$tmp/slow/Dockerfile"
    rm -f "$tmp/trace"
    slow_fsync "$bin" -i "$tmp/slow/Dockerfile" >/dev/null 2>"$tmp/err"; rc=$?
    expect "untouched mid-run: rewritten as usual (the strace harness itself works)" \
        bash -c "[ $rc = 0 ] && cmp -s '$tmp/slow/Dockerfile' '$tmp/want.Dockerfile'"
fi

# ---- not a regular file ----
mkfifo "$tmp/fifo"
timeout 10 cat "$tmp/fifo" >"$tmp/from-fifo" & pid=$!
timeout 10 "$bin" -o "$tmp/fifo" "$tmp/orig.Dockerfile" 2>"$tmp/err"; rc=$?; wait $pid
expect "-o into a FIFO writes through it" bash -c "[ $rc = 0 ] && cmp -s '$tmp/from-fifo' '$tmp/want.Dockerfile'"
expect "-o into a FIFO leaves it a FIFO" test -p "$tmp/fifo"
expect "-o /dev/stdout" bash -c "'$bin' -o /dev/stdout '$tmp/orig.Dockerfile' | cmp -s - '$tmp/want.Dockerfile'"

# ---- a full disk and a read-only mount: a small tmpfs in a private mount namespace ----
# The whole case runs inside `unshare --mount`, so nothing stays mounted whatever happens.
if [ "$(id -u)" = 0 ] && unshare --mount true 2>/dev/null; then
    mkdir "$tmp/mnt"
    cp "$tmp/orig.Dockerfile" "$tmp/mnt.orig"
    unshare --mount bash -s "$bin" "$tmp" >"$tmp/tmpfs.log" 2>&1 <<'EOF'
bin=$1 tmp=$2 m=$tmp/mnt
mount -t tmpfs -o size=64k tmpfs "$m" || { echo "mount: refused"; exit 3; }
cp "$tmp/orig.Dockerfile" "$m/Dockerfile"
head -c 1048576 /dev/zero >"$m/fill" 2>/dev/null      # fills the rest: ENOSPC from here on
"$bin" -i "$m/Dockerfile" >/dev/null 2>"$tmp/err-full"; echo "full-rc=$?"
cmp -s "$m/Dockerfile" "$tmp/orig.Dockerfile" && echo "full-intact"
[ -z "$(find "$m" -name '.dfopt-*')" ] && echo "full-clean"
rm "$m/fill"
mount -o remount,ro "$m" || { echo "remount: refused"; exit 3; }
"$bin" -i "$m/Dockerfile" >/dev/null 2>"$tmp/err-ro"; echo "ro-rc=$?"
cmp -s "$m/Dockerfile" "$tmp/orig.Dockerfile" && echo "ro-intact"
EOF
    rc=$?
    if [ $rc = 3 ]; then
        echo "note: tmpfs cases not run: $(tail -1 "$tmp/tmpfs.log") (full disk covered by ulimit -f)"
    else
        log=$(cat "$tmp/tmpfs.log")
        expect "full tmpfs: exit 2" grep -q '^full-rc=2$' <<<"$log"
        expect "full tmpfs: original intact" grep -q '^full-intact$' <<<"$log"
        expect "full tmpfs: no temporary left" grep -q '^full-clean$' <<<"$log"
        expect "full tmpfs: message says why" grep -q 'No space left on device' "$tmp/err-full"
        expect "read-only mount: exit 2" grep -q '^ro-rc=2$' <<<"$log"
        expect "read-only mount: original intact" grep -q '^ro-intact$' <<<"$log"
        expect "read-only mount: message says why" grep -q 'Read-only file system' "$tmp/err-ro"
    fi
else
    echo "note: tmpfs cases not run: not root or no mount namespace (full disk covered by ulimit -f)"
fi

echo "faults: $pass passed, $fail failed"
[ "$fail" = 0 ]
