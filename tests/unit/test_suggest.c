/* test_suggest.c — knowledge-base suggestions on a real SQLite db: content words, safe
 * MATCH expressions, bm25 ranking, no repeats, feedback shifting the ranking, reply fields. */
#include "tests/unit/check.h"
#include "hub/assist/suggest.h"
#include "hub/assist/suggest_intent.h"
#include "hub/store/import.h"
#include "hub/store/store.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char kb_json[] =
    "[{\"id\":\"KB-REFUND\",\"title\":\"Duplicate charge refund\",\"category\":\"billing\","
    "  \"body\":\"When a customer is charged twice for the same bill, refund the duplicate charge.\","
    "  \"reply\":\"Sorry about that {customer.first_name}, I've refunded the duplicate charge.\",\"tags\":[\"refund\",\"charge\"]},"
    " {\"id\":\"KB-ROUTER\",\"title\":\"Router keeps dropping\",\"category\":\"tech\","
    "  \"body\":\"If the router drops the connection, restart it and check the lights.\","
    "  \"reply\":\"Let's restart your router together, {customer.first_name}.\",\"tags\":[\"router\",\"wifi\"]},"
    " {\"id\":\"KB-CANCEL\",\"title\":\"Cancel a contract\",\"category\":\"retention\","
    "  \"body\":\"Customers who want to cancel: ask why, make an offer, explain the notice period.\","
    "  \"reply\":\"I'm sorry to hear you want to cancel, {customer.first_name} {customer.last_name}.\",\"tags\":[\"cancel\"]},"
    " {\"id\":\"KB-BILL1\",\"title\":\"Bill explained\",\"category\":\"billing\","
    "  \"body\":\"Your bill has the monthly charge and usage.\",\"reply\":\"Here is your bill, from {agent.name}.\",\"tags\":[\"bill\"]},"
    " {\"id\":\"KB-BILL2\",\"title\":\"Bill breakdown\",\"category\":\"billing\","
    "  \"body\":\"Your bill has the monthly charge and usage.\",\"reply\":\"The {customer.tier} plan {customer.plan} bill.\",\"tags\":[\"bill\"]}]";

static store *open_kb(void)
{
    char err[256];
    store *s = store_open(":memory:", err, sizeof err);
    CHECK(s != NULL);
    if (!s)
        return NULL;
    json_t *arr = json_loads(kb_json, 0, NULL);
    CHECK(arr != NULL);
    int n = import_json(s, "kb", arr, "kb.json", err, sizeof err);
    if (n != 5)
        fprintf(stderr, "import: %s\n", err);
    CHECK_INT(n, 5);
    json_decref(arr);
    return s;
}

/* The ranking of one utterance without the confidence threshold (what feedback and the
 * queue move). */
static int rank_text(suggest *sg, const char *text, const char *queue, suggest_hit *hits)
{
    suggest_recent r = {0};
    if (!suggest_recent_add(sg, &r, text))
        return 0;
    return suggest_rank_recent(sg, &r, queue, NULL, 0, NULL, hits, SUGGEST_TOP);
}

