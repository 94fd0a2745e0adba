"""File signatures, in one place: what the content of a file says it is (the sniffer, the readers'
own checks and the bomb limits all ask here)."""

from __future__ import annotations

import re

__all__ = ["OLE_MAGIC", "is_ole", "is_pdf", "is_zip"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file: .doc, .wps, an encrypted .docx
_PDF_HEADER = re.compile(rb"%PDF-\d")  # readers accept the header anywhere in the first 1,024 bytes
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")  # a local file header, an empty or a spanned zip


def is_pdf(data: bytes) -> bool:
    return _PDF_HEADER.search(data[:1024]) is not None


def is_zip(data: bytes) -> bool:
    """A zip package: .docx, .odt, .ofd, .xlsx ..."""
    return data[:4] in _ZIP_MAGICS


def is_ole(data: bytes) -> bool:
    return data.startswith(OLE_MAGIC)
