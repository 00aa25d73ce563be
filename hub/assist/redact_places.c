/* redact_places.c — PII detectors for dates of birth (a date after "born", "date of
 * birth", "DOB", …) and addresses the customer dictates (house number, street name, street
 * type, optional flat, town and postcode; or a postcode after "postcode"/"zip"). */
#include "hub/assist/redact_scan.h"

static const char *const fillers[] = {
    "'s", "is", "was", "it's", "its", "it is", "that's", "thats", "on", "the", "my", "i", "am", "are",
    "of", "it", "be", "sure", "yes", "yeah", "ok", "okay", "so", NULL
};


/* ---- dates of birth ----------------------------------------------------------------- */

static const char *const months[] = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", NULL
};

static size_t month_at(const scan *sc, size_t i)
{
    for (const char *const *m = months; *m; m++) {
        size_t ml = strlen(*m);
        if (i + ml <= sc->len && memcmp(sc->low + i, *m, ml) == 0 && word_end(sc, i + ml))
            return ml + (at(sc, i + ml) == '.' ? 1 : 0);
    }
    return 0;
}


/* A day number with an optional ordinal suffix ("3", "3rd", "21st"); its length or 0. */
static size_t day_at(const scan *sc, size_t i)
{
    size_t d = digits_at(sc, i, 2);
    if (!d || !word_start(sc, i))
        return 0;
    int v = num_at(sc, i, d);
    if (v < 1 || v > 31)
        return 0;
    size_t k = i + d;
    static const char *const ord[] = {"st", "nd", "rd", "th"};
    if (k + 2 <= sc->len)
        for (size_t x = 0; x < 4; x++)
            if (memcmp(sc->low + k, ord[x], 2) == 0 && word_end(sc, k + 2))
                return d + 2;
    return word_end(sc, k) ? d : 0;
}

/* ", 1985" / " 1985" after a day-month; its length or 0. */
static size_t year_after(const scan *sc, size_t i)
{
    size_t k = i;
    if (at(sc, k) == ',')
        k++;
    if (at(sc, k) != ' ')
        return 0;
    k++;
    size_t d = digits_at(sc, k, 4);
    return (d == 4 && word_end(sc, k + d)) ? k + d - i : 0;
}

/* A date at i in any common spoken or written form; its end or 0. */
static size_t date_at(const scan *sc, size_t i)
{
    if (is_digit(at(sc, i))) {
        /* 12/03/1985, 12-03-85, 12.03.1985, 1985-03-12 */
        size_t a = digits_at(sc, i, 4);
        int sep = at(sc, i + a);
        if (a && (sep == '/' || sep == '-' || sep == '.')) {
            size_t b = digits_at(sc, i + a + 1, 2);
            if (b && at(sc, i + a + 1 + b) == sep) {
                size_t c = digits_at(sc, i + a + b + 2, 4);
                size_t end = i + a + b + 2 + c;
                if (c && ((a <= 2 && (c == 2 || c == 4)) || (a == 4 && c <= 2)) && word_end(sc, end))
                    return end;
            }
        }
        /* 3rd of May 1985, 12 March 1985 */
        size_t d = day_at(sc, i);
        if (!d)
            return 0;
        size_t k = i + d;
        if (at(sc, k) != ' ')
            return 0;
        k++;
        if (k + 3 <= sc->len && memcmp(sc->low + k, "of ", 3) == 0)
            k += 3;
        size_t m = month_at(sc, k);
        if (!m)
            return 0;
        return k + m + year_after(sc, k + m);
    }
    /* March 12th, 1985 */
    size_t m = month_at(sc, i);
    if (!m || at(sc, i + m) != ' ')
        return 0;
    size_t k = i + m + 1;
    if (k + 4 <= sc->len && memcmp(sc->low + k, "the ", 4) == 0)
        k += 4;
    size_t d = day_at(sc, k);
    if (!d)
        return 0;
    return k + d + year_after(sc, k + d);
}

