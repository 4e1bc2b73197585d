/*
 * gen.c: writes the benchmark's Dockerfiles, built from the real-world shapes in corpus/.
 *
 *   gen CORPUS_DIR OUT_DIR
 *
 * Every Dockerfile in corpus/ is a template. A template is split into instruction units (the
 * comment and blank lines before an instruction, the instruction with its continuation lines and
 * heredoc bodies); units are what the generator composes. Templates fall into classes that can
 * be joined without changing how they parse: LF with backslash escape, CRLF, backtick escape.
 *
 * Every Dockerfile is written alone in a directory of its own, as in a project: dfopt takes a
 * Dockerfile's directory as its build context, and 10,000 files side by side would each have
 * the other 9,999 as their context.
 *
 * Output (all deterministic; the same corpus gives the same bytes):
 *   files10k/NNNNN/Dockerfile  10,000 files: file i is template i mod T, whole (BOM, CRLF,
 *                              directives, missing final newline kept), and two files in three
 *                              get one or two more stages from templates of the same class,
 *                              stage names renamed and from= indexes renumbered so references
 *                              stay right; every file that ends in a newline gets a LABEL with
 *                              its number (all distinct)
 *   files1k/NNNNN/Dockerfile   the first 1,000 of those (for the 10x growth factor)
 *   one-1k/Dockerfile          one file of about 1 KB
 *   typical-2k/Dockerfile      one typical file of about 2 KB
 *   big-1m, big-10m, big-100m  single files of 1, 10 and 100 MB (NAME/Dockerfile): units of
 *                              every LF template in turn, stages renamed (and stage indexes in
 *                              from= renumbered) per copy
 *   instr-10k, instr-100k      single files of exactly 10,000 and 100,000 instructions
 *                              (as counted by this generator's splitter; run.sh checks the count
 *                              against dfopt's own dump)
 *   shape-NAME-10k, -100k      shapes that once cost the square of their size, N units each
 *                              (not from the corpus; run.sh reports their growth):
 *                                findings  stages, each on the one before, with a lower-case
 *                                          remote ADD: a warning said again in later rounds
 *                                args      N global ARGs, then N FROMs using them
 *                                workdirs  FROM scratch, then N relative WORKDIRs, each in
 *                                          the one before, with a RUN
 *   manifest.txt               name, bytes, instructions of each single file
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

enum { CLASS_LF, CLASS_CRLF, CLASS_BACKTICK, CLASS_OPEN /* used whole, alone */ };

typedef struct unit {
    size_t start, end; /* byte range in the template */
    bool from;         /* the instruction is a FROM */
} unit;

typedef struct tpl {
    char *name;
    char *data;
    size_t len;
    size_t body;       /* where the first unit starts (after the leading comment block) */
    int class;
    bool final_newline;
    unit *units;
    size_t nunits;
    char **stages;     /* AS names */
    size_t nstages;
} tpl;

static bool open_at_end(const struct tpl *x);

typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

static void die(const char *msg, const char *arg)
{
    fprintf(stderr, "gen: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    exit(2);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("out of memory", NULL);
    return p;
}

static void put(buf *b, const char *s, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        b->p = xrealloc(b->p, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void puts_(buf *b, const char *s)
{
    put(b, s, strlen(s));
}

static uint64_t rng_state;

static uint64_t rng(void) /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die(strerror(errno), path);
    buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        put(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return b.p;
}

static void write_file(const char *path, const buf *b)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b->p, 1, b->len, f) != b->len || fclose(f) != 0)
        die("cannot write", path);
}

/* ---- splitting a template into units ---- */

static size_t line_end(const tpl *t, size_t from)
{
    const char *nl = memchr(t->data + from, '\n', t->len - from);
    return nl ? (size_t)(nl - t->data) + 1 : t->len;
}

/* The line's content without its newline and trailing blanks. */
static size_t content_len(const char *p, size_t n)
{
    while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    return n;
}

static size_t lead_blanks(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    return i;
}

static bool trivia(const char *p, size_t n) /* blank or comment line */
{
    n = content_len(p, n);
    size_t i = lead_blanks(p, n);
    return i == n || p[i] == '#';
}

static bool continues(const char *p, size_t n, char esc)
{
    n = content_len(p, n);
    return n > 0 && p[n - 1] == esc && !(n >= 2 && p[n - 2] == esc);
}

