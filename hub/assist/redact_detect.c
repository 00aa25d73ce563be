/* redact_detect.c — the PII detectors behind redact_find(): one function per format, run
 * in priority order over one scan of the text. Checks that make a match believable (Luhn,
 * IBAN mod-97, SSN area rules, NI prefix rules, a context word for security codes and dates
 * of birth) keep order numbers, amounts, times and account numbers out. A card that is
 * incomplete (a partial utterance still growing) or fails Luhn is caught by its shape or by
 * card words before it, unless words such as "order" or "account" name the number. */
#include "hub/assist/redact_scan.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ---- digit groups ------------------------------------------------------------------ */

#define MAX_GROUPS 24
typedef struct {
    size_t end[MAX_GROUPS];   /* byte offset after each group */
    int digits[MAX_GROUPS];   /* digits counted up to that group's end */
    int n;
} groups;

/* Digit groups from i joined by single separators in `seps`. Returns the end of the run. */
static size_t scan_groups(const scan *sc, size_t i, const char *seps, groups *g)
{
    int digits = 0;
    g->n = 0;
    while (i < sc->len && is_digit(at(sc, i))) {
        while (i < sc->len && is_digit(at(sc, i))) {
            i++;
            digits++;
        }
        if (g->n == MAX_GROUPS)
            break;
        g->end[g->n] = i;
        g->digits[g->n] = digits;
        g->n++;
        if (i + 1 < sc->len && at(sc, i) && strchr(seps, at(sc, i)) && is_digit(at(sc, i + 1)))
            i++;
        else if (strchr(seps, '-') && at(sc, i) == ' ' && at(sc, i + 1) == '-' && at(sc, i + 2) == ' ' &&
                 is_digit(at(sc, i + 3)))
            i += 3;   /* "4111 - 1111", as a chat user types it */
        else
            break;
    }
    return g->n ? g->end[g->n - 1] : i;
}

int redact_luhn_ok(const char *s, size_t len)
{
    int sum = 0, n = 0;
    for (size_t i = len; i-- > 0;) {
        if (!is_digit((unsigned char)s[i]))
            continue;
        int d = s[i] - '0';
        if (n % 2 == 1) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
        n++;
    }
    return n >= 2 && sum % 10 == 0;
}

/* ---- card numbers ------------------------------------------------------------------ */

/* Speech recognition sends a card number as it grows ("4111 1111", "4111 1111 1111 111", …)
 * and the hub shows and records those partials like finals: 15 digits and a computable check
 * digit give the whole card away, so a card that is incomplete or fails Luhn is still a card
 * when its shape or the words before it say so. */

static const char *const card_words[] = {
    "card", "cards", "visa", "mastercard", "amex", "debit", "credit", "maestro", NULL
};
static const char *const card_phrases[] = {
    "long number", "number on the front", "numbers on the front", "american express", NULL
};
/* Nouns that make the number after them something else than a card. */
static const char *const not_card_words[] = {
    "account", "acct", "order", "reference", "ref", "invoice", "ticket", "case", "tracking",
    "parcel", "policy", "claim", "receipt", "transaction", "booking", "confirmation", "customer",
    "member", "membership", "serial", "model", "version", "phone", "mobile", "landline", "call",
    "ring", "text", "helpline", "ssn", "social", "insurance", "ni", "iban", "sort", "routing",
    "born", "birth", "dob", "zip", "postcode", "mandate", "id", "limit", "balance", "amount",
    "total", NULL
};

#define CARD_CONTEXT_WORDS 5


/* What the few words before the number at i make of it, the nearest deciding: 1 a card word
 * ("my card is"), -1 a noun of something else ("account", "order"), 0 neither (or another
 * number or a sentence end comes first, and the context belongs to that). */
static int card_context_at(const scan *sc, size_t i)
{
    size_t j = i;
    for (int w = 0; w < CARD_CONTEXT_WORDS; w++) {
        while (j > 0 && sc->s[j - 1] && strchr(" ,:-'\"(", sc->s[j - 1]))
            j--;
        if (j == 0 || !is_alnum((unsigned char)sc->s[j - 1]))
            return 0;
        size_t ws = j;
        while (ws > 0 && is_alnum((unsigned char)sc->s[ws - 1]))
            ws--;
        for (size_t k = ws; k < j; k++)
            if (is_digit(at(sc, k)))
                return 0;
        for (const char *const *p = card_phrases; *p; p++) {
            size_t pl = strlen(*p);
            if (j >= pl && memcmp(sc->low + j - pl, *p, pl) == 0 && word_start(sc, j - pl))
                return 1;
        }
        if (word_among(sc, ws, j, card_words))
            return 1;
        if (word_among(sc, ws, j, not_card_words))
            return -1;
        j = ws;
    }
    return 0;
}