static const char *const dob_context[] = {
    "date of birth", "born on", "born", "dob", "d.o.b", "d.o.b.", "birthday", "birth date",
    "birthdate", NULL
};

void redact_places_dobs(scan *sc)
{
    for (const char *const *kw = dob_context; *kw; kw++) {
        size_t from = 0, ks, after;
        while ((after = find_kw(sc, *kw, from, &ks)) != 0) {
            from = after;
            size_t i = skip_fillers(sc, after, fillers, 4);
            size_t end = date_at(sc, i);
            if (end)
                add_span(sc, i, end, REDACT_DOB);
        }
    }
}


/* ---- addresses ---------------------------------------------------------------------- */

static const char *const street_types[] = {
    "street", "st", "road", "rd", "avenue", "ave", "lane", "ln", "drive", "dr", "close",
    "court", "ct", "place", "pl", "way", "boulevard", "blvd", "crescent", "terrace", "gardens",
    "grove", "square", "sq", "mews", "parade", "row", "walk", "hill", "highway", NULL
};

/* Lowercase street names are accepted only for these unambiguous types. */
static const char *const long_types[] = {"street", "road", "avenue", "lane", "drive", "boulevard", "crescent", "terrace", NULL};

static const char *const not_names[] = {
    "the", "a", "an", "my", "our", "your", "his", "her", "their", "this", "that", "of", "and",
    "or", "on", "at", "in", "to", "from", "down", "up", "along", "off", "near", "past", "by",
    "for", "with", "minutes", "minute", "hours", "hour", "days", "day", "weeks", "months",
    "years", "blocks", "miles", "km", "times", "items", "the", "is", "was", "i", "it", NULL
};

static bool word_in(const scan *sc, size_t i, size_t n, const char *const *list)
{
    for (const char *const *w = list; *w; w++)
        if (strlen(*w) == n && memcmp(sc->low + i, *w, n) == 0)
            return true;
    return false;
}

static bool pc_letter(const scan *sc, size_t i, bool any_case)
{
    return any_case ? is_alpha(at(sc, i)) : is_upper(at(sc, i));
}

/* The inward half of a UK postcode ("1AA", after an optional space); its end or 0. */
static size_t inward_at(const scan *sc, size_t k, bool any_case)
{
    if (at(sc, k) == ' ')
        k++;
    if (is_digit(at(sc, k)) && pc_letter(sc, k + 1, any_case) && pc_letter(sc, k + 2, any_case) &&
        word_end(sc, k + 3))
        return k + 3;
    return 0;
}

/* UK postcode (SW1A 1AA, M1 1AE) or US ZIP (62704, 62704-1234) at i; its end or 0. */
static size_t postcode_at(const scan *sc, size_t i, bool any_case)
{
    if (!word_start(sc, i))
        return 0;
    if (is_digit(at(sc, i))) {
        if (digits_at(sc, i, 5) != 5)
            return 0;
        size_t end = i + 5;
        if (at(sc, end) == '-' && digits_at(sc, end + 1, 4) == 4)
            end += 5;
        return word_end(sc, end) ? end : 0;
    }
    size_t k = i;
    int letters = 0;
    while (letters < 2 && pc_letter(sc, k, any_case)) {
        k++;
        letters++;
    }
    if (!letters || !is_digit(at(sc, k)))
        return 0;
    k++;
    if (is_digit(at(sc, k)) || pc_letter(sc, k, any_case)) {
        size_t end = inward_at(sc, k + 1, any_case);
        if (end)
            return end;
    }
    return inward_at(sc, k, any_case);
}

/* After a street: ", Springfield, IL 62704" / ", London SW1A 1AA" / " SW1A 1AA". */
static size_t address_tail(const scan *sc, size_t i)
{
    size_t k = i;
    for (int words = 0; words <= 4; words++) {
        while (at(sc, k) == ',' || at(sc, k) == ' ')
            k++;
        size_t pc = postcode_at(sc, k, false);
        if (pc)
            return pc;
        if (!is_upper(at(sc, k)))
            break;
        while (is_alpha(at(sc, k)))
            k++;
    }
    return i;
}

