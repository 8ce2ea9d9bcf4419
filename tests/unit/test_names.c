/* Name order for award lists: the generated stroke table, surnames
   (compound, with a middle dot), 姓氏笔画 and pinyin comparison, and the
   stable sort. Expected orders come from CJK.md §9 and the published
   姓氏笔画 convention; everything else is checked against the table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <string.h>

#include "expand/names.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static int strokes_of(uint32_t cp)
{
    int count = -1;
    assert_true(wy_names_strokes(cp, &count, NULL, 0));
    return count;
}

/* The character rule recomputed from the table: strokes, then the sequence
   一丨丿丶乛, then the code point. */
static int expected_char_order(uint32_t a, uint32_t b)
{
    char sa[WY_NAMES_SEQ_MAX], sb[WY_NAMES_SEQ_MAX];
    int ca = 0, cb = 0;
    assert_true(wy_names_strokes(a, &ca, sa, sizeof sa));
    assert_true(wy_names_strokes(b, &cb, sb, sizeof sb));
    if (ca != cb)
        return ca < cb ? -1 : 1;
    for (size_t i = 0; sa[i] && sb[i]; i++)
        if (sa[i] != sb[i])
            return strchr("hspnz", sa[i]) < strchr("hspnz", sb[i]) ? -1 : 1;
    return a < b ? -1 : a > b;
}

static void assert_before(int (*compare)(const char *, const char *), const char *a, const char *b)
{
    if (compare(a, b) >= 0 || compare(b, a) <= 0)
        fail_msg("expected %s before %s", a, b);
}

static void assert_sorted_as(const char *const *expected, size_t n, WyNameOrder order)
{
    const char *names[16];
    assert_true(n <= COUNT_OF(names));
    /* Every rotation and the reversal, so no input order happens to pass. */
    for (size_t shift = 0; shift < 2 * n; shift++) {
        for (size_t i = 0; i < n; i++)
            names[i] = shift < n ? expected[(i + shift) % n] : expected[n - 1 - (i + shift) % n];
        wy_names_sort(names, n, order);
        for (size_t i = 0; i < n; i++)
            assert_string_equal(names[i], expected[i]);
    }
}

/* ------------------------------------------------------------ the table */

static void counts_are_the_mainland_ones(void **state)
{
    (void)state;
    /* CJK.md §9: 阝 is 2 strokes on the mainland (3 in Taiwan). */
    assert_int_equal(strokes_of(0x9648), 7);  /* 陈 */
    assert_int_equal(strokes_of(0x9646), 7);  /* 陆 */
    assert_int_equal(strokes_of(0x9093), 4);  /* 邓 */
    assert_int_equal(strokes_of(0x90D1), 8);  /* 郑 */
    assert_int_equal(strokes_of(0x962E), 6);  /* 阮 */
    assert_int_equal(strokes_of(0x9676), 10); /* 陶 */
    assert_int_equal(strokes_of(0x4E01), 2);  /* 丁 */
    assert_int_equal(strokes_of(0x738B), 4);  /* 王 */
    /* Unihan lists 范 as "8 9" and 骨 as "9 10": the first is the mainland count. */
    assert_int_equal(strokes_of(0x8303), 8);
    assert_int_equal(strokes_of(0x9AA8), 9);
}

static void sequences_are_the_mainland_ones(void **state)
{
    (void)state;
    char seq[WY_NAMES_SEQ_MAX];
    int count = 0;
    assert_true(wy_names_strokes(0x9648, &count, seq, sizeof seq)); /* 陈 */
    assert_string_equal(seq, "zshzspn");                            /* not Taiwan's zzshzzpn */
    const uint32_t ear_side[] = {0x9648, 0x9646, 0x9093, 0x90D1, 0x962E, 0x9676};
    for (size_t i = 0; i < COUNT_OF(ear_side); i++) {
        assert_true(wy_names_strokes(ear_side[i], &count, seq, sizeof seq));
        assert_int_equal(strlen(seq), (size_t)count);
    }
}

