/* The box tree: what expand produces from a template and the data, and what
   layout consumes. Every length is already in points, every style resolved,
   every string valid UTF-8 — layout never re-parses text from the template.
   All boxes, styles and strings live in the WyDocument's arena. */
#ifndef WY_BOX_H
#define WY_BOX_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/diag.h"
#include "data/image.h"

#define WY_PT_PER_MM (72.0 / 25.4)
#define A4_WIDTH_PT (210.0 * WY_PT_PER_MM)
#define A4_HEIGHT_PT (297.0 * WY_PT_PER_MM)

typedef enum WyAlign {
    WY_ALIGN_START,   /* left */
    WY_ALIGN_CENTER,
    WY_ALIGN_END,     /* right */
    WY_ALIGN_JUSTIFY, /* flush both edges, last line start-aligned */
    WY_ALIGN_OUTSIDE, /* right on odd pages, left on even (GB/T 9704 page numbers) */
    WY_ALIGN_INSIDE,
} WyAlign;

typedef enum WyVAlign { WY_VALIGN_TOP, WY_VALIGN_MIDDLE, WY_VALIGN_BOTTOM } WyVAlign;

/* Width of Chinese punctuation (CJK.md §2). */
typedef enum WyPunctuation {
    WY_PUNCT_COMPRESSED,  /* adjacent marks share one blank half; half width at line ends (mainland books) */
    WY_PUNCT_FULL_WIDTH,  /* every mark a full em (traditional Taiwan style) */
    WY_PUNCT_HALF_WIDTH,  /* every mark half an em */
} WyPunctuation;

/* 0xRRGGBB, with WY_COLOR_NONE meaning "not set / transparent". */
typedef uint32_t WyColor;
#define WY_COLOR_NONE 0xFF000000u
#define WY_COLOR_BLACK 0x000000u

/* A named paragraph style, fully resolved (inheritance from `base` styles
   already applied by expand). */
typedef struct WyStyle {
    const char *name;
    const char *role;          /* font role: title, body, heading, kai, latin, mono */
    const char *lang;          /* BCP 47: zh-Hans (default), zh-Hant, en */
    double size_pt;
    double line_height_pt;     /* baseline pitch; 0 = 1.5 × size */
    double first_indent_pt;    /* first-line indent */
    double left_indent_pt, right_indent_pt;
    double space_before_pt, space_after_pt;
    double letter_spacing_pt;
    WyPunctuation punctuation; /* WY_PUNCT_COMPRESSED unless the style says otherwise */
    WyAlign align;
    WyColor color;
    int weight;                /* 400 normal, 700 bold */
    bool italic;
    bool keep_with_next;       /* never the last thing on a page when followed by more */
    bool keep_together;        /* never split across pages */
    int orphans, widows;       /* minimum lines at the foot / head of a page (default 2) */
    bool vertical;             /* vertical-rl: columns top to bottom, right to left, set as one block */
} WyStyle;

/* Inline formatting over bytes [start, end) of a paragraph's text. */
typedef enum WySpanFlags {
    WY_SPAN_BOLD = 1 << 0,
    WY_SPAN_ITALIC = 1 << 1,
    WY_SPAN_MONO = 1 << 2,
    WY_SPAN_UNDERLINE = 1 << 3,
    WY_SPAN_SUPERSCRIPT = 1 << 4,
} WySpanFlags;

typedef struct WySpan {
    size_t start, end;         /* byte offsets into WyPara.text */
    unsigned flags;            /* WySpanFlags */
    WyColor color;             /* WY_COLOR_NONE = inherit */
    double size_pt;            /* 0 = inherit */
    const char *role;          /* NULL = inherit */
    const char *link;          /* URI, NULL when none */
} WySpan;

/* A place where layout inserts a value it alone knows (header/footer). */
typedef enum WyFieldKind { WY_FIELD_PAGE_NUMBER, WY_FIELD_PAGE_COUNT } WyFieldKind;
typedef struct WyField {
    size_t offset;             /* byte offset into WyPara.text where the value goes */
    WyFieldKind kind;
} WyField;

/* Text that came from a data file (a <value-of> of a spreadsheet cell or
   an XML element): where it was read, so that a message about it (a
   character no font has) names the file and row, not the template. */
typedef struct WyOrigin {
    size_t start, end;         /* byte offsets into WyPara.text */
    WyLoc loc;
} WyOrigin;

