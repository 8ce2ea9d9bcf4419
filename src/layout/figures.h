/* Figures on the page: a picture (with its caption) that does not fit
   where the flow reaches it is scaled down, to no less than
   WY_FIGURE_MIN_SCALE of its width, or else deferred: the text after it
   fills the page and the picture opens the next one. Deferred pictures
   keep their order and never pass a page break, a new article (a level-1
   bookmark) or the end of their sequence. Only pictures of the page flow
   itself float; those in frames, column sections and grid cells stay put. */
#ifndef WY_FIGURES_H
#define WY_FIGURES_H
#include "layout/page.h"

#define WY_FIGURE_MIN_SCALE 0.75

typedef struct WyFloat {
    WyAtom atom;              /* the picture's block, taken out of its flow */
    double before_pt, after_pt;
} WyFloat;

/* The pictures waiting for a page, embedded by value; zero is empty. */
typedef struct WyFigures {
    WyFloat *queue;           /* in document order */
    size_t n, cap;
    size_t from;              /* flow index from which met pictures wait too, to keep the order */
    double gap_pt;            /* space owed below the last picture set */
} WyFigures;

void wy_figures_release(WyFigures *fg);

/* What must happen to the waiting pictures when a region ends. */
typedef enum WyFlush {
    WY_FLUSH_NONE,
    WY_FLUSH_HERE,            /* a new article follows: set them all before it */
    WY_FLUSH_NEXT,            /* the region ended with a page break: set them all after it, before anything else */
} WyFlush;

/* Cuts the region at CUR from FLOW at START as wy_flow_fit does, scaling
   or deferring the pictures it meets; FLOW loses the pictures it defers.
   With pictures waiting, the region stops after a page break or before a
   new article, and *FLUSH says so. */
WyFit wy_figures_fit(WyFigures *fg, WyCursor *cur, WyFlow *flow, size_t start, bool skip, WyFlush *flush);

/* Sets the first waiting picture at the cursor if it fits there, scaled
   if need be; FORCE sets it even if it does not (an empty page). Returns
   whether it was set. */
bool wy_figures_place(WyFigures *fg, WyCursor *cur, bool force);

/* At the top of a new page: sets the waiting pictures while they fit (the
   first one always). */
void wy_figures_place_top(WyFigures *fg, WyCursor *cur);

/* Before the flow resumes at START under pictures just set: moves the
   cursor by the larger of their space-after and the flow's leading space.
   Returns true when it did (the flow's leading space is then spent). */
bool wy_figures_resume(WyFigures *fg, WyCursor *cur, const WyFlow *flow, size_t start);

/* The flow was set again at WIDTH (later pages of another measure) into
   FLOW: takes the waiting pictures out of it, where the block list brought
   them back, and sets them again at WIDTH too. Returns false with an error
   recorded (a caption that cannot be laid out). */
bool wy_figures_new_measure(WyFigures *fg, WyLayoutCtx *lc, WyFlow *flow, double width, double max_block_pt);

#endif
