/* simulator.c — plays scenarios through the pipeline on the hub's lws loop.
 *
 * One lws_sorted_usec_list_t serves everything: each firing sends every step that is due
 * across all running interactions, starts or ends interactions, drifts the target load,
 * then re-arms itself for the earliest next due time. Time is a virtual clock in ms
 * (monotonic clock times AGENTDESK_SIM_SPEED) counted from simulator_start.
 *
 * The demo console signs in as the first agent. In its chats the script's agent lines are
 * not played: the customer waits for what the agent really types (pipeline_replies), then
 * the script goes on from there; after NUDGE_MS the customer asks whether anyone is there,
 * after GIVE_UP_MS the script goes on without the reply. Other agents' chats, and voice calls
 * (nobody speaks through a terminal), play the script's agent lines, each marked `simulated`
 * so that consoles say the agent did not say it. No agent is given a second voice call while
 * one is live, and an agent on a break is given nothing new. */
#include "hub/cli/simulator.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hub/core/pipeline_internal.h"
#include "hub/cli/simulator_plan.h"
#include "hub/cli/simulator_rng.h"
#include "hub/cli/simulator_scenario.h"
#include "base/mem.h"
#include "base/clock.h"

#define TARGET_MIN        3
#define TARGET_MAX        12
#define DRIFT_MIN_MS      40000
#define DRIFT_MAX_MS      120000
#define HANGUP_MS         1500      /* after the last line, before `end` */
#define RECHECK_MS        2000      /* at the target load: look again this often */
#define RETRY_MS          10000     /* after a refused start */
#define MAX_AGENTS        64
#define WAIT_POLL_MS      500       /* a chat waiting for the agent looks this often */
#define NUDGE_MS          45000     /* ... asks "are you there?" after this long */
#define GIVE_UP_MS        120000    /* ... and goes on without the reply after this long */
#define MAX_IID           128

typedef struct sim_run {
    struct sim_run *next;
    char iid[MAX_IID];
    const simulator_scenario *sc;
    size_t agent;
    simulator_step *steps;
    size_t nsteps, sent;
    int64_t t0;               /* virtual ms when it started */
    int64_t end_at;           /* virtual ms of its `end` */
    bool human;               /* a chat of the demo console's agent: it waits for replies */
    bool voice;
    int64_t wait_from;        /* waiting for the agent since (virtual ms), 0 when not */
    unsigned replies_used;    /* the agent's replies the script has answered so far */
    bool nudged;
} sim_run;

struct simulator {
    lws_sorted_usec_list_t sul;
    struct lws_context *ctx;
    pipeline *p;
    simulator_scenario_set set;
    int total_weight;
    char *agents[MAX_AGENTS];
    size_t live_per_agent[MAX_AGENTS];
    size_t voice_per_agent[MAX_AGENTS];
    size_t nagents, next_agent;
    simulator_rng pick_rng;   /* scenarios and partial chunking: one draw sequence per start */
    simulator_rng load_rng;   /* target drift and start intervals */
    double speed;
    int64_t mono0;
    int target;
    size_t running;
    int64_t next_start, next_drift;
    size_t last_scenario;
    unsigned long started;
    char run_tag[8];
    sim_run *runs;
};

static int64_t sim_now(const simulator *s)
{
    return (int64_t)((double)(clock_mono_ms() - s->mono0) * s->speed);
}

/* Hand one event to the pipeline; a refusal is logged (cleaned, bounded) and survived. */
static bool ingest(simulator *s, proto_event *ev, const char *iid)
{
    proto_error perr;
    memset(&perr, 0, sizeof perr);
    int rc = pipeline_ingest(s->p, ev, &perr);
    if (rc != 0)
        lwsl_warn("simulator: %s: %s refused: %s: %s\n", iid,
                  proto_spec(ev->type) ? proto_spec(ev->type)->name : "event",
                  perr.code ? perr.code : "error", perr.message);
    proto_free(ev);
    return rc == 0;
}

