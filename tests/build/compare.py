#!/usr/bin/env python3
"""Compares two images built by buildah: configuration and root filesystem.

usage: compare.py ORIG OPT [--allow GLOB]... [--allow-label KEY]... [--subset PATH]... [--mode subset]

Prints one JSON object: sizes, layer counts, config_equal, files_equal, and the differences that
no --allow explains. With --subset (a multi-stage split), the optimized image may lack files of
the original, but every file it has must equal the original's, and each PATH given (what the
entrypoint uses) must be present and equal.
"""
import fnmatch
import hashlib
import json
import os
import shlex
import stat
import subprocess
import sys

CONFIG_KEYS = ["User", "Env", "Entrypoint", "Cmd", "WorkingDir", "ExposedPorts", "Volumes",
               "Labels", "Healthcheck", "StopSignal", "Shell", "OnBuild"]
# Logs, and caches that differ between any two builds of the same Dockerfile (apt's binary
# package caches embed build-time state; ldconfig's caches), are not compared.
ALWAYS_IGNORED = ["/var/log/*", "/var/cache/ldconfig/aux-cache", "/var/lib/dpkg/*-old",
                  "/var/cache/debconf/*-old", "/etc/ld.so.cache", "/var/cache/apt/*.bin"]


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def inspect(image):
    info = json.loads(run("podman", "image", "inspect", image))[0]
    cfg = info.get("Config") or {}
    return {
        "size": info["Size"],
        "layers": len(info["RootFS"]["Layers"]),
        "config": {k: cfg.get(k) or None for k in CONFIG_KEYS},
    }


def walk(root):
    files = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            rel = "/" + os.path.relpath(full, root)
            st = os.lstat(full)
            entry = [stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid]
            if stat.S_ISREG(st.st_mode):
                h = hashlib.sha256()
                with open(full, "rb") as f:
                    for chunk in iter(lambda: f.read(1 << 20), b""):
                        h.update(chunk)
                entry += [st.st_size, h.hexdigest()]
            elif stat.S_ISLNK(st.st_mode):
                entry.append(os.readlink(full))
            files[rel] = entry
    return files


def mounted(image):
    return run("podman", "image", "mount", image).strip()


def matches(path, globs):
    """fnmatch globs; `*` also matches across `/`, so DIR/* covers everything below DIR."""
    return any(fnmatch.fnmatch(path, g) for g in globs)


def main(argv):
    orig, opt = argv[0], argv[1]
    allow, labels, subset, mode = [], [], [], []
    i = 2
    while i < len(argv):
        flag, value = argv[i], argv[i + 1]
        {"--allow": allow, "--allow-label": labels, "--subset": subset, "--mode": mode}[flag].append(value)
        i += 2
    subset_mode = bool(subset) or "subset" in mode
    a, b = inspect(orig), inspect(opt)
    ca, cb = dict(a["config"]), dict(b["config"])
    for key in labels:
        for c in (ca, cb):
            if c.get("Labels"):
                c["Labels"] = {k: v for k, v in c["Labels"].items() if k != key} or None
    if "exec-form" in mode:
        # exec-form declares: a shell-form ["/bin/sh", "-c", S] may become S's words, exactly
        for key in ("Cmd", "Entrypoint"):
            va, vb = ca.get(key), cb.get(key)
            if va and vb and va[:2] == ["/bin/sh", "-c"] and len(va) == 3 and shlex.split(va[2]) == vb:
                cb[key] = va
    config_diff = [k for k in CONFIG_KEYS if ca.get(k) != cb.get(k)]
    try:
        fa, fb = walk(mounted(orig)), walk(mounted(opt))
    finally:
        subprocess.run(["podman", "image", "unmount", orig, opt], capture_output=True)
    ignored = ALWAYS_IGNORED + allow
    diffs = []
    for path in sorted(set(fa) | set(fb)):
        if matches(path, ignored):
            continue
        ea, eb = fa.get(path), fb.get(path)
        if ea is not None and eb is not None and ea[0] == stat.S_IFDIR == eb[0]:
            ea, eb = ea[:4], eb[:4]
        if ea == eb:
            continue
        if subset_mode and eb is None:
            continue
        diffs.append({"path": path, "orig": ea, "opt": eb})
    for path in subset:
        if fa.get(path) is None or fa.get(path) != fb.get(path):
            diffs.append({"path": path, "orig": fa.get(path), "opt": fb.get(path),
                          "why": "entrypoint path missing or different"})
    print(json.dumps({
        "size_orig": a["size"], "size_opt": b["size"],
        "layers_orig": a["layers"], "layers_opt": b["layers"],
        "config_equal": not config_diff, "config_diff": config_diff,
        "files_equal": not diffs, "file_diffs": diffs[:50], "file_diff_count": len(diffs),
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
