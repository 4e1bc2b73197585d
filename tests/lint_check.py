#!/usr/bin/env python3
"""Checks of `dfopt lint` output against the published shape of each format.

  lint_check.py formats BIN FILE...   every format on FILEs: valid, required fields, escaping,
                                      and all formats agreeing with --format=json
  lint_check.py apply BIN FILE...     applying every rdjson suggestion to FILE gives exactly
                                      what `BIN -O1 FILE` (and -O2) prints
  lint_check.py blocks BIN DIR        a file of 500 numbered blocks (3,002 lines, written to DIR)
                                      gets, in each group of ten blocks, the findings a file of
                                      the first ten alone gets, at the group's lines; then `apply`
                                      on it

Prints `name ... FAILED: why` for each failure and ends with `N passed, N failed`.
"""
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

passed = failed = 0


def ok():
    global passed
    passed += 1


def bad(name, why):
    global failed
    failed += 1
    print(f"{name} ... FAILED: {why}")


def lint(bin_, fmt, path, *extra):
    r = subprocess.run([bin_, "lint", "--no-config", f"--format={fmt}", *extra, path],
                       capture_output=True)
    if r.returncode not in (0, 1):
        raise RuntimeError(f"{fmt}: exit {r.returncode}: {r.stderr.decode(errors='replace')}")
    return r.stdout


def need(cond, what):
    if not cond:
        raise AssertionError(what)


def is_pos(v):
    return isinstance(v, int) and not isinstance(v, bool) and v >= 1


def region_bytes(src_lines, l0, c0, l1, c1):
    """The bytes of a 1-based, end-exclusive line/column range of a file split by lines."""
    def off(line, col):
        return sum(len(x) for x in src_lines[:line - 1]) + col - 1
    data = b"".join(src_lines)
    return data[off(l0, c0):off(l1, c1)]


def cp_to_byte(line_bytes, cp_col):
    """A 1-based code-point column of a line as a 1-based byte column."""
    text = line_bytes.decode("utf-8", errors="surrogateescape")
    return len(text[:cp_col - 1].encode("utf-8", errors="surrogateescape")) + 1


# ---- the formats ----

def check_json(out):
    d = json.loads(out)
    need(d.get("version") == 1, "version")
    need(d["tool"]["name"] == "dfopt", "tool.name")
    for f in d["findings"]:
        for k in ("file", "rule", "name", "severity", "message", "fingerprint"):
            need(isinstance(f.get(k), str) and f[k], f"finding.{k}")
        need(re.fullmatch(r"DF\d{3}", f["rule"]), "rule id")
        need(f["severity"] in ("error", "warning", "info", "style"), "severity")
        for k in ("line", "column", "end_line", "end_column"):
            need(is_pos(f[k]), f"finding.{k}")
        need((f["end_line"], f["end_column"]) >= (f["line"], f["column"]), "end before start")
        need(isinstance(f["hadolint"], list), "hadolint list")
        need(isinstance(f["buildkit"], list), "buildkit list")
        if f["fix"] is not None:
            x = f["fix"]
            need(isinstance(x["replacement"], str), "fix.replacement")
            need(isinstance(x["offset"], int) and isinstance(x["length"], int), "fix offset")
    s = d["summary"]
    need(s["findings"] == len(d["findings"]), "summary count")
    need(sum(s[k] for k in ("error", "warning", "info", "style")) == s["findings"],
         "summary by severity")
    return d["findings"]


