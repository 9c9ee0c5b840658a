/* The counting loops of the one-pass scan (charter/engines/onepass.py): each takes one
 * Arrow column slice (its values buffer, its validity bitmap or None, and the slice's
 * offset) and adds to count arrays owned by the caller. They compute exactly what the SQL
 * of charter/engines/measures.py computes, with the same IEEE double operations, so that a
 * value lands in the same bin either way. The GIL is released while they count.
 *
 * Every buffer is checked against the lengths it must have; a short one is a ValueError.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FINITE_LIMIT 1.7e308 /* measures._finite: NULL, NaN, infinities and beyond fail */
#define EPS 2.220446049250313e-16 /* measures.EPS */
#define NEAR 1e-3 /* how near a whole number a product bin number is checked by a quotient */

static int in_range(double v) { return v > -FINITE_LIMIT && v < FINITE_LIMIT; }

static int valid_at(const uint8_t *bits, Py_ssize_t j) {
    return bits == NULL ? 1 : (bits[j >> 3] >> (j & 7)) & 1;
}

/* A buffer argument of at least `need` bytes (None allowed when `optional`). */
static int take(PyObject *obj, Py_buffer *view, Py_ssize_t need, int writable, int optional,
                const char *name) {
    view->obj = NULL;
    view->buf = NULL;
    view->len = 0;
    if (obj == Py_None) {
        if (optional) return 0;
        PyErr_Format(PyExc_ValueError, "%s: a buffer is needed", name);
        return -1;
    }
    if (PyObject_GetBuffer(obj, view, writable ? PyBUF_WRITABLE : PyBUF_SIMPLE) < 0) return -1;
    if (view->len < need) {
        PyErr_Format(PyExc_ValueError, "%s: %zd bytes, %zd needed", name, view->len, need);
        PyBuffer_Release(view);
        view->obj = NULL;
        return -1;
    }
    return 0;
}

static void release(Py_buffer *views, int n) {
    for (int i = 0; i < n; i++)
        if (views[i].obj != NULL) PyBuffer_Release(&views[i]);
}

#define BLOCK 256

struct grid {
    double low, width, inverse, shift, top, first, past;
    int64_t kmin;
    Py_ssize_t nbins;
};

/* The validity bits of rows p .. p + n - 1 (n <= 8), row p lowest; all set without a bitmap.
 * Reads the byte after p's only when those rows reach into it. */
static unsigned valid_bits(const uint8_t *bits, Py_ssize_t p, int n) {
    unsigned all = (1u << n) - 1;
    if (bits == NULL) return all;
    int shift = (int)(p & 7);
    unsigned word = bits[p >> 3];
    if (shift + n > 8) word |= (unsigned)bits[(p >> 3) + 1] << 8;
    return (word >> shift) & all;
}

/* A block of values x[0 .. n), x[0] being row `row` of the column's validity bitmap. */
struct block {
    const double *x;
    const uint8_t *valid;
    Py_ssize_t row, n;
};

/* Bin numbers k - kmin of a block by the product (x - low) * (1 / width), within a few
 * ulps of the quotient's (|s| < 2^40 here, an ulp below 2^-12): where that is farther than
 * NEAR from a whole number it has the quotient's floor. Elsewhere k[i] is nbins, a slot
 * counted nowhere: for nulls, and, listed in `hard` for the quotient to decide, for valid
 * values near a whole number, outside the bins, NaN or infinite. Returns how many are
 * listed. */
