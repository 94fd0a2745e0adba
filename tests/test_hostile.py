"""Hostile and broken input: no hang, no traceback, no blow-up, nothing lost.

Everything hostile is made here, at test time: FIFOs, devices, bombs that inflate past a small
limit, file names of odd bytes, damaged and read-only libraries, a full small disk (when the
machine lets us mount one). Commands that could hang run in a subprocess with a timeout.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest

from plantext.errors import InputError, LibraryError, UsageError
from plantext.ingest import IngestError, iter_paths, load, parse_size
from plantext.inputs import read_inputs

ROOT = Path(__file__).resolve().parent.parent

PLAN = """城南实验小学教师培训工作计划
一、指导思想
以提高教师专业能力为目标，坚持理论学习与课堂实践相结合，全面推进校本研修。
二、工作目标
1.全年组织集中培训不少于6次，每位教师参训学时不少于72学时。
2.青年教师公开课达到每人每学期1节，骨干教师示范课不少于20节。
三、主要措施
（一）开展专题讲座。每月邀请专家到校讲座一次，内容涵盖课程标准与作业设计。
（二）加强教研活动。各教研组每两周开展一次集体备课，做好记录并及时总结。
四、时间安排
3月20日前完成培训需求调查，6月底前完成上半年培训总结。
"""

OTHER = """城北中学班主任工作计划
一、工作思路
围绕立德树人根本任务，加强班级管理，促进学生全面发展，营造积极向上的班风学风。
二、具体安排
1.每周召开一次班会，每月与家长沟通不少于两次，学期末完成学生综合素质评价。
2.组织学生参加社会实践活动，全年不少于4次，参与率达到100%。
三、保障措施
学校成立班主任工作领导小组，每学期对班主任工作进行考核，考核结果纳入绩效。
"""


def cli(
    *args: str, input: bytes | None = None, timeout: float = 90, env: dict | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """``plantext ARGS`` in a real process (a hang fails the test instead of the suite)."""
    e = {
        **os.environ,
        "PLANTEXT_LANG": "en",
        "PYTHONPATH": str(ROOT),
        "PLANTEXT_PROGRESS": "0",
        "PYTHONWARNINGS": "ignore",
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "plantext", *args],
        capture_output=True,
        timeout=timeout,
        env=e,
        input=input,
        cwd=cwd or ROOT,
    )


def inv(*args: str) -> subprocess.CompletedProcess:
    """``plantext ARGS`` in this process (for what cannot hang): the same result shape as ``cli``;
    an exception that escapes the command is re-raised (a traceback fails the test)."""
    from typer.testing import CliRunner

    from plantext.cli import app

    res = CliRunner().invoke(app, list(args))
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    return subprocess.CompletedProcess(args, res.exit_code, res.stdout_bytes, res.stderr_bytes)


def no_traceback(r: subprocess.CompletedProcess) -> str:
    err = r.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    return err


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("PLANTEXT_LANG", "en")


@pytest.fixture
def plans_dir(tmp_path):
    d = tmp_path / "plans"
    d.mkdir()
    (d / "a.txt").write_text(PLAN, encoding="utf-8")
    (d / "b.txt").write_text(OTHER, encoding="utf-8")
    return d


# -- special files ---------------------------------------------------------------------------


def test_a_fifo_is_refused_without_opening_it(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(IngestError, match="not a regular file .*named pipe") as e:
        load(str(fifo))  # with a plain open() this would wait for a writer forever
    assert isinstance(e.value, InputError) and e.value.path == str(fifo)


def test_a_fifo_in_a_folder_and_as_every_option_is_one_line(plans_dir, tmp_path):
    os.mkfifo(plans_dir / "z.txt")
    r = cli("split", str(plans_dir), "--format", "json", timeout=120)
    err = no_traceback(r)
    assert r.returncode == 1
    assert err.splitlines() == [f"plantext: {plans_dir / 'z.txt'}: not a regular file (a named pipe); not read"]
    assert sorted(p["source"] for p in json.loads(r.stdout)) == [str(plans_dir / "a.txt"), str(plans_dir / "b.txt")]

    pipe = tmp_path / "refs.fifo"
    os.mkfifo(pipe)
    r = cli("check", str(plans_dir / "a.txt"), "--against", str(pipe), "--format", "json", timeout=120)
    assert "not a regular file" in no_traceback(r) and r.returncode != 0
    r = cli("index", "add", str(plans_dir), "--db", str(tmp_path / "lib.db"), "--meta", str(pipe), timeout=120)
    assert "not a regular file" in no_traceback(r) and r.returncode == 2
    r = cli("index", "list", "--db", str(pipe), timeout=120)
    err = no_traceback(r)
    assert r.returncode == 2 and err.splitlines() == [
        f"plantext: {pipe}: not a regular file (a named pipe); not opened"
    ]
    r = cli("index", "add", str(plans_dir / "a.txt"), "--db", str(pipe), timeout=120)
    assert r.returncode == 2 and "not a regular file" in no_traceback(r)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_devices_as_inputs_are_one_line_each(device, plans_dir):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    r = cli("split", device, str(plans_dir / "a.txt"), "--format", "json", timeout=120)
    err = no_traceback(r)
    assert r.returncode == 1
    assert err.splitlines() == [f"plantext: {device}: not a regular file (a character device); not read"]
    assert [p["source"] for p in json.loads(r.stdout)] == [str(plans_dir / "a.txt")]


def test_stdin_is_read_up_to_the_limit(tmp_path):
    with open("/dev/zero", "rb") as zero:
        r = subprocess.run(
            [sys.executable, "-m", "plantext", "text", "-", "--max-size", "1MB"],
            stdin=zero,
            capture_output=True,
            timeout=60,
            env={**os.environ, "PLANTEXT_LANG": "en", "PYTHONPATH": str(ROOT)},
        )
    err = no_traceback(r)
    assert r.returncode != 0 and err.splitlines() == ["plantext: -: standard input too large (over the limit of 1 MB)"]
    r = cli("text", "-", input=PLAN.encode("utf-8"))
    assert r.returncode == 0 and r.stdout.decode("utf-8") == PLAN


# -- size limits and bombs ------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_by_its_size(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(PLAN * 200, encoding="utf-8")
    with pytest.raises(IngestError, match=r"file too large \(141.8 KB; the limit is 100 KB\)"):
        load(str(big), max_size=100_000)
    assert load(str(big), max_size=parse_size("10MB")).text == PLAN * 200
    r = inv("split", str(big), "--max-size", "100k", "--format", "json")
    assert r.returncode == 1 and "file too large" in no_traceback(r)
    r = inv("split", str(big), "--max-size", "lots")
    assert r.returncode == 2 and "not a size" in no_traceback(r)


def test_parse_size():
    assert [parse_size(x) for x in ("200MB", "1.5G", "500k", "1000", "2MiB", 7)] == [
        200_000_000,
        1_500_000_000,
        500_000,
        1000,
        2 * 1024 * 1024,
        7,
    ]
    for bad in ("", "-5MB", "0", "ten", "5 parsecs"):
        with pytest.raises(UsageError):
            parse_size(bad)


def _docx(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


_DOC_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
    b'wordprocessingml/2006/main"><w:body>'
)


def _peak(fn) -> tuple[BaseException, int]:
    tracemalloc.start()
    try:
        fn()
    except BaseException as e:  # noqa: BLE001
        err = e
    else:
        err = None
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return err, peak


def test_a_docx_whose_part_inflates_past_the_limit_is_refused_with_bounded_memory(tmp_path):
    para = "<w:p><w:r><w:t>每学期开展教师培训不少于两次。</w:t></w:r></w:p>".encode()
    body = _DOC_XML + para * 60_000 + b"</w:body></w:document>"  # ~4 MB of paragraphs
    path = tmp_path / "paragraphs.docx"
    path.write_bytes(_docx({"[Content_Types].xml": b"<Types/>", "word/document.xml": body}))
    assert path.stat().st_size < 200_000
    err, peak = _peak(lambda: load(str(path), max_size=1_000_000))
    assert isinstance(err, IngestError), err
    assert str(err).startswith(f"{path}: inflates too far: word/document.xml inflates to ")
    assert str(err).endswith(" MB (the limit is 1 MB)")
    assert peak < 20_000_000  # the part was never inflated

    # a part that inflates hundreds of times is a bomb even under the size limit
    bomb = tmp_path / "media.docx"
    bomb.write_bytes(
        _docx(
            {
                "[Content_Types].xml": b"<Types/>",
                "word/document.xml": _DOC_XML + para + b"</w:body></w:document>",
                "word/media/image1.bin": b"\0" * 30_000_000,
            }
        )
    )
    err, peak = _peak(lambda: load(str(bomb)))
    assert isinstance(err, IngestError) and "looks like a decompression bomb: word/media/image1.bin inflates" in str(
        err
    )
    assert peak < 20_000_000


def test_parts_together_past_the_limit_are_refused(tmp_path):
    parts = {"[Content_Types].xml": b"<Types/>", "word/document.xml": _DOC_XML + b"</w:body></w:document>"}
    parts |= {f"word/media/p{i}.bin": os.urandom(300_000) for i in range(5)}
    path = tmp_path / "many.docx"
    path.write_bytes(_docx(parts))
    from plantext.ingest import limits

    with pytest.raises(IngestError, match=r"inflates too far: its parts hold > 1 MB in all \(the limit is 1 MB\)"):
        limits.check(str(path), path.read_bytes(), 1_000_000)


def _pdf_with_stream(payload: bytes) -> bytes:
    """A one-page PDF whose content stream is ``payload`` Flate-compressed."""
    stream = zlib.compress(payload, 9)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def test_a_pdf_stream_that_inflates_past_the_limit_is_refused_quickly(tmp_path):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_pdf_with_stream(b" " * 40_000_000))  # 40 MB of content from ~40 KB
    assert path.stat().st_size < 100_000
    err, peak = _peak(lambda: load(str(path), max_size=5_000_000))
    assert isinstance(err, IngestError), err
    assert "inflates too far: a PDF stream (at byte" in str(err) and str(err).endswith("inflates past 5 MB")
    assert peak < 30_000_000  # inflated in 1 MB steps, never whole


# -- file names of any bytes -----------------------------------------------------------------

ODD_NAMES = [b"plan\xff\xfe.txt", b"esc\x1b[31mred\x07.txt", b"two\nlines.txt", b"\tlead.txt", b"=cmd.txt"]


@pytest.fixture
def odd_dir(tmp_path):
    d = tmp_path / "odd"
    d.mkdir()
    for i, name in enumerate(ODD_NAMES):
        text = PLAN if i % 2 == 0 else OTHER
        with open(os.path.join(os.fsencode(d), name), "wb") as fh:
            fh.write(text.replace("城", "东" * (i + 1), 1).encode("utf-8"))
    (d / "good.txt").write_text(PLAN.replace("城南", "河西"), encoding="utf-8")
    with open(os.path.join(os.fsencode(d), b"bad\x1b]0;title\x07.txt"), "wb") as fh:
        fh.write(b"")  # an unreadable file with a name that would drive the terminal
    return d


def test_odd_names_reach_every_output_safely(odd_dir, tmp_path):
    r = cli("split", str(odd_dir), "--format", "json", env={"PYTHONIOENCODING": "utf-8:strict"})
    err = no_traceback(r)
    assert r.returncode == 1  # the empty file
    assert "\x1b" not in err and "\x07" not in err and len(err.splitlines()) == 1
    assert "bad\\x1b]0;title\\x07.txt: empty file" in err
    rows = json.loads(r.stdout.decode("utf-8"))
    sources = {p["source"] for p in rows}
    assert len(sources) == 6 and str(odd_dir / "plan\\xff\\xfe.txt") in sources
    assert str(odd_dir / "esc\x1b[31mred\x07.txt") in sources  # JSON escapes the controls itself

    out = tmp_path / "run"
    r = inv("run", str(odd_dir), "-o", str(out))
    err = no_traceback(r)
    assert "\x1b" not in err
    for name in ("targets.csv", "targets.xlsx", "report.html"):
        if (out / name).exists():
            assert (out / name).stat().st_size > 0
    if (out / "targets.csv").exists():
        csv_text = (out / "targets.csv").read_text(encoding="utf-8-sig")
        assert "\n\t" not in csv_text and ",\t" not in csv_text  # a TAB-led name is neutralised
    if (out / "report.html").exists():
        assert "\x1b" not in (out / "report.html").read_text(encoding="utf-8")


def test_csv_neutralises_tab_and_cr_led_cells():
    from plantext.report.tables import Sheet, csv_bytes

    data = csv_bytes(Sheet("s", ["a"], [["\t=1+1"], ["\r@x"], ["="]])).decode("utf-8-sig")
    assert data.split("\r\n")[1] == "'\t=1+1" and "'\r@x" in data and data.rstrip().endswith("\n=")


def test_odd_names_in_a_library_batch(odd_dir, tmp_path):
    db = tmp_path / "lib.db"
    r = inv("index", "add", str(odd_dir), "--db", str(db))
    err = no_traceback(r)
    assert r.returncode == 1 and "\x1b" not in err  # only the empty file failed
    r = inv("index", "list", "--db", str(db), "--format", "json")
    no_traceback(r)
    sources = {e["source"] for e in json.loads(r.stdout)}
    assert len(sources) == 6 and str(odd_dir / "plan\\xff\\xfe.txt") in sources
    r = inv("index", "export", "--db", str(db), "-o", str(tmp_path / "exp"))
    no_traceback(r)
    assert r.returncode == 0 and len(list((tmp_path / "exp").glob("*.txt"))) == 6


def test_text_on_a_terminal_escapes_controls(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from plantext.cli import app, ingest_cmds

    path = tmp_path / "esc.txt"
    path.write_text(PLAN + "\x1b]0;owned\x07\x1b[2J尾\r\n", encoding="utf-8")
    monkeypatch.setattr(ingest_cmds, "stdout_is_terminal", lambda: True)
    res = CliRunner().invoke(app, ["text", str(path)])
    assert res.exit_code == 0 and "\x1b" not in res.stdout and "\x07" not in res.stdout
    assert res.stdout.endswith("\\x1b]0;owned\\x07\\x1b[2J尾\n")
    monkeypatch.setattr(ingest_cmds, "stdout_is_terminal", lambda: False)
    res = CliRunner().invoke(app, ["text", str(path)])
    assert "\x1b]0;owned\x07\x1b[2J尾" in res.stdout  # to a pipe or file: exactly the source text


def test_a_strict_utf8_stdout_gets_no_traceback(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    with open(os.path.join(os.fsencode(d), b"x\xff.txt"), "wb") as fh:
        fh.write(PLAN.encode("utf-8"))
    for fmt in ("json", "table"):
        # (wide enough that the long temporary path is not folded over two table lines)
        r = cli("split", str(d), "--format", fmt, env={"PYTHONIOENCODING": "utf-8:strict", "COLUMNS": "400"})
        no_traceback(r)
        assert r.returncode == 0 and b"x\\xff.txt" in r.stdout.replace(b"\\\\", b"\\")


# -- the same file twice ------------------------------------------------------------------------


def test_the_same_file_given_twice_is_one_input(plans_dir):
    a = plans_dir / "a.txt"
    (plans_dir / "link.txt").symlink_to(a)
    os.link(a, plans_dir.parent / "hard.txt")
    got = read_inputs(
        [str(a), str(a), "./" + os.path.relpath(a), str(plans_dir / "link.txt"), str(plans_dir.parent / "hard.txt")]
    )
    assert [s.path for s in got.sources] == [str(a)] and len(got.duplicates) == 4
    r = inv("similar", str(a), str(a), "--format", "json")
    no_traceback(r)
    assert json.loads(r.stdout)["pairs"] == []


# -- the library API ------------------------------------------------------------------------------


def test_api_wrong_types_are_usage_errors(plans_dir):
    import plantext

    a = str(plans_dir / "a.txt")
    got = plantext.read_inputs(a)  # a str is one path, not its characters
    assert [s.path for s in got.sources] == [a] and got.errors == []
    got = plantext.read_inputs(Path(a))
    assert [s.path for s in got.sources] == [a]
    src = plantext.load(a)
    plan = plantext.split(src)[0]
    for fn, arg, expect in [
        (plantext.load, 123, "expected a file path (str or os.PathLike), not int 123"),
        (plantext.load, None, "expected a file path"),
        (plantext.read_inputs, None, "expected a path or a list of paths, not None"),
        (plantext.read_inputs, [a, 5], "expected a path or a list of paths"),
        (plantext.split, a, "expected a Source (plantext.split"),
        (plantext.outline, src, "expected a Plan (plantext.outline), not Source"),
        (plantext.outline, None, "expected a Plan (plantext.outline), not None"),
        (plantext.targets, a, "expected a Plan (plantext.targets), not str"),
        (plantext.similar, a, "expected a list of Plans (plantext.similar), not str"),
        (plantext.similar, plan, "expected a list of Plans"),
        (plantext.check, [src], "split a Source into Plans first"),
        (plantext.check, None, "expected a list of Plans (plantext.check), not None"),
    ]:
        with pytest.raises(UsageError, match=None) as e:
            fn(arg)
        assert expect in str(e.value), (fn, str(e.value))
    assert plantext.outline(plan) and plantext.similar([plan]).pairs == []


def test_the_root_folder_is_not_walked():
    errors = []
    assert list(iter_paths("/", on_error=errors.append)) == []
    assert [str(e) for e in errors] == ["/: refusing to walk a system folder (/): name the folder that holds the plans"]
    got = read_inputs(["/proc"])
    assert got.plans == [] and "system folder (/proc)" in str(got.errors[0])


def test_a_folder_yields_at_most_max_files(plans_dir):
    errors = []
    assert len(list(iter_paths([str(plans_dir)], on_error=errors.append, max_files=1))) == 1
    assert "more than 1 files" in str(errors[0])


# -- smaller ---------------------------------------------------------------------------------------


def test_a_deeply_nested_page_keeps_its_text(tmp_path):
    for depth in (300, 3000):
        page = tmp_path / f"deep{depth}.html"
        body = "".join(f"<p>{line}</p>" for line in PLAN.splitlines())
        page.write_text(
            f"<html><head><title>t</title></head><body>{'<div>' * depth}{body}{'</div>' * depth}</body></html>",
            encoding="utf-8",
        )
        text = load(str(page)).text
        assert "全年组织集中培训不少于6次" in text and "3月20日前完成培训需求调查" in text


def test_a_utf8_page_declaring_utf16_is_read(tmp_path):
    page = tmp_path / "u16.html"
    page.write_bytes(
        (
            '<html><head><meta charset="utf-16"><title>教师培训计划</title></head><body>'
            + "".join(f"<p>{x}</p>" for x in PLAN.splitlines())
            + "</body></html>"
        ).encode("utf-8")
    )
    assert "每位教师参训学时不少于72学时" in load(str(page)).text


def test_control_characters_in_good_text_are_text(tmp_path):
    path = tmp_path / "del.txt"
    text = "".join(line + "\x7f\n" for line in PLAN.splitlines()).replace("二、", "\x01二、")
    path.write_text(text, encoding="utf-8")
    assert load(str(path)).text == text
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x01\x02\x03\x04abc\x05\x06\x07\x08" * 50)
    with pytest.raises(IngestError, match="binary file, not text"):
        load(str(junk))


# -- the library: damage, foreign files, read-only ---------------------------------------------------


@pytest.fixture
def library(plans_dir, tmp_path):
    db = tmp_path / "lib.db"
    r = inv("index", "add", str(plans_dir), "--db", str(db))
    assert r.returncode == 0, r.stderr
    return db


READ_COMMANDS = [
    ["index", "list"],
    ["index", "stats"],
    ["index", "check"],
    ["index", "export", "-o", "EXPORT.jsonl"],
    ["index", "remove", "x"],
]


def _all_commands(db: Path, tmp_path: Path, plans_dir: Path) -> list[list[str]]:
    cmds = [[*c[:-2], c[-2], str(tmp_path / c[-1])] if "-o" in c else c for c in READ_COMMANDS]
    return [[*c, "--db", str(db)] for c in cmds] + [
        ["index", "add", str(plans_dir / "a.txt"), "--db", str(db)],
        ["check", str(plans_dir / "a.txt"), "--index", str(db), "--format", "json"],
        ["similar", str(plans_dir / "a.txt"), "--index", str(db), "--format", "json"],
    ]


def _damage(kind: str, db: Path) -> None:
    if kind == "directory":
        db.mkdir()
    elif kind == "foreign":
        sqlite3.connect(db).execute("CREATE TABLE t(x)").connection.commit()
    elif kind == "text":
        db.write_text("name,year\n", encoding="utf-8")
    elif kind == "garbage":
        data = bytearray(db.read_bytes())
        for k in range(4096, len(data), 4096):  # every page after the first overwritten
            data[k : k + 200] = os.urandom(200)
        db.write_bytes(bytes(data))
    else:
        con = sqlite3.connect(db)
        if kind == "missing-table":
            con.execute("DROP TABLE bands")
        elif kind == "bad-version":
            con.execute("UPDATE meta SET value='three' WHERE key='schema_version'")
        elif kind == "bad-blobs":
            con.execute("UPDATE sources SET text=x'00ff00ff'")
            con.execute("UPDATE plans SET offsets=x'0102', signature=x'01'")
        con.commit()
        con.close()


@pytest.mark.parametrize(
    "kind", ["directory", "foreign", "text", "garbage", "missing-table", "bad-version", "bad-blobs"]
)
def test_every_index_command_gives_one_line_on_a_damaged_library(kind, library, plans_dir, tmp_path):
    db = library
    if kind in ("directory", "foreign", "text"):
        db = tmp_path / f"{kind}.db"
    _damage(kind, db)
    before = db.read_bytes() if db.is_file() else None
    for cmd in _all_commands(db, tmp_path, plans_dir):
        r = inv(*cmd)
        err = no_traceback(r)
        lines = [x for x in err.splitlines() if not x.startswith("plantext: warning")]
        if kind == "bad-blobs" and cmd[1] in ("list", "stats", "remove", "add"):
            continue  # what these read is intact (remove exits 1: no plan x; add skips a stored plan)
        assert r.returncode != 0, (cmd, err)
        assert any(x.startswith("plantext: ") and f"{db}: " in x for x in lines), (cmd, err)  # naming the file
    if before is not None and kind not in ("garbage", "bad-blobs", "missing-table", "bad-version"):
        assert db.read_bytes() == before  # nothing written into what is no library


def test_index_check_reports_damage_as_findings(library):
    con = sqlite3.connect(library)
    con.execute("UPDATE sources SET text=x'00ff00ff' WHERE rowid=1")
    con.execute("UPDATE plans SET signature=x'01' WHERE rowid=2")
    con.commit()
    con.close()
    r = inv("index", "check", "--db", str(library))
    err = no_traceback(r)
    assert r.returncode == 1
    assert any("stored text of source" in x for x in err.splitlines())
    assert any("signature is damaged" in x for x in err.splitlines())
    r = inv("index", "add", str(library.parent / "plans" / "a.txt"), "--db", str(library))
    no_traceback(r)  # skipped (already there); the damage is not in the pages SQLite checks


def test_an_empty_file_is_not_made_a_library_by_a_read(tmp_path, plans_dir):
    db = tmp_path / "empty.db"
    db.write_bytes(b"")
    for cmd in (["index", "list"], ["index", "stats"], ["index", "check"]):
        r = inv(*cmd, "--db", str(db))
        assert r.returncode != 0 and "an empty file, not a library" in no_traceback(r)
        assert db.read_bytes() == b""
    r = inv("check", str(plans_dir / "a.txt"), "--index", str(db))
    assert r.returncode != 0 and db.read_bytes() == b""
    r = inv("index", "add", str(plans_dir / "a.txt"), "--db", str(db))  # a write command may
    assert r.returncode == 0 and db.stat().st_size > 0


def test_a_read_only_library_is_readable_and_left_alone(library, plans_dir):
    con = sqlite3.connect(library)
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    before = library.read_bytes()
    os.chmod(library, 0o444)
    os.chmod(library.parent, 0o555)
    try:
        r = inv("index", "list", "--db", str(library), "--format", "json")
        assert r.returncode == 0 and len(json.loads(r.stdout)) == 2, no_traceback(r)
        for cmd in (["index", "stats"], ["index", "check"]):
            r = inv(*cmd, "--db", str(library))
            assert r.returncode == 0, no_traceback(r)
        r = inv("check", str(plans_dir / "b.txt"), "--index", str(library), "--format", "json")
        assert r.returncode == 0, no_traceback(r)
    finally:
        os.chmod(library.parent, 0o755)
        os.chmod(library, 0o644)
    assert library.read_bytes() == before  # no WAL switch, nothing written
    assert not Path(str(library) + "-wal").exists()


def test_export_keeps_every_stored_version_of_a_path(tmp_path):
    d = tmp_path / "v"
    d.mkdir()
    f = d / "plan.txt"
    f.write_text(PLAN, encoding="utf-8")
    db = tmp_path / "lib.db"
    assert inv("index", "add", str(f), "--db", str(db)).returncode == 0
    edited = f"学校工作计划 篇1\n{PLAN}学校工作计划 篇2\n{OTHER}"
    f.write_text(edited, encoding="utf-8")  # edited: now two plans, new ids
    r = inv("index", "add", str(f), "--db", str(db))
    assert r.returncode == 0, r.stderr
    out = tmp_path / "exp"
    r = inv("index", "export", "--db", str(db), "-o", str(out))
    assert r.returncode == 0, no_traceback(r)
    texts = sorted(p.read_text(encoding="utf-8") for p in out.glob("*.txt"))
    assert texts == sorted([PLAN, edited])
    import csv

    rows = list(csv.DictReader(io.StringIO((out / "manifest.csv").read_text(encoding="utf-8-sig"))))
    by_id = {r["id"]: r["path"] for r in rows}
    assert (out / by_id[str(f)]).read_text(encoding="utf-8") == PLAN
    assert (out / by_id[f"{f}#2"]).read_text(encoding="utf-8") == edited


def test_library_api_errors_are_library_errors(tmp_path):
    from plantext.index import Library

    with pytest.raises(LibraryError, match="is a folder"):
        Library(tmp_path)
    with pytest.raises(LibraryError, match="no such library"):
        Library(tmp_path / "none.db")
    lib = Library(tmp_path / "new.db", create=True)
    lib.close()
    with Library(tmp_path / "new.db") as lib, pytest.raises(LibraryError, match="read-only"):
        lib.add([])


# -- a full small disk ------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MB tmpfs (root only; skipped where the machine does not allow mounting)."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small disk needs root")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {r.stderr.decode(errors='replace').strip()}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def _fill(mnt: Path, leave: int = 0) -> None:
    fd = os.open(mnt / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    if leave:
        os.truncate(mnt / "filler", max(0, os.path.getsize(mnt / "filler") - leave))


def test_disk_full_in_outputs_is_one_line(small_disk, plans_dir):
    _fill(small_disk)
    for cmd in (
        ["split", str(plans_dir), "-o", str(small_disk / "plans.json")],
        ["targets", str(plans_dir), "-o", str(small_disk / "t.xlsx")],
        ["report", str(plans_dir), "-o", str(small_disk / "r.html")],
    ):
        r = cli(*cmd)
        err = no_traceback(r)
        assert r.returncode != 0 and "disk full" in err, (cmd, err)
        assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]  # no half file


def test_disk_full_in_index_add_leaves_the_library_as_it_was(small_disk, plans_dir, tmp_path):
    db = small_disk / "lib.db"
    assert cli("index", "add", str(plans_dir / "a.txt"), "--db", str(db)).returncode == 0
    before = json.loads(cli("index", "list", "--db", str(db), "--format", "json").stdout)
    big = tmp_path / "big"
    big.mkdir()
    for i in range(40):  # plans with distinct text: far more than the disk holds
        (big / f"p{i}.txt").write_text(PLAN.replace("城南", f"第{i}") + os.urandom(20000).hex(), encoding="utf-8")
    _fill(small_disk, leave=8192)
    r = cli("index", "add", str(big), "--db", str(db), "--batch", "100")
    err = no_traceback(r)
    assert r.returncode != 0 and "database or disk is full" in err and "cannot rollback" not in err
    (small_disk / "filler").unlink()
    assert json.loads(cli("index", "list", "--db", str(db), "--format", "json").stdout) == before
    assert cli("index", "check", "--db", str(db)).returncode == 0
    export = cli("index", "export", "--db", str(db), "-o", str(small_disk / "x.jsonl"))
    assert export.returncode == 0


def _lzw_encode(data: bytes) -> bytes:
    """PDF LZW (9 to 12-bit codes, early change), for a test stream."""
    table = {bytes([i]): i for i in range(256)}
    nxt, width, bits, nbits = 258, 9, 0, 0
    out = bytearray()

    def put(code: int) -> None:
        nonlocal bits, nbits
        bits = (bits << width) | code
        nbits += width
        while nbits >= 8:
            nbits -= 8
            out.append((bits >> nbits) & 0xFF)

    put(256)
    w = b""
    for c in data:
        wc = w + bytes([c])
        if wc in table:
            w = wc
            continue
        put(table[w])
        table[wc] = nxt
        nxt += 1
        if nxt >= 1 << width:
            if width == 12:
                put(256)
                table = {bytes([i]): i for i in range(256)}
                nxt, width = 258, 9
            else:
                width += 1
        w = bytes([c])
    put(table[w])
    put(257)
    if nbits:
        out.append((bits << (8 - nbits)) & 0xFF)
    return bytes(out)


def _pdf_with_raw_stream(stream: bytes, filters: bytes) -> bytes:
    """_pdf_with_stream with a stream already encoded by ``filters`` (a /Filter value)."""
    pdf = _pdf_with_stream(b"")
    empty = zlib.compress(b"", 9)
    pdf = pdf.replace(b"/Filter /FlateDecode", b"/Filter " + filters)
    return pdf.replace(b"stream\n" + empty + b"\nendstream", b"stream\n" + stream + b"\nendstream")


@pytest.mark.parametrize("kind", ["lzw", "ascii-hex-flate", "ascii85-flate", "run-length"])
def test_a_pdf_bomb_behind_other_filters_is_refused(tmp_path, kind):
    import base64

    payload = b"BT (x) Tj ET " * 800_000  # about 10 MB of content
    stream, filters = {
        "lzw": (lambda: _lzw_encode(payload), b"/LZWDecode"),
        "ascii-hex-flate": (lambda: zlib.compress(payload, 9).hex().encode() + b">", b"[/ASCIIHexDecode /FlateDecode]"),
        "ascii85-flate": (lambda: base64.a85encode(zlib.compress(payload, 9)) + b"~>", b"[/A85 /Fl]"),
        "run-length": (lambda: b"\x81 " * 80_000 + b"\x80", b"/RunLengthDecode"),
    }[kind]
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_pdf_with_raw_stream(stream(), filters))
    assert path.stat().st_size < 1_000_000
    with pytest.raises(IngestError) as e:
        load(str(path), max_size=5_000_000)
    assert e.value.key == "hostile.pdf_stream"


def test_an_lzw_pdf_within_the_limit_is_read(tmp_path):
    content = b"BT /F1 12 Tf 20 100 Td (LZW plan text) Tj ET"
    pdf = _pdf_with_raw_stream(_lzw_encode(content), b"/LZWDecode")
    from pdfminer.lzw import lzwdecode

    assert lzwdecode(_lzw_encode(content)) == content
    long = bytes(range(256)) * 100 + b"BT (x) Tj ET " * 10_000  # past 4096 codes: widths 9 to 12, a clear
    assert lzwdecode(_lzw_encode(long)) == long
    from plantext.ingest import limits

    limits.check("ok.pdf", pdf, 5_000_000)  # no error: 45 bytes decoded


def test_text_hash_is_the_hash_of_the_text(tmp_path):
    from plantext.ingest import sha256_text

    plan = "学校工作计划\n一、指导思想\n坚持立德树人。\n"
    cases = {
        "plain.txt": (plan.encode("utf-8"), {}),
        "bom.txt": (b"\xef\xbb\xbf" + plan.encode("utf-8"), {}),
        "gbk.txt": (plan.encode("gb18030") * 4, {}),
        "bad.txt": (
            plan.encode("utf-8") + b"\xff\xfe" + plan.encode("utf-8"),
            {"encoding": "utf-8", "errors": "replace"},
        ),
        "forced.txt": (plan.encode("utf-8"), {"encoding": "utf-8"}),
    }
    for name, (data, kw) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        src = load(str(path), **kw)
        assert src.sha256 == sha256_text(src.text), name
    # a control byte anywhere in the file still makes a file of them binary
    junk = tmp_path / "tail.txt"
    junk.write_bytes(plan.encode("utf-8") * 3 + b"\x00\x01\x02")
    with pytest.raises(IngestError, match="binary file, not text"):
        load(str(junk))