def check_sarif(out, findings, src_lines):
    d = json.loads(out)
    need(d["version"] == "2.1.0", "version")
    need(d["$schema"].endswith("sarif-2.1.0.json"), "$schema")
    need(len(d["runs"]) == 1, "one run")
    run = d["runs"][0]
    driver = run["tool"]["driver"]
    need(driver["name"] == "dfopt", "driver.name")
    rules = driver["rules"]
    ids = [r["id"] for r in rules]
    need(len(ids) == len(set(ids)), "unique rule ids")
    for r in rules:
        need(r["shortDescription"]["text"], "rule shortDescription")
        need(r["fullDescription"]["text"], "rule fullDescription")
        need(r["defaultConfiguration"]["level"] in ("none", "note", "warning", "error"),
             "rule level")
    results = run["results"]
    need(len(results) == len(findings), "result count")
    need(run.get("columnKind") == "unicodeCodePoints", "columnKind")
    for res, f in zip(results, findings):
        need(res["ruleId"] == f["rule"], "ruleId order")
        need(rules[res["ruleIndex"]]["id"] == res["ruleId"], "ruleIndex")
        need(res["level"] in ("none", "note", "warning", "error"), "level")
        need(res["message"]["text"] == f["message"], "message")
        loc = res["locations"][0]["physicalLocation"]
        need(loc["artifactLocation"]["uri"], "uri")
        reg = loc["region"]
        for k in ("startLine", "startColumn", "endLine", "endColumn"):
            need(is_pos(reg[k]), f"region.{k}")
        # code-point columns point at the same bytes as json's byte columns
        if reg["startLine"] <= len(src_lines) and reg["endLine"] <= len(src_lines):
            c0 = cp_to_byte(src_lines[reg["startLine"] - 1], reg["startColumn"])
            c1 = cp_to_byte(src_lines[reg["endLine"] - 1], reg["endColumn"])
            need(region_bytes(src_lines, reg["startLine"], c0, reg["endLine"], c1) ==
                 region_bytes(src_lines, f["line"], f["column"], f["end_line"], f["end_column"]),
                 f"region of {f['rule']} (line {f['line']}) differs from json")
        fp = res["partialFingerprints"]
        need(fp and all(isinstance(v, str) and v for v in fp.values()), "partialFingerprints")
        need((f["fix"] is None) == ("fixes" not in res), "fixes present iff json fix")
        for fix in res.get("fixes", []):
            need(fix["description"]["text"], "fix.description")
            need(len(fix["artifactChanges"]) >= 1, "artifactChanges")
            for ch in fix["artifactChanges"]:
                need(ch["artifactLocation"]["uri"], "change uri")
                need(len(ch["replacements"]) >= 1, "replacements")
                for rep in ch["replacements"]:
                    need(is_pos(rep["deletedRegion"]["startLine"]), "deletedRegion")
                    need(rep["insertedContent"]["text"] == f["fix"]["replacement"],
                         "insertedContent")
    prints = [json.dumps(r.get("partialFingerprints"), sort_keys=True) for r in results]
    need(len(prints) == len(set(prints)), "fingerprints unique")


def check_rd_diagnostic(dg, f):
    need(dg["message"] == f["message"], "message")
    loc = dg["location"]
    need(loc["path"] == f["file"], "path")
    rng = loc["range"]
    need(rng["start"] == {"line": f["line"], "column": f["column"]}, "range.start")
    need(rng["end"] == {"line": f["end_line"], "column": f["end_column"]}, "range.end")
    need(dg["severity"] in ("UNKNOWN_SEVERITY", "ERROR", "WARNING", "INFO"), "severity")
    need(dg["source"]["name"] == "dfopt", "source")
    need(dg["code"]["value"] == f["rule"], "code")
    sugg = dg.get("suggestions", [])
    need(len(sugg) == (f["fix"] is not None), "suggestions iff fix")
    for s in sugg:
        need(isinstance(s["text"], str), "suggestion text")
        st, en = s["range"]["start"], s["range"]["end"]
        need(is_pos(st["line"]) and is_pos(en["line"]), "suggestion lines")
        # reviewdog posts a suggestion only on the diagnostic's own lines
        need(st["line"] == rng["start"]["line"] and en["line"] == rng["end"]["line"],
             "suggestion lines differ from the diagnostic's")


def check_rdjson(out, findings):
    d = json.loads(out)
    need(d["source"]["name"] == "dfopt", "source.name")
    need(len(d["diagnostics"]) == len(findings), "count")
    for dg, f in zip(d["diagnostics"], findings):
        check_rd_diagnostic(dg, f)
    return d["diagnostics"]


def check_rdjsonl(out, findings, diagnostics):
    lines = out.decode().splitlines()
    need(len(lines) == len(findings), "one line per finding")
    for line, dg, f in zip(lines, diagnostics, findings):
        obj = json.loads(line)
        check_rd_diagnostic(obj, f)
        need(obj == dg, "rdjsonl differs from rdjson")


GH_ESCAPES = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}


def gh_unescape(s, prop):
    allowed = ("%25", "%0D", "%0A", "%3A", "%2C") if prop else ("%25", "%0D", "%0A")
    for m in re.finditer(r"%", s):
        need(s[m.start():m.start() + 3] in allowed, f"bare or wrong % escape in {s!r}")
    return re.sub(r"%(25|0D|0A|3A|2C)", lambda m: GH_ESCAPES[m.group(0)], s)


