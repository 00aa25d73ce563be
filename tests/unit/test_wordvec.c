/* test_wordvec.c — the word vectors file (hub/assist/wordvec.h): a good file is read and
 * looked up; a missing, truncated, padded or corrupt one is refused with its reason, never
 * read past its end; data/wordvec.bin itself loads and knows near words from far ones; the
 * suggester stays lexical without it and refuses a broken one; a word's nearest words among
 * the examples' (the intent model's neighbours) are the close ones, remembered. */
#include "tests/unit/check.h"
#include "hub/assist/suggest.h"
#include "hub/assist/suggest_embed.h"
#include "hub/assist/suggest_intent.h"
#include "hub/assist/wordvec.h"
#include "hub/store/import.h"
#include "hub/store/store.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A file of `n` words of 4 dimensions: header, words, vectors. */
static size_t make_file(unsigned char *out, const char *const *words, int n, const int8_t (*vec)[4])
{
    size_t o = 0, wbytes = 0;
    for (int i = 0; i < n; i++)
        wbytes += strlen(words[i]) + 1;
    memcpy(out, "ADWVEC1\n", 8);
    o = 8;
    uint32_t h[3] = {(uint32_t)n, 4, (uint32_t)wbytes};
    for (int k = 0; k < 3; k++)
        for (int b = 0; b < 4; b++)
            out[o++] = (unsigned char)(h[k] >> (8 * b));
    for (int i = 0; i < n; i++) {
        memcpy(out + o, words[i], strlen(words[i]) + 1);
        o += strlen(words[i]) + 1;
    }
    for (int i = 0; i < n; i++) {
        memcpy(out + o, vec[i], 4);
        o += 4;
    }
    return o;
}

static void write_file(const char *path, const unsigned char *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK(fwrite(b, 1, n, f) == n);
    fclose(f);
}

static const char *const good_words[] = {"bill", "invoice", "router"};
static const int8_t good_vec[][4] = {{100, 0, 0, 0}, {90, 10, 0, 0}, {0, 0, -50, 0}};

static void test_good_file(void)
{
    char path[] = "/tmp/test_wordvec.XXXXXX", err[256] = "";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    unsigned char b[256];
    write_file(path, b, make_file(b, good_words, 3, good_vec));
    bool missing = true;
    wordvec *wv = wordvec_load(path, &missing, err, sizeof err);
    CHECK(wv != NULL);
    CHECK(!missing);
    CHECK_INT(wordvec_dims(wv), 4);
    CHECK_INT(wordvec_count(wv), 3);
    CHECK_INT(wordvec_find(wv, "bill"), 0);
    CHECK_INT(wordvec_find(wv, "router"), 2);
    CHECK_INT(wordvec_find(wv, "modem"), -1);     /* a missing word */
    CHECK_INT(wordvec_find(wv, ""), -1);
    CHECK_INT(wordvec_find(wv, "bills"), -1);
    /* unit length whatever the stored scale; an index out of range adds nothing */
    float acc[4] = {0};
    wordvec_add(wv, 2, 2.0f, acc);
    CHECK(fabsf(acc[2] + 2.0f) < 1e-5f && acc[0] == 0);
    wordvec_add(wv, 3, 1.0f, acc);
    wordvec_add(wv, -1, 1.0f, acc);
    CHECK(fabsf(acc[2] + 2.0f) < 1e-5f && acc[0] == 0 && acc[1] == 0 && acc[3] == 0);
    wordvec_free(wv);
    unlink(path);
}

/* Every broken form of the good file is refused with a reason naming the file. */
static void test_bad_files(void)
{
    char path[] = "/tmp/test_wordvec.XXXXXX", err[256] = "";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    unsigned char good[256], b[300];
    size_t n = make_file(good, good_words, 3, good_vec);
    /* every truncation, down to the empty file */
    for (size_t cut = 0; cut < n; cut++) {
        write_file(path, good, cut);
        bool missing = true;
        err[0] = 0;
        wordvec *wv = wordvec_load(path, &missing, err, sizeof err);
        CHECK(wv == NULL);
        CHECK(!missing);
        CHECK(strstr(err, path) == err);
        wordvec_free(wv);
    }
    /* a byte too many */
    memcpy(b, good, n);
    b[n] = 0;
    write_file(path, b, n + 1);
    CHECK(wordvec_load(path, NULL, err, sizeof err) == NULL);
    /* a corrupt header: the magic, a huge count, zero or too many dimensions, a word list
     * longer than the file */
    static const struct {
        size_t at;
        unsigned char byte;
    } flips[] = {{0, 'X'}, {11, 0x7f}, {12, 0}, {13, 0x10}, {19, 0x7f}, {16, 0xff}};
    for (size_t i = 0; i < sizeof flips / sizeof flips[0]; i++) {
        memcpy(b, good, n);
        if (flips[i].at == 12)
            memset(b + 12, 0, 4);
        else
            b[flips[i].at] = flips[i].byte;
        write_file(path, b, n);
        err[0] = 0;
        CHECK(wordvec_load(path, NULL, err, sizeof err) == NULL);
        CHECK(err[0] != 0);
    }
    /* words out of order, and a word that is not lowercase letters */
    static const char *const unsorted[] = {"invoice", "bill", "router"};
    write_file(path, b, make_file(b, unsorted, 3, good_vec));
    CHECK(wordvec_load(path, NULL, err, sizeof err) == NULL);
    CHECK(strstr(err, "out of order") != NULL);
    static const char *const upper[] = {"Bill", "invoice", "router"};
    write_file(path, b, make_file(b, upper, 3, good_vec));
    CHECK(wordvec_load(path, NULL, err, sizeof err) == NULL);
    CHECK(strstr(err, "lowercase") != NULL);
    /* the NUL of the last word missing: the list would run into the vectors */
    n = make_file(b, good_words, 3, good_vec);
    b[8 + 12 + strlen("bill") + 1 + strlen("invoice") + 1 + strlen("router")] = 'x';
    write_file(path, b, n);
    CHECK(wordvec_load(path, NULL, err, sizeof err) == NULL);
    unlink(path);
    bool missing = false;
    CHECK(wordvec_load("/nonexistent/wordvec.bin", &missing, err, sizeof err) == NULL);
    CHECK(missing);
}