static bool keyword_is(const char *p, size_t n, const char *kw)
{
    size_t i = lead_blanks(p, n), k = strlen(kw);
    return n - i > k && strncasecmp(p + i, kw, k) == 0 && (p[i + k] == ' ' || p[i + k] == '\t');
}

/* Heredoc delimiters opened on the first line of a RUN/COPY/ADD: <<[-]["']WORD["'] */
static size_t heredocs(const char *p, size_t n, char names[][64], bool chomp[], size_t max)
{
    size_t count = 0;
    for (size_t i = 0; i + 2 < n && count < max; i++) {
        if (p[i] != '<' || p[i + 1] != '<')
            continue;
        size_t j = i + 2;
        bool c = j < n && p[j] == '-';
        j += c;
        if (j < n && (p[j] == '"' || p[j] == '\''))
            j++;
        size_t s = j;
        while (j < n && (isalnum((unsigned char)p[j]) || p[j] == '_') && j - s < 63)
            j++;
        if (j == s)
            continue;
        memcpy(names[count], p + s, j - s);
        names[count][j - s] = '\0';
        chomp[count++] = c;
        i = j;
    }
    return count;
}

static void add_stage_name(tpl *t, const char *p, size_t n)
{
    /* FROM [--flag...] image [AS name]: the word after AS */
    size_t e = content_len(p, n), i = 0;
    while (i < e) {
        while (i < e && isspace((unsigned char)p[i]))
            i++;
        size_t s = i;
        while (i < e && !isspace((unsigned char)p[i]))
            i++;
        if (i - s == 2 && strncasecmp(p + s, "as", 2) == 0) {
            while (i < e && isspace((unsigned char)p[i]))
                i++;
            size_t ns = i;
            while (i < e && !isspace((unsigned char)p[i]))
                i++;
            if (i > ns) {
                t->stages = xrealloc(t->stages, (t->nstages + 1) * sizeof *t->stages);
                char *name = xrealloc(NULL, i - ns + 1);
                memcpy(name, p + ns, i - ns);
                name[i - ns] = '\0';
                t->stages[t->nstages++] = name;
            }
            return;
        }
    }
}

static void split(tpl *t)
{
    char esc = t->class == CLASS_BACKTICK ? '`' : '\\';
    size_t pos = 0;
    if (t->len >= 3 && memcmp(t->data, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    /* the leading comment block (directives, header comments) belongs to the whole file */
    while (pos < t->len) {
        size_t e = line_end(t, pos);
        if (!trivia(t->data + pos, e - pos))
            break;
        pos = e;
    }
    t->body = pos;
    size_t lead = pos, cap = 0;
    while (pos < t->len) {
        size_t e = line_end(t, pos);
        const char *p = t->data + pos;
        if (trivia(p, e - pos)) {
            pos = e;
            continue;
        }
        size_t first = pos, first_end = e;
        bool cont = continues(p, e - pos, esc);
        pos = e;
        while (cont && pos < t->len) {
            e = line_end(t, pos);
            const char *q = t->data + pos;
            pos = e;
            if (trivia(q, e - (size_t)(q - t->data)))
                continue;
            cont = continues(q, e - (size_t)(q - t->data), esc);
        }
        const char *fp = t->data + first;
        size_t fn = first_end - first;
        if (keyword_is(fp, fn, "RUN") || keyword_is(fp, fn, "COPY") || keyword_is(fp, fn, "ADD")) {
            char names[8][64];
            bool chomp[8];
            size_t nh = heredocs(fp, content_len(fp, fn), names, chomp, 8);
            for (size_t h = 0; h < nh; h++) {
                while (pos < t->len) {
                    e = line_end(t, pos);
                    const char *q = t->data + pos;
                    size_t m = content_len(q, e - pos);
                    pos = e;
                    if (chomp[h])
                        while (m > 0 && *q == '\t')
                            q++, m--;
                    if (m == strlen(names[h]) && memcmp(q, names[h], m) == 0)
                        break;
                }
            }
        }
        bool from = keyword_is(fp, fn, "FROM");
        if (from)
            add_stage_name(t, fp, fn);
        if (t->nunits == cap) {
            cap = cap ? cap * 2 : 32;
            t->units = xrealloc(t->units, cap * sizeof *t->units);
        }
        t->units[t->nunits++] = (unit){lead, pos, from};
        lead = pos;
    }
    if (t->nunits && lead < t->len)
        t->units[t->nunits - 1].end = t->len; /* trailing comments stay with the last unit */
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static tpl *load(const char *dir, size_t *ntpl)
{
    DIR *d = opendir(dir);
    if (!d)
        die(strerror(errno), dir);
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l > 11 && strcmp(e->d_name + l - 11, ".Dockerfile") == 0) {
            names = xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = strdup(e->d_name);
        }
    }
    closedir(d);
    if (n == 0)
        die("no *.Dockerfile templates in", dir);
    qsort(names, n, sizeof *names, cmp_names);
    tpl *t = xrealloc(NULL, n * sizeof *t);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        memset(&t[i], 0, sizeof t[i]);
        t[i].name = names[i];
        t[i].data = read_file(path, &t[i].len);
        t[i].final_newline = t[i].len && t[i].data[t[i].len - 1] == '\n';
        t[i].class = CLASS_LF;
        if (memmem(t[i].data, t[i].len, "\r\n", 2))
            t[i].class = CLASS_CRLF;
        /* a backtick escape directive in the leading comment block (the parser skips blanks,
         * a vertical tab among them, before the '#') */
        for (size_t p = 0; p < t[i].len;) {
            while (p < t[i].len && strchr(" \t\v\f\r", t[i].data[p]) && t[i].data[p])
                p++;
            if (p >= t[i].len || t[i].data[p] != '#')
                break;
            const char *nl = memchr(t[i].data + p, '\n', t[i].len - p);
            size_t e2 = nl ? (size_t)(nl - t[i].data) : t[i].len;
            if (memmem(t[i].data + p, e2 - p, "escape", 6) && memchr(t[i].data + p, '`', e2 - p))
                t[i].class = CLASS_BACKTICK;
            p = e2 + 1;
        }
        if (t[i].class != CLASS_BACKTICK && open_at_end(&t[i]))
            t[i].class = CLASS_OPEN; /* whatever followed would join its last instruction */
        split(&t[i]);
    }
    free(names);
    *ntpl = n;
    return t;
}

