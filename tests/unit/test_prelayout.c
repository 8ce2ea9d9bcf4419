/* Paragraphs laid out ahead on a second thread: where the list is cut,
   what the worker hands over, and that it is what the main thread would
   have made itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "layout/prelayout.h"
#include "fonts_support.h"

#define WIDTH_PT 300.0
#define MAX_BLOCK_PT 600.0
#define N_PARAS 40
#define CHARS_PER_PARA 300

typedef struct List {
    WyStyle style;
    WyBox boxes[N_PARAS];
    char *texts[N_PARAS];
} List;

/* N_PARAS paragraphs of CHARS_PER_PARA Han characters (and a comma every
   17, so lines end in compressed marks), each different from the others;
   paragraph I gets LONGER more characters. */
static List *list_new(int chars, int longer_at, int longer)
{
    static const char *const han[] = {"社", "会", "工", "作", "站", "服", "务", "民", "政", "德", "清", "县"};
    List *l = calloc(1, sizeof *l);
    l->style = (WyStyle){.name = "body", .role = "body", .lang = "zh-Hans", .size_pt = 10.5,
                         .line_height_pt = 18, .align = WY_ALIGN_JUSTIFY, .weight = 400, .first_indent_pt = 21,
                         .orphans = 2, .widows = 2};
    for (int i = 0; i < N_PARAS; i++) {
        int n = chars + (i == longer_at ? longer : 0);
        char *s = malloc((size_t)n * 3 + 1), *p = s;
        for (int k = 0; k < n; k++, p += 3)
            memcpy(p, k % 17 == 16 ? "，" : han[(k * 7 + i) % 12], 3);
        *p = '\0';
        l->texts[i] = s;
        WyBox *b = &l->boxes[i];
        b->kind = WY_BOX_PARA;
        b->loc = wy_loc("issue.xml", 10 + i, 3);
        b->u.para.style = &l->style;
        b->u.para.text = s;
        b->next = i + 1 < N_PARAS ? &l->boxes[i + 1] : NULL;
    }
    return l;
}

static void list_free(List *l)
{
    for (int i = 0; i < N_PARAS; i++)
        free(l->texts[i]);
    free(l);
}

static void release(WyParaLayout *pl)
{
    wy_para_layout_release(pl);
    free(pl);
}

static int index_of(const List *l, const WyBox *b)
{
    return b ? (int)(b - l->boxes) : -1;
}

static void test_worker_hands_over_the_layouts_of_the_second_half(void **state)
{
    (void)state;
    List *l = list_new(CHARS_PER_PARA, -1, 0);
    WyPrelayout *p = wy_prelayout_start(fonts, l->boxes, WIDTH_PT, MAX_BLOCK_PT, WY_FLOW_PAGE);
    assert_non_null(p);
    /* equal paragraphs: the worker takes what follows the first 45% */
    int cut = index_of(l, wy_prelayout_cut(p));
    assert_int_equal(cut, N_PARAS * 45 / 100);
    /* nothing is handed over while the worker may still be running */
    assert_null(wy_prelayout_take(p, &l->boxes[N_PARAS - 1].u.para, WIDTH_PT, l->boxes[N_PARAS - 1].loc));
    wy_prelayout_join(p);
    wy_prelayout_join(p); /* again: returns at once */

    WyDiag d;
    wy_diag_init(&d, NULL);
    for (int i = 0; i < N_PARAS; i++) {
        const WyPara *para = &l->boxes[i].u.para;
        WyLoc loc = l->boxes[i].loc;
        assert_null(wy_prelayout_take(p, para, WIDTH_PT - 1, loc));          /* another width */
        assert_null(wy_prelayout_take(p, para, WIDTH_PT, wy_loc("other.xml", 1, 1))); /* another place */
        WyParaLayout *ahead = wy_prelayout_take(p, para, WIDTH_PT, loc);
        if (i < cut) {
            assert_null(ahead);
            continue;
        }
        assert_non_null(ahead);
        assert_null(wy_prelayout_take(p, para, WIDTH_PT, loc)); /* handed over once */
        /* the same lines as the main thread's own layout, to the bit */
        WyParaLayout own = {0};
        assert_true(wy_para_layout(para_ctx, para, WIDTH_PT, NULL, loc, &d, &own));
        assert_int_equal(ahead->n_lines, own.n_lines);
        assert_true(ahead->n_lines > 1);
        assert_true(ahead->height_pt == own.height_pt);
        for (int k = 0; k < own.n_lines; k++) {
            assert_int_equal(ahead->lines[k].start_byte, own.lines[k].start_byte);
            assert_int_equal(ahead->lines[k].length, own.lines[k].length);
            assert_true(ahead->lines[k].x_pt == own.lines[k].x_pt);
            assert_true(ahead->lines[k].width_pt == own.lines[k].width_pt);
            assert_true(ahead->lines[k].baseline_pt == own.lines[k].baseline_pt);
        }
        wy_para_layout_release(&own);
        release(ahead);
    }
    wy_diag_release(&d);
    wy_prelayout_free(p);
    list_free(l);
}

