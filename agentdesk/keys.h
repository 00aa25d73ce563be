/* keys.h — key bindings as a table: actions (name, help), each with its keys in a context.
 * A mode (agent now; monitor and replay later) declares its actions once; the table is
 * what the `?` help view lists, what the man page documents, and what `key.NAME = KEYS`
 * lines of the config file override.
 *
 * Key notation (also used in help): a character ("q", "/", "é"), ^X (Ctrl), M-x (Alt/Meta),
 * Enter, Tab, S-Tab, Esc, Space, BSpace, Del, Ins, Up, Down, Left, Right, Home, End, PgUp,
 * PgDn, F1..F12. Several keys are separated by spaces: `key.quit = q ^C`. */
#ifndef AGENTDESK_KEYS_H
#define AGENTDESK_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include "widgets/widget.h"

#define KEYS_META 0x20000000           /* M-x: Esc then x, or Alt+x */
#define KEYS_MAX_PER_ACTION 4

/* Where a binding applies: while commanding (no line being edited), while typing into
 * the reply/note line, or both. */
typedef enum { KEYS_COMMAND = 1, KEYS_TYPING = 2, KEYS_ANY = 3 } keys_context;

typedef struct {
    int id;                    /* the mode's action number */
    const char *name;          /* config name: key.NAME */
    const char *help;          /* one line for `?` and the man page */
    keys_context context;
    const char *defaults;      /* default keys, space separated */
} keys_action;

typedef struct {
    widget_key key[KEYS_MAX_PER_ACTION];
    size_t n;
} keys_binding;

typedef struct {
    const keys_action *actions;
    size_t n;
    keys_binding *bind;        /* one per action */
    bool letters;              /* letters may be commands (a mode where nothing is typed but
                                  on a prompt: replay); else they always write */
} keys_table;

/* Builds the table with every action's default keys. Aborts (a programming error) when a
 * default does not parse. */
void keys_init(keys_table *t, const keys_action *actions, size_t n);
/* The same for a mode whose letters are commands (keys_table.letters): the replay, the
 * supervisor's floor, where nothing is typed except into prompts. */
void keys_init_letters(keys_table *t, const keys_action *actions, size_t n);
void keys_free(keys_table *t);

/* Replace the keys of action `name` by `spec` (space separated). False with a message
 * ("unknown action \"x\"", "unknown key \"Ctl-X\"", "too many keys") otherwise. */
bool keys_set(keys_table *t, const char *name, const char *spec, char *err, size_t errlen);

/* The action bound to `key` in `ctx`, or -1. When two actions share a key the first in
 * the table wins (overrides are checked by keys_conflict). */
int keys_lookup(const keys_table *t, widget_key key, keys_context ctx);

/* The name of the first action whose keys clash with another's in a shared context, or
 * NULL; the other's name in *other. */
const char *keys_conflict(const keys_table *t, const char **other);

/* One key from notation; false when unknown. */
bool keys_parse(const char *name, widget_key *out);
/* Notation of `key` into buf (clean, printable). */
void keys_name(widget_key key, char *buf, size_t n);
/* "q ^C" — every key of action index i, joined by sep. */
void keys_describe(const keys_table *t, size_t i, const char *sep, char *buf, size_t n);
/* Index of the action with this id, or -1. */
int keys_index_of(const keys_table *t, int id);

#endif
