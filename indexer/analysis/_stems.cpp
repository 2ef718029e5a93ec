// Per-word stemming, compiled: the stemmer chosen from the word's letters and the document's
// language, the light Russian noun stem, and the Kazakh suffix stripper.
//
// Why C++: every distinct word a build meets is stemmed (hundreds of thousands per corpus), and
// in Python the choice of stemmer and the Kazakh slots cost a few dozen small calls per word,
// about half of the cost of analysing a new word. Snowball itself is PyStemmer's C code, called
// as before.
//
// The rules' data stays in Python: indexer/analysis/stem.py, kazakh.py and scripts.py hand their
// tables to ``configure``, and keep the same algorithms in Python as the reference
// (``stems_of_python`` and the functions it calls); tests/test_native_analysis.py checks that
// both agree on corpus words and generated ones.

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace {

using Text = std::u32string;
using Letters = std::unordered_set<char32_t>;

struct SuffixTable {
    std::unordered_map<Text, Text> values;  // ending -> value (context letters, or unused)
    std::vector<size_t> lengths;            // distinct lengths, longest first

    void add(Text ending, Text value) {
        if (ending.empty() || values.count(ending)) return;  // the first value wins
        lengths.push_back(ending.size());
        values.emplace(std::move(ending), std::move(value));
    }
    void done() {
        std::sort(lengths.begin(), lengths.end(), std::greater<size_t>());
        lengths.erase(std::unique(lengths.begin(), lengths.end()), lengths.end());
    }
};

struct Rules {
    SuffixTable kazakh_slots[3];  // case, possessive, plural: ending -> context letters
    Letters vowels, voiceless, nasals, possessive_vowels;
    std::vector<Text> protected_endings;
    size_t min_stem = 3;
    std::unordered_map<char32_t, char32_t> final_devoice;
    SuffixTable russian_endings;
    size_t min_russian_stem = 2;
    Letters kazakh_cyrillic, kazakh_latin;
    PyObject *snowball_en = nullptr;  // str -> str (PyStemmer's stemWord)
    PyObject *snowball_ru = nullptr;
    bool ready = false;
};

Rules rules;

enum class Script { Cyrillic, Latin, Other };
enum Lang : unsigned { EN = 1, RU = 2, KK = 4 };

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

bool ends_with(const Text &word, const Text &ending) {
    return word.size() >= ending.size() && word.compare(word.size() - ending.size(), ending.size(), ending) == 0;
}

bool any_of_letters(const Text &word, const Letters &letters) {
    return std::any_of(word.begin(), word.end(), [&](char32_t ch) { return letters.count(ch) > 0; });
}

// scripts.script_of
Script script_of(const Text &word) {
    size_t cyrillic = 0, latin = 0;
    for (char32_t ch : word) {
        if (ch >= 0x0400 && ch < 0x0530) {
            ++cyrillic;
        } else if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= 0x00C0 && ch < 0x0250)) {
            ++latin;
        }
    }
    if (cyrillic == 0 && latin == 0) return Script::Other;
    return cyrillic >= latin ? Script::Cyrillic : Script::Latin;
}

// Document languages that matter here: none, a Turkic one (kk, ky), ru, or another.
enum class DocLang { None, Turkic, Russian, Other };

// scripts.candidate_languages, in order: a list of Lang values.
std::vector<Lang> candidate_languages(const Text &word, DocLang doc) {
    switch (script_of(word)) {
        case Script::Cyrillic:
            if (any_of_letters(word, rules.kazakh_cyrillic) || doc == DocLang::Turkic) return {KK};
            if (doc == DocLang::Russian) return {RU};
            return {RU, KK};
        case Script::Latin:
            if (any_of_letters(word, rules.kazakh_latin) || doc == DocLang::Turkic) return {KK};
            if (doc != DocLang::None) return {EN};
            return {EN, KK};
        default:
            return {};
    }
}

bool call_snowball(PyObject *stemmer, const Text &word, Text &out) {
    PyObject *argument = to_str(word);
    if (argument == nullptr) return false;
    PyObject *result = PyObject_CallOneArg(stemmer, argument);
    Py_DECREF(argument);
    if (result == nullptr) return false;
    if (!PyUnicode_Check(result)) {
        Py_DECREF(result);
        PyErr_SetString(PyExc_TypeError, "a Snowball stemmer returned a non-str");
        return false;
    }
    out = to_text(result);
    Py_DECREF(result);
    return true;
}

bool in(char32_t ch, const char32_t *letters) { return std::char_traits<char32_t>::find(letters, std::char_traits<char32_t>::length(letters), ch) != nullptr; }

void replace_yo(Text &word) { std::replace(word.begin(), word.end(), U'ё', U'е'); }

