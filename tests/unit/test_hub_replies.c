/* test_hub_replies.c — `agentdesk-hub replies` on recordings built for it, in the recorder's
 * exact format (recorder.h: the header line, then console events as the hub writes them, the
 * shape of tests/screen/fixtures/replay_call.jsonl which the demo hub made):
 *   - a reply followed by a rise, said twice in two interactions with small wording changes,
 *     is found once, as one group of two, first;
 *   - a reply followed by a drop is not found, though the same call recovers later (the reply
 *     that turned it is);
 *   - a reply in a call that ended badly (a hang-up) or negative is not found;
 *   - a recording started before --since is not read; a damaged line and a torn end are skipped;
 *   - the article is re-redacted, names become placeholders, and `import kb` checks it and
 *     leaves it out while it is a candidate, and imports it once published. */
#include "tests/unit/check.h"
#include "hub/cli/replies.h"
#include "hub/store/import.h"
#include "hub/store/store.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T0 1796396897766LL   /* the fixture's start: 2026-12 */

typedef struct { char *buf; size_t len; FILE *f; int seq; const char *iid; int64_t t; } rec;

static void rec_begin(rec *r, const char *iid, const char *queue, int64_t started_ms)
{
    r->f = open_memstream(&r->buf, &r->len);
    r->seq = 1;
    r->iid = iid;
    r->t = started_ms;
    fprintf(r->f, "{\"format\":\"agentdesk.recording\",\"version\":1,\"iid\":\"%s\",\"channel\":\"chat\",\"queue\":\"%s\","
            "\"agent\":\"agent-2\",\"started_ms\":%lld}\n", iid, queue, (long long)started_ms);
    fprintf(r->f, "{\"type\":\"interaction.started\",\"iid\":\"%s\",\"channel\":\"chat\",\"queue\":\"%s\",\"agent\":\"agent-2\","
            "\"agent_name\":\"Ben Okafor\",\"customer_id\":\"C-1006\",\"customer_name\":\"Sam Fraser\",\"started_ms\":%lld,"
            "\"seq\":%d,\"ts\":%lld}\n", iid, queue, (long long)started_ms, r->seq++, (long long)started_ms);
    fprintf(r->f, "{\"type\":\"customer\",\"iid\":\"%s\",\"customer\":{\"id\":\"C-1006\",\"name\":\"Sam Fraser\","
            "\"first_name\":\"Sam\",\"last_name\":\"Fraser\",\"tier\":\"standard\",\"email\":\"[EMAIL]\"},\"history\":[],"
            "\"orders\":[],\"seq\":%d,\"ts\":%lld}\n", iid, r->seq++, (long long)started_ms);
}

/* A final utterance (and its partial first, as the hub records them); a customer's is scored
 * with `trend`. */
static void say(rec *r, const char *speaker, const char *text, double trend)
{
    int u = r->seq;
    r->t += 4000;
    fprintf(r->f, "{\"type\":\"utterance\",\"iid\":\"%s\",\"uid\":\"%s.u%d\",\"speaker\":\"%s\",\"text\":\"%.10s\","
            "\"final\":false,\"offset_ms\":%lld,\"seq\":%d,\"ts\":%lld}\n", r->iid, r->iid, u, speaker, text,
            (long long)(r->t - T0), r->seq++, (long long)r->t);
    fprintf(r->f, "{\"type\":\"utterance\",\"iid\":\"%s\",\"uid\":\"%s.u%d\",\"speaker\":\"%s\",\"text\":\"%s\","
            "\"final\":true,\"offset_ms\":%lld,\"seq\":%d,\"ts\":%lld}\n", r->iid, r->iid, u, speaker, text,
            (long long)(r->t - T0), r->seq++, (long long)r->t);
    if (strcmp(speaker, "customer") == 0)
        fprintf(r->f, "{\"type\":\"sentiment\",\"iid\":\"%s\",\"uid\":\"%s.u%d\",\"score\":%.2f,\"label\":\"%s\","
                "\"trend\":%.2f,\"slope\":0.1,\"terms\":[],\"seq\":%d,\"ts\":%lld}\n", r->iid, r->iid, u, trend,
                trend < -0.05 ? "negative" : trend > 0.05 ? "positive" : "neutral", trend, r->seq++, (long long)r->t);
}

