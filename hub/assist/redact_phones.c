/* redact_phones.c — the two phone detectors of the redactor, in the order they run:
 * redact_phones_matched() keeps what libphonenumber's matcher finds (phone.h) unless the text
 * says the number is something else, and redact_phones_by_shape(), the hand rules the
 * redactor had before, finds what the matcher does not call a valid number but is shaped like
 * one (Ofcom's drama ranges, ten or eleven digits after a phone word). */
#include "hub/assist/redact_scan.h"
#include "hub/assist/phone.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>


/* Numbers libphonenumber's metadata calls valid for a country of the region list (phone.h):
 * national formats of every market on it ("030 123456", "612 34 56 78", "(022) 12345") and
 * international ones. What it finds is kept unless the text says it is something else: a
 * number glued to a symbol ("#2071234567", "$140.40"), run on into a letter, or named by a
 * noun such as "order" or "account" with no phone word nearer. */
static const char *const phone_words[] = {
    "phone", "mobile", "cell", "landline", "telephone", "tel", "call", "ring", "text",
    "whatsapp", "fax", "handy", "telefon", "portable", "movil", "telefono", "cellulare", NULL
};
/* in the languages of the markets on the default region list: order, invoice, customer … */
static const char *const not_phone_words[] = {
    "order", "reference", "ref", "invoice", "ticket", "case", "tracking", "parcel", "policy",
    "claim", "receipt", "transaction", "booking", "confirmation", "serial", "model", "version",
    "account", "acct", "customer", "member", "membership", "id", "pin", "iban", "sort", "routing",
    "mandate", "meter", "imei", "sim",
    "bestellung", "rechnung", "auftrag", "kundennummer", "vertrag", "vertragsnummer",
    "commande", "facture", "dossier", "client", "contrat",
    "pedido", "factura", "referencia", "cliente", "contrato",
    "ordine", "fattura", "pratica", "contratto",
    "bestelling", "factuur", "klantnummer", NULL
};

/* -1 when the nearest word before the number at i names something else than a phone (a
 * phone word or another number coming first ends the look), else 0. */
static int phone_context_at(const scan *sc, size_t i)
{
    size_t j = i;
    for (int w = 0; w < 3; w++) {
        while (j > 0 && sc->s[j - 1] && strchr(" ,:-'\"(#.", sc->s[j - 1]))
            j--;
        if (j >= 2 && (unsigned char)sc->s[j - 2] == 0xC2 &&
            ((unsigned char)sc->s[j - 1] == 0xB0 || (unsigned char)sc->s[j - 1] == 0xBA))
            j -= 2;                                    /* "n°", "nº": number */
        if (j == 0 || !is_alnum((unsigned char)sc->s[j - 1]))
            return 0;
        size_t ws = j;
        while (ws > 0 && is_alnum((unsigned char)sc->s[ws - 1]))
            ws--;
        if (is_digit(at(sc, ws)) || word_among(sc, ws, j, phone_words))
            return 0;
        if (word_among(sc, ws, j, not_phone_words))
            return -1;
        j = ws;
    }
    return 0;
}

/* The digit groups of [a, b) split by one separator character used throughout (at most 3
 * groups): their widths, and the separator (0 when none). -1 when something else is in it,
 * two separators differ, a group is empty, or there are more than 3 groups. */
static int digit_groups(const scan *sc, size_t a, size_t b, int width[3], int *sep)
{
    int n = 0, w = 0;
    *sep = 0;
    for (size_t i = a; i < b; i++) {
        int c = at(sc, i);
        if (is_digit(c)) {
            w++;
            continue;
        }
        if (n == 2 || w == 0 || (*sep && c != *sep))
            return -1;
        *sep = c;
        width[n++] = w;
        w = 0;
    }
    width[n++] = w;
    return n;
}

/* Is [a, b) a date written with one separator ("05.06.2026", "3-7-2026", "2026/06/05")? */
static bool date_span(const scan *sc, size_t a, size_t b)
{
    int width[3], sep;
    if (digit_groups(sc, a, b, width, &sep) != 3 || (sep != '.' && sep != '-' && sep != '/'))
        return false;
    return (width[0] <= 2 && width[1] <= 2 && (width[2] == 2 || width[2] == 4)) ||
           (width[0] == 4 && width[1] <= 2 && width[2] <= 2);
}

/* Is [a, b) an amount ("140.40", "729,77": one separator, two decimals) or shaped like a US
 * social security number (3-2-4 with dashes, which the SSN detector judges)? */
static bool amount_or_ssn_span(const scan *sc, size_t a, size_t b)
{
    int width[3], sep;
    int n = digit_groups(sc, a, b, width, &sep);
    if (n == 2 && (sep == '.' || sep == ',') && width[1] == 2)
        return true;
    return n == 3 && sep == '-' && width[0] == 3 && width[1] == 2 && width[2] == 4;
}

/* Is the number at i the tail of a longer one ("+1 (555) 010-9999": the matcher read
 * "(555) 010-9999" on its own when it refused the whole)? */
static bool after_number(const scan *sc, size_t i)
{
    size_t j = i;
    while (j > 0 && sc->s[j - 1] == ' ')
        j--;
    return j < i && j > 0 && is_digit((unsigned char)sc->s[j - 1]);
}

