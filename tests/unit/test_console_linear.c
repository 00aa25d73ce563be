/* test_console_linear.c — the --linear wording: one plain, cleaned line per event, finals
 * only, nothing for duplicates; and the agent helpers it shares with the screen. */
#include "tests/unit/check.h"
#include "agentdesk/agent.h"
#include "agentdesk/linear.h"
#include "agentdesk/model.h"
#include "proto/codec.h"

#include <stdlib.h>

static model m;

/* Decode, apply, format: what the linear front prints for this frame ("" for nothing). */
static const char *line_for(const char *frame)
{
    static char out[4096];
    proto_event ev;
    proto_error err;
    out[0] = 0;
    if (!proto_decode(frame, strlen(frame), PROTO_TO_CONSOLE, &ev, &err)) {
        snprintf(out, sizeof out, "decode error: %s", err.message);
        return out;
    }
    model_delta d = model_apply(&m, &ev);
    if (!linear_format(&m, &d, out, sizeof out)) out[0] = 0;
    proto_free(&ev);
    return out;
}

static void test_lines(void)
{
    model_init(&m, 0);
    CHECK_STR(line_for("{\"type\":\"welcome\",\"user\":\"agent-1\",\"display_name\":\"Ana Ruiz\",\"role\":\"agent\","
                       "\"hub_id\":\"H\",\"seq\":1,\"protocol\":1}"),
              "signed in as agent-1 (Ana Ruiz), role agent");
    CHECK_STR(line_for("{\"type\":\"interaction.started\",\"seq\":2,\"ts\":1,\"iid\":\"I-1\",\"channel\":\"voice\","
                       "\"queue\":\"billing\",\"agent\":\"agent-1\",\"agent_name\":\"Ana\",\"customer_id\":\"C-1\","
                       "\"customer_name\":\"Maria Lopez\",\"started_ms\":1}"),
              "[I-1] started voice billing: Maria Lopez (C-1)");
    CHECK_STR(line_for("{\"type\":\"utterance\",\"seq\":3,\"ts\":1,\"iid\":\"I-1\",\"uid\":\"u-1\",\"speaker\":\"customer\","
                       "\"text\":\"I have\",\"final\":false,\"offset_ms\":9000}"), "");
    CHECK_STR(line_for("{\"type\":\"utterance\",\"seq\":4,\"ts\":1,\"iid\":\"I-1\",\"uid\":\"u-1\",\"speaker\":\"customer\","
                       "\"text\":\"I have been charged\\u001b[2J twice\",\"final\":true,\"offset_ms\":9000}"),
              "[I-1] 00:09 customer: I have been charged\xe2\x90\x9b[2J twice");
    /* the same seq again (a resume) prints nothing */
    CHECK_STR(line_for("{\"type\":\"utterance\",\"seq\":4,\"ts\":1,\"iid\":\"I-1\",\"uid\":\"u-1\",\"speaker\":\"customer\","
                       "\"text\":\"I have been charged twice\",\"final\":true,\"offset_ms\":9000}"), "");
    CHECK_STR(line_for("{\"type\":\"flag\",\"seq\":5,\"ts\":1,\"iid\":\"I-1\",\"fid\":\"F-1\",\"kind\":\"churn\",\"severity\":3,"
                       "\"text\":\"threatens to cancel\",\"rule\":\"r\",\"evidence\":\"cancel my account\"}"),
              "[I-1] flag !!! churn: threatens to cancel \"cancel my account\"");
    CHECK_STR(line_for("{\"type\":\"summary\",\"seq\":6,\"ts\":1,\"iid\":\"I-1\",\"text\":\"two\\nlines\","
                       "\"disposition\":\"resolved\",\"codes\":[],\"final\":true}"),
              "[I-1] summary (final, resolved): two lines");
    CHECK_STR(line_for("{\"type\":\"wrapup\",\"seq\":7,\"ts\":1,\"iid\":\"I-1\",\"user\":\"agent-1\",\"code\":\"resolved\","
                       "\"summary\":\"s\",\"follow_up\":true}"),
              "[I-1] wrapped up: resolved (follow-up)");
    CHECK_STR(line_for("{\"type\":\"ack\",\"id\":\"a-1\",\"seq\":8}"), "");
    model_free(&m);
}

/* Every line comes from the model the event was applied to (linear_format never sees the
 * event): whispers, hands, notes, customers, sentiment, suggestions, snapshots. */
