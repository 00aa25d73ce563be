/* agent_keys.c — the agent mode's actions and default keys (one table).
 *
 * Letters always write: a letter typed while the keys are commands starts the reply/note
 * line with itself (agent_screen.c), so no word can raise a hand, quit, wrap up or send.
 * Commands are control, function and Alt keys, and a few marks no word begins with
 * (? / [ ] and the digits that put a suggestion into the line, which sends nothing). */
#include "agentdesk/agent_keys.h"

const keys_action agent_keys_actions[AK__COUNT] = {
    {AK_SEND, "send", "send the line: a reply in a chat, a note in a call", KEYS_TYPING, "Enter ^J"},
    {AK_TYPE, "type", "start writing in the reply/note line (or just type a letter; on Suggestions or Checklist: use or tick the selected row)", KEYS_COMMAND, "Enter"},
    {AK_LEAVE, "leave", "leave the line; keys become commands again", KEYS_TYPING, "Esc"},
    {AK_NOTE, "note", "write a note (also in a chat)", KEYS_ANY, "^N"},
    {AK_USE1, "use1", "put suggestion 1 into the line at the cursor (Ctrl-/ takes it back)", KEYS_ANY, "1 M-1"},
    {AK_USE2, "use2", "put suggestion 2 into the line at the cursor", KEYS_ANY, "2 M-2"},
    {AK_USE3, "use3", "put suggestion 3 into the line at the cursor", KEYS_ANY, "3 M-3"},
    {AK_UNDO, "undo", "take back the last suggestion put into the line", KEYS_ANY, "^_ M-u"},
    {AK_DISMISS, "dismiss", "dismiss the selected (else the first) suggestion", KEYS_COMMAND, "^X Del"},
    {AK_HAND, "hand", "raise your hand to a supervisor, or lower it again", KEYS_ANY, "^G"},
    {AK_REVEAL, "reveal", "show a masked value (e-mail, phone, card...) in clear for a moment; again: the next one. Recorded in the audit trail", KEYS_ANY, "^R"},
    {AK_BREAK, "break", "take a break (the hub offers you no new contact; supervisors see it), or be available again", KEYS_ANY, "^T F6"},
    {AK_SEARCH, "search", "search the transcript", KEYS_COMMAND, "/"},
    {AK_SEARCH_NEXT, "search_next", "next (older) match", KEYS_ANY, "F3 ^F"},
    {AK_SEARCH_PREV, "search_prev", "previous (newer) match", KEYS_ANY, "F4"},
    {AK_NEXT_IX, "next", "next interaction", KEYS_ANY, "] M-n"},
    {AK_PREV_IX, "prev", "previous interaction", KEYS_ANY, "[ M-p"},
    {AK_SCROLL_UP, "page_up", "scroll the transcript up a page", KEYS_ANY, "PgUp"},
    {AK_SCROLL_DOWN, "page_down", "scroll the transcript down a page", KEYS_ANY, "PgDn"},
    {AK_FOLLOW, "follow", "back to the newest line (follow mode)", KEYS_COMMAND, "End"},
    {AK_PANE, "pane", "next pane (next tab on small screens)", KEYS_ANY, "Tab"},
    {AK_PANE_BACK, "pane_back", "previous pane or tab", KEYS_ANY, "S-Tab"},
    {AK_TICK, "tick", "tick or untick the selected checklist item", KEYS_COMMAND, "Space"},
    {AK_WRAPUP, "wrapup", "wrap up: summary, disposition, follow-up", KEYS_COMMAND, "^W F2"},
    {AK_HELP, "help", "this help", KEYS_ANY, "? F1"},
    {AK_REDRAW, "redraw", "redraw the screen", KEYS_ANY, "^L"},
    {AK_QUIT, "quit", "quit (asks when a draft, an unsent action or a call to wrap up is left)", KEYS_ANY, "^Q"},
};