typedef struct WyPara {
    const WyStyle *style;
    const char *text;          /* UTF-8, no control characters but \n (forced break) */
    WySpan *spans;
    size_t n_spans;
    WyField *fields;           /* sorted by offset */
    size_t n_fields;
    WyOrigin *origins;         /* in text order, not overlapping */
    size_t n_origins;
} WyPara;

/* Where byte AT of PARA's text came from: its origin's place, else FALLBACK. */
static inline WyLoc wy_para_origin_at(const WyPara *para, size_t at, WyLoc fallback)
{
    for (size_t i = 0; i < para->n_origins; i++)
        if (at >= para->origins[i].start && at < para->origins[i].end)
            return para->origins[i].loc;
    return fallback;
}

typedef enum WyBoxKind {
    WY_BOX_PARA,        /* a paragraph (also headings: style decides) */
    WY_BOX_IMAGE,       /* a picture, scaled to `width_pt` (0 = measure, never wider) */
    WY_BOX_RULE,        /* horizontal rule */
    WY_BOX_SPACE,       /* vertical space, dropped at a page top */
    WY_BOX_PAGE_BREAK,  /* start a new page */
    WY_BOX_FRAME,       /* a block container with border/padding/background */
    WY_BOX_COLUMNS,     /* children flow in `columns` columns, balanced at the end */
    WY_BOX_GRID,        /* children (each a FRAME) are cells, `columns` per row */
    WY_BOX_TABLE,       /* rows of cells on column lines (u.table); may run across pages */
} WyBoxKind;

typedef struct WyBorder {
    double width_pt;           /* 0 = none */
    WyColor color;
} WyBorder;

typedef struct WyBox WyBox;

/* ---- tables --------------------------------------------------------------
   A table is columns, header rows (repeated on every page of the table),
   body rows and footer rows, each row a list of cells holding ordinary
   blocks. Borders collapse: where two borders meet on a grid line the
   thicker wins. Layout (layout/table) sets the column widths, splits a
   tall row between the lines of its cells, and draws the rules. */

typedef enum WyColumnKind {
    WY_COLUMN_AUTO,     /* from its content: between its widest unbreakable run and its unwrapped width */
    WY_COLUMN_FIXED,    /* `value` points */
    WY_COLUMN_PERCENT,  /* `value` percent of the table's width */
    WY_COLUMN_SHARE,    /* `value` shares ("2*") of what the other columns leave */
} WyColumnKind;

typedef enum WyCellAlign {
    WY_CELL_ALIGN_INHERIT,  /* as the paragraphs' own styles say */
    WY_CELL_ALIGN_START,
    WY_CELL_ALIGN_CENTER,
    WY_CELL_ALIGN_END,
    WY_CELL_ALIGN_DECIMAL,  /* the numbers' decimal points line up down the column */
} WyCellAlign;

typedef struct WyTableColumn {
    WyColumnKind kind;
    double value;
    WyCellAlign align;         /* for body and footer cells that do not say */
} WyTableColumn;

typedef struct WyTableCell WyTableCell;
struct WyTableCell {
    WyTableCell *next;         /* next cell of the row */
    WyBox *blocks;             /* the content, set at the cell's inner width; NULL = empty */
    WyLoc loc;
    int colspan, rowspan;      /* at least 1 */
    WyCellAlign align;         /* INHERIT = the column's */
    WyVAlign valign;
    bool valign_set;           /* false = the table's valign */
    WyColor background;        /* WY_COLOR_NONE = the row's, else the zebra fill, else none */
    WyBorder border[4];        /* top, right, bottom, left; width 0 = none of its own */
    double padding_pt[4];      /* top, right, bottom, left; negative = the table's cell padding */
};

typedef struct WyTableRow WyTableRow;
struct WyTableRow {
    WyTableRow *next;
    WyTableCell *cells;
    WyLoc loc;                 /* the template's <row> */
    WyLoc data_loc;            /* the data record it was made from; line 0 when none */
    WyColor background;        /* WY_COLOR_NONE = none (the zebra fill may apply) */
    bool keep_together;        /* never split between the lines of its cells */
};