static Py_ssize_t block_plain(const struct block *in, Py_ssize_t from, const struct grid *g,
                              int32_t *k, int32_t *hard) {
    Py_ssize_t listed = 0;
    for (Py_ssize_t i = from; i < in->n; i++) {
        k[i] = (int32_t)g->nbins;
        if (!valid_bits(in->valid, in->row + i, 1)) continue;
        double s = (in->x[i] - g->low) * g->inverse + g->shift;
        if (s >= 0.5 && s < g->top) {
            int32_t whole = (int32_t)s;
            double part = s - (double)whole;
            if (part > NEAR && part < 1.0 - NEAR) {
                k[i] = whole;
                continue;
            }
        }
        hard[listed++] = (int32_t)i;
    }
    return listed;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

/* Lists the valid values i.. of a vector whose bit in `good` is clear. */
static Py_ssize_t list_hard(unsigned good, unsigned valid, int lanes, Py_ssize_t i,
                            int32_t *hard, Py_ssize_t listed) {
    unsigned bad = valid & ~good;
    for (int j = 0; j < lanes; j++)
        if ((bad >> j) & 1) hard[listed++] = (int32_t)(i + j);
    return listed;
}

/* The values from i on, fewer than a vector, one at a time; returns all listed. */
static Py_ssize_t block_rest(const struct block *in, Py_ssize_t i, const struct grid *g,
                             int32_t *k, int32_t *hard, Py_ssize_t listed) {
    return listed + block_plain(in, i, g, k, hard + listed);
}

__attribute__((target("avx2"), always_inline)) static inline Py_ssize_t
fours(const struct block *in, Py_ssize_t from, const struct grid *g, int32_t *k, int32_t *hard,
      int checked) {
    __m256d low = _mm256_set1_pd(g->low), inverse = _mm256_set1_pd(g->inverse);
    __m256d shift = _mm256_set1_pd(g->shift), half = _mm256_set1_pd(0.5);
    __m256d top = _mm256_set1_pd(g->top), near = _mm256_set1_pd(NEAR);
    __m256d far = _mm256_set1_pd(1.0 - NEAR);
    __m128i none = _mm_set1_epi32((int32_t)g->nbins), lane = _mm_setr_epi32(1, 2, 4, 8);
    __m256i lows32 = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
    const double *x = in->x;
    Py_ssize_t i = from, n = in->n, listed = 0;
    for (; i + 4 <= n; i += 4) {
        unsigned valid = checked ? valid_bits(in->valid, in->row + i, 4) : 0xf;
        __m256d s =
            _mm256_add_pd(_mm256_mul_pd(_mm256_sub_pd(_mm256_loadu_pd(x + i), low), inverse), shift);
        __m256d ok = _mm256_and_pd(_mm256_cmp_pd(s, half, _CMP_GE_OQ),
                                   _mm256_cmp_pd(s, top, _CMP_LT_OQ));
        s = _mm256_and_pd(s, ok);
        __m128i whole = _mm256_cvttpd_epi32(s);
        __m256d part = _mm256_sub_pd(s, _mm256_cvtepi32_pd(whole));
        ok = _mm256_and_pd(ok, _mm256_and_pd(_mm256_cmp_pd(part, near, _CMP_GT_OQ),
                                             _mm256_cmp_pd(part, far, _CMP_LT_OQ)));
        __m128i ok32 = _mm256_castsi256_si128(
            _mm256_permutevar8x32_epi32(_mm256_castpd_si256(ok), lows32));
        if (checked) {
            __m128i set = _mm_and_si128(_mm_set1_epi32((int32_t)valid), lane);
            ok32 = _mm_and_si128(ok32, _mm_cmpeq_epi32(set, lane));
        }
        _mm_storeu_si128((__m128i *)(k + i), _mm_blendv_epi8(none, whole, ok32));
        unsigned good = (unsigned)_mm256_movemask_pd(ok);
        if ((good & valid) != valid) listed = list_hard(good, valid, 4, i, hard, listed);
    }
    _mm256_zeroupper();
    return block_rest(in, i, g, k, hard, listed);
}

__attribute__((target("avx2"))) static Py_ssize_t block_avx2(const struct block *in,
                                                             Py_ssize_t from,
                                                             const struct grid *g, int32_t *k,
                                                             int32_t *hard) {
    return in->valid ? fours(in, from, g, k, hard, 1) : fours(in, from, g, k, hard, 0);
}

/* The same, eight values at a time; `checked` says whether to read validity bits (a
 * constant in each caller, so that the compiler drops them where there is no bitmap). */
__attribute__((target("avx512f,avx512vl"), always_inline)) static inline Py_ssize_t
eights(const struct block *in, Py_ssize_t from, const struct grid *g, int32_t *k,
       int32_t *hard, int checked) {
    __m512d low = _mm512_set1_pd(g->low), inverse = _mm512_set1_pd(g->inverse);
    __m512d shift = _mm512_set1_pd(g->shift), half = _mm512_set1_pd(0.5);
    __m512d top = _mm512_set1_pd(g->top), near = _mm512_set1_pd(NEAR);
    __m512d far = _mm512_set1_pd(1.0 - NEAR);
    __m256i none = _mm256_set1_epi32((int32_t)g->nbins);
    const double *x = in->x;
    Py_ssize_t i = from, n = in->n, listed = 0;
    for (; i + 8 <= n; i += 8) {
        unsigned valid = checked ? valid_bits(in->valid, in->row + i, 8) : 0xff;
        __m512d s =
            _mm512_add_pd(_mm512_mul_pd(_mm512_sub_pd(_mm512_loadu_pd(x + i), low), inverse), shift);
        __mmask8 ok =
            _mm512_cmp_pd_mask(s, half, _CMP_GE_OQ) & _mm512_cmp_pd_mask(s, top, _CMP_LT_OQ);
        __m256i whole = _mm512_maskz_cvttpd_epi32(ok, s);
        __m512d part = _mm512_sub_pd(s, _mm512_cvtepi32_pd(whole));
        ok &= _mm512_cmp_pd_mask(part, near, _CMP_GT_OQ) &
              _mm512_cmp_pd_mask(part, far, _CMP_LT_OQ);
        _mm256_storeu_si256((__m256i *)(k + i),
                            _mm256_mask_mov_epi32(none, ok & (__mmask8)valid, whole));
        if ((ok & valid) != valid) listed = list_hard(ok, valid, 8, i, hard, listed);
    }
    _mm256_zeroupper(); /* before scalar code: no penalty for upper halves left in use */
    return block_rest(in, i, g, k, hard, listed);
}

__attribute__((target("avx512f,avx512vl"))) static Py_ssize_t
block_avx512(const struct block *in, Py_ssize_t from, const struct grid *g, int32_t *k,
             int32_t *hard) {
    return in->valid ? eights(in, from, g, k, hard, 1) : eights(in, from, g, k, hard, 0);
}

typedef Py_ssize_t (*block_fn)(const struct block *, Py_ssize_t, const struct grid *,
                               int32_t *, int32_t *);

static block_fn widest_block(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")) return block_avx512;
    if (__builtin_cpu_supports("avx2")) return block_avx2;
    return block_plain;
}
#else
typedef Py_ssize_t (*block_fn)(const struct block *, Py_ssize_t, const struct grid *,
                               int32_t *, int32_t *);
static block_fn widest_block(void) { return block_plain; }
#endif

/* The bin of x when block_* could not tell: the quotient's floor, or -1 to spill it. */
static Py_ssize_t slow_bin(double x, const struct grid *g) {
    double q = (x - g->low) / g->width;
    if (!(q >= g->first && q < g->past)) return -1;
    int64_t k = (int64_t)q;
    return (Py_ssize_t)(k - ((double)k > q) - g->kmin);
}

static void add_one(Py_ssize_t at, double x, uint32_t *tally, double *lows, double *highs) {
    tally[at] += 1;
    if (lows != NULL) {
        if (x < lows[at]) lows[at] = x;
        if (x > highs[at]) highs[at] = x;
    }
}

/* Counts into tally (nbins + 1 slots, the last for nothing); returns how many spilled. */
static Py_ssize_t count_bins(const double *x, const uint8_t *valid, Py_ssize_t offset,
                             Py_ssize_t end, const struct grid *g, uint32_t *tally,
                             double *lows, double *highs, double *spill) {
    int32_t k[BLOCK], hard[BLOCK];
    block_fn block = widest_block();
    Py_ssize_t spilled = 0;
    for (Py_ssize_t start = offset; start < end; start += BLOCK) {
        struct block in = {x + start, valid, start, end - start < BLOCK ? end - start : BLOCK};
        Py_ssize_t listed = block(&in, 0, g, k, hard);
        if (lows == NULL) {
            for (Py_ssize_t i = 0; i < in.n; i++) tally[k[i]] += 1;
        } else {
            for (Py_ssize_t i = 0; i < in.n; i++) add_one(k[i], in.x[i], tally, lows, highs);
        }
        for (Py_ssize_t j = 0; j < listed; j++) { /* valid values only */
            double xi = in.x[hard[j]];
            Py_ssize_t at;
            if (!in_range(xi)) continue;
            if ((at = slow_bin(xi, g)) < 0)
                spill[spilled++] = xi;
            else
                add_one(at, xi, tally, lows, highs);
        }
    }
    return spilled;
}

/* bins(values, validity, offset, length, low, width, kmin, counts, lows, highs, spill)
 * For each valid x with |x| < 1.7e308: k = floor((x - low) / width); counts[k - kmin] += 1
 * when kmin <= k < kmin + len(counts), and lows/highs (when given) keep the bin's smallest
 * and largest x; any other x is written to spill. Returns how many were spilled. */
static PyObject *bins(PyObject *self, PyObject *args) {
    PyObject *o_values, *o_valid, *o_counts, *o_lows, *o_highs, *o_spill;
    Py_ssize_t offset, length;
    long long kmin;
    double low, width;
    if (!PyArg_ParseTuple(args, "OOnnddLOOOO", &o_values, &o_valid, &offset, &length, &low,
                          &width, &kmin, &o_counts, &o_lows, &o_highs, &o_spill))
        return NULL;
    if (offset < 0 || length < 0 || length > 0x7fffffff)
        return PyErr_Format(PyExc_ValueError, "a slice of 0 to 2^31 - 1 rows");
    if (!(width > 0.0) || kmin < -(1LL << 30) || kmin > 0)
        return PyErr_Format(PyExc_ValueError, "width must be positive, kmin in -2^30..0");
    Py_buffer v[6];
    for (int i = 0; i < 6; i++) v[i].obj = NULL;
    Py_ssize_t end = offset + length;
    if (take(o_values, &v[0], end * 8, 0, 0, "values") < 0 ||
        take(o_valid, &v[1], (end + 7) / 8, 0, 1, "validity") < 0 ||
        take(o_counts, &v[2], 8, 1, 0, "counts") < 0 ||
        take(o_lows, &v[3], v[2].len, 1, 1, "lows") < 0 ||
        take(o_highs, &v[4], v[2].len, 1, 1, "highs") < 0 ||
        take(o_spill, &v[5], length * 8, 1, 0, "spill") < 0) {
        release(v, 6);
        return NULL;
    }
    Py_ssize_t nbins = v[2].len / 8;
    if ((v[3].obj == NULL) != (v[4].obj == NULL) || nbins > (1 << 30)) {
        release(v, 6);
        return PyErr_Format(PyExc_ValueError, "lows and highs go together; 2^30 bins at most");
    }
    struct grid g = {low, width, 1.0 / width, -(double)kmin, (double)nbins - 0.5,
                     (double)kmin, (double)kmin + (double)nbins, kmin, nbins};
    Py_ssize_t spilled = 0;
    int64_t *counts = (int64_t *)v[2].buf;
    double *lows = NULL, *highs = NULL;
    uint32_t *tally = calloc((size_t)nbins + 1, sizeof(uint32_t));
    if (v[3].obj != NULL) {
        lows = malloc(((size_t)nbins + 1) * sizeof(double));
        highs = malloc(((size_t)nbins + 1) * sizeof(double));
    }
    if (tally == NULL || (v[3].obj != NULL && (lows == NULL || highs == NULL))) {
        free(tally), free(lows), free(highs);
        release(v, 6);
        return PyErr_NoMemory();
    }
    Py_BEGIN_ALLOW_THREADS
    if (lows != NULL) {
        memcpy(lows, v[3].buf, (size_t)nbins * sizeof(double));
        memcpy(highs, v[4].buf, (size_t)nbins * sizeof(double));
        lows[nbins] = highs[nbins] = 0.0; /* the slot counted nowhere */
    }
    spilled = count_bins((const double *)v[0].buf, (const uint8_t *)v[1].buf, offset, end, &g,
                         tally, lows, highs, (double *)v[5].buf);
    for (Py_ssize_t i = 0; i < nbins; i++) counts[i] += tally[i];
    if (lows != NULL) {
        memcpy(v[3].buf, lows, (size_t)nbins * sizeof(double));
        memcpy(v[4].buf, highs, (size_t)nbins * sizeof(double));
    }
    Py_END_ALLOW_THREADS
    free(tally), free(lows), free(highs);
    release(v, 6);
    return PyLong_FromSsize_t(spilled);
}

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
 * prediction's outcome (0, 1, or 2 for any other value); label and prediction hold
 * float64 ('d'), int32 ('i') or int64 ('l') values, the score float64. Each cell counts its rows and,
 * over its finite scores, their count, squared errors and clipped log losses; each finite
 * score also counts in its score bin floor(s * (len(bin_rows) - 1)) (rows, labels and
 * scores summed), or is spilled as (score, label) when outside the bins. groups may be None
 * (one group); score None (no scores). Returns how many scores were spilled. */
static PyObject *cells(PyObject *self, PyObject *args) {
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

/* Counts a slice of int32 indices into local (n + 2 slots): slot n for an index outside
 * 0..n-1, slot n + 1 for a null (whose index may be anything). */
static void count_indices(const int32_t *at, const uint8_t *valid, Py_ssize_t offset,
                          Py_ssize_t length, Py_ssize_t n, uint32_t *local) {
    if (valid == NULL) {
        for (Py_ssize_t i = 0; i < length; i++)
            local[(uint32_t)at[i] < (uint64_t)n ? (Py_ssize_t)at[i] : n] += 1;
        return;
    }
    for (Py_ssize_t i = 0; i < length; i++) {
        Py_ssize_t slot = (uint32_t)at[i] < (uint64_t)n ? (Py_ssize_t)at[i] : n;
        local[valid_at(valid, offset + i) ? slot : n + 1] += 1;
    }
}

/* tally(indices, validity, offset, length, counts): counts[indices[i]] += 1 for each valid
 * row of an int32 column slice (a dictionary's indices); an index outside counts is a
 * ValueError, and nothing is counted. */
static PyObject *tally(PyObject *self, PyObject *args) {
    PyObject *o[3];
    Py_ssize_t offset, length;
    if (!PyArg_ParseTuple(args, "OOnnO", &o[0], &o[1], &offset, &length, &o[2])) return NULL;
    if (offset < 0 || length < 0 || length > 0x7fffffff)
        return PyErr_Format(PyExc_ValueError, "a slice of 0 to 2^31 - 1 rows");
    Py_buffer v[3];
    for (int i = 0; i < 3; i++) v[i].obj = NULL;
    if (take(o[0], &v[0], (offset + length) * 4, 0, 0, "indices") < 0 ||
        take(o[1], &v[1], (offset + length + 7) / 8, 0, 1, "validity") < 0 ||
        take(o[2], &v[2], 8, 1, 0, "counts") < 0) {
        release(v, 3);
        return NULL;
    }
    int64_t *counts = v[2].buf;
    Py_ssize_t n = v[2].len / 8;
    uint32_t *local = calloc((size_t)n + 2, sizeof(uint32_t));
    if (local == NULL) {
        release(v, 3);
        return PyErr_NoMemory();
    }
    Py_BEGIN_ALLOW_THREADS
    count_indices((const int32_t *)v[0].buf + offset, v[1].buf, offset, length, n, local);
    for (Py_ssize_t i = 0; local[n] == 0 && i < n; i++) counts[i] += local[i];
    Py_END_ALLOW_THREADS
    int bad = local[n] != 0;
    free(local);
    release(v, 3);
    if (bad) return PyErr_Format(PyExc_ValueError, "an index outside 0..%zd", n - 1);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"tally", tally, METH_VARARGS, "Count the rows of each index of an int32 column slice."},
    {"bins", bins, METH_VARARGS, "Count a float64 column slice into equal-width bins."},
    {"cells", cells, METH_VARARGS, "Confusion cells per group, with score sums and bins."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_onepass", NULL, -1, methods};

PyMODINIT_FUNC PyInit__onepass(void) { return PyModule_Create(&module); }
