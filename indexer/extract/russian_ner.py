"""Natasha's Russian NER (slovnet's news model), run by a leaner driver: the same model, same tags.

The long tail of :mod:`indexer.extract.entities` runs slovnet's news NER on every Russian text,
and slovnet's own driver was a quarter of a build's CPU time: razdel builds an object per atom
and per gap between atoms, slovnet wraps every token, shape and tag in records and finds each
token's offset again with ``str.find``, and its numpy steps copy and transpose activations a
dozen times per layer. :class:`RussianNER` keeps the model's weights and vocabularies and
redoes the steps around them:

- :func:`razdel_tokens` is razdel's tokenizer (its atom pattern and its seven join rules) over
  plain tuples, with the offsets it already knows; tests check it against razdel token for token.
- A word's vocabulary id and shape id are looked up once per distinct word.
- The embedding gathers Navec's quantised vectors with one ``take``; the CNN builds each layer's
  window matrix once, words × channels throughout, with the convolution weights C-contiguous and
  the batch norm folded into one scale and shift. These reorder float additions, so activations
  differ from slovnet's in the sixth or seventh digit (tests bound it); tags and spans are
  compared with slovnet's on hand-written and corpus text.
- The CRF's Viterbi walk runs on the text's own words (slovnet steps the padded batch with fancy
  indexing every step), compiled (``_viterbi.cpp``: in numpy each step was four calls on a few
  dozen floats) with :meth:`RussianNER._viterbi_numpy` as its reference, and BIO tags become
  spans from the token offsets.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from razdel.segmenters.punct import DASHES, ENDINGS
from razdel.segmenters.tokenize import ATOM, INT, LAT, OTHER, PUNCT, RU, SMILE

from indexer.extract import _viterbi as _compiled

if TYPE_CHECKING:
    import numpy as np

# Distinct words whose ids are remembered (a news corpus repeats its vocabulary; bounded anyway).
WORD_IDS_LIMIT = 50_000
# Words tagged in one stacked pass at most: enough to share numpy's per-call cost, small enough
# that the pass's arrays (words × 990 floats for the first layer's windows) stay a few MB.
BATCH_WORDS = 1024

_WORDISH = (OTHER, RU, LAT)
_JOINED_PUNCT = ("--", "**")
# razdel's "2112" rules: a dash, underscore, decimal point or fraction bar joins the atoms either
# side of it (any two non-punctuation atoms, or two integers).
_DELIMITER_RULES = (
    (lambda s: s in DASHES, False),
    (lambda s: s == "_", False),
    (lambda s: s in ".,", True),
    (lambda s: s in "/\\", True),
)

Token = tuple[int, int, str]
Span = tuple[str, int, int]


def _joins(texts: list[str], types: list[str], i: int, buffer: str) -> bool:
    """Whether razdel joins atom ``i`` to the token before it (they touch: no space between).

    razdel's rules in its own terms: each returns JOIN or nothing, so their order does not
    matter. ``left``/``right`` are the atoms either side of the gap; the dash, underscore, float
    and fraction rules look one atom further on the delimiter's other side.
    """
    left, right = texts[i - 1], texts[i]
    left_type, right_type = types[i - 1], types[i]
    if left_type == PUNCT or right_type == PUNCT:
        before = types[i - 2] if i >= 2 else None
        after = types[i + 1] if i + 1 < len(types) else None
        for is_delimiter, both_int in _DELIMITER_RULES:
            if is_delimiter(left):
                pair = (before, right_type)
            elif is_delimiter(right):
                pair = (left_type, after)
            else:
                continue
            a, b = pair
            if a is None or b is None:
                continue
            if (a == INT and b == INT) if both_int else (PUNCT not in pair):
                return True
        if left_type == PUNCT and right_type == PUNCT:
            return bool(SMILE.match(buffer + right)) or (left in ENDINGS and right in ENDINGS) or left + right in _JOINED_PUNCT
        return left.lower() == "yahoo" and right == "!"
    return (left_type == OTHER and right_type in _WORDISH) or (left_type in _WORDISH and right_type == OTHER)


def razdel_tokens(text: str) -> list[Token]:
    """The tokens of razdel's ``tokenize(text)``, as ``(start, stop, text)`` tuples.

    Atoms separated by whitespace are always separate tokens; only touching atoms go through the
    join rules, which is where razdel's time went (most words are followed by a space).
    """
    starts: list[int] = []
    stops: list[int] = []
    types: list[str] = []
    texts: list[str] = []
    for match in ATOM.finditer(text):
        starts.append(match.start())
        stops.append(match.end())
        types.append(match.lastgroup)  # type: ignore[arg-type] - every alternative is named
        texts.append(match.group())
    if not texts:
        return []
    tokens: list[Token] = []
    start, buffer = starts[0], texts[0]
    for i in range(1, len(texts)):
        if stops[i - 1] == starts[i] and _joins(texts, types, i, buffer):
            buffer += texts[i]
            continue
        tokens.append((start, stops[i - 1], buffer))
        start, buffer = starts[i], texts[i]
    tokens.append((start, stops[-1], buffer))
    return tokens


class RussianNER:
    """``spans(text)``: the (type, start, stop) of the PER/LOC/ORG names slovnet's model tags."""

    def __init__(self, tagger: Any) -> None:  # noqa: ANN401 - a natasha NewsNERTagger
        import numpy as np  # noqa: PLC0415 - only with the optional long tail
        from slovnet.bio import parse_bio  # noqa: PLC0415
        from slovnet.shape import word_shape  # noqa: PLC0415

        self.np = np
        self.tagger = tagger
        model = tagger.infer.model
        encoder = tagger.infer.encoder
        self.words_vocab, self.shapes_vocab = encoder.words_vocab, encoder.shapes_vocab
        self.word_shape = word_shape
        self._ids: dict[str, tuple[int, int]] = {}
        navec = model.emb.word
        qdim, centroids, chunk = navec.codes.array.shape
        self.word_indexes = navec.indexes.array
        self.word_codes = navec.codes.array.reshape(qdim * centroids, chunk)
        self.code_offsets = np.arange(qdim) * centroids
        self.word_dim = qdim * chunk
        self.shape_vectors = model.emb.shape.weight.array
        self.layers = [_layer(layer, np) for layer in model.encoder.layers]
        self.proj_weight = np.ascontiguousarray(model.head.proj.weight.array)
        self.proj_bias = model.head.proj.bias.array
        self.transitions = model.head.crf.transitions.array
        self.tags = [parse_bio(tag) for tag in tagger.infer.decoder.tags_vocab.items]

    def spans(self, text: str) -> list[Span]:
        """What slovnet's ``NER(text).spans`` gives, as (type, start, stop)."""
        return self.spans_many([text])[0]

    def spans_many(self, texts: list[str]) -> list[list[Span]]:
        """:meth:`spans` of each text, the model run once for all of them.

        numpy's per-call overhead, not arithmetic, is most of a short text's tagging: stacked,
        the texts share each layer's matrix product and each Viterbi step.
        """
        tokenized = [razdel_tokens(text) for text in texts]
        out: list[list[Span]] = [[] for _ in texts]
        batch: list[int] = []
        encoded = []
        for i, tokens in enumerate(tokenized):
            if not tokens:
                continue
            word_ids, shape_ids = self._encode(tokens)
            if (word_ids == self.words_vocab.pad_id).any():  # a word that *is* the padding id: slovnet's way
                logging.getLogger(__name__).debug("padding id inside a text; slovnet's own driver used")
                out[i] = [(span.type, span.start, span.stop) for span in self.tagger(texts[i]).spans]
                continue
            batch.append(i)
            encoded.append((word_ids, shape_ids))
        begin = 0
        while begin < len(batch):
            end, words = begin + 1, len(encoded[begin][0])
            while end < len(batch) and words + len(encoded[end][0]) <= BATCH_WORDS:
                words += len(encoded[end][0])
                end += 1
            paths = self._viterbi(self.emissions_many(encoded[begin:end]))
            for i, tags in zip(batch[begin:end], paths, strict=True):
                out[i] = self._bio_spans(tokenized[i], tags)
            begin = end
        return out

    def _encode(self, tokens: list[Token]) -> tuple[np.ndarray, np.ndarray]:
        ids = self._ids
        if len(ids) > WORD_IDS_LIMIT:
            ids.clear()
        word_ids, shape_ids = [], []
        for _, _, word in tokens:
            pair = ids.get(word)
            if pair is None:
                pair = ids[word] = (self.words_vocab.encode(word.lower()), self.shapes_vocab.encode(self.word_shape(word)))
            word_ids.append(pair[0])
            shape_ids.append(pair[1])
        return self.np.array(word_ids), self.np.array(shape_ids)

    def emissions(self, word_ids: np.ndarray, shape_ids: np.ndarray) -> np.ndarray:
        """Per word, the score of each tag (words × tags), for one unpadded text."""
        return self.emissions_many([(word_ids, shape_ids)])[0]

    def emissions_many(self, encoded: list[tuple[np.ndarray, np.ndarray]]) -> list[np.ndarray]:
        """:meth:`emissions` of several texts, stacked with zero rows between them.

        Each layer's window reaches ``padding`` words either side, so ``padding`` zero rows
        between two texts (zeroed again after every layer) stand for each text's own padding.
        """
        np = self.np
        gap = max(layer[2] for layer in self.layers)
        word_ids = np.concatenate([ids for ids, _ in encoded])
        shape_ids = np.concatenate([ids for _, ids in encoded])
        rows = self.word_indexes[word_ids] + self.code_offsets  # words × code-book rows
        words = np.take(self.word_codes, rows, axis=0).reshape(len(word_ids), self.word_dim)
        features = np.concatenate((words, self.shape_vectors[shape_ids]), axis=-1)
        sizes = [len(ids) for ids, _ in encoded]
        where, filler = [], []
        cursor = 0
        for size in sizes:  # text i's words go to rows where[i] : where[i] + size
            where.append(cursor)
            cursor += size + gap
        x = np.zeros((cursor - gap, features.shape[1]), dtype=features.dtype)
        taken = 0
        for begin, size in zip(where, sizes, strict=True):
            x[begin : begin + size] = features[taken : taken + size]
            taken += size
            filler.extend(range(begin + size, begin + size + gap))
        filler = [row for row in filler if row < len(x)]
        for weight, bias, padding, kernel, channels, scale, shift in self.layers:
            size = len(x)
            windows = np.zeros((size, kernel * channels), dtype=x.dtype)
            for k in range(kernel):  # window column block k holds the word k - padding places away
                offset = k - padding
                lo, hi = max(0, -offset), min(size, size - offset)
                windows[lo:hi, k * channels : (k + 1) * channels] = x[lo + offset : hi + offset]
            out = np.matmul(windows, weight)
            out += bias
            np.maximum(out, 0, out=out)
            out *= scale
            out += shift
            out[filler] = 0
            x = out
        scores = np.matmul(x, self.proj_weight) + self.proj_bias
        return [scores[begin : begin + size] for begin, size in zip(where, sizes, strict=True)]

    def _viterbi(self, emissions: list[np.ndarray]) -> list[list[int]]:
        """Each text's best tag path, walked by the compiled ``_viterbi`` (same sums, same paths)."""
        if self.transitions.dtype == self.np.float32 and all(e.dtype == self.np.float32 for e in emissions):
            return _compiled.viterbi(emissions, self.transitions)
        return self._viterbi_numpy(emissions)

    def _viterbi_numpy(self, emissions: list[np.ndarray]) -> list[list[int]]:
        """Each text's best tag path: slovnet's sums (score + transitions + emission), in its order.

        The reference for the compiled walk, and its fallback for other float types.

        The texts step together, longest first: at step ``t`` the first ``active`` texts (those
        longer than ``t``) take the step, the others keep their final scores.
        """
        np = self.np
        transitions = self.transitions
        best_of = np.maximum.reduce  # what ndarray.max calls, minus its Python wrapper
        order = sorted(range(len(emissions)), key=lambda i: -len(emissions[i]))
        lengths = [len(emissions[i]) for i in order]
        stacked = np.zeros((len(order), lengths[0], transitions.shape[0]), dtype=emissions[0].dtype)
        for row, i in enumerate(order):
            stacked[row, : lengths[row]] = emissions[i]
        score = stacked[:, 0].copy()
        history = []
        active = len(order)
        for t in range(1, lengths[0]):
            while lengths[active - 1] <= t:
                active -= 1
            scores = score[:active, :, None] + transitions
            scores += stacked[:active, t, None, :]
            history.append(scores.argmax(1))
            score[:active] = best_of(scores, 1)
        paths: list[list[int]] = [[] for _ in order]
        for row, i in enumerate(order):
            best = int(score[row].argmax())
            tags = [best]
            for t in range(lengths[row] - 2, -1, -1):
                best = int(history[t][row, best])
                tags.append(best)
            tags.reverse()
            paths[i] = tags
        return paths

    def _bio_spans(self, tokens: list[Token], tags: list[int]) -> list[Span]:
        """The spans of slovnet's ``bio_spans``: B opens a span, I extends the open one, O closes it."""
        spans: list[Span] = []
        current: str | None = None
        start = stop = 0
        for (token_start, token_stop, _), tag in zip(tokens, tags, strict=True):
            part, kind = self.tags[tag]
            if part == "O":
                if current:
                    spans.append((current, start, stop))
                    current = None
            elif part == "B":
                if current:
                    spans.append((current, start, stop))
                current, start, stop = kind, token_start, token_stop
            elif part == "I":
                stop = token_stop
        if current:
            spans.append((current, start, stop))
        return spans


def _layer(layer: Any, np: Any) -> tuple:  # noqa: ANN401 - a slovnet CNN layer, numpy
    """One CNN layer's weights as (window × channels) → filters, and its batch norm as scale/shift."""
    conv, norm = layer.conv, layer.norm
    filters, channels, kernel = conv.weight.array.shape
    # the window matrix's column block k holds word t + k - padding: weight rows in that order
    weight = np.ascontiguousarray(conv.weight.array.transpose(2, 1, 0).reshape(kernel * channels, filters))
    scale = (norm.weight.array / norm.std.array).astype(conv.weight.array.dtype)
    shift = (norm.bias.array - norm.mean.array * scale).astype(conv.weight.array.dtype)
    return weight, conv.bias.array, conv.padding, kernel, channels, scale, shift
