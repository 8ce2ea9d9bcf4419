/* Pagination internals shared by page.c, columns.c and grid.c. A block list
   is flattened into a flow of atoms (paragraph lines, unsplittable blocks,
   glue, frame edges, column sections), each knowing whether the flow may
   end a page just before it; pages and columns are then cut from the flow
   greedily. Not a public interface: wy_layout_document (layout.h) is. */
#ifndef WY_PAGE_H
#define WY_PAGE_H
#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/diag.h"
#include "expand/box.h"
#include "layout/coverage.h"
#include "layout/pages.h"
#include "layout/para.h"

#define WY_CAPTION_GAP_PT 6.0     /* between a picture and its caption */
#define WY_RULE_DOUBLE_GAP_PT 2.0 /* between the thick and thin line of a double rule */
#define WY_FIT_EPSILON_PT 1e-6

typedef struct WyPrelayout WyPrelayout;

/* Everything one layout run shares: pango state, the diagnostics, and the
   objects the flows point into (freed together by wy_layout_ctx_release). */
typedef struct WyLayoutCtx {
    WyParaCtx *para;
    WyDiag *diag;
    WyArena arena;            /* frame and column instances */
    GPtrArray *paras;         /* WyParaLayout *, released at the end */
    GPtrArray *canvases;      /* WyCanvas *, released at the end */
    GPtrArray *flows;         /* WyFlow *, released at the end */
    const WyParaFields *fields; /* page number and count (headers, footers); NULL in the body */
    WyCoverage *coverage;     /* checks every paragraph laid out; NULL = no check */
    WyPrelayout *ahead;       /* paragraphs a worker lays out ahead (layout/prelayout); NULL = none */
    WyPrelayout *recording;   /* on that worker: where its layouts go; NULL on the main thread */
    bool failed;
} WyLayoutCtx;

void wy_layout_ctx_init(WyLayoutCtx *lc, WyParaCtx *para, WyDiag *diag);
void wy_layout_ctx_release(WyLayoutCtx *lc);

/* Items and outline marks laid out away from a page (a grid row, a frame
   kept together), copied onto a page later. Mark y values are relative. */
typedef struct WyMark {
    const char *title;
    int level;
    double y_pt;
} WyMark;

typedef struct WyCanvas {
    WyPage page;
    WyMark *marks;
    size_t n_marks, cap_marks;
    double height_pt;
} WyCanvas;

WyCanvas *wy_canvas_new(WyLayoutCtx *lc);

/* A frame being set across regions: its outer box and what its edges take. */
typedef struct WyFrameInst WyFrameInst;
struct WyFrameInst {
    const WyBox *box;
    WyFrameInst *parent;
    double x, w;              /* outer box, from the flow's left edge */
    double top_pt, bottom_pt; /* border + padding above and below the content */
    double chain_top_pt;      /* top_pt summed over this frame and its ancestors */
    double chain_bottom_pt;
};

typedef struct WyFlow WyFlow;
typedef struct WyTableInst WyTableInst; /* layout/table.h */

typedef struct WyColumnsInst {
    const WyBox *box;
    double x, w, column_w;
    WyFlow *flow;             /* the children, flattened at column_w */
    double min_pt;            /* height of the first piece that cannot be split */
} WyColumnsInst;

typedef enum WyAtomKind {
    WY_ATOM_LINE,     /* one line of a paragraph */
    WY_ATOM_BLOCK,    /* laid out beforehand, never split */
    WY_ATOM_GLUE,     /* vertical space, dropped at a region's top and bottom */
    WY_ATOM_BREAK,    /* forced page (or column) break */
    WY_ATOM_OPEN,     /* top edge of a frame that may split */
    WY_ATOM_CLOSE,    /* its bottom edge */
    WY_ATOM_COLUMNS,  /* a column section, cut by the column code */
    WY_ATOM_TABLE,    /* a table, cut by the table code; h = its first piece */
} WyAtomKind;

typedef struct WyAtom {
    WyAtomKind kind;
    bool breakable;           /* a region may end just before this atom */
    bool collapsible;         /* GLUE: a space-after that merges with the next space-before */
    double h;
    double after_pt;          /* GLUE: the part of h that is the block above's space-after … */
    double before_pt;         /* … and the part that is the block below's space-before */
    double x;                 /* LINE: the paragraph's left edge, BLOCK: the block's, from the flow's left */
    WyFrameInst *frame;       /* innermost frame open just before this atom */
    WyFrameInst *target;      /* OPEN, CLOSE: the frame */
    const WyBox *box;         /* where it came from */
    size_t top;               /* index of the top-level block it belongs to */
    const char *bookmark;     /* the first atom of a bookmarked box */
    int bookmark_level;
    const WyParaLayout *para; /* LINE */
    int line;
    const WyCanvas *block;    /* BLOCK */
    WyColumnsInst *columns;   /* COLUMNS */
    WyTableInst *table;       /* TABLE */
} WyAtom;

struct WyFlow {
    WyAtom *atoms;
    size_t n, cap;
    /* The page's line grid (CJK.md §5), set by pagination for the page
       being cut: a line of a paragraph whose pitch is GRID_PT, outside any
       frame, starts a whole number of pitches below GRID_TOP_PT, so body
       text after a heading, picture or table of another height is back on
       the grid. 0: no grid (canvases, columns, table cells). */
    double grid_pt;
    double grid_top_pt;
};

