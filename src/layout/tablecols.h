/* Table columns: which columns each cell of a row stands on (colspans,
   and columns still taken by rowspans from the rows above, as HTML places
   them), and how wide every column is — fixed, a percentage, shares, or
   from the content as the CSS automatic table layout measures it. Knows
   nothing of pages; layout/table sets the rows. */
#ifndef WY_TABLECOLS_H
#define WY_TABLECOLS_H
#include "layout/page.h"

typedef enum WyTablePart { WY_PART_HEADER, WY_PART_BODY, WY_PART_FOOTER } WyTablePart;

/* The columns still taken by cells from the rows above. */
typedef struct WyTableOccupancy {
    int *left;    /* rows each column stays taken, counting the current one */
    int n;        /* columns seen */
    int limit;    /* columns there are; 0 while they are being counted */
} WyTableOccupancy;

/* Where a cell stands: its first row (in its row group) and column, and
   how many of each it covers. */
typedef struct WyTableSlot {
    const WyTableCell *cell;
    int row, col, rows, cols;
} WyTableSlot;

typedef struct WyTableSlots {
    WyTableSlot *v;
    size_t n, cap;
} WyTableSlots;

/* LIMIT columns (0: as many as the cells need, at most 1,000). Release
   with wy_tablecols_occupancy_release. */
void wy_tablecols_occupancy_init(WyTableOccupancy *o, int limit);
void wy_tablecols_occupancy_release(WyTableOccupancy *o);
/* Appends to OUT where ROW's cells stand: on the free columns, left to
   right, a colspan stopping at a taken column. A cell that finds no column
   is left out. ROW_INDEX is the row's place in its group. */
void wy_tablecols_place_row(WyTableOccupancy *o, const WyTableRow *row, int row_index, WyTableSlots *out);
/* Moves on to the next row. True when no cell reaches below the row just
   placed: a row group ends there. */
bool wy_tablecols_next_row(WyTableOccupancy *o);

typedef struct WyTableCol {
    WyColumnKind kind;
    double value;
    WyCellAlign align;
    double min, max;          /* content widths, cell padding included */
    double dec_int, dec_frac; /* DECIMAL: widest integer part and fraction part */
    double dec_pad;           /* DECIMAL: widest padding of those cells */
    double width;             /* set by wy_tablecols_size */
} WyTableCol;

/* One pass over every row of TAB: how many columns there are and, for the
   columns sized by their content or aligning decimals, how narrow and how
   wide their cells can be. Nothing laid out is kept. Returns a malloc'd
   array of *N columns (at least one), or NULL with an error recorded. */
WyTableCol *wy_tablecols_measure(WyLayoutCtx *lc, const WyTable *tab, int *n);
/* Gives the N columns their widths for AVAIL points (all of it when FILL
   or when a column takes shares) and returns their sum. Fixed columns
   wider than AVAIL are narrowed with a warning at BOX. */
double wy_tablecols_size(WyLayoutCtx *lc, const WyBox *box, WyTableCol *cols, int n, double avail, bool fill);

/* The cell's padding on SIDE (0 top, 1 right, 2 bottom, 3 left). */
double wy_tablecols_padding(const WyTable *tab, const WyTableCell *cell, int side);
/* How the cell's lines align: its own setting, else (outside the header)
   its column's; a cell across columns aligns no decimal points. */
WyCellAlign wy_tablecols_cell_align(const WyTableCol *cols, const WyTableSlot *slot, WyTablePart part);
/* Where the numbers of line LINE_INDEX of LAYOUT align: the first decimal
   point with a digit after it, else just after the first run of digits
   (an integer aligns as if a point followed it). *OFFSET is its distance
   from the line's start, *WIDTH the line's width. False when the line
   holds no digit. */
bool wy_tablecols_decimal_point(PangoLayout *layout, int line_index, double *offset, double *width);

#endif
