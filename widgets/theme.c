/* theme.c — theme files: parsing (pure), colour degradation (pure) and activation (curses).
 * The items are declared once, in theme.h's THEME_ITEMS table; the built-in defaults below
 * are the monochrome look every theme starts from. */
#include "widgets/theme.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { THEME_FILE_MAX = 64 * 1024, THEME_LINE_MAX = 512 };

static const char *const item_names[THEME_ITEM_COUNT] = {
#define THEME_NAME_(e, s) [e] = s,
    THEME_ITEMS(THEME_NAME_)
#undef THEME_NAME_
};

/* Monochrome defaults: the look without colour, and what a file's unnamed items keep. */
static const attr_t builtin_attrs[THEME_ITEM_COUNT] = {
    [THEME_HEADER] = A_REVERSE,
    [THEME_HEADER_STATE] = A_REVERSE | A_BOLD,
    [THEME_STATUS_WARN] = A_BOLD,
    [THEME_STATUS_BAD] = A_BOLD | A_UNDERLINE,
    [THEME_PANE_TITLE] = A_BOLD,
    [THEME_PANE_FOCUS] = A_BOLD,
    [THEME_TAB_ACTIVE] = A_REVERSE,
    [THEME_LIST_SELECTED] = A_REVERSE,
    [THEME_LIST_BADGE] = A_BOLD,
    [THEME_LIST_DETAIL] = A_DIM,
    [THEME_TRANSCRIPT_CUSTOMER] = A_BOLD,
    [THEME_TRANSCRIPT_BOT] = A_DIM,
    [THEME_TRANSCRIPT_SUPERVISOR] = A_BOLD | A_UNDERLINE,
    [THEME_TRANSCRIPT_WHISPER] = A_UNDERLINE,
    [THEME_TRANSCRIPT_PARTIAL] = A_DIM,
    [THEME_TRANSCRIPT_OFFSET] = A_DIM,
    [THEME_TRANSCRIPT_REDACTED] = A_UNDERLINE,
    [THEME_TRANSCRIPT_SEARCH] = A_REVERSE,
    [THEME_TRANSCRIPT_SYSTEM] = A_DIM,
    [THEME_TRANSCRIPT_MARKER] = A_REVERSE | A_BOLD,
    [THEME_SENTIMENT_NEGATIVE] = A_BOLD,
    [THEME_FLAG_2] = A_BOLD,
    [THEME_FLAG_3] = A_BOLD | A_REVERSE,
    [THEME_SUGGESTION_NUMBER] = A_BOLD,
    [THEME_CHECKLIST_DONE] = A_DIM,
    [THEME_CHECKLIST_OPEN] = A_BOLD,
    [THEME_INPUT_PROMPT] = A_BOLD,
    [THEME_HINT_KEY] = A_BOLD,
    [THEME_TOAST] = A_REVERSE | A_BOLD,
    [THEME_DIALOG_BORDER] = A_BOLD,
    [THEME_DIALOG_FIELD] = A_UNDERLINE,
    [THEME_DIALOG_FOCUS] = A_REVERSE,
    [THEME_HELP_KEY] = A_BOLD,
};

static const struct { const char *name; attr_t attr; } attr_names[] = {
    { "normal", A_NORMAL }, { "bold", A_BOLD }, { "dim", A_DIM },
    { "underline", A_UNDERLINE }, { "reverse", A_REVERSE }, { "italic", A_ITALIC },
    { "standout", A_STANDOUT }, { "blink", A_BLINK },
};

static const struct { const char *name; short color; } color_names[] = {
    { "default", THEME_COLOR_DEFAULT },
    { "black", 0 }, { "red", 1 }, { "green", 2 }, { "yellow", 3 },
    { "blue", 4 }, { "magenta", 5 }, { "cyan", 6 }, { "white", 7 },
    { "bright-black", 8 }, { "bright-red", 9 }, { "bright-green", 10 }, { "bright-yellow", 11 },
    { "bright-blue", 12 }, { "bright-magenta", 13 }, { "bright-cyan", 14 }, { "bright-white", 15 },
    { "brightblack", 8 }, { "brightred", 9 }, { "brightgreen", 10 }, { "brightyellow", 11 },
    { "brightblue", 12 }, { "brightmagenta", 13 }, { "brightcyan", 14 }, { "brightwhite", 15 },
    { "grey", 8 }, { "gray", 8 },
};