static void test_content_words(void)
{
    static const struct { const char *in; int n; const char *first; } cases[] = {
        {"Hi, um, I was charged twice for my bill!", 3, "charged"},
        {"yeah okay thanks", 0, NULL},
        {"the ROUTER, the router", 1, "router"},
        {"error 404 on the app", 3, "error"},
        {"I'm 'really' cross", 1, "cross"},
        {"Ünïcode wörds stay", 3, "Ünïcode"},
        {"", 0, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char terms[SUGGEST_MAX_TERMS][SUGGEST_TERM_LEN];
        int n = suggest_words_content(cases[i].in, terms, SUGGEST_MAX_TERMS);
        CHECK_INT(n, cases[i].n);
        if (cases[i].first && n > 0)
            CHECK_STR(terms[0], strcmp(cases[i].first, "Ünïcode") ? cases[i].first : "Ünïcode");
    }
    CHECK(suggest_words_is_stop("the"));
    CHECK(suggest_words_is_stop("yeah"));
    CHECK(!suggest_words_is_stop("refund"));
}

static void test_match_quoting(void)
{
    char terms[3][SUGGEST_TERM_LEN] = {"refund", "a\"b", "near"};
    char out[256];
    CHECK(suggest_match_expr(terms, 3, out, sizeof out));
    CHECK_STR(out, "\"refund\" OR \"a\"\"b\" OR \"near\"");
    CHECK(!suggest_match_expr(terms, 0, out, sizeof out));
    CHECK(!suggest_match_expr(terms, 3, out, 10));
}

static void test_injection_is_harmless(void)
{
    store *s = open_kb();
    char err[256];
    suggest *sg = suggest_open(store_db(s), err, sizeof err);
    CHECK(sg != NULL);
    static const char *const hostile[] = {
        "NEAR(refund charge) OR * kb_fts: title:", "\"refund\" AND NOT", "refund\" OR \"router",
        "^router* {title body}: -charge", "'); DROP TABLE kb; --",
    };
    suggest_hit hits[SUGGEST_TOP];
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        int n = suggest_for_text(sg, hostile[i], NULL, hits, SUGGEST_TOP);
        CHECK(n >= 0 && n <= SUGGEST_TOP);
    }
    CHECK(suggest_for_text(sg, "refund\" OR \"router", NULL, hits, SUGGEST_TOP) >= 1);
    suggest_close(sg);
    store_close(s);
}

static void test_ranking_and_fill(void)
{
    store *s = open_kb();
    char err[256];
    suggest *sg = suggest_open(store_db(s), err, sizeof err);
    suggest_fill fill = {"Maria", "Lopez", "gold", "Fibre 500", "Ana Ruiz"};
    suggest_hit hits[SUGGEST_TOP];
    static const struct { const char *utterance, *top; } cases[] = {
        {"I've been charged twice, I want a refund", "KB-REFUND"},
        {"my router keeps dropping the wifi", "KB-ROUTER"},
        {"I want to cancel my contract", "KB-CANCEL"},
        {"routers dropped", "KB-ROUTER"},   /* porter stemming */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int n = suggest_for_text(sg, cases[i].utterance, &fill, hits, SUGGEST_TOP);
        CHECK(n >= 1);
        if (n >= 1)
            CHECK_STR(hits[0].source, cases[i].top);
        for (int k = 1; k < n; k++)
            CHECK(hits[k - 1].score >= hits[k].score);
    }
    int n = suggest_for_text(sg, "refund please", &fill, hits, SUGGEST_TOP);
    CHECK_INT(n, 1);
    CHECK_STR(hits[0].text, "Sorry about that Maria, I've refunded the duplicate charge.");
    CHECK_STR(hits[0].title, "Duplicate charge refund");
    CHECK(hits[0].score > 0);
    CHECK_INT(suggest_for_text(sg, "the and of", &fill, hits, SUGGEST_TOP), 0);
    CHECK_INT(suggest_for_text(sg, "xylophone", &fill, hits, SUGGEST_TOP), 0);
    suggest_close(sg);
    store_close(s);
}

static void test_no_repeat(void)
{
    store *s = open_kb();
    char err[256];
    suggest *sg = suggest_open(store_db(s), err, sizeof err);
    char terms[1][SUGGEST_TERM_LEN] = {"bill"};
    char match[64];
    suggest_match_expr(terms, 1, match, sizeof match);
    suggest_hit hits[SUGGEST_TOP];
    int n = suggest_query(sg, match, NULL, NULL, 0, NULL, hits, SUGGEST_TOP);
    CHECK_INT(n, 3);
    const char *skip[] = {hits[0].source};
    char first[SUGGEST_SOURCE_LEN];
    strcpy(first, hits[0].source);
    n = suggest_query(sg, match, NULL, skip, 1, NULL, hits, SUGGEST_TOP);
    CHECK_INT(n, 2);
    for (int i = 0; i < n; i++)
        CHECK(strcmp(hits[i].source, first) != 0);
    suggest_close(sg);
    store_close(s);
}

