#!/bin/sh
# test_console_state.sh — what the console keeps is for one hub and one agent, and what it
# cannot keep it says:
#   * a note queued for hub A as agent-1 is not sent to hub B as agent-2 (before: sent
#     there, refused, dropped); it is still on disk for A and reaches A on the next run;
#   * pings never appear in an outbox file;
#   * an unwritable XDG_STATE_HOME is said at start and on quit, never "kept in (null)";
#   * a 300-byte token (file or $AGENTDESK_TOKEN), a FIFO or a directory as the token
#     file, and --config DIR are clear errors at start with a non-zero exit.
. "$(dirname "$0")/lib.sh"
CPID=""; HUBB=""
cleanup() {
    exec 7>&- 2>/dev/null
    [ -n "$CPID" ] && kill "$CPID" 2>/dev/null
    [ -n "$HUBB" ] && kill "$HUBB" 2>/dev/null
    [ -n "${SOCK2:-}" ] && tmux -L "$SOCK2" kill-server 2>/dev/null
}
quit_console() { say "/quit"; say "/quit"; wait_exit; exec 7>&-; }

for k in users customers kb rules; do
    "$B/agentdesk-hub" import --db "$T/hub.db" "$k" "data/$k.json" >>"$T/import.out" 2>&1
    "$B/agentdesk-hub" import --db "$T/hubb.db" "$k" "data/$k.json" >>"$T/import.out" 2>&1
done
echo demo-ingest >"$T/ingest.tok"
echo demo-agent-1 >"$T/agent1.tok"
echo demo-agent-2 >"$T/agent2.tok"
PORT=$(free_port)
start_hub || bad "hub A starts"
PORTB=$(free_port)
"$B/agentdesk-hub" --listen "127.0.0.1:$PORTB" --db "$T/hubb.db" --record-dir "$T/recb" \
    --log "$T/hubb.log" >>"$T/hubb.out" 2>&1 &
HUBB=$!
for i in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORTB") 2>/dev/null && break; sleep 0.1; done
A="ws://127.0.0.1:$PORT"; BURL="ws://127.0.0.1:$PORTB"

# ---- a note for hub A as agent-1, queued while A is down ----
cat >"$T/a.jsonl" <<'J'
{"type":"start","id":"s-a","iid":"KEY-A","channel":"voice","queue":"billing","agent":"agent-1","customer_id":"C-1001"}
{"type":"utterance","id":"u-a","iid":"KEY-A","uid":"a1","speaker":"customer","text":"hello hub A","final":true,"offset_ms":1000}
J
feed "$T/a.jsonl" || bad "fed hub A"
O1="$T/out1"
console "$O1" "$A" "$T/agent1.tok"
check "agent-1 sees KEY-A on hub A" 'wait_out "$O1" "[KEY-A] 00:01 customer: hello hub A" 10'
stop_hub
check "the console notices hub A is gone" 'wait_out "$O1" "connection: lost" 10'
say "/note for hub A only"
sleep 0.5
check "the note is on disk, in hub A's file" 'grep -q "for hub A only" "$T"/state/agentdesk/outbox-127.0.0.1_${PORT}-*.jsonl'
quit_console
check "quitting says where it is kept" 'grep -q "kept in $T/state/agentdesk/outbox-127.0.0.1_${PORT}-" "$O1.err"'

# ---- the same machine signs in to hub B as agent-2 ----
# with the single outbox an older version left (its hub unknown): said, kept, never sent
LEGACY="$T/state/agentdesk/outbox-$(id -un).jsonl"
echo '{"type":"note","id":"a-legacy-1","iid":"KEY-A","text":"from an older version"}' >"$LEGACY"
O2="$T/out2"
console "$O2" "$BURL" "$T/agent2.tok"
check "agent-2 signs in to hub B" 'wait_out "$O2" "signed in as agent-2" 10'
sleep 11   # past a ping (every 10 s): pings are sent, never stored
check "nothing of hub A's is sent to hub B (no refusal)" '! grep -qi "refused\|not found\|forbidden" "$O2"'
check "no earlier action announced for hub B" '! grep -q "from an earlier run" "$O2"'
check "the older version's outbox is said, not sent" 'grep -qF "1 action(s) from an older version wait in $LEGACY: not sent" "$O2"'
check "it is kept as it was" 'grep -q "from an older version" "$LEGACY"'

