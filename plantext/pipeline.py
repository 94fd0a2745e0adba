"""``plantext run``: every stage over the same inputs, in one place.

:func:`run` is the table of contents of ``plantext run``: read and split the inputs, attach their
metadata, then outline, targets, research tables, near-duplicates, the copy check, the library
check and the report. Each stage is a pure function from typed records to typed records (no file
names, no formats); its result goes into one typed :class:`Artifacts` object, and the writers of
:mod:`plantext.report.run_files` turn that object into the files of OUT.

- A stage that fails is reported (one error line) and the others still run; the files of a
  failed stage or writer are never listed as written.
- Every file is written into a temporary folder inside OUT and moved into OUT when the run ends,
  so an interrupted run (Ctrl-C) leaves nothing half written; a ``force`` run removes the outputs
  of an older run that this run did not write (an old ``errors.txt``).
- ``jobs`` worker processes read and split the files, outline, find targets, segment the plans
  for the research tables and run the copy check (per file or per plan work; the check's index is
  built once and shared by forking); the results are the same as with one process, in the same
  order. Near-duplicates (``similar``) are numpy passes over the whole corpus, in this process.

The same stage functions (:func:`read`, :func:`outline_all`, :func:`targets_all`,
:func:`check_all` ...) are what a Spark or Dask adapter calls per partition.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import PlantextError, UsageError
from .i18n import tr
from .inputs import Inputs, read_inputs
from .lexicons import Resources, activate, current, use
from .model import DocumentCheck, Plan, Section, Target
from .report import run_files as W

if TYPE_CHECKING:  # pragma: no cover
    from .research.stage import Research
    from .similarity.similar import SimilarResult

__all__ = [
    "RunOptions",
    "RunResult",
    "Artifacts",
    "IndexCheck",
    "run",
    "read",
    "attach_meta",
    "outline_all",
    "targets_all",
    "research_tables",
    "similar_all",
    "read_references",
    "check_all",
    "peer_check",
    "index_check",
    "parallel_map",
    "default_jobs",
    "max_jobs",
]

T = TypeVar("T")
R = TypeVar("R")
MIN_PARALLEL = 8  # fewer items than this are not worth starting worker processes for


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover  (not Linux)
        return max(1, os.cpu_count() or 1)


def max_jobs() -> int:
    """The most worker processes started: one per core (at least two). More only cost memory,
    and ``--jobs 100000`` over 5,000 files must not start 5,000 processes."""
    return max(2, default_jobs())


@dataclass
class RunOptions:
    against: list[str] = field(default_factory=list)
    index: str | None = None
    add: bool = False
    meta: str | None = None
    meta_from_path: str | None = None
    encoding: str | None = None
    errors: str = "strict"
    force: bool = False
    jobs: int | None = None  # worker processes; None: default_jobs()
    quotes: tuple = ()  # quotation lines besides the shipped list (similarity.quotes.Line)
    resources: Resources | None = None  # the lexicons and tokenizers to use; None: the active set


@dataclass
class RunResult:
    written: list[str] = field(default_factory=list)
    failed: bool = False
    refused: bool = False
    timings: dict[str, float] = field(default_factory=dict)  # wall seconds per stage (its writer included)
    # CPU seconds per stage (its writer included): this process's and its finished worker processes'
    cpu: dict[str, float] = field(default_factory=dict)
    cpu_write: dict[str, float] = field(default_factory=dict)  # ... of which the stage's writer
    inputs: Inputs | None = None  # what was read: the submissions ...
    references: Inputs | None = None  # ... and the references (--against), when given
    checked: list[DocumentCheck] = field(default_factory=list)  # the check's results, for a summary
    peers: list[DocumentCheck] = field(default_factory=list)  # submissions against each other (with references)


@dataclass
class IndexCheck:
    """The inputs against a library, and what adding them did."""

    documents: list[DocumentCheck]
    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


@dataclass
class Artifacts:
    """Everything the stages of one run produced; ``None``: the stage did not run or failed."""

    inputs: Inputs
    against: list[str] = field(default_factory=list)  # the --against paths, as given
    outlines: dict[str, list[Section]] | None = None
    targets: dict[str, list[Target]] | None = None  # plan id -> targets, plans in input order
    research: Research | None = None
    similar: SimilarResult | None = None
    reference_inputs: Inputs | None = None  # the --against files, read once up front
    pages: list[Plan] = field(default_factory=list)  # template/collection pages among the inputs (references)
    check: list[DocumentCheck] | None = None  # the submissions against the references (else each other)
    # with references: the submissions against each other too, reported apart (copying between them)
    peers: list[DocumentCheck] | None = None
    index: IndexCheck | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def plans(self) -> list[Plan]:
        return self.inputs.plans

    @property
    def references(self) -> list[Plan]:
        return self.reference_inputs.plans if self.reference_inputs is not None else []

    def target_rows(self) -> list[Target]:
        """Every target, plan by plan in input order."""
        return [t for p in self.plans for t in (self.targets or {}).get(p.id, ())]

    def warn(self, msg: str) -> None:
        self.warnings.append(msg)


# -- the run ----------------------------------------------------------------------------------------


def run(
    paths: Sequence[str],
    out: str | Path,
    options: RunOptions | None = None,
    on_error: Callable[[BaseException | str], None] = lambda m: None,
    on_info: Callable[[str], None] = lambda m: None,
) -> RunResult:
    """Run every stage over ``paths`` and write the outputs into the folder ``out``."""
    opt = options or RunOptions()
    with use(opt.resources), _outputs_kept_apart():
        return _run(paths, out, opt, on_error, on_info)


@contextmanager
def _outputs_kept_apart() -> Iterator[None]:
    """During a run, what each stage produced is set apart from Python's cycle collector
    (``gc.freeze`` after every stage; :meth:`_Steps._timed`) and handed back to it at the end.

    The stages' outputs (texts, plans, sections, targets, the check's index) live until the run
    ends, and every full collection would walk all of them again: the collector's time would grow
    with the square of the corpus, not with it. Frozen, they also stay untouched in the worker
    processes a stage forks (the collector writes to every object it walks, which copies the
    memory pages the workers share with this process). Each stage's garbage is collected before
    its outputs are frozen, so nothing is kept that would have been freed."""
    try:
        yield
    finally:
        gc.unfreeze()


def _run(
    paths: Sequence[str],
    out: str | Path,
    opt: RunOptions,
    on_error: Callable[[BaseException | str], None],
    on_info: Callable[[str], None],
) -> RunResult:
    out = Path(out)
    s = _Steps(on_error, on_info)
    if not _usable(out, opt.force, s, paths):
        return s.result
    jobs = max(1, min(opt.jobs or default_jobs(), max_jobs()))
    try:
        folder = W.RunFolder(out)
    except OSError as e:  # OUT cannot be written: name OUT, not the temporary folder inside it
        from .report.files import output_error

        s.refuse(output_error(out, e))
        return s.result
    try:
        art = Artifacts(
            s.stage("read", read, paths, opt.encoding, opt.errors, jobs, on_error=s.error, exclude=(out,)) or Inputs(),
            against=list(opt.against),
        )
        art.reference_inputs = s.stage(
            "references", read_references, opt.against, opt.encoding, opt.errors, on_error=s.error
        )
        s.stage(
            "meta",
            attach_meta,
            art.plans,
            opt.meta,
            opt.meta_from_path,
            on_warning=s.warning,
            references=art.references,
        )
        s.write(folder, "split", W.write_plans, art)  # plans.json, errors.txt
        s.write(folder, "clean", W.write_cleaning, art)  # cleaning.csv
        art.outlines = s.stage("outline", outline_all, art.plans, jobs)
        s.write(folder, "outline", W.write_outline, art, art.outlines)  # outline.json
        art.targets = s.stage("targets", targets_all, art.plans, art.outlines, jobs)
        s.write(folder, "targets", W.write_targets, art, art.targets)  # targets.xlsx, targets.csv
        s.info(art.targets is not None and _targets_summary(art.target_rows()))
        art.research = s.stage("research", research_tables, art.plans, art.outlines, jobs)
        s.write(folder, "research", W.write_research, art, art.research)  # terms, sections, plots
        s.info(_research_summary(art))
        art.similar = s.stage("similar", similar_all, art.plans)
        s.write(folder, "similar", W.write_similar, art, art.similar)  # similar.json, similar.xlsx
        s.info(
            art.similar is not None
            and tr("run.similar", pairs=len(art.similar.pairs), clusters=len(art.similar.clusters))
        )
        # template/collection pages among the inputs are sources to check against, not submissions
        subs, pages = collections_apart(art.inputs)
        art.pages = pages
        if pages:
            s.info(tr("run.pages_as_references", n=len({p.source.path for p in pages}), plans=len(pages)))
        quotes = {"quotes": opt.quotes} if opt.quotes else {}
        refs = [*pages, *art.references]
        art.check = s.stage("check", check_all, subs, refs, jobs=jobs, **quotes)
        if refs and len(subs) > 1:  # copying between submissions, apart from the ratio against the sources
            art.peers = s.stage("peers", peer_check, subs, jobs=jobs, **quotes)
        s.write(folder, "check", W.write_check, art, art.check)  # check.json
        if opt.index:  # after the check, so that added plans are not their own source
            art.index = s.stage("index", index_check, opt.index, art.plans, opt.add)
            s.write(folder, "index", W.write_index_check, art, art.index)  # index_check.json
            s.info(_index_summary(opt, art.index))
            for msg in art.index.refused if art.index else ():
                s.error(msg)
        s.write(folder, "report", W.write_report, art, art.check)  # report.html
        folder.publish()
    finally:
        folder.discard()
    s.result.written = list(folder.written)
    s.result.inputs, s.result.references, s.result.checked = art.inputs, art.reference_inputs, art.check or []
    s.result.peers = art.peers or []
    on_info(
        tr("run.wrote", plans=len(art.plans), files=len(art.inputs.sources), names=", ".join(folder.written), out=out)
    )
    return s.result


class _Steps:
    """Runs stages and writers: one error line for a failure, the others go on; times each."""

    def __init__(self, on_error: Callable[[BaseException | str], None], on_info: Callable[[str], None]) -> None:
        self.on_error = on_error
        self.on_info = on_info
        self.result = RunResult()

    def error(self, err: BaseException | str) -> None:
        self.result.failed = True
        self.on_error(err)

    def refuse(self, err: BaseException | str) -> None:
        """The run cannot start (OUT unusable): one error line, nothing read or written."""
        self.error(err)
        self.result.refused = True

    def warning(self, msg: str) -> None:
        self.on_info(tr("run.warning", msg=msg))

    def info(self, msg: str | bool | None) -> None:
        if isinstance(msg, str) and msg:
            self.on_info(msg)

    def _timed(self, name: str, fn: Callable[..., R], *args: Any, is_writer: bool = False, **kwargs: Any) -> R | None:
        t, c = time.perf_counter(), _cpu_seconds()
        try:
            return fn(*args, **kwargs)
        except PlantextError as e:
            self.error(e)
        except Exception as e:  # one stage's failure must not lose the others' outputs
            self.error(tr("cmd.stage_failed", stage=name, why=f"{type(e).__name__}: {e}"))
        finally:
            self.result.timings[name] = self.result.timings.get(name, 0.0) + time.perf_counter() - t
            spent = _cpu_seconds() - c
            self.result.cpu[name] = self.result.cpu.get(name, 0.0) + spent
            if is_writer:
                self.result.cpu_write[name] = self.result.cpu_write.get(name, 0.0) + spent
            # what the stage made lives on: its garbage collected (one walk over what is not
            # frozen yet: this stage's objects), the rest set apart from later collections
            gc.collect()
            gc.freeze()
        return None

    def stage(self, name: str, fn: Callable[..., R], *args: Any, **kwargs: Any) -> R | None:
        return self._timed(name, fn, *args, **kwargs)

    def write(
        self,
        folder: W.RunFolder,
        name: str,
        writer: Callable[[Path, Artifacts], Iterable[str]],
        art: Artifacts,
        needs: object = True,
    ) -> None:
        """Run ``writer`` unless the artifact it ``needs`` is missing (its stage failed)."""
        if needs is None:
            return
        self._timed(name, folder.write, writer, art, is_writer=True)
        for w in art.warnings:
            self.on_info(tr("run.warning", msg=w))
        art.warnings.clear()


def _cpu_seconds() -> float:
    """CPU seconds of this process and of its worker processes that have ended (a stage's pool
    of workers is joined before the stage returns, so its work counts in the stage)."""
    try:
        import resource
    except ImportError:  # pragma: no cover  (not Unix)
        return time.process_time()
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _usable(out: Path, force: bool, s: _Steps, paths: Sequence[str] = ()) -> bool:
    """OUT is a folder that is empty (or may be overwritten) and is no input folder; leftovers
    of killed runs go."""
    if out.exists() and not out.is_dir():
        s.refuse(UsageError(key="cmd.not_a_folder", path=str(out)))
        return False
    real = os.path.realpath(out)
    if any(p != "-" and os.path.isdir(p) and os.path.realpath(p) == real for p in paths):
        s.refuse(UsageError(key="hostile.out_is_input_folder", path=str(out)))
        return False
    if out.exists():
        for p in W.RunFolder.leftovers(out):
            W.shutil.rmtree(p, ignore_errors=True)
        if not force and any(not p.name.startswith(W.TEMP_PREFIX) for p in out.iterdir()):
            s.refuse(UsageError(key="cmd.folder_not_empty", path=str(out), hint="hint.force_folder"))
            return False
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:  # a file in the way, no permission
        from .report.files import output_error

        s.refuse(output_error(out, e))
        return False
    return True


def _targets_summary(rows: Sequence[Target]) -> str:
    return tr("run.targets", rows=len(rows), flagged=sum(1 for t in rows if t.flags))


def _research_summary(art: Artifacts) -> str | None:
    r = art.research
    if r is None:
        return tr("run.research_none") if not art.plans else None
    return tr(
        "run.research", plans=len(r.plans), terms=r.distinct_terms, fields=", ".join(r.fields) or tr("run.no_field")
    )


def _index_summary(opt: RunOptions, res: IndexCheck | None) -> str | None:
    if res is None or not opt.add:
        return None
    return tr("run.library", path=opt.index, added=len(res.added), skipped=len(res.skipped))


# -- the stages ---------------------------------------------------------------------------------------


def parallel_map(fn: Callable[[T], R], items: Sequence[T], jobs: int = 1) -> list[R]:
    """``[fn(x) for x in items]``, in ``jobs`` worker processes when that is worth it (same result,
    same order). ``fn`` must be picklable: a module-level function or a ``functools.partial`` of one."""
    if jobs <= 1 or len(items) < MIN_PARALLEL:
        return [fn(x) for x in items]
    workers = min(jobs, len(items), max_jobs())  # more processes than cores only cost memory
    # the workers read the lexicons of the caller's active set (pickled: its overrides only)
    with ProcessPoolExecutor(max_workers=workers, initializer=activate, initargs=(current(),)) as ex:
        return list(ex.map(fn, items, chunksize=max(1, len(items) // (workers * 4))))


def read(
    paths: Sequence[str],
    encoding: str | None = None,
    errors: str = "strict",
    jobs: int = 1,
    *,
    on_error: Callable[[BaseException], None] | None = None,
    exclude: Iterable[str | os.PathLike] = (),
) -> Inputs:
    """Read and split every input (``jobs`` processes); an unreadable file is an error, not a stop.
    ``exclude``: the output folder, when it is inside an input folder (never read back)."""
    return read_inputs(paths, encoding=encoding, errors=errors, on_error=on_error, jobs=jobs, exclude=exclude)


def attach_meta(
    plans: Sequence[Plan],
    meta: str | None,
    meta_from_path: str | None,
    *,
    on_warning: Callable[[str], None] = lambda m: None,
    references: Sequence[Plan] = (),
) -> None:
    """Metadata from a manifest and/or the paths, first, so that every stage's rows carry it;
    the references take theirs from the same manifest (school and year of a source)."""
    if not (meta or meta_from_path):
        return
    from .meta import apply_meta

    for w in apply_meta(list(plans), meta, meta_from_path, also=references).warnings(meta):
        on_warning(w)


def outline_all(plans: Sequence[Plan], jobs: int = 1) -> dict[str, list[Section]]:
    """The heading outline of every plan (plan id -> nodes)."""
    from .outline import outline

    return dict(zip([p.id for p in plans], parallel_map(outline, list(plans), jobs)))


def _plan_targets(item: tuple[Plan, list[Section] | None]) -> list[Target]:
    from .targets import targets  # the targets package's entry point: targets(plan, nodes)

    plan, nodes = item
    return targets(plan, nodes)


def targets_all(
    plans: Sequence[Plan], outlines: dict[str, list[Section]] | None = None, jobs: int = 1
) -> dict[str, list[Target]]:
    """The quantitative targets of every plan (plan id -> targets), read against its outline."""
    items = [(p, outlines.get(p.id) if outlines is not None else None) for p in plans]
    return dict(zip([p.id for p in plans], parallel_map(_plan_targets, items, jobs)))


def research_tables(plans: Sequence[Plan], outlines: dict[str, list[Section]] | None, jobs: int = 1) -> Research | None:
    """Terms, group comparisons and section coverage (None without plans); ``jobs`` processes
    segment the plans."""
    from .research.stage import research

    if outlines is None:
        outlines = outline_all(plans, jobs)
    return research(plans, outlines, jobs)


def similar_all(plans: Sequence[Plan]) -> SimilarResult:
    """Near-duplicate pairs and clusters among the plans."""
    from .similarity.similar import similar

    return similar(plans)


def read_references(
    against: Sequence[str],
    encoding: str | None = None,
    errors: str = "strict",
    *,
    on_error: Callable[[BaseException], None] | None = None,
) -> Inputs | None:
    """The reference files (``--against``), read once; unreadable ones reported once."""
    if not against:
        return None
    return read_inputs(against, encoding=encoding, errors=errors, on_error=on_error)


def collections_apart(inputs: Inputs) -> tuple[list[Plan], list[Plan]]:
    """(submissions, plans of template/collection pages). When every input is such a page, they
    are all submissions (checked against each other), so there is always something to check."""
    from .split import collection_page

    by_source: dict[int, list[Plan]] = {}
    for p in inputs.plans:
        by_source.setdefault(id(p.source), []).append(p)
    pages = [p for ps in by_source.values() if collection_page(ps[0].source, ps) for p in ps]
    if not pages or len(pages) == len(inputs.plans):
        return list(inputs.plans), []
    ids = {p.id for p in pages}
    return [p for p in inputs.plans if p.id not in ids], pages


def check_all(
    plans: Sequence[Plan], references: Sequence[Plan] = (), quotes: Sequence = (), jobs: int = 1
) -> list[DocumentCheck]:
    """Every plan against the references (computed once per run), exactly the call ``plantext
    check PLANS --against REFERENCES`` makes, so a plan's copy ratio is the same figure in both;
    without references, the plans against each other (``plantext check PLANS``). ``quotes``:
    quotation lines besides the shipped list. Copying between the plans when there are references
    is :func:`peer_check`, reported apart. ``jobs`` processes check the plans (the index is built
    once, the processes share it): the same results, in the same order."""
    from .similarity.check import check

    plans, references = list(plans), list(references)
    chunks = _check_chunks(plans, references, jobs)
    if chunks is None:
        return check(plans, references or None, quotes=quotes)
    from .guard import require_plans
    from .similarity.align import AlignParams, make_doc
    from .similarity.check import build_index

    require_plans(plans, "plantext.check")
    params = AlignParams()
    if references:
        index = build_index(require_plans(references, "plantext.check (references)"), params)
    else:  # the plans' own index, as check() builds it
        index = build_index(parallel_map(partial(make_doc, ngram=params.ngram), plans, jobs), params)
    return _forked(partial(_check_chunk, index=index, quotes=quotes), chunks)


def peer_check(plans: Sequence[Plan], quotes: Sequence = (), jobs: int = 1) -> list[DocumentCheck]:
    """The plans against each other (``plantext check PLANS`` without references): which
    submissions share text, whatever the references say."""
    return check_all(plans, (), quotes, jobs)


def _check_chunk(plans: list[Plan], index: Any, quotes: Sequence) -> list[DocumentCheck]:
    from .similarity.check import check

    return check(plans, index=index, quotes=quotes)


def _check_chunks(plans: list[Plan], references: list[Plan], jobs: int) -> list[list[Plan]] | None:
    """The plans cut into ``jobs`` runs for the check's processes, or None: one process (too
    few plans or jobs, no ``fork``). check() never takes a plan's source from its own document
    (``Plan.doc``), which it learns from the plans it is given: a run never cuts a document's
    plans apart, and a reference cut from a document among the plans keeps the check in one."""
    import multiprocessing as mp

    if jobs <= 1 or len(plans) < MIN_PARALLEL or "fork" not in mp.get_all_start_methods():
        return None
    docs = [getattr(p, "doc", "") for p in plans]
    if references and set(filter(None, docs)) & {getattr(r, "doc", "") for r in references} - {""}:
        return None
    size = -(-len(plans) // min(jobs, len(plans), max_jobs()))
    chunks: list[list[Plan]] = [[]]
    for k, p in enumerate(plans):
        if len(chunks[-1]) >= size and not (docs[k] and docs[k] == docs[k - 1]):
            chunks.append([])
        chunks[-1].append(p)
    return chunks if len(chunks) > 1 else None


def _forked(fn: Callable[[list[Plan]], list[R]], chunks: list[list[Plan]]) -> list[R]:
    """``fn`` of every chunk, concatenated: the first chunks in forked processes (which share the
    caller's memory as it is: an index built once is not copied or pickled), the last in this
    one. An exception in a process is raised here."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    procs = []
    done = False
    try:
        for chunk in chunks[:-1]:
            mine, theirs = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_send_result, args=(theirs, fn, chunk), daemon=True)
            proc.start()
            theirs.close()
            procs.append((proc, mine))
        last = fn(chunks[-1])
        out: list[R] = []
        for _proc, conn in procs:
            ok, got = conn.recv()
            if not ok:
                raise got
            out.extend(got)
        done = True
        return out + last
    finally:
        for proc, conn in procs:
            conn.close()
            if not done and proc.is_alive():  # this process failed first: the others' work is lost
                proc.kill()
            proc.join()


def _send_result(conn: Any, fn: Callable[[list[Plan]], list[R]], chunk: list[Plan]) -> None:
    try:
        res: tuple[bool, Any] = (True, fn(chunk))
    except BaseException as e:  # reported in the caller
        res = (False, e)
    conn.send(res)
    conn.close()


def index_check(library: str, plans: Sequence[Plan], add: bool = False) -> IndexCheck:
    """The plans against a library; with ``add``, then the plans into it."""
    from .index import Library, check_against

    with Library(library, create=add) as lib:
        res = IndexCheck(check_against(lib, plans))
        if add:
            rep = lib.add(plans)
            res.added, res.skipped, res.refused = list(rep.added), list(rep.skipped), list(rep.refused)
    return res
