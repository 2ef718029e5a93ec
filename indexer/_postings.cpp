// The per-posting and per-term loops of writing a segment, compiled.
//
// Why C++: a news article makes about 300 postings over its text fields and a build worker's
// segment a million and more terms, most of them in one or two documents. In Python every
// posting cost a dictionary step, three appends and, for a word seen more than once, a pickle
// of its positions; every rare term a struct pack, a pickle of its inlined postings and a scan
// of its documents' lengths. Those loops were a third of a build. Here they are plain loops over
// the same objects.
//
// The bytes are exactly what the Python references produce, which stay in use for anything
// this module declines (a value outside the 32-bit range, say):
// - encode_positions == whoosh.formats.Positions.encode (a 4-byte count + a protocol-2 pickle
//   of the position deltas);
// - inline_term == the inlined-term bytes of indexer.codec.LeanFieldWriter._write_term_python
//   (W3TermInfo's struct + a protocol-3 pickle of (ids, weights, values), memoised as the
//   pickle module memoises: by object identity);
// - append_postings == the loop of indexer.segment_writer.GroupingSegmentWriter's Python path;
// - write_blocks == a long list's blocks and term info as W3PostingsWriter and W3FieldWriter
//   write them (indexer.codec.LeanFieldWriter._write_blocks_python, W3's own loop in the tests);
// - add_entry == a term table entry as whoosh's HashWriter.add writes it, and its md5_hash.
// tests/test_native_postings.py checks each against its reference; tests/test_codec.py checks
// whole segments against stock W3.

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace {

// whoosh.util.numeric's length byte table: byte b stands for lengths up to table[b].
std::vector<long long> length_table;
constexpr long long LENGTH_CAP = 106374;  // length_to_byte: this and more -> 255
constexpr Py_ssize_t LIST_BATCH = 1000;    // pickle's BATCHSIZE for list appends

// The pickle opcodes used here.
constexpr char PROTO = '\x80', STOP = '.', MARK = '(', BININT = 'J', BININT1 = 'K', BININT2 = 'M';
constexpr char BINFLOAT = 'G', SHORT_BINBYTES = 'C', BINBYTES = 'B', EMPTY_TUPLE = ')', TUPLE = 't';
constexpr char TUPLE1 = '\x85', TUPLE2 = '\x86', TUPLE3 = '\x87', EMPTY_LIST = ']', APPEND = 'a', APPENDS = 'e';
constexpr char BINPUT = 'q', LONG_BINPUT = 'r', BINGET = 'h', LONG_BINGET = 'j';

int length_to_byte(long long length) {
    if (length >= LENGTH_CAP) return 255;
    // bisect_left over the table
    size_t lo = 0, hi = length_table.size();
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (length_table[mid] < length) lo = mid + 1;
        else hi = mid;
    }
    return static_cast<int>(lo);
}

void put_le32(std::string &out, uint32_t v) {
    char b[4] = {char(v & 0xff), char((v >> 8) & 0xff), char((v >> 16) & 0xff), char((v >> 24) & 0xff)};
    out.append(b, 4);
}

void put_be32(std::string &out, uint32_t v) {
    char b[4] = {char((v >> 24) & 0xff), char((v >> 16) & 0xff), char((v >> 8) & 0xff), char(v & 0xff)};
    out.append(b, 4);
}

void put_be_float(std::string &out, float f) {
    uint32_t v;
    std::memcpy(&v, &f, 4);
    put_be32(out, v);
}

// pickle's save_long for a value that fits a signed 32-bit int (the only ones asked for here).
void pickle_int(std::string &out, int64_t value) {
    uint32_t v = static_cast<uint32_t>(static_cast<int32_t>(value));
    if ((v >> 16) != 0) {
        out.push_back(BININT);
        put_le32(out, v);
    } else if ((v >> 8) != 0) {
        out.push_back(BININT2);
        out.push_back(char(v & 0xff));
        out.push_back(char((v >> 8) & 0xff));
    } else {
        out.push_back(BININT1);
        out.push_back(char(v));
    }
}

bool fits_int32(int64_t value) { return value >= INT32_MIN && value <= INT32_MAX; }

void pickle_double(std::string &out, double value) {
    uint64_t v;
    std::memcpy(&v, &value, 8);
    char b[8];
    for (int i = 0; i < 8; ++i) b[i] = char((v >> (56 - 8 * i)) & 0xff);
    out.push_back(BINFLOAT);
    out.append(b, 8);
}