/* xterm's default palette, which 256-colour terminals share closely enough. */
static void palette_rgb(int c, int *r, int *g, int *b)
{
    static const unsigned char base[16][3] = {
        { 0x00, 0x00, 0x00 }, { 0xcd, 0x00, 0x00 }, { 0x00, 0xcd, 0x00 }, { 0xcd, 0xcd, 0x00 },
        { 0x00, 0x00, 0xee }, { 0xcd, 0x00, 0xcd }, { 0x00, 0xcd, 0xcd }, { 0xe5, 0xe5, 0xe5 },
        { 0x7f, 0x7f, 0x7f }, { 0xff, 0x00, 0x00 }, { 0x00, 0xff, 0x00 }, { 0xff, 0xff, 0x00 },
        { 0x5c, 0x5c, 0xff }, { 0xff, 0x00, 0xff }, { 0x00, 0xff, 0xff }, { 0xff, 0xff, 0xff },
    };
    static const int level[6] = { 0, 95, 135, 175, 215, 255 };
    if (c < 16) {
        *r = base[c][0]; *g = base[c][1]; *b = base[c][2];
    } else if (c < 232) {
        c -= 16;
        *r = level[c / 36]; *g = level[(c / 6) % 6]; *b = level[c % 6];
    } else {
        *r = *g = *b = 8 + 10 * (c - 232);
    }
}

/* Nearest palette entry in [from, to) by RGB distance. */
static short nearest_in(int r, int g, int b, int from, int to)
{
    long best = -1;
    short best_c = 0;
    for (int c = from; c < to; c++) {
        int pr, pg, pb;
        palette_rgb(c, &pr, &pg, &pb);
        long d = (long)(pr - r) * (pr - r) + (long)(pg - g) * (pg - g) + (long)(pb - b) * (pb - b);
        if (best < 0 || d < best) {
            best = d;
            best_c = (short)c;
        }
    }
    return best_c;
}

static short nearest(int r, int g, int b, int palette)
{
    return nearest_in(r, g, b, 0, palette);
}

short theme_color_degrade(short color, int palette)
{
    if (color < 0 || palette >= 256 || color < (palette >= 16 ? 16 : 8))
        return color;
    if (palette >= 16 || color < 16) {
        if (color < 16)   /* only reached for palette 8: bright -> its base colour */
            return (short)(color - 8);
        int r, g, b;
        palette_rgb(color, &r, &g, &b);
        short c = nearest(r, g, b, 16);
        return palette >= 16 ? c : (short)(c >= 8 ? c - 8 : c);
    }
    int r, g, b;
    palette_rgb(color, &r, &g, &b);
    short c = nearest(r, g, b, 16);
    return (short)(c >= 8 ? c - 8 : c);
}

/* True when degrading to 8 colours lost brightness (the foreground gets bold instead). */
static bool degrade_lost_bright(short color)
{
    if (color < 0)
        return false;
    if (color < 16)
        return color >= 8;
    int r, g, b;
    palette_rgb(color, &r, &g, &b);
    return nearest(r, g, b, 16) >= 8;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int theme_color_parse(const char *word, short *out)
{
    for (size_t i = 0; i < sizeof color_names / sizeof color_names[0]; i++)
        if (strcasecmp(word, color_names[i].name) == 0) {
            *out = color_names[i].color;
            return 0;
        }
    if (isdigit((unsigned char)word[0])) {
        char *end;
        errno = 0;
        long v = strtol(word, &end, 10);
        if (*end || errno || v < 0 || v > 255)
            return -1;
        *out = (short)v;
        return 0;
    }
    if (word[0] == '#' && strlen(word) == 7) {
        int v[6];
        for (int i = 0; i < 6; i++)
            if ((v[i] = hexval(word[1 + i])) < 0)
                return -1;
        /* the cube and grey ramp: users re-colour 0..15, never these */
        *out = nearest_in(v[0] * 16 + v[1], v[2] * 16 + v[3], v[4] * 16 + v[5], 16, 256);
        return 0;
    }
    return -1;
}

static int attr_parse(const char *word, attr_t *out)
{
    for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++)
        if (strcasecmp(word, attr_names[i].name) == 0) {
            *out = attr_names[i].attr;
            return 0;
        }
    return -1;
}

const char *theme_item_name(theme_item item)
{
    return (int)item >= 0 && item < THEME_ITEM_COUNT ? item_names[item] : NULL;
}

int theme_item_lookup(const char *name)
{
    for (int i = 0; i < THEME_ITEM_COUNT; i++)
        if (strcmp(item_names[i], name) == 0)
            return i;
    return -1;
}