static void rec_end(rec *r, const char *reason, const char *disposition)
{
    fprintf(r->f, "{\"type\":\"summary\",\"iid\":\"%s\",\"text\":\"done\",\"disposition\":\"%s\",\"codes\":[],"
            "\"final\":true,\"seq\":%d,\"ts\":%lld}\n", r->iid, disposition, r->seq++, (long long)r->t);
    fprintf(r->f, "{\"type\":\"interaction.ended\",\"iid\":\"%s\",\"reason\":\"%s\",\"ended_ms\":%lld,\"seq\":%d,"
            "\"ts\":%lld}\n", r->iid, reason, (long long)r->t, r->seq++, (long long)r->t);
    fclose(r->f);
}

static int mine(replies_miner *m, rec *r, int64_t since)
{
    int n = replies_add_recording(m, r->buf, r->len, since);
    free(r->buf);
    return n;
}

static const char *refund =
    "I'm so sorry about the double charge, Sam. I've refunded it now and you'll see it in 3 to 5 days. Ben";
static const char *refund2 =
    "So sorry about the double charge. I have refunded it now, you will see it in 3 to 5 days.";
static const char *policy = "That is our policy and there is nothing I can do about it.";
static const char *waive = "Let me waive the late fee for you today, write to billing@example.com for the letter.";
static const char *hungup = "I understand, I'll look into the charge for you right away.";

static json_t *candidates(int64_t since, int *found)
{
    replies_params p = {0.2, 2, 0.5};
    replies_miner *m = replies_new(&p);
    rec r;
    *found = 0;
    /* A: the refund reply lifts an angry customer; resolved */
    rec_begin(&r, "rep-a", "billing", T0);
    say(&r, "agent", "Hello, you're through to billing.", 0);
    say(&r, "customer", "You have charged me twice this month, I am furious", -0.5);
    say(&r, "agent", refund, 0);
    say(&r, "customer", "oh ok, thank you", -0.1);
    say(&r, "customer", "that is great actually", 0.3);
    rec_end(&r, "resolved", "REFUND_ISSUED");
    *found += mine(m, &r, since);
    /* B: nearly the same reply, another call, another day; a damaged line and a torn end */
    rec_begin(&r, "rep-b", "billing", T0 + 86400000);
    say(&r, "customer", "why is there a second payment for the same bill", -0.4);
    fprintf(r.f, "{\"type\":\"utterance\",\"seq\":\n");
    say(&r, "agent", refund2, 0);
    say(&r, "customer", "right, thanks", 0.0);
    rec_end(&r, "resolved", "REFUND_ISSUED");
    r.buf = realloc(r.buf, r.len + 40);
    memcpy(r.buf + r.len, "{\"type\":\"flag\",\"iid\":\"rep-b\",\"fi", 33);
    r.len += 33;
    *found += mine(m, &r, since);
    /* C: the policy line makes it worse; waiving the fee turns it round; ends positive */
    rec_begin(&r, "rep-c", "billing", T0 + 2 * 86400000);
    say(&r, "customer", "I was charged a late fee but I paid on time", -0.2);
    say(&r, "agent", policy, 0);
    say(&r, "customer", "that is ridiculous", -0.6);
    say(&r, "agent", waive, 0);
    say(&r, "customer", "ok that is fair, thanks", 0.1);
    rec_end(&r, "resolved", "RESOLVED");
    *found += mine(m, &r, since);
    /* D: a rise, but the customer hung up */
    rec_begin(&r, "rep-d", "billing", T0 + 3 * 86400000);
    say(&r, "customer", "this charge is wrong", -0.5);
    say(&r, "agent", hungup, 0);
    say(&r, "customer", "fine", 0.0);
    rec_end(&r, "hangup", "INFO_ONLY");
    *found += mine(m, &r, since);
    /* E: the same good reply, but before --since */
    rec_begin(&r, "rep-e", "billing", T0 - 30LL * 86400000);
    say(&r, "customer", "charged twice", -0.5);
    say(&r, "agent", refund, 0);
    say(&r, "customer", "thanks", 0.2);
    rec_end(&r, "resolved", "REFUND_ISSUED");
    *found += mine(m, &r, since);
    /* not a recording at all */
    CHECK_INT(replies_add_recording(m, "{\"type\":\"utterance\"}\n", 21, since), -1);
    json_t *out = replies_candidates(m);
    replies_free(m);
    return out;
}

