/* test_replay.c — the trainer's replay below the screen: on a recording made by the real hub
 * (tests/lib/recmake.c), a seek from a keyframe gives exactly the model a replay from the
 * start gives, at every position (and on a long recording whose transcript wraps the
 * model's ring); marks are found; the reader survives hostile and damaged files and says
 * what is wrong; notes are saved atomically and a damaged sidecar is kept; the clock and
 * `g` parse. */
#include "tests/unit/check.h"
#include "tests/lib/recmake.h"
#include "agentdesk/model_copy.h"
#include "agentdesk/recording.h"
#include "agentdesk/replay_notes.h"
#include "agentdesk/replay_player.h"
#include "agentdesk/replay_timeline.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static hubproc H;
static char *rec_path;

/* Everything a view can read of the model, as text: two models that dump the same show the same. */
static void dump_str(FILE *f, const char *k, const char *v) { fprintf(f, "%s=%s\n", k, v ? v : "(null)"); }

static char *dump(const model *m)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fprintf(f, "n_ix=%zu active=%zu last_seq=%lld\n", m->n_ix, m->active, (long long)m->last_seq);
    for (size_t i = 0; i < m->n_ix; i++) {
        const model_ix *ix = m->ix[i];
        dump_str(f, "iid", ix->iid); dump_str(f, "queue", ix->queue); dump_str(f, "agent", ix->agent_name);
        dump_str(f, "customer", ix->customer_name); dump_str(f, "end", ix->end_reason);
        fprintf(f, "state=%d started=%lld ended=%lld first=%llu count=%zu\n", ix->state, (long long)ix->started_ms,
                (long long)ix->ended_ms, (unsigned long long)ix->first_no, ix->count);
        for (uint64_t no = ix->first_no; no < model_line_end(ix); no++) {
            const model_line *l = model_line_at(ix, no);
            fprintf(f, "line %llu k%d s%d l%d f%d c%d off%lld seq%lld %.3f v%u [%s|%s|%s]\n", (unsigned long long)no,
                    l->kind, l->speaker, l->label, l->final, l->cut, (long long)l->offset_ms, (long long)l->seq,
                    l->score, l->version, l->text, l->uid ? l->uid : "-", l->who ? l->who : "-");
            uint64_t at;
            if (l->uid && model_line_by_uid(ix, l->uid, &at)) fprintf(f, "  uid->%llu\n", (unsigned long long)at);
        }
        for (size_t k = 0; k < ix->n_flags; k++)
            fprintf(f, "flag %s %s %d %s %s\n", ix->flags[k].fid, ix->flags[k].kind, ix->flags[k].severity,
                    ix->flags[k].text, ix->flags[k].evidence);
        for (size_t k = 0; k < ix->n_sugg; k++)
            fprintf(f, "sugg %s %s u%d d%d %.3f\n", ix->sugg[k].sid, ix->sugg[k].title, ix->sugg[k].used,
                    ix->sugg[k].dismissed, ix->sugg[k].score);
        for (size_t k = 0; k < ix->n_checks; k++)
            fprintf(f, "check %s %d %s\n", ix->checks[k].id, ix->checks[k].done, ix->checks[k].by);
        dump_str(f, "cust.name", ix->customer.name); dump_str(f, "cust.email", ix->customer.email);
        fprintf(f, "history=%zu orders=%zu\n", ix->n_history, ix->n_orders);
        dump_str(f, "summary", ix->summary); dump_str(f, "disposition", ix->disposition);
        fprintf(f, "sent %d %.3f %.3f %s %s trend_n=%zu\n", ix->sentiment.label, ix->sentiment.score,
                ix->last_trend, ix->last_emotion, ix->last_cues, ix->n_trend);
        for (size_t k = 0; k < model_trend_count(ix); k++) fprintf(f, "%.3f ", model_trend_at(ix, k));
        fprintf(f, "\nlast_seq=%lld wrap=%s\n", (long long)ix->last_seq, ix->wrap_code ? ix->wrap_code : "-");
    }
    fclose(f);
    return buf;
}