// A memo index after its opcode: the one-byte form below 256, else the four-byte one.
void put_memo_index(std::string &out, char short_op, char long_op, size_t index) {
    if (index < 256) {
        out.push_back(short_op);
        out.push_back(char(index));
    } else {
        out.push_back(long_op);
        put_le32(out, static_cast<uint32_t>(index));
    }
}

// The pickler's memo: object identity -> index, in the order objects were memoised.
struct Memo {
    std::vector<PyObject *> objects;

    void put(std::string &out) const { put_memo_index(out, BINPUT, LONG_BINPUT, objects.size() - 1); }

    // BINGET the object when it was memoised before; false when it is new.
    bool get(std::string &out, PyObject *obj) const {
        for (size_t i = 0; i < objects.size(); ++i) {
            if (objects[i] == obj) {
                put_memo_index(out, BINGET, LONG_BINGET, i);
                return true;
            }
        }
        return false;
    }
};

// A tuple's closing opcode as save_tuple writes it (after its items), then its memo entry.
void close_tuple(std::string &out, Memo &memo, Py_ssize_t n) {
    if (n == 1) out.push_back(TUPLE1);
    else if (n == 2) out.push_back(TUPLE2);
    else if (n == 3) out.push_back(TUPLE3);
    else out.push_back(TUPLE);
    memo.objects.push_back(nullptr);  // a fresh tuple nobody else refers to
    memo.put(out);
}

void open_tuple(std::string &out, Py_ssize_t n) {
    if (n > 3) out.push_back(MARK);
}

// A contiguous buffer of 4-byte items (array "I"/"f", or a memoryview cast to one).
struct Items {
    Py_buffer view{};
    bool held = false;

    int take(PyObject *obj, const char *what) {
        if (PyObject_GetBuffer(obj, &view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) return -1;
        held = true;
        if (view.itemsize != 4) {
            PyErr_Format(PyExc_TypeError, "%s must hold 4-byte items", what);
            return -1;
        }
        return 0;
    }
    ~Items() {
        if (held) PyBuffer_Release(&view);
    }
    Py_ssize_t size() const { return view.len / 4; }
    uint32_t uint_at(Py_ssize_t i) const {
        uint32_t v;
        std::memcpy(&v, static_cast<const char *>(view.buf) + 4 * i, 4);
        return v;
    }
    float float_at(Py_ssize_t i) const {
        float v;
        std::memcpy(&v, static_cast<const char *>(view.buf) + 4 * i, 4);
        return v;
    }
};

// sum(weights[begin:end]) of a float sequence as this Python computes it (3.12 compensates, 3.11 does not).
double python_sum_range(const Items &weights, Py_ssize_t begin, Py_ssize_t end) {
    double total = 0.0 + static_cast<double>(weights.float_at(begin));
#if PY_VERSION_HEX >= 0x030C0000
    double compensation = 0.0;
    for (Py_ssize_t i = begin + 1; i < end; ++i) {
        double x = weights.float_at(i);
        double t = total + x;
        if (std::fabs(total) >= std::fabs(x)) compensation += (total - t) + x;
        else compensation += (x - t) + total;
        total = t;
    }
    if (compensation != 0.0 && std::isfinite(compensation)) total += compensation;
#else
    for (Py_ssize_t i = begin + 1; i < end; ++i) total += static_cast<double>(weights.float_at(i));
#endif
    return total;
}

double python_sum(const Items &weights) { return python_sum_range(weights, 0, weights.size()); }

// Positions.encode(poses) for a list of ints; false (no error set) when a delta leaves int32.
bool encode_positions_into(std::string &out, PyObject *poses) {
    Py_ssize_t n = PyList_GET_SIZE(poses);
    if (n > UINT32_MAX) return false;
    out.clear();
    put_be32(out, static_cast<uint32_t>(n));
    out.push_back(PROTO);
    out.push_back('\x02');
    out.push_back(EMPTY_LIST);
    out.push_back(BINPUT);
    out.push_back('\x00');
    long long base = 0;
    Py_ssize_t done = 0;
    auto item = [&](Py_ssize_t i) -> bool {
        long long pos = PyLong_AsLongLong(PyList_GET_ITEM(poses, i));
        if (pos == -1 && PyErr_Occurred()) {
            PyErr_Clear();
            return false;
        }
        long long delta = pos - base;
        base = pos;
        if (!fits_int32(delta)) return false;
        pickle_int(out, delta);
        return true;
    };
    if (n == 1) {
        if (!item(0)) return false;
        out.push_back(APPEND);
    } else if (n > 1) {
        while (done < n) {
            out.push_back(MARK);
            Py_ssize_t stop = std::min(n, done + LIST_BATCH);
            for (; done < stop; ++done)
                if (!item(done)) return false;
            out.push_back(APPENDS);
        }
    }
    out.push_back(STOP);
    return true;
}

// --- set_length_table(table) --------------------------------------------------------------------

PyObject *set_length_table(PyObject *, PyObject *table) {
    PyObject *fast = PySequence_Fast(table, "the length table must be a sequence of ints");
    if (fast == nullptr) return nullptr;
    std::vector<long long> values;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(fast); ++i) {
        long long v = PyLong_AsLongLong(PySequence_Fast_GET_ITEM(fast, i));
        if (v == -1 && PyErr_Occurred()) {
            Py_DECREF(fast);
            return nullptr;
        }
        values.push_back(v);
    }
    Py_DECREF(fast);
    length_table = std::move(values);
    Py_RETURN_NONE;
}