static void table_is_consistent_everywhere(void **state)
{
    (void)state;
    char seq[WY_NAMES_SEQ_MAX];
    size_t known = 0, with_sequence = 0;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        int count = -1;
        bool found = wy_names_strokes(cp, &count, seq, sizeof seq);
        if (!found) {
            assert_int_equal(count, 0);
            assert_string_equal(seq, "");
            continue;
        }
        known++;
        assert_true(count > 0 && count < WY_NAMES_SEQ_MAX);
        if (seq[0]) {
            with_sequence++;
            assert_int_equal(strlen(seq), (size_t)count);
            assert_int_equal(strspn(seq, "hspnz"), (size_t)count);
        }
    }
    /* Every URO ideograph has a count; the rare ones need not have a sequence. */
    for (uint32_t cp = 0x4E00; cp <= 0x9FFF; cp++)
        assert_true(wy_names_strokes(cp, NULL, NULL, 0));
    assert_true(known >= 0x9FFF - 0x4E00 + 1);
    assert_true(with_sequence > 0 && with_sequence <= known);
    /* Ties among common surnames are settled by strokes, not code points:
       each of the 100 most frequent has its whole sequence. */
    const char *surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
                           "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱"
                           "江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
    for (const unsigned char *p = (const unsigned char *)surnames; *p; p += 3) {
        uint32_t cp = ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        int count = 0;
        assert_true(wy_names_strokes(cp, &count, seq, sizeof seq));
        if (strlen(seq) != (size_t)count)
            fail_msg("U+%04X has no full stroke sequence", (unsigned)cp);
    }
    assert_non_null(strstr(wy_names_table_source(), "Unihan"));
}

static void sequence_is_truncated_to_the_buffer(void **state)
{
    (void)state;
    char full[WY_NAMES_SEQ_MAX], small[3] = "xx";
    int count = 0;
    assert_true(wy_names_strokes(0x9648, &count, full, sizeof full));
    assert_true(wy_names_strokes(0x9648, NULL, small, sizeof small));
    assert_int_equal(strlen(small), 2);
    assert_memory_equal(small, full, 2);
    assert_true(wy_names_strokes(0x9648, &count, NULL, 0));
    assert_int_equal(count, 7);
}

static void unknown_characters_have_no_count(void **state)
{
    (void)state;
    char seq[8] = "junk";
    int count = -1;
    assert_false(wy_names_strokes(0xF8FF, &count, seq, sizeof seq)); /* private use */
    assert_int_equal(count, 0);
    assert_string_equal(seq, "");
    assert_false(wy_names_strokes('A', NULL, NULL, 0));
    assert_false(wy_names_strokes(0x110000, NULL, NULL, 0));
}

/* ------------------------------------------------------------ surnames */

static void finds_compound_surnames(void **state)
{
    (void)state;
    assert_int_equal(wy_names_surname_len("欧阳修"), 2);
    assert_int_equal(wy_names_surname_len("欧阳少东"), 2);
    assert_int_equal(wy_names_surname_len("司马光"), 2);
    assert_int_equal(wy_names_surname_len("诸葛亮"), 2);
    assert_int_equal(wy_names_surname_len("上官婉儿"), 2);
    assert_int_equal(wy_names_surname_len("歐陽修"), 2);
    assert_int_equal(wy_names_surname_len("爱新觉罗溥仪"), 4);
    /* Without a given name after it, 欧阳 is 欧 + 阳. */
    assert_int_equal(wy_names_surname_len("欧阳"), 1);
    assert_int_equal(wy_names_surname_len("欧明"), 1);
    assert_int_equal(wy_names_surname_len("王"), 1);
    assert_int_equal(wy_names_surname_len("　王　明"), 1);
    assert_int_equal(wy_names_surname_len(""), 0);
    assert_int_equal(wy_names_surname_len("　 "), 0);
    assert_int_equal(wy_names_surname_len(NULL), 0);
}

static void surname_before_a_middle_dot(void **state)
{
    (void)state;
    assert_int_equal(wy_names_surname_len("阿依古丽·买买提"), 4);
    assert_int_equal(wy_names_surname_len("迪丽热巴·迪力木拉提"), 4);
    assert_int_equal(wy_names_surname_len("阿依古丽•买买提"), 4);   /* U+2022 */
    assert_int_equal(wy_names_surname_len("阿依古丽・买买提"), 4);  /* U+30FB */
    assert_int_equal(wy_names_surname_len("阿依古丽 · 买买提"), 4);
    assert_int_equal(wy_names_surname_len("爱新觉罗·溥仪"), 4);
    assert_int_equal(wy_names_surname_len("·王明"), 1); /* a stray leading dot */

    /* The whole part before the dot is the surname: 阿 alone comes first. */
    assert_before(wy_names_compare_stroke, "阿明", "阿依古丽·买买提");
    /* Same surname: the given names decide, character by character. */
    int c = wy_names_compare_stroke("阿依古丽·买买提", "阿依古丽·艾力");
    assert_int_equal(c, expected_char_order(0x4E70, 0x827E)); /* 买 vs 艾 */
    /* Another dot character gives the same place among other names. */
    const char *others[] = {"阿明", "阿依古丽·艾力", "迪丽热巴·迪力木拉提", "丁一"};
    for (size_t i = 0; i < COUNT_OF(others); i++) {
        int with_b7 = wy_names_compare_stroke("阿依古丽·买买提", others[i]);
        assert_int_equal(wy_names_compare_stroke("阿依古丽・买买提", others[i]) < 0, with_b7 < 0);
        assert_int_equal(wy_names_compare_stroke("阿依古丽•买买提", others[i]) < 0, with_b7 < 0);
    }
}

