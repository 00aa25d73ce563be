/* test_contactlens.c — which ingest frames are taken for Contact Lens events. The mapping
 * itself runs against the real hub in test_hub_ingest. */
#include "tests/unit/check.h"
#include "hub/endpoints/contactlens.h"

#include <string.h>

static bool detect(const char *s)
{
    json_t *frame = json_loads(s, JSON_DECODE_ANY, NULL);
    bool is = contactlens_detect(frame);
    json_decref(frame);
    return is;
}

static void test_detect(void)
{
    CHECK(detect("{\"Version\":\"1.0.0\",\"ContactId\":\"c\",\"EventType\":\"STARTED\"}"));
    CHECK(detect("{\"Version\":\"2.0.0\",\"ContactId\":\"c\",\"StreamingEventType\":\"SEGMENTS\"}"));
    /* a native frame is never one, even when its text mentions the keys */
    CHECK(!detect("{\"type\":\"utterance\",\"text\":\"\\\"EventType\\\"\"}"));
    CHECK(!detect("{\"EventType\":\"STARTED\",\"type\":\"start\"}"));
    CHECK(!detect("{\"Version\":\"1.0.0\",\"ContactId\":\"c\"}"));
    CHECK(!detect(""));
    CHECK(!detect("not json"));
    CHECK(!detect("[{\"EventType\":\"STARTED\"}]"));
    /* decided by the top-level keys only: a category, or any nested object, called "type"
     * does not make it a native frame */
    CHECK(detect("{\"Version\":\"1.0.0\",\"ContactId\":\"c\",\"EventType\":\"SEGMENTS\",\"Segments\":"
                 "[{\"Categories\":{\"MatchedCategories\":[\"type\"],\"MatchedDetails\":{\"type\":{}}}}]}"));
    CHECK(!detect("{\"type\":\"end\",\"iid\":\"x\",\"x\":{\"EventType\":\"STARTED\"}}"));
}

int main(void)
{
    RUN(test_detect);
    return check_done("test_contactlens");
}