/* Digits of group k alone. */
static int group_width(const groups *g, int k)
{
    return g->digits[k] - (k ? g->digits[k - 1] : 0);
}

/* The end of the longest prefix of the run at i that is a whole, Luhn-valid card; 0 if none. */
static size_t whole_card_end(const scan *sc, size_t i, const groups *g)
{
    for (int k = g->n - 1; k >= 0; k--)
        if (g->digits[k] >= 13 && g->digits[k] <= 19 && !is_alpha(at(sc, g->end[k])) &&
            redact_luhn_ok(sc->s + i, g->end[k] - i))
            return g->end[k];
    return 0;
}

/* How many groups of the run have the shape of a card being read out: three or more groups
 * of four ("4111 1111 1111 1…") then at most one shorter group, at most 19 digits; or Amex's
 * 4-6-5 from its 34/37 prefix ("3782 822463 1…"). 0 when the run has neither shape. */
static int card_shape_groups(const scan *sc, size_t i, const groups *g)
{
    int k = 0;
    while (k < g->n && g->digits[k] <= 19) {
        int w = group_width(g, k);
        if (w < 1 || w > 4 || (k < 3 && w != 4))
            break;
        k++;
        if (w != 4)
            break;
    }
    if (k >= 3)
        return k;
    bool amex = at(sc, i) == '3' && (at(sc, i + 1) == '4' || at(sc, i + 1) == '7');
    if (amex && g->n >= 2 && group_width(g, 0) == 4 && group_width(g, 1) == 6)
        return g->n >= 3 && group_width(g, 2) <= 5 ? 3 : 2;
    return 0;
}

/* A date written with spaces or dashes ("2024-03-12", "12 03 2024") is no card. */
static bool date_shaped(const groups *g)
{
    if (g->n != 3)
        return false;
    int a = group_width(g, 0), b = group_width(g, 1), c = group_width(g, 2);
    return (a == 4 && b <= 2 && c <= 2) || (a <= 2 && b <= 2 && c == 4);
}

/* A US phone number, 3-3-4, is left to the phone detector. */
static bool us_phone_shaped(const groups *g)
{
    return g->n == 3 && group_width(g, 0) == 3 && group_width(g, 1) == 3 && group_width(g, 2) == 4;
}

/* The end of an incomplete or Luhn-failing card at i, from its shape (unless the words
 * before it name something else) or from card words before a run of 8 or more digits; 0 if
 * it is not one. */
static size_t partial_card_end(const scan *sc, size_t i, const groups *g)
{
    int context = card_context_at(sc, i);
    if (context < 0)
        return 0;
    int k = card_shape_groups(sc, i, g);
    if (k > 0 && !is_alpha(at(sc, g->end[k - 1])))
        return g->end[k - 1];
    size_t run_end = g->end[g->n - 1];
    if (context > 0 && g->digits[g->n - 1] >= 8 && !is_alpha(at(sc, run_end)) && !date_shaped(g) &&
        !us_phone_shaped(g))
        return run_end;
    return 0;
}

/* Is the number at i the tail of an IBAN's space-separated groups ("GB82 WEST 1234 …",
 * "DE89 3704 …"), one that failed its check? Its account part is not a card. */
static bool after_iban_groups(const scan *sc, size_t i)
{
    size_t j = i;
    for (int k = 0; k < 8; k++) {
        if (j < 5 || sc->s[j - 1] != ' ')
            return false;
        size_t ws = j - 5;
        for (size_t c = ws; c < j - 1; c++)
            if (!is_alnum((unsigned char)sc->s[c]))
                return false;
        if (!word_start(sc, ws))
            return false;
        if (is_alpha(at(sc, ws)) && is_alpha(at(sc, ws + 1)) && is_digit(at(sc, ws + 2)) && is_digit(at(sc, ws + 3)))
            return true;
        j = ws;
    }
    return false;
}

