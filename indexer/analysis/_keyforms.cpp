// The cross-script spelling key of a folded word and its key forms, compiled.
//
// Why C++: every distinct word a build meets is keyed once (hundreds of thousands per corpus),
// and in Python the key was a dozen string passes (digraphs, NFKD, translation tables, three
// regular expressions, the ending table, the collapse of doubled letters): half of the cost of
// analysing a new word. Here it is one pass per rule over a code-point buffer.
//
// The rules' data stays in Python (indexer/analysis/translit.py hands its tables to
// ``configure``), and so do the parts that are library calls already: ICU's Kazakh-Latin/BGN
// transliterator (PyICU's object), unicodedata's NFKD, and the stems whose keys join a word's
// keys. translit.py keeps the same algorithm in Python (``spelling_key_python``,
// ``key_forms_python``) as the reference; tests/test_keyforms.py checks both agree on corpus words.

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <unicode/uchar.h>

namespace {

using Text = std::u32string;

struct Rules {
    std::vector<std::pair<Text, Text>> digraphs;        // replaced in this order, each everywhere
    std::unordered_map<char32_t, Text> letters;         // str.translate table (empty value: delete)
    std::unordered_map<char32_t, Text> placeholders;    // applied after ``letters``
    std::unordered_map<Text, Text> endings;             // key ending -> replacement
    std::vector<size_t> ending_lengths;                 // distinct lengths, longest first
    size_t min_key_stem = 0;
    PyObject *transliterate = nullptr;                  // Kazakh-Latin/BGN, str -> str
    PyObject *nfkd = nullptr;                           // str -> NFKD str
    PyObject *key_stems = nullptr;                      // (word, doc_lang) -> stems whose keys join
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

bool is_vowel(char32_t ch) { return ch == 'a' || ch == 'e' || ch == 'i' || ch == 'o' || ch == 'u'; }

// Python's str.replace(old, new): every non-overlapping occurrence, left to right.
void replace_all(Text &text, const Text &old, const Text &replacement) {
    size_t at = text.find(old);
    if (at == Text::npos) return;
    Text out;
    out.reserve(text.size());
    size_t cursor = 0;
    while (at != Text::npos) {
        out.append(text, cursor, at - cursor);
        out += replacement;
        cursor = at + old.size();
        at = text.find(old, cursor);
    }
    out.append(text, cursor, Text::npos);
    text.swap(out);
}

void translate(Text &text, const std::unordered_map<char32_t, Text> &table) {
    Text out;
    out.reserve(text.size());
    for (char32_t ch : text) {
        auto found = table.find(ch);
        if (found == table.end()) {
            out.push_back(ch);
        } else {
            out += found->second;
        }
    }
    text.swap(out);
}

// scripts.script_of(word) == "Cyrl": Cyrillic letters (U+0400-U+052F) at least as many as Latin ones.
bool mostly_cyrillic(const Text &word) {
    size_t cyrillic = 0, latin = 0;
    for (char32_t ch : word) {
        if (ch >= 0x0400 && ch < 0x0530) {
            ++cyrillic;
        } else if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= 0x00C0 && ch < 0x0250)) {
            ++latin;
        }
    }
    return cyrillic > 0 && cyrillic >= latin;
}

// Call ``function(text)`` (a str -> str library call) on a code-point buffer.
bool call_on(PyObject *function, Text &text, bool lower) {
    PyObject *argument = to_str(text);
    if (argument == nullptr) return false;
    PyObject *result = PyObject_CallOneArg(function, argument);
    Py_DECREF(argument);
    if (result != nullptr && lower) {
        PyObject *lowered = PyObject_CallMethod(result, "lower", nullptr);
        Py_DECREF(result);
        result = lowered;
    }
    if (result == nullptr) return false;
    if (!PyUnicode_Check(result)) {
        Py_DECREF(result);
        PyErr_SetString(PyExc_TypeError, "a str was expected from a key rule's library call");
        return false;
    }
    text = to_text(result);
    Py_DECREF(result);
    return true;
}