/* ---- composing ---- */

static bool is_delim(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == '\0';
}

/* Which of t's stage names is at p (a whole word)? */
static const char *stage_at(const tpl *t, const char *p, const char *end)
{
    for (size_t s = 0; s < t->nstages; s++) {
        size_t l = strlen(t->stages[s]);
        if ((size_t)(end - p) >= l && strncasecmp(p, t->stages[s], l) == 0 &&
            (p + l == end || is_delim(p[l])))
            return t->stages[s];
    }
    return NULL;
}

/* Appends unit u of t; with copy > 0 its stage names (AS x, FROM x, --from=x, from=x) get the
 * suffix -c<copy>, so each copy of a template refers to its own stages. */
/* Writes unit u of copy number copy of template t (0: as it is), into a file that holds base
 * stages before the copy: its stage names get the suffix -cCOPY, and a stage index in from=
 * becomes the index of the same stage in the file, so that references stay right. */
static void put_unit(buf *b, const tpl *t, const unit *u, unsigned long copy, size_t base)
{
    const char *p = t->data + u->start, *end = t->data + u->end;
    if (copy == 0) {
        put(b, p, (size_t)(end - p));
        return;
    }
    char suffix[32];
    snprintf(suffix, sizeof suffix, "-c%lu", copy);
    const char *last = p;
    for (const char *q = p; q < end; q++) {
        const char *name = NULL;
        bool from = q - p >= 5 && q[-1] == '=' && strncasecmp(q - 5, "from=", 5) == 0;
        if (from && isdigit((unsigned char)*q)) {
            const char *e = q;
            while (e < end && isdigit((unsigned char)*e))
                e++;
            if (e == end || strchr(" \t\r\n,\"'", *e)) { /* a stage index */
                char num[32];
                snprintf(num, sizeof num, "%lu", strtoul(q, NULL, 10) + (unsigned long)base);
                put(b, last, (size_t)(q - last));
                puts_(b, num);
                q = e - 1;
                last = e;
                continue;
            }
        }
        if (t->nstages == 0)
            continue;
        if (from)
            name = stage_at(t, q, end);
        else if (u->from && q > p && (q[-1] == ' ' || q[-1] == '\t'))
            name = stage_at(t, q, end);
        if (name) {
            size_t l = strlen(name);
            put(b, last, (size_t)(q + l - last));
            puts_(b, suffix);
            q += l - 1;
            last = q + 1;
        }
    }
    put(b, last, (size_t)(end - last));
}

