/* handover.c — the bot-to-person handover card (see handover.h).
 *
 * While no person has spoken, each bot final is split into sentences: greetings and queue
 * announcements are dropped, a question is kept until the customer's next final answers it
 * ("asked for your order number: #89214"), a statement is kept as what the bot said or did,
 * and a sentence that passes the customer on is the reason. The customer's first final of
 * three words or more is what they want. Everything is cut to fixed sizes. */
#include "hub/assist/handover.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/text.h"

#define ITEM_CAP 160          /* one sentence or answer, bytes */
#define MAX_DONE 4            /* what the bot did or asked, newest kept */
#define WANTS_CAP 240

typedef struct {
    char text[ITEM_CAP];
    bool question;            /* waiting for / holding the customer's answer */
    char answer[ITEM_CAP];
} bot_item;

struct handover {
    bool bot_seen, person_seen, ready;
    bool passing;             /* the bot said it is passing the customer on */
    bool customer_spoke;      /* to the bot: without that there is nothing to hand over */
    int turns;                /* finals before a person spoke */
    char wants[WANTS_CAP];
    bot_item done[MAX_DONE];
    int ndone;
    char reason[ITEM_CAP];
    bool asked_for_person;
    double score;
    bool has_score;
};

/* Case-insensitive: does s contain any of the |-separated cues? */
static bool has_cue(const char *s, const char *cues)
{
    char lower[ITEM_CAP * 2];
    size_t n = 0;
    for (; s[n] && n + 1 < sizeof lower; n++)
        lower[n] = (char)tolower((unsigned char)s[n]);
    lower[n] = 0;
    for (const char *c = cues; *c;) {
        const char *bar = strchr(c, '|');
        size_t len = bar ? (size_t)(bar - c) : strlen(c);
        char cue[64];
        if (len < sizeof cue) {
            memcpy(cue, c, len);
            cue[len] = 0;
            if (strstr(lower, cue))
                return true;
        }
        if (!bar)
            break;
        c = bar + 1;
    }
    return false;
}

static const char greeting_cues[] =
    "how can i help|what can i help|how may i help|what can i do for you|virtual assistant|"
    "i'm a bot|i am a bot|welcome to";
static const char queue_cues[] =
    "in the queue|in a queue|thanks for waiting|thank you for waiting|please wait|please hold|"
    "wait time|waiting time|won't be long|will be with you";
static const char passing_cues[] =
    "passing you|pass you|transfer you|transferring you|connect you|connecting you|"
    "put you through|putting you through|hand you over|handing you over|a member of our|"
    "one of our agents|one of our team|an agent will|a colleague will|to a colleague|"
    "to an agent|to a person|to a human|specialist will";
static const char person_cues[] =
    "an agent|a human|real person|a person|someone real|an operator|speak to someone|"
    "talk to someone|speak to a|talk to a|not a bot|not a robot";

static void copy_cut(char *dst, size_t cap, const char *src, size_t len)
{
    char buf[ITEM_CAP * 2];
    if (len >= sizeof buf)
        len = sizeof buf - 1;
    memcpy(buf, src, len);
    buf[len] = 0;
    text_copy(dst, cap, buf);   /* cut on a code point */
}

static void add_done(handover *h, const char *sentence, size_t len, bool question)
{
    if (h->ndone == MAX_DONE) {   /* keep the newest: the oldest is usually the greeting's kin */
        memmove(&h->done[0], &h->done[1], (MAX_DONE - 1) * sizeof h->done[0]);
        h->ndone--;
    }
    bot_item *it = &h->done[h->ndone++];
    memset(it, 0, sizeof *it);
    copy_cut(it->text, sizeof it->text, sentence, len);
    it->question = question;
}

static int word_count(const char *s, size_t len)
{
    int words = 0;
    for (size_t i = 0; i < len; i++)
        words += (i == 0 || s[i - 1] == ' ') && s[i] != ' ';
    return words;
}

/* A turn that asks something is kept as its questions only ("I can help with that. Could you
 * tell me your order number? It starts with a #." is the question); one that asks nothing is
 * kept as its statements of two words or more. */
