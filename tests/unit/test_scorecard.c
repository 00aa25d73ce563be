/* test_scorecard.c — the trainer's score card: the total (weights, N/A and unanswered out of
 * the denominator, 1-5 as (k-1)/4, suggestions counted until changed), the loader's
 * refusals (unknown fields named, duplicate ids, bad kinds, weights and evidence), the
 * shipped card loads, answers kept in the notes sidecar (version 2) and read back, a
 * version 1 sidecar still loads, and the evidence a recording made by the demo hub suggests
 * (tests/screen/fixtures/replay_call.jsonl). */
#include "tests/unit/check.h"
#include "agentdesk/recording.h"
#include "agentdesk/replay_notes.h"
#include "agentdesk/replay_timeline.h"
#include "agentdesk/scorecard.h"
#include "agentdesk/scorecard_evidence.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CARD_HEAD "{\"format\":\"agentdesk.scorecard\",\"version\":1,\"id\":\"t\",\"title\":\"T\",\"sections\":["

static bool load(scorecard *c, const char *text, char *err, size_t errlen)
{
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    if (!j) { snprintf(err, errlen, "test JSON: %s", je.text); return false; }
    bool ok = scorecard_load_json(c, j, "card", err, errlen);
    json_decref(j);
    return ok;
}

/* A small card: a yes/no of weight 3, a yes/no (N/A allowed) of weight 1, a 1-5 of weight 2. */
static const char *small =
    CARD_HEAD "{\"id\":\"a\",\"title\":\"A\",\"criteria\":["
    "{\"id\":\"verify\",\"text\":\"Verified\",\"kind\":\"yesno\",\"weight\":3},"
    "{\"id\":\"survey\",\"text\":\"Survey\",\"kind\":\"yesno\",\"na\":true}]},"
    "{\"id\":\"b\",\"title\":\"B\",\"criteria\":["
    "{\"id\":\"tone\",\"text\":\"Tone\",\"kind\":\"scale\",\"weight\":2}]}]}";

static void test_total(void)
{
    scorecard c;
    char err[300];
    CHECK(load(&c, small, err, sizeof err));
    CHECK_INT(c.n_items, 3);
    CHECK_INT(c.n_sections, 2);
    scorecard_answers as;
    scorecard_answers_init(&as, &c);
    scorecard_score s = scorecard_total(&as);
    CHECK_INT(s.possible, 0);                 /* nothing answered: no score, not 0% of something */
    CHECK_INT(s.answered, 0);
    CHECK(scorecard_set(&as, 0, SC_YES));
    CHECK(scorecard_set(&as, 2, SC_4));       /* (4-1)/4 = 75 */
    s = scorecard_total(&as);
    CHECK_INT(s.possible, 5);
    CHECK_INT(s.earned_w100, 3 * 100 + 2 * 75);
    CHECK_INT((int)(s.percent * 100 + 0.5), 9000);   /* 450 / 5 = 90% */
    CHECK(scorecard_set(&as, 1, SC_NA));      /* N/A: out of the denominator */
    s = scorecard_total(&as);
    CHECK_INT(s.possible, 5);
    CHECK_INT(s.na, 1);
    CHECK_INT(s.answered, 3);
    CHECK(scorecard_set(&as, 1, SC_NO));      /* no: in it, with 0 */
    s = scorecard_total(&as);
    CHECK_INT(s.possible, 6);
    CHECK_INT(s.earned_w100, 450);
    CHECK(scorecard_set(&as, 2, SC_1));       /* a 1 is worth nothing, a 5 everything */
    CHECK_INT(scorecard_total(&as).earned_w100, 300);
    CHECK(scorecard_set(&as, 2, SC_5));
    CHECK_INT(scorecard_total(&as).earned_w100, 500);
    /* what an item does not take is refused and changes nothing */
    CHECK(!scorecard_set(&as, 0, SC_NA));     /* verify: no N/A */
    CHECK(!scorecard_set(&as, 0, SC_3));
    CHECK(!scorecard_set(&as, 2, SC_YES));
    CHECK(scorecard_set(&as, 2, SC_NA));      /* a 1-5 item may always be N/A */
    CHECK_INT(as.a[0].value, SC_YES);
    scorecard_answers_free(&as);
    scorecard_free(&c);
}

