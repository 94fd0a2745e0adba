"""Ingest + clean + split throughput on one core, in MB of .txt per second.

    python3 bench/bench_ingest.py [--plans 6000] [--per-page 2-9] [--repeat 3] [--profile] [--steps]

Writes a generated corpus into a temporary folder: plans from ``bench/corpus.py`` laid out as
template-site pages (several plans per file under 篇N / 标题N / repeated-title headers, with
breadcrumbs, stamps, blurbs, download buttons, link-list footers), document-sharing pages
(upload header, flattened text with page numbers cutting words), collection pages of plans
under their own titles, single plans, a share in
traditional script and with CRLF. Then times ``load`` + ``split`` (which cleans) file by file in
this process and prints MB/s (file bytes), plans/s, and how many pages split into the number of
plans they were built from. The target for .txt is >= 40 MB/s (#22).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

NUM_CN = "一二三四五六七八九十"
LEAK_WORDS = ("相关文章", "上一篇", "小编", "点击下载", "推荐度", "上传人", "版权所有", "我要投稿", "资源描述", "_第")
FOOTER_TITLES = (
    "学校安全工作计划",
    "班主任工作总结",
    "教研组工作计划",
    "德育工作方案",
    "少先队工作计划",
    "幼儿园保育工作计划",
    "图书室工作计划",
    "家长学校工作方案",
)


def _footer(rng: random.Random, topic: str) -> list[str]:
    lines = ["", f"【{topic}】相关文章："]
    for t in rng.sample(FOOTER_TITLES, 4):
        lines += ["", f"{t}{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"]
    lines += [
        "",
        "推荐度：",
        "点击下载文档文档为doc格式",
        "",
        f"上一篇：{rng.choice(FOOTER_TITLES)}",
        "",
        f"下一篇：{rng.choice(FOOTER_TITLES)}",
        "",
        "Copyright © 2024 范文网 版权所有 京ICP备00000000号",
    ]
    return lines


def collection_page(rng: random.Random, plans: list[str]) -> str:
    """Several plans under one page title; header style varies."""
    topic = plans[0].split("\n", 1)[0]
    style = rng.choice(("pian", "pian-cn", "numbered"))
    lines = [
        f"首页 > 范文大全 > 工作计划 > {topic[-4:]}",
        "",
        topic,
        "",
        f"发布时间：2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 10:2{rng.randint(0, 9)}:00  我要投稿",
        "",
        f"{topic}（精选{len(plans)}篇）",
        "",
        f"  新的学期开始了，下面是小编为大家整理的{topic}，仅供参考，欢迎大家阅读。",
        "",
    ]
    for i, plan in enumerate(plans, 1):
        head = {"pian": f"{topic} 篇{i}", "pian-cn": f"{topic}篇{NUM_CN[i - 1]}", "numbered": f"{topic}{i}"}[style]
        body = plan.split("\n", 1)[1]
        lines += [head, "", body.rstrip("\n"), ""]
        if rng.random() < 0.2:
            lines += ["  点击下载文档", ""]
    return "\n".join(lines + _footer(rng, topic)) + "\n"


def docshare_page(rng: random.Random, plan: str) -> str:
    """One plan flattened into page chunks that start with their page number."""
    title = plan.split("\n", 1)[0]
    flat = " ".join(ln.strip() for ln in plan.split("\n") if ln.strip())
    size = rng.randint(300, 500)
    chunks = [flat[i : i + size] for i in range(0, len(flat), size)]
    n = len(chunks)
    head = [
        title,
        "",
        f"上传人：ab****{rng.randint(10, 99)} 文档编号：{rng.randint(10**7, 10**8)} "
        f"上传时间：2023-09-01 格式：DOC 页数：{n} 大小：{rng.randint(20, 90)}KB",
        "返回 下载 相关 举报",
    ]
    for p in range(1, min(n, 3) + 1):
        head += [f"{title}_第{p}页", f"第{p}页 / 共{n}页"]
    head += [
        "点击查看更多>>",
        "资源描述",
        "",
        f"《{title}》由会员分享，可在线阅读，更多相关《{title}》请在本站搜索。",
        "",
    ]
    body = "\n\n".join(f"{i}、{' ' if i == 1 else ''}{c}" for i, c in enumerate(chunks, 1))
    tail = ["", "展开阅读全文", "相关资源", "当前位置：首页 > 中学教育 > 其它中学文档", "电脑版 | 某某文库版权所有"]
    return "\n".join(head) + "\n" + body + "\n" + "\n".join(tail) + "\n"


def build(directory: Path, n_plans: int, lo: int, hi: int, seed: int) -> tuple[list[Path], dict[Path, int]]:
    import opencc
    from corpus import generate

    s2t = opencc.OpenCC("s2t").convert
    rng = random.Random(seed)
    docs, _ = generate(n_plans, seed=seed, dup_rate=0.0)
    texts = [t for _, t in docs]
    paths, expect = [], {}
    i = 0
    while i < len(texts):
        kind = rng.random()
        if kind < 0.7:
            k = min(rng.randint(lo, hi), len(texts) - i)
            page, n = collection_page(rng, texts[i : i + k]), k
        elif kind < 0.8:
            page, n = docshare_page(rng, texts[i]), 1
        elif kind < 0.85:  # plans under a collection title, each under its own title line
            n = min(rng.randint(2, 3), len(texts) - i)
            page = f"教师培训计划（通用{n}篇）\n\n" + "\n".join(texts[i : i + n])
        else:
            page, n = texts[i], 1
        i += n
        if rng.random() < 0.1:
            page = s2t(page)
        newline = "\r\n" if rng.random() < 0.2 else "\n"
        p = directory / f"page_{len(paths):05d}.txt"
        p.write_bytes(page.replace("\n", newline).encode("utf-8"))
        paths.append(p)
        expect[p] = n
    return paths, expect


def run(paths):
    from plantext.ingest import load
    from plantext.split import split

    out = {}
    for p in paths:
        out[p] = split(load(str(p)))
    return out


def steps(paths, size: int, total: float, repeat: int) -> str:
    """The CPU time of ``load`` alone and of ``clean`` alone on the loaded sources (median of
    ``repeat`` runs each); split's own share is the rest of ``total`` (it cleans, then splits)."""
    from plantext.clean import clean
    from plantext.ingest import load

    loads, cleans = [], []
    for _ in range(repeat):
        c0 = time.process_time()
        sources = [load(str(p)) for p in paths]
        loads.append(time.process_time() - c0)
        c0 = time.process_time()
        for s in sources:
            clean(s)
        cleans.append(time.process_time() - c0)
    lo, cl = statistics.median(loads), statistics.median(cleans)
    return (
        f"steps (cpu, median of {repeat}): load {lo:.2f} s ({size / 1e6 / lo:.0f} MB/s), clean {cl:.2f} s, "
        f"split without clean {total - lo - cl:.2f} s (the rest of {total:.2f} s)"
    )


