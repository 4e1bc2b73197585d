#!/usr/bin/env bash
# Proof by building: each case under tests/build/<case>/ (a Dockerfile and its context) is built
# as written and as dfopt -O1 and -O2 print it, with buildah, and the images are compared
# (configuration and every file: type, mode, owner, size, content) by compare.py.
#
#   tests/build/verify.sh BIN [CASE...]      (default: every case; VERIFY_ALL=1 in CI for all)
#
# Differences are allowed only where a pass that fired declares them (the table below). The base
# image debian:bookworm is made locally with debootstrap and cached, with the build storage, in
# build/verify/ (ignored by git). Needs root, buildah, podman, debootstrap and Debian's mirror.
set -u
bin=${1:?usage: verify.sh BIN [CASE...]}; shift
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$top/build/verify
mkdir -p "$work"
export BUILDAH_ISOLATION=chroot CONTAINERS_STORAGE_CONF=$work/storage.conf

for tool in buildah podman debootstrap python3; do
    command -v $tool >/dev/null 2>&1 && continue
    if [ "$(id -u)" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y buildah podman debootstrap fuse-overlayfs >/dev/null 2>&1 ||
            { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y buildah podman debootstrap fuse-overlayfs >/dev/null; }
        break
    fi
    echo "verify: $tool missing (apt-get install buildah podman debootstrap)"; exit 2
done

[ -f "$work/storage.conf" ] || printf '[storage]\ndriver = "overlay"\ngraphroot = "%s/storage"\nrunroot = "%s/run"\n' "$work" "$work" >"$work/storage.conf"

base_image() {
    buildah inspect --type image docker.io/library/debian:bookworm >/dev/null 2>&1 && return 0
    echo "verify: building the local debian:bookworm base (debootstrap, once)" >&2
    local mirror
    mirror=$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -1)
    rm -rf "$work/rootfs" "$work/base"
    debootstrap --variant=minbase bookworm "$work/rootfs" "${mirror:-http://deb.debian.org/debian}" >"$work/debootstrap.log" 2>&1 ||
        { echo "verify: debootstrap failed, see $work/debootstrap.log"; return 1; }
    # HTTPS from inside RUN goes through this machine's egress CA
    # as Debian's official image: no package lists or apt caches in the base
    rm -rf "$work"/rootfs/var/lib/apt/lists/* "$work"/rootfs/var/cache/apt/*.bin
    mkdir -p "$work/rootfs/usr/local/share/ca-certificates" "$work/rootfs/etc/ssl/certs" "$work/base"
    if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
        cp /usr/local/share/ca-certificates/*.crt "$work/rootfs/usr/local/share/ca-certificates/"
        cat /usr/local/share/ca-certificates/*.crt >"$work/rootfs/etc/ssl/certs/ca-certificates.crt"
    fi
    tar --numeric-owner -C "$work/rootfs" -cf "$work/base/rootfs.tar" .
    printf 'FROM scratch\nADD rootfs.tar /\nENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt\nCMD ["bash"]\n' >"$work/base/Dockerfile"
    buildah bud --pull=never --format docker -t docker.io/library/debian:bookworm "$work/base" >"$work/base.log" 2>&1 ||
        { echo "verify: base image build failed, see $work/base.log"; return 1; }
}

# What each pass declares it may change (compare.py options).
declared() {
    case $1 in
    pkg-hygiene) echo "--allow /var/lib/apt/lists/* --allow /var/cache/apt/* --allow /var/cache/apk/*
        --allow /var/cache/dnf/* --allow /var/cache/yum/* --allow /root/.npm/* --allow /root/.cache/*
        --allow /usr/local/share/.cache/*" ;;
    maintainer) echo "--allow-label maintainer" ;;
    exec-form) echo "--mode exec-form" ;;
    multistage) # the runtime stage starts from the clean base: the package database and apt's
        # state are the base's, not the builder's
        echo "--mode subset --allow /var/lib/dpkg/* --allow /var/lib/apt/* --allow /var/cache/apt/*
        --allow /var/cache/debconf/*" ;;
    esac
}

build() { # build TAG DOCKERFILE CONTEXT
    buildah bud --layers --pull=never --force-rm --format docker -t "$1" -f "$2" "$3" >"$work/$1.log" 2>&1
}

base_image || exit 2
cases=("$@")
[ ${#cases[@]} = 0 ] && mapfile -t cases < <(cd "$top/tests/build" && ls -d */ | tr -d / | LC_ALL=C sort)

