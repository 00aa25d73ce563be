/* scorecard.c — the score card form, its answers and its total (see scorecard.h). */
#include "agentdesk/scorecard.h"
#include "base/mem.h"
#include "base/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SC_ID_MAX 64
#define SC_TEXT_MAX 300
#define SC_WEIGHT_MAX 100
#define SC_ITEMS_MAX 200

static char *clean(const char *s, size_t max)
{
    size_t len = strlen(s);
    char *c = text_clean(s, len, TEXT_SINGLE_LINE, &len);
    c[text_prefix_len(c, len, max)] = 0;
    return c;
}

/* Every key of `o` is one of `known` (NULL-ended); else false naming the first that is not. */
static bool known_keys(const json_t *o, const char *const *known, const char *where, const char *what,
                       char *err, size_t errlen)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)o, k, v) {
        bool ok = false;
        for (size_t i = 0; known[i] && !ok; i++) ok = strcmp(k, known[i]) == 0;
        if (!ok) {
            char *ck = clean(k, 60);
            snprintf(err, errlen, "%s: %s: unknown field \"%s\"", where, what, ck);
            free(ck);
            return false;
        }
    }
    return true;
}

static bool need_string(const json_t *o, const char *key, size_t max, bool id, const char *where,
                        const char *what, char **out, char *err, size_t errlen)
{
    const json_t *v = json_object_get(o, key);
    const char *s = json_string_value(v);
    if (!s || !*s) {
        snprintf(err, errlen, "%s: %s: \"%s\" must be a non-empty string", where, what, key);
        return false;
    }
    if (strlen(s) > max) {
        snprintf(err, errlen, "%s: %s: \"%s\" is longer than %zu bytes", where, what, key, max);
        return false;
    }
    if (id) {
        for (const char *p = s; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')) {
                snprintf(err, errlen, "%s: %s: \"%s\" takes a-z, 0-9, - and _ only", where, what, key);
                return false;
            }
    }
    *out = clean(s, max);
    return true;
}

static const char *const evidence_names[] = {"checklist", "sentiment_recovery", "silence", "disposition",
                                             "flags_handled", NULL};

static bool evidence_ok(const char *e)
{
    size_t n = strcspn(e, ":");
    for (size_t i = 0; evidence_names[i]; i++)
        if (strlen(evidence_names[i]) == n && strncmp(e, evidence_names[i], n) == 0) {
            bool needs_arg = i == 0 || i == 2 || i == 3;
            if (i == 2) return e[n] == ':' && e[n + 1] && strspn(e + n + 1, "0123456789") == strlen(e + n + 1);
            return needs_arg ? e[n] == ':' && e[n + 1] : e[n] == 0;
        }
    return false;
}