void redact_phones_matched(scan *sc)
{
    if (sc->opts & REDACT_PHONE_RULES_ONLY)
        return;
    /* what an earlier detector took (a card, an IBAN, a date of birth) is no phone: blanked,
     * it costs the matcher nothing (phone.h: it reads only what could be a number) */
    char *text = malloc(sc->len + 1);
    if (!text)
        return;
    memcpy(text, sc->s, sc->len);
    text[sc->len] = 0;
    for (size_t k = 0; k < sc->n; k++)
        memset(text + sc->spans[k].start, ' ', sc->spans[k].end - sc->spans[k].start);
    phone_span found[REDACT_MAX_SPANS];
    size_t n = phone_find(text, sc->len, found, REDACT_MAX_SPANS);
    free(text);
    for (size_t k = 0; k < n; k++) {
        size_t a = found[k].start, b = found[k].end;
        int c = at(sc, a);
        if (c != '+' && c != '(' && !number_start_ok(sc, a))
            continue;
        if (is_alnum(at(sc, b)) || (at(sc, b) == '-' && is_digit(at(sc, b + 1))))
            continue;
        if (date_span(sc, a, b) || amount_or_ssn_span(sc, a, b) || after_number(sc, a) || phone_context_at(sc, a) < 0)
            continue;
        add_span(sc, a, b, REDACT_PHONE);
    }
}

/* The hand rules, after the matcher: numbers it does not call valid that still have a
 * phone's shape, such as Ofcom's drama ranges (020 7946 0xxx, 07700 900xxx), and ten or
 * eleven digits after a phone word. */

/* Digits, single separators and one parenthesised area code from i; counts digits. */
static size_t phone_run(const scan *sc, size_t i, int *ndigits)
{
    size_t j = i, last = i;
    int n = 0;
    bool paren_used = false;
    while (j < sc->len) {
        int c = at(sc, j);
        if (is_digit(c)) {
            n++;
            j++;
            last = j;
        } else if (c == '(' && !paren_used && (j == i || !is_digit(at(sc, j - 1)))) {
            size_t k = j + 1;
            while (k < sc->len && is_digit(at(sc, k)) && k - j <= 5)
                k++;
            if (at(sc, k) != ')' || k == j + 1)
                break;
            n += (int)(k - j - 1);
            paren_used = true;
            j = k + 1;
            last = j;
            if (at(sc, j) == ' ' && is_digit(at(sc, j + 1)))
                j++;
        } else if ((c == ' ' || c == '-' || c == '.') && j > i && j + 1 < sc->len &&
                   (is_digit(at(sc, j + 1)) || (at(sc, j + 1) == '(' && !paren_used)) &&
                   (is_digit(at(sc, j - 1)) || at(sc, j - 1) == ')')) {
            j++;
        } else {
            break;
        }
        if (n > 16)
            break;
    }
    *ndigits = n;
    return last;
}

static const char *const phone_context[] = {
    "phone", "mobile", "cell", "call me", "reach me", "landline", "telephone", "contact number",
    "ring me", "text me", "whatsapp", NULL
};

/* US 555-010-9999 / 555.010.9999: 3-3-4 with one separator kind. */
static bool us_shape(const scan *sc, size_t i, size_t end)
{
    if (end - i != 12 || at(sc, i) < '2')
        return false;
    int s1 = at(sc, i + 3), s2 = at(sc, i + 7);
    return s1 == s2 && (s1 == '-' || s1 == '.' || s1 == ' ') && digits_at(sc, i, 3) == 3 &&
           digits_at(sc, i + 4, 3) == 3 && digits_at(sc, i + 8, 4) == 4;
}

void redact_phones_by_shape(scan *sc)
{
    for (size_t i = 0; i < sc->len; i++) {
        int c = at(sc, i);
        bool plus = c == '+' && is_digit(at(sc, i + 1)) && (i == 0 || !is_alnum((unsigned char)sc->s[i - 1]));
        if (!plus && !((is_digit(c) && number_start_ok(sc, i)) || (c == '(' && is_digit(at(sc, i + 1)) && (i == 0 || !is_alnum((unsigned char)sc->s[i - 1])))))
            continue;
        int n;
        size_t start = plus ? i + 1 : i;
        size_t end = phone_run(sc, start, &n);
        if (end == start || is_alpha(at(sc, end)) || (at(sc, end) == '-' && is_digit(at(sc, end + 1)))) {
            i = end > i ? end : i;
            continue;
        }
        bool ok;
        if (plus)
            ok = n >= 8 && n <= 15;
        else if (c == '0' && at(sc, i + 1) == '0')
            ok = n >= 10 && n <= 16;                        /* 0044 20 7946 0958 */
        else if (c == '0' || c == '(')
            ok = n >= 10 && n <= 11;                        /* 020 7946 0958, (555) 010-9999 */
        else
            ok = us_shape(sc, i, end) ||
                 (n >= 10 && n <= 11 && context_before(sc, phone_context, i, 40));
        if (ok)
            add_span(sc, i, end, REDACT_PHONE);
        i = end > i ? end - 1 : i;
    }
}
