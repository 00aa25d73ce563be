/* keys.c — the key table: notation <-> key codes, lookup, overrides. */
#include "agentdesk/keys.h"
#include "base/mem.h"
#include "base/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *name; widget_key key; } named[] = {
    {"Enter", WK_ENTER}, {"Tab", WK_TAB}, {"S-Tab", WK_FN(KEY_BTAB)}, {"Esc", WK_ESC},
    {"Space", ' '}, {"BSpace", WK_BACKSPACE}, {"Del", WK_FN(KEY_DC)}, {"Ins", WK_FN(KEY_IC)},
    {"Up", WK_FN(KEY_UP)}, {"Down", WK_FN(KEY_DOWN)}, {"Left", WK_FN(KEY_LEFT)},
    {"Right", WK_FN(KEY_RIGHT)}, {"Home", WK_FN(KEY_HOME)}, {"End", WK_FN(KEY_END)},
    {"PgUp", WK_FN(KEY_PPAGE)}, {"PgDn", WK_FN(KEY_NPAGE)},
};

static bool parse_char(const char *s, widget_key *out)
{
    size_t len = strlen(s);
    if (len == 0 || !text_is_clean(s, len, 0)) return false;
    uint32_t cp;
    int w;
    size_t used = text_next(s, len, &cp, &w);
    if (used != len || cp < 0x20 || w < 1) return false;
    *out = (widget_key)cp;
    return true;
}

bool keys_parse(const char *s, widget_key *out)
{
    if (!s || !*s) return false;
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        if (strcmp(named[i].name, s) == 0) { *out = named[i].key; return true; }
    if (s[0] == '^' && s[1] && !s[2]) {
        char c = s[1];
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        if ((c >= '@' && c <= '_') || c == '?') {
            *out = c == '?' ? 127 : (widget_key)(c & 0x1f);
            return true;
        }
        return false;
    }
    if (s[0] == 'F' && s[1] >= '1' && s[1] <= '9') {
        char *end;
        long n = strtol(s + 1, &end, 10);
        if (*end == 0 && n >= 1 && n <= 12) { *out = WK_FN(KEY_F(n)); return true; }
        return false;
    }
    if (s[0] == 'M' && s[1] == '-' && s[2]) {
        widget_key inner;
        if (!keys_parse(s + 2, &inner) || (inner & (WIDGET_KEY_FN | KEYS_META))) return false;
        *out = KEYS_META | inner;
        return true;
    }
    return parse_char(s, out);
}

void keys_name(widget_key key, char *buf, size_t n)
{
    if (key & KEYS_META) {
        char inner[32];
        keys_name(key & ~KEYS_META, inner, sizeof inner);
        snprintf(buf, n, "M-%s", inner);
        return;
    }
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        if (named[i].key == key) { snprintf(buf, n, "%s", named[i].name); return; }
    if (key & WIDGET_KEY_FN) {
        int k = key & ~WIDGET_KEY_FN;
        if (k >= KEY_F(1) && k <= KEY_F(12)) snprintf(buf, n, "F%d", k - KEY_F0);
        else snprintf(buf, n, "key%d", k);
        return;
    }
    if (key < 0x20) { snprintf(buf, n, "^%c", (char)(key + '@')); return; }
    if (key == 127) { snprintf(buf, n, "^?"); return; }
    /* a printable code point: encode as UTF-8 */
    char u[5] = {0};
    uint32_t c = (uint32_t)key;
    if (c < 0x80) u[0] = (char)c;
    else if (c < 0x800) { u[0] = (char)(0xC0 | c >> 6); u[1] = (char)(0x80 | (c & 0x3F)); }
    else if (c < 0x10000) {
        u[0] = (char)(0xE0 | c >> 12); u[1] = (char)(0x80 | (c >> 6 & 0x3F));
        u[2] = (char)(0x80 | (c & 0x3F));
    } else {
        u[0] = (char)(0xF0 | c >> 18); u[1] = (char)(0x80 | (c >> 12 & 0x3F));
        u[2] = (char)(0x80 | (c >> 6 & 0x3F)); u[3] = (char)(0x80 | (c & 0x3F));
    }
    if (!text_is_clean(u, strlen(u), 0)) snprintf(buf, n, "U+%04X", (unsigned)c);
    else snprintf(buf, n, "%s", u);
}