static bool load_item(scorecard *c, const json_t *o, size_t section, const char *where, char *err, size_t errlen)
{
    static const char *const keys[] = {"id", "text", "kind", "weight", "na", "evidence", NULL};
    char what[96];
    snprintf(what, sizeof what, "section %zu, criterion %zu", section + 1, c->sections[section].count + 1);
    if (!json_is_object(o)) { snprintf(err, errlen, "%s: %s: not an object", where, what); return false; }
    if (!known_keys(o, keys, where, what, err, errlen)) return false;
    if (c->n_items == SC_ITEMS_MAX) { snprintf(err, errlen, "%s: more than %d criteria", where, SC_ITEMS_MAX); return false; }
    scorecard_item *it = &c->items[c->n_items];
    memset(it, 0, sizeof *it);
    it->section = section;
    c->n_items++;          /* counted at once, so scorecard_free frees what is filled */
    if (!need_string(o, "id", SC_ID_MAX, true, where, what, &it->id, err, errlen) ||
        !need_string(o, "text", SC_TEXT_MAX, false, where, what, &it->text, err, errlen))
        return false;
    for (size_t i = 0; i + 1 < c->n_items; i++)
        if (strcmp(c->items[i].id, it->id) == 0) {
            snprintf(err, errlen, "%s: %s: id \"%s\" is used twice", where, what, it->id);
            return false;
        }
    const char *kind = json_string_value(json_object_get(o, "kind"));
    if (kind && strcmp(kind, "yesno") == 0) it->kind = SC_YESNO;
    else if (kind && strcmp(kind, "scale") == 0) it->kind = SC_SCALE;
    else { snprintf(err, errlen, "%s: %s: \"kind\" must be \"yesno\" or \"scale\"", where, what); return false; }
    const json_t *w = json_object_get(o, "weight");
    it->weight = 1;
    if (w) {
        if (!json_is_integer(w) || json_integer_value(w) < 1 || json_integer_value(w) > SC_WEIGHT_MAX) {
            snprintf(err, errlen, "%s: %s: \"weight\" must be a whole number 1..%d", where, what, SC_WEIGHT_MAX);
            return false;
        }
        it->weight = (int)json_integer_value(w);
    }
    const json_t *na = json_object_get(o, "na");
    if (na && !json_is_boolean(na)) { snprintf(err, errlen, "%s: %s: \"na\" must be true or false", where, what); return false; }
    it->na = it->kind == SC_SCALE || json_is_true(na);
    const json_t *ev = json_object_get(o, "evidence");
    if (ev) {
        const char *e = json_string_value(ev);
        if (!e || !evidence_ok(e) || strlen(e) > SC_TEXT_MAX) {
            snprintf(err, errlen, "%s: %s: \"evidence\" must be one of checklist:ID, sentiment_recovery, "
                     "silence:SECONDS, disposition:CODE,..., flags_handled", where, what);
            return false;
        }
        it->evidence = clean(e, SC_TEXT_MAX);
    }
    return true;
}

bool scorecard_load_json(scorecard *c, const json_t *j, const char *where, char *err, size_t errlen)
{
    static const char *const top[] = {"format", "version", "id", "title", "sections", NULL};
    static const char *const sec[] = {"id", "title", "criteria", NULL};
    memset(c, 0, sizeof *c);
    if (!json_is_object(j)) { snprintf(err, errlen, "%s: not a JSON object", where); return false; }
    if (!known_keys(j, top, where, "the card", err, errlen)) return false;
    const char *fmt = json_string_value(json_object_get(j, "format"));
    if (!fmt || strcmp(fmt, "agentdesk.scorecard") != 0) {
        snprintf(err, errlen, "%s: \"format\" must be \"agentdesk.scorecard\"", where);
        return false;
    }
    const json_t *ver = json_object_get(j, "version");
    if (!json_is_integer(ver) || json_integer_value(ver) != 1) {
        snprintf(err, errlen, "%s: \"version\" must be 1 (this agentdesk reads version 1 cards)", where);
        return false;
    }
    if (!need_string(j, "id", SC_ID_MAX, true, where, "the card", &c->id, err, errlen) ||
        !need_string(j, "title", SC_TEXT_MAX, false, where, "the card", &c->title, err, errlen))
        goto fail;
    const json_t *secs = json_object_get(j, "sections");
    if (!json_is_array(secs) || json_array_size(secs) == 0) {
        snprintf(err, errlen, "%s: \"sections\" must be a non-empty array", where);
        goto fail;
    }
    c->sections = mem_zalloc(json_array_size(secs), sizeof *c->sections);
    c->items = mem_zalloc(SC_ITEMS_MAX, sizeof *c->items);
    size_t i;
    json_t *s;
    json_array_foreach(secs, i, s) {
        char what[40];
        snprintf(what, sizeof what, "section %zu", i + 1);
        if (!json_is_object(s)) { snprintf(err, errlen, "%s: %s: not an object", where, what); goto fail; }
        if (!known_keys(s, sec, where, what, err, errlen)) goto fail;
        scorecard_section *sc = &c->sections[c->n_sections++];
        if (!need_string(s, "id", SC_ID_MAX, true, where, what, &sc->id, err, errlen) ||
            !need_string(s, "title", SC_TEXT_MAX, false, where, what, &sc->title, err, errlen))
            goto fail;
        const json_t *crit = json_object_get(s, "criteria");
        if (!json_is_array(crit) || json_array_size(crit) == 0) {
            snprintf(err, errlen, "%s: %s: \"criteria\" must be a non-empty array", where, what);
            goto fail;
        }
        sc->first = c->n_items;
        size_t k;
        json_t *it;
        json_array_foreach(crit, k, it) {
            if (!load_item(c, it, i, where, err, errlen)) goto fail;
            sc->count++;
        }
    }
    return true;
fail:
    scorecard_free(c);
    return false;
}