/* "LS6 2QT, 14 Larch Avenue": a postcode said just before the street belongs to it. */
static size_t postcode_before(const scan *sc, size_t start)
{
    size_t gap = start;
    while (gap > 0 && start - gap < 2 && (sc->s[gap - 1] == ' ' || sc->s[gap - 1] == ','))
        gap--;
    if (gap == start)
        return start;
    for (size_t len = 5; len <= 8 && len <= gap; len++)
        if (postcode_at(sc, gap - len, false) == gap)
            return gap - len;
    return start;
}

static bool has_digit(const scan *sc)
{
    for (size_t i = 0; i < sc->len; i++)
        if (is_digit((unsigned char)sc->s[i]))
            return true;
    return false;
}

void redact_places_addresses(scan *sc)
{
    /* a street address is found only by its house number's digits: without a digit the
     * search for thirty street words (a third of the redaction's time) finds nothing */
    bool numbered = has_digit(sc);
    for (const char *const *type = street_types; numbered && *type; type++) {
        size_t from = 0, ks, after;
        while ((after = find_kw(sc, *type, from, &ks)) != 0) {
            from = after;
            bool lenient = false;
            for (const char *const *t = long_types; *t; t++)
                if (!strcmp(*t, *type))
                    lenient = true;
            /* name words back from the type, then a house number */
            size_t j = ks;
            int names = 0;
            size_t start = 0;
            bool found = false;
            while (names <= 3 && j >= 2 && sc->s[j - 1] == ' ') {
                size_t we = j - 1, ws = we;
                while (ws > 0 && (is_alnum((unsigned char)sc->s[ws - 1]) || sc->s[ws - 1] == '\''))
                    ws--;
                if (ws == we)
                    break;
                if (is_digit(at(sc, ws))) {
                    size_t d = digits_at(sc, ws, 5);
                    bool house = d && (ws + d == we || (ws + d + 1 == we && is_alpha(at(sc, ws + d))));
                    if (house && names > 0 && number_start_ok(sc, ws)) {
                        start = ws;
                        found = true;
                    }
                    break;
                }
                bool cap = is_upper(at(sc, ws));
                if ((!cap && !lenient) || word_in(sc, ws, we - ws, not_names))
                    break;
                names++;
                j = ws;
            }
            if (!found)
                continue;
            /* "Flat 3, " / "Apartment 12B " before the house number */
            static const char *const units[] = {"flat", "apartment", "apt", "unit", "suite", NULL};
            size_t u = start;
            while (u > 0 && (sc->s[u - 1] == ' ' || sc->s[u - 1] == ','))
                u--;
            size_t ue = u;
            while (u > 0 && is_alnum((unsigned char)sc->s[u - 1]))
                u--;
            if (ue > u && is_digit(at(sc, u))) {
                size_t us = u;
                while (us > 0 && sc->s[us - 1] == ' ')
                    us--;
                size_t uw = us;
                while (uw > 0 && is_alpha((unsigned char)sc->s[uw - 1]))
                    uw--;
                if (us > uw && word_in(sc, uw, us - uw, units))
                    start = uw;
            }
            size_t end = address_tail(sc, after);
            add_span(sc, postcode_before(sc, start), end, REDACT_ADDRESS);
        }
    }
    static const char *const pc_context[] = {"postcode", "post code", "postal code", "zip code", "zip", NULL};
    for (const char *const *kw = pc_context; *kw; kw++) {
        size_t from = 0, ks, after;
        while ((after = find_kw(sc, *kw, from, &ks)) != 0) {
            from = after;
            size_t i = skip_fillers(sc, after, fillers, 3);
            size_t end = postcode_at(sc, i, true);
            if (end)
                add_span(sc, i, end, REDACT_ADDRESS);
        }
    }
}