static void put_newline(buf *b, int class)
{
    puts_(b, class == CLASS_CRLF ? "\r\n" : "\n");
}

/* Does the template's last instruction continue into the end of the file (its last line that
 * is neither blank nor a comment ends in a backslash)? */
static bool open_at_end(const tpl *x)
{
    size_t e = x->len;
    while (e > 0) {
        size_t s = e;
        while (s > 0 && x->data[s - 1] != '\n')
            s--;
        size_t a = s, z = e;
        while (a < z && strchr(" \t\r\v\f\n", x->data[a]))
            a++;
        while (z > a && strchr(" \t\r\v\f\n", x->data[z - 1]))
            z--;
        if (a < z && x->data[a] != '#')
            return x->data[z - 1] == '\\';
        e = s > 0 ? s - 1 : 0;
    }
    return false;
}

/* Templates of one class, in corpus order. */
static size_t members(const tpl *t, size_t n, int class, size_t *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (t[i].class == class && t[i].nunits > 0)
            out[k++] = i;
    return k;
}

/* The stages of template t (its FROMs). */
static size_t stages_of(const tpl *t)
{
    size_t n = 0;
    for (size_t u = 0; u < t->nunits; u++)
        n += t->units[u].from;
    return n;
}

/* One file of the multi-file corpus. */
static void corpus_file(buf *b, const tpl *t, size_t nt, size_t i)
{
    const tpl *a = &t[i % nt];
    rng_state = 0x5DEECE66Du + i;
    put(b, a->data, a->len);
    if (!a->final_newline || a->class == CLASS_OPEN)
        return;
    size_t same[1024];
    size_t ns = members(t, nt < 1024 ? nt : 1024, a->class, same);
    uint64_t r = rng();
    size_t extra = ns ? r % 3 : 0; /* 0, 1 or 2 more templates' stages */
    size_t stages = stages_of(a);
    for (size_t k = 0; k < extra; k++) {
        const tpl *x = &t[same[rng() % ns]];
        put_newline(b, a->class);
        for (size_t u = 0; u < x->nunits; u++)
            put_unit(b, x, &x->units[u], k + 1, stages);
        stages += stages_of(x);
    }
    if (b->p[b->len - 1] != '\n')
        put_newline(b, a->class);
    char label[96];
    snprintf(label, sizeof label, "LABEL org.example.bench.file=\"%05zu\"", i);
    puts_(b, label);
    put_newline(b, a->class);
}

/* Units of the LF templates in turn until the file has max_bytes bytes or max_units
 * instructions (whichever is given); returns the number of instructions written. */
static size_t big_file(buf *b, const tpl *t, size_t nt, size_t max_bytes, size_t max_units)
{
    size_t lf[1024];
    size_t nlf = members(t, nt < 1024 ? nt : 1024, CLASS_LF, lf);
    if (nlf == 0)
        die("no LF template to build big files from", NULL);
    puts_(b, "# syntax=docker/dockerfile:1\n");
    size_t units = 0, stages = 0;
    for (unsigned long copy = 1;; copy++) {
        const tpl *x = &t[lf[(copy - 1) % nlf]];
        size_t base = stages;
        for (size_t u = 0; u < x->nunits; u++) {
            if ((max_bytes && b->len >= max_bytes) || (max_units && units >= max_units))
                return units;
            put_unit(b, x, &x->units[u], copy, base);
            stages += x->units[u].from;
            if (b->len && b->p[b->len - 1] != '\n')
                put(b, "\n", 1);
            units++;
        }
    }
}

/* A small file: whole LF templates of 600..1600 bytes, then units of the following ones,
 * until it reaches target bytes. */
static size_t small_file(buf *b, const tpl *t, size_t nt, size_t target)
{
    size_t lf[1024];
    size_t nlf = members(t, nt < 1024 ? nt : 1024, CLASS_LF, lf), units = 0, k = 0;
    while (k < nlf && (t[lf[k]].len < 600 || t[lf[k]].len > 1600))
        k++;
    if (k == nlf)
        k = 0;
    const tpl *a = &t[lf[k]];
    put(b, a->data, a->len);
    units += a->nunits;
    size_t stages = stages_of(a);
    for (unsigned long copy = 1; b->len < target; copy++) {
        const tpl *x = &t[lf[(k + copy) % nlf]];
        put(b, b->p[b->len - 1] == '\n' ? "\n" : "\n\n", b->p[b->len - 1] == '\n' ? 1 : 2);
        size_t base = stages;
        for (size_t u = 0; u < x->nunits && b->len < target; u++) {
            put_unit(b, x, &x->units[u], copy, base);
            stages += x->units[u].from;
            units++;
        }
    }
    return units;
}