bool scorecard_load_file(scorecard *c, const char *path, char *err, size_t errlen)
{
    json_error_t je;
    memset(c, 0, sizeof *c);
    json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        snprintf(err, errlen, "score card %s: line %d: %s", path, je.line, je.text);
        return false;
    }
    char where[300];
    snprintf(where, sizeof where, "score card %s", path);
    bool ok = scorecard_load_json(c, j, where, err, errlen);
    json_decref(j);
    return ok;
}

void scorecard_free(scorecard *c)
{
    for (size_t i = 0; i < c->n_sections; i++) { free(c->sections[i].id); free(c->sections[i].title); }
    for (size_t i = 0; i < c->n_items; i++) {
        free(c->items[i].id); free(c->items[i].text); free(c->items[i].evidence);
    }
    free(c->sections);
    free(c->items);
    free(c->id);
    free(c->title);
    memset(c, 0, sizeof *c);
}

void scorecard_answers_init(scorecard_answers *as, const scorecard *c)
{
    as->card = c;
    as->a = mem_zalloc(c->n_items ? c->n_items : 1, sizeof *as->a);
}

void scorecard_answers_free(scorecard_answers *as)
{
    for (size_t i = 0; as->card && i < as->card->n_items; i++) { free(as->a[i].why); free(as->a[i].comment); }
    free(as->a);
    memset(as, 0, sizeof *as);
}

static bool takes(const scorecard_item *it, scorecard_value v)
{
    if (v == SC_NONE) return true;
    if (v == SC_NA) return it->na;
    if (v == SC_YES || v == SC_NO) return it->kind == SC_YESNO;
    return it->kind == SC_SCALE && v >= SC_1 && v <= SC_5;
}

bool scorecard_set(scorecard_answers *as, size_t i, scorecard_value v)
{
    if (i >= as->card->n_items || !takes(&as->card->items[i], v)) return false;
    as->a[i].value = v;
    as->a[i].suggested = false;
    return true;
}

void scorecard_confirm(scorecard_answers *as, size_t i)
{
    if (i < as->card->n_items) as->a[i].suggested = false;
}

void scorecard_suggest(scorecard_answers *as, size_t i, scorecard_value v, const char *why)
{
    if (i >= as->card->n_items || !takes(&as->card->items[i], v)) return;
    scorecard_answer *a = &as->a[i];
    if (a->value != SC_NONE && !a->suggested) return;
    a->value = v;
    a->suggested = v != SC_NONE;
    free(a->why);
    a->why = why ? clean(why, SC_TEXT_MAX) : NULL;
}

void scorecard_set_comment(scorecard_answers *as, size_t i, const char *text)
{
    if (i >= as->card->n_items) return;
    free(as->a[i].comment);
    as->a[i].comment = text && *text ? clean(text, SCORECARD_COMMENT_MAX) : NULL;
}

scorecard_score scorecard_total(const scorecard_answers *as)
{
    scorecard_score s = {0};
    s.total = as->card->n_items;
    for (size_t i = 0; i < as->card->n_items; i++) {
        const scorecard_answer *a = &as->a[i];
        int w = as->card->items[i].weight;
        if (a->value == SC_NONE) continue;
        s.answered++;
        if (a->suggested) s.suggested++;
        if (a->value == SC_NA) { s.na++; continue; }
        s.possible += w;
        /* x100 keeps it whole: a scale's (k-1)/4 is 0, 25, 50, 75 or 100 */
        int pts = a->value == SC_YES ? 100 : a->value == SC_NO ? 0 : ((int)a->value - 1) * 25;
        s.earned_w100 += w * pts;
    }
    s.percent = s.possible ? (double)s.earned_w100 / (double)s.possible : 0;
    return s;
}

