/* Paragraphs laid out ahead on the second core. Setting a sequence's flow
   is mostly pango shaping and breaking its paragraphs, one after another.
   For a sequence with enough text, a worker thread with its own font map
   (wy_fonts_fork) flattens the top-level boxes from the last one
   backwards, while the main thread flattens them from the first one on;
   the worker keeps every paragraph layout it made, keyed by paragraph,
   width and place. When the main thread arrives at a box the worker has
   taken, it waits for the worker's box to be done and from there takes
   each paragraph's layout instead of making it again. The two meet
   wherever the work splits evenly, whatever each box costs. The layouts
   are the ones the main thread would have made (same text, styles and
   width, the same faces underneath), so the document is byte for byte
   the same; WENYIN_THREADS=1 turns the worker off.

   This module owns the worker, its font map and paragraph context, and
   the layouts until they are taken; a taken layout belongs to the taker
   but still needs the worker's font map, so wy_prelayout_free comes after
   every taken layout is released. */
#ifndef WY_PRELAYOUT_H
#define WY_PRELAYOUT_H
#include <stdbool.h>
#include <stddef.h>

#include "layout/fonts.h"
#include "layout/page.h"

typedef struct WyPrelayout WyPrelayout;

/* Starts a worker on the top-level boxes of FIRST, building the flow of
   each as wy_flow_build(…, WIDTH_PT, MAX_BLOCK_PT, MODE) would. NULL (and
   nothing started) when the list holds too little text to gain from it,
   threads are turned off, or no thread or font map can be made. */
WyPrelayout *wy_prelayout_start(WyFonts *fonts, const WyBox *first, double width_pt, double max_block_pt,
                                WyFlowMode mode);
/* The main thread is about to flatten BOX. When BOX is the next box of
   the list and the worker has taken it, waits for the worker and returns
   true: from BOX on, the layouts are to be taken. Otherwise (P NULL, the
   worker done already, or BOX another flow's) returns false. */
bool wy_prelayout_arrive(WyPrelayout *p, const WyBox *box);
/* Stops the worker taking more boxes and waits until it has finished
   (again: returns at once). */
void wy_prelayout_join(WyPrelayout *p);
/* Once joined: the index of the first box the worker laid out (the
   number of boxes when it laid out none). */
size_t wy_prelayout_cut(const WyPrelayout *p);
/* While it runs: the first box the worker has taken so far. */
size_t wy_prelayout_claimed(WyPrelayout *p);
/* Once joined: the layout the worker made of PARA at WIDTH_PT for the box
   at LOC, handed over (wy_para_layout_release and free it); NULL when P is
   NULL, not joined yet, or holds none. */
WyParaLayout *wy_prelayout_take(WyPrelayout *p, const WyPara *para, double width_pt, WyLoc loc);
/* Worker side: files PL (handed over) as the layout of PARA at WIDTH_PT. */
void wy_prelayout_record(WyPrelayout *p, const WyPara *para, double width_pt, WyLoc loc, WyParaLayout *pl);
/* Joins, releases the layouts never taken, the worker's context and its
   font map. NULL is ignored. */
void wy_prelayout_free(WyPrelayout *p);

#endif