static void detect_cards(scan *sc)
{
    for (size_t i = 0; i < sc->len; i++) {
        if (!is_digit(at(sc, i)) || !number_start_ok(sc, i) || (i > 0 && sc->s[i - 1] == '+'))
            continue;
        groups g;
        /* groups as people write them: "4111 1111", "4111-1111", "4111.1111", "4111/1111",
         * "4111_1111" (runs of separators are one in the normalised copy) */
        size_t run_end = scan_groups(sc, i, " -._/", &g);
        /* no card starts with 0: "020 7946 0958" is a phone */
        if (at(sc, i) != '0' && !after_iban_groups(sc, i)) {
            size_t end = whole_card_end(sc, i, &g);
            if (!end)
                end = partial_card_end(sc, i, &g);
            if (end)
                add_span(sc, i, end, REDACT_CARD);
        }
        i = run_end > i ? run_end - 1 : i;
    }
}

/* ---- e-mail addresses -------------------------------------------------------------- */

static bool email_local_char(int c) { return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'; }
static bool email_domain_char(int c) { return is_alnum(c) || c == '.' || c == '-'; }

static void detect_written_emails(scan *sc)
{
    for (size_t p = 0; p < sc->len; p++) {
        if (sc->s[p] != '@')
            continue;
        size_t a = p;
        while (a > 0 && email_local_char((unsigned char)sc->s[a - 1]))
            a--;
        while (a < p && (sc->s[a] == '.' || sc->s[a] == '-'))
            a++;
        size_t b = p + 1;
        while (b < sc->len && email_domain_char(at(sc, b)))
            b++;
        while (b > p + 1 && (sc->s[b - 1] == '.' || sc->s[b - 1] == '-'))
            b--;
        if (a == p || b == p + 1)
            continue;
        /* the domain needs a dot and a top-level label of at least two letters */
        size_t dot = b;
        while (dot > p + 1 && sc->s[dot - 1] != '.')
            dot--;
        if (dot <= p + 2 || b - dot < 2)
            continue;
        bool tld_ok = true;
        for (size_t k = dot; k < b; k++)
            if (!is_alpha(at(sc, k)))
                tld_ok = false;
        if (tld_ok)
            add_span(sc, a, b, REDACT_EMAIL);
        p = b;
    }
}

static const char *const spoken_tlds[] = {
    "com", "net", "org", "co", "uk", "ie", "de", "fr", "es", "nl", "io", "edu", "gov", "info",
    "eu", "us", "ca", "au", NULL
};

static size_t word_len_at(const scan *sc, size_t i)
{
    size_t k = i;
    while (k < sc->len && is_alnum(at(sc, k)))
        k++;
    return k - i;
}

/* "john dot smith at example dot com", as a caller spells it out. */
static void detect_spoken_emails(scan *sc)
{
    size_t from = 0, ks;
    size_t after;
    while ((after = find_kw(sc, "at", from, &ks)) != 0) {
        from = after;
        if (ks < 2 || sc->s[ks - 1] != ' ' || after >= sc->len || sc->s[after] != ' ')
            continue;
        /* right side: word ( dot word )+, the last word a top-level domain */
        size_t r = after + 1, end = 0;
        size_t wl = word_len_at(sc, r);
        if (wl == 0)
            continue;
        r += wl;
        while (r + 5 < sc->len && memcmp(sc->low + r, " dot ", 5) == 0) {
            size_t w = word_len_at(sc, r + 5);
            if (w == 0)
                break;
            for (const char *const *t = spoken_tlds; *t; t++)
                if (strlen(*t) == w && memcmp(sc->low + r + 5, *t, w) == 0)
                    end = r + 5 + w;
            r += 5 + w;
        }
        if (!end)
            continue;
        /* left side: a word, with "dot"/"underscore" joined words before it */
        size_t l = ks - 1, start = l;
        while (start > 0 && (is_alnum((unsigned char)sc->s[start - 1]) ||
               (start >= 2 && strchr("._-", sc->s[start - 1]) && is_alnum((unsigned char)sc->s[start - 2]))))
            start--;
        if (start == l)
            continue;
        for (;;) {
            static const char *const joins[] = {" dot ", " underscore ", " dash ", " hyphen ", NULL};
            bool joined = false;
            for (const char *const *j = joins; *j; j++) {
                size_t jl = strlen(*j);
                if (start >= jl + 1 && memcmp(sc->low + start - jl, *j, jl) == 0 &&
                    is_alnum((unsigned char)sc->s[start - jl - 1])) {
                    size_t w = start - jl;
                    while (w > 0 && is_alnum((unsigned char)sc->s[w - 1]))
                        w--;
                    start = w;
                    joined = true;
                    break;
                }
            }
            if (!joined)
                break;
        }
        add_span(sc, start, end, REDACT_EMAIL);
        from = end;
    }
}

/* ---- IBAN -------------------------------------------------------------------------- */

static const struct { const char cc[3]; int len; } iban_lengths[] = {
    {"AD", 24}, {"AT", 20}, {"BE", 16}, {"BG", 22}, {"CH", 21}, {"CY", 28}, {"CZ", 24},
    {"DE", 22}, {"DK", 18}, {"EE", 20}, {"ES", 24}, {"FI", 18}, {"FR", 27}, {"GB", 22},
    {"GR", 27}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IS", 26}, {"IT", 27}, {"LI", 21},
    {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MT", 31}, {"NL", 18}, {"NO", 15},
    {"PL", 28}, {"PT", 25}, {"RO", 24}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27},
};

int redact_iban_ok(const char *s, size_t len)
{
    char buf[40];
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (is_alnum((unsigned char)s[i])) {
            if (n == sizeof buf)
                return 0;
            buf[n++] = (char)lower((unsigned char)s[i]);
        }
    if (n < 15 || n > 34 || !is_alpha(buf[0]) || !is_alpha(buf[1]) || !is_digit(buf[2]) || !is_digit(buf[3]))
        return 0;
    unsigned rem = 0;
    for (size_t k = 0; k < n; k++) {
        char c = buf[(k + 4) % n];
        if (is_digit(c))
            rem = (rem * 10 + (unsigned)(c - '0')) % 97;
        else
            rem = (rem * 100 + (unsigned)(c - 'a' + 10)) % 97;
    }
    return rem == 1;
}

static void detect_ibans(scan *sc)
{
    for (size_t i = 0; i + 4 <= sc->len; i++) {
        if (!is_alpha(at(sc, i)) || !is_alpha(at(sc, i + 1)) || !is_digit(at(sc, i + 2)) ||
            !is_digit(at(sc, i + 3)) || !word_start(sc, i))
            continue;
        int want = 0;
        for (size_t k = 0; k < sizeof iban_lengths / sizeof iban_lengths[0]; k++)
            if (lower(at(sc, i)) == lower(iban_lengths[k].cc[0]) && lower(at(sc, i + 1)) == lower(iban_lengths[k].cc[1]))
                want = iban_lengths[k].len;
        /* alphanumeric groups joined by single spaces; candidates end at group ends */
        size_t j = i, best = 0;
        int count = 0;
        while (j < sc->len && count <= 34) {
            while (j < sc->len && is_alnum(at(sc, j)) && count <= 34) {
                j++;
                count++;
            }
            if (count >= 15 && count <= 34 && (want == 0 || count == want) && redact_iban_ok(sc->s + i, j - i))
                best = j;
            if (j + 1 < sc->len && at(sc, j) == ' ' && is_alnum(at(sc, j + 1)))
                j++;
            else
                break;
        }
        if (best) {
            add_span(sc, i, best, REDACT_IBAN);
            i = best;
        }
    }
}

/* ---- US social security numbers ----------------------------------------------------- */

static const char *const ssn_context[] = {"social security", "ssn", "social", "ss number", NULL};


static void detect_ssns(scan *sc)
{
    for (size_t i = 0; i + 9 <= sc->len; i++) {
        if (!is_digit(at(sc, i)) || !number_start_ok(sc, i))
            continue;
        groups g;
        size_t run_end = scan_groups(sc, i, " -", &g);
        bool shaped = false;
        if (g.n == 3 && g.digits[0] == 3 && g.digits[1] == 5 && g.digits[2] == 9 && !is_alpha(at(sc, run_end))) {
            char s1 = sc->s[g.end[0]], s2 = sc->s[g.end[1]];
            if (s1 == s2 && (s1 == '-' || context_before(sc, ssn_context, i, 60)))
                shaped = true;
        } else if (g.n == 1 && g.digits[0] == 9 && !is_alpha(at(sc, run_end)) && context_before(sc, ssn_context, i, 60)) {
            shaped = true;
        }
        if (shaped) {
            char d[9];
            int n = 0;
            for (size_t k = i; k < run_end && n < 9; k++)
                if (is_digit(at(sc, k)))
                    d[n++] = sc->s[k];
            scan tmp = {.s = d, .len = 9};
            int area = num_at(&tmp, 0, 3), grp = num_at(&tmp, 3, 2), serial = num_at(&tmp, 5, 4);
            if (area != 0 && area != 666 && area < 900 && grp != 0 && serial != 0)
                add_span(sc, i, run_end, REDACT_SSN);
        }
        i = run_end > i ? run_end - 1 : i;
    }
}

/* ---- UK National Insurance numbers -------------------------------------------------- */

static const char *const nino_context[] = {"national insurance", "ni number", "nino", "n.i. number", "insurance number", "ni", NULL};

static bool nino_prefix_ok(int a, int b)
{
    if (strchr("DFIQUV", a) || strchr("DFIOQUV", b))
        return false;
    static const char *const banned[] = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"};
    for (size_t k = 0; k < sizeof banned / sizeof banned[0]; k++)
        if (banned[k][0] == a && banned[k][1] == b)
            return false;
    return true;
}

static void detect_ninos(scan *sc)
{
    for (size_t i = 0; i + 9 <= sc->len; i++) {
        if (!is_alpha(at(sc, i)) || !is_alpha(at(sc, i + 1)) || !word_start(sc, i))
            continue;
        size_t j = i + 2;
        int digits = 0;
        while (digits < 6) {
            if (at(sc, j) == ' ' && is_digit(at(sc, j + 1)) && digits % 2 == 0)
                j++;
            if (!is_digit(at(sc, j)))
                break;
            j++;
            digits++;
        }
        if (digits != 6)
            continue;
        if (at(sc, j) == ' ')
            j++;
        int suffix = at(sc, j);
        if (!strchr("ABCDabcd", suffix) || suffix == 0 || !word_end(sc, j + 1))
            continue;
        bool context = context_before(sc, nino_context, i, 60);
        int a = at(sc, i), b = at(sc, i + 1);
        bool upper = is_upper(a) && is_upper(b) && is_upper(suffix);
        if (context || (upper && nino_prefix_ok(a, b)))
            add_span(sc, i, j + 1, REDACT_NINO);
        i = j;
    }
}

/* ---- security codes ------------------------------------------------------------------ */

static const char *const cvv_context[] = {
    "cvv", "cvv2", "cvc", "cv2", "csc", "security code", "security number", "digits on the back",
    "code on the back", "number on the back",
    "numbers on the back", "card verification", NULL
};

/* A 3-4 digit code at i, also spoken digit by digit ("4 5 6"); its end or 0. */
/* ---- numbers spoken as words ("four one one one", "oh seven seven double oh nine") -------- */

static const char *const digit_words[] = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", NULL
};