/* ------------------------------------------------------------ stroke order */

static void seven_stroke_group_reads_in_the_accepted_order(void **state)
{
    (void)state;
    static const char *const bare[] = {"李", "吴", "何", "宋", "张", "陈"};
    static const char *const named[] = {"李华", "吴华", "何华", "宋华", "张华", "陈华"};
    for (size_t i = 0; i < COUNT_OF(bare); i++) {
        uint32_t cp = 0;
        /* all six have 7 strokes: the sequence alone orders them */
        const unsigned char *s = (const unsigned char *)bare[i];
        cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        assert_int_equal(strokes_of(cp), 7);
    }
    /* every permutation of the six */
    size_t perm[6] = {0, 1, 2, 3, 4, 5};
    size_t tried = 0;
    for (;;) {
        const char *names[6], *full[6];
        for (size_t i = 0; i < 6; i++) {
            names[i] = bare[perm[i]];
            full[i] = named[perm[i]];
        }
        wy_names_sort(names, 6, WY_NAMES_BY_STROKES);
        wy_names_sort(full, 6, WY_NAMES_BY_STROKES);
        for (size_t i = 0; i < 6; i++) {
            assert_string_equal(names[i], bare[i]);
            assert_string_equal(full[i], named[i]);
        }
        tried++;
        /* next permutation in lexicographic order */
        size_t k = 5;
        while (k > 0 && perm[k - 1] > perm[k])
            k--;
        if (k == 0)
            break;
        size_t l = 5;
        while (perm[l] < perm[k - 1])
            l--;
        size_t t = perm[k - 1];
        perm[k - 1] = perm[l];
        perm[l] = t;
        for (size_t a = k, b = 5; a < b; a++, b--) {
            t = perm[a];
            perm[a] = perm[b];
            perm[b] = t;
        }
    }
    assert_int_equal(tried, 720);
}

static void fewer_strokes_first(void **state)
{
    (void)state;
    assert_before(wy_names_compare_stroke, "陈", "周");
    assert_before(wy_names_compare_stroke, "陈明", "周一");
    assert_before(wy_names_compare_stroke, "丁", "王");
    assert_before(wy_names_compare_stroke, "丁大伟", "王一");
    /* the ear-side surnames in their mainland groups: 2, 4, 6, 7, 8, 10 */
    static const char *const list[] = {"丁一", "邓二", "阮四", "陈六", "郑八", "陶九"};
    assert_sorted_as(list, COUNT_OF(list), WY_NAMES_BY_STROKES);
    /* same count: the sequence decides */
    assert_int_equal(wy_names_compare_stroke("陆五", "陈六"), expected_char_order(0x9646, 0x9648));
    assert_int_equal(wy_names_compare_stroke("王三", "邓二"), expected_char_order(0x738B, 0x9093));
}

/* The examples of the 姓氏笔画 convention itself. */
static void follows_the_published_convention(void **state)
{
    (void)state;
    assert_before(wy_names_compare_stroke, "王", "文");           /* 起笔 一 before 丶 */
    assert_before(wy_names_compare_stroke, "林", "欧");           /* 8 each, 2nd stroke 丨 before 丿 */
    assert_before(wy_names_compare_stroke, "李一鸣", "李大鸣");   /* same surname: the next character */
    assert_before(wy_names_compare_stroke, "欧阳少东", "洪少东"); /* compound: by its first character */
    /* A one-character given name stands after a blank: 高□富 before 高大富. */
    assert_before(wy_names_compare_stroke, "高富", "高大富");
    assert_before(wy_names_compare_stroke, "田富", "田大利");
    assert_before(wy_names_compare_stroke, "王", "王晨");
    /* padding typed to line names up changes nothing */
    assert_true(wy_names_compare_stroke("田　富", "田大利") < 0);
    assert_true(wy_names_compare_stroke("田　富", "田富") != 0);
}

