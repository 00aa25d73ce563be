/* agent_reveal.c — the reveal key's walk over the masked values (see agent_reveal.h). */
#include "agentdesk/agent_reveal.h"

#include <stdio.h>
#include <string.h>

#define BULLET "\xe2\x80\xa2"   /* in a partly masked value: "j•••@example.com" */

/* Does the shown text hold a mask the hub may reveal (a partly masked value or a tag)? */
static bool masked(const char *t)
{
    return t && (strstr(t, BULLET) || strchr(t, '['));
}

static bool line_masked(const model_line *l)
{
    return l && l->kind == LINE_UTTERANCE && l->uid && masked(l->text);
}

/* Move to the next value after where r stands; false when ix shows none. */
static bool advance(agent_reveal *r, const model_ix *ix)
{
    if (r->stage == 2 && r->count && r->index + 1 < r->count) {
        r->index++;
        return true;
    }
    r->index = 0;
    r->count = 0;
    int stage = r->stage;
    uint64_t line = r->line;
    for (int round = 0; round < 2; round++) {
        for (;;) {
            if (stage == 2) {
                while (line > ix->first_no)
                    if (line_masked(model_line_at(ix, --line))) {
                        r->stage = 2;
                        r->line = line;
                        return true;
                    }
                stage = -1;   /* past the oldest line: round again from the card */
                break;
            }
            stage++;
            if (stage == 2) {
                line = model_line_end(ix);
                continue;
            }
            const char *v = stage == 0 ? ix->customer.email : ix->customer.phone;
            if (ix->has_customer && masked(v)) {
                r->stage = stage;
                return true;
            }
        }
    }
    return false;
}

bool agent_reveal_next(agent_reveal *r, session *s, const model_ix *ix, char *msg, size_t cap)
{
    if (!ix) {
        snprintf(msg, cap, "no interaction: nothing to reveal");
        return false;
    }
    if (strcmp(r->iid, ix->iid) != 0) {
        memset(r, 0, sizeof *r);
        snprintf(r->iid, sizeof r->iid, "%s", ix->iid);
        r->stage = -1;
    }
    if (!advance(r, ix)) {
        snprintf(msg, cap, "nothing masked to reveal in this interaction");
        return false;
    }
    const model_line *l = r->stage == 2 ? model_line_at(ix, r->line) : NULL;
    const char *field = r->stage == 0 ? "email" : r->stage == 1 ? "phone" : NULL;
    if (!session_reveal(s, ix->iid, l ? l->uid : NULL, field, r->index, r->id, sizeof r->id)) {
        snprintf(msg, cap, "not connected to the hub: cannot reveal now");
        return false;
    }
    return true;
}

void agent_reveal_text(agent_reveal *r, const proto_event *ev, char *out, size_t cap)
{
    const char *id = proto_str(ev, "id"), *kind = proto_str(ev, "kind");
    unsigned index = (unsigned)proto_int(ev, "index", 0), count = (unsigned)proto_int(ev, "count", 1);
    if (id && strcmp(id, r->id) == 0)
        r->count = count;
    if (proto_str(ev, "field"))
        snprintf(out, cap, "customer's %s: %s", kind ? kind : "value", proto_str(ev, "value"));
    else
        snprintf(out, cap, "%s %u of %u in the line: %s", kind ? kind : "value", index + 1, count,
                 proto_str(ev, "value"));
}
