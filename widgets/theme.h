/* theme.h — semantic display items mapped to colours and attributes, loaded from
 * themes/NAME.theme files.
 *
 * File format (one item a line; '#' starts a comment; blank lines ignored):
 *     transcript.customer = cyan default bold
 *     header              = 255 24            # 256-colour numbers are fine
 *     pane.focus          = bright-yellow default bold,underline
 * ITEM = FG BG [ATTR[,ATTR]...] — FG/BG: default, black, red, green, yellow, blue, magenta,
 * cyan, white, bright-black .. bright-white (also "brightred", "grey" = bright-black), a number
 * 0..255 or #rrggbb (nearest of the 256-colour palette). ATTR: normal, bold, dim, underline,
 * reverse, italic, standout, blink (several separated by spaces or commas).
 * Parsing is strict: unknown items, colours or attributes, a repeated item or a missing '='
 * are errors named with file and line: `dark.theme:12: unknown colour "purpel"`.
 * Items a file does not name keep the built-in monochrome default (attributes only).
 *
 * Colours degrade: on a 16-colour terminal a 256-colour value becomes the nearest of the 16;
 * on an 8-colour terminal the nearest of the 8 (a bright foreground adds bold). Without colour
 * support, with NO_COLOR set (non-empty), or for the monochrome theme, only attributes apply. */
#ifndef AGENTDESK_WIDGETS_THEME_H
#define AGENTDESK_WIDGETS_THEME_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

/* Declared once (X-macro): enum name, file name. Add items here only. */
#define THEME_ITEMS(X) \
    X(THEME_NORMAL,               "normal") \
    X(THEME_HEADER,               "header") \
    X(THEME_HEADER_STATE,         "header.state") \
    X(THEME_STATUS_OK,            "status.ok") \
    X(THEME_STATUS_WARN,          "status.warn") \
    X(THEME_STATUS_BAD,           "status.bad") \
    X(THEME_PANE_BORDER,          "pane.border") \
    X(THEME_PANE_TITLE,           "pane.title") \
    X(THEME_PANE_FOCUS,           "pane.focus") \
    X(THEME_TAB,                  "tab") \
    X(THEME_TAB_ACTIVE,           "tab.active") \
    X(THEME_LIST,                 "list") \
    X(THEME_LIST_SELECTED,        "list.selected") \
    X(THEME_LIST_BADGE,           "list.badge") \
    X(THEME_LIST_DETAIL,          "list.detail") \
    X(THEME_TRANSCRIPT_TEXT,      "transcript.text") \
    X(THEME_TRANSCRIPT_CUSTOMER,  "transcript.customer") \
    X(THEME_TRANSCRIPT_AGENT,     "transcript.agent") \
    X(THEME_TRANSCRIPT_BOT,       "transcript.bot") \
    X(THEME_TRANSCRIPT_SUPERVISOR,"transcript.supervisor") \
    X(THEME_TRANSCRIPT_WHISPER,   "transcript.whisper") \
    X(THEME_TRANSCRIPT_PARTIAL,   "transcript.partial") \
    X(THEME_TRANSCRIPT_OFFSET,    "transcript.offset") \
    X(THEME_TRANSCRIPT_REDACTED,  "transcript.redacted") \
    X(THEME_TRANSCRIPT_SEARCH,    "transcript.search") \
    X(THEME_TRANSCRIPT_SYSTEM,    "transcript.system") \
    X(THEME_TRANSCRIPT_MARKER,    "transcript.marker") \
    X(THEME_SENTIMENT_NEGATIVE,   "sentiment.negative") \
    X(THEME_SENTIMENT_NEUTRAL,    "sentiment.neutral") \
    X(THEME_SENTIMENT_POSITIVE,   "sentiment.positive") \
    X(THEME_SPARKLINE,            "sparkline") \
    X(THEME_FLAG_1,               "flag.1") \
    X(THEME_FLAG_2,               "flag.2") \
    X(THEME_FLAG_3,               "flag.3") \
    X(THEME_SUGGESTION_NUMBER,    "suggestion.number") \
    X(THEME_CHECKLIST_DONE,       "checklist.done") \
    X(THEME_CHECKLIST_OPEN,       "checklist.open") \
    X(THEME_INPUT,                "input") \
    X(THEME_INPUT_PROMPT,         "input.prompt") \
    X(THEME_HINT,                 "hint") \
    X(THEME_HINT_KEY,             "hint.key") \
    X(THEME_TOAST,                "toast") \
    X(THEME_DIALOG,               "dialog") \
    X(THEME_DIALOG_BORDER,        "dialog.border") \
    X(THEME_DIALOG_FIELD,         "dialog.field") \
    X(THEME_DIALOG_FOCUS,         "dialog.focus") \
    X(THEME_HELP_KEY,             "help.key")

typedef enum theme_item {
#define THEME_ENUM_(e, s) e,
    THEME_ITEMS(THEME_ENUM_)
#undef THEME_ENUM_
    THEME_ITEM_COUNT
} theme_item;

enum { THEME_COLOR_DEFAULT = -1 };   /* the terminal's own foreground / background */

typedef struct theme_style {
    short fg, bg;     /* THEME_COLOR_DEFAULT or 0..255 */
    attr_t attrs;     /* A_BOLD | A_UNDERLINE ... */
} theme_style;

typedef struct theme {
    char name[64];
    theme_style style[THEME_ITEM_COUNT];
} theme;

/* The built-in default: every item "default default" with monochrome attributes. */
void theme_builtin(theme *out);

/* Parses theme text (`len` bytes) over theme_builtin(). `source` names it in errors
 * ("dark.theme"). Returns 0, or -1 with "source:LINE: message" in err. Pure (no curses). */
int theme_parse(theme *out, const char *source, const char *text, size_t len,
                char *err, size_t errlen);

/* Reads and parses a file (at most 64 KiB); the theme's name is the file's base name
 * without ".theme". Returns 0 or -1 with the error in err. */
int theme_load_file(theme *out, const char *path, char *err, size_t errlen);

/* Finds NAME.theme in the first of `dirs` (n entries) that has it and loads it. NAME must be
 * a plain name ([A-Za-z0-9._-], no '/'). Returns 0, or -1 with an error. */
int theme_load_named(theme *out, const char *name, const char *const *dirs, size_t ndirs,
                     char *err, size_t errlen);

/* Makes `t` the active theme: after initscr/newterm, allocates one colour pair per item
 * (start_color, use_default_colors where available), degrading colours to what the terminal
 * has. Honours NO_COLOR and has_colors(). Safe to call again (theme switch); then mark all
 * widgets dirty. Before any call, theme_attr returns the built-in attributes. */
void theme_activate(const theme *t);

/* Like theme_activate, with the colour count and colour use given (for tests and for
 * callers that already decided): colors = 0 means attributes only. */
void theme_activate_with(const theme *t, int colors, bool can_default_colors);

/* The attribute (with COLOR_PAIR) to draw `item` with under the active theme. */
attr_t theme_attr(theme_item item);

/* The item's file name ("transcript.customer"); NULL when out of range. */
const char *theme_item_name(theme_item item);
/* The item for a file name, or -1. */
int theme_item_lookup(const char *name);

/* Nearest colour among the first `palette` (8, 16 or 256) of the xterm palette. Pure. */
short theme_color_degrade(short color, int palette);

/* Parses a colour word; returns 0 with *out set, or -1. Pure. */
int theme_color_parse(const char *word, short *out);

#endif
