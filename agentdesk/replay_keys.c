/* replay_keys.c — the replay mode's actions and default keys (one table). Nothing is typed
 * into a replay except a note or a time, each on its own prompt, so letters are commands. */
#include "agentdesk/replay_keys.h"

const keys_action replay_keys_actions[RK__COUNT] = {
    {RK_PLAY, "play", "play or pause", KEYS_COMMAND, "Space p"},
    {RK_SLOWER, "slower", "slower (0.25x at the least)", KEYS_COMMAND, "-"},
    {RK_FASTER, "faster", "faster (16x at the most)", KEYS_COMMAND, "+ ="},
    {RK_BACK, "back", "one event back (pauses)", KEYS_COMMAND, "Left"},
    {RK_FORWARD, "forward", "one event forward (pauses)", KEYS_COMMAND, "Right"},
    {RK_GOTO, "goto", "go to a time (mm:ss) or a percent (40%)", KEYS_COMMAND, "g"},
    {RK_START, "start", "go to the start", KEYS_COMMAND, "Home"},
    {RK_END, "end", "go to the end", KEYS_COMMAND, "End"},
    {RK_PREV_MARK, "prev_mark", "previous flag or sentiment drop", KEYS_COMMAND, "["},
    {RK_NEXT_MARK, "next_mark", "next flag or sentiment drop", KEYS_COMMAND, "]"},
    {RK_ANNOTATE, "annotate", "write a note at the current time", KEYS_COMMAND, "a"},
    {RK_NOTES, "notes", "the notes: Enter goes to one, e edits, d deletes, Esc closes", KEYS_COMMAND, "n"},
    {RK_SCORECARD, "scorecard", "the score card: arrows or j/k move, y/n/x (N/A) or 1-5 answer, Enter confirms a suggestion, c comments, Esc closes", KEYS_COMMAND, "s"},
    {RK_EDIT, "edit", "in the notes: edit the selected note", KEYS_COMMAND, "e"},
    {RK_DELETE, "delete", "in the notes: delete the selected note", KEYS_COMMAND, "d Del"},
    {RK_SCROLL_UP, "page_up", "scroll the transcript up a page", KEYS_COMMAND, "PgUp"},
    {RK_SCROLL_DOWN, "page_down", "scroll the transcript down a page", KEYS_COMMAND, "PgDn"},
    {RK_PANE, "pane", "next pane (next tab on small screens)", KEYS_COMMAND, "Tab"},
    {RK_PANE_BACK, "pane_back", "previous pane or tab", KEYS_COMMAND, "S-Tab"},
    {RK_HELP, "help", "this help", KEYS_COMMAND, "? F1"},
    {RK_REDRAW, "redraw", "redraw the screen", KEYS_COMMAND, "^L"},
    {RK_QUIT, "quit", "quit", KEYS_COMMAND, "q ^Q ^C"},
};