static void test_suggestions(void)
{
    scorecard c;
    char err[300];
    CHECK(load(&c, small, err, sizeof err));
    scorecard_answers as;
    scorecard_answers_init(&as, &c);
    scorecard_suggest(&as, 0, SC_NO, "checklist: not ticked");
    scorecard_score s = scorecard_total(&as);
    CHECK_INT(s.suggested, 1);
    CHECK_INT(s.possible, 3);                 /* a suggestion counts until it is changed */
    CHECK(as.a[0].suggested);
    scorecard_confirm(&as, 0);
    CHECK(!as.a[0].suggested);
    scorecard_suggest(&as, 0, SC_YES, "again");   /* a confirmed answer is not replaced */
    CHECK_INT(as.a[0].value, SC_NO);
    scorecard_suggest(&as, 1, SC_NA, "no flag");
    CHECK(scorecard_set(&as, 1, SC_YES));         /* answering confirms */
    CHECK(!as.a[1].suggested);
    /* kept: confirmed answers and comments, never suggestions */
    scorecard_suggest(&as, 2, SC_3, "steady");
    scorecard_set_comment(&as, 2, "calm \x1b[31m throughout");
    json_t *j = scorecard_answers_to_json(&as);
    CHECK(json_object_get(json_object_get(json_object_get(j, "answers"), "tone"), "value") == NULL);
    scorecard_answers back;
    scorecard_answers_init(&back, &c);
    size_t dropped = 9;
    CHECK(scorecard_answers_from_json(&back, j, &dropped, err, sizeof err));
    CHECK_INT(dropped, 0);
    CHECK_INT(back.a[0].value, SC_NO);
    CHECK_INT(back.a[1].value, SC_YES);
    CHECK_INT(back.a[2].value, SC_NONE);
    CHECK(back.a[2].comment && strstr(back.a[2].comment, "\x1b") == NULL && strstr(back.a[2].comment, "throughout"));
    /* answers to another card, or to items it no longer has */
    json_object_set_new(j, "card", json_string("other"));
    CHECK(!scorecard_answers_from_json(&back, j, &dropped, err, sizeof err));
    CHECK(strstr(err, "\"other\"") != NULL);
    json_object_set_new(j, "card", json_string("t"));
    json_object_set_new(json_object_get(j, "answers"), "gone", json_pack("{s:s}", "value", "yes"));
    json_object_set_new(json_object_get(j, "answers"), "tone", json_pack("{s:s}", "value", "yes"));  /* not 1-5 */
    CHECK(scorecard_answers_from_json(&back, j, &dropped, err, sizeof err));
    CHECK_INT(dropped, 2);
    json_decref(j);
    scorecard_answers_free(&back);
    scorecard_answers_free(&as);
    scorecard_free(&c);
}

static void refused(const char *text, const char *want)
{
    scorecard c;
    char err[400] = "";
    bool ok = load(&c, text, err, sizeof err);
    CHECK(!ok);
    if (ok) scorecard_free(&c);
    if (!strstr(err, want)) fprintf(stderr, "  refusal said \"%s\", wanted \"%s\"\n", err, want);
    CHECK(strstr(err, want) != NULL);
}