// --- encode_positions(poses) -> bytes | None ----------------------------------------------------

PyObject *encode_positions(PyObject *, PyObject *poses) {
    if (!PyList_Check(poses)) {
        PyErr_SetString(PyExc_TypeError, "positions must be a list of ints");
        return nullptr;
    }
    std::string out;
    if (!encode_positions_into(out, poses)) Py_RETURN_NONE;
    return PyBytes_FromStringAndSize(out.data(), static_cast<Py_ssize_t>(out.size()));
}

// --- append_postings(groups, positions, docnum, boost, singles, encode) -> (length, new terms) --

int append_bytes(PyObject *bytearray, const void *data, Py_ssize_t size) {
    Py_ssize_t old = PyByteArray_GET_SIZE(bytearray);
    if (PyByteArray_Resize(bytearray, old + size) < 0) return -1;
    std::memcpy(PyByteArray_AS_STRING(bytearray) + old, data, size);
    return 0;
}

PyObject *append_postings(PyObject *, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 6) {
        PyErr_SetString(PyExc_TypeError, "append_postings(groups, positions, docnum, boost, singles, encode)");
        return nullptr;
    }
    PyObject *groups = args[0], *positions = args[1], *singles = args[4], *encode = args[5];
    if (!PyDict_Check(groups) || !PyDict_Check(positions) || !PyList_Check(singles)) {
        PyErr_SetString(PyExc_TypeError, "groups and positions must be dicts, singles a list");
        return nullptr;
    }
    unsigned long docnum_long = PyLong_AsUnsignedLong(args[2]);
    if (PyErr_Occurred()) return nullptr;
    if (docnum_long > UINT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "document number out of range");
        return nullptr;
    }
    uint32_t docnum = static_cast<uint32_t>(docnum_long);
    double boost = PyFloat_AsDouble(args[3]);
    if (boost == -1.0 && PyErr_Occurred()) return nullptr;
    Py_ssize_t single_limit = PyList_GET_SIZE(singles);

    Py_ssize_t length = 0, new_terms = 0, cursor = 0;
    PyObject *term, *poses;
    std::string encoded;
    while (PyDict_Next(positions, &cursor, &term, &poses)) {
        if (!PyList_Check(poses) || PyList_GET_SIZE(poses) == 0) {
            PyErr_SetString(PyExc_TypeError, "a term's positions must be a non-empty list");
            return nullptr;
        }
        Py_ssize_t freq = PyList_GET_SIZE(poses);
        PyObject *group = PyDict_GetItemWithError(groups, term);  // borrowed
        if (group == nullptr) {
            if (PyErr_Occurred()) return nullptr;
            PyObject *fresh = Py_BuildValue("(NNN)", PyByteArray_FromStringAndSize(nullptr, 0),
                                            PyByteArray_FromStringAndSize(nullptr, 0), PyList_New(0));
            if (fresh == nullptr) return nullptr;
            int failed = PyDict_SetItem(groups, term, fresh);
            Py_DECREF(fresh);
            if (failed < 0) return nullptr;
            group = fresh;  // the dict holds it
            new_terms += 1;
        }
        if (!PyTuple_Check(group) || PyTuple_GET_SIZE(group) != 3 || !PyByteArray_Check(PyTuple_GET_ITEM(group, 0)) ||
            !PyByteArray_Check(PyTuple_GET_ITEM(group, 1)) || !PyList_Check(PyTuple_GET_ITEM(group, 2))) {
            PyErr_SetString(PyExc_TypeError, "a group must be (bytearray, bytearray, list)");
            return nullptr;
        }
        float weight = static_cast<float>(static_cast<double>(freq) * boost);
        if (append_bytes(PyTuple_GET_ITEM(group, 0), &docnum, 4) < 0) return nullptr;
        if (append_bytes(PyTuple_GET_ITEM(group, 1), &weight, 4) < 0) return nullptr;
        PyObject *value = nullptr;  // new reference
        if (freq == 1) {
            long long pos = PyLong_AsLongLong(PyList_GET_ITEM(poses, 0));
            if (pos == -1 && PyErr_Occurred()) return nullptr;
            if (pos >= 0 && pos < single_limit) {
                value = PyList_GET_ITEM(singles, pos);
                Py_INCREF(value);
            }
        }
        if (value == nullptr) {
            if (encode_positions_into(encoded, poses)) {
                value = PyBytes_FromStringAndSize(encoded.data(), static_cast<Py_ssize_t>(encoded.size()));
            } else {
                value = PyObject_CallOneArg(encode, poses);
            }
            if (value == nullptr) return nullptr;
        }
        int failed = PyList_Append(PyTuple_GET_ITEM(group, 2), value);
        Py_DECREF(value);
        if (failed < 0) return nullptr;
        length += freq;
    }
    return Py_BuildValue("nn", length, new_terms);
}

