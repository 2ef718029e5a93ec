// The per-token loops of indexing a text, compiled: ICU word segmentation grouped by word, the
// grouping of a text's words into the three chains' term -> positions tables, and the word scan
// of the entity gazetteer (indexer.extract.entities._words).
//
// Why C++: these loops run once per word occurrence of every indexed text. In Python each
// occurrence costs a PyICU call for the boundary, another for its rule status, a slice and a
// dictionary step, which together made the fused analysis cost about twice ICU segmentation
// itself before any word was analysed. Here ICU's BreakIterator is called directly, so the
// per-occurrence work is ICU's own plus one dictionary step.
//
// Exactly the semantics of the Python reference implementations, which stay in use for the
// rare texts this module declines and for querying (indexer.analysis.tokenizer.word_forms,
// indexer.analysis.chains._grouped_python, indexer.extract.entities._words);
// tests/test_native_analysis.py checks that both agree.

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <memory>
#include <vector>

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

namespace {

// ICU rule-status range of segments that are words (numbers, letters, kana, ideographs).
constexpr int32_t WORD_STATUS_MIN = 100;
constexpr int32_t WORD_STATUS_MAX = 500;

bool is_hyphen(Py_UCS4 ch) { return ch == 0x2D || ch == 0x2010 || ch == 0x2011; }

// One BreakIterator per thread: building one costs more than segmenting a title.
icu::BreakIterator *word_breaker() {
    thread_local std::unique_ptr<icu::BreakIterator> breaker;
    if (!breaker) {
        UErrorCode status = U_ZERO_ERROR;
        breaker.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
        if (U_FAILURE(status)) {
            breaker.reset();
            return nullptr;
        }
    }
    return breaker.get();
}

// Append ``pos`` to ``out[key]`` (a new one-element list when absent). Steals nothing.
int append_position(PyObject *out, PyObject *key, Py_ssize_t pos) {
    PyObject *number = PyLong_FromSsize_t(pos);
    if (number == nullptr) return -1;
    PyObject *positions = PyDict_GetItemWithError(out, key);
    int result;
    if (positions != nullptr) {
        result = PyList_Append(positions, number);
    } else if (PyErr_Occurred()) {
        result = -1;
    } else {
        PyObject *fresh = PyList_New(1);
        if (fresh == nullptr) {
            Py_DECREF(number);
            return -1;
        }
        Py_INCREF(number);
        PyList_SET_ITEM(fresh, 0, number);
        result = PyDict_SetItem(out, key, fresh);
        Py_DECREF(fresh);
    }
    Py_DECREF(number);
    return result;
}

struct Walk {
    PyObject *value;
    int kind;
    const void *data;
    PyObject *forms;     // ICUWordTokenizer._forms(value, start, end, pos) -> iterable of (text, ...)
    PyObject *compound;  // tokenizer._compound(joined) -> str
    PyObject *out;
    Py_ssize_t pos = -1;
    Py_ssize_t previous_end = -2;
    Py_ssize_t compound_start = -1;
    Py_ssize_t compound_pos = -1;

    Py_UCS4 at(Py_ssize_t i) const { return PyUnicode_READ(kind, data, i); }

    // One word piece, as the loop of tokenizer.word_forms handles it.
    int piece(Py_ssize_t start, Py_ssize_t end) {
        bool joined_by_hyphen = start - previous_end == 1 && is_hyphen(at(previous_end));
        previous_end = end;
        pos += 1;
        if (!joined_by_hyphen) {
            compound_start = start;
            compound_pos = pos;
        }
        bool alnum = true;
        for (Py_ssize_t i = start; i < end && alnum; ++i) alnum = Py_UNICODE_ISALNUM(at(i));
        if (alnum) {
            PyObject *word = PyUnicode_Substring(value, start, end);
            if (word == nullptr) return -1;
            int result = append_position(out, word, pos);
            Py_DECREF(word);
            if (result < 0) return -1;
        } else if (special_forms(start, end) < 0) {
            return -1;
        }
        if (joined_by_hyphen) {
            PyObject *joined = PyUnicode_Substring(value, compound_start, end);
            if (joined == nullptr) return -1;
            PyObject *word = PyObject_CallOneArg(compound, joined);
            Py_DECREF(joined);
            if (word == nullptr) return -1;
            int result = append_position(out, word, compound_pos);
            Py_DECREF(word);
            if (result < 0) return -1;
        }
        return 0;
    }

