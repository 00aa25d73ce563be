/* bench_flags.c — flag quality per kind on a labelled set nobody tuned the rules on alone.
 *
 * data/eval/flags/flags.tsv: split, expected kinds ("-" none, else comma-separated), text,
 * source (see data/eval/flags/SOURCES). Each utterance is a customer final in a fresh
 * interaction; the kinds raised by phrase rules (fixed phrases and example phrasings) are
 * compared with the expected ones. Beside it, in the same run, the baseline: the same rule
 * table with the example phrasings, counter-examples and classes taken out (fixed phrases
 * only, what the flags were before).
 *
 * Usage (from the repo root): bench_flags [--data DIR] [--split dev|test] [--errors]
 * The dev split is the one to look at while writing rules; --split test is for the final
 * figure only. --errors lists the dev split's misses and false flags. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hub/assist/flags.h"

#define MAX_ITEMS 2048
#define MAX_KINDS 32
#define MAX_HITS 16

typedef struct {
    char kinds[128];       /* ",a,b," or "" */
    char *text;
} item;

typedef struct {
    char name[64];
    int tp, fp, fn;
} kind_tally;

typedef struct {
    kind_tally k[MAX_KINDS];
    int n;
    int clean_total, clean_flagged;   /* utterances expecting no flag, and those flagged */
} tally;

static kind_tally *kind_of(tally *t, const char *name)
{
    for (int i = 0; i < t->n; i++)
        if (strcmp(t->k[i].name, name) == 0)
            return &t->k[i];
    if (t->n == MAX_KINDS)
        return NULL;
    kind_tally *k = &t->k[t->n++];
    snprintf(k->name, sizeof k->name, "%s", name);
    return k;
}

static int load_items(const char *path, const char *split, item *items, int max)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "bench_flags: cannot read %s\n", path);
        return -1;
    }
    char line[4096];
    int n = 0;
    while (n < max && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#')
            continue;
        char *fields[4] = {line, NULL, NULL, NULL};
        for (int i = 1; i < 4; i++) {
            char *tab = fields[i - 1] ? strchr(fields[i - 1], '\t') : NULL;
            if (tab) {
                *tab = 0;
                fields[i] = tab + 1;
            }
        }
        if (!fields[2] || strcmp(fields[0], split) != 0)
            continue;
        item *it = &items[n++];
        if (strcmp(fields[1], "-") == 0)
            it->kinds[0] = 0;
        else
            snprintf(it->kinds, sizeof it->kinds, ",%s,", fields[1]);
        it->text = strdup(fields[2]);
    }
    fclose(f);
    return n;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)len + 1);
    if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[len] = 0;
    fclose(f);
    return buf;
}

/* The rule table without its example phrasings: the fixed-phrase baseline. */
static char *without_examples(const char *rules_json)
{
    json_t *root = json_loads(rules_json, 0, NULL);
    size_t i;
    json_t *rule;
    json_array_foreach(root, i, rule) {
        json_t *params = json_object_get(rule, "params");
        json_object_del(params, "examples");
        json_object_del(params, "counter_examples");
        json_object_del(params, "classes");
        /* a rule made only of examples has no phrase left: it cannot fire */
        const char *pattern = json_string_value(json_object_get(rule, "pattern"));
        if (pattern && !*pattern)
            json_object_set_new(rule, "pattern", json_string("\x01never"));
    }
    char *out = json_dumps(root, 0);
    json_decref(root);
    return out;
}

