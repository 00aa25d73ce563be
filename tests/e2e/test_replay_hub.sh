#!/bin/sh
# test_replay_hub.sh — the trainer's list of a real hub's recordings, by outcome, in --demo:
#   * `replay --url … --list --sort recovery` prints the finished calls with the customer's
#     sentiment from first to last and the flags raised;
#   * `--confirm IID --tags … --comment …` is acked, and `--list --exemplars` lists it first,
#     marked EXEMPLAR with its tags and comment; an unknown recording is refused;
#   * in tmux, picking number 1 downloads that recording (0600, under the state directory) and
#     plays it in the player; q gives the terminal back;
#   * an agent's token is refused (trainers only), and a hub nobody listens on is reported.
. "$(dirname "$0")/lib.sh"
need tmux
SOCK="agentdesk-e2e-$$-trainer"
keys() { tmux -L "$SOCK" send-keys -t ad "$@"; }
PORT=$(free_port)
"$B/agentdesk-hub" --demo --listen "127.0.0.1:$PORT" --db "$T/demo.db" --record-dir "$T/rec" \
    --log "$T/hub.log" >>"$T/hub.out" 2>&1 &
HUBPID=$!
echo demo-trainer >"$T/trainer.tok"
echo demo-agent-2 >"$T/agent.tok"
chmod 600 "$T/trainer.tok" "$T/agent.tok"
URL="ws://127.0.0.1:$PORT"
replay() { env XDG_STATE_HOME="$T/state" "$B/agentdesk" replay --url "$URL" --token-file "$T/trainer.tok" "$@" </dev/null; }

# the demo's first calls end within about two minutes
for i in $(seq 1 900); do
    replay --list --sort recovery >"$T/list.out" 2>"$T/list.err"
    grep -q " → " "$T/list.out" && break
    sleep 0.2
done
check "the list shows a finished call's sentiment, first to last" 'grep -qE "[-+][0-9]\.[0-9][0-9] → [-+][0-9]\.[0-9][0-9] \(low [-+][0-9]\.[0-9][0-9]\)" "$T/list.out"'
check "with the flags raised" 'grep -qE " [0-9]+ flags? " "$T/list.out"'
check "and a header" 'grep -q "customer sentiment" "$T/list.out"'
IID=$(grep -B1 -E "^ +sim-" "$T/list.out" | grep -A1 " → " | grep -oE "sim-[A-Za-z0-9._-]+" | head -n 1)
check "a finished call is named by its interaction" '[ -n "$IID" ]'

replay --confirm "$IID" --tags "de-escalation, refund" --comment "calm apology, then a fix" >"$T/confirm.out" 2>&1
RC=$?
check "a trainer confirms an exemplar (status $RC)" '[ "$RC" = 0 ] && grep -q "confirmed" "$T/confirm.out"'
replay --list --exemplars >"$T/ex.out" 2>&1
check "--exemplars lists it first, marked, with its tags" 'sed -n 3p "$T/ex.out" | grep -q "EXEMPLAR  \[de-escalation, refund\]" && sed -n 4p "$T/ex.out" | grep -qF "$IID"'
check "and its comment" 'grep -q "\"calm apology, then a fix\"" "$T/ex.out"'
replay --confirm "no-such-call" >"$T/nosuch.out" 2>&1
RC=$?
check "an unknown recording is refused (status $RC)" '[ "$RC" = 1 ] && grep -q "no recording of that interaction" "$T/nosuch.out"'

tmux -L "$SOCK" new-session -d -s ad -x 120 -y 40 \
    "env XDG_STATE_HOME='$T/state' '$B/agentdesk' replay --url '$URL' --token-file '$T/trainer.tok' --list --exemplars; echo EXITED \$?; sleep 30"
check "in a terminal the list asks which to play" 'wait_for "play which? [1]" 10'
keys 1 Enter
check "number 1 opens in the player" 'wait_re "^ replay  .*$IID|^ replay  " 15 && wait_for "PAUSED" 15'
FILE="$T/state/agentdesk/hub-recordings/$IID.jsonl"
check "downloaded under the state directory" '[ -s "$FILE" ]'
check "private (0600)" '[ "$(stat -c %a "$FILE")" = 600 ]'
check "whole: a header and the call's end" 'head -n 1 "$FILE" | grep -q "agentdesk.recording" && grep -q "interaction.ended" "$FILE"'
keys End
check "End goes to its end" 'wait_for "END" 5'
keys q
check "q quits" 'wait_for "EXITED 0" 5'

env XDG_STATE_HOME="$T/state" "$B/agentdesk" replay --url "$URL" --token-file "$T/agent.tok" --list </dev/null >"$T/agent.out" 2>&1
RC=$?
check "an agent's token is refused (status $RC)" '[ "$RC" = 1 ] && grep -q "trainers only, not agent" "$T/agent.out"'
DEAD=$(free_port)
env XDG_STATE_HOME="$T/state" "$B/agentdesk" replay --url "ws://127.0.0.1:$DEAD" --token-file "$T/trainer.tok" --list </dev/null >"$T/dead.out" 2>&1
RC=$?
check "a hub nobody listens on is reported (status $RC)" '[ "$RC" = 1 ] && grep -q "cannot reach the hub" "$T/dead.out"'
e2e_done