// stem.light_russian
Text light_russian(Text word) {
    replace_yo(word);
    size_t size = word.size();
    if (size > 3 && word[size - 2] == U'и' && in(word[size - 1], U"яию")) return word.substr(0, size - 1);
    if (size > 4 && ends_with(word, U"ией")) return word.substr(0, size - 2);
    for (size_t length : rules.russian_endings.lengths) {
        if (size < length || size - length < rules.min_russian_stem) continue;
        if (rules.russian_endings.values.count(word.substr(size - length))) return word.substr(0, size - length);
    }
    return word;
}

// kazakh._fits, which looks only at the stem's last letter.
bool fits(char32_t last, const Text &context) {
    if (last == 'i') return fits('a', context) || fits('r', context);  // Latin i writes both и and й
    bool vowel = rules.vowels.count(last) > 0;
    bool possessive = rules.possessive_vowels.count(last) > 0;
    bool voiceless = rules.voiceless.count(last) > 0;
    for (char32_t code : context) {
        if ((code == 'V' && vowel) || (code == 'X' && vowel && !possessive) || (code == 'P' && possessive) ||
            (code == 'N' && rules.nasals.count(last)) || (code == 'S' && voiceless) || (code == 'Z' && !vowel && !voiceless)) {
            return true;
        }
    }
    return false;
}

// kazakh._strip_one
Text strip_one(const Text &word, const SuffixTable &slot) {
    for (const Text &ending : rules.protected_endings) {
        if (ends_with(word, ending)) return word;
    }
    size_t size = word.size();
    for (size_t length : slot.lengths) {
        if (size < length || size - length < rules.min_stem) continue;
        auto found = slot.values.find(word.substr(size - length));
        if (found == slot.values.end()) continue;
        Text stem = word.substr(0, size - length);
        if (any_of_letters(stem, rules.vowels) && fits(stem.back(), found->second)) return stem;
    }
    return word;
}

// kazakh.stem_kazakh
Text stem_kazakh(const Text &word) {
    Text stem = word;
    for (const SuffixTable &slot : rules.kazakh_slots) stem = strip_one(stem, slot);
    if (!stem.empty()) {
        auto devoiced = rules.final_devoice.find(stem.back());
        if (devoiced != rules.final_devoice.end()) stem.back() = devoiced->second;
    }
    return stem;
}

void add_stem(std::vector<Text> &out, Text stem) {
    if (!stem.empty() && std::find(out.begin(), out.end(), stem) == out.end()) out.push_back(std::move(stem));
}

// The stems of one language for stem.stems_of: _english, _russian, _turkic.
bool language_stems(Lang lang, const Text &word, std::vector<Text> &out) {
    if (lang == EN) {
        Text input = word;
        size_t size = input.size();
        if (size > 4 && ends_with(input, U"ves") && (input[size - 4] == 'l' || input[size - 4] == 'r')) {
            input = input.substr(0, size - 3) + U"f";  // wolves -> wolf before Snowball
        }
        Text stem;
        if (!call_snowball(rules.snowball_en, input, stem)) return false;
        add_stem(out, stem);
    } else if (lang == RU) {
        Text input = word;
        replace_yo(input);
        Text stem;
        if (!call_snowball(rules.snowball_ru, input, stem)) return false;
        size_t size = stem.size();
        if (stem == input && size > 5 && (ends_with(stem, U"ек") || ends_with(stem, U"ок")) && in(stem[size - 3], U"чшщжкнц")) {
            stem = stem.substr(0, size - 2) + stem.back();  // электричек -> электричк
        }
        Text light = light_russian(input);
        add_stem(out, stem);
        if (light != stem) add_stem(out, light);
    } else {
        Text stem = stem_kazakh(word);
        add_stem(out, stem);
        if (script_of(stem) == Script::Cyrillic && !any_of_letters(stem, rules.kazakh_cyrillic)) {
            Text russian = light_russian(stem);
            if (russian != stem) add_stem(out, russian);
        }
    }
    return true;
}

// stem.stems_of
bool stems_of(const Text &word, DocLang doc, std::vector<Text> &out) {
    std::vector<Lang> langs = candidate_languages(word, doc);
    bool alpha = std::any_of(word.begin(), word.end(), [](char32_t ch) { return Py_UNICODE_ISALPHA(ch); });
    if (langs.empty() || !alpha) {
        out.push_back(word);
        return true;
    }
    if (doc == DocLang::None && langs.size() > 1 && script_of(word) == Script::Latin) langs = {EN};
    for (Lang lang : langs) {
        if (!language_stems(lang, word, out)) return false;
    }
    if (out.empty()) out.push_back(word);
    return true;
}