    // A word with apostrophes or other non-alphanumerics: the Python tokenizer says its forms.
    int special_forms(Py_ssize_t start, Py_ssize_t end) {
        PyObject *emitted = PyObject_CallFunction(forms, "Onnn", value, start, end, pos);
        if (emitted == nullptr) return -1;
        PyObject *iterator = PyObject_GetIter(emitted);
        Py_DECREF(emitted);
        if (iterator == nullptr) return -1;
        PyObject *item;
        while ((item = PyIter_Next(iterator)) != nullptr) {
            PyObject *text = PySequence_GetItem(item, 0);
            Py_DECREF(item);
            if (text == nullptr || append_position(out, text, pos) < 0) {
                Py_XDECREF(text);
                Py_DECREF(iterator);
                return -1;
            }
            Py_DECREF(text);
        }
        Py_DECREF(iterator);
        return PyErr_Occurred() ? -1 : 0;
    }

    // One ICU word segment, split at underscore runs (markdown debris, snake_case).
    int segment(Py_ssize_t start, Py_ssize_t end) {
        Py_ssize_t cursor = start;
        for (Py_ssize_t i = start; i < end; ++i) {
            if (at(i) != '_') continue;
            if (i > cursor && piece(cursor, i) < 0) return -1;
            cursor = i + 1;
        }
        if (cursor == start) return piece(start, end);
        return cursor < end ? piece(cursor, end) : 0;
    }
};

// A Python string as the UTF-16 units ICU reads. ICU counts UTF-16 units; Python counts code
// points. They differ only past the BMP, where ``index_of`` maps each unit offset to the Python
// index (as tokenizer._utf16_to_index does).
struct Units {
    std::vector<char16_t> widened;
    std::vector<Py_ssize_t> index_of;
    const char16_t *units = nullptr;
    Py_ssize_t length = 0;

    explicit Units(PyObject *value) {
        int kind = PyUnicode_KIND(value);
        length = PyUnicode_GET_LENGTH(value);
        const void *data = PyUnicode_DATA(value);
        if (kind == PyUnicode_1BYTE_KIND) {
            widened.resize(static_cast<size_t>(length) + 1);
            const Py_UCS1 *bytes = static_cast<const Py_UCS1 *>(data);
            for (Py_ssize_t i = 0; i < length; ++i) widened[i] = bytes[i];
            units = widened.data();
        } else if (kind == PyUnicode_2BYTE_KIND) {
            units = static_cast<const char16_t *>(data);  // UCS-2 without astral characters is UTF-16
        } else {
            widened.reserve(static_cast<size_t>(length) * 2 + 1);
            index_of.reserve(static_cast<size_t>(length) * 2 + 1);
            for (Py_ssize_t i = 0; i < length; ++i) {
                Py_UCS4 ch = PyUnicode_READ(kind, data, i);
                if (ch >= 0x10000) {
                    widened.push_back(static_cast<char16_t>(0xD800 + ((ch - 0x10000) >> 10)));
                    widened.push_back(static_cast<char16_t>(0xDC00 + ((ch - 0x10000) & 0x3FF)));
                    index_of.push_back(i);
                    index_of.push_back(i);
                } else {
                    widened.push_back(static_cast<char16_t>(ch));
                    index_of.push_back(i);
                }
            }
            index_of.push_back(length);
            units = widened.data();
            length = static_cast<Py_ssize_t>(widened.size());
        }
    }

