// peers.js: runs one npm peer over many Dockerfiles in one process (loaded once), the way
// `dfopt FILE...` runs, for bench/peers.sh.
//
//   node peers.js TOOL FILE...      TOOL: du-format du-lint dockerfilelint dprint
//   node peers.js TOOL @LIST        file names one per line in LIST
//
// Each file is read, processed and its result written to stdout (formatted text, or the
// findings as JSON), like dfopt's output; bench/peers.sh sends it to /dev/null. A file the tool
// throws on is counted and skipped; the count goes to stderr ("failed on N of M files").
"use strict";
const fs = require("fs");
const path = require("path");

const [tool, ...args] = process.argv.slice(2);
let files = args;
if (args.length === 1 && args[0].startsWith("@"))
    files = fs.readFileSync(args[0].slice(1), "utf8").split("\n").filter(Boolean);

let run;
if (tool === "du-format" || tool === "du-lint") {
    const du = require("dockerfile-utils");
    const settings = { insertSpaces: true, tabSize: 4 };
    run = tool === "du-lint"
        ? (text) => JSON.stringify(du.validate(text))
        : (text) => {
            // the formatter returns edits; apply them back to front to get the text
            const edits = du.format(text, settings);
            const lines = text.split("\n");
            const starts = [0];
            for (const l of lines) starts.push(starts[starts.length - 1] + l.length + 1);
            const off = (p) => starts[p.line] + p.character;
            let out = text;
            edits.sort((a, b) => off(b.range.start) - off(a.range.start));
            for (const e of edits)
                out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
            return out;
        };
} else if (tool === "dockerfilelint") {
    const lint = require("dockerfilelint");
    const config = path.join(__dirname, "no-such-config-dir");
    run = (text) => JSON.stringify(lint.run(config, text));
} else if (tool === "dprint") {
    const { getPath } = require("@dprint/dockerfile");
    const { createFromBuffer } = require("@dprint/formatter");
    const formatter = createFromBuffer(fs.readFileSync(getPath()));
    run = (text, file) => formatter.formatText({ filePath: file, fileText: text });
} else {
    console.error(`peers.js: unknown tool '${tool}'`);
    process.exit(2);
}

const out = [];
let size = 0, failed = 0;
for (const f of files) {
    const text = fs.readFileSync(f, "utf8");
    try {
        out.push(run(text, f));
    } catch (e) {
        failed++;
        continue;
    }
    size += out[out.length - 1].length;
    if (size > 1 << 20) {
        fs.writeSync(1, out.join(""));
        out.length = 0;
        size = 0;
    }
}
fs.writeSync(1, out.join(""));
if (failed)
    console.error(`failed on ${failed} of ${files.length} files`);