/* At every position, the seek (nearest keyframe, then the rest) equals the replay from the start. */
static void check_all_positions(const recording *r, size_t scrollback, size_t every, size_t stride)
{
    replay_timeline tl;
    replay_timeline_build(&tl, r, scrollback, every);
    every = tl.every;
    CHECK_INT(tl.n_keys, r->n_events / every + 1);
    model seq, sought;
    model_init(&seq, scrollback);
    model_init(&sought, scrollback);
    size_t differ = 0;
    for (size_t p = 0; p <= r->n_events; p++) {
        if (p % stride == 0 || p == r->n_events || p % every == 0 || p % every == every - 1) {
            replay_timeline_seek(&tl, &sought, p);
            char *a = dump(&seq), *b = dump(&sought);
            if (strcmp(a, b) != 0 && differ++ == 0) fprintf(stderr, "  position %zu differs:\n--- from the start\n%.2000s\n--- seek\n%.2000s\n", p, a, b);
            free(a);
            free(b);
        }
        if (p < r->n_events) replay_timeline_apply(&tl, &seq, p);
    }
    CHECK_INT(differ, 0);
    model_free(&seq);
    model_free(&sought);
    replay_timeline_free(&tl);
}

static void test_seek_equals_replay_from_start(void)
{
    recording r;
    char err[300];
    CHECK(recording_open_file(&r, rec_path, NULL, err, sizeof err));
    CHECK(r.n_events >= 20);
    CHECK_INT(r.n_bad, 0);
    CHECK(!r.torn);
    CHECK_INT(r.version, 1);
    CHECK_STR(r.queue, "billing");
    check_all_positions(&r, 2000, 3, 1);
    check_all_positions(&r, 2000, 0, 1);   /* the default spacing: one keyframe here */
    recording_free(&r);
}

/* The real recording's utterance lines again and again with new seqs, uids and times: a
 * transcript far past the scrollback, so keyframes hold rings that have wrapped. */
static char *long_recording(const char *path, size_t copies, size_t *len)
{
    FILE *in = fopen(path, "r");
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    char *line = NULL;
    size_t cap = 0;
    json_t *utt[64];
    size_t nu = 0;
    int64_t seq = 0, ts = 0;
    while (getline(&line, &cap, in) > 0) {
        fputs(line, f);
        json_t *j = json_loads(line, 0, NULL);
        const char *type = json_string_value(json_object_get(j, "type"));
        if (json_object_get(j, "seq")) seq = json_integer_value(json_object_get(j, "seq"));
        if (json_object_get(j, "ts")) ts = json_integer_value(json_object_get(j, "ts"));
        if (type && strcmp(type, "utterance") == 0 && nu < 64) utt[nu++] = j;
        else json_decref(j);
    }
    /* the ended line came last: the copies go before it would be wrong, so they follow as a
     * second half of a call that the model keeps applying (ended calls still take lines) */
    for (size_t i = 0; i < copies; i++) {
        json_t *j = json_deep_copy(utt[i % nu]);
        char uid[32];
        snprintf(uid, sizeof uid, "x%zu", i / 2);   /* pairs: a partial and its final share a uid */
        json_object_set_new(j, "uid", json_string(uid));
        json_object_set_new(j, "final", json_boolean(i % 2 == 1));
        json_object_set_new(j, "seq", json_integer(++seq));
        json_object_set_new(j, "ts", json_integer(ts += 700));
        char *s = json_dumps(j, JSON_COMPACT);
        fprintf(f, "%s\n", s);
        free(s);
        json_decref(j);
    }
    for (size_t i = 0; i < nu; i++) json_decref(utt[i]);
    free(line);
    fclose(in);
    fclose(f);
    *len = n;
    return out;
}

static void test_long_recording_seek(void)
{
    size_t len;
    char *data = long_recording(rec_path, 3000, &len);
    recording r;
    recording_open_mem(&r, data, len, NULL);
    free(data);
    CHECK(r.n_events > 3000);
    CHECK_INT(r.n_bad, 0);
    check_all_positions(&r, 300, 97, 41);
    /* the player's one pass (the timeline built as the lines are decoded) gives the same */
    replay_timeline a, b;
    replay_timeline_build(&a, &r, 300, 0);
    recording r2;
    data = long_recording(rec_path, 3000, &len);
    recording_reader rd = replay_timeline_reader(&b, &r2, 300, 0);
    recording_open_mem(&r2, data, len, &rd);
    replay_timeline_finish(&b);
    free(data);
    CHECK_INT(b.n_keys, a.n_keys);
    CHECK_INT(b.every, a.every);   /* the line count rounds to the same spacing here */
    CHECK_INT(b.n_marks, a.n_marks);
    model ma, mb;
    model_init(&ma, 300);
    model_init(&mb, 300);
    for (size_t p = 0; p <= r.n_events; p += 333) {
        replay_timeline_seek(&a, &ma, p);
        replay_timeline_seek(&b, &mb, p);
        char *x = dump(&ma), *y = dump(&mb);
        CHECK_STR(x, y);
        free(x);
        free(y);
    }
    model_free(&ma);
    model_free(&mb);
    replay_timeline_free(&a);
    replay_timeline_free(&b);
    recording_free(&r2);
    recording_free(&r);
}

