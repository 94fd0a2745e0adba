"""Old Word .doc (the binary format, still very common for plans) and WPS Office .wps.

Converted by LibreOffice (``soffice --headless --convert-to docx``, then read as a .docx, so
headings and tables survive) or, failing that, by ``antiword``; each runs in a temporary
folder with a time limit. With neither installed, ``wordbin`` reads the Word 97-2003 binary
format itself (text and tables; no styles or list numbers); a file it cannot read (Word 6/95,
damaged) gets an error that says how to convert it.
Files named .doc or .wps that are really .docx, .odt, RTF or HTML (Word and WPS save all of
these under that name) go to the reader of what they are.
"""

from __future__ import annotations

__all__ = ["TIMEOUT", "OLE_MAGIC", "read", "from_antiword"]

import os
import shutil
import struct
import subprocess
import tempfile

from ..errors import os_reason
from ..i18n import tr
from ..model import Part, Source
from . import IngestError
from .magic import OLE_MAGIC, is_ole

TIMEOUT = 120  # seconds for one conversion


def read(path: str, data: bytes, *, encoding: str | None = None, errors: str = "strict") -> Source:
    from importlib import import_module

    from . import READERS, sniff

    found = sniff(data)  # Word and WPS save .docx, RTF and web pages under a .doc name: read each as what it is
    if found not in (".doc", ".txt"):
        reader = import_module(f".{READERS[found]}", __package__)
        src: Source = reader.read(path, data, encoding=encoding, errors=errors)
        return src
    if not is_ole(data):
        from .text import looks_like_text

        if looks_like_text(data):
            raise IngestError(path, key="ingest.word_is_text")
        raise IngestError(path, key="ingest.not_doc")
    if "EncryptedPackage".encode("utf-16-le") in data:  # an encrypted .docx (password or DRM) in OLE
        raise IngestError(path, key="ingest_docs.encrypted")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        return _via_soffice(path, data, soffice, ".doc")
    antiword = shutil.which("antiword")
    if antiword:
        return _via_antiword(path, data, antiword)
    return _builtin(path, data)


def _builtin(path: str, data: bytes) -> Source:
    """Neither converter is installed: read the Word 97-2003 binary format ourselves."""
    from .wordbin import WordBinaryError, paragraphs

    try:
        lines = paragraphs(data)
    except WordBinaryError as e:
        if str(e) == "encrypted":
            raise IngestError(path, key="ingest.doc_encrypted") from None
        what = tr("ingest.what.wps" if path.lower().endswith(".wps") else "ingest.what.doc")
        raise IngestError(path, key="ingest.doc_needs_tool", what=what) from None
    except (struct.error, IndexError):
        what = tr("ingest.what.wps" if path.lower().endswith(".wps") else "ingest.what.doc")
        raise IngestError(path, key="ingest.doc_needs_tool", what=what) from None
    src = _from_lines(path, lines)
    src.meta["converter"] = "builtin"
    return src


def _run(path: str, cmd: list[str], tool: str, cwd: str) -> subprocess.CompletedProcess:
    try:
        res = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=TIMEOUT, env={**os.environ, "HOME": cwd})
    except subprocess.TimeoutExpired:
        raise IngestError(path, key="ingest.convert_timeout", tool=tool, seconds=TIMEOUT) from None
    except OSError as e:
        raise IngestError(path, key="ingest.cannot_run", tool=tool, why=os_reason(e)) from None
    return res


def _problem(path: str, res: subprocess.CompletedProcess, tool: str, tmp_file: str) -> IngestError:
    msg = (res.stderr or res.stdout or b"").decode("utf-8", "replace").strip().splitlines()
    why = msg[-1].strip().replace(tmp_file, "-") if msg else f"exit status {res.returncode}"
    if "encrypt" in why.lower() or "password" in why.lower():
        return IngestError(path, key="ingest.doc_encrypted")
    return IngestError(path, key="ingest.convert_failed", tool=tool, why=why[:160])


def _via_soffice(path: str, data: bytes, soffice: str, suffix: str) -> Source:
    from . import docx

    with tempfile.TemporaryDirectory(prefix="plantext-doc-") as tmp:
        src = os.path.join(tmp, "input" + suffix)
        with open(src, "wb") as fh:
            fh.write(data)
        # a private profile, so a running LibreOffice or a parallel conversion does not block us
        profile = "file://" + os.path.join(tmp, "profile")
        res = _run(
            path,
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "docx",
                "--outdir",
                tmp,
                src,
            ],
            "LibreOffice",
            tmp,
        )
        out = os.path.join(tmp, "input.docx")
        if res.returncode != 0 or not os.path.exists(out):
            raise _problem(path, res, "LibreOffice", src)
        with open(out, "rb") as fh:
            converted = fh.read()
    result = docx.read(path, converted)
    result.format = "doc"
    result.meta["converter"] = "soffice"
    return result


def _via_antiword(path: str, data: bytes, antiword: str) -> Source:
    with tempfile.TemporaryDirectory(prefix="plantext-doc-") as tmp:
        src = os.path.join(tmp, "input.doc")
        with open(src, "wb") as fh:
            fh.write(data)
        # -w 0: one line per paragraph; -m UTF-8.txt: UTF-8 output
        res = _run(path, [antiword, "-m", "UTF-8.txt", "-w", "0", src], "antiword", tmp)
    if res.returncode != 0:
        raise _problem(path, res, "antiword", src)
    return from_antiword(path, res.stdout.decode("utf-8", "replace"))


def from_antiword(path: str, out: str) -> Source:
    """antiword's text: paragraphs, and tables as ``|cell|cell|`` lines (made tab-joined rows)."""
    lines = []
    for raw in out.splitlines():
        line = raw.strip()
        kind = "paragraph"
        if len(line) > 1 and line.startswith("|") and line.endswith("|"):
            line = "\t".join(c.strip() for c in line[1:-1].split("|"))
            kind = "table-row"
        lines.append((kind, line))
    src = _from_lines(path, lines)
    src.meta["converter"] = "antiword"
    return src


def _from_lines(path: str, lines: list[tuple[str, str]]) -> Source:
    """Paragraphs and table rows, one a line (blank ones left out), each a ``Part``."""
    chunks: list[str] = []
    parts: list[Part] = []
    pos = 0
    for kind, line in lines:
        line = line.strip() if kind == "paragraph" else line
        if not line.strip():
            continue
        if chunks:
            chunks.append("\n")
            pos += 1
        parts.append(Part(pos, pos + len(line), kind, index=len(parts) + 1))
        chunks.append(line)
        pos += len(line)
    return Source(path=path, text="".join(chunks), format="doc", parts=parts)
