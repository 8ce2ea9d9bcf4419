/* The template compiler's own parts, shared by compile.c (elements, page
   masters, the top level), compile_attr.c (reading attributes, with the
   errors they give) and compile_table.c (tables). Nothing outside the
   compiler includes this: the rest of wenyin sees expand/compile.h. */
#ifndef WY_COMPILER_H
#define WY_COMPILER_H
#include <libxml/tree.h>
#include <stdbool.h>

#include "expand/compile.h"
#include "expand/style.h"

/* What the elements being compiled stand among: blocks, grid cells,
   inlines, table rows, or the cells of a table row. */
typedef enum Ctx { CTX_BLOCK, CTX_CELL, CTX_INLINE, CTX_ROWS, CTX_TABLE_CELLS } Ctx;

typedef struct Compiler {
    WyTemplate *t;
    const WySource *src; /* the file being compiled: the template or an included fragment */
    WyDiag *d;
    int depth;
    bool in_header;   /* inside a page master's header or footer */
    int cell_style;   /* style of the text of the table cells being compiled */
    int in_table_cell; /* table cells open around the element */
} Compiler;

/* The element N names, TPL_UNKNOWN for anything not in the template
   namespace. */
WyTplKind wy_tc_kind(const xmlNode *n);

/* Errors at N, or at its attribute ATTR; both return false. */
__attribute__((format(printf, 3, 4))) bool wy_tc_node_error(Compiler *C, const xmlNode *n, const char *fmt, ...);
__attribute__((format(printf, 4, 5))) bool wy_tc_attr_error(Compiler *C, const xmlNode *n, const char *attr,
                                                            const char *fmt, ...);

/* The value of attribute NAME (borrowed from the template document), or
   NULL when absent; and where it is written. */
const char *wy_tc_attr(const xmlNode *n, const char *name);
WyLoc wy_tc_attr_loc(Compiler *C, const xmlNode *n, const char *name);

/* Attribute readers: each leaves FALLBACK (or nothing) when the attribute
   is absent, and returns false with an error at it when it is wrong. */
bool wy_tc_bool(const xmlNode *n, const char *name, bool fallback);
bool wy_tc_count(Compiler *C, const xmlNode *n, const char *name, int fallback, int *out);
bool wy_tc_len(Compiler *C, const xmlNode *n, const char *name, unsigned allow, WyTplWidth *out);
/* A length in points; em is the body size. */
bool wy_tc_pt(Compiler *C, const xmlNode *n, const char *name, double fallback, double *out);
bool wy_tc_color(Compiler *C, const xmlNode *n, const char *name, bool allow_none, WyColor fallback, WyColor *out);
/* A border; when its text names no colour, DEFAULT_COLOR applies. */
bool wy_tc_border(Compiler *C, const xmlNode *n, const char *name, WyColor default_color, WyBorder *out);
/* A style name (FALLBACK when absent) as a sheet index. */
bool wy_tc_style(Compiler *C, const xmlNode *n, const char *name, const char *fallback, int *out);
/* NULL when absent or, with an error recorded, when it does not compile. */
const WyXPath *wy_tc_xpath(Compiler *C, const xmlNode *n, const char *name);
/* Compiles attribute NAME as a value template into *OUT (NULL when absent). */
bool wy_tc_avt(Compiler *C, const xmlNode *n, const char *name, const WyAvt **out);
/* Style properties written directly on an element (p, h, style). */
bool wy_tc_style_props(Compiler *C, const xmlNode *n, WyStyleSpec *spec);
/* space-before, space-after and keep-with-next. */
bool wy_tc_spacing(Compiler *C, const xmlNode *n, WyTplSpacing *sp);

/* Gives N its compiled node, of KIND, at N's place. */
WyTplNode *wy_tc_annotate(Compiler *C, xmlNodePtr n, WyTplKind kind);

/* Compiles element N, or every element child of PARENT, standing in CTX. */
bool wy_tc_element(Compiler *C, xmlNodePtr n, Ctx ctx);
bool wy_tc_children(Compiler *C, xmlNodePtr parent, Ctx ctx);

/* <table> and a <cell> of a table row (compile_table.c). */
bool wy_tc_table(Compiler *C, xmlNodePtr n, WyTplNode *tn);
bool wy_tc_table_cell(Compiler *C, xmlNodePtr n, WyTplNode *tn);

#endif
