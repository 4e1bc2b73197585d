/*
 * lint_config.c: .dfopt.yaml, the configuration of `dfopt lint`, read with libyaml.
 *
 *   level: 1                       # -O level of the passes that report (0, 1, 2)
 *   fail-level: warning            # error | warning | info | style | none
 *   passes:
 *     enable: [name, ...]          # report these passes too
 *     disable: [name, ...]         # never these
 *   rules:
 *     enable: [DF032, ...]         # IDs, names, hadolint codes or BuildKit check names
 *     disable: [cd-in-run, DL3008]
 *   severity:
 *     DF013: warning               # a rule (any of the names above) -> its severity
 *   trusted-registries: [docker.io, ghcr.io]   # DF056: base images only from these
 *
 * Every key is optional; an unknown key, a wrong type or an unknown rule or pass is an error
 * reported as `file:line:col: error: message` (1-based, from the YAML node's position).
 */
#include "lint.h"

#include <errno.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

void lint_config_defaults(lint_config *c)
{
    memset(c, 0, sizeof *c);
    c->level = -1;
    c->fail_level = SEV_WARNING;
    for (size_t i = 0; i < R_COUNT; i++)
        c->rule_on[i] = !(lint_rules[i].flags & LR_OFF);
}

static void free_list(char **v)
{
    for (char **p = v; p && *p; p++)
        free(*p);
    free(v);
}

void lint_config_free(lint_config *c)
{
    free_list(c->pass_enable);
    free_list(c->pass_disable);
    free_list(c->trusted);
    c->pass_enable = c->pass_disable = c->trusted = NULL;
}

typedef struct reader {
    yaml_document_t doc;
    const char *path;
    df_buf err;
} reader;

static bool fail(reader *r, const yaml_node_t *n, const char *fmt, const char *arg)
{
    if (r->err.len)
        return false;
    buf_printf(&r->err, "%s:%zu:%zu: error: ", r->path, n ? (size_t)n->start_mark.line + 1 : 1,
               n ? (size_t)n->start_mark.column + 1 : 1);
    buf_printf(&r->err, fmt, arg);
    buf_putc(&r->err, '\n');
    return false;
}

static const char *scalar(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

static bool want(reader *r, const yaml_node_t *n, yaml_node_type_t type, const char *what)
{
    if (n->type == type)
        return true;
    return fail(r, n, "expected %s", what);
}

/* A sequence of scalars (a single scalar is taken as a one-item list). */
static bool each_item(reader *r, yaml_node_t *n, bool (*fn)(reader *, yaml_node_t *, void *),
                      void *ctx)
{
    if (n->type == YAML_SCALAR_NODE)
        return fn(r, n, ctx);
    if (!want(r, n, YAML_SEQUENCE_NODE, "a list"))
        return false;
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++) {
        yaml_node_t *item = yaml_document_get_node(&r->doc, *it);
        if (!want(r, item, YAML_SCALAR_NODE, "a name") || !fn(r, item, ctx))
            return false;
    }
    return true;
}

static void push_name(char ***list, const char *s)
{
    size_t n = 0;
    while (*list && (*list)[n])
        n++;
    *list = xrealloc(*list, (n + 2) * sizeof **list);
    size_t len = strlen(s);
    (*list)[n] = xmalloc(len + 1);
    memcpy((*list)[n], s, len + 1);
    (*list)[n + 1] = NULL;
}

static bool add_pass(reader *r, yaml_node_t *n, void *ctx)
{
    if (!pipeline_find(scalar(n)))
        return fail(r, n, "unknown pass '%s' (see dfopt --list-passes)", scalar(n));
    push_name(ctx, scalar(n));
    return true;
}

static bool add_registry(reader *r, yaml_node_t *n, void *ctx)
{
    (void)r;
    push_name(ctx, scalar(n));
    return true;
}

typedef struct toggle {
    lint_config *c;
    bool on;
} toggle;

static bool set_rule(reader *r, yaml_node_t *n, void *ctx)
{
    toggle *t = ctx;
    const char *s = scalar(n);
    bool any = false;
    for (size_t i = 0; i < R_COUNT; i++)
        if (lint_rule_matches(&lint_rules[i], s, strlen(s))) {
            t->c->rule_on[i] = t->on;
            any = true;
        }
    return any || fail(r, n, "unknown rule '%s' (see dfopt lint --list-rules)", s);
}

/* Walks a mapping: for each pair, calls fn with the key's text and the value. */
typedef bool (*pair_fn)(reader *r, lint_config *c, yaml_node_t *key, yaml_node_t *value);