/* Parses a space separated list into b; false with a message. */
static bool parse_list(const char *spec, keys_binding *b, bool letters, char *err, size_t errlen)
{
    keys_binding out = {0};
    char *copy = mem_strdup(spec), *save = NULL;
    bool ok = true;
    for (char *tok = strtok_r(copy, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
        if (out.n == KEYS_MAX_PER_ACTION) {
            snprintf(err, errlen, "too many keys (at most %d)", KEYS_MAX_PER_ACTION);
            ok = false;
            break;
        }
        if (!keys_parse(tok, &out.key[out.n])) {
            char *clean = text_clean(tok, strlen(tok), 0, NULL);
            snprintf(err, errlen, "unknown key \"%.40s\"", clean);
            free(clean);
            ok = false;
            break;
        }
        widget_key k = out.key[out.n];
        if (!letters && k < 0x80 && ((k >= 'a' && k <= 'z') || (k >= 'A' && k <= 'Z'))) {
            /* letters always write (agent_keys.c): a word must never run a command */
            snprintf(err, errlen, "\"%c\" is a letter: letters always write; bind a control, "
                     "function or Alt key (^X, F5, M-%c)", (char)k, (char)k);
            ok = false;
            break;
        }
        out.n++;
    }
    free(copy);
    if (ok && out.n == 0) { snprintf(err, errlen, "no key given"); ok = false; }
    if (ok) *b = out;
    return ok;
}

static void init(keys_table *t, const keys_action *actions, size_t n, bool letters)
{
    t->letters = letters;
    t->actions = actions;
    t->n = n;
    t->bind = mem_zalloc(n, sizeof *t->bind);
    for (size_t i = 0; i < n; i++) {
        char err[128];
        if (!parse_list(actions[i].defaults, &t->bind[i], letters, err, sizeof err))
            mem_fatal(70, "default keys of %s: %s", actions[i].name, err);
    }
}

void keys_init(keys_table *t, const keys_action *actions, size_t n) { init(t, actions, n, false); }

void keys_init_letters(keys_table *t, const keys_action *actions, size_t n) { init(t, actions, n, true); }

void keys_free(keys_table *t)
{
    free(t->bind);
    memset(t, 0, sizeof *t);
}

bool keys_set(keys_table *t, const char *name, const char *spec, char *err, size_t errlen)
{
    for (size_t i = 0; i < t->n; i++) {
        if (strcmp(t->actions[i].name, name) != 0) continue;
        return parse_list(spec, &t->bind[i], t->letters, err, errlen);
    }
    char *clean = text_clean(name, strlen(name), 0, NULL);
    snprintf(err, errlen, "unknown action \"%.40s\"", clean);
    free(clean);
    return false;
}

int keys_lookup(const keys_table *t, widget_key key, keys_context ctx)
{
    for (size_t i = 0; i < t->n; i++) {
        if (!(t->actions[i].context & ctx)) continue;
        for (size_t k = 0; k < t->bind[i].n; k++)
            if (t->bind[i].key[k] == key) return t->actions[i].id;
    }
    return -1;
}

const char *keys_conflict(const keys_table *t, const char **other)
{
    for (size_t i = 0; i < t->n; i++)
        for (size_t j = i + 1; j < t->n; j++) {
            if (!(t->actions[i].context & t->actions[j].context)) continue;
            for (size_t a = 0; a < t->bind[i].n; a++)
                for (size_t b = 0; b < t->bind[j].n; b++)
                    if (t->bind[i].key[a] == t->bind[j].key[b]) {
                        if (other) *other = t->actions[j].name;
                        return t->actions[i].name;
                    }
        }
    return NULL;
}

void keys_describe(const keys_table *t, size_t i, const char *sep, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = 0;
    for (size_t k = 0; i < t->n && k < t->bind[i].n; k++) {
        char one[32];
        keys_name(t->bind[i].key[k], one, sizeof one);
        int w = snprintf(buf + used, n - used, "%s%s", k ? sep : "", one);
        if (w < 0 || (size_t)w >= n - used) break;
        used += (size_t)w;
    }
}

int keys_index_of(const keys_table *t, int id)
{
    for (size_t i = 0; i < t->n; i++) if (t->actions[i].id == id) return (int)i;
    return -1;
}