printf '%-22s %-4s %10s %10s %7s %7s %-7s %-6s %s\n' case lvl before after saving layers config files passes
status=0 total_before=0 total_after=0
for c in "${cases[@]}"; do
    dir=$top/tests/build/$c
    [ -f "$dir/Dockerfile" ] || { echo "verify: no case $c"; status=1; continue; }
    tag=dfv-$c
    if ! build "$tag-orig" "$dir/Dockerfile" "$dir"; then
        echo "$c: the original does not build (see $work/$tag-orig.log)"; status=1; continue
    fi
    for level in O1 O2; do
        out=$work/$c.$level.Dockerfile
        if ! "$bin" "-$level" "$dir/Dockerfile" >"$out" 2>"$work/$c.$level.err"; then
            echo "$c -$level: dfopt failed: $(cat "$work/$c.$level.err")"; status=1; continue
        fi
        mapfile -t fired < <("$bin" --stats --format=json "-$level" "$dir/Dockerfile" |
            python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin)["passes_fired"]))')
        opts=()
        for p in "${fired[@]}"; do read -ra o <<<"$(declared "$p" | tr '\n' ' ')"; opts+=("${o[@]}"); done
        if [[ " ${fired[*]} " == *" multistage "* ]] && [ -f "$dir/entrypoint-paths" ]; then
            # a split keeps only the artifacts: those the entrypoint uses must be there, equal
            while read -r path; do [ -n "$path" ] && opts+=(--subset "$path"); done <"$dir/entrypoint-paths"
        fi
        if [ "$level" = O2 ] && [[ " ${fired[*]} " == *" pkg-hygiene "* ]]; then
            # -O2 leaves out recommended packages: a subset of the original's files
            opts+=(--mode subset --allow "/var/lib/dpkg/*" --allow "/var/cache/debconf/*")
        fi
        if ! build "$tag-${level,,}" "$out" "$dir"; then
            echo "$c -$level: the optimized Dockerfile does not build (see $work/$tag-${level,,}.log)"; status=1; continue
        fi
        r=$(python3 "$top/tests/build/compare.py" "$tag-orig" "$tag-${level,,}" "${opts[@]}") || { echo "$c: compare failed"; status=1; continue; }
        read -r sb sa lb la ce fe < <(python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(r["size_orig"], r["size_opt"], r["layers_orig"], r["layers_opt"], r["config_equal"], r["files_equal"])' "$r")
        total_before=$((total_before + sb)) total_after=$((total_after + sa))
        awk -v c="$c" -v l="-$level" -v sb="$sb" -v sa="$sa" -v lb="$lb" -v la="$la" -v ce="$ce" -v fe="$fe" -v p="${fired[*]:-none}" \
            'BEGIN { printf "%-22s %-4s %9.1fM %9.1fM %6.1f%% %3s→%-3s %-7s %-6s %s\n", c, l, sb/1048576, sa/1048576, 100*(sb-sa)/sb, lb, la, ce, fe, p }'
        if [ "$ce" != True ] || [ "$fe" != True ]; then
            status=1
            python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print("   config differs:", r["config_diff"]); [print("   ", d) for d in r["file_diffs"][:10]]' "$r"
        fi
    done
done
[ $total_before -gt 0 ] && awk -v b=$total_before -v a=$total_after \
    'BEGIN { printf "total: %.1fM before, %.1fM after, %.1f%% saved\n", b/1048576, a/1048576, 100*(b-a)/b }'
exit $status