static void compound_surnames_group_together(void **state)
{
    (void)state;
    const char *names[] = {"欧阳锋", "欧明", "欧阳修", "欧一", "洪七", "欧阳"};
    const size_t n = COUNT_OF(names);
    wy_names_sort(names, n, WY_NAMES_BY_STROKES);
    /* 欧 (and 欧阳 alone, which is 欧 + 阳) first, then 欧阳X, then 洪 */
    size_t i = 0;
    while (i < n && wy_names_surname_len(names[i]) == 1 && strncmp(names[i], "欧", strlen("欧")) == 0)
        i++;
    assert_int_equal(i, 3);
    while (i < n && strncmp(names[i], "欧阳", strlen("欧阳")) == 0 && wy_names_surname_len(names[i]) == 2)
        i++;
    assert_int_equal(i, 5);
    assert_string_equal(names[5], "洪七");
    /* inside the 欧阳 group, by the given name's strokes */
    assert_string_equal(names[3], expected_char_order(0x4FEE, 0x950B) < 0 ? "欧阳修" : "欧阳锋");
}

static void unknown_characters_sort_last(void **state)
{
    (void)state;
    const char *pua = "\xEF\xA3\xBF明"; /* U+F8FF */
    const char *names[] = {pua, "Zhang Wei", "龘", "丁一", "\xFF\xFE"};
    wy_names_sort(names, COUNT_OF(names), WY_NAMES_BY_STROKES);
    assert_string_equal(names[0], "丁一");
    assert_string_equal(names[1], "龘");
    /* the rest by code point: Z, U+F8FF, then the invalid bytes (U+FFFD) */
    assert_string_equal(names[2], "Zhang Wei");
    assert_string_equal(names[3], pua);
    assert_string_equal(names[4], "\xFF\xFE");
}

static void characters_outside_the_bmp(void **state)
{
    (void)state;
    char seq[WY_NAMES_SEQ_MAX];
    int count = 0;
    assert_true(wy_names_strokes(0x20BB7, &count, seq, sizeof seq)); /* 𠮷 */
    assert_true(count > 0);
    assert_int_equal(strlen(seq), (size_t)count);
    /* 𠮷 sorts by its strokes among BMP characters, not after them */
    const char *name = "𠮷祥";
    assert_true(count > strokes_of(0x4E01));
    assert_before(wy_names_compare_stroke, "丁祥", name);
    assert_before(wy_names_compare_stroke, name, "\xEF\xA3\xBF");
    assert_int_equal(wy_names_compare_stroke(name, "龘祥"), expected_char_order(0x20BB7, 0x9F98));
    /* 吉 differs from 𠮷 only in its glyph */
    assert_int_equal(wy_names_compare_stroke(name, "吉祥"), expected_char_order(0x20BB7, 0x5409));
    assert_int_equal(wy_names_surname_len(name), 1);
}

/* ------------------------------------------------------------ pinyin */

static void pinyin_order(void **state)
{
    (void)state;
    static const char *const list[] = {"安", "白", "陈", "张"};
    assert_sorted_as(list, COUNT_OF(list), WY_NAMES_BY_PINYIN);
    static const char *const full[] = {"安然", "白雪", "陈明", "张伟"};
    assert_sorted_as(full, COUNT_OF(full), WY_NAMES_BY_PINYIN);
    /* by pinyin 陈 (chen) comes before 丁 (ding), the reverse of strokes */
    assert_before(wy_names_compare_pinyin, "陈明", "丁一");
    assert_before(wy_names_compare_stroke, "丁一", "陈明");
    /* equal collation falls to the stroke order, which never ties */
    int c = wy_names_compare_pinyin("王　明", "王明");
    assert_true(c != 0);
    assert_int_equal(c, wy_names_compare_stroke("王　明", "王明"));
}

/* ------------------------------------------------------------ total and stable */

static const char *const MIXED[] = {
    "李华", "吴华", "陈", "周一", "欧阳修", "欧明", "欧阳", "阿依古丽·买买提", "阿依古丽・买买提",
    "迪丽热巴·迪力木拉提", "𠮷祥", "吉祥", "\xEF\xA3\xBF", "Zhang Wei", "", "　", "王　明", "王明",
    "王晨", "王沪宁", "田富", "田大利", "\xFF", "\xC0\x80", "\xED\xA0\x80", "丁", "丁丁", "张三",
    "章三", "上官婉儿", "司马光", "爱新觉罗·溥仪",
};