/* ---- shapes ---- */

static void shape(buf *b, const char *name, size_t n)
{
    char line[160];
    if (strcmp(name, "findings") == 0) {
        puts_(b, "FROM alpine:3.19 AS s0\n");
        for (size_t i = 1; i < n; i++) {
            snprintf(line, sizeof line,
                     "FROM s%zu AS s%zu\nadd https://example.com/f%zu.tgz /opt/\nRUN a%zu\nRUN b%zu\n",
                     i - 1, i, i, i, i);
            puts_(b, line);
        }
    } else if (strcmp(name, "args") == 0) {
        for (size_t i = 0; i < n; i++) {
            snprintf(line, sizeof line, "ARG V%zu=%zu.%zu\n", i, i / 100, i % 100);
            puts_(b, line);
        }
        for (size_t i = 0; i < n; i++) {
            snprintf(line, sizeof line, "FROM python:${V%zu}\nRUN pip install app%zu\n", i, i);
            puts_(b, line);
        }
    } else {
        puts_(b, "FROM scratch\n");
        for (size_t i = 0; i < n; i++) {
            snprintf(line, sizeof line, "WORKDIR d%zu\nRUN make s%zu\n", i, i);
            puts_(b, line);
        }
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: gen CORPUS_DIR OUT_DIR\n");
        return 2;
    }
    size_t nt;
    tpl *t = load(argv[1], &nt);
    const char *out = argv[2];
    char path[4096];
    mkdir(out, 0755);
    snprintf(path, sizeof path, "%s/files10k", out);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/files1k", out);
    mkdir(path, 0755);

    buf b = {0};
    for (size_t i = 0; i < 10000; i++) {
        b.len = 0;
        corpus_file(&b, t, nt, i);
        snprintf(path, sizeof path, "%s/files10k/%05zu", out, i);
        mkdir(path, 0755);
        snprintf(path, sizeof path, "%s/files10k/%05zu/Dockerfile", out, i);
        write_file(path, &b);
        if (i < 1000) {
            snprintf(path, sizeof path, "%s/files1k/%05zu", out, i);
            mkdir(path, 0755);
            snprintf(path, sizeof path, "%s/files1k/%05zu/Dockerfile", out, i);
            write_file(path, &b);
        }
    }

    buf manifest = {0};
    static const struct {
        const char *name;
        size_t bytes, units;
        bool small;
    } singles[] = {
        {"one-1k", 1000, 0, true},
        {"typical-2k", 2000, 0, true},
        {"big-1m", 1000000, 0, false},
        {"big-10m", 10000000, 0, false},
        {"big-100m", 100000000, 0, false},
        {"instr-10k", 0, 10000, false},
        {"instr-100k", 0, 100000, false},
    };
    for (size_t s = 0; s < sizeof singles / sizeof singles[0]; s++) {
        b.len = 0;
        size_t units = singles[s].small ? small_file(&b, t, nt, singles[s].bytes)
                                        : big_file(&b, t, nt, singles[s].bytes, singles[s].units);
        snprintf(path, sizeof path, "%s/%s", out, singles[s].name);
        mkdir(path, 0755);
        snprintf(path, sizeof path, "%s/%s/Dockerfile", out, singles[s].name);
        write_file(path, &b);
        char line[256];
        snprintf(line, sizeof line, "%s %zu %zu\n", singles[s].name, b.len, units);
        puts_(&manifest, line);
    }
    static const char *const shapes[] = {"findings", "args", "workdirs"};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
        for (size_t n = 10000; n <= 100000; n *= 10) {
            b.len = 0;
            shape(&b, shapes[s], n);
            snprintf(path, sizeof path, "%s/shape-%s-%zuk", out, shapes[s], n / 1000);
            mkdir(path, 0755);
            snprintf(path, sizeof path, "%s/shape-%s-%zuk/Dockerfile", out, shapes[s], n / 1000);
            write_file(path, &b);
        }
    snprintf(path, sizeof path, "%s/manifest.txt", out);
    write_file(path, &manifest);
    free(b.p);
    free(manifest.p);
    fprintf(stderr, "gen: %zu templates -> %s\n", nt, out);
    return 0;
}