// tuple(v for v in values[begin:end] if v), pickled: non-empty bytes, memoised by identity.
void pickle_values(std::string &out, Memo &memo, PyObject *values, Py_ssize_t begin, Py_ssize_t end) {
    Py_ssize_t kept = 0;
    for (Py_ssize_t i = begin; i < end; ++i) kept += PyBytes_GET_SIZE(PyList_GET_ITEM(values, i)) > 0;
    if (kept == 0) {
        out.push_back(EMPTY_TUPLE);
        return;
    }
    open_tuple(out, kept);
    for (Py_ssize_t i = begin; i < end; ++i) {
        PyObject *v = PyList_GET_ITEM(values, i);
        Py_ssize_t size = PyBytes_GET_SIZE(v);
        if (size == 0 || memo.get(out, v)) continue;
        if (size < 256) {
            out.push_back(SHORT_BINBYTES);
            out.push_back(char(size));
        } else {
            out.push_back(BINBYTES);
            put_le32(out, static_cast<uint32_t>(size));
        }
        out.append(PyBytes_AS_STRING(v), size);
        memo.objects.push_back(v);
        memo.put(out);
    }
    close_tuple(out, memo, kept);
}

// The (ids, weights, values, lens) a term writer takes: 1 when taken, 0 to decline (lists: the
// Python path), -1 on an error.
struct TermInput {
    Items ids, weights;
    PyObject *values = nullptr, *lens = nullptr;
    Py_ssize_t n = 0;

    int take(PyObject *const *args) {
        if (length_table.empty()) {
            PyErr_SetString(PyExc_RuntimeError, "set_length_table() first");
            return -1;
        }
        if (!PyObject_CheckBuffer(args[0]) || !PyObject_CheckBuffer(args[1])) return 0;
        if (ids.take(args[0], "ids") < 0 || weights.take(args[1], "weights") < 0) return -1;
        values = args[2];
        lens = args[3];
        if (!PyList_Check(values) || !PyList_Check(lens)) {
            PyErr_SetString(PyExc_TypeError, "values and lens must be lists");
            return -1;
        }
        n = ids.size();
        if (n == 0 || weights.size() != n || PyList_GET_SIZE(values) != n) {
            PyErr_SetString(PyExc_ValueError, "ids, weights and values must be non-empty and as long as each other");
            return -1;
        }
        return 1;
    }
};

// --- inline_term(ids, weights, values, lens) -> bytes | None -------------------------------------