/* false when the pipeline refused the utterance */
static bool send_step(simulator *s, sim_run *r, const simulator_step *st)
{
    const simulator_line *line = &r->sc->lines[st->line];
    char uid[MAX_IID + 16];
    snprintf(uid, sizeof uid, "%s.u%u", r->iid, (unsigned)st->line + 1);
    char *text = mem_strndup(line->text, st->text_len);
    proto_event ev = proto_new(EV_INGEST_UTTERANCE);
    proto_set_str(&ev, "iid", r->iid);
    proto_set_str(&ev, "uid", uid);
    proto_set_str(&ev, "speaker", line->speaker);
    proto_set_str(&ev, "text", text);
    proto_set_bool(&ev, "final", st->final);
    proto_set_int(&ev, "offset_ms", st->offset_ms);
    /* the script speaks for the agent here (a voice call, another agent's chat): say so */
    if (strcmp(line->speaker, "agent") == 0)
        proto_set_bool(&ev, "simulated", true);
    free(text);
    return ingest(s, &ev, r->iid);
}

static void send_end(simulator *s, sim_run *r, const char *reason)
{
    proto_event ev = proto_new(EV_INGEST_END);
    proto_set_str(&ev, "iid", r->iid);
    proto_set_str(&ev, "reason", reason);
    ingest(s, &ev, r->iid);
}

static size_t pick_scenario(simulator *s)
{
    size_t pick = 0;
    for (int attempt = 0; attempt < 2; attempt++) {
        int64_t roll = simulator_rng_range(&s->pick_rng, 0, s->total_weight - 1);
        for (pick = 0; pick < s->set.count; pick++) {
            roll -= s->set.items[pick].weight;
            if (roll < 0)
                break;
        }
        /* one re-roll makes the same scenario twice in a row rarer, not impossible */
        if (pick != s->last_scenario || s->set.count == 1)
            break;
    }
    s->last_scenario = pick;
    return pick;
}

/* A contact is offered only to an agent who is not on a break (the status the agent set),
 * and a voice call only to one not already on a call. */
static bool offerable(simulator *s, size_t a, bool voice)
{
    return (!voice || s->voice_per_agent[a] == 0) && !pipeline_agent_on_break(s->p, s->agents[a]);
}

/* The first agent gets the next start whenever it has nothing live (the demo console
 * logs in as agent-1); otherwise round-robin over all agents, skipping those who may not be
 * offered it. MAX_AGENTS when nobody may. */
static size_t pick_agent(simulator *s, bool voice)
{
    if (s->live_per_agent[0] == 0 && offerable(s, 0, voice))
        return 0;
    for (size_t tries = 0; tries < s->nagents; tries++) {
        size_t a = s->next_agent % s->nagents;
        s->next_agent = (a + 1) % s->nagents;
        if (offerable(s, a, voice))
            return a;
    }
    return MAX_AGENTS;
}

/* false when the pipeline refused the start (the run is dropped) */
static bool start_run(simulator *s, int64_t now)
{
    const simulator_scenario *sc = &s->set.items[pick_scenario(s)];
    bool voice = strcmp(sc->channel, "voice") == 0;
    size_t agent = pick_agent(s, voice);
    if (agent == MAX_AGENTS)
        return false;   /* every agent is on a call or a break: try again later */
    sim_run *r = mem_zalloc(1, sizeof *r);
    r->sc = sc;
    r->agent = agent;
    r->voice = voice;
    r->human = agent == 0 && !voice;
    r->t0 = now;
    s->started++;
    snprintf(r->iid, sizeof r->iid, "sim-%s-%lu-%s", s->run_tag, s->started, sc->name);
    r->steps = simulator_plan_lines(sc, &s->pick_rng, &r->nsteps);
    r->end_at = now + simulator_plan_duration(r->steps, r->nsteps) + HANGUP_MS;

    proto_event ev = proto_new(EV_INGEST_START);
    proto_set_str(&ev, "iid", r->iid);
    proto_set_str(&ev, "channel", sc->channel);
    proto_set_str(&ev, "queue", sc->queue);
    proto_set_str(&ev, "agent", s->agents[r->agent]);
    proto_set_str(&ev, "customer_id", sc->customer_id);
    proto_set_int(&ev, "started_ms", clock_wall_ms());
    if (!ingest(s, &ev, r->iid)) {
        free(r->steps);
        free(r);
        return false;
    }
    r->next = s->runs;
    s->runs = r;
    s->running++;
    s->live_per_agent[r->agent]++;
    s->voice_per_agent[r->agent] += r->voice;
    return true;
}

