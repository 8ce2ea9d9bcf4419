/* Unit tests for src/base: WyBuf, WyArena, WyDiag and atomic files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/fsx.h"
#include "base/mem.h"

static void test_buf_grows_and_stays_terminated(void **state)
{
    (void)state;
    WyBuf b;
    wy_buf_init(&b);
    assert_string_equal(wy_buf_str(&b), "");
    for (int i = 0; i < 1000; i++)
        assert_true(wy_buf_printf(&b, "%d,", i));
    assert_int_equal(b.len, strlen(b.data));
    assert_memory_equal(b.data, "0,1,2,", 6);
    assert_string_equal(b.data + b.len - 4, "999,");
    wy_buf_release(&b);
}

static void test_buf_cap_refuses_growth(void **state)
{
    (void)state;
    WyBuf b;
    wy_buf_init(&b);
    b.cap = 8;
    assert_true(wy_buf_puts(&b, "12345678"));
    assert_false(wy_buf_putc(&b, '9'));
    assert_true(b.overflow);
    assert_string_equal(wy_buf_str(&b), "12345678");
    wy_buf_release(&b);
}

static void test_buf_utf8(void **state)
{
    (void)state;
    WyBuf b;
    wy_buf_init(&b);
    wy_buf_put_utf8(&b, 'A');
    wy_buf_put_utf8(&b, 0x00E9);
    wy_buf_put_utf8(&b, 0x6587);  /* 文 */
    wy_buf_put_utf8(&b, 0x20BB7); /* 𠮷, outside the BMP */
    assert_string_equal(wy_buf_str(&b), "A\xC3\xA9\xE6\x96\x87\xF0\xA0\xAE\xB7");
    char *s = wy_buf_steal(&b);
    assert_null(b.data);
    assert_int_equal(strlen(s), 10);
    free(s);
}

static void test_arena_alignment_and_zeroing(void **state)
{
    (void)state;
    WyArena a;
    wy_arena_init(&a);
    for (int i = 1; i < 5000; i += 7) {
        unsigned char *p = wy_arena_alloc(&a, (size_t)i);
        assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
        for (int k = 0; k < i; k++)
            assert_int_equal(p[k], 0);
        memset(p, 0xAB, (size_t)i);
    }
    char *big = wy_arena_alloc(&a, 1 << 20); /* larger than a chunk */
    big[(1 << 20) - 1] = 'x';
    assert_string_equal(wy_arena_strdup(&a, "社工站"), "社工站");
    wy_arena_release(&a);
}

static void test_diag_formats_location_and_caret(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    const char *src = "名称,地址\n星原,交通路\"60号\n";
    wy_diag_error_src(&d, wy_loc("s.csv", 2, 7), src, strlen(src), "a quote is never closed");
    const char *text = wy_buf_str(&d.text);
    assert_non_null(strstr(text, "s.csv:2:7: error: a quote is never closed\n"));
    /* the caret sits under the quote: 星原 (2 columns each), ',', 交通路 */
    assert_non_null(strstr(text, "  星原,交通路\"60号\n  " "    " " " "      " "^\n"));
    assert_int_equal(wy_diag_exit_code(&d), 1);
    wy_diag_io_error(&d, wy_loc("x", 0, 0), "later");
    assert_int_equal(wy_diag_exit_code(&d), 1); /* the first error sticks */
    wy_diag_release(&d);
}

static void test_diag_strict_turns_warnings_into_errors(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    wy_diag_warning(&d, wy_loc("a.md", 3, 1), "fell back");
    assert_false(wy_diag_failed(&d));
    assert_int_equal(d.warnings, 1);
    d.warnings_are_errors = true;
    wy_diag_warning(&d, wy_loc("a.md", 4, 1), "fell back");
    assert_true(wy_diag_failed(&d));
    assert_non_null(strstr(wy_buf_str(&d.text), "a.md:4:1: error: fell back"));
    wy_diag_release(&d);
}

static int count_entries(const char *dir)
{
    DIR *dp = opendir(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(dp);
    return n;
}

static void test_atomic_commit_replaces_and_abort_keeps(void **state)
{
    (void)state;
    char dir[] = "/tmp/wy-fsx-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *target = wy_fsx_join(dir, "out.pdf");
    FILE *f = fopen(target, "w");
    fputs("old", f);
    fclose(f);

    WyDiag d;
    wy_diag_init(&d, NULL);
    WyAtomicFile af;
    assert_true(wy_atomic_open(&af, target, &d));
    wy_atomic_write(&af, "new", 3);
    assert_int_equal(count_entries(dir), 2); /* target + temp */
    wy_atomic_abort(&af);
    WyBuf b;
    wy_buf_init(&b);
    assert_true(wy_fsx_read(target, 100, &b, &d));
    assert_string_equal(wy_buf_str(&b), "old");
    assert_int_equal(count_entries(dir), 1);

    assert_true(wy_atomic_open(&af, target, &d));
    wy_atomic_write(&af, "new", 3);
    assert_true(wy_atomic_commit(&af, &d));
    assert_true(wy_fsx_read(target, 100, &b, &d));
    assert_string_equal(wy_buf_str(&b), "new");
    assert_int_equal(count_entries(dir), 1);

    /* a temp file left by a killed run is cleaned by the next one */
    char *stale = wy_fsx_join(dir, ".out.pdf.wenyin-tmp-abc123");
    f = fopen(stale, "w");
    fclose(f);
    assert_true(wy_atomic_open(&af, target, &d));
    assert_int_equal(access(stale, F_OK), -1);
    wy_atomic_abort(&af);
    assert_false(wy_diag_failed(&d));

    unlink(target);
    rmdir(dir);
    free(stale);
    free(target);
    wy_buf_release(&b);
    wy_diag_release(&d);
}

static void test_read_missing_and_too_large(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyBuf b;
    wy_buf_init(&b);
    assert_false(wy_fsx_read("/nonexistent/x.csv", 100, &b, &d));
    assert_int_equal(wy_diag_exit_code(&d), 3);
    assert_non_null(strstr(wy_buf_str(&d.text), "/nonexistent/x.csv: error: file not found"));
    WyDiag d2;
    wy_diag_init(&d2, NULL);
    assert_false(wy_fsx_read("/etc/services", 10, &b, &d2));
    assert_int_equal(wy_diag_exit_code(&d2), 1);
    wy_buf_release(&b);
    wy_diag_release(&d);
    wy_diag_release(&d2);
}

static void test_paths(void **state)
{
    (void)state;
    char *s = wy_fsx_dirname("a/b/c.csv");
    assert_string_equal(s, "a/b");
    free(s);
    s = wy_fsx_dirname("c.csv");
    assert_string_equal(s, ".");
    free(s);
    s = wy_fsx_join("a/b", "img/x.png");
    assert_string_equal(s, "a/b/img/x.png");
    free(s);
    s = wy_fsx_join("a", "/abs.png");
    assert_string_equal(s, "/abs.png");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_grows_and_stays_terminated),
        cmocka_unit_test(test_buf_cap_refuses_growth),
        cmocka_unit_test(test_buf_utf8),
        cmocka_unit_test(test_arena_alignment_and_zeroing),
        cmocka_unit_test(test_diag_formats_location_and_caret),
        cmocka_unit_test(test_diag_strict_turns_warnings_into_errors),
        cmocka_unit_test(test_atomic_commit_replaces_and_abort_keeps),
        cmocka_unit_test(test_read_missing_and_too_large),
        cmocka_unit_test(test_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