def check_github(out, findings):
    lines = out.decode().split("\n")
    need(lines[-1] == "", "ends with a newline")
    lines = lines[:-1]
    need(len(lines) == len(findings), "one command per finding")
    want_cmd = {"error": "error", "warning": "warning", "info": "notice", "style": "notice"}
    for line, f in zip(lines, findings):
        m = re.fullmatch(r"::(error|warning|notice) ([^:]*)::(.*)", line)
        need(m, f"not a workflow command: {line!r}")
        need(m.group(1) == want_cmd[f["severity"]], "command")
        props = {}
        for item in m.group(2).split(","):
            k, _, v = item.partition("=")
            need(k in ("file", "line", "endLine", "col", "endColumn", "title"), f"property {k}")
            props[k] = gh_unescape(v, True)
        need(props["file"] == f["file"], "file")
        need(int(props["line"]) == f["line"] and int(props["endLine"]) == f["end_line"], "lines")
        need(int(props["col"]) == f["column"] and int(props["endColumn"]) == f["end_column"],
             "columns")
        need(props["title"].startswith(f["rule"] + " " + f["name"]), "title")
        msg = gh_unescape(m.group(3), False)
        need(msg.split("\n")[0] == f["message"].split("\n")[0], "message")
        if f["fix"]:
            need(f["fix"]["replacement"].rstrip("\r\n") in msg, "fix text in the message")


def check_checkstyle(out, findings):
    root = ET.fromstring(out)
    need(root.tag == "checkstyle", "root")
    errors = []
    for fe in root:
        need(fe.tag == "file" and fe.get("name"), "file element")
        for e in fe:
            need(e.tag == "error", "error element")
            errors.append((fe.get("name"), e))
    need(len(errors) == len(findings), "count")
    for (name, e), f in zip(errors, findings):
        need(name == f["file"], "file name")
        need(int(e.get("line")) == f["line"] and int(e.get("column")) == f["column"], "position")
        need(e.get("severity") in ("error", "warning", "info", "ignore"), "severity")
        need(e.get("message") == f["message"], "message (escaping)")
        need(e.get("source") == "dfopt." + f["rule"], "source")


def check_gitlab(out, findings):
    d = json.loads(out)
    need(isinstance(d, list) and len(d) == len(findings), "a list, one issue per finding")
    for i, f in zip(d, findings):
        for k in ("description", "check_name", "fingerprint", "severity"):
            need(isinstance(i.get(k), str) and i[k], k)
        need(i["severity"] in ("info", "minor", "major", "critical", "blocker"), "severity")
        need(i["check_name"] == f["rule"], "check_name")
        need(i["location"]["path"] == f["file"], "path")
        need(is_pos(i["location"]["lines"]["begin"]), "lines.begin")
        need(f["message"] in i["description"], "description")
    fps = [i["fingerprint"] for i in d]
    need(len(fps) == len(set(fps)), "fingerprints unique")


def formats(bin_, paths):
    for path in paths:
        with open(path, "rb") as fh:
            src_lines = fh.read().splitlines(keepends=True)
        try:
            findings = check_json(lint(bin_, "json", path))
            ok()
        except Exception as e:  # noqa: BLE001 - report and go on
            bad(f"{path} json", e)
            continue
        checks = [
            ("sarif", lambda o: check_sarif(o, findings, src_lines)),
            ("gitlab", lambda o: check_gitlab(o, findings)),
            ("github", lambda o: check_github(o, findings)),
            ("checkstyle", lambda o: check_checkstyle(o, findings)),
        ]
        diagnostics = None
        try:
            diagnostics = check_rdjson(lint(bin_, "rdjson", path), findings)
            ok()
        except Exception as e:  # noqa: BLE001
            bad(f"{path} rdjson", e)
        if diagnostics is not None:
            checks.append(("rdjsonl", lambda o: check_rdjsonl(o, findings, diagnostics)))
        for fmt, fn in checks:
            try:
                fn(lint(bin_, fmt, path))
                ok()
            except Exception as e:  # noqa: BLE001
                bad(f"{path} {fmt}", e)


# ---- applying suggestions as reviewdog does ----