/* Unlink and free a run; send its `end` unless reason is NULL (already ended elsewhere). */
static void finish_run(simulator *s, sim_run **link, const char *reason)
{
    sim_run *r = *link;
    if (reason)
        send_end(s, r, reason);
    *link = r->next;
    s->running--;
    s->live_per_agent[r->agent]--;
    s->voice_per_agent[r->agent] -= r->voice;
    free(r->steps);
    free(r);
}

static void on_timer(lws_sorted_usec_list_t *sul);

static int64_t next_due(const sim_run *r, int64_t now)
{
    if (r->wait_from)
        return now + WAIT_POLL_MS;
    return r->sent < r->nsteps ? r->t0 + r->steps[r->sent].at_ms : r->end_at;
}

static bool agent_step(const sim_run *r, size_t i)
{
    return strcmp(r->sc->lines[r->steps[i].line].speaker, "agent") == 0;
}

/* The script moves on from `now`: what was due at `due` now comes at now. */
static void shift(sim_run *r, int64_t due, int64_t now)
{
    if (now > due) {
        r->t0 += now - due;
        r->end_at += now - due;
    }
}

static void nudge(simulator *s, sim_run *r, int64_t now)
{
    proto_event ev = proto_new(EV_INGEST_UTTERANCE);
    char uid[MAX_IID + 16];
    snprintf(uid, sizeof uid, "%s.nudge%u", r->iid, (unsigned)r->sent);
    proto_set_str(&ev, "iid", r->iid);
    proto_set_str(&ev, "uid", uid);
    proto_set_str(&ev, "speaker", "customer");
    proto_set_str(&ev, "text", "Hello? Is anyone there?");
    proto_set_bool(&ev, "final", true);
    proto_set_int(&ev, "offset_ms", now - r->t0);
    ingest(s, &ev, r->iid);
}

/* The demo agent's chat: the script's agent lines are what the person types. When one is
 * due, wait for a reply; once it came (or the wait gave up), skip the script's agent lines
 * and go on from now. True while it is still waiting. */
static bool wait_for_agent(simulator *s, sim_run *r, int64_t now)
{
    if (!r->human || r->sent >= r->nsteps || !agent_step(r, r->sent))
        return false;
    /* a reply typed before the script's line was due counts: the customer read it */
    bool replied = pipeline_replies(s->p, r->iid) > r->replies_used;
    if (!replied && !r->wait_from) {
        r->wait_from = now;
        r->nudged = false;
        return true;
    }
    if (!replied && now - r->wait_from < GIVE_UP_MS) {
        if (!r->nudged && now - r->wait_from >= NUDGE_MS) {
            nudge(s, r, now);
            r->nudged = true;
        }
        return true;
    }
    int64_t due = r->t0 + r->steps[r->sent].at_ms;
    if (replied)
        r->replies_used = pipeline_replies(s->p, r->iid);
    while (r->sent < r->nsteps && agent_step(r, r->sent))
        r->sent++;
    /* the customer answers as long after the reply as the script had them answer the line */
    shift(r, due, now);
    r->wait_from = 0;
    return false;
}