PyObject *inline_term(PyObject *, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "inline_term(ids, weights, values, lens)");
        return nullptr;
    }
    TermInput term;
    int taken = term.take(args);
    if (taken <= 0) {
        if (taken < 0) return nullptr;
        Py_RETURN_NONE;
    }
    const Items &ids = term.ids, &weights = term.weights;
    PyObject *values = term.values, *lens = term.lens;
    Py_ssize_t n = term.n;
    for (Py_ssize_t i = 0; i < n; ++i)
        if (ids.uint_at(i) > INT32_MAX) Py_RETURN_NONE;  // the Python path pickles big ints

    // The stats W3TermInfo keeps: weight sum, document frequency, min/max length, max weight.
    Py_ssize_t lens_size = PyList_GET_SIZE(lens);
    long long min_length = -1, max_length = -1;
    double max_weight = 0.0;
    for (Py_ssize_t i = 0; i < n; ++i) {
        uint32_t doc = ids.uint_at(i);
        if (static_cast<Py_ssize_t>(doc) < lens_size) {
            long long length = PyLong_AsLongLong(PyList_GET_ITEM(lens, doc));
            if (length == -1 && PyErr_Occurred()) return nullptr;
            if (length) {
                if (min_length < 0 || length < min_length) min_length = length;
                if (max_length < 0 || length > max_length) max_length = length;
            }
        }
        double w = weights.float_at(i);
        if (w > max_weight) max_weight = w;
    }
    std::string out;
    out.reserve(64 + 16 * n);
    out.push_back('\x01');  // inlined
    put_be_float(out, static_cast<float>(python_sum(weights)));
    put_be32(out, static_cast<uint32_t>(n));
    out.push_back(char(min_length < 0 ? 0 : length_to_byte(min_length)));
    out.push_back(char(length_to_byte(max_length < 0 ? 0 : max_length)));
    put_be_float(out, static_cast<float>(max_weight));
    put_be32(out, ids.uint_at(0));
    put_be32(out, ids.uint_at(n - 1));

    // pickle.dumps((tuple(ids), tuple(weights), tuple(v for v in values if v)), 3)
    Memo memo;
    out.push_back(PROTO);
    out.push_back('\x03');
    open_tuple(out, n);
    for (Py_ssize_t i = 0; i < n; ++i) pickle_int(out, ids.uint_at(i));
    close_tuple(out, memo, n);
    open_tuple(out, n);
    for (Py_ssize_t i = 0; i < n; ++i) pickle_double(out, weights.float_at(i));
    close_tuple(out, memo, n);
    for (Py_ssize_t i = 0; i < n; ++i) {
        if (!PyBytes_Check(PyList_GET_ITEM(values, i))) {
            PyErr_SetString(PyExc_TypeError, "posting values must be bytes");
            return nullptr;
        }
    }
    pickle_values(out, memo, values, 0, n);
    out.push_back(TUPLE3);
    memo.objects.push_back(nullptr);
    memo.put(out);
    out.push_back(STOP);
    return PyBytes_FromStringAndSize(out.data(), static_cast<Py_ssize_t>(out.size()));
}

// --- write_blocks(ids, weights, values, lens, blocklimit, compression, fixed_size, compress, offset) --
//
// A long postings list as W3PostingsWriter writes it (start_postings, add_posting per posting,
// finish_postings) and W3FieldWriter.finish_term's term info: returns (postings bytes, term info
// bytes), or None for the Python path (lists instead of buffers, a document number past 2**31, a
// block without lengths after one with: min(int, None) fails there as in W3). Each block is the W3Bl header (first
// block only), a signed big-endian length (negative for the last block), a protocol-3 pickle of
// (count, last id, max weight, compression, min length byte, max length byte) and the compressed
// protocol-3 pickle of (id deltas, weights minified, values).

constexpr char NONE = 'N';

void put_be64(std::string &out, uint64_t v) {
    put_be32(out, static_cast<uint32_t>(v >> 32));
    put_be32(out, static_cast<uint32_t>(v & 0xffffffffu));
}

// pickle.dumps(b"".join(values)) for a format of fixed-size values (Frequency's 4-byte counts).
void pickle_joined(std::string &out, Memo &memo, PyObject *values, Py_ssize_t begin, Py_ssize_t end) {
    size_t size = 0;
    for (Py_ssize_t i = begin; i < end; ++i) size += static_cast<size_t>(PyBytes_GET_SIZE(PyList_GET_ITEM(values, i)));
    if (size < 256) {
        out.push_back(SHORT_BINBYTES);
        out.push_back(char(size));
    } else {
        out.push_back(BINBYTES);
        put_le32(out, static_cast<uint32_t>(size));
    }
    for (Py_ssize_t i = begin; i < end; ++i) {
        PyObject *v = PyList_GET_ITEM(values, i);
        out.append(PyBytes_AS_STRING(v), static_cast<size_t>(PyBytes_GET_SIZE(v)));
    }
    memo.objects.push_back(nullptr);  // a fresh bytes object
    memo.put(out);
}