typedef struct WyTable {
    WyTableColumn *columns;    /* as declared; cells beyond them make AUTO columns */
    int n_columns;
    WyTableRow *header;        /* set again at the top of every page the table runs onto */
    WyTableRow *body;
    WyTableRow *footer;        /* after the last body row, or on every page with repeat_footer */
    const WyPara *caption;     /* above the table, or NULL */
    const WyPara *continued_caption; /* above its continuation on later pages, or NULL */
    double width_pt;           /* > 0: this wide (capped at the measure) */
    double width_share;        /* > 0: this share of the measure (width="100%" = 1) */
    WyAlign align;             /* START, CENTER or END: where a narrower table sits */
    WyBorder border[4];        /* outer edges: top, right, bottom, left */
    WyBorder row_rule;         /* between rows of the same part */
    WyBorder column_rule;      /* between columns */
    WyBorder header_rule;      /* between the header and the body */
    WyBorder footer_rule;      /* between the body and the footer */
    double cell_padding_pt[4]; /* top, right, bottom, left */
    WyColor zebra;             /* fill of every second body row; WY_COLOR_NONE = none */
    WyVAlign valign;           /* cells that do not say */
    bool repeat_header;
    bool repeat_footer;
} WyTable;

struct WyBox {
    WyBoxKind kind;
    WyBox *next;               /* next sibling */
    WyBox *children;           /* FRAME, COLUMNS, GRID */
    WyLoc loc;                 /* template or data line that produced it */
    const char *bookmark;      /* PDF outline entry starting at this box, or NULL */
    int bookmark_level;        /* 1 = top */
    double space_before_pt, space_after_pt; /* for non-PARA boxes */
    bool keep_with_next;
    bool keep_together;        /* FRAME/GRID row/IMAGE: never split */
    bool at_foot;              /* FRAME in a page's flow: kept together, set on the type area's
                                  last lines, and what follows starts a new page */

    union {
        WyPara para;
        struct {
            const WyImage *image;  /* owned by the document's image list */
            double width_pt;       /* 0 = natural size at 96 dpi, capped at the measure */
            WyAlign align;
            const WyPara *caption; /* optional, set below the image */
        } image;
        struct {
            double thickness_pt;
            WyColor color;
            double width_pt;       /* 0 = full measure */
            bool double_line;      /* thick-thin pair */
        } rule;
        struct {
            double height_pt;
        } space;
        struct {
            WyBorder top, right, bottom, left;
            double padding_pt[4];  /* top, right, bottom, left */
            WyColor background;
            double width_pt;       /* 0 = full measure (cells: the cell width) */
            WyVAlign valign;       /* cells */
        } frame;
        struct {
            int count;
            double gap_pt;
            bool balance;          /* balance the last page of the section */
            WyBorder separator;    /* vertical rule between columns */
        } columns;
        struct {
            int columns;
            double gap_pt;         /* horizontal gap between cells */
            double row_gap_pt;     /* vertical gap between rows */
            bool equal_rows;       /* every row as tall as the tallest */
            bool split_tall_rows;  /* a row taller than a page splits between the lines of its
                                      cells, top-aligned, instead of being an error */
        } grid;
        WyTable *table;
    } u;
};

typedef struct WyPageMaster {
    const char *name;
    double width_pt, height_pt;
    double margin_top_pt, margin_right_pt, margin_bottom_pt, margin_left_pt;
    WyBox *header;             /* blocks set above the type area, or NULL */
    WyBox *footer;             /* blocks set below the type area, or NULL */
    double header_gap_pt;      /* header bottom sits this far above the type area */
    double footer_gap_pt;      /* footer top sits this far below the type area */
    WyBorder header_rule;      /* rule under the header */
    double line_grid_pt;       /* body lines of this pitch keep to a grid from the type area's top; 0: none */
} WyPageMaster;

typedef struct WySequence {
    const WyPageMaster *first; /* master for the sequence's first page */
    const WyPageMaster *rest;  /* master for the others */
    WyBox *blocks;
    struct WySequence *next;
} WySequence;

typedef struct WyDocMeta {
    const char *title, *author, *subject, *keywords, *creator;
    const char *lang;          /* document language, zh-Hans by default */
} WyDocMeta;

typedef struct WyDocument {
    WyArena arena;             /* every box, style and string below */
    WyDocMeta meta;
    WySequence *sequences;
    WyImage **images;          /* images loaded by expand, freed with the document */
    size_t n_images;
} WyDocument;

/* The font roles templates may name; NULL-terminated. fonts/fonts.conf
   maps each to faces as the fontconfig family `wenyin-ROLE`. */
extern const char *const wy_font_roles[];
bool wy_font_role_known(const char *role);

WyDocument *wy_document_new(void);
/* Frees the document, its arena and its images. */
void wy_document_free(WyDocument *doc);

#endif