/* The digit of the number word at i (and its length), or -1. "oh" is a zero. */
static int digit_word_at(const scan *sc, size_t i, size_t *len)
{
    if (!word_start(sc, i))
        return -1;
    /* asked at every letter of every text: a first letter no number word has is most of them */
    if (!memchr("zotfsen", sc->low[i], 7))
        return -1;
    for (int d = 0; digit_words[d]; d++) {
        if (digit_words[d][0] != sc->low[i])
            continue;
        size_t l = strlen(digit_words[d]);
        if (i + l <= sc->len && !memcmp(sc->low + i, digit_words[d], l) && word_end(sc, i + l)) {
            *len = l;
            return d;
        }
    }
    if (i + 2 <= sc->len && !memcmp(sc->low + i, "oh", 2) && word_end(sc, i + 2)) {
        *len = 2;
        return 0;
    }
    return -1;
}

/* A run of spoken digits from i, joined by spaces, commas or hyphens, with "double"/"triple"
 * repeating the next one. Writes at most `max` digits to out; returns the end of the run (i
 * when there is none) and the digit count in *n. */
static size_t spoken_run(const scan *sc, size_t i, char *out, int max, int *n)
{
    size_t end = i, j = i;
    *n = 0;
    for (;;) {
        int repeat = 1;
        size_t l;
        if (j + 7 <= sc->len && !memcmp(sc->low + j, "double ", 7))
            repeat = 2;
        else if (j + 7 <= sc->len && !memcmp(sc->low + j, "triple ", 7))
            repeat = 3;
        size_t k = repeat > 1 ? j + 7 : j;
        int d = digit_word_at(sc, k, &l);
        if (d < 0)
            break;
        for (int r = 0; r < repeat; r++)
            if (*n < max)
                out[(*n)++] = (char)('0' + d);
        end = k + l;
        j = end;
        while (j < sc->len && (sc->s[j] == ' ' || sc->s[j] == ',' || sc->s[j] == '-'))
            j++;
    }
    return end;
}

