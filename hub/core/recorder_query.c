/* recorder_query.c — inside the recorder: the trainer's list of recordings sorted and
 * filtered by outcome, with the exemplars trainers confirmed first (see recorder.h), and the
 * exemplars table those verdicts are written to. */
#include "hub/core/recorder_index.h"
#include "base/mem.h"

#include <stdio.h>
#include <string.h>

/* The order of each sort, after the exemplar groups; r.n (the order recordings were opened)
 * breaks ties so that offsets page through a stable order. */
static const char *const sort_keys[] = {
    [RECORDER_SORT_RECENT] = "r.n DESC",
    [RECORDER_SORT_RECOVERY] = "COALESCE(r.sent_last - r.sent_low, -9) DESC, r.n DESC",
    [RECORDER_SORT_HANDLE] = "COALESCE(r.ended_ms, ?6) - r.started_ms DESC, r.n DESC",
    [RECORDER_SORT_FLAGS] = "r.flags DESC, r.severe_flags DESC, r.n DESC",
};

/* ?1 queue, ?2 agent (NULL: any), ?3 exemplars only, ?4 limit + 1, ?5 offset, ?6 now */
static const char query_head[] =
    "SELECT r.n, r.iid, r.channel, r.queue, r.agent, r.started_ms, r.ended_ms, r.events, r.bytes,"
    " r.complete, r.sent_first, r.sent_low, r.sent_last, r.flags, r.severe_flags,"
    " (SELECT w.code FROM wrapups w WHERE w.iid = r.iid ORDER BY w.ts DESC LIMIT 1),"
    " e.tags, e.comment, e.user,"
    " COALESCE(e.state, CASE WHEN r.ended_ms IS NOT NULL AND r.sent_low <= ?7"
    "   AND r.sent_last - r.sent_low >= ?8 AND r.sent_last >= 0 THEN 'proposed' END) AS ex"
    " FROM recordings r LEFT JOIN exemplars e ON e.iid = r.iid"
    " WHERE (?1 IS NULL OR r.queue = ?1) AND (?2 IS NULL OR r.agent = ?2)"
    "   AND (?3 = 0 OR ex IN ('confirmed', 'proposed'))"
    " ORDER BY CASE ex WHEN 'confirmed' THEN 0 WHEN 'proposed' THEN 1 ELSE 2 END, ";

static void set_text(json_t *item, const char *key, sqlite3_stmt *st, int col)
{
    const char *v = (const char *)sqlite3_column_text(st, col);
    if (v && *v)
        json_object_set_new(item, key, json_string(v));
}

static json_t *item_of(sqlite3_stmt *st, int64_t now_ms)
{
    json_t *item = recorder_index_item(st, now_ms);
    if (!item) /* text that is not UTF-8 (an index built from a foreign file) */
        return NULL;
    json_object_set_new(item, "flags", json_integer(sqlite3_column_int64(st, 13)));
    json_object_set_new(item, "severe_flags", json_integer(sqlite3_column_int64(st, 14)));
    if (sqlite3_column_type(st, 10) != SQLITE_NULL) {
        double low = sqlite3_column_double(st, 11), last = sqlite3_column_double(st, 12);
        json_object_set_new(item, "sentiment_first", json_real(sqlite3_column_double(st, 10)));
        json_object_set_new(item, "sentiment_low", json_real(low));
        json_object_set_new(item, "sentiment_last", json_real(last));
        json_object_set_new(item, "recovery", json_real(last - low));
    }
    set_text(item, "disposition", st, 15);
    set_text(item, "exemplar", st, 19);
    set_text(item, "tags", st, 16);
    set_text(item, "comment", st, 17);
    set_text(item, "exemplar_by", st, 18);
    return item;
}

json_t *recorder_index_query(recorder_index *x, const recorder_query *q, size_t max_bytes, int64_t now_ms,
                             int64_t *next_offset)
{
    *next_offset = 0;
    char sql[sizeof query_head + 128];
    unsigned sort = (unsigned)q->sort < sizeof sort_keys / sizeof *sort_keys ? (unsigned)q->sort : 0;
    snprintf(sql, sizeof sql, "%s%s LIMIT ?4 OFFSET ?5", query_head, sort_keys[sort]);
    sqlite3_stmt *st;
    json_t *items = json_array();
    if (sqlite3_prepare_v2(x->db, sql, -1, &st, NULL) != SQLITE_OK)
        return items;
    if (q->queue)
        sqlite3_bind_text(st, 1, q->queue, -1, SQLITE_STATIC);
    if (q->agent)
        sqlite3_bind_text(st, 2, q->agent, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, q->exemplars_only);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)q->limit + 1); /* one more tells whether a page follows */
    sqlite3_bind_int64(st, 5, q->offset > 0 ? q->offset : 0);
    sqlite3_bind_int64(st, 6, now_ms);
    sqlite3_bind_double(st, 7, RECORDER_PROPOSE_LOW);
    sqlite3_bind_double(st, 8, RECORDER_PROPOSE_RISE);
    size_t bytes = 0;
    int64_t seen = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (json_array_size(items) == q->limit) {
            *next_offset = q->offset + seen;
            break;
        }
        json_t *item = item_of(st, now_ms);
        if (item && !recorder_index_fit(items, item, &bytes, max_bytes)) {
            *next_offset = q->offset + seen;
            break;
        }
        seen++;
    }
    sqlite3_finalize(st);
    return items;
}

int recorder_index_exemplar(recorder_index *x, const char *iid, const char *state, const char *tags,
                            const char *comment, const char *user, int64_t now_ms)
{
    bool complete;
    char *file = NULL;
    if (!recorder_index_find(x, iid, &file, &complete, NULL))
        return 1;
    free(file);
    bool clear = strcmp(state, "cleared") == 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(x->db,
                           clear ? "DELETE FROM exemplars WHERE iid = ?1"
                                 : "INSERT INTO exemplars(iid, state, tags, comment, user, ts)"
                                   " VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(iid) DO UPDATE SET"
                                   " state = excluded.state, tags = excluded.tags,"
                                   " comment = excluded.comment, user = excluded.user, ts = excluded.ts",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, iid, -1, SQLITE_STATIC);
    if (!clear) {
        sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, tags ? tags : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, comment ? comment : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, user, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, now_ms);
    }
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}
