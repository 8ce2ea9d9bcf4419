/* Shared by the unit tests that lay text out or draw it: the sanitizer
   settings they need, and the project's font roles. fontconfig keeps its
   configuration (FcInit) for the life of the process, and cairo 1.16 leaks
   a font-subset buffer in cairo_surface_finish for every PDF that embeds a
   font; neither is freed before exit, and only a full stack recognises
   them. Include once per test program. */
#ifndef WY_TEST_FONTS_SUPPORT_H
#define WY_TEST_FONTS_SUPPORT_H
#include <stdio.h>

#include "base/diag.h"
#include "layout/fonts.h"
#include "layout/para.h"

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:FcInitLoadConfigAndFonts\nleak:cairo_surface_finish\n";
}
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "fast_unwind_on_malloc=0";
}

/* The roles of fonts/fonts.conf (the tests run from the repository root),
   or NULL with the reason on stderr. */
static inline WyFonts *load_project_fonts(void)
{
    WyDiag d;
    wy_diag_init(&d, stderr);
    WyFonts *loaded = wy_fonts_new("fonts/fonts.conf", &d);
    wy_diag_release(&d);
    return loaded;
}

/* The group fixture of the tests that need nothing else: FONTS loaded
   once for every test of the group. */
static WyFonts *fonts __attribute__((unused));

static inline int fonts_setup(void **state)
{
    (void)state;
    fonts = load_project_fonts();
    return fonts ? 0 : -1;
}

static inline int fonts_teardown(void **state)
{
    (void)state;
    wy_fonts_free(fonts);
    return 0;
}

/* A paragraph context per test, on FONTS: its font cache is keyed by style
   address, and tests keep their styles on the stack. */
static WyParaCtx *para_ctx __attribute__((unused));

static inline int ctx_setup(void **state)
{
    (void)state;
    para_ctx = wy_para_ctx_new(wy_fonts_context(fonts));
    return 0;
}

static inline int ctx_teardown(void **state)
{
    (void)state;
    wy_para_ctx_free(para_ctx);
    para_ctx = NULL;
    return 0;
}

#endif
