/* `wenyin fonts`: which face each font role resolves to, for Simplified
   and Traditional Chinese, regular and bold, and how much of GB 2312 and
   of the CJK Unified Ideographs block that face covers. */
#include <glib.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/mem.h"
#include "cli/cli.h"
#include "cli/resources.h"
#include "expand/box.h"
#include "layout/fonts.h"

/* GB 2312 Hanzi: rows 16–87 (lead bytes 0xB0–0xF7), 94 cells each, less
   the five empty cells at the end of row 55. */
#define GB2312_HANZI 6763
#define GB2312_FIRST_LEAD 0xB0
#define GB2312_LAST_LEAD 0xF7
#define GB2312_FIRST_TRAIL 0xA1
#define GB2312_LAST_TRAIL 0xFE
#define URO_FIRST 0x4E00u /* CJK Unified Ideographs */
#define URO_LAST 0x9FFFu

/* Fills HANZI with the code points of GB 2312's Hanzi, decoded by iconv;
   returns how many (GB2312_HANZI), or 0 when the system cannot decode
   GB 2312. */
static size_t gb2312_hanzi(uint32_t *hanzi)
{
    iconv_t cd = iconv_open("UTF-32LE", "GB2312");
    if (cd == (iconv_t)-1)
        return 0;
    size_t n = 0;
    for (unsigned lead = GB2312_FIRST_LEAD; lead <= GB2312_LAST_LEAD; lead++) {
        for (unsigned trail = GB2312_FIRST_TRAIL; trail <= GB2312_LAST_TRAIL && n < GB2312_HANZI; trail++) {
            char in[2] = {(char)lead, (char)trail};
            unsigned char out[4];
            char *inp = in, *outp = (char *)out;
            size_t in_left = sizeof in, out_left = sizeof out;
            iconv(cd, NULL, NULL, NULL, NULL);
            if (iconv(cd, &inp, &in_left, &outp, &out_left) == (size_t)-1 || out_left != 0)
                continue; /* an empty cell (row 55) */
            hanzi[n++] = (uint32_t)out[0] | (uint32_t)out[1] << 8 | (uint32_t)out[2] << 16 | (uint32_t)out[3] << 24;
        }
    }
    iconv_close(cd);
    return n;
}

static void print_coverage(WyFonts *fonts)
{
    uint32_t *gb = wy_xcalloc(GB2312_HANZI, sizeof *gb);
    size_t n_gb = gb2312_hanzi(gb);
    size_t n_uro = URO_LAST - URO_FIRST + 1;
    uint32_t *uro = wy_xcalloc(n_uro, sizeof *uro);
    for (size_t i = 0; i < n_uro; i++)
        uro[i] = URO_FIRST + (uint32_t)i;
    printf("\ncoverage of each role's zh-Hans face:\n");
    for (const char *const *role = wy_font_roles; *role; role++) {
        char *face = wy_fonts_resolve(fonts, *role, "zh-Hans", false);
        size_t in_gb = wy_fonts_count_covered(fonts, *role, "zh-Hans", gb, n_gb);
        size_t in_uro = wy_fonts_count_covered(fonts, *role, "zh-Hans", uro, n_uro);
        printf("%-10s %-28s %zu/%zu GB2312, %zu/%zu URO\n", *role, face ? face : "(none)", in_gb, n_gb, in_uro, n_uro);
        g_free(face);
    }
    free(gb);
    free(uro);
}

int wy_cli_fonts(int argc, char **argv)
{
    if (argc == 1 && strcmp(argv[0], "--help") == 0) {
        fputs("Usage: wenyin fonts\nShows the face each font role (title, body, heading, ...)\n"
              "resolves to through fonts/fonts.conf, and how many of GB 2312's 6,763\n"
              "Hanzi and of the CJK Unified Ideographs U+4E00-U+9FFF that face has.\n",
              stdout);
        return 0;
    }
    if (argc > 0) {
        fprintf(stderr, "wenyin: error: fonts takes no arguments\n");
        return 2;
    }
    WyDiag diag;
    wy_diag_init(&diag, stderr);
    char *conf = wy_resource_path("fonts/fonts.conf");
    WyFonts *fonts = NULL;
    if (!conf) {
        wy_diag_io_error(&diag, wy_loc(NULL, 0, 0), "cannot find wenyin's fonts/fonts.conf; set WENYIN_DATADIR");
        goto out;
    }
    fonts = wy_fonts_new(conf, &diag);
    if (!fonts)
        goto out;
    printf("configuration: %s\n", conf);
    printf("%-10s %-28s %-28s %s\n", "role", "zh-Hans", "zh-Hant", "bold (zh-Hans)");
    for (const char *const *role = wy_font_roles; *role; role++) {
        char *hans = wy_fonts_resolve(fonts, *role, "zh-Hans", false);
        char *hant = wy_fonts_resolve(fonts, *role, "zh-Hant", false);
        char *bold = wy_fonts_resolve(fonts, *role, "zh-Hans", true);
        printf("%-10s %-28s %-28s %s\n", *role, hans ? hans : "(none)", hant ? hant : "(none)",
               bold ? bold : "(none)");
        g_free(hans);
        g_free(hant);
        g_free(bold);
    }
    print_coverage(fonts);
out:
    wy_fonts_free(fonts);
    free(conf);
    int code = wy_diag_exit_code(&diag);
    wy_diag_release(&diag);
    return code;
}
