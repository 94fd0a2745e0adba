"""plantext: read, split, outline, extract targets from and compare Chinese plan documents.

The library is the product; the ``plantext`` command is a thin shell over it::

    import plantext
    src = plantext.load("plan.docx")          # Source: decoded text + where it came from
    plans = plantext.split(src)               # [Plan]: each a span of src.text
    inputs = plantext.read_inputs(["plans/"]) # a whole batch, unreadable files collected

Imports are lazy so that ``import plantext`` stays cheap (no jieba or spaCy load).
"""

from __future__ import annotations

import sys as _sys
import types as _types
from importlib import import_module

__version__ = "0.1.0"

_API = {
    "load": ".ingest",
    "IngestError": ".ingest",
    "clean": ".clean",
    "split": ".split",
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
    "outline": ".outline",
    "section_at": ".outline",
    "kind_of": ".outline",
    "targets": ".targets",
    "words": ".segment",
    "sentences": ".segment",
    "cut": ".segment",
    "render_html": ".report.html",
}


class _CallableModule(_types.ModuleType):
    """A stage module named like its function (``plantext.split``, ``plantext.outline`` ...).

    ``plantext.split(source)`` is the function, but importing the submodule rebinds the
    package attribute to the module; calling the module calls its function, so both
    ``plantext.split(src)`` and ``plantext.split.split(src)`` work whatever was imported first.
    """

    def __call__(self, *args, **kwargs):
        return getattr(self, self.__name__.rpartition(".")[2])(*args, **kwargs)


def callable_module(name: str) -> None:
    """Make module ``name`` (``plantext.X`` defining ``X``) callable as ``X``."""
    _sys.modules[name].__class__ = _CallableModule


def __getattr__(name: str):
    mod = _API.get(name)
    if mod is None:
        raise AttributeError(f"module 'plantext' has no attribute {name!r}")
    value = getattr(import_module(mod, __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(list(globals()) + list(_API))