static void bot_final(handover *h, const char *text)
{
    bool asks = strchr(text, '?') != NULL;
    const char *s = text;
    while (*s) {
        while (*s == ' ')
            s++;
        const char *e = s;
        while (*e && !((*e == '.' || *e == '?' || *e == '!') && (e[1] == ' ' || !e[1])))
            e++;
        size_t len = (size_t)(e - s) + (*e ? 1 : 0);
        bool question = *e == '?';
        char sentence[ITEM_CAP * 2];
        copy_cut(sentence, sizeof sentence, s, len);
        if (len > 1) {
            if (has_cue(sentence, passing_cues)) {
                copy_cut(h->reason, sizeof h->reason, s, len);
                h->passing = true;
            } else if (!has_cue(sentence, greeting_cues) && !has_cue(sentence, queue_cues) &&
                       (question || (!asks && word_count(s, len) >= 2))) {
                add_done(h, s, len, question);
            }
        }
        s = *e ? e + 1 : e;
    }
}

static void customer_final(handover *h, const char *text, double score)
{
    h->score = score;
    h->has_score = true;
    if (has_cue(text, person_cues))
        h->asked_for_person = true;
    /* an answer to the bot's open question, if its last turn asked one */
    if (h->ndone > 0 && h->done[h->ndone - 1].question && !h->done[h->ndone - 1].answer[0]) {
        copy_cut(h->done[h->ndone - 1].answer, ITEM_CAP, text, strlen(text));
        return;
    }
    int words = word_count(text, strlen(text));
    if (!h->wants[0] || (words >= 3 && strlen(h->wants) < 12))
        copy_cut(h->wants, sizeof h->wants, text, strlen(text));
}

handover *handover_new(void)
{
    return mem_zalloc(1, sizeof(handover));
}

void handover_free(handover *h)
{
    free(h);
}

bool handover_final(handover *h, const char *speaker, const char *text, double score)
{
    if (!h || !speaker || !text || h->person_seen)
        return false;
    bool was_ready = h->ready;
    if (!strcmp(speaker, "bot")) {
        h->bot_seen = true;
        h->turns++;
        bot_final(h, text);
    } else if (!strcmp(speaker, "customer")) {
        if (h->bot_seen) {
            h->turns++;
            h->customer_spoke = true;
        }
        customer_final(h, text, score);
    } else {
        /* a person speaks: the bot part is over, with or without a handover sentence */
        h->person_seen = true;
        h->passing = true;
    }
    /* an announcement bot ("please hold while we connect you") the customer never spoke to
     * leaves nothing to hand over */
    h->ready = h->passing && h->customer_spoke;
    return h->ready && !was_ready;
}

json_t *handover_body(const handover *h, const char *iid)
{
    if (!h || !h->ready)
        return NULL;
    json_t *done = json_array();
    for (int i = 0; i < h->ndone; i++) {
        char line[ITEM_CAP * 2 + 8];
        if (h->done[i].question && h->done[i].answer[0])
            snprintf(line, sizeof line, "asked: %s → %s", h->done[i].text, h->done[i].answer);
        else
            snprintf(line, sizeof line, "%s %s", h->done[i].question ? "asked (no answer):" : "said:",
                     h->done[i].text);
        char cut[ITEM_CAP * 2];
        text_copy(cut, sizeof cut, line);
        json_array_append_new(done, json_string(cut));
    }
    const char *reason = h->reason[0] ? h->reason
                       : h->asked_for_person ? "The customer asked for a person."
                       : "The assistant passed it on without saying why.";
    const char *mood = !h->has_score ? "neutral" : h->score <= -0.05 ? "negative"
                     : h->score >= 0.05 ? "positive" : "neutral";
    return json_pack("{s:s, s:s, s:o, s:s, s:s, s:f, s:i}", "iid", iid,
                     "wants", h->wants[0] ? h->wants : "not said yet", "done", done,
                     "reason", reason, "mood", mood, "score", h->has_score ? h->score : 0.0,
                     "turns", h->turns);
}

/* Its fields are values only (no pointer): the struct as it is. */
void handover_save(const handover *h, snap_w *w)
{
    snap_put_u64(w, sizeof *h);
    snap_put(w, h, sizeof *h);
}

bool handover_load(handover *h, snap_r *r)
{
    return snap_expect(r, sizeof *h) && snap_get(r, h, sizeof *h) && h->ndone >= 0 && h->ndone <= MAX_DONE;
}