static void test_loader_refuses(void)
{
    refused("{\"format\":\"agentdesk.scorecard\",\"version\":1,\"id\":\"t\",\"title\":\"T\",\"sections\":[],\"colour\":1}",
            "unknown field \"colour\"");
    refused(CARD_HEAD "{\"id\":\"a\",\"title\":\"A\",\"criteria\":[{\"id\":\"x\",\"text\":\"X\",\"kind\":\"yesno\",\"points\":2}]}]}",
            "criterion 1: unknown field \"points\"");
    refused(CARD_HEAD "{\"id\":\"a\",\"title\":\"A\",\"order\":1,\"criteria\":[{\"id\":\"x\",\"text\":\"X\",\"kind\":\"yesno\"}]}]}",
            "section 1: unknown field \"order\"");
    refused("{\"format\":\"agentdesk.scorecard\",\"version\":2,\"id\":\"t\",\"title\":\"T\",\"sections\":[]}", "\"version\" must be 1");
    refused("{\"format\":\"x\",\"version\":1}", "\"format\"");
    refused(CARD_HEAD "]}", "\"sections\" must be a non-empty array");
    refused(CARD_HEAD "{\"id\":\"a\",\"title\":\"A\",\"criteria\":[]}]}", "\"criteria\" must be a non-empty array");
    refused(CARD_HEAD "{\"id\":\"a\",\"title\":\"A\",\"criteria\":[{\"id\":\"x\",\"text\":\"X\",\"kind\":\"yesno\"},"
            "{\"id\":\"x\",\"text\":\"Y\",\"kind\":\"yesno\"}]}]}", "id \"x\" is used twice");
    refused(CARD_HEAD "{\"id\":\"a\",\"title\":\"A\",\"criteria\":[{\"id\":\"x\",\"text\":\"X\",\"kind\":\"stars\"}]}]}",
            "\"kind\" must be");
    refused(CARD_HEAD "{\"id\":\"a\",\"title\":\"A\",\"criteria\":[{\"id\":\"x\",\"text\":\"X\",\"kind\":\"yesno\",\"weight\":0}]}]}",
            "\"weight\" must be a whole number");
    refused(CARD_HEAD "{\"id\":\"a\",\"title\":\"A\",\"criteria\":[{\"id\":\"x\",\"text\":\"X\",\"kind\":\"yesno\",\"weight\":1.5}]}]}",
            "\"weight\" must be a whole number");
    refused(CARD_HEAD "{\"id\":\"a\",\"title\":\"A\",\"criteria\":[{\"id\":\"x\",\"text\":\"X\",\"kind\":\"yesno\",\"evidence\":\"mood\"}]}]}",
            "\"evidence\" must be");
    refused(CARD_HEAD "{\"id\":\"a\",\"title\":\"A\",\"criteria\":[{\"id\":\"x\",\"text\":\"X\",\"kind\":\"yesno\",\"evidence\":\"silence:soon\"}]}]}",
            "\"evidence\" must be");
    refused(CARD_HEAD "{\"id\":\"a\",\"title\":\"A\",\"criteria\":[{\"id\":\"X Y\",\"text\":\"X\",\"kind\":\"yesno\"}]}]}",
            "a-z, 0-9");
    refused(CARD_HEAD "{\"id\":\"a\",\"title\":\"A\",\"criteria\":[{\"id\":\"x\",\"kind\":\"yesno\"}]}]}",
            "\"text\" must be a non-empty string");
    /* a duplicate key is refused by the JSON reader itself, with its line */
    scorecard c;
    char err[400];
    FILE *f = fopen("/tmp/scorecard-dup.json", "w");
    CHECK(f != NULL);
    fputs("{\"format\":\"agentdesk.scorecard\",\n\"format\":\"agentdesk.scorecard\"}\n", f);
    fclose(f);
    CHECK(!scorecard_load_file(&c, "/tmp/scorecard-dup.json", err, sizeof err));
    CHECK(strstr(err, "line 2") != NULL);
    unlink("/tmp/scorecard-dup.json");
}

static void test_shipped_card(void)
{
    scorecard c;
    char err[400] = "";
    CHECK(scorecard_load_file(&c, "data/scorecards/contact-centre-qa.json", err, sizeof err));
    if (*err) fprintf(stderr, "  %s\n", err);
    CHECK_INT(c.n_sections, 5);
    CHECK(c.n_items >= 12);
    scorecard_free(&c);
}

