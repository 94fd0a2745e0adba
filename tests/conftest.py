from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
CORPORA = ROOT / "corpora"


def seed_path(prefix: str) -> Path:
    """A seed page by its number prefix ('000' ...); the test is skipped without ../shared."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not present")
    hits = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not hits:
        pytest.skip(f"seed {prefix} not present")
    return hits[0]


@pytest.fixture
def seed():
    return seed_path


@pytest.fixture
def english(monkeypatch):
    """Messages in English: for tests that assert the wording of an error (Chinese is the default)."""
    monkeypatch.setenv("PLANTEXT_LANG", "en")