def apply_rdjson(data, diagnostics):
    lines = data.splitlines(keepends=True)
    starts = [0]
    for ln in lines:
        starts.append(starts[-1] + len(ln))

    def off(pos):
        line, col = pos["line"], pos.get("column", 1)
        return (starts[line - 1] if line - 1 < len(starts) else len(data)) + col - 1

    edits = []
    for dg in diagnostics:
        for s in dg.get("suggestions", []):
            st, en = s["range"]["start"], s["range"]["end"]
            text = s["text"].encode("utf-8", errors="surrogateescape")
            if "column" not in st and "column" not in en:
                a = starts[st["line"] - 1]
                b = starts[en["line"]] if en["line"] < len(starts) else len(data)
                if text and b > a and data[b - 1:b] == b"\n":
                    text += b"\n"
            else:
                a, b = off(st), off(en)
            edits.append((a, b, text))
    edits.sort()
    for (a0, b0, _), (a1, _, _) in zip(edits, edits[1:]):
        need(b0 <= a1 and a0 != a1, "overlapping suggestions")
    for a, b, text in reversed(edits):
        data = data[:a] + text + data[b:]
    return data, len(edits)


def apply(bin_, paths):
    fixed = 0
    for path in paths:
        with open(path, "rb") as fh:
            src = fh.read()
        for level in ("-O1", "-O2"):
            name = f"{path} {level} rdjson fixes"
            try:
                diagnostics = json.loads(lint(bin_, "rdjson", path, level))["diagnostics"]
                got, n = apply_rdjson(src, diagnostics)
                want = subprocess.run([bin_, level, path], capture_output=True, check=True).stdout
                need(got == want, f"applying {n} suggestions does not give dfopt {level}'s output")
                fixed += n > 0
                ok()
            except Exception as e:  # noqa: BLE001
                bad(name, e)
    if fixed == 0:
        bad("apply", "no file had a suggestion: nothing was checked")


def block(k):
    """Six lines; every tenth block installs packages over two RUNs (merge-run, pkg-hygiene)
    and ADDs a file, the others change nothing a pass looks at."""
    if k % 10 == 0:
        return (f"COPY app{k}.conf /etc/app{k}.conf\nRUN apt-get update\n"
                f"RUN apt-get install -y curl{k}\nADD data{k}.txt /srv/data{k}.txt\n"
                f"# step {k}\nENV STEP_{k}=on\n")
    return (f"COPY app{k}.conf /etc/app{k}.conf\nRUN make -C /src/part{k}\n"
            f"WORKDIR /srv/w{k}\nCOPY data{k}.txt data{k}.txt\n# step {k}\nEXPOSE {8000 + k}\n")


def blocks(bin_, args):
    """A long file is compared through its nodes rather than as one text (lint.c,
    ANCHOR_LINES); its findings must not depend on that."""
    def write(n):
        path = f"{args[0]}/blocks-{n}.Dockerfile"
        with open(path, "w") as fh:
            fh.write("FROM debian:12\n" + "".join(block(k) for k in range(1, n + 1)) +
                     'CMD ["app"]\n')
        return path

    def key(f, shift):  # block numbers differ between groups: digits are left out
        fix = f["fix"]
        return (f["rule"], f["line"] - shift, f["end_line"] - shift, f["column"],
                re.sub(r"\d+", "N", f["message"]),
                fix and (fix["line"] - shift, re.sub(r"\d+", "N", fix["replacement"])))

    def findings(path):
        return json.loads(lint(bin_, "json", path))["findings"]

    one, many = write(10), write(500)
    want = sorted(key(f, 0) for f in findings(one))
    got = {}
    for f in findings(many):
        group = max(f["line"] - 2, 0) // 60  # line 1 is the FROM, each group has 60 lines
        got.setdefault(group, []).append(key(f, 60 * group if f["line"] > 1 else 0))
    top = [k for k in want if k[1] == 1]  # findings on the FROM line come once
    need(len(want) > len(top) + 1, f"the ten blocks get too few findings: {want}")
    for group in range(50):
        have = sorted(got.get(group, []) + (top if group > 0 else []))
        if have != want:
            bad(f"blocks group {group}", f"findings {have}, want {want}")
            return
    ok()
    apply(bin_, [many])


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("formats", "apply", "blocks"):
        print(__doc__)
        return 2
    {"formats": formats, "apply": apply, "blocks": blocks}[sys.argv[1]](sys.argv[2], sys.argv[3:])
    print(f"lint_check {sys.argv[1]}: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