static void test_evidence_and_sidecar(void)
{
    scorecard c;
    char err[800];
    CHECK(scorecard_load_file(&c, "data/scorecards/contact-centre-qa.json", err, sizeof err));
    recording rec;
    CHECK(recording_open_file(&rec, "tests/screen/fixtures/replay_call.jsonl", NULL, err, sizeof err));
    replay_timeline tl;
    replay_timeline_build(&tl, &rec, 2000, 0);
    model end;
    memset(&end, 0, sizeof end);
    replay_timeline_seek(&tl, &end, rec.n_events);
    scorecard_answers as;
    scorecard_answers_init(&as, &c);
    size_t n = scorecard_evidence_suggest(&as, model_active(&end));
    CHECK(n >= 6);
    size_t flags = c.n_items, recovery = c.n_items, verify = c.n_items, resolved = c.n_items;
    for (size_t i = 0; i < c.n_items; i++) {
        if (strcmp(c.items[i].id, "flags-handled") == 0) flags = i;
        if (strcmp(c.items[i].id, "recovery") == 0) recovery = i;
        if (strcmp(c.items[i].id, "verify-identity") == 0) verify = i;
        if (strcmp(c.items[i].id, "resolved") == 0) resolved = i;
    }
    CHECK(flags < c.n_items && recovery < c.n_items && verify < c.n_items && resolved < c.n_items);
    /* the fixture: one vulnerability flag the agent answered; the customer went from -0.16 to
     * +0.17; the identity item never ticked; drafted PAYMENT_PLAN */
    CHECK_INT(as.a[flags].value, SC_YES);
    CHECK(as.a[flags].suggested);
    CHECK_INT(as.a[recovery].value, SC_5);
    CHECK(as.a[recovery].why && strstr(as.a[recovery].why, "-0.16"));
    CHECK_INT(as.a[verify].value, SC_NO);
    CHECK_INT(as.a[resolved].value, SC_YES);
    CHECK(as.a[resolved].why && strstr(as.a[resolved].why, "PAYMENT_PLAN"));

    /* kept in the sidecar, version 2, with the notes */
    char dir[] = "/tmp/scorecard-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[300];
    snprintf(path, sizeof path, "%s/call.jsonl.notes.json", dir);
    replay_notes ns;
    CHECK(replay_notes_load(&ns, path, err, sizeof err));
    replay_notes_add(&ns, 1000, "opening");
    CHECK(scorecard_set(&as, verify, SC_YES));
    scorecard_set_comment(&as, verify, "asked for the postcode");
    replay_notes_set_scorecard(&ns, scorecard_answers_to_json(&as));
    CHECK(replay_notes_save(&ns, err, sizeof err));
    replay_notes_free(&ns);
    json_t *j = json_load_file(path, 0, NULL);
    CHECK_INT(json_integer_value(json_object_get(j, "version")), 2);
    json_decref(j);
    CHECK(replay_notes_load(&ns, path, err, sizeof err));
    CHECK_INT(ns.count, 1);
    CHECK(ns.scorecard != NULL);
    scorecard_answers back;
    scorecard_answers_init(&back, &c);
    size_t dropped;
    CHECK(scorecard_answers_from_json(&back, ns.scorecard, &dropped, err, sizeof err));
    scorecard_evidence_suggest(&back, model_active(&end));
    CHECK_INT(back.a[verify].value, SC_YES);          /* the trainer's answer beats the evidence */
    CHECK(!back.a[verify].suggested);
    CHECK_STR(back.a[verify].comment, "asked for the postcode");
    CHECK(back.a[flags].suggested);                   /* the rest suggested again */
    scorecard_answers_free(&back);
    replay_notes_free(&ns);

    /* a version 1 sidecar (notes only) still loads; a newer one is kept aside, not read */
    FILE *f = fopen(path, "w");
    fputs("{\"format\":\"agentdesk.notes\",\"version\":1,\"notes\":[{\"t_ms\":5,\"text\":\"old\"}]}\n", f);
    fclose(f);
    CHECK(replay_notes_load(&ns, path, err, sizeof err));
    CHECK_INT(ns.count, 1);
    CHECK(ns.scorecard == NULL);
    replay_notes_free(&ns);
    f = fopen(path, "w");
    fputs("{\"format\":\"agentdesk.notes\",\"version\":9,\"notes\":[]}\n", f);
    fclose(f);
    CHECK(!replay_notes_load(&ns, path, err, sizeof err));
    CHECK(strstr(err, "version 9") != NULL);
    replay_notes_free(&ns);
    char aside[320];
    snprintf(aside, sizeof aside, "%s.damaged", path);
    unlink(path);
    unlink(aside);
    rmdir(dir);

    scorecard_answers_free(&as);
    model_free(&end);
    replay_timeline_free(&tl);
    recording_free(&rec);
    scorecard_free(&c);
}

int main(void)
{
    RUN(test_total);
    RUN(test_suggestions);
    RUN(test_loader_refuses);
    RUN(test_shipped_card);
    RUN(test_evidence_and_sidecar);
    return check_done("test_scorecard");
}