PyObject *write_blocks(PyObject *, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 9) {
        PyErr_SetString(PyExc_TypeError, "write_blocks(ids, weights, values, lens, blocklimit, compression, fixed_size, compress, offset)");
        return nullptr;
    }
    TermInput term;
    int taken = term.take(args);
    if (taken <= 0) {
        if (taken < 0) return nullptr;
        Py_RETURN_NONE;
    }
    const Items &ids = term.ids, &weights = term.weights;
    PyObject *values = term.values, *lens = term.lens, *compress = args[7];
    Py_ssize_t n = term.n;
    Py_ssize_t blocklimit = PyLong_AsSsize_t(args[4]);
    long compression = PyLong_AsLong(args[5]);
    long fixed_size = PyLong_AsLong(args[6]);
    long long offset = PyLong_AsLongLong(args[8]);
    if (PyErr_Occurred()) return nullptr;
    if (blocklimit < 1) {
        PyErr_SetString(PyExc_ValueError, "blocklimit must be at least 1");
        return nullptr;
    }
    for (Py_ssize_t i = 0; i < n; ++i) {
        if (ids.uint_at(i) > INT32_MAX) Py_RETURN_NONE;
        if (!PyBytes_Check(PyList_GET_ITEM(values, i))) {
            PyErr_SetString(PyExc_TypeError, "posting values must be bytes");
            return nullptr;
        }
    }
    Py_ssize_t lens_size = PyList_GET_SIZE(lens);

    // The term's stats, as W3TermInfo.add_block accumulates them block by block.
    double term_weight = 0.0, term_max_weight = 0.0;
    long long term_min_length = -1, term_max_length = 0;  // -1: None
    std::string postings, data, info;
    postings.reserve(static_cast<size_t>(n) * 8 + 64);
    postings.append("W3Bl", 4);
    for (Py_ssize_t begin = 0; begin < n; begin += blocklimit) {
        Py_ssize_t end = std::min(n, begin + blocklimit), count = end - begin;
        long long min_length = -1, max_length = 0;
        double max_weight = 0.0;
        bool weight_is_float = false;  // max(0, *weights) stays the int 0 unless a weight beats it
        for (Py_ssize_t i = begin; i < end; ++i) {
            uint32_t doc = ids.uint_at(i);
            if (static_cast<Py_ssize_t>(doc) < lens_size) {
                long long length = PyLong_AsLongLong(PyList_GET_ITEM(lens, doc));
                if (length == -1 && PyErr_Occurred()) return nullptr;
                if (length) {
                    if (min_length < 0 || length < min_length) min_length = length;
                    if (length > max_length) max_length = length;
                }
            }
            double w = weights.float_at(i);
            if (w > max_weight) {
                max_weight = w;
                weight_is_float = true;
            }
        }
        term_weight += python_sum_range(weights, begin, end);
        if (term_min_length < 0) term_min_length = min_length;  // W3: None so far takes the block's
        else if (min_length < 0) Py_RETURN_NONE;  // min(int, None): W3's own TypeError, on the Python path
        else term_min_length = std::min(term_min_length, min_length);
        term_max_length = std::max(term_max_length, max_length);
        term_max_weight = std::max(term_max_weight, max_weight);

        // (tuple(delta_encode(ids)), _mini_weights(), _mini_values())
        Memo memo;
        data.clear();
        data.push_back(PROTO);
        data.push_back('\x03');
        open_tuple(data, count);
        uint32_t base = 0;
        for (Py_ssize_t i = begin; i < end; ++i) {
            uint32_t doc = ids.uint_at(i);
            pickle_int(data, static_cast<int64_t>(doc) - static_cast<int64_t>(base));
            base = doc;
        }
        close_tuple(data, memo, count);
        bool all_one = true, all_same = true;
        float first = weights.float_at(begin);
        for (Py_ssize_t i = begin; i < end; ++i) {
            float w = weights.float_at(i);
            all_one = all_one && w == 1.0f;
            all_same = all_same && w == first;
        }
        if (all_one) {
            data.push_back(NONE);
        } else if (all_same) {
            pickle_double(data, first);
        } else {
            open_tuple(data, count);
            for (Py_ssize_t i = begin; i < end; ++i) pickle_double(data, weights.float_at(i));
            close_tuple(data, memo, count);
        }
        if (fixed_size == 0) data.push_back(NONE);
        else if (fixed_size > 0) pickle_joined(data, memo, values, begin, end);
        else pickle_values(data, memo, values, begin, end);
        data.push_back(TUPLE3);
        memo.objects.push_back(nullptr);
        memo.put(data);
        data.push_back(STOP);

        PyObject *packed = nullptr;
        const char *block_data = data.data();
        Py_ssize_t block_size = static_cast<Py_ssize_t>(data.size());
        if (compression) {
            packed = PyObject_CallFunction(compress, "y#l", block_data, block_size, compression);
            if (packed == nullptr) return nullptr;
            if (!PyBytes_Check(packed)) {
                Py_DECREF(packed);
                PyErr_SetString(PyExc_TypeError, "compress must return bytes");
                return nullptr;
            }
            block_data = PyBytes_AS_STRING(packed);
            block_size = PyBytes_GET_SIZE(packed);
        }

        // (len(ids), ids[-1], maxweight, comp, length_to_byte(minlength), length_to_byte(maxlength))
        Memo info_memo;
        info.clear();
        info.push_back(PROTO);
        info.push_back('\x03');
        open_tuple(info, 6);
        pickle_int(info, count);
        pickle_int(info, ids.uint_at(end - 1));
        if (weight_is_float) pickle_double(info, max_weight);
        else pickle_int(info, 0);
        pickle_int(info, compression);
        pickle_int(info, min_length < 0 ? 0 : length_to_byte(min_length));
        pickle_int(info, length_to_byte(max_length));
        close_tuple(info, info_memo, 6);
        info.push_back(STOP);

        long long length = static_cast<long long>(info.size()) + block_size;
        put_be32(postings, static_cast<uint32_t>(static_cast<int32_t>(end == n ? -length : length)));
        postings += info;
        postings.append(block_data, static_cast<size_t>(block_size));
        Py_XDECREF(packed);
    }

    // W3TermInfo.to_bytes for a list in the postings file: the stats, then the extent.
    std::string terminfo;
    terminfo.push_back('\x00');
    put_be_float(terminfo, static_cast<float>(term_weight));
    put_be32(terminfo, static_cast<uint32_t>(n));
    terminfo.push_back(char(term_min_length < 0 ? 0 : length_to_byte(term_min_length)));
    terminfo.push_back(char(length_to_byte(term_max_length)));
    put_be_float(terminfo, static_cast<float>(term_max_weight));
    put_be32(terminfo, ids.uint_at(0));
    put_be32(terminfo, ids.uint_at(n - 1));
    put_be64(terminfo, static_cast<uint64_t>(offset));
    put_be32(terminfo, static_cast<uint32_t>(static_cast<int32_t>(postings.size())));
    return Py_BuildValue("(y#y#)", postings.data(), static_cast<Py_ssize_t>(postings.size()), terminfo.data(),
                         static_cast<Py_ssize_t>(terminfo.size()));
}

