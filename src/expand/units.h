/* Lengths, type sizes, borders, page sizes and colours as templates write
   them — "三号", "2em", "5.5mm", "50%", "0.5pt red", "A4", "#E60012" —
   turned into points and 0xRRGGBB (wy_length_parse and wy_color_parse
   are declared in expand/template.h). Locale-free. */
#ifndef WY_UNITS_H
#define WY_UNITS_H
#include <stdbool.h>

#include "base/buf.h"
#include "expand/box.h"

typedef enum WyLenUnit {
    WY_LEN_PT,      /* absolute, in points */
    WY_LEN_EM,      /* times the size the length is relative to */
    WY_LEN_FACTOR,  /* a bare number, e.g. line-height="1.5" */
    WY_LEN_PERCENT, /* of the measure, e.g. width="50%" */
} WyLenUnit;

/* A length before the size it may be relative to is known. */
typedef struct WyLen {
    double value;
    WyLenUnit unit;
} WyLen;

/* What wy_len_parse accepts besides absolute lengths and em. */
enum { WY_LEN_ALLOW_FACTOR = 1 << 0, WY_LEN_ALLOW_PERCENT = 1 << 1, WY_LEN_ALLOW_NEGATIVE = 1 << 2 };

/* Parses "12pt", "5.5mm", "1cm", "0.5in", "2em", "0", the 号 sizes
   ("三号", "小四", "初号", "小初号"), plus a bare number or "50%" when ALLOW
   says so. Returns false when TEXT is none of these. */
bool wy_len_parse(const char *text, unsigned allow, WyLen *out);
/* Points for LEN: em and factor against EM_PT, percent against WHOLE_PT. */
double wy_len_resolve(WyLen len, double em_pt, double whole_pt);
/* The point size of a 号 name ("三号", "小四"), or 0 when TEXT is not one. */
double wy_hao_size_pt(const char *text);

/* "0.5pt", "0.5pt red", "1pt #C00000", or "none" (width 0). Widths in em
   are relative to EM_PT. Returns false with a reason in WHY. */
bool wy_border_parse(const char *text, double em_pt, WyBorder *out, WyBuf *why);
/* One to four lengths as in CSS margins ("5mm", "4mm 6mm", "37mm 26mm 35mm
   28mm" = top right bottom left), em against EM_PT. */
bool wy_lengths4_parse(const char *text, double em_pt, double out_pt[4]);
/* "A4", "A5", "B5", "A3", "210mm x 297mm" (x or ×). Portrait sizes. */
bool wy_page_size_parse(const char *text, double *width_pt, double *height_pt);
/* The message for a bad length VALUE, e.g. "3hao is not a length; write
   a size such as 16pt, 5mm, 2em or 三号", appended to WHY. */
void wy_len_explain(const char *value, unsigned allow, WyBuf *why);

#endif