const char *scorecard_value_name(scorecard_value v)
{
    static const char *const names[] = {"", "1", "2", "3", "4", "5", "yes", "no", "n/a"};
    return (unsigned)v < sizeof names / sizeof *names ? names[v] : "";
}

static scorecard_value value_named(const char *s)
{
    for (int v = SC_1; v <= SC_NA; v++)
        if (strcmp(s, scorecard_value_name((scorecard_value)v)) == 0) return (scorecard_value)v;
    return SC_NONE;
}

json_t *scorecard_answers_to_json(const scorecard_answers *as)
{
    json_t *ans = json_object();
    for (size_t i = 0; i < as->card->n_items; i++) {
        const scorecard_answer *a = &as->a[i];
        bool kept = a->value != SC_NONE && !a->suggested;
        if (!kept && !a->comment) continue;
        json_t *o = json_object();
        if (kept) json_object_set_new(o, "value", json_string(scorecard_value_name(a->value)));
        if (a->comment) json_object_set_new(o, "comment", json_string(a->comment));
        json_object_set_new(ans, as->card->items[i].id, o);
    }
    return json_pack("{s:s, s:o}", "card", as->card->id, "answers", ans);
}

bool scorecard_answers_from_json(scorecard_answers *as, const json_t *j, size_t *dropped, char *err,
                                 size_t errlen)
{
    *dropped = 0;
    const char *card = json_string_value(json_object_get(j, "card"));
    const json_t *ans = json_object_get(j, "answers");
    if (!card || !json_is_object(ans)) {
        snprintf(err, errlen, "the kept score card is not in the expected shape");
        return false;
    }
    if (strcmp(card, as->card->id) != 0) {
        char *cc = clean(card, SC_ID_MAX);
        snprintf(err, errlen, "the kept score card is \"%s\", not \"%s\"", cc, as->card->id);
        free(cc);
        return false;
    }
    const char *k;
    json_t *o;
    json_object_foreach((json_t *)ans, k, o) {
        size_t i = 0;
        while (i < as->card->n_items && strcmp(as->card->items[i].id, k) != 0) i++;
        const char *v = json_string_value(json_object_get(o, "value"));
        const char *c = json_string_value(json_object_get(o, "comment"));
        bool ok = i < as->card->n_items && (!v || scorecard_set(as, i, value_named(v)));
        if (!ok) { (*dropped)++; continue; }
        if (c) scorecard_set_comment(as, i, c);
    }
    return true;
}

json_t *scorecard_export_json(const scorecard_answers *as)
{
    const scorecard *c = as->card;
    json_t *items = json_array();
    for (size_t i = 0; i < c->n_items; i++) {
        const scorecard_answer *a = &as->a[i];
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:b}", "section", c->sections[c->items[i].section].id,
                              "id", c->items[i].id, "text", c->items[i].text,
                              "kind", c->items[i].kind == SC_SCALE ? "scale" : "yesno", "weight", c->items[i].weight,
                              "value", scorecard_value_name(a->value), "suggested", a->suggested);
        if (a->why) json_object_set_new(o, "why", json_string(a->why));
        if (a->comment) json_object_set_new(o, "comment", json_string(a->comment));
        json_array_append_new(items, o);
    }
    scorecard_score s = scorecard_total(as);
    return json_pack("{s:s, s:s, s:f, s:i, s:i, s:i, s:i, s:o}", "card", c->id, "title", c->title,
                     "percent", s.percent, "answered", (int)s.answered, "na", (int)s.na,
                     "suggested", (int)s.suggested, "items_total", (int)s.total, "items", items);
}
