/* Compiling a validated template: every element of the template document
   gets a WyTplNode (hung on xmlNode._private) holding what the expander
   needs already parsed — styles resolved to sheet indexes, lengths in
   points, colours, compiled XPath. All checks the schema cannot make
   happen here, so a template that compiles expands without template
   errors (only data errors remain). Internal to src/expand. */
#ifndef WY_COMPILE_H
#define WY_COMPILE_H
#include <libxml/tree.h>
#include <stdbool.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "expand/bind.h"
#include "expand/box.h"
#include "expand/sort.h"
#include "expand/srcloc.h"
#include "expand/style.h"
#include "expand/template.h"

#define WY_TEMPLATE_NS "urn:wenyin:template"
#define WY_CONTENT_HEADING_LEVELS 6
#define WY_TPL_MAX_COUNT 1000 /* columns of a grid, and the like */

typedef enum WyTplKind {
    TPL_UNKNOWN = 0,
    /* structure */
    TPL_TEMPLATE, TPL_META, TPL_PARAM, TPL_STYLE, TPL_PAGE_MASTER, TPL_HEADER, TPL_FOOTER, TPL_SEQUENCE,
    /* blocks */
    TPL_P, TPL_H, TPL_IMAGE, TPL_RULE, TPL_SPACE, TPL_PAGE_BREAK, TPL_BOX, TPL_COLUMNS, TPL_GRID,
    TPL_CELL, TPL_CONTENT, TPL_PARALLEL,
    /* tables: the table's header, body and footer, its rows and cells */
    TPL_TABLE, TPL_CAPTION, TPL_CONTINUED_CAPTION, TPL_COLUMN, TPL_TABLE_HEADER, TPL_TABLE_BODY,
    TPL_TABLE_FOOTER, TPL_ROW, TPL_TABLE_CELL,
    /* control, in any context */
    TPL_FOR_EACH, TPL_IF, TPL_CHOOSE, TPL_WHEN, TPL_OTHERWISE, TPL_WITH, TPL_VARIABLE,
    TPL_REQUIRE, TPL_INCLUDE, TPL_FRAGMENT,
    /* inlines */
    TPL_VALUE_OF, TPL_SPAN, TPL_BR, TPL_PAGE_NUMBER, TPL_PAGE_COUNT, TPL_TEXT,
} WyTplKind;

/* Vertical spacing and keeping of a non-paragraph block. */
typedef struct WyTplSpacing {
    double before_pt, after_pt;
    bool keep_with_next;
} WyTplSpacing;

/* A length that may be a share of the measure; `set` false = not given. */
typedef struct WyTplWidth {
    WyLen len;
    bool set;
} WyTplWidth;

/* How <content> (and each side of <parallel>) maps an article's blocks to
   styles. */
typedef struct WyTplContent {
    const WyXPath *select;
    int p, h[WY_CONTENT_HEADING_LEVELS], li, quote, caption; /* sheet indexes; li -1 = from p */
    WyTplWidth image_width;
    bool bookmarks;
} WyTplContent;