// translit.spelling_key: the loose Latin skeleton of one folded word.
bool spelling_key(Text &word) {
    if (mostly_cyrillic(word)) {
        replace_all(word, U"ё", U"йо");
        replace_all(word, U"Ё", U"Йо");
        if (!call_on(rules.transliterate, word, true)) return false;
    }
    for (const auto &[digraph, replacement] : rules.digraphs) replace_all(word, digraph, replacement);
    if (std::any_of(word.begin(), word.end(), [](char32_t ch) { return ch > 0x7F; })) {
        if (!call_on(rules.nfkd, word, false)) return false;
        word.erase(std::remove_if(word.begin(), word.end(), [](char32_t ch) { return u_getCombiningClass(ch) != 0; }),
                   word.end());
    }
    // ng(?![aeiou])|ng$ -> n
    Text out;
    out.reserve(word.size());
    for (size_t i = 0; i < word.size(); ++i) {
        if (word[i] == 'n' && i + 1 < word.size() && word[i + 1] == 'g' && (i + 2 == word.size() || !is_vowel(word[i + 2]))) {
            out.push_back('n');
            ++i;
        } else {
            out.push_back(word[i]);
        }
    }
    word.swap(out);
    translate(word, rules.letters);
    translate(word, rules.placeholders);
    if (word.size() >= 2 && word[0] == 'i' && word[1] == 'e') word.erase(0, 1);  // ^ie -> e
    // (?<=[aeiou])i(?=[aeou]) -> '' (both sides read in the word before this rule)
    out.clear();
    for (size_t i = 0; i < word.size(); ++i) {
        bool glide = word[i] == 'i' && i > 0 && is_vowel(word[i - 1]) && i + 1 < word.size() && word[i + 1] != 'i' &&
                     is_vowel(word[i + 1]);
        if (!glide) out.push_back(word[i]);
    }
    word.swap(out);
    return true;
}

// (.)\1+ -> \1
Text collapse(const Text &key) {
    Text out;
    out.reserve(key.size());
    for (char32_t ch : key) {
        if (out.empty() || out.back() != ch) out.push_back(ch);
    }
    return out;
}

// The skeletons of recent words and stems. Entity matching asks for a word's key
// (translit.spelling_key) just before the analysis chains ask for the same word's key forms
// (key_forms), many words share a stem (банк, банктері, банков), and a Cyrillic skeleton costs an
// ICU transliteration: every asker after the first finds it here. Bounded by dropping all when full.
constexpr size_t WORD_KEYS_LIMIT = 100000;
std::unordered_map<Text, Text> word_keys;

bool word_key(Text &word) {
    auto found = word_keys.find(word);
    if (found != word_keys.end()) {
        word = found->second;
        return true;
    }
    Text original = word;
    if (!spelling_key(word)) return false;
    if (word_keys.size() >= WORD_KEYS_LIMIT) word_keys.clear();
    word_keys.emplace(std::move(original), word);
    return true;
}

// A stem's collapsed key.
bool stem_key(const Text &stem, Text &key) {
    key = stem;
    if (!word_key(key)) return false;
    key = collapse(key);
    return true;
}

bool configured() {
    if (!rules.ready) PyErr_SetString(PyExc_RuntimeError, "_keyforms.configure() has not been called");
    return rules.ready;
}

bool read_table(PyObject *table, std::unordered_map<char32_t, Text> &into) {
    PyObject *key, *value;
    Py_ssize_t cursor = 0;
    while (PyDict_Next(table, &cursor, &key, &value)) {
        long code = PyLong_AsLong(key);
        if (code == -1 && PyErr_Occurred()) return false;
        if (value == Py_None) {
            into[static_cast<char32_t>(code)] = Text();
        } else if (PyUnicode_Check(value)) {
            into[static_cast<char32_t>(code)] = to_text(value);
        } else {
            PyErr_SetString(PyExc_TypeError, "translation tables map code points to str or None");
            return false;
        }
    }
    return true;
}

bool read_pairs(PyObject *pairs, std::vector<std::pair<Text, Text>> &into) {
    PyObject *fast = PySequence_Fast(pairs, "expected a sequence of (str, str) pairs");
    if (fast == nullptr) return false;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(fast); ++i) {
        PyObject *pair = PySequence_Fast_GET_ITEM(fast, i);
        PyObject *first, *second;
        if (!PyArg_ParseTuple(pair, "UU", &first, &second)) {
            Py_DECREF(fast);
            return false;
        }
        into.emplace_back(to_text(first), to_text(second));
    }
    Py_DECREF(fast);
    return true;
}

