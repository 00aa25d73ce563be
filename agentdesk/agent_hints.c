/* agent_hints.c — the key hints line (see agent_hints.h). */
#include "agentdesk/agent_hints.h"

#include <stdio.h>
#include <string.h>

/* The first key of `act` that works in the current state: while typing, a printable key
 * would be typed, so only control, function and meta keys count. */
const char *agent_hints_first_key(const keys_table *keys, agent_key_action act, bool typing, char *buf, size_t n)
{
    int i = keys_index_of(keys, act);
    buf[0] = 0;
    for (size_t k = 0; i >= 0 && k < keys->bind[i].n; k++) {
        widget_key key = keys->bind[i].key[k];
        bool printable = !(key & (WIDGET_KEY_FN | KEYS_META)) && key >= 0x20 && key != 0x7f;
        if (typing && printable) continue;
        keys_name(key, buf, n);
        break;
    }
    return buf;
}

typedef struct { agent_key_action act; const char *label; } hint_def;

static void add_hint(const keys_table *keys, agent_hints *hl, hint_def d, bool typing)
{
    if (hl->n >= AGENT_HINTS_MAX) return;
    for (int i = 0; i < hl->n; i++)
        if (strcmp(hl->h[i].label, d.label) == 0) return;
    char *key = hl->keys[hl->n];
    agent_hints_first_key(keys, d.act, typing, key, sizeof hl->keys[0]);
    if (!key[0]) return;
    if (d.act == AK_USE1 && !typing) snprintf(key, sizeof hl->keys[0], "1-3");
    hl->h[hl->n++] = (statusbar_hint){key, d.label};
}

void agent_hints_build(agent_hints *out, const agent_hints_state *st, const keys_table *keys)
{
    static const hint_def typing[] = {
        {AK_SEND, "send"}, {AK_LEAVE, "commands"}, {AK_USE1, "suggestion 1"}, {AK_NOTE, "note"},
        {AK_SCROLL_UP, "scroll"}, {AK_PANE, "pane"}, {AK_HELP, "help"},
    }, command[] = {
        {AK_TYPE, "type"}, {AK_USE1, "use suggestion"}, {AK_WRAPUP, "wrap up"}, {AK_NOTE, "note"},
        {AK_HAND, "raise hand"}, {AK_SEARCH, "search"}, {AK_PANE, "pane"}, {AK_NEXT_IX, "next"},
        {AK_HELP, "help"}, {AK_QUIT, "quit"},
    };
    agent_hints *hl = out;
    hl->n = 0;
    if (st->dialog == AGENT_HINTS_WRAPUP) {
        hl->h[hl->n++] = (statusbar_hint){"Tab", "next field"};
        hl->h[hl->n++] = (statusbar_hint){"^D", "submit"};
        hl->h[hl->n++] = (statusbar_hint){"Esc", "cancel"};
        return;
    }
    if (st->dialog == AGENT_HINTS_QUIT) {
        hl->h[hl->n++] = (statusbar_hint){"Up/Down", "choose"};
        hl->h[hl->n++] = (statusbar_hint){"Enter", "confirm"};
        hl->h[hl->n++] = (statusbar_hint){"Esc", "stay"};
        return;
    }
    if (st->signed_out) {
        add_hint(keys, hl, (hint_def){AK_QUIT, "quit"}, false);
        add_hint(keys, hl, (hint_def){AK_HELP, "help"}, false);
        return;
    }
    bool t = st->typing;
    /* on a side list, say first what Enter and the list's own keys do there */
    if (!t && st->on_suggestions) {
        hl->h[hl->n++] = (statusbar_hint){"Enter", "use selected"};
        add_hint(keys, hl, (hint_def){AK_DISMISS, "dismiss"}, false);
    } else if (!t && st->on_checklist) {
        hl->h[hl->n++] = (statusbar_hint){"Enter", "tick"};
    }
    /* below the wide layout the header has no "? help": keep help and panes in view */
    if (!st->wide) {
        add_hint(keys, hl, (hint_def){AK_HELP, "help"}, t);
        add_hint(keys, hl, (hint_def){AK_PANE, "pane"}, t);
    }
    static const hint_def searching[] = {{AK_SEND, "find"}, {AK_LEAVE, "cancel"}, {AK_HELP, "help"}};
    const hint_def *defs = t ? typing : command;
    size_t count = t ? sizeof typing / sizeof *typing : sizeof command / sizeof *command;
    if (t && st->searching) { defs = searching; count = sizeof searching / sizeof *searching; }
    for (size_t i = 0; i < count; i++) {
        if (defs[i].act == AK_TYPE && hl->n && strcmp(hl->h[0].key, "Enter") == 0) continue;
        hint_def d = defs[i];
        if (d.act == AK_HAND && st->hand_up) d.label = "lower hand";
        add_hint(keys, hl, d, t);
    }
}