static void comparisons_are_total(void **state)
{
    (void)state;
    int (*const compares[])(const char *, const char *) = {wy_names_compare_stroke, wy_names_compare_pinyin};
    const size_t n = COUNT_OF(MIXED);
    for (size_t k = 0; k < COUNT_OF(compares); k++) {
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(compares[k](MIXED[i], MIXED[i]), 0);
            for (size_t j = 0; j < n; j++) {
                int ab = compares[k](MIXED[i], MIXED[j]);
                assert_int_equal(ab, -compares[k](MIXED[j], MIXED[i]));
                assert_int_equal(ab == 0, strcmp(MIXED[i], MIXED[j]) == 0);
                for (size_t m = 0; m < n; m++)
                    if (ab < 0 && compares[k](MIXED[j], MIXED[m]) < 0)
                        assert_true(compares[k](MIXED[i], MIXED[m]) < 0);
            }
        }
    }
    assert_int_equal(wy_names_compare_stroke(NULL, ""), 0);
    assert_true(wy_names_compare_stroke(NULL, "丁") < 0);
}

static void sort_is_stable_and_agrees_with_compare(void **state)
{
    (void)state;
    for (int order = WY_NAMES_BY_STROKES; order <= WY_NAMES_BY_PINYIN; order++) {
        int (*compare)(const char *, const char *) =
            order == WY_NAMES_BY_PINYIN ? wy_names_compare_pinyin : wy_names_compare_stroke;
        /* equal names as distinct copies: their order must survive */
        char copies[4][16];
        for (size_t i = 0; i < 4; i++)
            memcpy(copies[i], i % 2 ? "王明" : "李华", sizeof "王明");
        const char *names[COUNT_OF(MIXED) + 4];
        size_t n = 0;
        for (size_t i = 0; i < COUNT_OF(MIXED); i++) {
            names[n++] = MIXED[(i * 7) % COUNT_OF(MIXED)]; /* 7 is prime to the count: a shuffle */
            if (i % 8 == 0)
                names[n++] = copies[i / 8];
        }
        assert_int_equal(n, COUNT_OF(names));
        wy_names_sort(names, n, (WyNameOrder)order);
        for (size_t i = 1; i < n; i++)
            assert_true(compare(names[i - 1], names[i]) <= 0);
        const char *seen[4];
        size_t found = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t c = 0; c < 4; c++)
                if (names[i] == copies[c])
                    seen[found++] = names[i];
        assert_int_equal(found, 4);
        /* copies 0 and 2 are 李华, 1 and 3 王明: each pair kept its order */
        const char *li[2], *wang[2];
        size_t nl = 0, nw = 0;
        for (size_t i = 0; i < 4; i++) {
            if (seen[i] == copies[0] || seen[i] == copies[2])
                li[nl++] = seen[i];
            else
                wang[nw++] = seen[i];
        }
        assert_ptr_equal(li[0], copies[0]);
        assert_ptr_equal(li[1], copies[2]);
        assert_ptr_equal(wang[0], copies[1]);
        assert_ptr_equal(wang[1], copies[3]);
    }
    wy_names_sort(NULL, 0, WY_NAMES_BY_STROKES);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_are_the_mainland_ones),
        cmocka_unit_test(sequences_are_the_mainland_ones),
        cmocka_unit_test(table_is_consistent_everywhere),
        cmocka_unit_test(sequence_is_truncated_to_the_buffer),
        cmocka_unit_test(unknown_characters_have_no_count),
        cmocka_unit_test(finds_compound_surnames),
        cmocka_unit_test(surname_before_a_middle_dot),
        cmocka_unit_test(seven_stroke_group_reads_in_the_accepted_order),
        cmocka_unit_test(fewer_strokes_first),
        cmocka_unit_test(follows_the_published_convention),
        cmocka_unit_test(compound_surnames_group_together),
        cmocka_unit_test(unknown_characters_sort_last),
        cmocka_unit_test(characters_outside_the_bmp),
        cmocka_unit_test(pinyin_order),
        cmocka_unit_test(comparisons_are_total),
        cmocka_unit_test(sort_is_stable_and_agrees_with_compare),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