// --- MD5 (RFC 1321), for the term table's hash slots ----------------------------------------------

struct Md5 {
    uint32_t a = 0x67452301, b = 0xefcdab89, c = 0x98badcfe, d = 0x10325476;

    static uint32_t rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

    void block(const unsigned char *p) {
        static const uint32_t K[64] = {
            0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
            0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
            0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
            0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
            0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
            0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
            0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
            0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
        static const int R[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                  5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                                  4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                  6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
        uint32_t m[16];
        for (int i = 0; i < 16; ++i)
            m[i] = uint32_t(p[4 * i]) | (uint32_t(p[4 * i + 1]) << 8) | (uint32_t(p[4 * i + 2]) << 16) |
                   (uint32_t(p[4 * i + 3]) << 24);
        uint32_t A = a, B = b, C = c, D = d;
        for (int i = 0; i < 64; ++i) {
            uint32_t f;
            int g;
            if (i < 16) {
                f = (B & C) | (~B & D);
                g = i;
            } else if (i < 32) {
                f = (D & B) | (~D & C);
                g = (5 * i + 1) % 16;
            } else if (i < 48) {
                f = B ^ C ^ D;
                g = (3 * i + 5) % 16;
            } else {
                f = C ^ (B | ~D);
                g = (7 * i) % 16;
            }
            uint32_t next = D;
            D = C;
            C = B;
            B = B + rotl(A + f + K[i] + m[g], R[i]);
            A = next;
        }
        a += A;
        b += B;
        c += C;
        d += D;
    }

    // The digest's last four bytes read big-endian: whoosh's md5_hash (int(hexdigest, 16) & 0xFFFFFFFF).
    static uint32_t low32(const unsigned char *data, size_t size) {
        Md5 h;
        size_t full = size / 64;
        for (size_t i = 0; i < full; ++i) h.block(data + 64 * i);
        unsigned char tail[128] = {0};
        size_t rest = size - 64 * full;
        std::memcpy(tail, data + 64 * full, rest);
        tail[rest] = 0x80;
        size_t tail_size = rest + 1 + 8 <= 64 ? 64 : 128;
        uint64_t bits = uint64_t(size) * 8;
        for (int i = 0; i < 8; ++i) tail[tail_size - 8 + i] = (unsigned char)(bits >> (8 * i));
        h.block(tail);
        if (tail_size == 128) h.block(tail + 64);
        uint32_t d = h.d;
        return ((d & 0xff) << 24) | (((d >> 8) & 0xff) << 16) | (((d >> 16) & 0xff) << 8) | (d >> 24);
    }
};

// --- add_entry(buffer, key, value) -> md5 hash ---------------------------------------------------

PyObject *add_entry(PyObject *, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3 || !PyByteArray_Check(args[0]) || !PyBytes_Check(args[1]) || !PyBytes_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "add_entry(buffer: bytearray, key: bytes, value: bytes)");
        return nullptr;
    }
    Py_ssize_t key_size = PyBytes_GET_SIZE(args[1]), value_size = PyBytes_GET_SIZE(args[2]);
    if (key_size > INT32_MAX || value_size > INT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "a term table entry is limited to 2 GiB");
        return nullptr;
    }
    std::string head;
    put_be32(head, static_cast<uint32_t>(key_size));
    put_be32(head, static_cast<uint32_t>(value_size));
    PyObject *buffer = args[0];
    Py_ssize_t old = PyByteArray_GET_SIZE(buffer);
    if (PyByteArray_Resize(buffer, old + 8 + key_size + value_size) < 0) return nullptr;
    char *out = PyByteArray_AS_STRING(buffer) + old;
    std::memcpy(out, head.data(), 8);
    std::memcpy(out + 8, PyBytes_AS_STRING(args[1]), key_size);
    std::memcpy(out + 8 + key_size, PyBytes_AS_STRING(args[2]), value_size);
    const auto *key = reinterpret_cast<const unsigned char *>(PyBytes_AS_STRING(args[1]));
    return PyLong_FromUnsignedLong(Md5::low32(key, static_cast<size_t>(key_size)));
}