/* Card and phone numbers read out digit by digit, as a voice transcript has them. */
static void detect_spoken_numbers(scan *sc)
{
    for (size_t i = 0; i < sc->len; i++) {
        if (!is_alpha(at(sc, i)) || !word_start(sc, i))
            continue;
        char digits[32];
        int n;
        size_t end = spoken_run(sc, i, digits, (int)sizeof digits, &n);
        if (end == i)
            continue;
        /* a card read out in card context, even in part; 16 to 19 digits are no phone */
        bool card = (n >= 13 && n <= 19 && redact_luhn_ok(digits, (size_t)n)) ||
                    (n >= 8 && card_context_at(sc, i) > 0) || (n >= 16 && card_context_at(sc, i) >= 0);
        if (card)
            add_span(sc, i, end, REDACT_CARD);
        else if (n >= 8 && n <= 15)
            add_span(sc, i, end, REDACT_PHONE);
        i = end;
    }
}

static size_t code_at(const scan *sc, size_t i)
{
    if (!is_digit(at(sc, i))) {
        char digits[8];
        int n;
        size_t end = spoken_run(sc, i, digits, (int)sizeof digits, &n);
        return end > i && (n == 3 || n == 4) ? end : 0;
    }
    if (!word_start(sc, i))
        return 0;
    groups g;
    size_t end = scan_groups(sc, i, " ", &g);
    if (is_alpha(at(sc, end)))
        return 0;
    if (g.n == 1 && (g.digits[0] == 3 || g.digits[0] == 4))
        return end;
    if (g.n == g.digits[g.n - 1] && (g.n == 3 || g.n == 4))
        return end;
    return 0;
}

