/* Confusion cells per protected group, with score sums and the score histogram
 * (_onepass.h says what the loops share). */
#include "_onepass.h"

#define LANES 4 /* each cell's sums kept four times over, row i in lane i % 4: a cell met
                  again in the next rows does not wait for its last sum to be stored */

struct cell_sums { /* ncells * LANES each, lane fastest */
    int64_t *rows, *scored;
    double *squares;
    double *product; /* of a cell's clipped likelihoods, kept above 2^-900 ... */
    int64_t *exponent; /* ... by moving powers of two here (a log per row is dearer) */
};

struct score_bins {
    int64_t *rows;
    double *positives, *sums;
    double *spill; /* (score, label) pairs of scores outside the bins */
    Py_ssize_t bins, spilled;
};

/* One finite score s of label y in slot `at` of its cell, and in its score bin. */
#define ADD_SCORE(at, s, y)                                                                    \
    do {                                                                                       \
        scored[at] += 1;                                                                       \
        squares[at] += (s - y) * (s - y);                                                      \
        double likelihood = y * s + (1.0 - y) * (1.0 - s); /* y is 0 or 1: exact either way */ \
        double clipped = likelihood < EPS ? EPS : likelihood; /* minsd, maxsd: no calls */     \
        clipped = clipped > 1.0 - EPS ? 1.0 - EPS : clipped;                                   \
        double kept = product[at] * clipped; /* >= 2^-952: no underflow */                     \
        if (kept < 0x1p-900) {                                                                 \
            int shift;                                                                         \
            kept = frexp(kept, &shift);                                                        \
            exponent[at] += shift;                                                             \
        }                                                                                      \
        product[at] = kept;                                                                    \
        double t = s * scale; /* measures.SCORE_BINS: floor(t) is a bin when t is in them */  \
        if (t >= 0.0 && t < nbins) {                                                           \
            Py_ssize_t k = (Py_ssize_t)t; /* the floor, t being positive */                    \
            bin_rows[k] += 1;                                                                  \
            bin_positives[k] += y;                                                             \
            bin_sums[k] += s;                                                                  \
        } else {                                                                               \
            b->spill[2 * b->spilled] = s;                                                      \
            b->spill[2 * b->spilled + 1] = y;                                                  \
            b->spilled += 1;                                                                   \
        }                                                                                      \
    } while (0)

struct columns {
    const int32_t *groups;
    const void *label, *prediction;
    const double *score;
    const uint8_t *label_valid, *prediction_valid, *score_valid;
    Py_ssize_t offsets[3], length;
    int kinds[2]; /* of label and prediction: 'd', 'i' or 'l' */
};

/* The outcome (0, 1 or 2: measures._outcome) of rows from..from + n of a label or
 * prediction column, one kind of values at a time so that each loop vectorises. */
static void outcomes(const void *values, int kind, const uint8_t *valid, Py_ssize_t from,
                     Py_ssize_t n, uint8_t *out) {
#define OUTCOMES(type)                                                                         \
    for (Py_ssize_t i = 0; i < n; i++) {                                                       \
        type y = ((const type *)values)[from + i];                                             \
        out[i] = (uint8_t)(y == 1 ? 1 : y == 0 ? 0 : 2);                                       \
    }
    if (kind == 'i') {
        OUTCOMES(int32_t)
    } else if (kind == 'l') {
        OUTCOMES(int64_t)
    } else {
        OUTCOMES(double)
    }
#undef OUTCOMES
    if (valid != NULL)
        for (Py_ssize_t i = 0; i < n; i++)
            if (!valid_at(valid, from + i)) out[i] = 2;
}

#define ROWS_AT_ONCE 512

/* Asks for the memory of every column AHEAD bytes past a block, one cache line at a time. */
static void fetch_block(const struct columns *in, Py_ssize_t start, Py_ssize_t n) {
    const Py_ssize_t sizes[2] = {in->kinds[0] == 'i' ? 4 : 8, in->kinds[1] == 'i' ? 4 : 8};
    for (Py_ssize_t i = 0; i < n; i += 8) { /* 8 rows: a line of doubles, half of int32s */
        FETCH((const char *)in->label + (in->offsets[0] + start + i) * sizes[0]);
        FETCH((const char *)in->prediction + (in->offsets[1] + start + i) * sizes[1]);
        if (in->score != NULL) FETCH(in->score + in->offsets[2] + start + i);
        if (in->groups != NULL) FETCH(in->groups + start + i);
    }
}