check "hub B holds no note" '[ "$(sqlite3 "$T/hubb.db" "select count(*) from notes" 2>/dev/null || echo x)" = 0 ]'
check "no outbox file for hub B (nothing queued; pings are not stored)" '! ls "$T"/state/agentdesk/outbox-127.0.0.1_${PORTB}-*.jsonl >/dev/null 2>&1'
check "hub A's note is still on disk" 'grep -q "for hub A only" "$T"/state/agentdesk/outbox-127.0.0.1_${PORT}-*.jsonl'
check "no outbox file holds a ping" '! grep -qs "\"ping\"" "$T"/state/agentdesk/outbox-*.jsonl'
rm -f "$LEGACY"
quit_console

# ---- back on hub A as agent-1: the note goes where it was written ----
# plus one the hub will refuse for good (no such interaction): said with its text, not dropped
echo '{"type":"note","id":"a-orphan-1","iid":"NO-SUCH-IID","text":"orphan note text"}' \
    >>"$(ls "$T"/state/agentdesk/outbox-127.0.0.1_${PORT}-*.jsonl)"
start_hub || bad "hub A restarts"
O3="$T/out3"
console "$O3" "$A" "$T/agent1.tok"
check "the run on hub A announces the kept notes" 'wait_out "$O3" "2 action(s) from an earlier run will be sent" 5'
check "the note reaches hub A" 'wait_out "$O3" "note by agent-1: for hub A only" 15'
check "a refused note is shown with its text" 'wait_out "$O3" "note refused:" 10 && grep "note refused:" "$O3" | grep -qF "(\"orphan note text\")"'
check "hub A's outbox file is gone once acked" 'sleep 0.5; ! ls "$T"/state/agentdesk/outbox-127.0.0.1_${PORT}-*.jsonl >/dev/null 2>&1'
quit_console

# ---- an unwritable state directory ----
: >"$T/a-file"
O4="$T/out4"
console "$O4" "$A" "$T/agent1.tok" "$T/a-file/state"
check "said at start: not saved, with the reason" 'wait_out "$O4" "not saved: cannot create $T/a-file/state/agentdesk" 10'
check "signed in all the same" 'wait_out "$O4" "signed in as agent-1" 10'
quit_console
check "said again on quit (stderr)" 'grep -q "agentdesk: not saved: cannot create $T/a-file/state/agentdesk" "$O4.err"'
check "never \"kept in (null)\"" '! grep -q "(null)" "$O4" "$O4.err"'
# an action that cannot be kept is not said to be kept
O5="$T/out5"
console "$O5" "$A" "$T/agent1.tok" "$T/a-file/state"
check "memory-only console sees KEY-A" 'wait_out "$O5" "[KEY-A] 00:01 customer: hello hub A" 10'
stop_hub
check "it notices the hub is gone" 'wait_out "$O5" "connection: lost" 10'
say "/note only in memory"
say "/quit"
check "/quit says the waiting action is lost, not kept" 'wait_out "$O5" "lost on quit" 5 && ! grep -q "kept and sent next time" "$O5"'
say "/quit"
wait_exit
exec 7>&-
check "on stderr: lost, not saved, with the reason" 'grep -q "1 action(s) not yet acknowledged are lost: not saved: cannot create" "$O5.err"'
check "nothing claims to be kept when nothing can be" '! grep -q "kept in" "$O5.err"'
start_hub || bad "hub A restarts again"
# the screen says it too, and says it again after quitting
SOCK="agentdesk-e2e-$$-state"
tmux -L "$SOCK" new-session -d -s ad -x 120 -y 40 \
    "env XDG_STATE_HOME='$T/a-file/state' XDG_CONFIG_HOME='$T/cfg' '$B/agentdesk' --url '$A' --token-file '$T/agent1.tok'; echo EXITED \$?; sleep 30"
