"""Regenerate corpora/demo/ from the UTF-8 originals in corpora/src/.

The demo corpus is written for plantext (no text from real sites): it exercises several
encodings and line endings, a template-site page with a repeated plan, a document-sharing
page with page residue, a traditional-script plan, a plan copied from another with
disguises, stock phrases, targets and every heading style. The .docx/.pdf/.html files in
demo/ are made by tests/data/make_formats.py.

    python corpora/make_demo.py
"""

from pathlib import Path

import opencc

HERE = Path(__file__).resolve().parent
SRC, DEMO = HERE / "src", HERE / "demo"

# source file -> (demo path, encoding, newline)
LAYOUT = {
    "chengguan_2024.txt": ("2024/城关小学2024年教师培训计划.txt", "utf-8", "\n"),
    "dongshan_2024.txt": ("2024/东山中学2024年度教师培训工作计划.txt", "utf-8-sig", "\r\n"),
    "shiyan_2023_trad.txt": ("2023/实验中学2023年校本研修实施方案.txt", "big5", "\r\n"),
    "hexi_kindergarten_2023.txt": ("2023/河西幼儿园2023学年园本培训计划.txt", "gb18030", "\n"),
    "template_page.txt": ("pages/教师继续教育培训计划_范文网.txt", "gb18030", "\n"),
    "docshare_page.txt": ("pages/南江县2024年中小学教师培训工作要点_文库.txt", "utf-8", "\n"),
}


def xiling(text: str) -> str:
    """A re-titled copy of the Chengguan plan in traditional script with a few edits."""
    text = text.replace("城关小学", "西岭小学").replace("李明", "赵刚").replace("72学时", "60学时")
    text = text.replace("3.5万元", "2.8万元")
    return opencc.OpenCC("s2t").convert(text)


def main() -> None:
    for name, (rel, enc, nl) in LAYOUT.items():
        text = (SRC / name).read_text(encoding="utf-8")
        out = DEMO / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(text.replace("\n", nl).encode(enc))
    copy = xiling((SRC / "chengguan_2024.txt").read_text(encoding="utf-8"))
    (DEMO / "2024/西岭小学2024年教师培训计划.txt").write_bytes(copy.encode("utf-16"))


if __name__ == "__main__":
    main()
