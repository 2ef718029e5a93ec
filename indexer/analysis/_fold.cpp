// The shared normalisation of one word (indexer.analysis.fold.normalize_word), compiled, and the
// whole analysis of one new word (chains._analyse) composed from the compiled parts.
//
// Why C++: every distinct word a build meets is normalised and analysed once, and in Python the
// normalisation alone (invisible characters, NFKC case folding, homoglyph repair, Kazakh Latin
// alphabets) was a fifth of that cost, mostly in the steps between the library calls. NFKC and
// case folding are still Python's own (unicodedata, str.casefold), so the folding is the same.
//
// The rules' data stays in fold.py and scripts.py (handed over by ``configure``); fold.py keeps
// the algorithm in Python as the reference (``normalize_word_python``), and
// tests/test_native_analysis.py checks that both agree.

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace {

using Text = std::u32string;
using Letters = std::unordered_set<char32_t>;
using Map = std::unordered_map<char32_t, char32_t>;

struct Rules {
    Letters invisible;                 // removed before folding
    Map latin_to_cyrillic, cyrillic_to_latin;
    Letters homoglyphs_latin, homoglyphs_cyrillic;
    Letters kazakh_latin;
    Map kazakh_2018_to_2021;
    PyObject *nfkc = nullptr;          // str -> NFKC str
    PyObject *stems_of = nullptr;      // (word, doc_lang) -> tuple of stems
    PyObject *key_forms = nullptr;     // (word, doc_lang) -> tuple of keys
    PyObject *empty_terms = nullptr;   // ((), (), ())
    bool ready = false;
};

Rules rules;

Text to_text(PyObject *value) {
    Py_ssize_t length = PyUnicode_GET_LENGTH(value);
    int kind = PyUnicode_KIND(value);
    const void *data = PyUnicode_DATA(value);
    Text out(static_cast<size_t>(length), U'\0');
    for (Py_ssize_t i = 0; i < length; ++i) out[i] = PyUnicode_READ(kind, data, i);
    return out;
}

PyObject *to_str(const Text &text) {
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, text.data(), static_cast<Py_ssize_t>(text.size()));
}

void map_letters(Text &word, const Map &map) {
    for (char32_t &ch : word) {
        auto found = map.find(ch);
        if (found != map.end()) ch = found->second;
    }
}

// fold.repair_homoglyphs: look-alike letters of the minority script rewritten into the dominant one.
void repair_homoglyphs(Text &word) {
    size_t cyrillic = 0, latin = 0;
    bool latin_all_lookalike = true, cyrillic_all_lookalike = true, ascii = true;
    for (char32_t ch : word) {
        if (ch > 0x7F) ascii = false;
        if (ch >= 0x0400 && ch <= 0x04FF) {
            ++cyrillic;
            cyrillic_all_lookalike = cyrillic_all_lookalike && rules.homoglyphs_cyrillic.count(ch);
        }
        if ((ch <= 0x7F && Py_UNICODE_ISALPHA(ch)) || (ch >= 0x00C0 && ch <= 0x024F)) {
            ++latin;
            latin_all_lookalike = latin_all_lookalike && rules.homoglyphs_latin.count(ch);
        }
    }
    if (ascii || cyrillic == 0 || latin == 0) return;
    if (cyrillic >= latin && latin_all_lookalike) {
        map_letters(word, rules.latin_to_cyrillic);
    } else if (latin > cyrillic && cyrillic_all_lookalike) {
        map_letters(word, rules.cyrillic_to_latin);
    }
}

PyObject *call_str(PyObject *result) {
    if (result != nullptr && !PyUnicode_Check(result)) {
        Py_DECREF(result);
        PyErr_SetString(PyExc_TypeError, "a str was expected from a folding step");
        return nullptr;
    }
    return result;
}

