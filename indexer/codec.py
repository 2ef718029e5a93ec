"""Whoosh's W3 codec with inlined postings for rare terms.

Most terms of a news index occur in one or two documents (half of the cross-script keys are
hapaxes). W3 writes every term's postings as a block of its own in the ``.pst`` file (a block
header, a pickle, a zlib stream) and that per-term work was the largest part of the build. The
format also knows *inlined* postings, kept inside the term's entry in the term table, and its
readers handle them, but the 2.7 writer calls a method that does not exist (``set_inline``
instead of ``set_inlined``), so ``inlinelimit`` has never worked. This codec fixes the call.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter, W3TermInfo

INLINE_LIMIT = 4  # postings lists shorter than this live in the term table


class InliningPostingsWriter(W3PostingsWriter):
    """``W3PostingsWriter`` whose short postings lists are inlined into the term info."""

    def finish_postings(self) -> W3TermInfo:
        """The term info; short lists go inline, the rest take W3's block path."""
        if not self.written() and len(self) < self._inlinelimit:
            terminfo = self._terminfo
            terminfo.add_block(self)
            terminfo.set_inlined(self._ids, self._weights, self._values)
            self._terminfo = None
            return terminfo
        return super().finish_postings()


class SteppeCodec(W3Codec):
    """W3 with working inlined postings (see the module docstring)."""

    def __init__(self, blocklimit: int = 128, compression: int = 3, inlinelimit: int = INLINE_LIMIT) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def postings_writer(self, dbfile: object, byteids: bool = False) -> InliningPostingsWriter:
        """Postings writer for one field's terms."""
        return InliningPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )
