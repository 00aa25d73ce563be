/* dialog.c — the modal form: text area, choice list, toggle, footer (see dialog.h). */
#include "widgets/dialog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "widgets/draw.h"
#include "widgets/theme.h"
#include "base/mem.h"

enum { DIALOG_MAX_COLS = 72 };

static bool valid_field(const dialog *d, int f, dialog_field_kind kind)
{
    return f >= 0 && f < d->nfields && d->fields[f].kind == kind;
}

/* The row a field's label takes: a toggle's label is on its own row; an empty label of a
 * text or choice field takes none (a choice under the title, as in the quit dialog). */
static int label_rows(const dialog_field *f)
{
    return f->kind == DIALOG_TOGGLE || f->label[0] ? 1 : 0;
}

/* Rows a field wants: its label row (if any) plus its content, or one row for a toggle. */
static int field_want(const dialog_field *f)
{
    return f->kind == DIALOG_TOGGLE ? 1 : label_rows(f) + f->want_rows;
}

/* Content rows each field gets when only `avail` rows are free (labels/toggles first). */
static void share_rows(const dialog *d, int avail, int *content)
{
    int fixed = 0, want = 0;
    for (int i = 0; i < d->nfields; i++) {
        fixed += label_rows(&d->fields[i]);
        want += d->fields[i].kind == DIALOG_TOGGLE ? 0 : d->fields[i].want_rows;
    }
    int left = avail - fixed;
    for (int i = 0; i < d->nfields; i++) {
        const dialog_field *f = &d->fields[i];
        if (f->kind == DIALOG_TOGGLE || left <= 0 || want <= 0) {
            content[i] = 0;
            continue;
        }
        int share = left >= want ? f->want_rows : f->want_rows * left / want;
        content[i] = share < 1 ? 1 : share;
    }
    /* rounding may have given out more than there is: take back from the end */
    int used = fixed;
    for (int i = 0; i < d->nfields; i++)
        used += content[i];
    for (int i = d->nfields - 1; i >= 0 && used > avail; i--)
        while (content[i] > 0 && used > avail) {
            content[i]--;
            used--;
        }
}

static void draw_choice(dialog *d, dialog_field *f, bool focus, int y, int rows, int w)
{
    WINDOW *win = d->base.win;
    if (f->choice < f->choice_top)
        f->choice_top = f->choice;
    if (rows > 0 && f->choice >= f->choice_top + rows)
        f->choice_top = f->choice - rows + 1;
    for (int i = 0; i < rows; i++) {
        int o = f->choice_top + i;
        draw_fill(win, y + i, 2, w, theme_attr(THEME_DIALOG));
        if (o >= f->noptions)
            continue;
        bool chosen = o == f->choice;
        attr_t a = theme_attr(chosen ? (focus ? THEME_DIALOG_FOCUS : THEME_DIALOG_FIELD) : THEME_DIALOG);
        char line[DIALOG_OPTION_MAX + 8];
        snprintf(line, sizeof line, "%s %s", chosen ? "(*)" : "( )", f->options[o]);
        draw_text_ellipsis(win, y + i, 2, line, strlen(line), w, a);
    }
}

static void dialog_draw(widget *w)
{
    dialog *d = (dialog *)w;
    WINDOW *win = w->win;
    attr_t base = theme_attr(THEME_DIALOG);
    draw_clear(win, base);
    draw_box(win, d->title, theme_attr(THEME_DIALOG_BORDER), theme_attr(THEME_DIALOG_BORDER));
    d->cursor_y = d->cursor_x = -1;
    int h = w->rect.h, cw = w->rect.w - 4;
    if (h < 3 || cw < 1)
        return;
    int content[DIALOG_FIELDS_MAX];
    share_rows(d, h - 3, content);
    int y = 1;
    for (int i = 0; i < d->nfields && y < h - 2; i++) {
        dialog_field *f = &d->fields[i];
        bool focus = i == d->focus;
        attr_t label = theme_attr(focus ? THEME_DIALOG_BORDER : THEME_DIALOG);
        if (f->kind == DIALOG_TOGGLE) {
            char line[DIALOG_LABEL_MAX + 8];
            snprintf(line, sizeof line, "[%s] %s", f->on ? "x" : " ", f->label);
            draw_text_ellipsis(win, y, 2, line, strlen(line), cw,
                               theme_attr(focus ? THEME_DIALOG_FOCUS : THEME_DIALOG));
            y++;
            continue;
        }
        if (label_rows(f)) {
            draw_text_ellipsis(win, y, 2, f->label, strlen(f->label), cw, label);
            y++;
        }
        int rows = content[i];
        if (y + rows > h - 2)
            rows = h - 2 - y;
        if (rows <= 0)
            continue;
        if (f->kind == DIALOG_TEXT) {
            int cy, cx;
            textarea_draw(&f->text, win, y, 2, rows, cw, theme_attr(THEME_DIALOG_FIELD), &cy, &cx);
            if (focus) {
                d->cursor_y = cy;
                d->cursor_x = cx;
            }
        } else {
            draw_choice(d, f, focus, y, rows, cw);
        }
        y += rows;
    }
    const char *footer = d->footer[0] ? d->footer
                                      : "Tab next field · ^D submit · Esc cancel";
    draw_text_ellipsis(win, h - 2, 2, footer, strlen(footer), cw, theme_attr(THEME_HINT));
}

static void focus_step(dialog *d, int dir)
{
    if (d->nfields == 0)
        return;
    d->focus = (d->focus + dir + d->nfields) % d->nfields;
    d->base.dirty = true;
}

static widget_result choice_key(dialog_field *f, widget_key key, int page)
{
    int c = f->choice;
    switch (key) {
    case WK_FN(KEY_UP): case 'k': c--; break;
    case WK_FN(KEY_DOWN): case 'j': c++; break;
    case WK_FN(KEY_PPAGE): c -= page; break;
    case WK_FN(KEY_NPAGE): c += page; break;
    case WK_FN(KEY_HOME): c = 0; break;
    case WK_FN(KEY_END): c = f->noptions - 1; break;
    default: return WIDGET_IGNORED;
    }
    if (c >= f->noptions) c = f->noptions - 1;
    if (c < 0) c = 0;
    f->choice = c;
    return WIDGET_HANDLED;
}

static widget_result dialog_key(widget *w, widget_key key)
{
    dialog *d = (dialog *)w;
    switch (key) {
    case WK_ESC:
        return WIDGET_CANCEL;
    case WK_TAB:
        focus_step(d, +1);
        return WIDGET_HANDLED;
    case WK_FN(KEY_BTAB):
        focus_step(d, -1);
        return WIDGET_HANDLED;
    case WK_CTRL('d'): case WK_FN(KEY_F(10)):
        return WIDGET_SUBMIT;
    default:
        break;
    }
    if (d->nfields == 0)
        return WIDGET_IGNORED;
    dialog_field *f = &d->fields[d->focus];
    bool enter = key == WK_ENTER || key == 10 || key == WK_FN(KEY_ENTER);
    widget_result r = WIDGET_IGNORED;
    switch (f->kind) {
    case DIALOG_TEXT:
        r = textarea_handle_key(&f->text, key);
        break;
    case DIALOG_CHOICE:
        if (enter)
            return WIDGET_SUBMIT;
        r = choice_key(f, key, f->want_rows > 1 ? f->want_rows - 1 : 1);
        break;
    case DIALOG_TOGGLE:
        if (enter)
            return WIDGET_SUBMIT;
        if (key == ' ') {
            f->on = !f->on;
            r = WIDGET_HANDLED;
        }
        break;
    }
    if (r == WIDGET_HANDLED)
        w->dirty = true;
    return r;
}

static void dialog_destroy(widget *w)
{
    dialog *d = (dialog *)w;
    for (int i = 0; i < d->nfields; i++)
        if (d->fields[i].kind == DIALOG_TEXT)
            textarea_free(&d->fields[i].text);
    free(d);
}

static const widget_class dialog_class = {
    .name = "dialog",
    .draw = dialog_draw,
    .handle_key = dialog_key,
    .destroy = dialog_destroy,
};

dialog *dialog_new(const char *title)
{
    dialog *d = mem_zalloc(1, sizeof *d);
    widget_init(&d->base, &dialog_class);
    d->base.visible = false;
    text_copy(d->title, sizeof d->title, title);
    d->cursor_y = d->cursor_x = -1;
    return d;
}

static dialog_field *add_field(dialog *d, dialog_field_kind kind, const char *label, int rows)
{
    if (d->nfields >= DIALOG_FIELDS_MAX)
        return NULL;
    dialog_field *f = &d->fields[d->nfields++];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    text_copy(f->label, sizeof f->label, label);
    f->want_rows = rows < 1 ? 1 : rows;
    d->base.dirty = true;
    return f;
}

int dialog_add_text(dialog *d, const char *label, int rows, size_t max_bytes)
{
    dialog_field *f = add_field(d, DIALOG_TEXT, label, rows);
    if (!f)
        return -1;
    textarea_init(&f->text, max_bytes);
    return d->nfields - 1;
}

int dialog_add_choice(dialog *d, const char *label, const char *const *options, int n, int rows)
{
    dialog_field *f = add_field(d, DIALOG_CHOICE, label, rows);
    if (!f)
        return -1;
    dialog_set_options(d, d->nfields - 1, options, n);
    return d->nfields - 1;
}

int dialog_add_toggle(dialog *d, const char *label, bool on)
{
    dialog_field *f = add_field(d, DIALOG_TOGGLE, label, 1);
    if (!f)
        return -1;
    f->on = on;
    return d->nfields - 1;
}

void dialog_set_text(dialog *d, int field, const char *clean)
{
    if (!valid_field(d, field, DIALOG_TEXT))
        return;
    textarea_set_text(&d->fields[field].text, clean);
    d->base.dirty = true;
}

void dialog_set_text_at_start(dialog *d, int field, const char *clean)
{
    if (!valid_field(d, field, DIALOG_TEXT))
        return;
    textarea_set_text_at_start(&d->fields[field].text, clean);
    d->base.dirty = true;
}

const char *dialog_text(const dialog *d, int field)
{
    return valid_field(d, field, DIALOG_TEXT) ? textarea_text(&d->fields[field].text) : NULL;
}

void dialog_set_options(dialog *d, int field, const char *const *options, int n)
{
    if (!valid_field(d, field, DIALOG_CHOICE))
        return;
    dialog_field *f = &d->fields[field];
    if (n > DIALOG_OPTIONS_MAX)
        n = DIALOG_OPTIONS_MAX;
    if (n < 0)
        n = 0;
    for (int i = 0; i < n; i++)
        text_copy(f->options[i], sizeof f->options[i], options[i]);
    f->noptions = n;
    if (f->choice >= n)
        f->choice = n ? n - 1 : 0;
    f->choice_top = 0;
    d->base.dirty = true;
}

void dialog_set_choice(dialog *d, int field, int index)
{
    if (!valid_field(d, field, DIALOG_CHOICE))
        return;
    dialog_field *f = &d->fields[field];
    if (index >= f->noptions)
        index = f->noptions - 1;
    f->choice = index < 0 ? 0 : index;
    d->base.dirty = true;
}

int dialog_choice(const dialog *d, int field)
{
    if (!valid_field(d, field, DIALOG_CHOICE) || d->fields[field].noptions == 0)
        return -1;
    return d->fields[field].choice;
}

const char *dialog_choice_text(const dialog *d, int field)
{
    int c = dialog_choice(d, field);
    return c < 0 ? NULL : d->fields[field].options[c];
}

bool dialog_toggle(const dialog *d, int field)
{
    return valid_field(d, field, DIALOG_TOGGLE) && d->fields[field].on;
}

void dialog_set_footer(dialog *d, const char *clean)
{
    text_copy(d->footer, sizeof d->footer, clean);
    d->base.dirty = true;
}

int dialog_focused(const dialog *d)
{
    return d->focus;
}

widget_rect dialog_rect(int want_rows, int want_cols, int screen_rows, int screen_cols)
{
    int h = want_rows < screen_rows ? want_rows : screen_rows;
    int w = want_cols < screen_cols ? want_cols : screen_cols;
    if (h < 0) h = 0;
    if (w < 0) w = 0;
    return (widget_rect){ (screen_rows - h) / 2, (screen_cols - w) / 2, h, w };
}

void dialog_place(dialog *d, int screen_rows, int screen_cols)
{
    int want = 3;   /* borders and footer */
    for (int i = 0; i < d->nfields; i++)
        want += field_want(&d->fields[i]);
    int cols = screen_cols - 4 < DIALOG_MAX_COLS ? screen_cols - 4 : DIALOG_MAX_COLS;
    if (cols < 20)
        cols = screen_cols;
    widget_set_rect(&d->base, dialog_rect(want, cols, screen_rows, screen_cols));
    widget_set_visible(&d->base, true);
    d->base.dirty = true;
}

void dialog_place_cursor(dialog *d)
{
    if (!d->base.win || !d->base.visible || d->cursor_y < 0)
        return;
    leaveok(d->base.win, FALSE);
    wmove(d->base.win, d->cursor_y, d->cursor_x);
    wnoutrefresh(d->base.win);
}
