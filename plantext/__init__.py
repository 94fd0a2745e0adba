"""plantext: read, split, outline, extract targets from and compare Chinese plan documents.

The library is the product; the ``plantext`` command is a thin shell over it::

    import plantext
    src = plantext.load("plan.docx")          # Source: decoded text + where it came from
    plans = plantext.split(src)               # [Plan]: each a span of src.text
    inputs = plantext.read_inputs(["plans/"]) # a whole batch, unreadable files collected

The other names are imported lazily, so that ``import plantext`` loads no jieba, spaCy or OpenCC.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# The stage functions named like their modules are bound here, after their modules are imported,
# so that ``plantext.split`` is the function whatever is imported later (``import plantext.split``
# finds the module in sys.modules and leaves the package attribute alone). These four modules
# load no heavy library (jieba, spaCy, OpenCC load on first use).
from .clean import clean
from .outline import outline
from .split import split
from .targets import targets

__version__ = "0.1.0"

_API = {
    "load": ".ingest",
    "IngestError": ".ingest",
    "read_inputs": ".inputs",
    "Source": ".model",
    "Plan": ".model",
    "Section": ".model",
    "Target": ".model",
    "Passage": ".model",
    "DocumentCheck": ".model",
    "check": ".similarity.check",
    "similar": ".similarity.similar",
    "SimilarResult": ".similarity.similar",
    "Match": ".model",
    "View": ".normalize",
    "corpus": ".research",
    "Corpus": ".research",
    "apply_meta": ".meta",
    "load_manifest": ".meta",
    "section_at": ".outline",
    "kind_of": ".outline",
    "words": ".segment",
    "sentences": ".segment",
    "cut": ".segment",
    "render_html": ".report.html",
    "PlantextError": ".errors",
    "InputError": ".errors",
    "FormatError": ".errors",
    "LibraryError": ".errors",
    "UsageError": ".errors",
    "OutputError": ".errors",
    "RunOptions": ".pipeline",
    "Artifacts": ".pipeline",
    "Resources": ".lexicons",
}

__all__ = ["__version__", "clean", "outline", "split", "targets", *_API]


def __getattr__(name: str) -> Any:
    mod = _API.get(name)
    if mod is None:
        raise AttributeError(f"module 'plantext' has no attribute {name!r}")
    value = getattr(import_module(mod, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_API))