void theme_builtin(theme *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "builtin");
    for (int i = 0; i < THEME_ITEM_COUNT; i++)
        out->style[i] = (theme_style){ THEME_COLOR_DEFAULT, THEME_COLOR_DEFAULT, builtin_attrs[i] };
}

static int fail(char *err, size_t errlen, const char *source, int line, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (err && errlen)
        snprintf(err, errlen, "%s:%d: %s", source, line, msg);
    return -1;
}

/* Copies a word for an error message, printable ASCII only (the file is outside text). */
static void quote_word(char *dst, size_t cap, const char *src, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < cap && n < 40; i++) {
        unsigned char c = (unsigned char)src[i];
        dst[n++] = (c >= 0x20 && c < 0x7F) ? (char)c : '?';
    }
    dst[n] = '\0';
}

/* Splits `line` into words at spaces, tabs and commas, '=' being a word of its own, copying
 * them NUL-terminated into `store` (at least twice the line's size). A word starting with '#'
 * that is not a #rrggbb colour starts a comment. Returns the word count, max + 1 if more. */
static int split_words(const char *line, char *store, char **words, int max)
{
    int n = 0;
    const char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == ',' || *p == '\r')
            p++;
        if (!*p)
            return n;
        const char *start = p;
        if (*p == '=')
            p++;
        else
            while (*p && *p != ' ' && *p != '\t' && *p != ',' && *p != '\r' && *p != '=')
                p++;
        size_t len = (size_t)(p - start);
        if (start[0] == '#') {
            bool hex = len == 7;
            for (size_t i = 1; hex && i < 7; i++)
                hex = hexval(start[i]) >= 0;
            if (!hex)
                return n;
        }
        if (n == max)
            return max + 1;
        memcpy(store, start, len);
        store[len] = '\0';
        words[n++] = store;
        store += len + 1;
    }
}