// configure(digraphs, letters, placeholders, key_endings, min_key_stem, transliterate, nfkd, key_stems)
PyObject *configure(PyObject *, PyObject *args) {
    PyObject *digraphs, *letters, *placeholders, *endings, *transliterate, *nfkd, *key_stems;
    Py_ssize_t min_key_stem;
    if (!PyArg_ParseTuple(args, "OO!O!OnOOO", &digraphs, &PyDict_Type, &letters, &PyDict_Type, &placeholders, &endings,
                          &min_key_stem, &transliterate, &nfkd, &key_stems)) {
        return nullptr;
    }
    Rules fresh;
    std::vector<std::pair<Text, Text>> ending_list;
    if (!read_pairs(digraphs, fresh.digraphs) || !read_table(letters, fresh.letters) ||
        !read_table(placeholders, fresh.placeholders) || !read_pairs(endings, ending_list)) {
        return nullptr;
    }
    for (auto &[ending, replacement] : ending_list) {
        if (ending.empty() || fresh.endings.count(ending)) continue;  // the first value wins (SuffixTable)
        fresh.ending_lengths.push_back(ending.size());
        fresh.endings.emplace(std::move(ending), std::move(replacement));
    }
    std::sort(fresh.ending_lengths.begin(), fresh.ending_lengths.end(), std::greater<size_t>());
    fresh.ending_lengths.erase(std::unique(fresh.ending_lengths.begin(), fresh.ending_lengths.end()), fresh.ending_lengths.end());
    fresh.min_key_stem = static_cast<size_t>(min_key_stem);
    Py_INCREF(transliterate);
    Py_INCREF(nfkd);
    Py_INCREF(key_stems);
    Py_XDECREF(rules.transliterate);
    Py_XDECREF(rules.nfkd);
    Py_XDECREF(rules.key_stems);
    fresh.transliterate = transliterate;
    fresh.nfkd = nfkd;
    fresh.key_stems = key_stems;
    fresh.ready = true;
    rules = std::move(fresh);
    word_keys.clear();  // keyed under the previous rules
    Py_RETURN_NONE;
}

PyObject *py_spelling_key(PyObject *, PyObject *word) {
    if (!configured()) return nullptr;
    if (!PyUnicode_Check(word)) {
        PyErr_SetString(PyExc_TypeError, "spelling_key(word: str)");
        return nullptr;
    }
    Text text = to_text(word);
    if (!word_key(text)) return nullptr;
    return to_str(text);
}

bool add_form(std::vector<Text> &forms, Text form) {
    if (form.empty() || std::find(forms.begin(), forms.end(), form) != forms.end()) return false;
    forms.push_back(std::move(form));
    return true;
}

PyObject *py_key_forms(PyObject *, PyObject *const *args, Py_ssize_t nargs) {
    if (!configured()) return nullptr;
    if (nargs != 2 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "key_forms(word: str, doc_lang: str | None)");
        return nullptr;
    }
    Text full = to_text(args[0]);
    if (!word_key(full)) return nullptr;
    std::vector<Text> forms;
    if (!std::any_of(full.begin(), full.end(), [](char32_t ch) { return Py_UNICODE_ISALPHA(ch); })) {
        add_form(forms, full);
    } else {
        add_form(forms, collapse(full));
        for (size_t length : rules.ending_lengths) {  // every way of removing one ending
            if (length > full.size()) continue;
            auto found = rules.endings.find(full.substr(full.size() - length));
            if (found == rules.endings.end()) continue;
            if (full.size() - length + found->second.size() >= rules.min_key_stem) {
                add_form(forms, collapse(full.substr(0, full.size() - length) + found->second));
            }
        }
        PyObject *stems = PyObject_Vectorcall(rules.key_stems, args, 2, nullptr);
        if (stems == nullptr) return nullptr;
        PyObject *fast = PySequence_Fast(stems, "key stems must be a sequence");
        Py_DECREF(stems);
        if (fast == nullptr) return nullptr;
        for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(fast); ++i) {
            PyObject *stem = PySequence_Fast_GET_ITEM(fast, i);
            if (!PyUnicode_Check(stem)) {
                Py_DECREF(fast);
                PyErr_SetString(PyExc_TypeError, "key stems must be str");
                return nullptr;
            }
            Text key;
            if (!stem_key(to_text(stem), key)) {
                Py_DECREF(fast);
                return nullptr;
            }
            add_form(forms, key);
        }
        Py_DECREF(fast);
    }
    PyObject *out = PyTuple_New(static_cast<Py_ssize_t>(forms.size()));
    if (out == nullptr) return nullptr;
    for (size_t i = 0; i < forms.size(); ++i) {
        PyObject *form = to_str(forms[i]);
        if (form == nullptr) {
            Py_DECREF(out);
            return nullptr;
        }
        PyTuple_SET_ITEM(out, static_cast<Py_ssize_t>(i), form);
    }
    return out;
}

PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS,
     "configure(digraphs, letters, placeholders, key_endings, min_key_stem, transliterate, nfkd, key_stems): the rules' data."},
    {"spelling_key", py_spelling_key, METH_O, "spelling_key(word) -> the loose Latin skeleton of a folded word."},
    {"key_forms", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(py_key_forms)), METH_FASTCALL,
     "key_forms(word, doc_lang) -> every key the word is indexed or searched under."},
    {nullptr, nullptr, 0, nullptr},
};

PyModuleDef module = {PyModuleDef_HEAD_INIT, "_keyforms", "The cross-script spelling key, compiled.", -1, methods};

}  // namespace

PyMODINIT_FUNC PyInit__keyforms() { return PyModule_Create(&module); }