    Py_ssize_t index(int32_t unit) const { return index_of.empty() ? unit : index_of[unit]; }
};

// Calls visit(start, end) with the Python indices of every ICU word segment of ``value`` (the
// segments tokenizer.icu_word_spans yields); stops at the first negative result.
template <typename Visit>
int for_each_word(PyObject *value, Visit visit) {
    Units units(value);
    icu::BreakIterator *breaker = word_breaker();
    if (breaker == nullptr) {
        PyErr_SetString(PyExc_RuntimeError, "ICU could not create a word BreakIterator");
        return -1;
    }
    icu::UnicodeString text(false, units.units, static_cast<int32_t>(units.length));  // read-only alias, no copy
    breaker->setText(text);
    int result = 0;
    int32_t start = breaker->first();
    for (int32_t end = breaker->next(); end != icu::BreakIterator::DONE; start = end, end = breaker->next()) {
        int32_t status = breaker->getRuleStatus();
        if (status < WORD_STATUS_MIN || status >= WORD_STATUS_MAX) continue;
        if ((result = visit(units.index(start), units.index(end))) < 0) break;
    }
    breaker->setText(icu::UnicodeString());  // drop the alias before the text may go
    return result;
}

PyObject *word_positions(PyObject *, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "word_positions(value: str, forms, compound)");
        return nullptr;
    }
    PyObject *value = args[0];
    if (PyUnicode_READY(value) < 0) return nullptr;
    PyObject *out = PyDict_New();
    if (out == nullptr) return nullptr;
    Walk walk{value, PyUnicode_KIND(value), PyUnicode_DATA(value), args[1], args[2], out};
    if (for_each_word(value, [&](Py_ssize_t start, Py_ssize_t end) { return walk.segment(start, end); }) < 0) {
        Py_DECREF(out);
        return nullptr;
    }
    return out;
}

// scan_words(text, spelling, word_type) -> [word_type(start, end, spelling(raw)) for each ICU
// word whose spelling is not None]: indexer.extract.entities._words, in one pass.
PyObject *scan_words(PyObject *, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3 || !PyUnicode_Check(args[0]) || !PyType_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "scan_words(text: str, spelling, word_type: type)");
        return nullptr;
    }
    PyObject *value = args[0], *spelling = args[1];
    auto *word_type = reinterpret_cast<PyTypeObject *>(args[2]);
    if (PyUnicode_READY(value) < 0) return nullptr;
    static PyObject *start_name = PyUnicode_InternFromString("start");
    static PyObject *end_name = PyUnicode_InternFromString("end");
    static PyObject *spelling_name = PyUnicode_InternFromString("spelling");
    if (start_name == nullptr || end_name == nullptr || spelling_name == nullptr) return nullptr;
    PyObject *out = PyList_New(0);
    if (out == nullptr) return nullptr;
    int failed = for_each_word(value, [&](Py_ssize_t start, Py_ssize_t end) -> int {
        PyObject *raw = PyUnicode_Substring(value, start, end);
        if (raw == nullptr) return -1;
        PyObject *found = PyObject_CallOneArg(spelling, raw);
        Py_DECREF(raw);
        if (found == nullptr) return -1;
        if (found == Py_None) {
            Py_DECREF(found);
            return 0;
        }
        PyObject *word = word_type->tp_alloc(word_type, 0);  // object.__new__, then the three slots
        PyObject *start_number = PyLong_FromSsize_t(start), *end_number = PyLong_FromSsize_t(end);
        int result = word == nullptr || start_number == nullptr || end_number == nullptr ||
                             PyObject_SetAttr(word, start_name, start_number) < 0 ||
                             PyObject_SetAttr(word, end_name, end_number) < 0 ||
                             PyObject_SetAttr(word, spelling_name, found) < 0 || PyList_Append(out, word) < 0
                         ? -1
                         : 0;
        Py_XDECREF(start_number);
        Py_XDECREF(end_number);
        Py_XDECREF(word);
        Py_DECREF(found);
        return result;
    });
    if (failed < 0) {
        Py_DECREF(out);
        return nullptr;
    }
    return out;
}