/* Runs every item through rules; fills the tally; lists errors when asked. */
static double run(const flag_rules *rules, const item *items, int n, tally *t, bool errors)
{
    memset(t, 0, sizeof *t);
    struct timespec a, b;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    for (int i = 0; i < n; i++) {
        flag_state *st = flags_state_new(rules, "voice");
        flag_hit hits[MAX_HITS];
        int nh = flags_state_utterance(st, "customer", items[i].text, true, 5000, 0.0, hits, MAX_HITS);
        flags_state_free(st);
        char got[512] = ",";
        for (int h = 0; h < nh; h++) {
            char probe[80];
            snprintf(probe, sizeof probe, ",%s,", hits[h].kind);
            if (hits[h].kind[0] && !strstr(got, probe) && strlen(got) + strlen(hits[h].kind) + 2 < sizeof got) {
                strcat(got, hits[h].kind);
                strcat(got, ",");
            }
        }
        if (!items[i].kinds[0]) {
            t->clean_total++;
            t->clean_flagged += strlen(got) > 1;
        }
        /* expected kinds: hit or missed */
        char want[sizeof items[i].kinds];
        memcpy(want, items[i].kinds, sizeof want);
        for (char *k = strtok(want, ","); k; k = strtok(NULL, ",")) {
            char probe[80];
            snprintf(probe, sizeof probe, ",%s,", k);
            kind_tally *kt = kind_of(t, k);
            if (!kt)
                continue;
            if (strstr(got, probe)) {
                kt->tp++;
            } else {
                kt->fn++;
                if (errors)
                    printf("  missed %-10s %s\n", k, items[i].text);
            }
        }
        /* raised kinds that were not expected */
        char raised[sizeof got];
        memcpy(raised, got, sizeof raised);
        for (char *k = strtok(raised, ","); k; k = strtok(NULL, ",")) {
            char probe[80];
            snprintf(probe, sizeof probe, ",%s,", k);
            if (strstr(items[i].kinds, probe))
                continue;
            kind_tally *kt = kind_of(t, k);
            if (kt)
                kt->fp++;
            if (errors)
                printf("  false  %-10s %s\n", k, items[i].text);
        }
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
    return n ? ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / 1e3 / n : 0;
}

static double ratio(int a, int b)
{
    return b ? (double)a / b : 0;
}

int main(int argc, char **argv)
{
    const char *data = "data", *split = "dev";
    bool errors = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
            data = argv[++i];
        else if (strcmp(argv[i], "--split") == 0 && i + 1 < argc)
            split = argv[++i];
        else if (strcmp(argv[i], "--errors") == 0)
            errors = true;
        else {
            fprintf(stderr, "usage: bench_flags [--data DIR] [--split dev|test] [--errors]\n");
            return 2;
        }
    }
    if (errors && strcmp(split, "dev") != 0) {
        fprintf(stderr, "bench_flags: --errors lists the dev split only\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/eval/flags/flags.tsv", data);
    static item items[MAX_ITEMS];
    int n = load_items(path, split, items, MAX_ITEMS);
    if (n <= 0) {
        fprintf(stderr, "bench_flags: no %s items in %s\n", split, path);
        return 1;
    }
    snprintf(path, sizeof path, "%s/rules.json", data);
    char *text = read_file(path);
    char *plain = text ? without_examples(text) : NULL;
    char err[512];
    flag_rules *ours = text ? flags_load_json(text, err, sizeof err) : NULL;
    flag_rules *base = ours && plain ? flags_load_json(plain, err, sizeof err) : NULL;
    if (!ours || !base) {
        fprintf(stderr, "bench_flags: %s: %s\n", path, text ? err : "cannot read");
        return 1;
    }
    tally t_ours, t_base;
    double us_ours = run(ours, items, n, &t_ours, errors);
    double us_base = run(base, items, n, &t_base, false);
    printf("flags on data/eval/flags/flags.tsv, %s split, %d utterances (phrase rules; each a "
           "customer final in a fresh interaction)\n", split, n);
    printf("  %-14s %-22s %-22s\n", "kind", "ours: precision recall", "phrases only: P R");
    for (int i = 0; i < t_ours.n; i++) {
        kind_tally *o = &t_ours.k[i], *b = kind_of(&t_base, o->name);
        printf("  %-14s %9.2f %6.2f          %6.2f %6.2f   (n=%d)\n", o->name,
               ratio(o->tp, o->tp + o->fp), ratio(o->tp, o->tp + o->fn),
               b ? ratio(b->tp, b->tp + b->fp) : 0, b ? ratio(b->tp, b->tp + b->fn) : 0,
               o->tp + o->fn);
    }
    int tp = 0, fp = 0, fn = 0, btp = 0, bfp = 0, bfn = 0;
    for (int i = 0; i < t_ours.n; i++)
        tp += t_ours.k[i].tp, fp += t_ours.k[i].fp, fn += t_ours.k[i].fn;
    for (int i = 0; i < t_base.n; i++)
        btp += t_base.k[i].tp, bfp += t_base.k[i].fp, bfn += t_base.k[i].fn;
    printf("flags %s micro precision %.2f recall %.2f; phrases only precision %.2f recall %.2f\n",
           split, ratio(tp, tp + fp), ratio(tp, tp + fn), ratio(btp, btp + bfp), ratio(btp, btp + bfn));
    printf("flags %s no-flag utterances wrongly flagged: %d of %d; phrases only %d\n", split,
           t_ours.clean_flagged, t_ours.clean_total, t_base.clean_flagged);
    const char *goal_kinds[] = {"distress", "escalation"};
    for (int g = 0; g < 2; g++) {
        kind_tally *o = kind_of(&t_ours, goal_kinds[g]);
        printf("flags %s recall %s %.2f (goal >= 0.90)\n", split, goal_kinds[g],
               o ? ratio(o->tp, o->tp + o->fn) : 0);
    }
    printf("flags CPU per utterance (fresh state each): %.1f us; phrases only %.1f us\n", us_ours, us_base);
    flags_free(ours);
    flags_free(base);
    free(text);
    free(plain);
    for (int i = 0; i < n; i++)
        free(items[i].text);
    return 0;
}
