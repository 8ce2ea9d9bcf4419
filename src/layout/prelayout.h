/* Paragraphs laid out ahead on the second core. Setting a sequence's flow
   is mostly pango shaping and breaking its paragraphs, one after another.
   A sequence long enough to be worth it is cut in two at a top-level box:
   while the main thread flattens the first part, a worker thread flattens
   the rest with its own font map (wy_fonts_fork) and keeps every
   paragraph layout it made, keyed by paragraph, width and place. When the
   main thread reaches the cut it waits for the worker, and from there
   takes each paragraph's layout instead of making it again. The layouts
   are the ones the main thread would have made (same text, styles and
   width, the same faces underneath), so the document is byte for byte the
   same; WENYIN_THREADS=1 turns the worker off.

   This module owns the worker, its font map and paragraph context, and
   the layouts until they are taken; a taken layout belongs to the taker
   but still needs the worker's font map, so wy_prelayout_free comes after
   every taken layout is released. */
#ifndef WY_PRELAYOUT_H
#define WY_PRELAYOUT_H
#include <stdbool.h>

#include "layout/fonts.h"
#include "layout/page.h"

typedef struct WyPrelayout WyPrelayout;

/* Starts a worker on the top-level boxes of FIRST from a cut chosen so
   that both threads have about the same text to set, building the flow as
   wy_flow_build(…, FIRST, WIDTH_PT, MAX_BLOCK_PT, MODE) would. NULL (and
   nothing started) when the list is too short to gain from it, threads are
   turned off, or no thread or font map can be made. */
WyPrelayout *wy_prelayout_start(WyFonts *fonts, const WyBox *first, double width_pt, double max_block_pt,
                                WyFlowMode mode);
/* The top-level box the worker started from. */
const WyBox *wy_prelayout_cut(const WyPrelayout *p);
/* Waits until the worker has finished (again: returns at once). */
void wy_prelayout_join(WyPrelayout *p);
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
