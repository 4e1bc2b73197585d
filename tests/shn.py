#!/usr/bin/env python3
"""shn.py BIN FILE...: every RUN script in the -O1 and -O2 output of each FILE passes `sh -n`.

For each file and level the output of BIN is read back with `BIN --emit=json`; every RUN in
shell form (ONBUILD's too) is checked with `sh -n`, or `bash -n` when the stage's SHELL is bash.
A heredoc RUN is checked as the shell sees it: the command line followed by the heredoc bodies
and terminators, or the body alone when the command is only the heredoc (BuildKit runs it as
the script). RUNs of a stage whose SHELL is not a POSIX shell, or of a Windows stage (escape=`
or a Windows base image) without one, are not sh scripts and are counted as skipped.

Prints one line per failing RUN and a summary line; exits 1 when anything failed.
"""
import json
import os
import subprocess
import sys
import tempfile

POSIX = {"sh", "bash", "dash", "ash", "ksh", "mksh", "zsh"}


def program(path):
    base = path.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return base[:-4] if base.endswith(".exe") else base


def windows_image(base):
    b = base.lower()
    return any(w in b for w in ("windows", "servercore", "nanoserver", "dotnet/framework"))


def script_of(ins, heredocs):
    """The text sh reads for a shell-form RUN, or None."""
    if ins.get("form") != "shell" or not ins.get("args"):
        return None
    line = ins["args"][0]["value"]
    if not heredocs:
        return line
    if len(heredocs) == 1 and line.strip() == heredocs[0]["word"]:
        body = heredocs[0]["body"]
        if heredocs[0]["chomp"]:
            body = "".join(l.lstrip("\t") for l in body.splitlines(True))
        return body
    text = line + "\n"
    for h in heredocs:
        text += h["body"] + h["name"] + "\n"
    return text


def context_of(path):
    """The build context tests/run.sh uses: corpus/<name>/ beside the file, else its directory."""
    stem = path[:-len(".Dockerfile")] if path.endswith(".Dockerfile") else path
    return stem if os.path.isdir(stem) else (os.path.dirname(path) or ".")


def check(bin_, path, level, tmpdir):
    """Returns (checked, skipped, failures)."""
    out = subprocess.run([bin_, "-O%d" % level, "--context", context_of(path), path],
                         capture_output=True)
    if out.returncode != 0:
        return 0, 0, ["%s -O%d: dfopt failed: %s" % (path, level, out.stderr.decode().strip())]
    optimized = os.path.join(tmpdir, "Dockerfile")
    with open(optimized, "wb") as f:
        f.write(out.stdout)
    js = subprocess.run([bin_, "--emit=json", optimized], capture_output=True)
    if js.returncode != 0:
        return 0, 0, ["%s -O%d: output does not parse: %s" % (path, level,
                                                             js.stderr.decode().strip())]
    doc = json.loads(js.stdout)
    stages = doc["stages"]
    shell = {}  # stage index -> "sh", "bash" or None (not a POSIX shell)
    checked, skipped, failures = 0, 0, []
    for item in doc["instructions"]:
        ins, st = item["instruction"], item["stage"]
        kind = ins["kind"]
        if kind == "from" and st is not None and st >= 0:
            s = stages[st]
            if s["base_stage"] is not None:
                shell[st] = shell.get(s["base_stage"])
            else:
                windows = doc["escape"] == "`" or windows_image(s["base_expanded"])
                shell[st] = None if windows else "sh"
            continue
        if kind == "shell" and st is not None and st >= 0:
            args = [a["value"] for a in ins["args"]]
            prog = program(args[0]) if ins["form"] == "exec" and args else ""
            shell[st] = ("bash" if prog == "bash" else "sh") if prog in POSIX else None
            continue
        heredocs = item.get("heredocs", [])
        if kind == "onbuild" and ins.get("instruction", {}).get("kind") == "run":
            ins, heredocs = ins["instruction"], []
        elif kind != "run":
            continue
        text = script_of(ins, heredocs)
        if text is None:
            continue
        sh = shell.get(st)
        if sh is None:
            skipped += 1
            continue
        r = subprocess.run([sh, "-n"], input=text.encode(), capture_output=True)
        checked += 1
        if r.returncode != 0:
            failures.append("%s -O%d line %s: %s -n: %s\n    %s" % (
                path, level, item["line"], sh, r.stderr.decode().strip(), text))
    return checked, skipped, failures


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: shn.py BIN FILE...")
    bin_, files = sys.argv[1], sys.argv[2:]
    total_checked = total_skipped = 0
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            for level in (1, 2):
                c, s, f = check(bin_, path, level, tmp)
                total_checked += c
                total_skipped += s
                failures += f
    for f in failures:
        print(f)
    print("%d RUN scripts pass sh -n, %d failed, %d not sh (PowerShell/cmd) skipped, %d files"
          % (total_checked - len(failures), len(failures), total_skipped, len(files)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
