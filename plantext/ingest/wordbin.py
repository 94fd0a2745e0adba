"""Word 97-2003 binary documents (.doc, and WPS Office's .wps in the same format) read without
any outside program: the last resort when neither LibreOffice nor antiword is installed.

The file is an OLE compound file ([MS-CFB]); its ``WordDocument`` stream starts with the File
Information Block and holds the characters, the table stream (``0Table`` or ``1Table``) holds the
piece table (where each run of characters is stored, 8-bit or UTF-16) and the paragraph
properties ([MS-DOC]). Only the main document is read: headers, footers, footnotes, comments
and text boxes are other parts of the character stream and are left out, as the .docx reader
leaves them out. Field codes (``PAGE``, ``HYPERLINK "…"``) are dropped and their shown results
kept. Table cells are joined by a tab, one line per row (``Part(kind="table-row")``), as in a
.docx; the row ends come from the paragraph properties (``sprmPFTtp``).

Automatic list numbering and styles are not in the character stream, so they are not in the
text (LibreOffice, where installed, keeps both).
"""

from __future__ import annotations

__all__ = ["WordBinaryError", "read_text", "paragraphs", "streams"]

import bisect
import struct

from .magic import OLE_MAGIC

_END = 0xFFFFFFFE  # ENDOFCHAIN
_FREE = 0xFFFFFFFF
_MAX_SECTORS = 1 << 22  # a chain longer than this is a damaged (or hostile) file


class WordBinaryError(ValueError):
    """The file is not a Word binary document this reader understands (the message says why,
    in English: it is only ever logged; the caller raises the user-facing error)."""


def _u16(b: bytes, o: int) -> int:
    return int(struct.unpack_from("<H", b, o)[0])


def _u32(b: bytes, o: int) -> int:
    return int(struct.unpack_from("<I", b, o)[0])


