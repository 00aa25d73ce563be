/* feed.h — `agentdesk-hub feed [--url URL] [--token-file F] [--realtime] FILE|-`: send a
 * JSONL file of ingest events (start / utterance / end, or Contact Lens segment events) to
 * a hub's ingest endpoint, give every native event without an id the id "feed-RUN-N" (RUN
 * unique to this run, N its line number: the hub dedupes ids per connector user), wait until every id is acked, and exit 0; any error frame, bad line,
 * refused connection or 30 s without progress prints a message and exits 1 (2: usage).
 * A line may also be a Kinesis record as `aws kinesis get-records` prints it ({"Data":
 * base64, "PartitionKey", "SequenceNumber"}: Data's events, one a line, are sent), or a
 * whole get-records answer {"Records": [...]} (also as the whole file, over many lines).
 * --realtime paces utterances by offset_ms from their interaction's start. The token comes
 * from --token-file (first line) or AGENTDESK_TOKEN, never from argv. */
#ifndef AGENTDESK_HUB_FEED_H
#define AGENTDESK_HUB_FEED_H

/* argv[0] is "feed". Returns the exit status. */
int feed_main(int argc, char **argv);

/* The first line of `path` without surrounding white space, malloc'd; NULL on error. */
char *feed_read_token(const char *path);

#endif