// fold.normalize_word; a new reference to the normalised str.
PyObject *normalize(PyObject *word) {
    PyObject *text = word;
    Py_INCREF(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(word);
    int kind = PyUnicode_KIND(word);
    const void *data = PyUnicode_DATA(word);
    bool has_invisible = false;
    for (Py_ssize_t i = 0; i < length && !has_invisible; ++i) has_invisible = rules.invisible.count(PyUnicode_READ(kind, data, i)) > 0;
    if (has_invisible) {
        Text kept;
        for (Py_ssize_t i = 0; i < length; ++i) {
            char32_t ch = PyUnicode_READ(kind, data, i);
            if (!rules.invisible.count(ch)) kept.push_back(ch);
        }
        Py_DECREF(text);
        text = to_str(kept);
        if (text == nullptr) return nullptr;
    }
    // NFKC(casefold(NFKC(text)))
    PyObject *step = call_str(PyObject_CallOneArg(rules.nfkc, text));
    Py_DECREF(text);
    if (step == nullptr) return nullptr;
    PyObject *folded = call_str(PyObject_CallMethod(step, "casefold", nullptr));
    Py_DECREF(step);
    if (folded == nullptr) return nullptr;
    PyObject *normal = call_str(PyObject_CallOneArg(rules.nfkc, folded));
    Py_DECREF(folded);
    if (normal == nullptr) return nullptr;
    if (PyUnicode_IS_ASCII(normal)) return normal;  // no homoglyph, no Kazakh Latin letter
    Text out = to_text(normal);
    Text before = out;
    repair_homoglyphs(out);
    if (std::any_of(out.begin(), out.end(), [](char32_t ch) { return rules.kazakh_latin.count(ch) > 0; })) {
        map_letters(out, rules.kazakh_2018_to_2021);
    }
    if (out == before) return normal;
    Py_DECREF(normal);
    return to_str(out);
}

bool configured() {
    if (!rules.ready) PyErr_SetString(PyExc_RuntimeError, "_fold.configure() has not been called");
    return rules.ready;
}

PyObject *py_normalize_word(PyObject *, PyObject *word) {
    if (!configured()) return nullptr;
    if (!PyUnicode_Check(word)) {
        PyErr_SetString(PyExc_TypeError, "normalize_word(word: str)");
        return nullptr;
    }
    return normalize(word);
}

// chains._analyse: ((exact,), stems, keys) of one tokenizer form, or ((), (), ()).
PyObject *py_analyse_word(PyObject *, PyObject *const *args, Py_ssize_t nargs) {
    if (!configured()) return nullptr;
    if (rules.stems_of == nullptr || rules.key_forms == nullptr) {
        PyErr_SetString(PyExc_RuntimeError, "_fold.compose() has not been called");
        return nullptr;
    }
    if (nargs != 2 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "analyse_word(word: str, doc_lang: str | None)");
        return nullptr;
    }
    PyObject *exact = normalize(args[0]);
    if (exact == nullptr) return nullptr;
    if (PyUnicode_GET_LENGTH(exact) == 0) {
        Py_DECREF(exact);
        Py_INCREF(rules.empty_terms);
        return rules.empty_terms;
    }
    PyObject *call[2] = {exact, args[1]};
    PyObject *stems = PyObject_Vectorcall(rules.stems_of, call, 2, nullptr);
    PyObject *keys = stems == nullptr ? nullptr : PyObject_Vectorcall(rules.key_forms, call, 2, nullptr);
    if (keys == nullptr) {
        Py_DECREF(exact);
        Py_XDECREF(stems);
        return nullptr;
    }
    return Py_BuildValue("((N)NN)", exact, stems, keys);
}

bool read_letters(PyObject *letters, Letters &into) {
    if (!PyUnicode_Check(letters)) {
        PyErr_SetString(PyExc_TypeError, "letter sets are given as str");
        return false;
    }
    for (char32_t ch : to_text(letters)) into.insert(ch);
    return true;
}

