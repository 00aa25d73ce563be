/* test_widget_sparkline.c — value -> bar mapping and the pure text rendering. */
#include <math.h>
#include <string.h>

#include "tests/unit/check.h"
#include "widgets/sparkline.h"

static void test_levels(void)
{
    CHECK_INT(sparkline_level(-1.0f), 0);
    CHECK_INT(sparkline_level(1.0f), 7);
    CHECK_INT(sparkline_level(-5.0f), 0);
    CHECK_INT(sparkline_level(5.0f), 7);
    CHECK_INT(sparkline_level(0.0f), 4);
    CHECK_INT(sparkline_level(NAN), 4);
    CHECK_INT(sparkline_level(-0.62f), 1);
    CHECK_STR(sparkline_glyph(-1.0f), "▁");
    CHECK_STR(sparkline_glyph(1.0f), "█");
    int last = -1;
    for (float v = -1.0f; v <= 1.0f; v += 0.01f) {   /* monotonic */
        int l = sparkline_level(v);
        CHECK(l >= last);
        last = l;
    }
}

static void test_render(void)
{
    const float v[] = { -1.0f, -0.5f, 0.0f, 0.5f, 1.0f };
    char buf[64];
    CHECK_INT(sparkline_render(v, 5, 10, buf, sizeof buf), 5);
    CHECK_STR(buf, "▁▃▅▆█");
    CHECK_INT(sparkline_render(v, 5, 2, buf, sizeof buf), 2);   /* newest that fit */
    CHECK_STR(buf, "▆█");
    CHECK_INT(sparkline_render(v, 5, 0, buf, sizeof buf), 0);
    CHECK_STR(buf, "");
    CHECK_INT(sparkline_render(v, 5, 10, buf, 7), 2);          /* buffer bound */
    CHECK_STR(buf, "▆█");
    CHECK_INT(sparkline_render(NULL, 0, 10, buf, sizeof buf), 0);
}

static void test_widget_state(void)
{
    sparkline *s = sparkline_new();
    float many[SPARKLINE_MAX + 10];
    for (size_t i = 0; i < SPARKLINE_MAX + 10; i++)
        many[i] = (float)i;   /* clamped to 1 */
    many[SPARKLINE_MAX + 9] = -3.0f;
    sparkline_set_values(s, many, SPARKLINE_MAX + 10);
    CHECK_INT(s->nvalues, SPARKLINE_MAX);
    CHECK(s->values[SPARKLINE_MAX - 1] == -1.0f);
    CHECK(s->values[0] == 1.0f);
    sparkline_mark m[2] = { { "-", THEME_SENTIMENT_NEGATIVE }, { "+", THEME_SENTIMENT_POSITIVE } };
    sparkline_set_marks(s, m, 2);
    CHECK_INT(s->nmarks, 2);
    CHECK_STR(s->marks[1].glyph, "+");
    sparkline_set_label(s, "customer -0.62 ↓", THEME_SENTIMENT_NEGATIVE);
    CHECK_STR(s->label, "customer -0.62 ↓");
    widget_destroy(sparkline_widget(s));
}

int main(void)
{
    RUN(test_levels);
    RUN(test_render);
    RUN(test_widget_state);
    return check_done("test_widget_sparkline");
}