typedef enum WyFlowMode {
    WY_FLOW_PAGE,    /* the body of a page sequence: column sections run across pages */
    WY_FLOW_COLUMN,  /* inside a column: nested sections become blocks */
    WY_FLOW_CANVAS,  /* never split: headers, footers, cells, kept frames */
} WyFlowMode;

/* Flattens the block list FIRST (following `next`) set WIDTH_PT wide.
   MAX_BLOCK_PT caps pictures (the type area's height). Returns a flow owned
   by LC, or NULL with an error recorded. */
WyFlow *wy_flow_build(WyLayoutCtx *lc, const WyBox *first, double width_pt, double max_block_pt,
                      WyFlowMode mode);
/* The same for BOX alone, without the boxes after it. */
WyFlow *wy_flow_build_one(WyLayoutCtx *lc, const WyBox *box, double width_pt, double max_block_pt,
                          WyFlowMode mode);
/* Takes the block atom K out of FLOW (a picture set elsewhere): the space
   it brought above and below goes with it, and whether a page may end
   before it passes to the atom that follows. */
void wy_flow_remove_block(WyFlow *flow, size_t k);
/* Puts copies of N ATOMS in front of FLOW's own. */
void wy_flow_prepend(WyFlow *flow, const WyAtom *atoms, size_t n);
/* Sum of every atom's height: enough room to set the whole flow in one piece. */
double wy_flow_total_height(const WyFlow *flow);

/* Draws line I of PL on PAGE, its pitch slot's top at Y and the
   paragraph's left edge at X. */
void wy_flow_add_line_item(WyPage *page, const WyParaLayout *pl, int i, double x, double y, WyLoc loc);

/* Frames open just before atom K of FLOW (NULL when K is n). */
WyFrameInst *wy_flow_frame_before(const WyFlow *flow, size_t k);

/* Where items go: a page of the document or a canvas. */
typedef struct WyFrag {
    WyFrameInst *frame;
    double y0;
    size_t background;        /* index of its background item, or SIZE_MAX */
} WyFrag;

typedef struct WyCursor {
    WyLayoutCtx *lc;
    WyPage *page;             /* items go here */
    WyCanvas *canvas;         /* outline marks go here when set … */
    WyPages *pages;           /* … else into the document's outline */
    int page_index;
    int page_number;          /* parity for OUTSIDE alignment; 0 on canvases */
    double x0;                /* the flow's left edge on the page */
    double y;
    double top, bottom;       /* the region */
    double grid_pt;           /* the page master's line grid, 0 for none */
    bool placed;              /* content placed in this region */
    WyFrag *frags;
    size_t n_frags, cap_frags;
} WyCursor;

void wy_cursor_init_canvas(WyCursor *cur, WyLayoutCtx *lc, WyCanvas *canvas, double x0, double y0);
void wy_cursor_release(WyCursor *cur);
/* Starts fragments for FRAME and its ancestors (outermost first), as at
   the top of a new region. */
void wy_cursor_reopen(WyCursor *cur, WyFrameInst *frame);
/* Ends every open fragment, drawing its background and borders. */
void wy_cursor_close_all(WyCursor *cur);
void wy_cursor_mark(WyCursor *cur, const char *title, int level, double y);

/* The result of cutting one region from a flow. */
typedef struct WyFit {
    size_t end;               /* the region holds atoms [start, end) */
    bool columns;             /* stopped at a column section or table that starts here */
    bool too_tall;            /* atom `end` cannot fit even an empty region */
    double need_pt;           /* too_tall: what it needs … */
    double avail_pt;          /* … and what an empty region offers */
    size_t stop;              /* the atom that did not fit, or SIZE_MAX (the flow or a break ended the region) */
    double room_pt;           /* the room it had, below the space above it */
} WyFit;

/* Where atom A of FLOW starts when the space above it ends at Y: Y, or
   for a line on FLOW's grid the next grid line at or below Y. */
double wy_flow_snap(const WyFlow *flow, const WyAtom *a, double y);
/* Cuts the region [Y, BOTTOM) from FLOW starting at atom START. SKIP_LEADING
   drops glue at the region's top; FRESH says nothing else is on this page,
   so an atom that does not fit is too tall rather than moved. */
WyFit wy_flow_fit(const WyFlow *flow, size_t start, double y, double bottom, bool skip_leading, bool fresh);
/* Places atoms [START, END) at the cursor. KEEP_TRAILING keeps glue before
   END (a column section follows). Column sections met on the way are run
   with no page breaks (canvases). Returns false on error. */
bool wy_flow_place(WyCursor *cur, const WyFlow *flow, size_t start, size_t end, bool skip_leading,
                   bool keep_trailing);
/* Sets the whole FLOW on a new canvas, no breaks. NULL on error. */
WyCanvas *wy_flow_to_canvas(WyLayoutCtx *lc, const WyFlow *flow);
/* Copies CANVAS onto the cursor's page at (x, y), outline marks included. */
void wy_cursor_copy_canvas(WyCursor *cur, const WyCanvas *canvas, double x, double y);

/* Frame decoration, shared with grids: background under, borders over. */
void wy_frame_background(WyPage *page, const WyBox *frame, double x, double y, double w, double h);
void wy_frame_borders(WyPage *page, const WyBox *frame, double x, double y, double w, double h);

/* Moves the cursor to a new page, closing and reopening the fragments of
   FRAME's chain; set by page.c, NULL on canvases. */
typedef bool (*WyNextPageFn)(void *paginator, WyCursor *cur, WyFrameInst *frame);

#endif
