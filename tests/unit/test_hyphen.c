/* English hyphenation: break points from the en_US patterns, and soft
   hyphens put into a paragraph's text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "layout/hyphen.h"

static WyHyphenator *h;

static int setup(void **state)
{
    (void)state;
    h = wy_hyphen_open(WY_HYPHEN_EN_DIC);
    return h ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    wy_hyphen_close(h);
    return 0;
}

/* WORD with '-' at each break point. */
static char *marked(const char *word)
{
    size_t after[64];
    size_t n = wy_hyphen_points(h, word, strlen(word), after, 64);
    char *out = malloc(strlen(word) + n + 1);
    size_t o = 0, k = 0;
    for (size_t i = 0; word[i]; i++) {
        if (k < n && after[k] == i)
            out[o++] = '-', k++;
        out[o++] = word[i];
    }
    out[o] = '\0';
    return out;
}

#define assert_marked(word, expected)            \
    do {                                         \
        char *got_ = marked(word);               \
        assert_string_equal(got_, (expected));   \
        free(got_);                              \
    } while (0)

static void words_break_where_the_patterns_allow(void **state)
{
    (void)state;
    assert_marked("organization", "or-ga-ni-za-tion");
    assert_marked("community", "com-mu-nity");
    assert_marked("International", "In-ter-na-tional");
    /* too short, all capitals, or not a plain English word */
    assert_marked("social", "so-cial");
    assert_marked("work", "work");
    assert_marked("UNICEF", "UNICEF");
    assert_marked("naïveté", "naïveté");
}

static void soft_hyphens_go_into_the_text(void **state)
{
    (void)state;
    const char *text = "the community, 社区 organization";
    WyBuf out;
    wy_buf_init(&out);
    size_t *at, n;
    wy_hyphen_insert(h, text, strlen(text), &out, &at, &n);
    assert_string_equal(wy_buf_str(&out), "the com\xC2\xADmu\xC2\xADnity, 社区 or\xC2\xADga\xC2\xADni\xC2\xADza\xC2\xADtion");
    assert_int_equal(n, 6);
    assert_int_equal(at[0], 7);  /* before "mu" */
    assert_int_equal(at[2], 24); /* before "ga" */
    free(at);
    wy_buf_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(words_break_where_the_patterns_allow),
        cmocka_unit_test(soft_hyphens_go_into_the_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