// A str.maketrans table whose values are single letters.
bool read_map(PyObject *table, Map &into) {
    PyObject *key, *value;
    Py_ssize_t cursor = 0;
    while (PyDict_Next(table, &cursor, &key, &value)) {
        long code = PyLong_AsLong(key);
        if (code == -1 && PyErr_Occurred()) return false;
        if (PyLong_Check(value)) {
            into[static_cast<char32_t>(code)] = static_cast<char32_t>(PyLong_AsLong(value));
        } else if (PyUnicode_Check(value) && PyUnicode_GET_LENGTH(value) == 1) {
            into[static_cast<char32_t>(code)] = PyUnicode_READ_CHAR(value, 0);
        } else {
            PyErr_SetString(PyExc_TypeError, "letter maps take one letter to one letter");
            return false;
        }
    }
    return true;
}

// configure(invisible, latin_to_cyrillic, cyrillic_to_latin, homoglyphs_latin, homoglyphs_cyrillic,
//           kazakh_latin, kazakh_2018_to_2021, nfkc): the folding tables.
PyObject *configure(PyObject *, PyObject *args) {
    PyObject *invisible, *to_cyrillic, *to_latin, *homo_latin, *homo_cyrillic, *kazakh_latin, *kazakh_2018, *nfkc;
    if (!PyArg_ParseTuple(args, "UO!O!UUUO!O", &invisible, &PyDict_Type, &to_cyrillic, &PyDict_Type, &to_latin, &homo_latin,
                          &homo_cyrillic, &kazakh_latin, &PyDict_Type, &kazakh_2018, &nfkc)) {
        return nullptr;
    }
    Rules fresh;
    if (!read_letters(invisible, fresh.invisible) || !read_map(to_cyrillic, fresh.latin_to_cyrillic) ||
        !read_map(to_latin, fresh.cyrillic_to_latin) || !read_letters(homo_latin, fresh.homoglyphs_latin) ||
        !read_letters(homo_cyrillic, fresh.homoglyphs_cyrillic) || !read_letters(kazakh_latin, fresh.kazakh_latin) ||
        !read_map(kazakh_2018, fresh.kazakh_2018_to_2021)) {
        return nullptr;
    }
    fresh.empty_terms = Py_BuildValue("(()()())");
    if (fresh.empty_terms == nullptr) return nullptr;
    Py_INCREF(nfkc);
    fresh.nfkc = nfkc;
    fresh.stems_of = rules.stems_of;  // kept from compose()
    fresh.key_forms = rules.key_forms;
    Py_XDECREF(rules.nfkc);
    Py_XDECREF(rules.empty_terms);
    fresh.ready = true;
    rules = std::move(fresh);
    Py_RETURN_NONE;
}

// compose(stems_of, key_forms): the stemming and keying steps of analyse_word.
PyObject *compose(PyObject *, PyObject *args) {
    PyObject *stems_of, *key_forms;
    if (!PyArg_ParseTuple(args, "OO", &stems_of, &key_forms)) return nullptr;
    Py_INCREF(stems_of);
    Py_INCREF(key_forms);
    Py_XDECREF(rules.stems_of);
    Py_XDECREF(rules.key_forms);
    rules.stems_of = stems_of;
    rules.key_forms = key_forms;
    Py_RETURN_NONE;
}

PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS, "configure(...): the folding tables (see indexer/analysis/fold.py)."},
    {"compose", compose, METH_VARARGS, "compose(stems_of, key_forms): the steps analyse_word runs after normalising."},
    {"normalize_word", py_normalize_word, METH_O, "normalize_word(word) -> the shared normalisation of one token."},
    {"analyse_word", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(py_analyse_word)), METH_FASTCALL,
     "analyse_word(word, doc_lang) -> ((exact,), stems, keys), or ((), (), ()) when nothing is left."},
    {nullptr, nullptr, 0, nullptr},
};

PyModuleDef module = {PyModuleDef_HEAD_INIT, "_fold", "Word normalisation and analysis, compiled.", -1, methods};

}  // namespace

PyMODINIT_FUNC PyInit__fold() { return PyModule_Create(&module); }