static void test_marks_and_steps(void)
{
    recording r;
    char err[300];
    CHECK(recording_open_file(&r, rec_path, NULL, err, sizeof err));
    replay_timeline tl;
    replay_timeline_build(&tl, &r, 2000, 0);
    size_t flags = 0, drops = 0;
    for (size_t i = 0; i < tl.n_marks; i++) {
        flags += tl.marks[i].kind == MARK_FLAG;
        drops += tl.marks[i].kind == MARK_DROP;
        CHECK(i == 0 || tl.marks[i].event > tl.marks[i - 1].event);
    }
    CHECK(flags >= 1);
    CHECK(drops >= 1);
    /* ] from the start lands just after the first mark's event: the flag is on screen */
    size_t to = replay_timeline_mark_step(&tl, 0, 1);
    CHECK_INT(to, tl.marks[0].event + 1);
    model m;
    model_init(&m, 2000);
    replay_timeline_seek(&tl, &m, to);
    if (tl.marks[0].kind == MARK_FLAG) CHECK(model_active(&m) && model_active(&m)->n_flags == 1);
    CHECK_INT(replay_timeline_mark_step(&tl, to, -1), to);   /* none before the first */
    size_t last = r.n_events;
    CHECK_INT(replay_timeline_mark_step(&tl, last, 1), last);
    CHECK_INT(replay_timeline_mark_step(&tl, last, -1), tl.marks[tl.n_marks - 1].event + 1);
    /* the hostile line came through the codec's border: no control byte reached the model */
    replay_timeline_seek(&tl, &m, r.n_events);
    model_ix *ix = model_active(&m);
    bool seen = false;
    for (uint64_t no = ix->first_no; no < model_line_end(ix); no++) {
        const char *t = model_line_at(ix, no)->text;
        if (strstr(t, "red")) seen = true;
        for (const unsigned char *p = (const unsigned char *)t; *p; p++) CHECK(*p >= 0x20 || *p == '\n');
    }
    CHECK(seen);
    model_free(&m);
    replay_timeline_free(&tl);
    recording_free(&r);
}