/* The project's file: near words nearer than far ones. */
static void test_data_file(void)
{
    char err[256] = "";
    wordvec *wv = wordvec_load("data/" SUGGEST_WORDVEC_FILE, NULL, err, sizeof err);
    if (!wv)
        fprintf(stderr, "  %s\n", err);
    CHECK(wv != NULL);
    if (!wv)
        return;
    CHECK(wordvec_count(wv) >= 30000);
    int dims = wordvec_dims(wv);
    float wife[WORDVEC_DIMS_MAX] = {0}, husband[WORDVEC_DIMS_MAX] = {0}, router[WORDVEC_DIMS_MAX] = {0};
    CHECK(wordvec_find(wv, "wife") >= 0 && wordvec_find(wv, "husband") >= 0 && wordvec_find(wv, "router") >= 0);
    wordvec_add(wv, wordvec_find(wv, "wife"), 1, wife);
    wordvec_add(wv, wordvec_find(wv, "husband"), 1, husband);
    wordvec_add(wv, wordvec_find(wv, "router"), 1, router);
    float near = 0, far = 0;
    for (int d = 0; d < dims; d++) {
        near += wife[d] * husband[d];
        far += wife[d] * router[d];
    }
    CHECK(near > 0.7f && far < 0.3f);
    wordvec_free(wv);
}

/* Beside the synonyms table: missing keeps the suggester working (lexical), a broken file
 * is an error naming it. */
static void test_suggester(void)
{
    char dir[] = "/tmp/test_wordvec.XXXXXX", syn[128], vec[128], err[256] = "";
    CHECK(mkdtemp(dir) != NULL);
    snprintf(syn, sizeof syn, "%s/synonyms.tsv", dir);
    snprintf(vec, sizeof vec, "%s/" SUGGEST_WORDVEC_FILE, dir);
    write_file(syn, (const unsigned char *)"invoice\tbill\n", 13);
    store *s = store_open(":memory:", err, sizeof err);
    json_t *arr = json_loads("[{\"id\":\"KB-BILL\",\"title\":\"Bill\",\"category\":\"billing\",\"body\":\"Explain it.\","
                             "\"reply\":\"r\",\"examples\":[\"my bill is wrong\"]}]", 0, NULL);
    CHECK_INT(import_json(s, "kb", arr, "kb.json", err, sizeof err), 1);
    json_decref(arr);
    suggest *sg = suggest_open(store_db(s), err, sizeof err);
    CHECK_INT(suggest_use_synonyms(sg, syn, err, sizeof err), 0);
    suggest_hit hits[SUGGEST_TOP];
    CHECK(suggest_for_text(sg, "my invoice is wrong", NULL, hits, SUGGEST_TOP) >= 1);
    write_file(vec, (const unsigned char *)"ADWVEC1\n\1\0\0\0", 12);
    CHECK_INT(suggest_use_synonyms(sg, syn, err, sizeof err), -1);
    CHECK(strstr(err, vec) != NULL);
    /* the model kept its tables */
    CHECK(suggest_for_text(sg, "my invoice is wrong", NULL, hits, SUGGEST_TOP) >= 1);
    suggest_close(sg);
    store_close(s);
    unlink(vec);
    unlink(syn);
    rmdir(dir);
}

/* The point of the vectors: an utterance sharing no word with any example still ranks
 * its article first ("modem" is no word of the internet article's examples); without the
 * vectors (no synonyms set, so no wordvec.bin) it does not. Ranked straight from the
 * final: alone, the vectors' share (at most 0.17) never reaches the confidence threshold,
 * so the stage would not search for it (suggest_recent_add). */