// groups[kind][term] = poses, or the sorted union with the positions already there.
int merge_positions(PyObject *groups, PyObject *terms, PyObject *poses) {
    PyObject *fast = PySequence_Fast(terms, "word terms must be a sequence");
    if (fast == nullptr) return -1;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(fast);
    PyObject **items = PySequence_Fast_ITEMS(fast);
    for (Py_ssize_t i = 0; i < count; ++i) {
        PyObject *seen = PyDict_SetDefault(groups, items[i], poses);  // one lookup for a new term
        int result;
        if (seen == nullptr) {
            result = -1;
        } else if (seen == poses) {
            result = 0;
        } else {
            PyObject *merged = PySequence_Concat(seen, poses);
            result = merged == nullptr ? -1 : PyList_Sort(merged);
            if (result == 0) result = PyDict_SetItem(groups, items[i], merged);
            Py_XDECREF(merged);
        }
        if (result < 0) {
            Py_DECREF(fast);
            return -1;
        }
    }
    Py_DECREF(fast);
    return 0;
}

PyObject *new_dict(Py_ssize_t expected) {
#if PY_VERSION_HEX < 0x030D0000
    return _PyDict_NewPresized(expected);  // CPython's presizing constructor (private, present in 3.11 and 3.12)
#else
    (void)expected;
    return PyDict_New();
#endif
}

PyObject *group_terms(PyObject *, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 5 || !PyDict_Check(args[0]) || !PyDict_Check(args[1]) || !PyDict_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "group_terms(word_positions: dict, recent: dict, older: dict, analyse, doc_lang)");
        return nullptr;
    }
    PyObject *words = args[0], *recent = args[1], *older = args[2], *analyse = args[3], *doc_lang = args[4];
    // Sized for the usual one exact term, one or two stems and two or three keys per word: the
    // tables grow without rehashing.
    Py_ssize_t words_count = PyDict_GET_SIZE(words);
    PyObject *groups[3] = {new_dict(words_count), new_dict(words_count), new_dict(words_count * 5 / 2)};
    Py_ssize_t added = 0;
    PyObject *word, *poses;
    Py_ssize_t cursor = 0;
    bool failed = groups[0] == nullptr || groups[1] == nullptr || groups[2] == nullptr;
    while (!failed && PyDict_Next(words, &cursor, &word, &poses)) {
        PyObject *terms = PyDict_GetItemWithError(recent, word);  // borrowed
        PyObject *owned = nullptr;
        if (terms == nullptr) {
            if (PyErr_Occurred()) break;
            terms = PyDict_GetItemWithError(older, word);
            if (terms == nullptr) {
                if (PyErr_Occurred()) break;
                terms = owned = PyObject_CallFunctionObjArgs(analyse, word, doc_lang, nullptr);
                if (terms == nullptr) break;
            }
            Py_INCREF(terms);
            Py_XDECREF(owned);
            owned = terms;
            if (PyDict_SetItem(recent, word, terms) < 0) {
                Py_DECREF(owned);
                break;
            }
            added += 1;
        }
        if (!PyTuple_Check(terms) || PyTuple_GET_SIZE(terms) != 3) {
            PyErr_SetString(PyExc_TypeError, "a word's terms must be an (exact, stem, key) tuple");
            Py_XDECREF(owned);
            break;
        }
        for (int k = 0; k < 3 && !failed; ++k) failed = merge_positions(groups[k], PyTuple_GET_ITEM(terms, k), poses) < 0;
        Py_XDECREF(owned);
    }
    if (failed || PyErr_Occurred()) {
        for (PyObject *g : groups) Py_XDECREF(g);
        return nullptr;
    }
    return Py_BuildValue("NNNn", groups[0], groups[1], groups[2], added);
}

PyMethodDef methods[] = {
    {"word_positions", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(word_positions)), METH_FASTCALL,
     "word_positions(value, forms, compound) -> {form: [positions]} (tokenizer.word_positions)."},
    {"scan_words", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(scan_words)), METH_FASTCALL,
     "scan_words(text, spelling, word_type) -> the ICU words whose spelling is not None (entities._words)."},
    {"group_terms", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(group_terms)), METH_FASTCALL,
     "group_terms(word_positions, recent, older, analyse, doc_lang) -> (exact, stem, key groups, words added)."},
    {nullptr, nullptr, 0, nullptr},
};

PyModuleDef module = {PyModuleDef_HEAD_INIT, "_wordloop", "Compiled per-token loops of the fused analysis chains.", -1, methods};

}  // namespace

PyMODINIT_FUNC PyInit__wordloop() { return PyModule_Create(&module); }
