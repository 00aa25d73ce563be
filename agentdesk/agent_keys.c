/* agent_keys.c — the agent mode's actions and default keys (one table). */
#include "agentdesk/agent_keys.h"

const keys_action agent_keys_actions[AK__COUNT] = {
    {AK_SEND, "send", "send the line: a reply in a chat, a note in a call", KEYS_TYPING, "Enter ^J"},
    {AK_TYPE, "type", "start writing in the reply/note line (on Suggestions or Checklist: use or tick the selected row)", KEYS_COMMAND, "Enter i"},
    {AK_LEAVE, "leave", "leave the line; keys become commands again", KEYS_TYPING, "Esc"},
    {AK_NOTE, "note", "write a note (also in a chat)", KEYS_ANY, "^N"},
    {AK_USE1, "use1", "put suggestion 1 into the line", KEYS_ANY, "1 M-1"},
    {AK_USE2, "use2", "put suggestion 2 into the line", KEYS_ANY, "2 M-2"},
    {AK_USE3, "use3", "put suggestion 3 into the line", KEYS_ANY, "3 M-3"},
    {AK_DISMISS, "dismiss", "dismiss the selected (else the first) suggestion", KEYS_COMMAND, "x"},
    {AK_HAND, "hand", "raise your hand to a supervisor", KEYS_ANY, "h ^G"},
    {AK_SEARCH, "search", "search the transcript", KEYS_COMMAND, "/"},
    {AK_SEARCH_NEXT, "search_next", "next (older) match", KEYS_COMMAND, "n"},
    {AK_NEXT_IX, "next", "next interaction", KEYS_ANY, "] M-n"},
    {AK_PREV_IX, "prev", "previous interaction", KEYS_ANY, "[ M-p"},
    {AK_SCROLL_UP, "page_up", "scroll the transcript up a page", KEYS_ANY, "PgUp"},
    {AK_SCROLL_DOWN, "page_down", "scroll the transcript down a page", KEYS_ANY, "PgDn"},
    {AK_FOLLOW, "follow", "back to the newest line (follow mode)", KEYS_COMMAND, "End G"},
    {AK_PANE, "pane", "next pane (next tab on small screens)", KEYS_ANY, "Tab"},
    {AK_PANE_BACK, "pane_back", "previous pane or tab", KEYS_ANY, "S-Tab"},
    {AK_TICK, "tick", "tick or untick the selected checklist item", KEYS_COMMAND, "Space"},
    {AK_WRAPUP, "wrapup", "wrap up: summary, disposition, follow-up", KEYS_COMMAND, "w ^W"},
    {AK_HELP, "help", "this help", KEYS_ANY, "? F1"},
    {AK_REDRAW, "redraw", "redraw the screen", KEYS_ANY, "^L"},
    {AK_QUIT, "quit", "quit (asks when something is not yet sent)", KEYS_ANY, "q ^Q"},
};
