"""Shared fixtures: a real index built from tests/corpus (plus the shared seed page when
../shared is present) in a tmp dir, the real Falcon app over it, and helpers."""

from __future__ import annotations

from pathlib import Path

import pytest
import webtest

from indexer.cli import build
from search.app import create_app
from search.config import Config

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "corpus"
SHARED = REPO.parent / "shared"
SEED = SHARED / "seeds" / "000_ffbdb433fe674d96.txt"
DEMO_CRAWL = REPO / "demo" / "crawl"


# Query shapes the evaluator tests run against Whoosh's own matchers: names in both scripts,
# proximity, a phrase, a compound, an exclusion, OR, a prefix, inflections, nothing found.
QUERY_SHAPES = [
    "Tokayev",
    "Токаев",
    "Astana Bishkek",
    '"Central Asia"',
    "Nur-Sultan",
    "банк -Астана",
    "Bishkek OR Tashkent gas",
    "Kaz*",
    "Қазақстан банктері",
    "water dam Rogun",
    "Жапаров Japarov Zhaparov",
    "zzzqqq",
]


def shared_or_skip() -> Path:
    """../shared, or skip with the reason (a user's fresh clone has no team corpus; CI has it)."""
    if not SHARED.is_dir():
        pytest.skip("../shared (team corpus, seeds and eval) is not beside this checkout")
    return SHARED


def build_index(sources: list[Path], root: Path) -> Path:
    """Build and publish an index with the real indexer; returns the index directory."""
    report = build(sources, root, max_skip_ratio=0.5, progress=False)
    assert report.indexed > 0
    return root


@pytest.fixture(scope="session")
def fixture_sources() -> list[Path]:
    """tests/corpus, plus the shared seed page when available."""
    sources = [CORPUS]
    if SEED.exists():
        sources.append(SEED)
    return sources


@pytest.fixture(scope="session")
def fixture_index(tmp_path_factory: pytest.TempPathFactory, fixture_sources: list[Path]) -> Path:
    """A published index of the fixture corpus (built once per test session)."""
    return build_index(fixture_sources, tmp_path_factory.mktemp("index"))


@pytest.fixture(scope="session")
def config(fixture_index: Path) -> Config:
    """Service configuration over the fixture index."""
    return Config.from_env({}, index_dir=str(fixture_index), reload_interval=0.0)


@pytest.fixture(scope="session")
def api(config: Config) -> webtest.TestApp:
    """The real Falcon app, driven by webtest."""
    return webtest.TestApp(create_app(config))
