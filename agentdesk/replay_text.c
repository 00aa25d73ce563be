/* replay_text.c — a recording as lines or as an export (see replay_text.h). */
#include "agentdesk/replay_text.h"
#include "agentdesk/agent.h"
#include "agentdesk/linear.h"
#include "agentdesk/replay_player.h"

#include <jansson.h>
#include <string.h>
#include <time.h>

typedef void (*line_fn)(void *ctx, int64_t t_ms, const char *line);

/* Each printable event and each note in time order (a note after the events of its time). */
static void walk(const replay_timeline *tl, const replay_notes *notes, line_fn fn, void *ctx, model *m)
{
    const recording *r = tl->rec;
    model_init(m, tl->scrollback);
    size_t k = 0;
    char buf[4096];
    for (size_t i = 0; i < r->n_events; i++) {
        int64_t t = r->events[i].t_ms;
        for (; notes && k < notes->count && notes->n[k].t_ms < t; k++) {
            snprintf(buf, sizeof buf, "note: %s", notes->n[k].text);
            fn(ctx, notes->n[k].t_ms, buf);
        }
        model_delta d = replay_timeline_apply(tl, m, i);
        if (linear_format(m, &d, buf, sizeof buf)) fn(ctx, t, buf);
    }
    for (; notes && k < notes->count; k++) {
        snprintf(buf, sizeof buf, "note: %s", notes->n[k].text);
        fn(ctx, notes->n[k].t_ms, buf);
    }
}

typedef struct { FILE *out; double speed; int64_t last_ms; bool failed; } linear_ctx;

static void print_line(void *vctx, int64_t t_ms, const char *line)
{
    linear_ctx *c = vctx;
    if (c->speed > 0 && t_ms > c->last_ms) {
        fflush(c->out);
        /* nothing else to wait for here: no keys, no network; Ctrl-C ends it as usual */
        double s = (double)(t_ms - c->last_ms) / 1000.0 / c->speed;
        struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
        while (nanosleep(&ts, &ts) != 0) {}
    }
    if (t_ms > c->last_ms) c->last_ms = t_ms;
    char t[16];
    replay_fmt_time(t_ms, t, sizeof t);
    if (fprintf(c->out, "[%s] %s\n", t, line) < 0) c->failed = true;
}

int replay_linear(FILE *out, const replay_timeline *tl, const replay_notes *notes, double speed)
{
    linear_ctx c = {out, speed, 0, false};
    model m;
    walk(tl, notes, print_line, &c, &m);
    model_free(&m);
    return c.failed || fflush(out) != 0 ? 1 : 0;
}

static void md_line(void *ctx, int64_t t_ms, const char *line)
{
    char t[16];
    replay_fmt_time(t_ms, t, sizeof t);
    fprintf(ctx, "- `%s` %s\n", t, line);
}

static void json_line(void *ctx, int64_t t_ms, const char *line)
{
    json_array_append_new(ctx, json_pack("{s:I, s:s}", "t_ms", (json_int_t)t_ms, "line", line));
}

static void md_card(FILE *out, const scorecard_answers *as)
{
    const scorecard *c = as->card;
    scorecard_score s = scorecard_total(as);
    fprintf(out, "\n## Score card: %s\n\n", c->title);
    if (s.possible) fprintf(out, "Total: **%.0f%%**", s.percent);
    else fprintf(out, "Total: none yet");
    fprintf(out, " (%zu of %zu answered, %zu N/A, %zu suggested and not confirmed)\n", s.answered, s.total, s.na,
            s.suggested);
    for (size_t sec = 0; sec < c->n_sections; sec++) {
        fprintf(out, "\n### %s\n\n", c->sections[sec].title);
        for (size_t k = 0; k < c->sections[sec].count; k++) {
            size_t i = c->sections[sec].first + k;
            const scorecard_answer *a = &as->a[i];
            const char *v = a->value == SC_NONE ? "-" : scorecard_value_name(a->value);
            fprintf(out, "- %s: **%s%s**%s (weight %d)", c->items[i].text, v,
                    c->items[i].kind == SC_SCALE && a->value >= SC_1 && a->value <= SC_5 ? "/5" : "",
                    a->suggested ? " suggested" : "", c->items[i].weight);
            if (a->why) fprintf(out, " — %s", a->why);
            if (a->comment) fprintf(out, " — comment: %s", a->comment);
            fputc('\n', out);
        }
    }
}

