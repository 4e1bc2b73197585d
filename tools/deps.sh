#!/bin/sh
# Makes sure the build dependencies are present (Debian package names).
# As root, missing packages are installed with apt-get; otherwise the command to run is printed.
set -eu
need=""
command -v pkg-config >/dev/null 2>&1 || need="pkg-config"
for pc in libpcre2-8:libpcre2-dev yaml-0.1:libyaml-dev cmocka:libcmocka-dev; do
    mod=${pc%%:*} pkg=${pc#*:}
    if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists "$mod"; then
        need="$need $pkg"
    fi
done
for tool in cc make patch diff git python3; do
    command -v "$tool" >/dev/null 2>&1 || case $tool in
        cc) need="$need gcc" ;; *) need="$need $tool" ;; esac
done
# tests/install.sh renders the man page and runs the bash, zsh and fish completions
for tool in zsh fish groff man readelf; do
    command -v "$tool" >/dev/null 2>&1 || case $tool in
        groff) need="$need groff-base" ;; man) need="$need man-db" ;;
        readelf) need="$need binutils" ;; *) need="$need $tool" ;; esac
done
# tests/gen.sh checks the spec's JSON Schema with Python's yaml and jsonschema modules
for mod in yaml:python3-yaml jsonschema:python3-jsonschema; do
    python3 -c "import ${mod%%:*}" >/dev/null 2>&1 || need="$need ${mod#*:}"
done
# make fuzz: clang and its libFuzzer runtime; make leakcheck: valgrind; make analyze: cppcheck and
# clang-tidy; tests/faults.sh holds dfopt inside fsync with strace; tests/hostile.sh and
# tests/faults.sh run commands as nobody with setpriv (util-linux) and read peak RSS with time
for tool in clang clang-tidy cppcheck valgrind strace setpriv; do
    command -v "$tool" >/dev/null 2>&1 || case $tool in
        setpriv) need="$need util-linux" ;; *) need="$need $tool" ;; esac
done
[ -x /usr/bin/time ] || need="$need time"
ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1 ||
    need="$need libclang-rt-14-dev"
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "deps: installing$need" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends $need >/dev/null 2>&1 ||
        { apt-get update >/dev/null && apt-get install -y --no-install-recommends $need >/dev/null; }
    exit 0
fi
echo "deps: missing$need; install them with:" >&2
echo "    sudo apt-get install -y$need" >&2
exit 1