static double boost_of(store *s, const char *article)
{
    sqlite3_stmt *st;
    double b = 1e9;
    sqlite3_prepare_v2(store_db(s), "SELECT boost FROM kb WHERE id = ?1", -1, &st, NULL);
    sqlite3_bind_text(st, 1, article, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        b = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    return b;
}

static void test_feedback_shifts_ranking(void)
{
    store *s = open_kb();
    char err[256];
    suggest *sg = suggest_open(store_db(s), err, sizeof err);
    suggest_hit hits[SUGGEST_TOP];
    int n = rank_text(sg, "my bill", NULL, hits);
    CHECK_INT(n, 3);
    char top[SUGGEST_SOURCE_LEN], second[SUGGEST_SOURCE_LEN];
    strcpy(top, hits[0].source);
    strcpy(second, hits[1].source);
    CHECK_INT(suggest_feedback(sg, "S-1", top, "I-1", "agent-1", "dismissed", 1000), 0);
    CHECK_INT(suggest_feedback(sg, "S-2", second, "I-1", "agent-1", "used", 1001), 0);
    CHECK_INT(suggest_feedback(sg, "S-3", second, "I-1", "agent-1", "bogus", 1002), -1);
    n = rank_text(sg, "my bill", NULL, hits);
    CHECK_INT(n, 3);
    CHECK_STR(hits[0].source, second);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(store_db(s), "SELECT count(*), sum(action = 'used') FROM suggestion_feedback", -1, &st, NULL);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(st, 0), 2);
    CHECK_INT(sqlite3_column_int(st, 1), 1);
    sqlite3_finalize(st);
    /* one vote per user, interaction and article: the same vote again is not counted */
    double before = boost_of(s, top);
    for (int i = 0; i < 5; i++)
        CHECK_INT(suggest_feedback(sg, "S-1", top, "I-1", "agent-1", "dismissed", 1500 + i), 0);
    CHECK(boost_of(s, top) == before);
    /* the boost is bounded (forty calls, one dismissal each) */
    for (int i = 0; i < 40; i++) {
        char iid[16];
        snprintf(iid, sizeof iid, "I-b%d", i);
        suggest_feedback(sg, "S-x", top, iid, "agent-1", "dismissed", 2000 + i);
    }
    CHECK(boost_of(s, top) == -SUGGEST_BOOST_LIMIT);
    suggest_close(sg);
    store_close(s);
}