static bool each_pair(reader *r, lint_config *c, yaml_node_t *n, pair_fn fn)
{
    if (!want(r, n, YAML_MAPPING_NODE, "a mapping"))
        return false;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(&r->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(&r->doc, p->value);
        if (!want(r, k, YAML_SCALAR_NODE, "a key") || !fn(r, c, k, v))
            return false;
    }
    return true;
}

static bool passes_pair(reader *r, lint_config *c, yaml_node_t *k, yaml_node_t *v)
{
    if (strcmp(scalar(k), "enable") == 0)
        return each_item(r, v, add_pass, &c->pass_enable);
    if (strcmp(scalar(k), "disable") == 0)
        return each_item(r, v, add_pass, &c->pass_disable);
    return fail(r, k, "unknown key '%s' under passes (enable, disable)", scalar(k));
}

static bool rules_pair(reader *r, lint_config *c, yaml_node_t *k, yaml_node_t *v)
{
    toggle t = {c, strcmp(scalar(k), "enable") == 0};
    if (t.on || strcmp(scalar(k), "disable") == 0)
        return each_item(r, v, set_rule, &t);
    return fail(r, k, "unknown key '%s' under rules (enable, disable)", scalar(k));
}

static bool severity_pair(reader *r, lint_config *c, yaml_node_t *k, yaml_node_t *v)
{
    const char *s = scalar(k);
    if (!want(r, v, YAML_SCALAR_NODE, "a severity"))
        return false;
    lint_severity sev;
    if (!lint_severity_parse(scalar(v), strlen(scalar(v)), false, &sev))
        return fail(r, v, "unknown severity '%s' (error, warning, info, style)", scalar(v));
    bool any = false;
    for (size_t i = 0; i < R_COUNT; i++)
        if (lint_rule_matches(&lint_rules[i], s, strlen(s))) {
            c->sev_set[i] = true;
            c->sev[i] = sev;
            any = true;
        }
    return any || fail(r, k, "unknown rule '%s' (see dfopt lint --list-rules)", s);
}

static bool top_pair(reader *r, lint_config *c, yaml_node_t *k, yaml_node_t *v)
{
    const char *key = scalar(k);
    if (strcmp(key, "level") == 0) {
        const char *s = v->type == YAML_SCALAR_NODE ? scalar(v) : "";
        if (strlen(s) != 1 || s[0] < '0' || s[0] > '2')
            return fail(r, v, "level must be 0, 1 or 2%s", "");
        c->level = s[0] - '0';
        return true;
    }
    if (strcmp(key, "fail-level") == 0) {
        if (!want(r, v, YAML_SCALAR_NODE, "a severity"))
            return false;
        if (!lint_severity_parse(scalar(v), strlen(scalar(v)), true, &c->fail_level))
            return fail(r, v, "unknown fail-level '%s' (error, warning, info, style, none)",
                        scalar(v));
        c->fail_level_set = true;
        return true;
    }
    if (strcmp(key, "passes") == 0)
        return each_pair(r, c, v, passes_pair);
    if (strcmp(key, "rules") == 0)
        return each_pair(r, c, v, rules_pair);
    if (strcmp(key, "severity") == 0)
        return each_pair(r, c, v, severity_pair);
    if (strcmp(key, "trusted-registries") == 0) {
        if (!c->trusted) {
            c->trusted = xcalloc(1, sizeof *c->trusted);
        }
        return each_item(r, v, add_registry, &c->trusted);
    }
    return fail(r, k,
                "unknown key '%s' (level, fail-level, passes, rules, severity, "
                "trusted-registries)",
                key);
}

bool lint_config_load(lint_config *c, const char *path, char **err)
{
    reader r = {.path = path};
    c->path = path;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        buf_printf(&r.err, "dfopt lint: %s: cannot read: %s\n", path, strerror(errno));
        *err = r.err.p;
        return false;
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        die("out of memory");
    yaml_parser_set_input_file(&parser, fp);
    bool ok = yaml_parser_load(&parser, &r.doc) != 0;
    if (!ok) {
        buf_printf(&r.err, "%s:%zu:%zu: error: %s\n", path, parser.problem_mark.line + 1,
                   parser.problem_mark.column + 1, parser.problem ? parser.problem : "bad YAML");
    } else {
        yaml_node_t *root = yaml_document_get_root_node(&r.doc);
        if (root && !(root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0))
            ok = each_pair(&r, c, root, top_pair);
        yaml_document_delete(&r.doc);
    }
    yaml_parser_delete(&parser);
    fclose(fp);
    if (!ok) {
        *err = r.err.p;
        return false;
    }
    buf_free(&r.err);
    return true;
}
