"""``plantext run``: read the inputs once, then run every stage over the same records.

Each stage is a function ``stage(ctx) -> None`` that writes its outputs into ``ctx.out``.
Stages share work through ``ctx.memo`` (an outline is computed once and read by targets,
check and the report). A stage that fails is reported and the others still run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any, Callable

from .errors import UsageError
from .inputs import Inputs, read_inputs
from .report.files import OutputExists, write_text
from .report.jsonout import dumps

# "module:function", in order. Each capability adds its stage here.
STAGES = [
    "plantext.run:stage_split",
    "plantext.clean:run_stage",
    "plantext.outline:run_stage",
    "plantext.report.targets_table:run_stage",
    "plantext.research:run_stage",
    "plantext.similarity.similar:run_stage",
    "plantext.similarity.check:run_stage",
    "plantext.index:run_stage",  # --index/--add: after the check, so added plans are not their own source
    "plantext.report.html:run_stage",  # keep last: reuses ctx.memo["check"] and ["targets"]
]


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


@dataclass
class RunContext:
    inputs: Inputs
    out: Path
    options: RunOptions
    info: Callable[[str], None]
    error: Callable[[str], None]
    memo: dict[str, Any] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)

    @property
    def plans(self):
        return self.inputs.plans

    def cached(self, key: str, fn: Callable[[], Any]) -> Any:
        if key not in self.memo:
            self.memo[key] = fn()
        return self.memo[key]

    def path(self, name: str) -> Path:
        self.written.append(name)
        return self.out / name

    def write_text(self, name: str, text: str) -> None:
        write_text(self.path(name), text, force=True)  # run() checked OUT once, up front


@dataclass
class RunResult:
    written: list[str] = field(default_factory=list)
    failed: bool = False
    refused: bool = False
    inputs: Inputs | None = None  # what was read: the submissions ...
    references: Inputs | None = None  # ... and the references (--against), when given
    checked: list[Any] = field(default_factory=list)  # the check's DocumentChecks, for a summary


def run(paths: list[str], out: str | Path, options: RunOptions | None = None,
        on_error: Callable[[BaseException | str], None] = lambda m: None,
        on_info: Callable[[str], None] = lambda m: None) -> RunResult:
    options = options or RunOptions()
    out = Path(out)
    result = RunResult()

    def error(msg: BaseException | str) -> None:
        result.failed = True
        on_error(msg)

    if out.exists() and not out.is_dir():
        error(f"{out}: exists and is not a folder")
        result.refused = True
        return result
    if out.exists() and any(out.iterdir()) and not options.force:
        error(UsageError("folder is not empty", path=str(out), hint="hint.force_folder"))
        result.refused = True
        return result
    out.mkdir(parents=True, exist_ok=True)
    inputs = read_inputs(paths, encoding=options.encoding, errors=options.errors, on_error=error)
    if options.meta or options.meta_from_path:  # metadata first, so every stage's rows carry it
        from .meta import MetaError, apply_meta

        try:
            for w in apply_meta(inputs.plans, options.meta, options.meta_from_path).warnings(options.meta):
                on_info(f"warning: {w}")
        except MetaError as e:
            error(e)
    ctx = RunContext(inputs, out, options, on_info, error)
    result.inputs = inputs
    if options.against:  # read once, up front: every stage checks against the same references
        result.references = read_inputs(options.against, encoding=options.encoding, errors=options.errors,
                                        on_error=lambda e: error(str(e)))
        ctx.memo["references"] = result.references.plans
    for spec in STAGES:
        mod, fn = spec.split(":")
        try:
            getattr(import_module(mod), fn)(ctx)
        except OutputExists as e:
            error(e)
        except Exception as e:  # one stage's failure must not lose the others' outputs
            error(f"stage {fn} failed: {type(e).__name__}: {e}")
    result.written = ctx.written
    result.checked = ctx.memo.get("check") or []
    on_info(f"{len(inputs.plans)} plans from {len(inputs.sources)} files; wrote {', '.join(ctx.written)} to {out}")
    return result


def stage_split(ctx: RunContext) -> None:
    ctx.write_text("plans.json", dumps([p.to_dict() for p in ctx.plans]))
    if ctx.inputs.errors:
        ctx.write_text("errors.txt", "".join(f"{e}\n" for e in ctx.inputs.errors))