typedef struct WyTplNode {
    WyTplKind kind;
    WyLoc loc; /* the start tag */
    union {
        struct {
            int style;              /* sheet index, overrides applied */
            const WyAvt *bookmark;  /* explicit text, or NULL */
            bool bookmark_off;      /* bookmark="" */
            bool bookmark_auto;     /* <h>: the heading's own text */
            int bookmark_level;
            bool split_lines;
            xmlNodePtr split_value; /* the <value-of> split-lines splits */
            const WyAvt *lang;      /* lang="{…}": the language from the data, or NULL */
        } para; /* TPL_P, TPL_H */
        struct {
            const WyAvt *src;
            WyTplWidth width;
            WyAlign align;
            const WyAvt *caption;
            int caption_style;
            WyTplSpacing sp;
        } image;
        struct {
            double thickness_pt;
            WyColor color;
            WyTplWidth width;
            bool double_line;
            WyTplSpacing sp;
        } rule;
        struct {
            double height_pt;
        } space;
        struct {
            WyBorder border[4];     /* top, right, bottom, left */
            double padding_pt[4];
            WyColor background;
            WyTplWidth width;
            bool keep_together;
            bool at_foot;           /* at="foot" */
            WyVAlign valign;
            WyTplSpacing sp;
        } frame; /* TPL_BOX, TPL_CELL */
        struct {
            int count;
            double gap_pt;
            bool balance;
            WyBorder separator;
            WyTplSpacing sp;
        } columns;
        struct {
            int columns;
            const WyAvt *columns_avt; /* columns="{$per-row}": counted when expanded */
            double gap_pt, row_gap_pt;
            bool equal_rows;
            WyTplSpacing sp;
        } grid;
        struct {
            WyTableColumn *columns;  /* in the template's arena */
            int n_columns;
            WyBorder border[4];      /* outer edges: top, right, bottom, left */
            WyBorder row_rule, column_rule, header_rule, footer_rule;
            double cell_padding_pt[4];
            WyColor zebra;
            WyTplWidth width;
            WyAlign align;
            WyVAlign valign;
            int caption_style;       /* sheet indexes */
            const char *continued;   /* appended to the caption on later pages; NULL or "" = none */
            bool repeat_header, repeat_footer, split_rows;
            xmlNodePtr caption, continued_caption, header, body, footer;
            WyTplSpacing sp;
        } table;
        struct {
            WyColor background;
            bool keep_together;
        } row;
        struct {
            int colspan, rowspan;
            WyCellAlign align;
            WyVAlign valign;
            bool valign_set;
            WyColor background;
            WyBorder border[4];
            double padding_pt[4];    /* negative = the table's */
            int style;               /* of its text when it holds inlines */
            bool inline_content;     /* inlines (one paragraph), else blocks */
        } cell; /* TPL_TABLE_CELL */
        WyTplContent content;
        struct {
            WyTplContent left, right; /* right.select is the with= expression */
            double gap_pt;
            WyTplSpacing sp;
        } parallel;
        struct {
            const WyXPath *select;
            const WyXPath *sort_by;  /* NULL = document order */
            WySortOrder order;
            const WyAvt *order_avt;  /* order="{$order}": read when expanded */
            bool descending;
        } for_each;
        struct {
            const WyXPath *test;
            const WyAvt *message;
        } require;
        struct {
            xmlNodePtr fragment;     /* the included <fragment> element */
        } include;
        struct {
            const WyXPath *xpath;    /* if/when test, with select, value-of select */
        } expr;
        struct {
            const char *name;
            const WyXPath *select;
        } variable;
        struct {
            unsigned set_flags, clear_flags; /* WySpanFlags */
            WyColor color;           /* WY_COLOR_NONE = inherit */
            WyLen size;
            bool has_size;
            const char *role;        /* NULL = inherit */
            const WyAvt *link;
        } span;
        struct {
            int master, first_master; /* indexes into the template's masters */
            const WyAvt *master_avt, *first_master_avt; /* names chosen when expanded */
        } sequence;
    } u;
} WyTplNode;

/* A page master as the template defines it; header and footer are the
   template elements to expand (NULL when absent). */
typedef struct WyTplMaster {
    const char *name;
    double width_pt, height_pt;
    double margin_pt[4]; /* top, right, bottom, left */
    double header_gap_pt, footer_gap_pt;
    WyBorder header_rule;
    double line_grid_pt; /* 0: no grid */
    xmlNodePtr header, footer;
    WyLoc loc;
} WyTplMaster;

typedef struct WyTplParam {
    const char *name;
    const char *default_value; /* NULL = empty */
    WyLoc loc;
} WyTplParam;

/* A file of template blocks brought in by <include href>; see include.h. */
typedef struct WyFragment WyFragment;

struct WyTemplate {
    char *path;
    xmlDocPtr doc;
    WyBuf text;               /* the file's bytes, for columns and carets */
    WySource src;
    WyArena arena;            /* nodes, strings, compiled-expression records */
    WyStyleSheet *styles;
    WyXPathCompiler *xpc;
    WyTplMaster *masters;
    size_t n_masters;
    WyTplParam *params;
    size_t n_params;
    const WyAvt *meta_title, *meta_author, *meta_subject, *meta_keywords, *meta_lang;
    WyFragment **fragments;   /* every included file, in the order met */
    size_t n_fragments;
    int body_style;           /* sheet index of "body" */
    double body_em_pt;        /* em for lengths outside styles (padding, gaps) */
};

/* Compiles T->doc (already validated). Returns false with errors at the
   template's lines. */
bool wy_template_compile(WyTemplate *t, WyDiag *d);

static inline const WyTplNode *wy_tpl_node(const xmlNode *n)
{
    return n && n->type == XML_ELEMENT_NODE ? (const WyTplNode *)n->_private : NULL;
}

#endif