bool parse_doc_lang(PyObject *value, DocLang &doc) {
    if (value == Py_None) {
        doc = DocLang::None;
        return true;
    }
    if (!PyUnicode_Check(value)) {
        PyErr_SetString(PyExc_TypeError, "doc_lang must be a str or None");
        return false;
    }
    if (PyUnicode_CompareWithASCIIString(value, "kk") == 0 || PyUnicode_CompareWithASCIIString(value, "ky") == 0) {
        doc = DocLang::Turkic;
    } else if (PyUnicode_CompareWithASCIIString(value, "ru") == 0) {
        doc = DocLang::Russian;
    } else {
        doc = DocLang::Other;
    }
    return true;
}

PyObject *to_tuple(const std::vector<Text> &items) {
    PyObject *out = PyTuple_New(static_cast<Py_ssize_t>(items.size()));
    if (out == nullptr) return nullptr;
    for (size_t i = 0; i < items.size(); ++i) {
        PyObject *item = to_str(items[i]);
        if (item == nullptr) {
            Py_DECREF(out);
            return nullptr;
        }
        PyTuple_SET_ITEM(out, static_cast<Py_ssize_t>(i), item);
    }
    return out;
}

bool word_and_lang(PyObject *const *args, Py_ssize_t nargs, const char *usage, Text &word, DocLang &doc) {
    if (!rules.ready) {
        PyErr_SetString(PyExc_RuntimeError, "_stems.configure() has not been called");
        return false;
    }
    if (nargs != 2 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, usage);
        return false;
    }
    if (!parse_doc_lang(args[1], doc)) return false;
    word = to_text(args[0]);
    return true;
}

PyObject *py_stems_of(PyObject *, PyObject *const *args, Py_ssize_t nargs) {
    Text word;
    DocLang doc;
    if (!word_and_lang(args, nargs, "stems_of(word: str, doc_lang: str | None)", word, doc)) return nullptr;
    std::vector<Text> out;
    if (!stems_of(word, doc, out)) return nullptr;
    return to_tuple(out);
}

// translit._key_stems: the Kazakh stems and the light Russian stem whose keys join a word's keys.
PyObject *py_key_stems(PyObject *, PyObject *const *args, Py_ssize_t nargs) {
    Text word;
    DocLang doc;
    if (!word_and_lang(args, nargs, "key_stems(word: str, doc_lang: str | None)", word, doc)) return nullptr;
    std::vector<Lang> langs = candidate_languages(word, doc);
    std::vector<Text> out;
    if (std::find(langs.begin(), langs.end(), KK) != langs.end()) {
        std::vector<Text> kazakh;
        if (!stems_of(word, DocLang::Turkic, kazakh)) return nullptr;
        out.insert(out.end(), kazakh.begin(), kazakh.end());
    }
    if (std::find(langs.begin(), langs.end(), RU) != langs.end()) out.push_back(light_russian(word));
    PyObject *tuple = to_tuple(out);
    if (tuple == nullptr) return nullptr;
    PyObject *list = PySequence_List(tuple);
    Py_DECREF(tuple);
    return list;
}

PyObject *py_one(PyObject *word, Text (*function)(const Text &)) {
    if (!rules.ready) {
        PyErr_SetString(PyExc_RuntimeError, "_stems.configure() has not been called");
        return nullptr;
    }
    if (!PyUnicode_Check(word)) {
        PyErr_SetString(PyExc_TypeError, "expected a str");
        return nullptr;
    }
    return to_str(function(to_text(word)));
}

Text light_russian_of(const Text &word) { return light_russian(word); }

PyObject *py_light_russian(PyObject *, PyObject *word) { return py_one(word, light_russian_of); }
PyObject *py_stem_kazakh(PyObject *, PyObject *word) { return py_one(word, stem_kazakh); }

bool read_letters(PyObject *letters, Letters &into) {
    if (!PyUnicode_Check(letters)) {
        PyErr_SetString(PyExc_TypeError, "letter sets are given as str");
        return false;
    }
    for (char32_t ch : to_text(letters)) into.insert(ch);
    return true;
}

bool read_table(PyObject *pairs, SuffixTable &into) {
    PyObject *fast = PySequence_Fast(pairs, "expected a sequence of (str, str) pairs");
    if (fast == nullptr) return false;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(fast); ++i) {
        PyObject *first, *second;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(fast, i), "UU", &first, &second)) {
            Py_DECREF(fast);
            return false;
        }
        into.add(to_text(first), to_text(second));
    }
    Py_DECREF(fast);
    into.done();
    return true;
}

