/* `wenyin fonts`: which face each font role resolves to, for Simplified
   and Traditional Chinese, regular and bold. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "cli/cli.h"
#include "cli/resources.h"
#include "expand/box.h"
#include "layout/fonts.h"

int wy_cli_fonts(int argc, char **argv)
{
    if (argc == 1 && strcmp(argv[0], "--help") == 0) {
        fputs("Usage: wenyin fonts\nShows the face each font role (title, body, heading, ...)\n"
              "resolves to through fonts/fonts.conf.\n",
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
out:
    wy_fonts_free(fonts);
    free(conf);
    int code = wy_diag_exit_code(&diag);
    wy_diag_release(&diag);
    return code;
}
