// phone_shim.cc — phone.h's C API over libphonenumber's PhoneNumberMatcher. The only C++ in
// the hub: nothing here throws into C (every entry point catches), and nothing of the
// library's types leaves this file.
#include "hub/assist/phone.h"

#include <phonenumbers/phonenumbermatch.h>
#include <phonenumbers/phonenumbermatcher.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <vector>

using i18n::phonenumbers::PhoneNumberMatch;
using i18n::phonenumbers::PhoneNumberMatcher;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

// The matcher gives up on a text after this many candidates that fail, so a text made of
// numbers costs a bounded time (the library's own default is unbounded).
const int kMaxTries = 64;

struct Regions {
    std::vector<std::string> codes;
    std::string joined;
    bool ready = false;
    std::atomic<unsigned long> version{0};
};

// redact_find remembers its last few texts' spans (redact_norm.c), so a text comes here again
// only past that memory (a text too long or too rich in spans for it, another option set):
// the last text's numbers are kept, per thread, and a region list change forgets them.
struct Last {
    std::string text;
    std::vector<phone_span> spans;
    bool valid = false;
};

Last &last()
{
    thread_local Last l;
    return l;
}

Regions &regions()
{
    static Regions r;
    return r;
}

int set_regions(const char *list)
{
    Regions &r = regions();
    std::set<std::string> known;
    PhoneNumberUtil::GetInstance()->GetSupportedRegions(&known);
    r.codes.clear();
    r.joined.clear();
    std::string code;
    for (const char *p = list;; p++) {
        if (*p && *p != ',' && *p != ' ') {
            code += (char)((*p >= 'a' && *p <= 'z') ? *p - 32 : *p);
            continue;
        }
        if (!code.empty() && known.count(code) &&
            std::find(r.codes.begin(), r.codes.end(), code) == r.codes.end() &&
            r.codes.size() < PHONE_MAX_REGIONS) {
            r.joined += (r.joined.empty() ? "" : ",") + code;
            r.codes.push_back(code);
        }
        code.clear();
        if (!*p)
            break;
    }
    r.ready = true;
    r.version++;
    last().valid = false;
    return (int)r.codes.size();
}

const Regions &current()
{
    Regions &r = regions();
    if (!r.ready) {
        const char *env = getenv("AGENTDESK_PHONE_REGIONS");
        set_regions(env && *env ? env : PHONE_DEFAULT_REGIONS);
    }
    return r;
}

// No number of any region on the list is shorter than this many digits with its trunk
// prefix ("(022) 12345" has 8).
const int kMinDigits = 6;

// The runs of the text that could be a phone number: digits joined by the separators people
// write numbers with, kMinDigits digits or more, not shaped like a date ("08/11/2026"). Most
// utterances have none, and then no region needs reading; once every run is covered by a
// number found, the remaining regions are not read either (each costs tens of microseconds).
std::vector<phone_span> candidate_runs(const char *text, size_t len)
{
    std::vector<phone_span> runs;
    for (size_t i = 0; i < len;) {
        if (text[i] < '0' || text[i] > '9') {
            i++;
            continue;
        }
        size_t j = i, last = i;
        int digits = 0, slashes = 0;
        while (j < len) {
            char c = text[j];
            if (c >= '0' && c <= '9') {
                digits++;
                last = ++j;
            } else if ((c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/') && j - last < 2) {
                slashes += c == '/';
                j++;
            } else {
                break;
            }
        }
        bool date = slashes == 2 && digits <= 8 && last - i <= 10;
        if (digits >= kMinDigits && !date)
            runs.push_back({i, last});
        i = last > i ? last : i + 1;
    }
    return runs;
}

bool covered(const std::vector<phone_span> &runs, const std::vector<phone_span> &found)
{
    for (const phone_span &r : runs) {
        bool hit = false;
        for (const phone_span &f : found)
            hit |= f.start < r.end && r.start < f.end;
        if (!hit)
            return false;
    }
    return true;
}

std::vector<phone_span> search(const std::string &s)
{
    const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();
    std::vector<phone_span> found;
    const std::vector<phone_span> runs = candidate_runs(s.data(), s.size());
    for (const std::string &region : current().codes) {
        if (covered(runs, found))
            break;
        PhoneNumberMatcher m(util, s, region, PhoneNumberMatcher::VALID, kMaxTries);
        PhoneNumberMatch match;
        while (m.HasNext() && m.Next(&match))
            if (match.start() >= 0 && match.length() > 0 &&
                (size_t)match.start() + (size_t)match.length() <= s.size())
                found.push_back({(size_t)match.start(), (size_t)match.start() + (size_t)match.length()});
    }
    std::sort(found.begin(), found.end(),
              [](const phone_span &a, const phone_span &b) { return a.start < b.start; });
    std::vector<phone_span> merged;
    for (const phone_span &sp : found) {
        if (!merged.empty() && sp.start < merged.back().end)
            merged.back().end = std::max(merged.back().end, sp.end);   // one number, read twice
        else
            merged.push_back(sp);
    }
    return merged;
}

}  // namespace

extern "C" size_t phone_find(const char *text, size_t len, phone_span *spans, size_t max)
{
    if (!text || max == 0)
        return 0;
    try {
        Last &l = last();
        if (!l.valid || l.text.size() != len || l.text.compare(0, len, text, len) != 0) {
            l.valid = false;
            l.text.assign(text, len);
            l.spans = search(l.text);
            l.valid = true;
        }
        size_t n = std::min(max, l.spans.size());
        std::copy(l.spans.begin(), l.spans.begin() + (long)n, spans);
        return n;
    } catch (...) {
        return 0;
    }
}

extern "C" int phone_set_regions(const char *list)
{
    try {
        return set_regions(list ? list : "");
    } catch (...) {
        return 0;
    }
}

extern "C" const char *phone_regions(void)
{
    try {
        return current().joined.c_str();
    } catch (...) {
        return "";
    }
}

extern "C" unsigned long phone_regions_version(void)
{
    try {
        current();   // the default list is read at the first use: that is not a change
    } catch (...) {
    }
    return regions().version.load();
}