static void test_damaged_recordings(void)
{
    /* a real file cut in the middle of its last line, a corrupt line, an unknown event,
     * a console->hub frame, a newer version: shown as far as it goes, each said */
    FILE *in = fopen(rec_path, "r");
    char *whole = NULL;
    size_t cap = 0;
    ssize_t n = getdelim(&whole, &cap, 0, in);
    fclose(in);
    CHECK(n > 200);
    recording full;
    recording_open_mem(&full, whole, (size_t)n, NULL);
    recording r;
    recording_open_mem(&r, whole, (size_t)n - 10, NULL);
    CHECK(r.torn);
    CHECK_INT(r.n_events, full.n_events - 1);
    char problems[600];
    recording_problems(&r, problems, sizeof problems);
    CHECK(strstr(problems, "cut off") != NULL);
    recording_free(&r);

    char *first_nl = strchr(whole, '\n');
    size_t head = (size_t)(first_nl - whole) + 1;
    char *bad = NULL;
    size_t blen = 0;
    FILE *f = open_memstream(&bad, &blen);
    fprintf(f, "{\"format\":\"agentdesk.recording\",\"version\":7,\"iid\":\"x\\u001b[2Jy\"}\n");
    fwrite(whole + head, 1, (size_t)n - head, f);
    fprintf(f, "{\"type\":\"utterance\",\"seq\":\n");                       /* corrupt */
    fprintf(f, "{\"type\":\"no.such.event\",\"seq\":99999,\"ts\":1}\n");      /* unknown */
    fprintf(f, "{\"type\":\"reply\",\"id\":\"a\",\"iid\":\"x\",\"text\":\"hi\"}\n");   /* the other way */
    fprintf(f, "\xff\xfe garbage \x01\x02\n\n\n");
    fclose(f);
    recording_open_mem(&r, bad, blen, NULL);
    CHECK_INT(r.version, 7);
    CHECK_INT(r.n_bad, 4);
    CHECK_INT(r.n_events, full.n_events);
    CHECK(strchr(r.iid, 0x1b) == NULL);
    recording_problems(&r, problems, sizeof problems);
    CHECK(strstr(problems, "newer") != NULL);
    CHECK(strstr(problems, "4 damaged lines") != NULL);
    replay_timeline tl;
    replay_timeline_build(&tl, &r, 2000, 5);
    model m;
    model_init(&m, 2000);
    replay_timeline_seek(&tl, &m, r.n_events);
    CHECK(model_active(&m) != NULL);
    model_free(&m);
    replay_timeline_free(&tl);
    recording_free(&r);
    free(bad);

    /* nothing at all, and lines of the big list of naughty strings */
    recording_open_mem(&r, "", 0, NULL);
    CHECK_INT(r.n_events, 0);
    replay_timeline_build(&tl, &r, 100, 0);
    model_init(&m, 100);
    replay_timeline_seek(&tl, &m, 5);
    CHECK_INT(m.n_ix, 0);
    model_free(&m);
    replay_timeline_free(&tl);
    recording_free(&r);
    const char *root = getenv("AGENTDESK_ROOT");
    char blns[600];
    snprintf(blns, sizeof blns, "%s/../shared/fixtures/blns.txt", root ? root : ".");
    FILE *b = fopen(blns, "r");
    if (b) {
        char *all = NULL;
        size_t c2 = 0;
        ssize_t bl = getdelim(&all, &c2, 0, b);
        fclose(b);
        recording_open_mem(&r, all, bl > 0 ? (size_t)bl : 0, NULL);
        CHECK(r.n_bad > 100);
        CHECK_INT(r.n_events, 0);
        recording_free(&r);
        free(all);
    }
    recording_free(&full);
    free(whole);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    char *s = NULL;
    size_t cap = 0;
    if (getdelim(&s, &cap, 0, f) < 0) { free(s); s = NULL; }
    fclose(f);
    return s;
}

static void test_notes_sidecar(void)
{
    char dir[] = "/tmp/replay-notes-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char rec[300], err[800];
    snprintf(rec, sizeof rec, "%s/call.jsonl", dir);
    char *path = replay_notes_path(rec);
    CHECK(strstr(path, "call.jsonl.notes.json") != NULL);
    replay_notes ns;
    CHECK(replay_notes_load(&ns, path, err, sizeof err));   /* none yet: no notes, no error */
    CHECK_INT(ns.count, 0);
    replay_notes_add(&ns, 5000, "late \x1b[31m greeting");
    replay_notes_add(&ns, 1000, "good opening");
    CHECK_INT(replay_notes_add(&ns, 3000, "between"), 1);
    CHECK(replay_notes_save(&ns, err, sizeof err));
    replay_notes_set_text(&ns, 1, "edited");
    replay_notes_delete(&ns, 0);
    CHECK(replay_notes_save(&ns, err, sizeof err));
    replay_notes_free(&ns);
    char tmp[400];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    CHECK(access(tmp, F_OK) != 0);   /* no temporary left behind */
    CHECK(replay_notes_load(&ns, path, err, sizeof err));
    CHECK_INT(ns.count, 2);
    CHECK_STR(ns.n[0].text, "edited");
    CHECK_INT(ns.n[1].t_ms, 5000);
    CHECK(strchr(ns.n[1].text, 0x1b) == NULL);
    /* a directory that cannot be written: the save fails, the file there is as it was */
    char *before = slurp(path);
    CHECK(chmod(dir, 0500) == 0);
    replay_notes_add(&ns, 9000, "not kept");
    bool saved = replay_notes_save(&ns, err, sizeof err);
    CHECK(chmod(dir, 0700) == 0);
    if (geteuid() != 0) {   /* root writes anyway */
        CHECK(!saved);
        CHECK(strstr(err, "as it was") != NULL);
        char *after = slurp(path);
        CHECK_STR(after, before);
        free(after);
    }
    free(before);
    replay_notes_free(&ns);
    /* a damaged sidecar: said, not loaded, never written over: moved aside at the next save */
    FILE *f = fopen(path, "w");
    fputs("{\"format\":\"agentdesk.notes\",\"notes\":[{\"t_ms\":1,\"te", f);
    fclose(f);
    CHECK(!replay_notes_load(&ns, path, err, sizeof err));
    CHECK(strstr(err, "damaged") != NULL);
    CHECK_INT(ns.count, 0);
    replay_notes_add(&ns, 2000, "new");
    CHECK(replay_notes_save(&ns, err, sizeof err));
    char aside[400];
    snprintf(aside, sizeof aside, "%s.damaged", path);
    char *kept = slurp(aside);
    CHECK(kept && strstr(kept, "\"te") != NULL);
    free(kept);
    replay_notes_free(&ns);
    CHECK(replay_notes_load(&ns, path, err, sizeof err));
    CHECK_INT(ns.count, 1);
    replay_notes_free(&ns);
    unlink(aside);
    unlink(path);
    rmdir(dir);
    free(path);
}