static void schedule(simulator *s, int64_t now)
{
    int64_t due = s->next_start < s->next_drift ? s->next_start : s->next_drift;
    for (const sim_run *r = s->runs; r; r = r->next)
        if (next_due(r, now) < due)
            due = next_due(r, now);
    double wait_ms = (double)(due - now) / s->speed;
    if (wait_ms < 1)
        wait_ms = 1;
    lws_sul_schedule(s->ctx, 0, &s->sul, on_timer, (lws_usec_t)(wait_ms * 1000.0));
}

static void tick(simulator *s)
{
    int64_t now = sim_now(s);

    for (sim_run **link = &s->runs; *link;) {
        sim_run *r = *link;
        bool gone = false;
        while (!gone && r->sent < r->nsteps && r->t0 + r->steps[r->sent].at_ms <= now &&
               !wait_for_agent(s, r, now))
            /* ended by someone else: stop playing it rather than log every word */
            gone = !send_step(s, r, &r->steps[r->sent++]) && !pipeline_is_live(s->p, r->iid);
        if (gone || (r->sent == r->nsteps && now >= r->end_at)) {
            bool was_first_agents_last = r->agent == 0 && s->live_per_agent[0] == 1;
            finish_run(s, link, gone ? NULL : r->sc->end_reason);
            if (was_first_agents_last) {
                int64_t soon = now + simulator_rng_range(&s->load_rng, 1500, 4000);
                if (soon < s->next_start)
                    s->next_start = soon;
            }
            continue;
        }
        link = &r->next;
    }

    if (now >= s->next_drift) {
        s->target += (int)simulator_rng_range(&s->load_rng, -3, 3);
        if (s->target < TARGET_MIN)
            s->target = TARGET_MIN;
        if (s->target > TARGET_MAX)
            s->target = TARGET_MAX;
        s->next_drift = now + simulator_rng_range(&s->load_rng, DRIFT_MIN_MS, DRIFT_MAX_MS);
    }

    if (now >= s->next_start) {
        if (s->running < (size_t)s->target || s->live_per_agent[0] == 0) {
            bool started = start_run(s, now);
            /* ramp up quickly when well below the target, then trickle; back off when
             * the pipeline refuses starts (e.g. the agents are not in the database) */
            if (!started)
                s->next_start = now + RETRY_MS;
            else if (s->running + 2 < (size_t)s->target)
                s->next_start = now + simulator_rng_range(&s->load_rng, 400, 2500);
            else
                s->next_start = now + simulator_rng_range(&s->load_rng, 3000, 15000);
        } else {
            s->next_start = now + RECHECK_MS;
        }
    }
}

static void on_timer(lws_sorted_usec_list_t *sul)
{
    simulator *s = lws_container_of(sul, simulator, sul);
    tick(s);
    schedule(s, sim_now(s));
}

static double speed_from_env(void)
{
    const char *v = getenv("AGENTDESK_SIM_SPEED");
    if (!v || !*v)
        return 1.0;
    char *end;
    double x = strtod(v, &end);
    if (*end || !(x >= 0.1 && x <= 100.0))
        return 1.0;
    return x;
}

static bool load_agents(simulator *s, const char *data_dir, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/users.json", data_dir);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (root) {
        size_t i;
        json_t *u;
        json_array_foreach(root, i, u) {
            const char *name = json_string_value(json_object_get(u, "name"));
            const char *role = json_string_value(json_object_get(u, "role"));
            if (name && role && strcmp(role, "agent") == 0 && s->nagents < MAX_AGENTS) {
                s->agents[s->nagents] = mem_strdup(name);
                s->nagents++;
            }
        }
        json_decref(root);
        if (s->nagents == 0) {
            snprintf(err, errlen, "%s: no user with role \"agent\"", path);
            return false;
        }
        return true;
    }
    for (unsigned i = 1; i <= 8; i++) {
        char name[32];
        snprintf(name, sizeof name, "agent-%u", i);
        s->agents[s->nagents++] = mem_strdup(name);
    }
    return true;
}