check "the screen shows the notice at start" 'wait_for "not saved" 10'
tmux -L "$SOCK" send-keys -t ad C-q
check "the screen quits" 'wait_for "EXITED 0" 10'
check "after quitting the terminal says it" 'wait_for "agentdesk: not saved: cannot create" 5'
tmux -L "$SOCK" kill-server; SOCK=""

# ---- a token the hub refuses: signed out, said, no more attempts, nothing offered ----
echo not-a-known-token >"$T/unknown.tok"
SOCK="agentdesk-e2e-$$-refused"
tmux -L "$SOCK" new-session -d -s ad -x 120 -y 40 \
    "env XDG_STATE_HOME='$T/refused-state' XDG_CONFIG_HOME='$T/cfg' '$B/agentdesk' --url '$A' --token-file '$T/unknown.tok'; echo EXITED \$?; sleep 30"
check "a refused token shows SIGNED OUT, never AVAILABLE" 'wait_for "SIGNED OUT" 10 && ! screen | grep -q AVAILABLE'
check "the screen says why and what to do" 'wait_for "Signed out: the hub refused the token" 5 && screen | grep -q "Check the token"'
check "only quit and help are offered" 'screen | sed -n 40p | grep -q "quit" && ! screen | sed -n 40p | grep -qE "suggestion|wrap up|raise hand"'
sleep 3
check "no more attempts after the refusal" '! screen | grep -qE "retry|again in|connecting"'
tmux -L "$SOCK" send-keys -t ad C-q
check "it quits" 'wait_for "EXITED" 10'
tmux -L "$SOCK" kill-server; SOCK=""

# ---- tokens and config files that cannot work are refused at start ----
starts() {   # OUTFILE ARGS...: run a console that should refuse to start, with a deadline
    local out=$1; shift
    env XDG_STATE_HOME="$T/state" XDG_CONFIG_HOME="$T/cfg" timeout 5 "$B/agentdesk" --linear --url "$A" "$@" \
        </dev/null >"$out" 2>&1
}
head -c 300 /dev/zero | tr '\0' 'x' >"$T/long.tok"
starts "$T/e1" --token-file "$T/long.tok"; rc=$?
check "a 300-byte token file: exit 2 with the limit ($rc)" '[ $rc -eq 2 ] && grep -q "long.tok: expected one token line of 1..128 bytes" "$T/e1"'
AGENTDESK_TOKEN=$(cat "$T/long.tok") starts "$T/e2"; rc=$?
check "a 300-byte AGENTDESK_TOKEN: exit 2 with the limit ($rc)" '[ $rc -eq 2 ] && grep -q "AGENTDESK_TOKEN: expected one token line of 1..128 bytes" "$T/e2"'
mkfifo "$T/tok.fifo"
starts "$T/e3" --token-file "$T/tok.fifo"; rc=$?
check "a FIFO as the token file: exit 2 at once, not a hang ($rc)" '[ $rc -eq 2 ] && grep -q "tok.fifo: is a FIFO, expected a regular file" "$T/e3"'
mkdir -p "$T/tokdir"
starts "$T/e4" --token-file "$T/tokdir"; rc=$?
check "a directory as the token file: exit 2 ($rc)" '[ $rc -eq 2 ] && grep -q "tokdir: is a directory, expected a regular file" "$T/e4"'
starts "$T/e5" --token-file "$T/agent1.tok" --config "$T/tokdir"; rc=$?
check "--config DIR: exit 2 ($rc)" '[ $rc -eq 2 ] && grep -q "tokdir: is a directory, expected a regular file" "$T/e5"'

e2e_done