static void test_clock_and_goto(void)
{
    int64_t t;
    CHECK(replay_parse_goto("04:12", 700000, &t) && t == 252000);
    CHECK(replay_parse_goto(" 1:00:05 ", 7200000, &t) && t == 3605000);
    CHECK(replay_parse_goto("90", 700000, &t) && t == 90000);
    CHECK(replay_parse_goto("50%", 700000, &t) && t == 350000);
    CHECK(!replay_parse_goto("4:75", 700000, &t));
    CHECK(!replay_parse_goto("abc", 700000, &t));
    CHECK(!replay_parse_goto("120%", 700000, &t));
    CHECK(!replay_parse_goto("", 700000, &t));
    CHECK(!replay_parse_goto("4:", 700000, &t));
    recording r;
    char err[300];
    CHECK(recording_open_file(&r, rec_path, NULL, err, sizeof err));
    replay_timeline tl;
    replay_timeline_build(&tl, &r, 2000, 4);
    model m;
    model_init(&m, 2000);
    replay_player p;
    replay_player_init(&p, &tl, &m);
    int64_t now = 1000000;
    CHECK(!replay_player_set_speed(&p, 32, now));
    CHECK(recording_duration(&r) > 1000);
    CHECK(replay_player_set_speed(&p, 0.25, now));
    replay_player_play(&p, true, now);
    /* 0.25x: two real seconds are half a second of the recording */
    replay_player_advance(&p, now + 2000000, NULL, NULL);
    CHECK_INT(p.cur_ms, 500);
    CHECK_INT(p.pos, recording_event_at(&r, 501));
    CHECK(p.playing);
    int64_t wake = replay_player_wake_ms(&p, now + 2000000);
    CHECK(wake >= 1 && wake <= (r.events[p.pos].t_ms - 500) * 4);
    for (int i = 0; i < 8; i++) replay_player_speed_step(&p, 1, now + 2000000);
    CHECK(p.speed == 16);
    replay_player_advance(&p, now + 2000000 + 3600LL * 1000000, NULL, NULL);
    CHECK(!p.playing);   /* paused at the end */
    CHECK_INT(p.pos, r.n_events);
    CHECK_INT(p.cur_ms, recording_duration(&r));
    replay_player_seek_time(&p, 500, now);
    CHECK_INT(p.pos, recording_event_at(&r, 501));
    CHECK_INT(p.cur_ms, 500);
    char buf[16];
    replay_fmt_time(252000, buf, sizeof buf);
    CHECK_STR(buf, "04:12");
    model_free(&m);
    replay_timeline_free(&tl);
    recording_free(&r);
}

int main(void)
{
    rec_path = recmake_call(&H, "I-replay-1");
    if (!rec_path) {
        hubproc_cleanup(&H);
        fprintf(stderr, "no recording from the hub\n");
        return 1;
    }
    RUN(test_seek_equals_replay_from_start);
    RUN(test_long_recording_seek);
    RUN(test_marks_and_steps);
    RUN(test_damaged_recordings);
    RUN(test_notes_sidecar);
    RUN(test_clock_and_goto);
    free(rec_path);
    hubproc_cleanup(&H);
    return check_done("test_replay");
}