def streams(data: bytes, wanted: set[str]) -> dict[str, bytes]:
    """The streams of an OLE compound file whose names are in ``wanted``."""
    if not data.startswith(OLE_MAGIC) or len(data) < 512:
        raise WordBinaryError("no OLE header")
    shift = _u16(data, 0x1E)
    mini_shift = _u16(data, 0x20)
    if shift not in (9, 12) or mini_shift != 6:
        raise WordBinaryError("unknown sector size")
    size = 1 << shift
    nsect = (len(data) - size) // size + 1

    def sector(n: int) -> bytes:
        if n >= nsect:
            raise WordBinaryError("sector out of range")
        return data[(n + 1) * size : (n + 2) * size]

    # the FAT's own sectors: 109 in the header, the rest in the DIFAT chain
    difat = [_u32(data, 0x4C + 4 * i) for i in range(109)]
    nxt, seen = _u32(data, 0x44), 0
    # (a file has no more DIFAT sectors than sectors: a chain that loops or a false count stops there)
    while nxt not in (_END, _FREE) and seen < min(_u32(data, 0x48), nsect) + 1:
        sec = sector(nxt)
        difat.extend(_u32(sec, 4 * i) for i in range(size // 4 - 1))
        nxt = _u32(sec, size - 4)
        seen += 1
    fat_bytes = b"".join(sector(n) for n in difat if n not in (_END, _FREE))
    fat = struct.unpack(f"<{len(fat_bytes) // 4}I", fat_bytes)

    def chain(start: int, table: tuple[int, ...]) -> list[int]:
        out: list[int] = []
        n = start
        while n not in (_END, _FREE):
            if n >= len(table) or len(out) > min(len(table), _MAX_SECTORS):
                raise WordBinaryError("broken sector chain")
            out.append(n)
            n = table[n]
        return out

    directory = b"".join(sector(n) for n in chain(_u32(data, 0x30), fat))
    entries = []
    for o in range(0, len(directory) - 127, 128):
        e = directory[o : o + 128]
        name_len = min(_u16(e, 64), 64)
        name = e[: max(0, name_len - 2)].decode("utf-16-le", "replace")
        kind = e[66]
        start = _u32(e, 116)
        length = _u32(e, 120) if shift == 9 else int(struct.unpack_from("<Q", e, 120)[0])
        entries.append((name, kind, start, length))
    if not entries or entries[0][1] != 5:
        raise WordBinaryError("no root entry")
    cutoff = _u32(data, 0x38)
    root = entries[0]
    mini_stream = b"".join(sector(n) for n in chain(root[2], fat)) if root[2] not in (_END, _FREE) else b""
    minifat_bytes = b"".join(sector(n) for n in chain(_u32(data, 0x3C), fat)) if _u32(data, 0x40) else b""
    minifat = struct.unpack(f"<{len(minifat_bytes) // 4}I", minifat_bytes)

    found: dict[str, bytes] = {}
    for name, kind, start, length in entries[1:]:
        if kind != 2 or name not in wanted or name in found:
            continue
        if length < cutoff:
            body = b"".join(mini_stream[n * 64 : n * 64 + 64] for n in chain(start, minifat))
        else:
            body = b"".join(sector(n) for n in chain(start, fat))
        if len(body) < length:
            raise WordBinaryError(f"stream {name} is cut short")
        found[name] = body[:length]
    return found


# operand sizes by the sprm's spra field ([MS-DOC] 2.2.5.1); 6 is variable
_OPERAND = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}
_SPRM_TTP = 0x2417  # sprmPFTtp: this paragraph mark ends a table row
_SPRM_INNER_TTP = 0x244C  # sprmPFInnerTtp: ends a row of a nested table
_SPRM_IN_TABLE = 0x2416  # sprmPFInTable
_SPRM_ITAP = 0x6649  # sprmPItap: table depth


def _row_end(grpprl: bytes) -> tuple[bool, bool]:
    """(ends a table row, inside a table) from a paragraph's property modifiers."""
    ttp = in_table = False
    i = 0
    while i + 2 <= len(grpprl):
        sprm = _u16(grpprl, i)
        i += 2
        spra = sprm >> 13
        if spra == 6:
            if i >= len(grpprl):
                break
            if sprm == 0xD608:  # sprmTDefTable: a 2-byte size, counting itself minus one
                if i + 2 > len(grpprl):
                    break
                n = _u16(grpprl, i) + 1
            elif sprm == 0xC615 and grpprl[i] == 255:  # sprmPChgTabs' long form: stop here
                break
            else:
                n = grpprl[i] + 1
        else:
            n = _OPERAND[spra]
        op = grpprl[i : i + n]
        if sprm in (_SPRM_TTP, _SPRM_INNER_TTP) and op[:1] not in (b"", b"\x00"):
            ttp = True
        elif (sprm == _SPRM_IN_TABLE and op[:1] not in (b"", b"\x00")) or (sprm == _SPRM_ITAP and any(op)):
            in_table = True
        i += n
    return ttp, in_table


class _Pieces:
    """Where each character position (CP) of the document is stored (its file offset, FC)."""

    def __init__(self, word: bytes, table: bytes, fc_clx: int, lcb_clx: int) -> None:
        i, end = fc_clx, fc_clx + lcb_clx
        if end > len(table):
            raise WordBinaryError("piece table out of range")
        plc = b""
        while i < end:
            if table[i] == 1:  # Prc: formatting of pieces, skipped
                i += 3 + _u16(table, i + 1)
            elif table[i] == 2:  # Pcdt: the piece table
                lcb = _u32(table, i + 1)
                plc = table[i + 5 : i + 5 + lcb]
                break
            else:
                raise WordBinaryError("bad piece table")
        n = (len(plc) - 4) // 12
        if n < 1:
            raise WordBinaryError("empty piece table")
        self.cps = [_u32(plc, 4 * k) for k in range(n + 1)]
        self.fcs: list[int] = []
        self.wide: list[bool] = []
        for k in range(n):
            raw = _u32(plc, 4 * (n + 1) + 8 * k + 2)
            compressed = bool(raw & 0x40000000)
            fc = raw & 0x3FFFFFFF
            self.fcs.append(fc // 2 if compressed else fc)
            self.wide.append(not compressed)
        self.word = word

    def text(self, upto: int) -> str:
        out = []
        for k in range(len(self.fcs)):
            a, b = self.cps[k], min(self.cps[k + 1], upto)
            if a >= b:
                break
            fc = self.fcs[k]
            if self.wide[k]:
                out.append(self.word[fc : fc + 2 * (b - a)].decode("utf-16-le", "replace"))
            else:
                out.append(self.word[fc : fc + (b - a)].decode("cp1252", "replace"))
        return "".join(out)

    def fc(self, cp: int) -> int:
        k = max(0, bisect.bisect_right(self.cps, cp) - 1)
        return self.fcs[k] + (cp - self.cps[k]) * (2 if self.wide[k] else 1)


class _Papx:
    """Paragraph properties by file offset: which paragraph marks end a table row."""

    def __init__(self, word: bytes, table: bytes, fc: int, lcb: int) -> None:
        self.starts: list[int] = []
        self.runs: list[tuple[int, int, bool, bool]] = []
        n = (lcb - 4) // 8
        if n < 1 or fc + lcb > len(table):
            return
        for k in range(n):
            pn = _u32(table, fc + 4 * (n + 1) + 4 * k) & 0x3FFFFF
            page = word[pn * 512 : pn * 512 + 512]
            if len(page) < 512:
                continue
            crun = page[511]
            for r in range(crun):
                lo, hi = _u32(page, 4 * r), _u32(page, 4 * r + 4)
                b_offset = page[4 * (crun + 1) + 13 * r]
                ttp = in_table = False
                if b_offset:
                    o = 2 * b_offset
                    cb = page[o]
                    grp = page[o + 2 : o + 2 + 2 * page[o + 1]] if cb == 0 else page[o + 1 : o + 2 * cb]
                    ttp, in_table = _row_end(grp[2:])  # after the style index
                self.runs.append((lo, hi, ttp, in_table))
        self.runs.sort()
        self.starts = [r[0] for r in self.runs]

    def at(self, fc: int) -> tuple[bool, bool]:
        k = bisect.bisect_right(self.starts, fc) - 1
        if k >= 0 and self.runs[k][0] <= fc < self.runs[k][1]:
            return self.runs[k][2], self.runs[k][3]
        return False, False


def read_text(data: bytes) -> tuple[str, list[tuple[int, bool, bool]]]:
    """The main document's characters, and per paragraph mark (``\\r`` or ``\\x07``) in them its
    CP, whether it ends a table row and whether it is inside a table."""
    got = streams(data, {"WordDocument", "0Table", "1Table"})
    word = got.get("WordDocument")
    if word is None or len(word) < 0x200:
        raise WordBinaryError("no WordDocument stream")
    if _u16(word, 0) != 0xA5EC:
        raise WordBinaryError("no Word file information block")
    if _u16(word, 2) < 0x00C1:  # nFib before Word 97 (Word 6/95): another layout
        raise WordBinaryError("Word 6/95 file")
    flags = _u16(word, 0x0A)
    if flags & 0x0100:  # fEncrypted
        raise WordBinaryError("encrypted")
    table = got.get("1Table" if flags & 0x0200 else "0Table")
    if table is None:
        raise WordBinaryError("no table stream")
    pos = 32
    csw = _u16(word, pos)
    pos += 2 + 2 * csw
    cslw = _u16(word, pos)
    rglw = pos + 2
    pos = rglw + 4 * cslw
    rgfclcb = pos + 2
    if _u16(word, pos) < 34 or rgfclcb + 34 * 8 > len(word):
        raise WordBinaryError("short file information block")
    ccp_text = _u32(word, rglw + 12)
    fc_clx, lcb_clx = _u32(word, rgfclcb + 33 * 8), _u32(word, rgfclcb + 33 * 8 + 4)
    pieces = _Pieces(word, table, fc_clx, lcb_clx)
    text = pieces.text(ccp_text)
    papx = _Papx(word, table, _u32(word, rgfclcb + 13 * 8), _u32(word, rgfclcb + 13 * 8 + 4))
    marks = []
    for cp, ch in enumerate(text):
        if ch in "\r\x07":
            ttp, in_table = papx.at(pieces.fc(cp))
            marks.append((cp, ttp, in_table or ch == "\x07"))
    return text, marks


# characters of the stream that are no text: object anchors, note marks, hyphenation hints
_DROP = dict.fromkeys(map(ord, "\x00\x01\x02\x03\x04\x05\x06\x08\x1f\ufeff"))
_DROP.update({0x1E: "-", 0x0B: "\n", 0x0C: "\n", 0xA0: " "})  # non-breaking hyphen, line, page break


def paragraphs(data: bytes) -> list[tuple[str, str]]:
    """The document as lines: ``("paragraph", text)`` or ``("table-row", cells joined by a tab)``."""
    text, marks = read_text(data)
    info = {cp: (ttp, in_table) for cp, ttp, in_table in marks}
    out: list[tuple[str, str]] = []
    cells: list[str] = []
    cell: list[str] = []  # the paragraphs of the open cell
    buf: list[str] = []
    fields: list[bool] = []  # open fields: True while in the field's instructions
    for cp, ch in enumerate(text):
        if ch == "\x13":
            fields.append(True)
            continue
        if ch == "\x14":
            if fields:
                fields[-1] = False
            continue
        if ch == "\x15":
            if fields:
                fields.pop()
            continue
        if ch not in "\r\x07":
            if not any(fields):
                buf.append(ch)
            continue
        line = "".join(buf).translate(_DROP)
        buf = []
        ttp, in_table = info.get(cp, (False, False))
        if ttp:  # the row's own end mark: the row is complete
            if any(c.strip() for c in cells):
                out.append(("table-row", "\t".join(cells)))
            cells, cell = [], []
        elif ch == "\x07":  # a cell's end
            cell.append(line)
            cells.append(" ".join(p.strip() for p in " ".join(cell).split("\n") if p.strip()))
            cell = []
        elif in_table:  # a paragraph inside a cell
            cell.append(line)
        else:
            if cells:  # a row left open (properties not found): keep what it had
                out.append(("table-row", "\t".join(cells)))
                cells = []
            for piece in line.split("\n"):
                out.append(("paragraph", piece))
    if cells:
        out.append(("table-row", "\t".join(cells)))
    return out
