/* The one-pass scan's extension module: buffer arguments, the tally of dictionary indices,
 * and the table of the loops (_onepass.h says what they share). */
#include "_onepass.h"

int take(PyObject *obj, Py_buffer *view, Py_ssize_t need, int writable, int optional,
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

void release(Py_buffer *views, int n) {
    for (int i = 0; i < n; i++)
        if (views[i].obj != NULL) PyBuffer_Release(&views[i]);
}

/* Counts a slice of int32 indices into local (n + 2 slots): slot n for an index outside
 * 0..n-1, slot n + 1 for a null (whose index may be anything). */
static void count_indices(const int32_t *at, const uint8_t *valid, Py_ssize_t offset,
                          Py_ssize_t length, Py_ssize_t n, uint32_t *local) {
    if (valid == NULL) {
        for (Py_ssize_t i = 0; i < length; i++) {
            if ((i & 15) == 0) FETCH(at + i);
            local[(uint32_t)at[i] < (uint64_t)n ? (Py_ssize_t)at[i] : n] += 1;
        }
        return;
    }
    for (Py_ssize_t i = 0; i < length; i++) {
        if ((i & 15) == 0) FETCH(at + i);
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
    {"bins", onepass_bins, METH_VARARGS, "Count a float64 column slice into equal-width bins."},
    {"cells", onepass_cells, METH_VARARGS, "Confusion cells per group, score sums and bins."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_onepass", NULL, -1, methods};

PyMODINIT_FUNC PyInit__onepass(void) { return PyModule_Create(&module); }