static void count_cells(const struct columns *in, const struct cell_sums *c,
                        struct score_bins *b) {
    /* local copies: a store through one of these pointers cannot change another */
    int64_t *restrict rows = c->rows, *restrict scored = c->scored;
    int64_t *restrict exponent = c->exponent;
    double *restrict squares = c->squares, *restrict product = c->product;
    int64_t *restrict bin_rows = b->rows;
    double *restrict bin_positives = b->positives, *restrict bin_sums = b->sums;
    const double nbins = (double)b->bins, scale = (double)(b->bins - 1);
    const int32_t *groups = in->groups;
    const double *score = in->score;
    const uint8_t *score_valid = in->score_valid;
    const Py_ssize_t so = in->offsets[2], length = in->length;
    uint8_t ys[ROWS_AT_ONCE], ps[ROWS_AT_ONCE];
    for (Py_ssize_t start = 0; start < length; start += ROWS_AT_ONCE) {
        Py_ssize_t n = length - start < ROWS_AT_ONCE ? length - start : ROWS_AT_ONCE;
        fetch_block(in, start, n);
        outcomes(in->label, in->kinds[0], in->label_valid, in->offsets[0] + start, n, ys);
        outcomes(in->prediction, in->kinds[1], in->prediction_valid, in->offsets[1] + start, n,
                 ps);
        for (Py_ssize_t j = 0; j < n; j++) {
            Py_ssize_t i = start + j, y = ys[j];
            Py_ssize_t cell = ((groups ? groups[i] : 0) * 3 + y) * 3 + ps[j];
            Py_ssize_t at = cell * LANES + (i & (LANES - 1));
            rows[at] += 1;
            if (score == NULL || y == 2 || !valid_at(score_valid, so + i)) continue;
            double s = score[so + i], label = (double)y; /* 0 or 1 here */
            if (in_range(s)) ADD_SCORE(at, s, label);
        }
    }
}

/* cells(groups, ngroups, label, label_valid, label_offset, label_kind, prediction,
 *       prediction_valid, prediction_offset, prediction_kind, score, score_valid,
 *       score_offset, length,
 *       rows, scored, squares, losses, bin_rows, bin_positives, bin_sums, spill)
 * Row i falls in cell (groups[i] * 3 + y) * 3 + p, y and p the label's and the
 * prediction's outcome (0, 1, or 2 for any other value); label and prediction hold float64
 * ('d'), int32 ('i') or int64 ('l') values, the score float64. Each cell counts its rows
 * and, over its finite scores, their count, squared errors and clipped log losses; each
 * finite score also counts in its score bin floor(s * (len(bin_rows) - 1)) (rows, labels
 * and scores summed), or is spilled as (score, label) when outside the bins. groups may be
 * None (one group); score None (no scores). Returns how many scores were spilled. */
