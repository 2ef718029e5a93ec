// The CRF's Viterbi walk of the Russian long-tail NER (indexer/extract/russian_ner.py), compiled.
//
// Why C++: the walk is a handful of float additions per word and tag pair (7 tags), but in numpy
// every step of it was four library calls on arrays of a few dozen floats: a tenth of the NER's
// time went on call overhead. Here each text is walked on its own, in float32 as numpy adds
// (score + transition, then + emission, per previous tag), and every maximum keeps its first index
// as argmax does, so the paths are exactly those of RussianNER._viterbi_numpy (tests compare them).

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cstring>
#include <vector>

namespace {

// A C-contiguous float32 buffer of rows × columns.
struct Matrix {
    Py_buffer view{};
    bool held = false;

    int take(PyObject *obj, const char *what) {
        if (PyObject_GetBuffer(obj, &view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) return -1;
        held = true;
        if (view.itemsize != 4 || view.format == nullptr || std::strcmp(view.format, "f") != 0 || view.ndim != 2) {
            PyErr_Format(PyExc_TypeError, "%s must be a 2-D float32 array", what);
            return -1;
        }
        return 0;
    }
    ~Matrix() {
        if (held) PyBuffer_Release(&view);
    }
    Py_ssize_t rows() const { return view.shape[0]; }
    Py_ssize_t columns() const { return view.shape[1]; }
    const float *row(Py_ssize_t r) const { return static_cast<const float *>(view.buf) + r * view.shape[1]; }
};

// --- viterbi(emissions, transitions) -> list of tag paths -----------------------------------------

PyObject *viterbi(PyObject *, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2 || !PyList_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "viterbi(emissions: list of (words x tags) float32 arrays, transitions)");
        return nullptr;
    }
    Matrix transitions;
    if (transitions.take(args[1], "transitions") < 0) return nullptr;
    const Py_ssize_t tags = transitions.rows();
    if (tags == 0 || transitions.columns() != tags) {
        PyErr_SetString(PyExc_ValueError, "transitions must be a square tags x tags matrix");
        return nullptr;
    }
    PyObject *emissions = args[0];
    const Py_ssize_t texts = PyList_GET_SIZE(emissions);
    PyObject *paths = PyList_New(texts);
    if (paths == nullptr) return nullptr;
    std::vector<float> score(tags), next(tags);
    std::vector<int> history;  // words x tags: the best previous tag of each tag at each step
    for (Py_ssize_t text = 0; text < texts; ++text) {
        Matrix emission;
        if (emission.take(PyList_GET_ITEM(emissions, text), "an emission matrix") < 0) {
            Py_DECREF(paths);
            return nullptr;
        }
        const Py_ssize_t words = emission.rows();
        if (words == 0 || emission.columns() != tags) {
            PyErr_SetString(PyExc_ValueError, "an emission matrix must have one row per word and a column per tag");
            Py_DECREF(paths);
            return nullptr;
        }
        std::memcpy(score.data(), emission.row(0), sizeof(float) * tags);
        history.assign(static_cast<size_t>(words * tags), 0);
        for (Py_ssize_t t = 1; t < words; ++t) {
            const float *emit = emission.row(t);
            int *came_from = history.data() + t * tags;
            for (Py_ssize_t j = 0; j < tags; ++j) {
                float best = 0.0f;
                int best_i = -1;
                for (Py_ssize_t i = 0; i < tags; ++i) {
                    float candidate = score[i] + transitions.row(i)[j];
                    candidate += emit[j];
                    if (best_i < 0 || candidate > best) {  // the first maximum, as argmax
                        best = candidate;
                        best_i = static_cast<int>(i);
                    }
                }
                next[j] = best;
                came_from[j] = best_i;
            }
            score.swap(next);
        }
        int best = 0;
        for (Py_ssize_t j = 1; j < tags; ++j)
            if (score[j] > score[best]) best = static_cast<int>(j);
        PyObject *path = PyList_New(words);
        if (path == nullptr) {
            Py_DECREF(paths);
            return nullptr;
        }
        for (Py_ssize_t t = words - 1; t >= 0; --t) {
            PyList_SET_ITEM(path, t, PyLong_FromLong(best));
            if (t > 0) best = history[static_cast<size_t>(t * tags + best)];
        }
        PyList_SET_ITEM(paths, text, path);
    }
    return paths;
}

PyMethodDef methods[] = {
    {"viterbi", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(viterbi)), METH_FASTCALL,
     "viterbi(emissions, transitions) -> each text's best tag path (lists of tag indexes)."},
    {nullptr, nullptr, 0, nullptr},
};

PyModuleDef module = {PyModuleDef_HEAD_INIT, "_viterbi", "The NER's compiled Viterbi walk.", -1, methods};

}  // namespace

PyMODINIT_FUNC PyInit__viterbi() { return PyModule_Create(&module); }
