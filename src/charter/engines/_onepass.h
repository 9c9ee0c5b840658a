/* Shared by the counting loops of the one-pass scan (charter/engines/onepass.py), compiled
 * into one extension from _onepass.c (the module, buffers, tally), _onepass_bins.c (drift
 * bins) and _onepass_cells.c (confusion cells and the score histogram). Each loop takes
 * Arrow column slices (a values buffer, a validity bitmap or None, the slice's offset) and
 * adds to count arrays owned by the caller. They compute exactly what the SQL of
 * charter/engines/measures.py computes, with the same IEEE double operations, so that a value
 * lands in the same bin either way. The GIL is released while they count.
 *
 * Every buffer is checked against the lengths it must have; a short one is a ValueError.
 */
#ifndef CHARTER_ONEPASS_H
#define CHARTER_ONEPASS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FINITE_LIMIT 1.7e308 /* measures._finite: NULL, NaN, infinities and beyond fail */
#define EPS 2.220446049250313e-16 /* measures.EPS */

#define HIDDEN __attribute__((visibility("hidden"))) /* shared by the units, not exported */

/* Bytes ahead of a column's reading at which its memory is asked for: the batch a loop reads
 * was written by the decoder megabytes before, out of the caches, and the machine's own
 * prefetching does not reach far enough (measured here: 2.1 ns a drift value without, 1.2
 * with). A prefetch never faults, past the end of a buffer included. */
#define AHEAD 8192
#define FETCH(p) __builtin_prefetch((const char *)(p) + AHEAD)

static inline int in_range(double v) { return v > -FINITE_LIMIT && v < FINITE_LIMIT; }

static inline int valid_at(const uint8_t *bits, Py_ssize_t j) {
    return bits == NULL ? 1 : (bits[j >> 3] >> (j & 7)) & 1;
}

/* A buffer argument of at least `need` bytes (None allowed when `optional`). */
HIDDEN int take(PyObject *obj, Py_buffer *view, Py_ssize_t need, int writable, int optional,
                const char *name);
HIDDEN void release(Py_buffer *views, int n);

HIDDEN PyObject *onepass_bins(PyObject *self, PyObject *args);  /* _onepass_bins.c */
HIDDEN PyObject *onepass_cells(PyObject *self, PyObject *args); /* _onepass_cells.c */

#endif