PyObject *onepass_cells(PyObject *self, PyObject *args) {
    PyObject *o[17];
    Py_ssize_t ngroups, offsets[3], length;
    int kinds[2];
    if (!PyArg_ParseTuple(args, "OnOOnCOOnCOOnnOOOOOOOO", &o[0], &ngroups, &o[1], &o[2],
                          &offsets[0], &kinds[0], &o[3], &o[4], &offsets[1], &kinds[1], &o[5],
                          &o[6], &offsets[2], &length, &o[7], &o[8], &o[9], &o[10], &o[11],
                          &o[12], &o[13], &o[14]))
        return NULL;
    if (ngroups < 1 || ngroups > (1 << 24) || length < 0 || offsets[0] < 0 || offsets[1] < 0 ||
        offsets[2] < 0)
        return PyErr_Format(PyExc_ValueError, "1 to 2^24 groups, and a slice from 0");
    Py_ssize_t sizes[2];
    for (int i = 0; i < 2; i++) {
        sizes[i] = kinds[i] == 'i' ? 4 : 8;
        if (kinds[i] != 'd' && kinds[i] != 'i' && kinds[i] != 'l')
            return PyErr_Format(PyExc_ValueError, "kinds are 'd', 'i' or 'l'");
    }
    Py_buffer v[15];
    for (int i = 0; i < 15; i++) v[i].obj = NULL;
    Py_ssize_t ncells = ngroups * 9, nbins = 0;
    int scores = o[5] != Py_None;
    int bad = take(o[0], &v[0], length * 4, 0, 1, "groups") < 0 ||
              take(o[1], &v[1], (offsets[0] + length) * sizes[0], 0, 0, "label") < 0 ||
              take(o[2], &v[2], (offsets[0] + length + 7) / 8, 0, 1, "label validity") < 0 ||
              take(o[3], &v[3], (offsets[1] + length) * sizes[1], 0, 0, "prediction") < 0 ||
              take(o[4], &v[4], (offsets[1] + length + 7) / 8, 0, 1, "prediction validity") < 0 ||
              take(o[5], &v[5], (offsets[2] + length) * 8, 0, 1, "score") < 0 ||
              take(o[6], &v[6], (offsets[2] + length + 7) / 8, 0, 1, "score validity") < 0 ||
              take(o[7], &v[7], ncells * 8, 1, 0, "rows") < 0 ||
              take(o[8], &v[8], ncells * 8, 1, 0, "scored") < 0 ||
              take(o[9], &v[9], ncells * 8, 1, 0, "squares") < 0 ||
              take(o[10], &v[10], ncells * 8, 1, 0, "losses") < 0 ||
              take(o[11], &v[11], 8, 1, 0, "bin rows") < 0;
    if (!bad) {
        nbins = v[11].len / 8;
        if (nbins < 2) {
            PyErr_Format(PyExc_ValueError, "bin rows: two bins at least");
            bad = 1;
        }
        bad = bad || take(o[12], &v[12], nbins * 8, 1, 0, "bin positives") < 0 ||
              take(o[13], &v[13], nbins * 8, 1, 0, "bin sums") < 0 ||
              take(o[14], &v[14], length * 16, 1, 0, "spill") < 0;
    }
    if (bad) {
        release(v, 15);
        return NULL;
    }
    const int32_t *groups = (const int32_t *)v[0].buf;
    for (Py_ssize_t i = 0; groups != NULL && i < length; i++)
        if (groups[i] < 0 || groups[i] >= ngroups) {
            release(v, 15);
            return PyErr_Format(PyExc_ValueError, "group %d outside 0..%zd", groups[i], ngroups);
        }
    size_t slots = (size_t)ncells * LANES;
    int64_t *counted = calloc(3 * slots, sizeof(int64_t)); /* rows, scored, exponent */
    double *summed = calloc(2 * slots, sizeof(double)); /* squares, product */
    if (counted == NULL || summed == NULL) {
        free(counted), free(summed);
        release(v, 15);
        return PyErr_NoMemory();
    }
    struct cell_sums c = {counted, counted + slots, summed, summed + slots, counted + 2 * slots};
    struct score_bins b = {v[11].buf, v[12].buf, v[13].buf, v[14].buf, nbins, 0};
    struct columns in = {groups, v[1].buf, v[3].buf, scores ? v[5].buf : NULL, v[2].buf,
                         v[4].buf, v[6].buf, {offsets[0], offsets[1], offsets[2]}, length,
                         {kinds[0], kinds[1]}};
    int64_t *rows = v[7].buf, *scored = v[8].buf;
    double *squares = v[9].buf, *losses = v[10].buf;
    Py_BEGIN_ALLOW_THREADS
    for (size_t i = 0; i < slots; i++) c.product[i] = 1.0;
    count_cells(&in, &c, &b);
    for (Py_ssize_t cell = 0; cell < ncells; cell++)
        for (Py_ssize_t lane = 0; lane < LANES; lane++) {
            Py_ssize_t at = cell * LANES + lane;
            rows[cell] += c.rows[at];
            scored[cell] += c.scored[at];
            squares[cell] += c.squares[at];
            /* -ln of the product: relative error at most rows * 2^-53, under 1e-11 here */
            losses[cell] += -(log(c.product[at]) + (double)c.exponent[at] * M_LN2);
        }
    Py_END_ALLOW_THREADS
    free(counted), free(summed);
    release(v, 15);
    return PyLong_FromSsize_t(b.spilled);
}
