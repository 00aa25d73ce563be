/* scorecard_evidence.c — answers suggested from a recording (see scorecard_evidence.h). */
#include "agentdesk/scorecard_evidence.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECOVERY_STRONG 0.4   /* a rise of the customer's trend that turns a call round */
#define RECOVERY_SOME 0.15    /* below this either way: steady */

static scorecard_value from_checklist(const model_ix *ix, const char *id, char *why, size_t n)
{
    for (size_t i = 0; i < ix->n_checks; i++) {
        const model_check_item *c = &ix->checks[i];
        if (strcmp(c->id, id) != 0) continue;
        if (c->done) snprintf(why, n, "checklist: \"%s\" ticked%s%s", c->label, c->by && *c->by ? " by " : "",
                              c->by && *c->by ? c->by : "");
        else snprintf(why, n, "checklist: \"%s\" not ticked by the end", c->label);
        return c->done ? SC_YES : SC_NO;
    }
    return SC_NONE;
}

static scorecard_value from_recovery(const model_ix *ix, char *why, size_t n)
{
    size_t k = model_trend_count(ix);
    if (k < 2) return SC_NONE;
    double start = model_trend_at(ix, 0), end = model_trend_at(ix, k - 1), d = end - start;
    snprintf(why, n, "customer's sentiment %+.2f at the start, %+.2f at the end", start, end);
    if (d >= RECOVERY_STRONG || (start < 0 && end > RECOVERY_SOME)) return SC_5;
    if (d >= RECOVERY_SOME) return SC_4;
    if (d > -RECOVERY_SOME) return SC_3;
    return d > -RECOVERY_STRONG ? SC_2 : SC_1;
}

static scorecard_value from_silence(const model_ix *ix, long seconds, char *why, size_t n)
{
    int64_t prev = -1, gap = 0, at = 0;
    size_t lines = 0;
    for (uint64_t no = ix->first_no; no < model_line_end(ix); no++) {
        const model_line *l = model_line_at(ix, no);
        if (!l || l->offset_ms < 0 || l->kind != LINE_UTTERANCE) continue;
        if (prev >= 0 && l->offset_ms - prev > gap) { gap = l->offset_ms - prev; at = prev; }
        prev = l->offset_ms;
        lines++;
    }
    for (size_t i = 0; i < ix->n_flags; i++)
        if (ix->flags[i].kind && strcmp(ix->flags[i].kind, "silence") == 0) {
            snprintf(why, n, "a silence flag was raised: %s", ix->flags[i].text ? ix->flags[i].text : "");
            return SC_NO;
        }
    if (lines < 2) return SC_NONE;
    snprintf(why, n, "longest gap between lines %llds (at %02lld:%02lld)", (long long)(gap / 1000),
             (long long)(at / 60000), (long long)(at / 1000 % 60));
    return gap > (int64_t)seconds * 1000 ? SC_NO : SC_YES;
}

/* Codes compare with case, '-' and '_' ignored: "refund-issued" is REFUND_ISSUED. */
static bool same_code(const char *a, size_t alen, const char *b)
{
    size_t i = 0;
    for (; i < alen && *b; i++, b++) {
        char x = (char)toupper((unsigned char)a[i]), y = (char)toupper((unsigned char)*b);
        if (x == '-') x = '_';
        if (y == '-') y = '_';
        if (x != y) return false;
    }
    return i == alen && !*b;
}

static scorecard_value from_disposition(const model_ix *ix, const char *codes, char *why, size_t n)
{
    const char *code = ix->wrap_code && *ix->wrap_code ? ix->wrap_code : ix->disposition;
    if (!code || !*code) return SC_NONE;
    const char *from = ix->wrap_code && *ix->wrap_code ? "wrap-up" : "drafted";
    for (const char *p = codes; *p;) {
        size_t len = strcspn(p, ",");
        if (len && same_code(p, len, code)) {
            snprintf(why, n, "%s disposition %s", from, code);
            return SC_YES;
        }
        p += len + (p[len] == ',');
    }
    snprintf(why, n, "%s disposition %s is not a resolving one", from, code);
    return SC_NO;
}

static scorecard_value from_flags(const model_ix *ix, char *why, size_t n)
{
    if (!ix->n_flags) { snprintf(why, n, "no flag was raised"); return SC_NA; }
    size_t handled = 0;
    const char *missed = NULL;
    for (size_t i = 0; i < ix->n_flags; i++) {
        const model_flag *f = &ix->flags[i];
        bool ok = f->acked_by[0] != 0;
        for (uint64_t no = ix->first_no; !ok && no < model_line_end(ix); no++) {
            const model_line *l = model_line_at(ix, no);
            ok = l && l->kind == LINE_UTTERANCE && l->speaker == SPEAKER_AGENT && l->offset_ms > f->offset_ms;
        }
        if (ok) handled++;
        else if (!missed) missed = f->kind;
    }
    if (handled == ix->n_flags) {
        snprintf(why, n, handled == 1 ? "1 flag raised, the agent answered after it" : "%zu flags raised, the agent answered after each", handled);
        return SC_YES;
    }
    snprintf(why, n, "%zu of %zu flags not answered (first: %s)", ix->n_flags - handled, ix->n_flags,
             missed ? missed : "?");
    return SC_NO;
}

size_t scorecard_evidence_suggest(scorecard_answers *as, const model_ix *ix)
{
    size_t n = 0;
    for (size_t i = 0; ix && i < as->card->n_items; i++) {
        const char *e = as->card->items[i].evidence;
        if (!e) continue;
        char why[300] = "";
        scorecard_value v = SC_NONE;
        if (strncmp(e, "checklist:", 10) == 0) v = from_checklist(ix, e + 10, why, sizeof why);
        else if (strcmp(e, "sentiment_recovery") == 0) v = from_recovery(ix, why, sizeof why);
        else if (strncmp(e, "silence:", 8) == 0) v = from_silence(ix, strtol(e + 8, NULL, 10), why, sizeof why);
        else if (strncmp(e, "disposition:", 12) == 0) v = from_disposition(ix, e + 12, why, sizeof why);
        else if (strcmp(e, "flags_handled") == 0) v = from_flags(ix, why, sizeof why);
        /* N/A where the item does not take it: say nothing rather than guess */
        if (v == SC_NA && !as->card->items[i].na) v = SC_NONE;
        if (v == SC_NONE) continue;
        scorecard_suggest(as, i, v, why);
        n++;
    }
    return n;
}
