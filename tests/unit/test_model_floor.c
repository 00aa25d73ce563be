/* test_model_floor.c — the model's part of the supervisor's floor, from real decoded frames:
 * agent.status kept per agent (and forgotten with another hub), interaction.assigned moving an
 * interaction (the agent who lost it lets it go without a wrap-up; a supervisor sees the new
 * owner), alert.acked marking a hand or a flag as seen ("help is coming" in the agent's
 * transcript), barge and its leave, and what the stage column reads (bot, waiting, agent). */
#include "tests/unit/check.h"
#include "agentdesk/model.h"
#include "agentdesk/monitor_floor.h"
#include "proto/codec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static model_delta last;

static unsigned apply(model *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static unsigned apply(model *m, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    proto_event ev;
    proto_error err;
    if (!proto_decode(buf, strlen(buf), PROTO_TO_CONSOLE, &ev, &err)) {
        fprintf(stderr, "  decode failed: %s: %s\n", err.message, buf);
        return 0xffffffffu;
    }
    last = model_apply(m, &ev);
    proto_free(&ev);
    return last.what;
}

static void signed_in(model *m, const char *user, const char *role)
{
    apply(m, "{\"type\":\"welcome\",\"user\":\"%s\",\"display_name\":\"X\",\"role\":\"%s\",\"hub_id\":\"h\",\"seq\":0,\"protocol\":1}",
          user, role);
    apply(m, "{\"type\":\"interaction.started\",\"seq\":1,\"ts\":1000,\"iid\":\"I-1\",\"channel\":\"chat\",\"queue\":\"billing\","
             "\"agent\":\"agent-1\",\"agent_name\":\"Ana Ruiz\",\"customer_id\":\"C-1\",\"customer_name\":\"Maria Lopez\",\"started_ms\":1000}");
}

static bool last_line_has(const model_ix *ix, const char *needle)
{
    const model_line *l = model_line_at(ix, model_line_end(ix) - 1);
    return l && strstr(l->text, needle);
}

static void test_agent_status(void)
{
    model m;
    model_init(&m, 100);
    signed_in(&m, "supervisor", "supervisor");
    unsigned ch = apply(&m, "{\"type\":\"agent.status\",\"agent\":\"agent-1\",\"agent_name\":\"Ana Ruiz\",\"state\":\"acw\","
                            "\"since_ms\":5000,\"live\":0,\"acw_count\":1,\"handled_today\":12}");
    CHECK(ch & MODEL_CH_AGENTS);
    apply(&m, "{\"type\":\"agent.status\",\"agent\":\"agent-1\",\"agent_name\":\"Ana Ruiz\",\"state\":\"break\","
              "\"since_ms\":9000,\"live\":0,\"acw_count\":0,\"handled_today\":13}");
    CHECK_INT(m.n_agents, 1);
    const model_agent_status *a = model_agent_status_of(&m, "agent-1");
    CHECK(a && !strcmp(a->state, "break") && a->since_ms == 9000 && a->handled_today == 13);
    model_reset(&m);
    CHECK_INT(m.n_agents, 0);
    model_free(&m);
}

static void test_assigned_away_from_agent(void)
{
    model m;
    model_init(&m, 100);
    signed_in(&m, "agent-1", "agent");
    model_ix *ix = model_find(&m, "I-1");
    apply(&m, "{\"type\":\"interaction.assigned\",\"seq\":2,\"ts\":2000,\"iid\":\"I-1\",\"agent\":\"supervisor\",\"agent_name\":\"Sam Ortiz\","
              "\"from\":\"agent-1\",\"from_name\":\"Ana Ruiz\",\"by\":\"supervisor\",\"by_name\":\"Sam Ortiz\"}");
    CHECK(last.what & MODEL_CH_LIST);
    CHECK_INT(ix->state, IX_WRAPPED);   /* gone: nothing to wrap up */
    CHECK(last_line_has(ix, "Sam Ortiz moved the interaction from Ana Ruiz to Sam Ortiz"));
    model_free(&m);
}

static void test_assigned_seen_by_supervisor(void)
{
    model m;
    model_init(&m, 100);
    signed_in(&m, "supervisor", "supervisor");
    model_ix *ix = model_find(&m, "I-1");
    apply(&m, "{\"type\":\"interaction.assigned\",\"seq\":2,\"ts\":2000,\"iid\":\"I-1\",\"agent\":\"agent-2\",\"agent_name\":\"Ben Okafor\","
              "\"from\":\"agent-1\",\"from_name\":\"Ana Ruiz\",\"by\":\"supervisor\",\"by_name\":\"Sam Ortiz\"}");
    CHECK_INT(ix->state, IX_LIVE);
    CHECK_STR(ix->agent, "agent-2");
    CHECK_STR(ix->agent_name, "Ben Okafor");
    CHECK_INT(ix->transfers, 1);
    model_free(&m);
}

static void test_alert_acked(void)
{
    model m;
    model_init(&m, 100);
    signed_in(&m, "agent-1", "agent");
    model_ix *ix = model_find(&m, "I-1");
    apply(&m, "{\"type\":\"hand\",\"seq\":5,\"ts\":3000,\"iid\":\"I-1\",\"agent\":\"agent-1\",\"agent_name\":\"Ana Ruiz\",\"text\":\"manager\"}");
    apply(&m, "{\"type\":\"flag\",\"seq\":6,\"ts\":3001,\"iid\":\"I-1\",\"fid\":\"F-1\",\"kind\":\"churn\",\"severity\":3,\"text\":\"t\","
              "\"rule\":\"r\",\"evidence\":\"e\",\"offset_ms\":1}");
    CHECK_INT(ix->hand_seq, 5);
    CHECK_INT(ix->flags[0].seq, 6);
    apply(&m, "{\"type\":\"alert.acked\",\"seq\":7,\"ts\":4000,\"iid\":\"I-1\",\"alert\":5,\"by\":\"supervisor\",\"by_name\":\"Sam Ortiz\"}");
    CHECK_STR(ix->hand_acked_by, "Sam Ortiz");
    CHECK(ix->hand_seen);
    CHECK(last_line_has(ix, "help is coming: Sam Ortiz saw your raised hand"));
    CHECK_STR(ix->flags[0].acked_by, "");
    apply(&m, "{\"type\":\"alert.acked\",\"seq\":8,\"ts\":4001,\"iid\":\"I-1\",\"alert\":6,\"by\":\"supervisor\",\"by_name\":\"Sam Ortiz\"}");
    CHECK_STR(ix->flags[0].acked_by, "Sam Ortiz");
    model_free(&m);
}

static void test_barge_and_leave(void)
{
    model m;
    model_init(&m, 100);
    signed_in(&m, "supervisor", "supervisor");
    model_ix *ix = model_find(&m, "I-1");
    apply(&m, "{\"type\":\"barge\",\"seq\":2,\"ts\":2000,\"iid\":\"I-1\",\"from\":\"supervisor\",\"from_name\":\"Sam Ortiz\"}");
    CHECK(ix->joined);
    apply(&m, "{\"type\":\"barge\",\"seq\":3,\"ts\":2001,\"iid\":\"I-1\",\"from\":\"supervisor\",\"from_name\":\"Sam Ortiz\",\"left\":true}");
    CHECK(!ix->joined);
    CHECK(last_line_has(ix, "Sam Ortiz left the interaction"));
    model_free(&m);
}

static void test_stages(void)
{
    model m;
    model_init(&m, 100);
    signed_in(&m, "supervisor", "supervisor");
    monitor_floor f;
    monitor_floor_init(&f);
    monitor_floor_refresh(&f, &m, 5000);
    CHECK_INT(monitor_floor_at(&f, 0)->stage, STAGE_WAITING);
    apply(&m, "{\"type\":\"utterance\",\"seq\":2,\"ts\":2000,\"iid\":\"I-1\",\"uid\":\"b1\",\"speaker\":\"bot\",\"text\":\"Hi\",\"final\":true,\"offset_ms\":1000}");
    monitor_floor_refresh(&f, &m, 5000);
    CHECK_INT(monitor_floor_at(&f, 0)->stage, STAGE_BOT);
    apply(&m, "{\"type\":\"utterance\",\"seq\":3,\"ts\":2001,\"iid\":\"I-1\",\"uid\":\"a1\",\"speaker\":\"agent\",\"text\":\"Hello\",\"final\":true,\"offset_ms\":1001}");
    monitor_floor_refresh(&f, &m, 5000);
    CHECK_INT(monitor_floor_at(&f, 0)->stage, STAGE_AGENT);
    CHECK_INT(monitor_floor_at(&f, 0)->duration_ms, 4000);
    monitor_floor_free(&f);
    model_free(&m);
}

int main(void)
{
    RUN(test_agent_status);
    RUN(test_assigned_away_from_agent);
    RUN(test_assigned_seen_by_supervisor);
    RUN(test_alert_acked);
    RUN(test_barge_and_leave);
    RUN(test_stages);
    return check_done("test_model_floor");
}
