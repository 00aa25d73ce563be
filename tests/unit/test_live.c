/* test_live.c — the live interaction table: lookup, removal, the compaction of partial
 * utterances to the latest per uid, in seq order, a turn's changes undone exactly when
 * its commit fails, and what a call holds bounded by its state, not its history. */
#include "tests/unit/check.h"
#include "hub/core/live.h"

#include <stdio.h>

static shared_frame *frame(int64_t seq)
{
    char text[32];
    int n = snprintf(text, sizeof text, "{\"seq\":%lld}", (long long)seq);
    return shared_frame_new(text, (size_t)n, seq);
}

static void append(live_call *c, int64_t seq, const char *uid, bool partial)
{
    shared_frame *f = frame(seq);
    live_call_append(c, f, uid, partial);
    shared_frame_unref(f);
}

/* The seqs of the call's kept frames, in order, as "1,4,5". */
static const char *kept(const live_call *c)
{
    static char out[512];
    size_t o = 0;
    out[0] = 0;
    for (size_t i = 0; i < c->nframes; i++)
        if (c->frames[i])
            o += (size_t)snprintf(out + o, sizeof out - o, "%s%lld", o ? "," : "", (long long)c->frames[i]->seq);
    return out;
}

static void test_add_find_remove(void)
{
    live *l = live_new();
    live_call *a = live_add(l, "a");
    live_call *b = live_add(l, "b");
    CHECK(a && b);
    CHECK(live_add(l, "a") == NULL);
    CHECK(live_find(l, "a") == a);
    CHECK(live_find(l, "zz") == NULL);
    CHECK_INT(live_count(l), 2);
    CHECK(live_first(l) == a && a->next == b);
    live_remove(l, a);
    CHECK(live_find(l, "a") == NULL);
    CHECK(live_first(l) == b);
    CHECK_INT(live_count(l), 1);
    live_free(l, NULL);
}

static void test_partials_compacted(void)
{
    live *l = live_new();
    live_call *c = live_add(l, "x");
    append(c, 1, NULL, false);          /* interaction.started */
    append(c, 2, "u1", true);
    append(c, 3, "u1", true);
    append(c, 4, "u2", true);
    CHECK_STR(kept(c), "1,3,4");
    append(c, 5, "u1", false);          /* final closes u1 */
    CHECK_STR(kept(c), "1,4,5");
    append(c, 6, NULL, false);          /* sentiment */
    append(c, 7, "u1", false);          /* a later final of a closed uid is kept too */
    CHECK_STR(kept(c), "1,4,5,6,7");
    append(c, 8, "u2", false);
    CHECK_STR(kept(c), "1,5,6,7,8");
    live_free(l, NULL);
}

static void test_many_partials_stay_small(void)
{
    live *l = live_new();
    live_call *c = live_add(l, "x");
    int64_t seq = 1;
    for (int u = 0; u < 50; u++) {
        char uid[16];
        snprintf(uid, sizeof uid, "u%d", u);
        for (int p = 0; p < 40; p++) {
            append(c, seq++, uid, true);
            live_call_commit(c); /* one loop turn each */
        }
        append(c, seq++, uid, false);
        live_call_commit(c);
    }
    size_t live_frames = 0;
    for (size_t i = 0; i < c->nframes; i++)
        live_frames += c->frames[i] != NULL;
    CHECK_INT(live_frames, 50);
    CHECK(c->nframes < 200); /* holes squeezed out, not 2050 slots */
    int64_t last = 0;
    bool ordered = true;
    for (size_t i = 0; i < c->nframes; i++)
        if (c->frames[i]) {
            ordered = ordered && c->frames[i]->seq > last;
            last = c->frames[i]->seq;
        }
    CHECK(ordered);
    CHECK_INT(c->nopen, 0);
    live_free(l, NULL);
}

/* A failed turn leaves the call exactly as committed: its frames dropped, the partials it
 * replaced back in their slots and open again, so the next turn replaces them as before. */
static void test_rollback_restores_committed_frames(void)
{
    live *l = live_new();
    live_call *c = live_add(l, "x");
    append(c, 1, NULL, false);
    append(c, 2, "u1", true);
    append(c, 3, "u2", true);
    live_call_commit(c);
    CHECK_STR(kept(c), "1,2,3");
    append(c, 4, "u1", true);   /* replaces 2 */
    append(c, 5, "u2", false);  /* replaces 3 */
    append(c, 6, "u3", true);
    append(c, 7, "u3", false);  /* replaces 6, of the same turn */
    CHECK_STR(kept(c), "1,4,5,7");
    live_call_rollback(c);
    CHECK_STR(kept(c), "1,2,3");
    CHECK_INT(c->nopen, 2);
    CHECK_INT(c->holes, 0);
    append(c, 4, "u1", false);  /* the retry: replaces 2 again */
    live_call_commit(c);
    CHECK_STR(kept(c), "1,3,4");
    append(c, 5, "u2", false);
    live_call_commit(c);
    CHECK_STR(kept(c), "1,4,5");
    CHECK_INT(c->nopen, 0);
    live_call_rollback(c);      /* nothing open: nothing to undo */
    CHECK_STR(kept(c), "1,4,5");
    live_free(l, NULL);
}