static void test_lines_from_model(void)
{
    model_init(&m, 0);
    line_for("{\"type\":\"interaction.started\",\"seq\":2,\"ts\":1000,\"iid\":\"I-1\",\"channel\":\"chat\","
             "\"queue\":\"billing\",\"agent\":\"agent-1\",\"agent_name\":\"Ana\",\"customer_id\":\"C-1\","
             "\"customer_name\":\"Maria Lopez\",\"started_ms\":1000}");
    CHECK_STR(line_for("{\"type\":\"whisper\",\"seq\":3,\"ts\":2000,\"iid\":\"I-1\",\"from\":\"sup-1\","
                       "\"from_name\":\"Sam\",\"text\":\"offer the refund\"}"),
              "[I-1] whisper from Sam: offer the refund");
    CHECK_STR(line_for("{\"type\":\"hand\",\"seq\":4,\"ts\":2000,\"iid\":\"I-1\",\"agent\":\"agent-1\","
                       "\"agent_name\":\"Ana\",\"text\":\"need help\"}"),
              "[I-1] hand raised by Ana: need help");
    CHECK_STR(line_for("{\"type\":\"note\",\"seq\":5,\"ts\":2000,\"iid\":\"I-1\",\"user\":\"agent-1\","
                       "\"text\":\"called\\nback\"}"),
              "[I-1] note by agent-1: called back");
    CHECK_STR(line_for("{\"type\":\"customer\",\"seq\":6,\"ts\":1,\"iid\":\"I-1\",\"customer\":{\"id\":\"C-1\","
                       "\"name\":\"Maria Lopez\",\"tier\":\"gold\",\"since\":\"2019\"},\"history\":[],"
                       "\"orders\":[{\"id\":\"O-1\",\"item\":\"Watch\"}]}"),
              "[I-1] customer Maria Lopez, gold, since 2019, 0 past contacts, 1 orders");
    CHECK_STR(line_for("{\"type\":\"sentiment\",\"seq\":7,\"ts\":1,\"iid\":\"I-1\",\"uid\":\"u-9\",\"score\":-0.6,"
                       "\"label\":\"negative\",\"trend\":-0.4,\"slope\":-0.1,\"terms\":[]}"),
              "[I-1] sentiment negative -0.60, trend negative -0.40");   /* an older hub: no direction */
    CHECK_STR(line_for("{\"type\":\"sentiment\",\"seq\":8,\"ts\":1,\"iid\":\"I-1\",\"uid\":\"u-9\",\"score\":-0.6,"
                       "\"label\":\"negative\",\"trend\":-0.7,\"slope\":0.2,\"terms\":[],\"emotion\":\"anger\","
                       "\"cues\":[\"sort it out\",\"leaving\"],\"level\":\"hostile\",\"direction\":0}"),
              "[I-1] sentiment negative -0.60, anger (sort it out, leaving), trend hostile -0.70");
    CHECK_STR(line_for("{\"type\":\"suggestion\",\"seq\":9,\"ts\":1,\"iid\":\"I-1\",\"sid\":\"S-1\",\"title\":\"Refund\","
                       "\"text\":\"I can refund it\",\"source\":\"KB-1\",\"score\":0.5}"),
              "[I-1] suggestion (/use 1): Refund: I can refund it");
    CHECK_STR(line_for("{\"type\":\"interaction.ended\",\"seq\":10,\"ts\":5000,\"iid\":\"I-1\",\"reason\":\"hangup\","
                       "\"ended_ms\":5000}"),
              "[I-1] ended: hangup");
    CHECK_STR(line_for("{\"type\":\"snapshot\",\"seq\":10,\"interactions\":[{\"iid\":\"I-1\",\"channel\":\"chat\","
                       "\"queue\":\"billing\",\"agent\":\"agent-1\",\"agent_name\":\"Ana\",\"customer_id\":\"C-1\","
                       "\"customer_name\":\"Maria Lopez\",\"started_ms\":1000}],\"last\":true}"),
              "open interactions: 1: [I-1] chat Maria Lopez");
    model_free(&m);
}

static void test_agent_words(void)
{
    char buf[16];
    agent_fmt_clock(252000, buf, sizeof buf);
    CHECK_STR(buf, "04:12");
    agent_fmt_clock(3723000, buf, sizeof buf);
    CHECK_STR(buf, "1:02:03");
    agent_fmt_clock(500LL * 3600 * 1000, buf, sizeof buf);
    CHECK_STR(buf, ">99h");
    agent_fmt_clock(-1, buf, sizeof buf);
    CHECK_STR(buf, "--:--");
    CHECK_STR(agent_trend_arrow(-1), "↓");
    CHECK_STR(agent_trend_arrow(1), "↑");
    CHECK_STR(agent_trend_arrow(0), "");          /* no arrow on a plateau */
    CHECK_STR(agent_trend_level(-0.7), "hostile");
    CHECK_STR(agent_trend_level(-0.2), "negative");
    CHECK_STR(agent_trend_level(0.0), "neutral");
    CHECK_STR(agent_trend_level(0.5), "positive");
    CHECK_STR(agent_channel_mark("voice"), "V");
    CHECK_STR(agent_severity_mark(2), "!!");
    const char *codes[8];
    size_t pre;
    CHECK_INT(agent_wrapup_codes(NULL, codes, 8, &pre), 5);
    CHECK_STR(codes[0], "resolved");
}

int main(void)
{
    RUN(test_lines);
    RUN(test_lines_from_model);
    RUN(test_agent_words);
    return check_done("test_console_linear");
}