// configure(kazakh_slots, vowels, voiceless, nasals, possessive_vowels, protected_endings, min_stem,
//           final_devoice, russian_endings, min_russian_stem, kazakh_cyrillic, kazakh_latin,
//           snowball_en, snowball_ru)
PyObject *configure(PyObject *, PyObject *args) {
    PyObject *slots, *vowels, *voiceless, *nasals, *possessive, *protected_endings, *devoice, *russian, *kk_cyr, *kk_lat;
    PyObject *snowball_en, *snowball_ru;
    Py_ssize_t min_stem, min_russian_stem;
    if (!PyArg_ParseTuple(args, "OUUUUOnO!OnUUOO", &slots, &vowels, &voiceless, &nasals, &possessive, &protected_endings,
                          &min_stem, &PyDict_Type, &devoice, &russian, &min_russian_stem, &kk_cyr, &kk_lat, &snowball_en,
                          &snowball_ru)) {
        return nullptr;
    }
    Rules fresh;
    PyObject *fast = PySequence_Fast(slots, "kazakh_slots: three sequences of (ending, context)");
    if (fast == nullptr) return nullptr;
    if (PySequence_Fast_GET_SIZE(fast) != 3) {
        Py_DECREF(fast);
        PyErr_SetString(PyExc_ValueError, "kazakh_slots: exactly three slots (case, possessive, plural)");
        return nullptr;
    }
    for (int i = 0; i < 3; ++i) {
        if (!read_table(PySequence_Fast_GET_ITEM(fast, i), fresh.kazakh_slots[i])) {
            Py_DECREF(fast);
            return nullptr;
        }
    }
    Py_DECREF(fast);
    if (!read_letters(vowels, fresh.vowels) || !read_letters(voiceless, fresh.voiceless) || !read_letters(nasals, fresh.nasals) ||
        !read_letters(possessive, fresh.possessive_vowels) || !read_letters(kk_cyr, fresh.kazakh_cyrillic) ||
        !read_letters(kk_lat, fresh.kazakh_latin)) {
        return nullptr;
    }
    PyObject *endings = PySequence_Fast(protected_endings, "protected_endings: a sequence of str");
    if (endings == nullptr) return nullptr;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(endings); ++i) {
        PyObject *ending = PySequence_Fast_GET_ITEM(endings, i);
        if (!PyUnicode_Check(ending)) {
            Py_DECREF(endings);
            PyErr_SetString(PyExc_TypeError, "protected_endings: a sequence of str");
            return nullptr;
        }
        fresh.protected_endings.push_back(to_text(ending));
    }
    Py_DECREF(endings);
    PyObject *key, *value;
    Py_ssize_t cursor = 0;
    while (PyDict_Next(devoice, &cursor, &key, &value)) {
        if (!PyUnicode_Check(key) || !PyUnicode_Check(value) || PyUnicode_GET_LENGTH(key) != 1 || PyUnicode_GET_LENGTH(value) != 1) {
            PyErr_SetString(PyExc_TypeError, "final_devoice maps one letter to one letter");
            return nullptr;
        }
        fresh.final_devoice[PyUnicode_READ_CHAR(key, 0)] = PyUnicode_READ_CHAR(value, 0);
    }
    if (!read_table(russian, fresh.russian_endings)) return nullptr;
    fresh.min_stem = static_cast<size_t>(min_stem);
    fresh.min_russian_stem = static_cast<size_t>(min_russian_stem);
    Py_INCREF(snowball_en);
    Py_INCREF(snowball_ru);
    Py_XDECREF(rules.snowball_en);
    Py_XDECREF(rules.snowball_ru);
    fresh.snowball_en = snowball_en;
    fresh.snowball_ru = snowball_ru;
    fresh.ready = true;
    rules = std::move(fresh);
    Py_RETURN_NONE;
}

PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS, "configure(...): the stemmers' tables (see indexer/analysis/stem.py)."},
    {"stems_of", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(py_stems_of)), METH_FASTCALL,
     "stems_of(word, doc_lang) -> distinct stems for every candidate language, most likely first."},
    {"key_stems", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(py_key_stems)), METH_FASTCALL,
     "key_stems(word, doc_lang) -> the stems whose cross-script keys join the word's keys."},
    {"light_russian", py_light_russian, METH_O, "light_russian(word) -> the word with one noun/adjective ending stripped."},
    {"stem_kazakh", py_stem_kazakh, METH_O, "stem_kazakh(word) -> the word with case, possessive and plural endings stripped."},
    {nullptr, nullptr, 0, nullptr},
};

PyModuleDef module = {PyModuleDef_HEAD_INIT, "_stems", "Per-word stemming, compiled.", -1, methods};

}  // namespace

PyMODINIT_FUNC PyInit__stems() { return PyModule_Create(&module); }
