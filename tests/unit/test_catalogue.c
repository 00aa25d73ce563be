/* test_catalogue.c — the protocol table is complete, consistent and its examples valid. */
#include <stdlib.h>

#include "tests/unit/check.h"
#include "proto/catalogue.h"
#include "proto/codec.h"

static void test_every_type_present(void)
{
    for (int t = 0; t < EV__COUNT; t++) {
        const proto_event_spec *s = proto_spec((proto_type)t);
        CHECK(s != NULL);
        if (!s)
            continue;
        CHECK_INT(s->type, t);
        CHECK(s->name && *s->name);
        CHECK(s->fields != NULL);
        CHECK(s->doc && strlen(s->doc) > 10);
        CHECK(s->example && s->example[0] == '{');
        CHECK(proto_spec_find(s->name, s->dir) == s);
    }
    CHECK(proto_spec(EV__COUNT) == NULL);
    CHECK(proto_spec_find("nonesuch", PROTO_TO_HUB) == NULL);
    CHECK(proto_spec_find(NULL, PROTO_TO_HUB) == NULL);
}

static void test_names_unique_per_direction(void)
{
    for (int a = 0; a < EV__COUNT; a++)
        for (int b = a + 1; b < EV__COUNT; b++) {
            const proto_event_spec *x = proto_spec((proto_type)a), *y = proto_spec((proto_type)b);
            if (x->dir == y->dir && strcmp(x->name, y->name) == 0) {
                fprintf(stderr, "  duplicate %s\n", x->name);
                CHECK(0);
            }
        }
}

static void test_fields_well_formed(void)
{
    for (int t = 0; t < EV__COUNT; t++) {
        const proto_event_spec *s = proto_spec((proto_type)t);
        for (const proto_field *f = s->fields; f->name; f++) {
            CHECK(f->doc && *f->doc);
            CHECK(strcmp(f->name, "type") != 0);
            CHECK(proto_spec_field(s, f->name) == f);   /* unique within the event */
            if (f->type == FT_ENUM)
                CHECK(f->values && *f->values);
            if (f->type == FT_ID)
                CHECK(f->max == PROTO_MAX_ID);
            if (f->type == FT_STRING || f->type == FT_TEXT || f->type == FT_ARRAY || f->type == FT_OBJECT)
                CHECK(f->max >= 1 && f->max <= PROTO_MAX_LONGTEXT);
            if (f->type == FT_INT || f->type == FT_NUMBER)
                CHECK(f->min < f->max);
            if (s->durable) {
                CHECK(strcmp(f->name, "seq") != 0 && strcmp(f->name, "ts") != 0);
            }
        }
        CHECK(proto_spec_field(s, "no-such-field") == NULL);
    }
}

static void test_directions(void)
{
    CHECK_INT(proto_spec(EV_HELLO)->dir, PROTO_TO_HUB);
    CHECK_INT(proto_spec(EV_PING)->dir, PROTO_TO_HUB);
    CHECK_INT(proto_spec(EV_WELCOME)->dir, PROTO_TO_CONSOLE);
    CHECK_INT(proto_spec(EV_PONG)->dir, PROTO_TO_CONSOLE);
    CHECK_INT(proto_spec(EV_INGEST_START)->dir, PROTO_INGEST);
    CHECK_INT(proto_spec(EV_INGEST_ERROR)->dir, PROTO_INGEST_REPLY);
    CHECK(proto_spec(EV_UTTERANCE)->durable);
    CHECK(!proto_spec(EV_ACK)->durable);
    CHECK(!proto_spec(EV_WELCOME)->durable);
    CHECK_STR(proto_spec(EV_WHISPERED)->name, "whisper");
    CHECK_STR(proto_spec(EV_HAND_RAISED)->name, "hand");
    CHECK_STR(proto_spec(EV_SUGGESTION_FEEDBACK)->name, "suggestion.feedback");
    /* Only hub->console events are durable. */
    for (int t = 0; t < EV__COUNT; t++)
        if (proto_spec((proto_type)t)->durable)
            CHECK_INT(proto_spec((proto_type)t)->dir, PROTO_TO_CONSOLE);
}

static void test_brief_fields(void)
{
    const proto_event_spec *u = proto_spec(EV_UTTERANCE);
    const proto_field *text = proto_spec_field(u, "text");
    CHECK(text && text->type == FT_TEXT && text->required && text->max == PROTO_MAX_TEXT);
    const proto_field *speaker = proto_spec_field(u, "speaker");
    CHECK(speaker && speaker->type == FT_ENUM);
    CHECK_STR(speaker->values, "customer|agent|bot|supervisor");
    const proto_field *score = proto_spec_field(proto_spec(EV_SENTIMENT), "score");
    CHECK(score && score->min == -1 && score->max == 1);
    const proto_field *sev = proto_spec_field(proto_spec(EV_FLAG), "severity");
    CHECK(sev && sev->type == FT_INT && sev->min == 1 && sev->max == 3);
    const proto_field *resume = proto_spec_field(proto_spec(EV_HELLO), "resume_after");
    CHECK(resume && !resume->required && resume->type == FT_INT);
    const proto_field *summary = proto_spec_field(proto_spec(EV_WRAPUP), "summary");
    CHECK(summary && summary->max == PROTO_MAX_LONGTEXT);
    CHECK_STR(proto_spec_field(proto_spec(EV_INGEST_UTTERANCE), "speaker")->values, "customer|agent|bot");
}

static void test_examples_decode(void)
{
    for (int t = 0; t < EV__COUNT; t++) {
        const proto_event_spec *s = proto_spec((proto_type)t);
        proto_event ev;
        proto_error err;
        bool ok = proto_decode(s->example, strlen(s->example), s->dir, &ev, &err);
        if (!ok)
            fprintf(stderr, "  example of %s: %s\n", s->name, err.message);
        CHECK(ok);
        if (!ok)
            continue;
        CHECK_INT(ev.type, t);
        for (const proto_field *f = s->fields; f->name; f++)
            if (f->required && !proto_json(&ev, f->name)) {
                fprintf(stderr, "  example of %s lacks %s\n", s->name, f->name);
                CHECK(0);
            }
        proto_free(&ev);
    }
}

int main(void)
{
    RUN(test_every_type_present);
    RUN(test_names_unique_per_direction);
    RUN(test_fields_well_formed);
    RUN(test_directions);
    RUN(test_brief_fields);
    RUN(test_examples_decode);
    return check_done("test_catalogue");
}