int theme_parse(theme *out, const char *source, const char *text, size_t len,
                char *err, size_t errlen)
{
    theme_builtin(out);
    bool seen[THEME_ITEM_COUNT] = { false };
    if (!source)
        source = "theme";
    int lineno = 0;
    size_t i = 0;
    while (i < len) {
        lineno++;
        size_t start = i;
        while (i < len && text[i] != '\n')
            i++;
        size_t llen = i - start;
        if (i < len)
            i++;
        if (memchr(text + start, '\0', llen))
            return fail(err, errlen, source, lineno, "NUL byte in line");
        if (llen > THEME_LINE_MAX - 2)
            return fail(err, errlen, source, lineno, "line longer than %d bytes", THEME_LINE_MAX - 2);
        char line[THEME_LINE_MAX], store[2 * THEME_LINE_MAX];
        memcpy(line, text + start, llen);
        line[llen] = '\0';
        char *words[16];
        int n = split_words(line, store, words, 15);
        if (n == 0)
            continue;
        char q[48];
        if (n > 15)
            return fail(err, errlen, source, lineno, "too many words");
        int item = theme_item_lookup(words[0]);
        if (item < 0) {
            quote_word(q, sizeof q, words[0], strlen(words[0]));
            return fail(err, errlen, source, lineno, "unknown item \"%s\"", q);
        }
        if (n < 2 || strcmp(words[1], "=") != 0)
            return fail(err, errlen, source, lineno, "missing \"=\" after \"%s\"", words[0]);
        if (n < 4)
            return fail(err, errlen, source, lineno,
                        "\"%s\" needs a foreground and a background colour", words[0]);
        if (seen[item])
            return fail(err, errlen, source, lineno, "item \"%s\" set twice", words[0]);
        seen[item] = true;
        theme_style st = { 0, 0, A_NORMAL };
        for (int k = 2; k < 4; k++) {
            short c;
            if (theme_color_parse(words[k], &c) != 0) {
                quote_word(q, sizeof q, words[k], strlen(words[k]));
                return fail(err, errlen, source, lineno, "unknown colour \"%s\"", q);
            }
            if (k == 2) st.fg = c; else st.bg = c;
        }
        for (int k = 4; k < n; k++) {
            attr_t a;
            if (attr_parse(words[k], &a) != 0) {
                quote_word(q, sizeof q, words[k], strlen(words[k]));
                if (strcmp(words[k], "=") == 0)
                    return fail(err, errlen, source, lineno, "unexpected \"=\"");
                return fail(err, errlen, source, lineno, "unknown attribute \"%s\"", q);
            }
            st.attrs |= a;
        }
        out->style[item] = st;
    }
    snprintf(out->name, sizeof out->name, "%s", source);
    char *dot = strstr(out->name, ".theme");
    if (dot && dot[6] == '\0')
        *dot = '\0';
    return 0;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int theme_load_file(theme *out, const char *path, char *err, size_t errlen)
{
    const char *source = base_name(path);
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (err && errlen)
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char *buf = malloc(THEME_FILE_MAX + 1);
    if (!buf) {
        fclose(f);
        if (err && errlen)
            snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    size_t n = fread(buf, 1, THEME_FILE_MAX + 1, f);
    bool bad = ferror(f);
    fclose(f);
    int rc;
    if (bad) {
        rc = -1;
        if (err && errlen)
            snprintf(err, errlen, "%s: read error", path);
    } else if (n > THEME_FILE_MAX) {
        rc = -1;
        if (err && errlen)
            snprintf(err, errlen, "%s: larger than %d bytes", path, THEME_FILE_MAX);
    } else {
        rc = theme_parse(out, source, buf, n, err, errlen);
    }
    free(buf);
    return rc;
}

int theme_load_named(theme *out, const char *name, const char *const *dirs, size_t ndirs,
                     char *err, size_t errlen)
{
    size_t len = name ? strlen(name) : 0;
    bool ok = len > 0 && len < 64 && name[0] != '.';
    for (size_t i = 0; ok && i < len; i++)
        ok = isalnum((unsigned char)name[i]) || name[i] == '.' || name[i] == '_' || name[i] == '-';
    if (!ok) {
        if (err && errlen)
            snprintf(err, errlen, "bad theme name (use letters, digits, '.', '_', '-')");
        return -1;
    }
    for (size_t i = 0; i < ndirs; i++) {
        if (!dirs[i] || !*dirs[i])
            continue;
        char path[4096];
        int pn = snprintf(path, sizeof path, "%s/%s.theme", dirs[i], name);
        if (pn < 0 || (size_t)pn >= sizeof path)
            continue;
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        fclose(f);
        return theme_load_file(out, path, err, errlen);
    }
    if (err && errlen)
        snprintf(err, errlen, "theme \"%s\" not found (%zu director%s searched)", name, ndirs,
                 ndirs == 1 ? "y" : "ies");
    return -1;
}

static attr_t active_attr[THEME_ITEM_COUNT];
static bool active_set;

void theme_activate_with(const theme *t, int colors, bool can_default_colors)
{
    int palette = colors >= 256 ? 256 : colors >= 16 ? 16 : 8;
    bool use_color = colors > 0 && t != NULL && COLOR_PAIRS > THEME_ITEM_COUNT;
    for (int i = 0; i < THEME_ITEM_COUNT; i++) {
        theme_style st = t ? t->style[i]
                           : (theme_style){ THEME_COLOR_DEFAULT, THEME_COLOR_DEFAULT, builtin_attrs[i] };
        attr_t a = st.attrs;
        if (use_color && (st.fg != THEME_COLOR_DEFAULT || st.bg != THEME_COLOR_DEFAULT ||
                          !can_default_colors)) {
            short fg = theme_color_degrade(st.fg, palette);
            short bg = theme_color_degrade(st.bg, palette);
            if (palette == 8 && degrade_lost_bright(st.fg))
                a |= A_BOLD;
            if (!can_default_colors) {
                if (fg < 0) fg = COLOR_WHITE;
                if (bg < 0) bg = COLOR_BLACK;
            }
            if (init_pair((short)(i + 1), fg, bg) == OK)
                a |= COLOR_PAIR(i + 1);
        } else if (!use_color && st.bg != THEME_COLOR_DEFAULT) {
            /* without colour (NO_COLOR, a monochrome terminal) an item told apart by its
             * background alone — the selected row, the header, a tab — keeps the built-in
             * attribute that shows it (reverse video) */
            a |= builtin_attrs[i];
        }
        active_attr[i] = a;
    }
    active_set = true;
}

void theme_activate(const theme *t)
{
    const char *no_color = getenv("NO_COLOR");
    if ((no_color && *no_color) || !stdscr || !has_colors()) {
        theme_activate_with(t, 0, false);
        return;
    }
    start_color();
    bool can_default = use_default_colors() == OK;
    theme_activate_with(t, COLORS, can_default);
}

attr_t theme_attr(theme_item item)
{
    if ((int)item < 0 || item >= THEME_ITEM_COUNT)
        return A_NORMAL;
    if (!active_set)
        return builtin_attrs[item];
    return active_attr[item];
}
