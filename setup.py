"""The one thing pyproject.toml cannot declare stably: the analysis' compiled hot paths.

``indexer/analysis/_wordloop.cpp`` (per-token loops), ``_fold.cpp`` (per-word normalisation),
``_stems.cpp`` (per-word stemming) and ``_keyforms.cpp`` (the cross-script key), and the segment
writer's ``indexer/_postings.cpp`` (per-posting and per-term loops), and the Russian NER's
``indexer/extract/_viterbi.cpp`` (its CRF walk). Two link the system ICU
(libicu-dev, the library PyICU is built against, so both segment words identically).
Everything else is in pyproject.toml.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "indexer.analysis._wordloop",
            sources=["indexer/analysis/_wordloop.cpp"],
            libraries=["icuuc"],
            language="c++",
            extra_compile_args=["-O2", "-std=c++17"],
        ),
        Extension(
            "indexer.analysis._fold",
            sources=["indexer/analysis/_fold.cpp"],
            language="c++",
            extra_compile_args=["-O2", "-std=c++17"],
        ),
        Extension(
            "indexer.analysis._stems",
            sources=["indexer/analysis/_stems.cpp"],
            language="c++",
            extra_compile_args=["-O2", "-std=c++17"],
        ),
        Extension(
            "indexer.analysis._keyforms",
            sources=["indexer/analysis/_keyforms.cpp"],
            libraries=["icuuc"],
            language="c++",
            extra_compile_args=["-O2", "-std=c++17"],
        ),
        Extension(
            "indexer.extract._viterbi",
            sources=["indexer/extract/_viterbi.cpp"],
            language="c++",
            extra_compile_args=["-O2", "-std=c++17"],
        ),
        Extension(
            "indexer._postings",
            sources=["indexer/_postings.cpp"],
            language="c++",
            extra_compile_args=["-O2", "-std=c++17"],
        ),
    ]
)