static void append_typed(live_call *c, int64_t seq, const char *type, const char *uid, bool partial)
{
    char text[96];
    int n = snprintf(text, sizeof text, "{\"type\":\"%s\",\"seq\":%lld}", type, (long long)seq);
    shared_frame *f = shared_frame_new(text, (size_t)n, seq);
    live_call_append(c, f, uid, partial);
    shared_frame_unref(f);
}

static bool holds(const live_call *c, int64_t seq)
{
    for (size_t i = 0; i < c->nframes; i++)
        if (c->frames[i] && c->frames[i]->seq == seq)
            return true;
    return false;
}

/* 3,000 turns of a line and its sentiment, a flag and suggestions now and then: the call
 * holds its tail and its state frames, every frame after dropped_upto, and a rollback after
 * a trim still puts it back exactly. */
static void test_held_frames_bounded(void)
{
    live *l = live_new();
    live_call *c = live_add(l, "x");
    int64_t seq = 0;
    append_typed(c, ++seq, "interaction.started", NULL, false);
    append_typed(c, ++seq, "customer", NULL, false);
    append_typed(c, ++seq, "utterance", "open", true);
    live_call_commit(c);
    int64_t flags[30], nflags = 0, last_sentiment = 0, most = 0;
    for (int i = 0; i < 3000; i++) {
        char uid[16];
        snprintf(uid, sizeof uid, "u%d", i);
        append_typed(c, ++seq, "utterance", uid, true);
        append_typed(c, ++seq, "utterance", uid, false);
        append_typed(c, ++seq, "sentiment", NULL, false);
        last_sentiment = seq;
        if (i % 100 == 0)
            append_typed(c, flags[nflags++] = ++seq, "flag", NULL, false);
        if (i % 50 == 0)
            append_typed(c, ++seq, "suggestion", NULL, false);
        live_call_commit(c);
        int64_t n = (int64_t)(c->nframes - c->holes);
        most = n > most ? n : most;
    }
    CHECK(most <= LIVE_TAIL_FRAMES + LIVE_TAIL_FRAMES / 2 + LIVE_STATE_SUGGESTIONS + 40);
    CHECK(c->dropped_upto > 0);
    CHECK(holds(c, 1) && holds(c, 2) && holds(c, 3) && holds(c, last_sentiment));
    for (int i = 0; i < nflags; i++)
        CHECK(holds(c, flags[i]));
    /* lines held after dropped_upto + lines dropped = every final, and the open partial */
    size_t lines = 0;
    for (size_t i = 0; i < c->nframes; i++)
        lines += c->frames[i] && live_frame_type(c->frames[i]) == EV_UTTERANCE;
    CHECK_INT(lines + c->dropped_lines, 3000 + 1);
    /* a turn's changes on a trimmed call, undone */
    static int64_t before[2048];
    size_t nbefore = 0;
    for (size_t i = 0; i < c->nframes && nbefore < 2048; i++)
        if (c->frames[i])
            before[nbefore++] = c->frames[i]->seq;
    append_typed(c, ++seq, "utterance", "open", false);
    append_typed(c, ++seq, "sentiment", NULL, false);
    live_call_rollback(c);
    size_t same = 0, now = 0;
    for (size_t i = 0; i < c->nframes; i++)
        if (c->frames[i]) {
            same += now < nbefore && c->frames[i]->seq == before[now];
            now++;
        }
    CHECK_INT(now, nbefore);
    CHECK_INT(same, nbefore);
    CHECK_INT(c->nopen, 1);
    live_free(l, NULL);
}

static int freed;
static void on_free(live_call *c)
{
    (void)c;
    freed++;
}

static void test_free_calls_back(void)
{
    live *l = live_new();
    live_add(l, "a");
    live_add(l, "b");
    live_free(l, on_free);
    CHECK_INT(freed, 2);
}

int main(void)
{
    RUN(test_add_find_remove);
    RUN(test_partials_compacted);
    RUN(test_many_partials_stay_small);
    RUN(test_rollback_restores_committed_frames);
    RUN(test_held_frames_bounded);
    RUN(test_free_calls_back);
    return check_done("test_live");
}