// --- md5_low32(data) -> int (for tests) -----------------------------------------------------------

PyObject *md5_low32(PyObject *, PyObject *data) {
    if (!PyBytes_Check(data)) {
        PyErr_SetString(PyExc_TypeError, "md5_low32(data: bytes)");
        return nullptr;
    }
    const auto *bytes = reinterpret_cast<const unsigned char *>(PyBytes_AS_STRING(data));
    return PyLong_FromUnsignedLong(Md5::low32(bytes, static_cast<size_t>(PyBytes_GET_SIZE(data))));
}

PyMethodDef methods[] = {
    {"set_length_table", set_length_table, METH_O, "set_length_table(table): whoosh.util.numeric's length byte table."},
    {"encode_positions", encode_positions, METH_O,
     "encode_positions(poses) -> bytes (Positions.encode), or None when a delta leaves the 32-bit range."},
    {"append_postings", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(append_postings)), METH_FASTCALL,
     "append_postings(groups, positions, docnum, boost, singles, encode) -> (length, new terms)."},
    {"inline_term", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(inline_term)), METH_FASTCALL,
     "inline_term(ids, weights, values, lens) -> W3 inlined term info bytes, or None for the Python path."},
    {"write_blocks", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(write_blocks)), METH_FASTCALL,
     "write_blocks(ids, weights, values, lens, blocklimit, compression, fixed_size, compress, offset) -> (postings, term info) "
     "bytes as W3 writes a long list, or None for the Python path."},
    {"add_entry", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(add_entry)), METH_FASTCALL,
     "add_entry(buffer, key, value) -> md5 hash: a hash file entry appended to buffer, and whoosh's md5_hash(key)."},
    {"md5_low32", md5_low32, METH_O, "md5_low32(data) -> whoosh.filedb.filetables.md5_hash(data)."},
    {nullptr, nullptr, 0, nullptr},
};

PyModuleDef module = {PyModuleDef_HEAD_INIT, "_postings", "Compiled posting loops of the segment writer.", -1, methods};

}  // namespace

PyMODINIT_FUNC PyInit__postings() { return PyModule_Create(&module); }
