/* Coverage: pango substitutes faces silently and counts only the boxes it
   draws. This module finds, in a laid-out paragraph, each character set in
   a face its font role does not allow (layout/fonts wy_fonts_allowed_faces)
   or in no face at all, and reports it as a warning at the paragraph's data
   line (an error with --strict). It never changes a layout. */
#ifndef WY_COVERAGE_H
#define WY_COVERAGE_H
#include <pango/pango.h>

#include "base/diag.h"
#include "layout/fonts.h"
#include "layout/para.h"

/* Distinct characters reported per document; the rest are counted in one
   summary line. */
#define WY_COVERAGE_MAX_REPORTS 50

/* One document's check: the decisions it caches and the characters it has
   reported. FONTS and D are borrowed and must outlive it. */
typedef struct WyCoverage WyCoverage;

WyCoverage *wy_coverage_new(WyFonts *fonts, WyDiag *d);
/* Reports how many characters went unlisted past WY_COVERAGE_MAX_REPORTS,
   then frees C. */
void wy_coverage_free(WyCoverage *c);

/* Checks every run of PL, PARA laid out by wy_para_layout in FONTS'
   context (its family attributes name the roles: wenyin-ROLE). Each
   character that fell back to another face or has no glyph is reported
   once per character, role and file, at the data file and row it was read
   from (PARA's origins) or else at LOC. Never fails. */
void wy_coverage_check(WyCoverage *c, const WyParaLayout *pl, const WyPara *para, WyLoc loc);

/* Characters reported so far (not counting those held back). */
size_t wy_coverage_reported(const WyCoverage *c);

#endif