static bool has_reply(json_t *out, const char *needle)
{
    size_t i;
    json_t *a;
    json_array_foreach(out, i, a)
        if (strstr(json_string_value(json_object_get(a, "reply")), needle)) return true;
    return false;
}

static void test_found_grouped_and_left_out(void)
{
    int found;
    json_t *out = candidates(T0 - 86400000, &found);
    CHECK_INT(found, 3);                          /* refund twice, waive once */
    CHECK_INT(json_array_size(out), 2);           /* refund grouped */
    json_t *first = json_array_get(out, 0);
    const char *reply = json_string_value(json_object_get(first, "reply"));
    CHECK(reply && strstr(reply, "double charge"));
    /* the customer's first name and the agent's became placeholders */
    CHECK(reply && strstr(reply, "{customer.first_name}") && strstr(reply, "{agent.name}") && !strstr(reply, "Sam"));
    CHECK_STR(json_string_value(json_object_get(first, "status")), "candidate");
    CHECK_STR(json_string_value(json_object_get(first, "category")), "billing");
    CHECK(strstr(json_string_value(json_object_get(first, "body")), "2 times in 2 interactions") != NULL);
    CHECK(strstr(json_string_value(json_object_get(first, "body")), "rep-a, rep-b") != NULL);
    CHECK_INT(json_array_size(json_object_get(first, "examples")), 2);
    CHECK(strncmp(json_string_value(json_object_get(first, "id")), "CAND-", 5) == 0);
    /* the reply that turned call C round is found, re-redacted; the one that sank it is not */
    CHECK(has_reply(out, "waive the late fee"));
    CHECK(has_reply(out, "[EMAIL]") && !has_reply(out, "billing@example.com"));
    CHECK(!has_reply(out, "our policy"));
    CHECK(!has_reply(out, "look into the charge"));   /* D: hung up */
    json_decref(out);
    /* E is in when --since reaches back to it: then the refund group has 3 */
    out = candidates(T0 - 60LL * 86400000, &found);
    CHECK_INT(found, 4);
    CHECK(strstr(json_string_value(json_object_get(json_array_get(out, 0), "body")), "3 times in 3 interactions") != NULL);
    json_decref(out);
}

static void test_import_takes_candidates(void)
{
    int found;
    json_t *out = candidates(T0 - 86400000, &found);
    char path[] = "/tmp/replies-db-XXXXXX", err[512];
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    unlink(path);
    store *s = store_open(path, err, sizeof err);
    CHECK(s != NULL);
    if (!s) { json_decref(out); return; }
    /* checked and left out while candidates */
    CHECK_INT(import_json(s, "kb", out, "candidates.json", err, sizeof err), 0);
    size_t i;
    json_t *a;
    json_array_foreach(out, i, a) json_object_set_new(a, "status", json_string("published"));
    CHECK_INT(import_json(s, "kb", out, "candidates.json", err, sizeof err), 2);
    /* a status that is neither is refused by name */
    json_object_set_new(json_array_get(out, 0), "status", json_string("draft"));
    CHECK_INT(import_json(s, "kb", out, "candidates.json", err, sizeof err), -1);
    CHECK(strstr(err, "\"status\" must be one of published|candidate") != NULL);
    store_close(s);
    unlink(path);
    json_decref(out);
}

int main(void)
{
    RUN(test_found_grouped_and_left_out);
    RUN(test_import_takes_candidates);
    return check_done("test_hub_replies");
}