static void test_paraphrase(void)
{
    char err[256] = "";
    store *s = store_open(":memory:", err, sizeof err);
    json_t *arr = json_loads("[{\"id\":\"KB-CARD\",\"title\":\"Lost card\",\"category\":\"account\","
                             "\"body\":\"Block it.\",\"reply\":\"r\",\"examples\":[\"I lost my card\","
                             "\"my card was stolen yesterday\"]},"
                             "{\"id\":\"KB-NET\",\"title\":\"Internet down\",\"category\":\"devices\","
                             "\"body\":\"Check the lights.\",\"reply\":\"r\",\"examples\":[\"the internet is down\","
                             "\"the wifi keeps dropping\"]}]", 0, NULL);
    CHECK_INT(import_json(s, "kb", arr, "kb.json", err, sizeof err), 2);
    json_decref(arr);
    suggest *sg = suggest_open(store_db(s), err, sizeof err);
    suggest_recent r = {0};
    r.count = 1;
    snprintf(r.text[0], sizeof r.text[0], "modem broken");
    suggest_hit hits[SUGGEST_TOP];
    int n = suggest_rank_recent(sg, &r, NULL, NULL, 0, NULL, hits, 1);
    CHECK(n == 0 || strcmp(hits[0].source, "KB-NET") != 0);
    CHECK_INT(suggest_use_synonyms(sg, "data/synonyms.tsv", err, sizeof err), 0);
    n = suggest_rank_recent(sg, &r, NULL, NULL, 0, NULL, hits, 1);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_STR(hits[0].source, "KB-NET");
    suggest_close(sg);
    store_close(s);
}

/* Neighbours: the examples' words at a cosine of at least 0.5, best first, the word's own
 * stem left out; asked again, the same (remembered). In the intent model, an utterance whose
 * only word is a neighbour of an example's word scores that article above what the vectors'
 * share alone can give (0.2 x cosine - 0.03 <= 0.17). */
static void test_neighbours(void)
{
    /* cosines with bill: fee 0.6, invoice 0.99, refund 0.3, router 0 */
    static const char *const words[] = {"bill", "fee", "invoice", "refund", "router"};
    static const int8_t vec[][4] = {{100, 0, 0, 0}, {60, 80, 0, 0}, {90, 10, 0, 0}, {30, 95, 0, 0}, {0, 0, -50, 0}};
    char path[] = "/tmp/test_wordvec.XXXXXX", err[256] = "";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    unsigned char b[256];
    write_file(path, b, make_file(b, words, 5, vec));
    wordvec *wv = wordvec_load(path, NULL, err, sizeof err);
    CHECK(wv != NULL);
    if (!wv)
        return;
    suggest_embed *e = suggest_embed_new(wv);
    uint32_t f[EMBED_NEIGHBOURS];
    float c[EMBED_NEIGHBOURS];
    embed_word invoice = {wordvec_find(wv, "invoice"), UINT32_MAX}, bill = {wordvec_find(wv, "bill"), 1},
               router = {wordvec_find(wv, "router"), 3};
    CHECK_INT(suggest_embed_neighbours(e, &invoice, f, c), 0);   /* not built */
    embed_word a0[] = {bill, {wordvec_find(wv, "fee"), 2}}, a1[] = {router, {wordvec_find(wv, "refund"), 4}};
    suggest_embed_add(e, 0, a0, 2);
    suggest_embed_add(e, 1, a1, 2);
    float idf[5] = {1, 1, 1, 1, 1};
    suggest_embed_build(e, 2, idf, 1);
    for (int again = 0; again < 2; again++) {
        CHECK_INT(suggest_embed_neighbours(e, &invoice, f, c), 2);
        CHECK(f[0] == 1 && f[1] == 2);
        CHECK(fabsf(c[0] - 0.994f) < 0.01f && fabsf(c[1] - 0.685f) < 0.01f);
    }
    CHECK_INT(suggest_embed_neighbours(e, &bill, f, c), 1);   /* itself left out */
    CHECK(f[0] == 2);
    CHECK_INT(suggest_embed_neighbours(e, &router, f, c), 0); /* refund is too far */
    suggest_embed_free(e);

    suggest_intent *m = suggest_intent_new(NULL, wv);
    suggest_intent_add(m, 0, "bill");
    suggest_intent_add(m, 1, "router");
    CHECK_INT(suggest_intent_build(m, 2), 0);
    intent_hit hits[2];
    int n = suggest_intent_query(m, "invoice", hits, 2);
    CHECK(n >= 1);
    if (n >= 1) {
        CHECK_INT(hits[0].article, 0);
        CHECK(hits[0].score > 0.2f && hits[0].score <= 1);
    }
    suggest_intent_free(m);
    wordvec_free(wv);
    unlink(path);
}

int main(void)
{
    RUN(test_good_file);
    RUN(test_bad_files);
    RUN(test_data_file);
    RUN(test_suggester);
    RUN(test_paraphrase);
    RUN(test_neighbours);
    return check_done("test_wordvec");
}