def n_plans(got) -> int:
    return sum(len(v) for v in got.values())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plans", type=int, default=6000)
    ap.add_argument("--per-page", default="2-9", help="plans per collection page, LO-HI")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3, help="timed runs; the median is printed")
    ap.add_argument("--profile", action="store_true", help="print the top functions (cProfile)")
    ap.add_argument(
        "--steps", action="store_true", help="also time load alone and clean alone (split is the rest of the total)"
    )
    a = ap.parse_args()
    lo, hi = map(int, a.per_page.split("-"))
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        paths, expect = build(Path(tmp), a.plans, lo, hi, a.seed)
        size = sum(p.stat().st_size for p in paths)
        print(
            f"corpus: {len(paths)} files, {a.plans} plans, {size / 1e6:.1f} MB "
            f"(built in {time.perf_counter() - t0:.1f} s)"
        )
        # warm the lazily built resources (rule regexes, character sets, OpenCC) outside the timing
        run(paths[:5])
        for p in paths:  # and the page cache
            p.read_bytes()
        prof = cProfile.Profile() if a.profile else None
        walls, cpus = [], []
        for _ in range(1 if prof else a.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            if prof:
                prof.enable()
            got = run(paths)
            if prof:
                prof.disable()
            walls.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
        dt, cpu = statistics.median(walls), statistics.median(cpus)
        print(
            f"ingest+clean+split (median of {len(walls)} runs): {dt:.2f} s wall, {cpu:.2f} s cpu; "
            f"{size / 1e6 / dt:.1f} MB/s wall, {size / 1e6 / cpu:.1f} MB/s cpu, {n_plans(got) / cpu:.0f} plans/s, "
            f"{len(paths) / cpu:.0f} files/s (one core; cpu time is the figure when other jobs share the "
            f"machine)"
        )
        if a.steps:
            print(steps(paths, size, cpu, a.repeat))
        n = sum(len(v) for v in got.values())
        ok = sum(len(got[p]) == expect[p] for p in paths)
        print(
            f"split check: {ok}/{len(paths)} pages gave the plans they were built from; "
            f"{n} plans found, {a.plans} built"
        )
        leaks = sum(any(w in p.view("clean").text for w in LEAK_WORDS) for ps in got.values() for p in ps)
        print(
            f"chrome check: {leaks} plans whose clean view holds a chrome word "
            f"({', '.join(LEAK_WORDS[:4])} ...; views built outside the timing)"
        )
        flags = Counter(f for ps in got.values() for p in ps for f in p.flags)
        print("plan flags: " + ", ".join(f"{k} {v}" for k, v in sorted(flags.items())))
        if prof:
            pstats.Stats(prof).sort_stats("tottime").print_stats(18)


if __name__ == "__main__":
    main()