static void test_cut_follows_the_text_not_the_count(void **state)
{
    (void)state;
    /* the first paragraph holds as much text as twenty others: the cut
       comes earlier than with equal paragraphs */
    List *l = list_new(CHARS_PER_PARA, 0, 20 * CHARS_PER_PARA);
    WyPrelayout *p = wy_prelayout_start(fonts, l->boxes, WIDTH_PT, MAX_BLOCK_PT, WY_FLOW_PAGE);
    assert_non_null(p);
    size_t total = 0, before = 0;
    for (int i = 0; i < N_PARAS; i++)
        total += strlen(l->texts[i]);
    int cut = index_of(l, wy_prelayout_cut(p));
    for (int i = 0; i < cut; i++)
        before += strlen(l->texts[i]);
    assert_true(cut > 0 && cut < N_PARAS * 45 / 100);
    assert_true(before * 100 >= total * 45);
    assert_true((before - strlen(l->texts[cut - 1])) * 100 < total * 45);
    wy_prelayout_free(p); /* joins; frees what was never taken */
    list_free(l);
}

static void test_short_lists_and_threads_off_start_nothing(void **state)
{
    (void)state;
    List *l = list_new(CHARS_PER_PARA, -1, 0);
    /* a short list: three paragraphs of forty characters */
    List *shorter = list_new(40, -1, 0);
    shorter->boxes[2].next = NULL;
    assert_null(wy_prelayout_start(fonts, shorter->boxes, WIDTH_PT, MAX_BLOCK_PT, WY_FLOW_PAGE));
    /* a single box cannot be cut */
    WyBox *second = l->boxes[0].next;
    l->boxes[0].next = NULL;
    l->texts[0] = realloc(l->texts[0], 3 * 10000 + 1);
    for (int k = 0; k < 10000; k++)
        memcpy(l->texts[0] + 3 * k, "社", 3);
    l->texts[0][3 * 10000] = '\0';
    l->boxes[0].u.para.text = l->texts[0];
    assert_null(wy_prelayout_start(fonts, l->boxes, WIDTH_PT, MAX_BLOCK_PT, WY_FLOW_PAGE));
    l->boxes[0].next = second;
    setenv("WENYIN_THREADS", "1", 1);
    assert_null(wy_prelayout_start(fonts, l->boxes, WIDTH_PT, MAX_BLOCK_PT, WY_FLOW_PAGE));
    unsetenv("WENYIN_THREADS");
    WyPrelayout *p = wy_prelayout_start(fonts, l->boxes, WIDTH_PT, MAX_BLOCK_PT, WY_FLOW_PAGE);
    assert_non_null(p);
    wy_prelayout_free(p);
    wy_prelayout_free(NULL);
    list_free(shorter);
    list_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_worker_hands_over_the_layouts_of_the_second_half, ctx_setup,
                                        ctx_teardown),
        cmocka_unit_test(test_cut_follows_the_text_not_the_count),
        cmocka_unit_test(test_short_lists_and_threads_off_start_nothing),
    };
    return cmocka_run_group_tests(tests, fonts_setup, fonts_teardown);
}
