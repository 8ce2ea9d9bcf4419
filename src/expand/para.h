/* Building one paragraph's text, spans and fields from pieces: template
   text (whose XML whitespace collapses — to nothing between two CJK
   characters, to one space otherwise), literal data text, forced breaks,
   nested spans and page-number fields. Trims the ends when finished.
   Knows nothing of templates or XPath. */
#ifndef WY_PARA_H
#define WY_PARA_H
#include <stdbool.h>

#include "base/arena.h"
#include "base/buf.h"
#include "expand/box.h"

#define WY_PARA_MAX_SPAN_DEPTH 32

/* What an opening span sets; unset members inherit from the enclosing span. */
typedef struct WySpanAttrs {
    unsigned set_flags, clear_flags; /* WySpanFlags */
    WyColor color;                   /* WY_COLOR_NONE = inherit */
    double size_pt;                  /* 0 = inherit */
    const char *role;                /* NULL = inherit; must outlive the builder */
    const char *link;                /* NULL = inherit; must outlive the builder */
} WySpanAttrs;

typedef struct WyParaOpenSpan {
    size_t slot;                     /* index of its WySpan */
} WyParaOpenSpan;

typedef struct WyParaBuilder {
    WyBuf text;
    WySpan *spans;                   /* in opening order: outer before inner */
    size_t n_spans, alloc_spans;
    WyField *fields;
    size_t n_fields, alloc_fields;
    WyOrigin *origins;
    size_t n_origins, alloc_origins;
    WyParaOpenSpan open[WY_PARA_MAX_SPAN_DEPTH];
    int depth;
    bool pending_space;              /* collapsed template whitespace not yet placed */
    unsigned last_cp;                /* last character, 0 at the start or after a break */
} WyParaBuilder;

void wy_para_init(WyParaBuilder *pb);
void wy_para_release(WyParaBuilder *pb);

/* Template text: runs of XML whitespace collapse as described above. */
void wy_para_template_text(WyParaBuilder *pb, const char *s);
/* Text kept as it is, except: \n is a forced break (or a space when
   NEWLINE_IS_SPACE), tabs become spaces, other control characters and
   \r are dropped. */
void wy_para_literal(WyParaBuilder *pb, const char *s, bool newline_is_space);
void wy_para_break(WyParaBuilder *pb);
/* Marks the text added since byte START (a wy_para_text length taken
   before adding it) as read from LOC in a data file. */
void wy_para_origin(WyParaBuilder *pb, size_t start, WyLoc loc);
void wy_para_field(WyParaBuilder *pb, WyFieldKind kind);
/* Returns false when spans nest deeper than WY_PARA_MAX_SPAN_DEPTH. */
bool wy_para_span_open(WyParaBuilder *pb, const WySpanAttrs *attrs);
void wy_para_span_close(WyParaBuilder *pb);

/* True when nothing but whitespace was added. */
bool wy_para_is_empty(const WyParaBuilder *pb);
/* The text so far, borrowed (untrimmed). */
const char *wy_para_text(const WyParaBuilder *pb);

/* Trims spaces and breaks at both ends, drops empty spans, copies
   everything into ARENA as OUT (style left unset) and empties the builder
   for the next paragraph. */
void wy_para_finish(WyParaBuilder *pb, WyArena *arena, WyPara *out);


#endif
