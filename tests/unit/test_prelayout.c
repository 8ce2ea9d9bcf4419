/* Paragraphs laid out ahead on a second thread: the worker takes boxes
   from the end while the main thread goes on from the start, hands over
   what it made once they meet, and that is what the main thread would
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

/* Every paragraph from CUT on was made by the worker, once, and has the
   main thread's lines to the bit; none before CUT was. */
static void assert_handed_over(WyPrelayout *p, List *l, size_t cut)
{
    WyDiag d;
    wy_diag_init(&d, NULL);
    for (size_t i = 0; i < N_PARAS; i++) {
        const WyPara *para = &l->boxes[i].u.para;
        WyLoc loc = l->boxes[i].loc;
        assert_null(wy_prelayout_take(p, para, WIDTH_PT - 1, loc));                  /* another width */
        assert_null(wy_prelayout_take(p, para, WIDTH_PT, wy_loc("other.xml", 1, 1))); /* another place */
        WyParaLayout *ahead = wy_prelayout_take(p, para, WIDTH_PT, loc);
        if (i < cut) {
            assert_null(ahead);
            continue;
        }
        assert_non_null(ahead);
        assert_null(wy_prelayout_take(p, para, WIDTH_PT, loc)); /* handed over once */
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
}

/* The main thread going through the boxes slowly: the worker, from the
   end, meets it somewhere in the middle. */
static void test_worker_meets_the_main_thread(void **state)
{
    (void)state;
    List *l = list_new(CHARS_PER_PARA, -1, 0);
    WyPrelayout *p = wy_prelayout_start(fonts, l->boxes, WIDTH_PT, MAX_BLOCK_PT, WY_FLOW_PAGE);
    assert_non_null(p);
    /* nothing is handed over while the worker may still be running */
    assert_null(wy_prelayout_take(p, &l->boxes[N_PARAS - 1].u.para, WIDTH_PT, l->boxes[N_PARAS - 1].loc));
    size_t met = N_PARAS;
    for (size_t i = 0; i < N_PARAS; i++) {
        /* another flow's box, or one out of turn, changes nothing */
        assert_false(wy_prelayout_arrive(p, &l->boxes[(i + 2) % N_PARAS]));
        if (wy_prelayout_arrive(p, &l->boxes[i])) {
            met = i;
            break;
        }
        g_usleep(20 * 1000); /* the main thread setting box I */
    }
    assert_true(met > 0 && met < N_PARAS); /* both did some */
    assert_int_equal(wy_prelayout_cut(p), met);
    assert_false(wy_prelayout_arrive(p, &l->boxes[met])); /* joined: nothing more to wait for */
    wy_prelayout_join(p); /* again: returns at once */
    assert_handed_over(p, l, met);
    wy_prelayout_free(p);
    list_free(l);
}

/* A main thread busy with its first box: the worker lays out every other
   box, and stops there. */
static void test_worker_takes_all_but_the_first_box(void **state)
{
    (void)state;
    List *l = list_new(CHARS_PER_PARA, 0, 20 * CHARS_PER_PARA);
    WyPrelayout *p = wy_prelayout_start(fonts, l->boxes, WIDTH_PT, MAX_BLOCK_PT, WY_FLOW_PAGE);
    assert_non_null(p);
    assert_false(wy_prelayout_arrive(p, &l->boxes[0])); /* the main thread's */
    for (int waited = 0; wy_prelayout_claimed(p) > 1 && waited < 1000; waited++)
        g_usleep(10 * 1000);
    assert_int_equal(wy_prelayout_claimed(p), 1);
    assert_true(wy_prelayout_arrive(p, &l->boxes[1])); /* the worker's: wait for it */
    assert_int_equal(wy_prelayout_cut(p), 1);
    assert_handed_over(p, l, 1);
    wy_prelayout_free(p); /* frees what was never taken */
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
        cmocka_unit_test_setup_teardown(test_worker_meets_the_main_thread, ctx_setup, ctx_teardown),
        cmocka_unit_test_setup_teardown(test_worker_takes_all_but_the_first_box, ctx_setup, ctx_teardown),
        cmocka_unit_test(test_short_lists_and_threads_off_start_nothing),
    };
    return cmocka_run_group_tests(tests, fonts_setup, fonts_teardown);
}