/* A hub killed mid-demo restores the simulated calls it had live; nobody will ever play
 * the rest of them, so end them before starting new ones. */
static void end_orphans(simulator *s)
{
    char (*orphans)[PROTO_MAX_ID + 1] = NULL;
    size_t n = 0, cap = 0;
    for (live_call *c = live_first(pipeline_live(s->p)); c; c = c->next) {
        if (strncmp(c->iid, "sim-", 4) != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            orphans = mem_realloc(orphans, cap * sizeof *orphans);
        }
        memcpy(orphans[n++], c->iid, sizeof *orphans);
    }
    /* ended after the walk: ending removes the call from the list being walked */
    for (size_t i = 0; i < n; i++) {
        proto_event ev = proto_new(EV_INGEST_END);
        proto_set_str(&ev, "iid", orphans[i]);
        proto_set_str(&ev, "reason", "abandoned");
        ingest(s, &ev, orphans[i]);
    }
    free(orphans);
}

static void free_simulator(simulator *s)
{
    while (s->runs) {
        sim_run *r = s->runs;
        s->runs = r->next;
        free(r->steps);
        free(r);
    }
    for (size_t i = 0; i < s->nagents; i++)
        free(s->agents[i]);
    simulator_scenario_set_free(&s->set);
    free(s);
}

simulator *simulator_start(struct lws_context *ctx, pipeline *p, const char *data_dir,
                           unsigned seed, char *err, size_t errlen)
{
    char path[4096];
    simulator *s = mem_zalloc(1, sizeof *s);
    s->ctx = ctx;
    s->p = p;

    snprintf(path, sizeof path, "%s/scenarios", data_dir);
    if (!simulator_scenario_load_dir(path, &s->set, err, errlen)) {
        free_simulator(s);
        return NULL;
    }
    snprintf(path, sizeof path, "%s/customers.json", data_dir);
    FILE *f = fopen(path, "r");
    if (f) {
        fclose(f);
        if (!simulator_scenario_check_customers(&s->set, path, err, errlen)) {
            free_simulator(s);
            return NULL;
        }
    }
    if (!load_agents(s, data_dir, err, errlen)) {
        free_simulator(s);
        return NULL;
    }
    for (size_t i = 0; i < s->set.count; i++)
        s->total_weight += s->set.items[i].weight;

    simulator_rng_seed(&s->pick_rng, seed);
    simulator_rng_seed(&s->load_rng, (uint64_t)seed ^ 0x5EEDCAFEF00Dull);
    s->speed = speed_from_env();
    s->mono0 = clock_mono_ms();
    s->last_scenario = (size_t)-1;
    s->next_agent = s->nagents > 1 ? 1 : 0;   /* the first start goes to agent-1 anyway */
    s->target = (int)simulator_rng_range(&s->load_rng, 5, 8);
    s->next_start = 300;
    s->next_drift = simulator_rng_range(&s->load_rng, DRIFT_MIN_MS, DRIFT_MAX_MS);

    /* base-36 seconds: a restarted hub never repeats an iid of the same database */
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    uint64_t t = (uint64_t)(clock_wall_ms() / 1000);
    for (int i = 4; i >= 0; i--) {
        s->run_tag[i] = digits[t % 36];
        t /= 36;
    }
    s->run_tag[5] = '\0';

    end_orphans(s);
    lws_sul_schedule(ctx, 0, &s->sul, on_timer, 300 * 1000);
    lwsl_notice("simulator: %zu scenarios, %zu agents, seed %u, speed %.2f\n", s->set.count,
              s->nagents, seed, s->speed);
    return s;
}

void simulator_stop(simulator *s)
{
    if (!s)
        return;
    lws_sul_cancel(&s->sul);
    while (s->runs)
        finish_run(s, &s->runs, "shutdown");
    free_simulator(s);
}
