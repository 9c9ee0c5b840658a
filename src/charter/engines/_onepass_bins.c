/* Equal-width drift bins of a float64 column slice (_onepass.h says what the loops share). */
#include "_onepass.h"

#define NEAR 1e-3 /* how near a whole number a product bin number is checked by a quotient */
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
        FETCH(in->x + i);
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
        FETCH(x + i);
        unsigned valid = checked ? valid_bits(in->valid, in->row + i, 4) : 0xf;
        __m256d d = _mm256_sub_pd(_mm256_loadu_pd(x + i), low);
        __m256d s = _mm256_add_pd(_mm256_mul_pd(d, inverse), shift);
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
        FETCH(x + i);
        unsigned valid = checked ? valid_bits(in->valid, in->row + i, 8) : 0xff;
        __m512d d = _mm512_sub_pd(_mm512_loadu_pd(x + i), low);
        __m512d s = _mm512_add_pd(_mm512_mul_pd(d, inverse), shift);
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

#ifndef WIDEST /* bits of the widest blocks to use: the tests build 256 and 0 as well */
#define WIDEST 512
#endif

static block_fn widest_block(void) {
    __builtin_cpu_init();
    int avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
    if (WIDEST >= 512 && avx512) return block_avx512;
    if (WIDEST >= 256 && __builtin_cpu_supports("avx2")) return block_avx2;
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
PyObject *onepass_bins(PyObject *self, PyObject *args) {
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