static void test_fill_reply(void)
{
    static const struct { const char *tmpl; suggest_fill fill; const char *out; } cases[] = {
        {"Hi {customer.first_name}, {agent.name} here.", {"Maria", "", "", "", "Ana"}, "Hi Maria, Ana here."},
        {"Hi {customer.first_name}, thanks.", {NULL, NULL, NULL, NULL, NULL}, "Hi, thanks."},
        {"{customer.tier} / {customer.plan} / {customer.last_name}", {"", "Lopez", "gold", "Fibre", ""}, "gold / Fibre / Lopez"},
        {"unknown {field} stays {", {"M", "", "", "", ""}, "unknown {field} stays {"},
        {"Sorry about that, {customer.first_name}.", {"", "", "", "", ""}, "Sorry about that."},
        {"Of course, {customer.first_name}, I can.", {NULL, NULL, NULL, NULL, NULL}, "Of course, I can."},
        {"{customer.first_name} hello", {"", "", "", "", ""}, " hello"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[256];
        suggest_fill_reply(cases[i].tmpl, &cases[i].fill, out, sizeof out);
        CHECK_STR(out, cases[i].out);
    }
    char small[8];
    suggest_fill_reply("ééééééé", NULL, small, sizeof small);
    CHECK_STR(small, "ééé");
}

/* The call seen live in the demo: SIM-swap fraud, on the real knowledge base. The SIM swap
 * article comes first and the off-topic ones seen then ("Silences and holding on voice
 * calls", "Customer charged twice") are not shown, with or without the queue. */
static void test_fraud_example(void)
{
    char err[256];
    store *s = store_open(":memory:", err, sizeof err);
    CHECK(s != NULL);
    CHECK(import_file(s, "kb", "data/kb.json", err, sizeof err) > 0);
    suggest *sg = suggest_open(store_db(s), err, sizeof err);
    CHECK(sg != NULL);
    static const char *const queues[] = {"fraud", NULL};
    for (size_t q = 0; q < 2; q++) {
        suggest_recent r = {0};
        CHECK(suggest_recent_add(sg, &r, "I'm calling from my husband's phone. Mine suddenly says SOS only, and my "
                                         "bank just emailed me about a new payee I didn't add."));
        suggest_hit hits[SUGGEST_TOP];
        int n = suggest_search_recent(sg, &r, queues[q], NULL, 0, NULL, hits, SUGGEST_TOP);
        CHECK(n >= 1);
        if (n >= 1)
            CHECK_STR(hits[0].source, "KB-035");
        for (int i = 0; i < n; i++) {
            CHECK(strcmp(hits[i].source, "KB-092") != 0);
            CHECK(strcmp(hits[i].source, "KB-001") != 0);
        }
        /* the numbers read out next bring no off-topic article to the top */
        if (suggest_recent_add(sg, &r, "Chiara Bianchi. The number is oh seven seven oh oh, nine double oh two eight three.")) {
            /* the earlier final still leads the ranking; nothing off-topic is shown */
            n = suggest_rank_recent(sg, &r, queues[q], NULL, 0, NULL, hits, SUGGEST_TOP);
            CHECK(n >= 1);
            if (n >= 1)
                CHECK_STR(hits[0].source, "KB-035");
            n = suggest_search_recent(sg, &r, queues[q], NULL, 0, NULL, hits, SUGGEST_TOP);
            if (n >= 1)
                CHECK_STR(hits[0].source, "KB-035");
        }
    }
    suggest_close(sg);
    store_close(s);
}

/* The newest final leads; one that adds nothing known does not query again. */
static void test_recent_finals(void)
{
    store *s = open_kb();
    char err[256];
    suggest *sg = suggest_open(store_db(s), err, sizeof err);
    suggest_recent r = {0};
    suggest_hit hits[SUGGEST_TOP];
    CHECK(suggest_recent_add(sg, &r, "my router keeps dropping"));
    int n = suggest_search_recent(sg, &r, NULL, NULL, 0, NULL, hits, SUGGEST_TOP);
    CHECK(n >= 1);
    if (n >= 1)
        CHECK_STR(hits[0].source, "KB-ROUTER");
    CHECK(!suggest_recent_add(sg, &r, "the ROUTERS, dropped"));   /* same stems */
    CHECK(!suggest_recent_add(sg, &r, "xylophone um yeah"));      /* nothing the KB knows */
    CHECK(suggest_recent_add(sg, &r, "and now I want to cancel"));
    n = suggest_search_recent(sg, &r, NULL, NULL, 0, NULL, hits, SUGGEST_TOP);
    CHECK(n >= 1);
    if (n >= 1)
        CHECK_STR(hits[0].source, "KB-CANCEL");
    /* at most SUGGEST_RECENT finals are kept, the newest first */
    CHECK(suggest_recent_add(sg, &r, "a refund"));
    CHECK(suggest_recent_add(sg, &r, "the bill"));
    CHECK_INT(r.count, SUGGEST_RECENT);
    CHECK_STR(r.terms[0][0].stem, "bill");
    CHECK_STR(r.terms[1][0].stem, "refund");
    suggest_term t[SUGGEST_MAX_TERMS];
    CHECK_INT(suggest_terms_of(sg, "Charged, charging; CHARGE!", t, SUGGEST_MAX_TERMS), 1);
    CHECK_STR(t[0].stem, "charg");
    CHECK_INT(suggest_df(sg, "charg"), 3);
    CHECK_INT(suggest_df(sg, NULL), 5);
    suggest_close(sg);
    store_close(s);
}

/* Two articles matching alike: the queue's category decides. */
static void test_queue_bonus(void)
{
    char err[256];
    store *s = store_open(":memory:", err, sizeof err);
    json_t *arr = json_loads("[{\"id\":\"A-BILL\",\"title\":\"Card payment\",\"category\":\"billing\","
                             "\"body\":\"The card is charged monthly.\",\"reply\":\"r1\",\"tags\":[\"card\"]},"
                             "{\"id\":\"A-FRAUD\",\"title\":\"Card stolen\",\"category\":\"fraud\","
                             "\"body\":\"The card is blocked at once.\",\"reply\":\"r2\",\"tags\":[\"card\"]},"
                             "{\"id\":\"A-OTHER\",\"title\":\"Router\",\"category\":\"devices\","
                             "\"body\":\"Restart it.\",\"reply\":\"r3\",\"tags\":[]}]", 0, NULL);
    CHECK_INT(import_json(s, "kb", arr, "kb.json", err, sizeof err), 3);
    json_decref(arr);
    suggest *sg = suggest_open(store_db(s), err, sizeof err);
    static const struct { const char *queue, *top; } cases[] = {
        {"billing", "A-BILL"}, {"fraud", "A-FRAUD"}, {"delivery", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        suggest_hit hits[SUGGEST_TOP];
        int n = rank_text(sg, "something about my card", cases[i].queue, hits);
        CHECK(n >= 2);
        if (cases[i].top && n >= 1)
            CHECK_STR(hits[0].source, cases[i].top);
        for (int k = 1; k < n; k++)
            CHECK(hits[k - 1].score >= hits[k].score);
    }
    CHECK(suggest_category_serves("devices", "tech"));
    CHECK(suggest_category_serves("billing", "billing"));
    CHECK(!suggest_category_serves("billing", "tech"));
    CHECK(!suggest_category_serves(NULL, "tech"));
    suggest_close(sg);
    store_close(s);
}

/* A call's batches never repeat an article, as the stage skips the ones shown. */
static void test_no_repeat_across_finals(void)
{
    char err[256];
    store *s = store_open(":memory:", err, sizeof err);
    CHECK(import_file(s, "kb", "data/kb.json", err, sizeof err) > 0);
    suggest *sg = suggest_open(store_db(s), err, sizeof err);
    static const char *const finals[] = {
        "My broadband drops every single evening.", "You sent me a new router, it's still dropping.",
        "I'm working from home and my calls keep cutting out.", "So why did nobody spot that before?",
        "When can the engineer come?",
    };
    suggest_recent r = {0};
    char shown[32][SUGGEST_SOURCE_LEN];
    const char *skip[32];
    size_t nshown = 0;
    for (size_t f = 0; f < sizeof finals / sizeof finals[0]; f++) {
        if (!suggest_recent_add(sg, &r, finals[f]))
            continue;
        suggest_hit hits[SUGGEST_TOP];
        int n = suggest_rank_recent(sg, &r, "tech", skip, nshown, NULL, hits, SUGGEST_TOP);
        for (int i = 0; i < n && nshown < 32; i++) {
            for (size_t k = 0; k < nshown; k++)
                CHECK(strcmp(shown[k], hits[i].source) != 0);
            strcpy(shown[nshown], hits[i].source);
            skip[nshown] = shown[nshown];
            nshown++;
        }
    }
    CHECK(nshown >= 6);
    suggest_close(sg);
    store_close(s);
}

/* Feedback moves an article within the recent-finals search too, and the knowledge base
 * re-read after an import on the same connection knows the new words. */
static void test_feedback_and_refresh(void)
{
    store *s = open_kb();
    char err[256];
    suggest *sg = suggest_open(store_db(s), err, sizeof err);
    suggest_recent r = {0};
    suggest_hit hits[SUGGEST_TOP];
    CHECK(suggest_recent_add(sg, &r, "my bill"));
    CHECK_INT(suggest_rank_recent(sg, &r, "billing", NULL, 0, NULL, hits, SUGGEST_TOP), 3);
    char top[SUGGEST_SOURCE_LEN];
    strcpy(top, hits[0].source);
    for (int i = 0; i < 4; i++)
        CHECK_INT(suggest_feedback(sg, "S-1", top, "I-1", "agent-1", "dismissed", 1000 + i), 0);
    CHECK_INT(suggest_rank_recent(sg, &r, "billing", NULL, 0, NULL, hits, SUGGEST_TOP), 3);
    CHECK(strcmp(hits[0].source, top) != 0);
    CHECK_INT(suggest_df(sg, "xylophon"), 0);
    json_t *arr = json_loads("[{\"id\":\"KB-X\",\"title\":\"Xylophone lessons\",\"category\":\"sales\","
                             "\"body\":\"We do not sell them.\",\"reply\":\"No.\",\"tags\":[]}]", 0, NULL);
    CHECK_INT(import_json(s, "kb", arr, "kb.json", err, sizeof err), 1);
    json_decref(arr);
    suggest_refresh(sg);
    CHECK_INT(suggest_df(sg, "xylophon"), 1);
    CHECK_INT(suggest_df(sg, NULL), 6);
    CHECK_INT(suggest_for_text(sg, "xylophones", NULL, hits, SUGGEST_TOP), 1);
    suggest_close(sg);
    store_close(s);
}

/* An article's examples bring it up for a phrasing that shares no word with its text, and
 * the model is rebuilt when only the examples change (another connection's import). */
static void test_examples_teach(void)
{
    char err[256], path[] = "/tmp/test_suggest.XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    store *s = store_open(path, err, sizeof err);
    CHECK(s != NULL);
    json_t *arr = json_loads("[{\"id\":\"KB-DEATH\",\"title\":\"Bereavement\",\"category\":\"accessibility\","
                             "\"body\":\"Close or transfer the account of an account holder who died.\",\"reply\":\"r1\","
                             "\"examples\":[\"my husband passed away last month\",\"I'm calling because my mum has died\","
                             "\"I've recently been widowed\",\"my father passed away\",\"I need to tell you about a death\"]},"
                             "{\"id\":\"KB-NET\",\"title\":\"Internet down\",\"category\":\"devices\","
                             "\"body\":\"The internet connection has died: check the router.\",\"reply\":\"r2\"}]", 0, NULL);
    CHECK_INT(import_json(s, "kb", arr, "kb.json", err, sizeof err), 2);
    json_decref(arr);
    suggest *sg = suggest_open(store_db(s), err, sizeof err);
    suggest_hit hits[SUGGEST_TOP];
    int n = suggest_for_text(sg, "my wife passed away on Sunday", NULL, hits, SUGGEST_TOP);
    CHECK(n >= 1);
    if (n >= 1) {
        CHECK_STR(hits[0].source, "KB-DEATH");
        CHECK(hits[0].confidence >= SUGGEST_MIN_CONFIDENCE && hits[0].confidence <= 1);
    }
    /* "died" is in the internet article's text; the examples know a bereaved caller */
    n = rank_text(sg, "my father died and the account is in his name", NULL, hits);
    CHECK(n >= 1);
    if (n >= 1)
        CHECK_STR(hits[0].source, "KB-DEATH");
    CHECK_INT(rank_text(sg, "the hamster chewed the flux capacitor", NULL, hits), 0);
    /* examples changed by another connection, the text not: the next search sees them */
    store *other = store_open(path, err, sizeof err);
    arr = json_loads("[{\"id\":\"KB-NET\",\"title\":\"Internet down\",\"category\":\"devices\","
                     "\"body\":\"The internet connection has died: check the router.\",\"reply\":\"r2\","
                     "\"examples\":[\"the hamster chewed the flux capacitor\"]}]", 0, NULL);
    CHECK_INT(import_json(other, "kb", arr, "kb.json", err, sizeof err), 1);
    json_decref(arr);
    store_close(other);
    n = suggest_for_text(sg, "the hamster chewed the flux capacitor", NULL, hits, SUGGEST_TOP);
    CHECK(n >= 1);
    if (n >= 1)
        CHECK_STR(hits[0].source, "KB-NET");
    suggest_close(sg);
    store_close(s);
    unlink(path);
    char side[64];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

/* No suggestion beats a wrong one: on the demo knowledge base an utterance about nothing it
 * covers is ranked (something always comes first) but below the threshold, so nothing is
 * shown; one it covers is shown, best first. */
static void test_confidence_threshold(void)
{
    char err[256];
    store *s = store_open(":memory:", err, sizeof err);
    CHECK(import_file(s, "kb", "data/kb.json", err, sizeof err) > 0);
    suggest *sg = suggest_open(store_db(s), err, sizeof err);
    static const char *const away[] = {
        "what's the weather going to be like in Lisbon tomorrow",
        "can you recommend a good recipe for lasagne",
        "who won the football last night",
    };
    suggest_hit hits[SUGGEST_TOP];
    for (size_t i = 0; i < sizeof away / sizeof away[0]; i++) {
        CHECK_INT(suggest_for_text(sg, away[i], NULL, hits, SUGGEST_TOP), 0);
        int n = rank_text(sg, away[i], NULL, hits);
        for (int k = 0; k < n; k++)
            CHECK(hits[k].confidence < SUGGEST_MIN_CONFIDENCE);
    }
    int n = suggest_for_text(sg, "I think someone has swapped my SIM, my phone just says SOS", NULL, hits, SUGGEST_TOP);
    CHECK(n >= 1);
    if (n >= 1)
        CHECK_STR(hits[0].source, "KB-035");
    for (int k = 0; k < n; k++) {
        CHECK(hits[k].confidence >= SUGGEST_MIN_CONFIDENCE);
        if (k)
            CHECK(hits[k - 1].score >= hits[k].score);
    }
    suggest_close(sg);
    store_close(s);
}

/* data/synonyms.tsv folds a word to the form an example used; a bad table is refused with
 * its line. */
static void test_synonyms(void)
{
    char err[256] = "";
    suggest_synonyms *syn = suggest_synonyms_load("data/synonyms.tsv", err, sizeof err);
    CHECK(syn != NULL);
    CHECK_STR(suggest_intent_canonical(syn, "invoice"), "bill");
    CHECK_STR(suggest_intent_canonical(syn, "acct"), "account");
    CHECK_STR(suggest_intent_canonical(syn, "router"), "router");
    CHECK_STR(suggest_intent_canonical(NULL, "invoice"), "invoice");
    suggest_synonyms_free(syn);
    char path[] = "/tmp/test_synonyms.XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    static const char bad[] = "# ok\nfoo\tbar\nBad Word\tx\n";
    CHECK(write(fd, bad, sizeof bad - 1) == (ssize_t)(sizeof bad - 1));
    close(fd);
    CHECK(suggest_synonyms_load(path, err, sizeof err) == NULL);
    CHECK(strstr(err, ": line 3: ") != NULL);
    unlink(path);

    store *s = store_open(":memory:", err, sizeof err);
    json_t *arr = json_loads("[{\"id\":\"KB-BILL\",\"title\":\"Bill\",\"category\":\"billing\",\"body\":\"Explain it.\","
                             "\"reply\":\"r\",\"examples\":[\"my bill is wrong\",\"there's a mistake on my bill\"]},"
                             "{\"id\":\"KB-TV\",\"title\":\"TV box\",\"category\":\"devices\",\"body\":\"Restart it.\","
                             "\"reply\":\"r\",\"examples\":[\"my tv box is wrong\"]}]", 0, NULL);
    CHECK_INT(import_json(s, "kb", arr, "kb.json", err, sizeof err), 2);
    json_decref(arr);
    suggest *sg = suggest_open(store_db(s), err, sizeof err);
    suggest_hit hits[SUGGEST_TOP];
    int n = rank_text(sg, "a mistake on my invoice", NULL, hits);
    double before = n >= 1 && !strcmp(hits[0].source, "KB-BILL") ? hits[0].confidence : 0;
    CHECK_INT(suggest_use_synonyms(sg, "data/synonyms.tsv", err, sizeof err), 0);
    n = rank_text(sg, "a mistake on my invoice", NULL, hits);
    CHECK(n >= 1);
    if (n >= 1) {
        CHECK_STR(hits[0].source, "KB-BILL");
        CHECK(hits[0].confidence > before);
    }
    CHECK_INT(suggest_use_synonyms(sg, "/nonexistent/synonyms.tsv", err, sizeof err), -1);
    suggest_close(sg);
    store_close(s);
}

int main(void)
{
    RUN(test_content_words);
    RUN(test_match_quoting);
    RUN(test_injection_is_harmless);
    RUN(test_ranking_and_fill);
    RUN(test_no_repeat);
    RUN(test_feedback_shifts_ranking);
    RUN(test_fill_reply);
    RUN(test_fraud_example);
    RUN(test_recent_finals);
    RUN(test_queue_bonus);
    RUN(test_no_repeat_across_finals);
    RUN(test_feedback_and_refresh);
    RUN(test_examples_teach);
    RUN(test_confidence_threshold);
    RUN(test_synonyms);
    return check_done("test_suggest");
}
