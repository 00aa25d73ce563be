/* monitor_keys.c — the supervisor mode's actions and default keys (one table). */
#include "agentdesk/monitor_keys.h"

const keys_action monitor_keys_actions[MK__COUNT] = {
    {MK_OPEN, "open", "open the selected interaction read-only (transcript, sentiment, flags, customer)", KEYS_COMMAND, "Enter"},
    {MK_BACK, "back", "back to the floor, where it was (or leave a prompt)", KEYS_ANY, "Esc"},
    {MK_WHISPER, "whisper", "whisper to the selected interaction's agent (only they see it)", KEYS_COMMAND, "w"},
    {MK_BARGE, "barge", "join the selected interaction (the agent and every supervisor see it)", KEYS_COMMAND, "b"},
    {MK_LEAVE, "leave", "leave the interaction you barged into (the agent sees you leave)", KEYS_COMMAND, "l"},
    {MK_REPLY, "reply", "reply to the customer in a chat, once you barged in or took it over (marked supervisor)", KEYS_COMMAND, "r"},
    {MK_TAKEOVER, "takeover", "take the interaction over: Enter for yourself, or type an agent's name", KEYS_COMMAND, "t"},
    {MK_ACK, "ack", "acknowledge the selected alert (Alerts), or the interaction's hand or severe flag: its agent sees help is coming", KEYS_COMMAND, "a"},
    {MK_SORT, "sort", "next sort key: attention, time, sentiment, agent, queue", KEYS_COMMAND, "s"},
    {MK_FILTER, "filter", "filter by agent, customer, queue or channel (empty: all)", KEYS_COMMAND, "/"},
    {MK_TAB, "tab", "next view: Interactions, Agents, Alerts, Metrics (open: next pane)", KEYS_COMMAND, "Tab"},
    {MK_TAB_BACK, "tab_back", "previous view", KEYS_COMMAND, "S-Tab"},
    {MK_METRICS, "metrics", "the last hour's figures in all, per queue and per agent (again: back to the grid)", KEYS_COMMAND, "m"},
    {MK_UP, "up", "select the row above", KEYS_COMMAND, "Up k"},
    {MK_DOWN, "down", "select the row below", KEYS_COMMAND, "Down j"},
    {MK_PAGE_UP, "page_up", "a page up (open: scroll the transcript)", KEYS_COMMAND, "PgUp"},
    {MK_PAGE_DOWN, "page_down", "a page down", KEYS_COMMAND, "PgDn"},
    {MK_HELP, "help", "this help", KEYS_COMMAND, "? F1"},
    {MK_REDRAW, "redraw", "redraw the screen", KEYS_ANY, "^L"},
    {MK_QUIT, "quit", "quit", KEYS_ANY, "q ^Q"},
};