bool replay_export(FILE *out, const char *format, const replay_timeline *tl, const replay_notes *notes,
                   const scorecard_answers *card, const char *title)
{
    const recording *r = tl->rec;
    char problems[600], dur[16];
    recording_problems(r, problems, sizeof problems);
    replay_fmt_time(recording_duration(r), dur, sizeof dur);
    model m;
    if (strcmp(format, "md") == 0) {
        fprintf(out, "# Recording %s\n\n", *r->iid ? r->iid : title);
        fprintf(out, "- channel: %s\n- queue: %s\n- agent: %s\n- length: %s, %zu events\n", r->channel,
                r->queue, r->agent, dur, r->n_events);
        if (*problems) fprintf(out, "- damage: %s\n", problems);
        fprintf(out, "\n## Timeline\n\n");
        walk(tl, notes, md_line, out, &m);
        model_ix *ix = model_active(&m);
        fprintf(out, "\n## Flags\n\n");
        for (size_t i = 0; ix && i < ix->n_flags; i++) {
            char t[16];
            replay_fmt_time(ix->flags[i].offset_ms, t, sizeof t);
            fprintf(out, "- `%s` [%s] %s: %s \"%s\"\n", t, agent_severity_mark(ix->flags[i].severity),
                    ix->flags[i].kind, ix->flags[i].text, ix->flags[i].evidence);
        }
        if (!ix || !ix->n_flags) fprintf(out, "none\n");
        fprintf(out, "\n## Notes\n\n");
        for (size_t i = 0; notes && i < notes->count; i++) {
            char t[16];
            replay_fmt_time(notes->n[i].t_ms, t, sizeof t);
            fprintf(out, "- `%s` %s\n", t, notes->n[i].text);
        }
        if (!notes || !notes->count) fprintf(out, "none\n");
        if (card) md_card(out, card);
        model_free(&m);
        return true;
    }
    if (strcmp(format, "json") != 0) return false;
    json_t *lines = json_array(), *flags = json_array(), *jn = json_array();
    walk(tl, notes, json_line, lines, &m);
    model_ix *ix = model_active(&m);
    for (size_t i = 0; ix && i < ix->n_flags; i++) {
        const model_flag *f = &ix->flags[i];
        json_array_append_new(flags, json_pack("{s:I, s:s, s:i, s:s, s:s}", "offset_ms", (json_int_t)f->offset_ms,
                                               "kind", f->kind ? f->kind : "", "severity", f->severity,
                                               "text", f->text ? f->text : "", "evidence", f->evidence ? f->evidence : ""));
    }
    for (size_t i = 0; notes && i < notes->count; i++)
        json_array_append_new(jn, json_pack("{s:I, s:s}", "t_ms", (json_int_t)notes->n[i].t_ms, "text", notes->n[i].text));
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:o, s:o, s:o}", "iid", r->iid,
                          "channel", r->channel, "queue", r->queue, "agent", r->agent,
                          "started_ms", (json_int_t)r->started_ms, "duration_ms", (json_int_t)recording_duration(r),
                          "events", (json_int_t)r->n_events, "damage", problems,
                          "timeline", lines, "flags", flags, "notes", jn);
    if (card) json_object_set_new(j, "scorecard", scorecard_export_json(card));
    json_dumpf(j, out, JSON_INDENT(2));
    fputc('\n', out);
    json_decref(j);
    model_free(&m);
    return true;
}