static void detect_cvvs(scan *sc)
{
    for (const char *const *kw = cvv_context; *kw; kw++) {
        size_t from = 0, ks, after;
        while ((after = find_kw(sc, *kw, from, &ks)) != 0) {
            from = after;
            /* forward: the first number within a short window, if it is 3-4 digits */
            size_t found = 0, fstart = 0;
            for (size_t j = after; j < sc->len && j < after + 48; j++) {
                size_t l;
                if (is_digit(at(sc, j)) || (is_alpha(at(sc, j)) && digit_word_at(sc, j, &l) >= 0)) {
                    if (word_start(sc, j) && (found = code_at(sc, j)) != 0)
                        fstart = j;
                    break;
                }
            }
            if (found) {
                add_span(sc, fstart, found, REDACT_CVV);
                continue;
            }
            /* backward: "123 is the CVV", "it's 456, the three digits on the back" */
            size_t j = ks;
            static const char *const back_fillers[] = {"is", "my", "the", "that's", "thats", "its", "it's", "being", "was", "as", "and", "three", "four", NULL};
            for (int w = 0; w < 4 && j > 0; w++) {
                while (j > 0 && (sc->s[j - 1] == ' ' || sc->s[j - 1] == ','))
                    j--;
                size_t ws = j;
                while (ws > 0 && (is_alnum((unsigned char)sc->s[ws - 1]) || sc->s[ws - 1] == '\''))
                    ws--;
                if (ws == j)
                    break;
                if (is_digit(at(sc, ws))) {
                    size_t gs = ws;
                    /* spoken digit by digit: walk back over "4 5 " */
                    while (gs >= 2 && sc->s[gs - 1] == ' ' && is_digit((unsigned char)sc->s[gs - 2]) &&
                           (gs == 2 || !is_alnum((unsigned char)sc->s[gs - 3])))
                        gs -= 2;
                    size_t end = code_at(sc, gs);
                    if (end == j)
                        add_span(sc, gs, end, REDACT_CVV);
                    break;
                }
                bool filler = false;
                for (const char *const *f = back_fillers; *f; f++)
                    if (strlen(*f) == j - ws && memcmp(sc->low + ws, *f, j - ws) == 0)
                        filler = true;
                if (!filler)
                    break;
                j = ws;
            }
        }
    }
}

/* ---- the table ---------------------------------------------------------------------- */

static void (*const detectors[])(scan *) = {
    detect_written_emails, detect_spoken_emails, detect_ibans, detect_cards, detect_ssns,
    detect_ninos, redact_places_dobs, redact_phones_matched, redact_phones_by_shape, detect_spoken_numbers, detect_cvvs,
    redact_places_addresses,
};

void redact_detect(scan *sc)
{
    for (size_t d = 0; d < sizeof detectors / sizeof detectors[0]; d++)
        detectors[d](sc);
}
