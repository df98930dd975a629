"""Comparison plots from asv's results (read through asv's own ``asv.results`` API).

    python scripts/plots.py                       # every figure, newest commit with data
    python scripts/plots.py --commit v0.7.6 --out docs/figures --machine vm-xeon-2cpu-24gb

Figures (PNG and SVG each): ``speedup`` (workload x backend/device/precision relative to numpy
on the CPU, median and interquartile range in each cell), ``scaling`` (time against bins,
log-log, IQR bands, crossovers marked), ``history`` (a benchmark across pyhf's commits, one
line per backend, the removals of tensorflow and pytorch marked), ``compile`` (first call
against steady state for the JIT backends) and ``nextstat`` (pyhf's best backend over
NextStat, per workload and device). A figure without data is not written, and said so.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import asv.results
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

plt.rcParams["svg.fonttype"] = "none"  # text stays text: searchable, smaller

REPO_ROOT = Path(__file__).resolve().parents[1]
# Commits of scikit-hep/pyhf that removed a backend (first commit without it).
REMOVALS = {"tensorflow": "a4eefc50", "pytorch": "c30e3376"}
BACKEND_COLORS = {
    "numpy": "tab:blue",
    "pytorch": "tab:red",
    "tensorflow": "tab:orange",
    "jax": "tab:green",
    "nextstat": "tab:purple",
}
DEVICE_STYLES = {"cpu": "-", "gpu": "--", "tpu": ":"}
# (label, pyhf benchmark, NextStat benchmark) for the speedup matrix and the NextStat ratios.
WORKLOADS = [
    ("model build", "bench_model.ModelBuild.time_model_build", "ModelBuild.time_model_build"),
    ("logpdf", "bench_likelihood.Logpdf.time_logpdf", "Logpdf.time_logpdf"),
    ("expected data", "bench_likelihood.ExpectedData.time_expected_data", None),
    (
        "logpdf gradient",
        "bench_likelihood.LogpdfGradient.time_logpdf_gradient",
        "LogpdfGradient.time_logpdf_gradient",
    ),
    ("MLE fit", "bench_fit.MLEFit.time_mle_fit", "MLEFit.time_mle_fit"),
    ("fixed-POI fit", "bench_fit.FixedPOIFit.time_fixed_poi_fit", None),
    ("hypotest", "bench_infer.Hypotest.time_hypotest", "Hypotest.time_hypotest"),
    ("upper limit", "bench_infer.UpperLimit.time_upper_limit", "UpperLimit.time_upper_limit"),
    (
        "grid scan (per point)",
        "bench_scan.GridScan.time_cls_per_signal_point",
        "GridScan.time_cls_per_signal_point",
    ),
]
FIRST_CALLS = [
    ("logpdf", "bench_accelerator.FirstCallLogpdf", "bench_likelihood.Logpdf.time_logpdf"),
    ("MLE fit", "bench_accelerator.FirstCallMLEFit", "bench_fit.MLEFit.time_mle_fit"),
    ("hypotest", "bench_accelerator.FirstCallHypotest", "bench_infer.Hypotest.time_hypotest"),
]


@dataclass(frozen=True)
class Measurement:
    machine: str
    commit: str
    date: int  # commit date, ms since the epoch (asv)
    stack: str
    benchmark: str
    params: tuple  # ((name, value), ...)
    value: float
    q25: float | None
    q75: float | None

    def param(self, name, default=None):
        return dict(self.params).get(name, default)


def _unquote(value: str):
    value = value.strip()
    if value.startswith("'") and value.endswith("'"):
        return value[1:-1]
    try:
        return int(value)
    except ValueError:
        return value


def load_measurements(results_dir: Path, machines: list[str] | None = None) -> list[Measurement]:
    """Every finite result of every benchmark, machine and commit in an asv results dir."""
    names = machines or sorted(
        p.name for p in results_dir.iterdir() if (p / "machine.json").is_file()
    )
    param_names = _param_names(results_dir)
    found = []
    for machine in names:
        for result in asv.results.iter_results_for_machine(str(results_dir), machine):
            stack = result.env_name.rsplit("PYHF_BENCHMARKS_STACK", 1)[-1]
            for key in result.get_all_result_keys():
                params = result.get_result_params(key)
                values = result.get_result_value(key, params)
                stats = result.get_result_stats(key, params)
                combos = list(itertools.product(*params)) if params else [()]
                names_ = param_names.get(key, [f"p{i}" for i in range(len(params))])
                for combo, value, stat in zip(combos, values, stats, strict=True):
                    if value is None or not math.isfinite(value):
                        continue
                    found.append(
                        Measurement(
                            machine,
                            result.commit_hash,
                            result.date,
                            stack,
                            key,
                            tuple(zip(names_, (_unquote(v) for v in combo), strict=True)),
                            value,
                            (stat or {}).get("q_25"),
                            (stat or {}).get("q_75"),
                        )
                    )
    return found


def _param_names(results_dir: Path) -> dict[str, list[str]]:
    path = results_dir / "benchmarks.json"
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {key: entry["param_names"] for key, entry in data.items() if isinstance(entry, dict)}


def resolve_commit(measurements: list[Measurement], commit: str | None, repo: str | None) -> str:
    """A full hash with results: ``commit`` (hash prefix, or a ref resolved in ``repo``), or the
    newest commit that has the most results."""
    hashes = {m.commit for m in measurements}
    if commit is None:
        counts = defaultdict(int)
        for m in measurements:
            counts[(m.date, m.commit)] += 1
        best = max(counts.values())
        return max(key for key, count in counts.items() if count >= best / 2)[1]
    matches = [h for h in hashes if h.startswith(commit)]
    if not matches and repo:
        resolved = subprocess.run(
            ["git", "-C", repo, "rev-parse", f"{commit}^{{commit}}"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        matches = [h for h in hashes if h == resolved]
    if len(matches) != 1:
        raise SystemExit(f"plots: commit {commit!r} has no results (or is ambiguous)")
    return matches[0]


def _save(fig, out: Path, name: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{name}.png", out / f"{name}.svg"]
    fig.savefig(paths[0], dpi=150, bbox_inches="tight")
    fig.savefig(paths[1], bbox_inches="tight")
    plt.close(fig)
    return paths


def _fmt_seconds(seconds: float) -> str:
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds * 1e9:.3g} ns"


def _spread(m: Measurement) -> str:
    if m.q25 is None or m.q75 is None or m.value <= 0:
        return ""
    return f"±{100 * (m.q75 - m.q25) / (2 * m.value):.0f}%"


def speedup_cells(ms: list[Measurement], commit: str, likelihood: str):
    """Rows (workloads), columns (backend, device, precision) and {(row, column): (speedup over
    numpy-cpu-64b or None where numpy has no number, measurement)} at one commit."""
    at = [m for m in ms if m.commit == commit and m.param("likelihood") == likelihood]
    rows, cells = [], {}
    for label, key, _ in WORKLOADS:
        by_column = {
            (m.param("backend"), m.param("device"), m.param("precision", "64b")): m
            for m in at
            if m.benchmark == key and m.param("optimizer", "scipy") == "scipy"
        }
        if not by_column:
            continue
        base = by_column.get(("numpy", "cpu", "64b"))
        rows.append(label)
        for column, m in by_column.items():
            cells[(label, column)] = (base.value / m.value if base else None, m)
    columns = sorted(
        {column for _, column in cells},
        key=lambda c: (list(BACKEND_COLORS).index(c[0]), c[1], c[2]),
    )
    return rows, columns, cells


def speedup_matrix(ms: list[Measurement], commit: str, likelihood: str, out: Path):
    """Workloads (rows) x backend/device/precision (columns), speedup over numpy-cpu-64b."""
    rows, columns, cells = speedup_cells(ms, commit, likelihood)
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(1.5 * len(columns) + 3, 0.75 * len(rows) + 2))
    grid = [
        [
            math.log10(cells[(r, c)][0]) if cells.get((r, c), (None,))[0] else math.nan
            for c in columns
        ]
        for r in rows
    ]
    image = ax.imshow(grid, cmap="RdBu", vmin=-1.5, vmax=1.5, aspect="auto")
    for i, r in enumerate(rows):
        for j, c in enumerate(columns):
            if (r, c) in cells:
                speedup, m = cells[(r, c)]
                ratio = f"×{speedup:.2g}" if speedup else "(no numpy)"
                text = f"{ratio}\n{_fmt_seconds(m.value)} {_spread(m)}"
            else:
                text = "n/a"
            ax.text(j, i, text, ha="center", va="center", fontsize=8)
    ax.set_xticks(range(len(columns)), ["\n".join(c) for c in columns])
    ax.set_yticks(range(len(rows)), rows)
    colorbar = fig.colorbar(image, ax=ax, shrink=0.8)
    colorbar.set_label("log10 speedup over numpy (cpu, 64b)")
    ax.set_title(
        f"pyhf {commit[:8]} on {likelihood}: speedup over numpy-cpu-64b\n"
        "cell: ×speedup, median time ± half the interquartile range"
    )
    return _save(fig, out, "speedup")


def scaling_curves(ms: list[Measurement], commit: str, out: Path):
    keys = [
        ("bench_scaling.UncorrelatedLogpdf.time_logpdf", "uncorrelated (1 channel)"),
        ("bench_scaling.SharedModifiersLogpdf.time_logpdf", "shared modifiers (10 channels)"),
    ]
    at = [m for m in ms if m.commit == commit]
    if not any(m.benchmark == key for key, _ in keys for m in at):
        return None
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5), sharey=True)
    for ax, (key, title) in zip(axes, keys, strict=True):
        series = defaultdict(list)
        for m in at:
            if m.benchmark == key:
                series[(m.param("backend"), m.param("device"))].append(m)
        for (backend, device), points in sorted(series.items()):
            points.sort(key=lambda m: m.param("n_bins"))
            x = [m.param("n_bins") for m in points]
            ax.plot(
                x,
                [m.value for m in points],
                DEVICE_STYLES[device],
                marker="o",
                color=BACKEND_COLORS[backend],
                label=f"{backend} ({device})",
            )
            if all(m.q25 is not None for m in points):
                ax.fill_between(
                    x,
                    [m.q25 for m in points],
                    [m.q75 for m in points],
                    color=BACKEND_COLORS[backend],
                    alpha=0.2,
                )
        if not _mark_crossovers(ax, series):
            ax.text(
                0.02,
                0.98,
                "no backend/device beats numpy (cpu) here",
                transform=ax.transAxes,
                va="top",
                fontsize=8,
            )
        ax.set(xscale="log", yscale="log", xlabel="bins", title=title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8, loc="lower right")
    axes[0].set_ylabel("logpdf time per call [s]")
    fig.suptitle(f"pyhf {commit[:8]}: logpdf against the number of bins (median, IQR band)")
    return _save(fig, out, "scaling")


def _mark_crossovers(ax, series) -> bool:
    """Where another backend/device first beats numpy on the CPU as bins grow; False if none."""
    marked = False
    base = {m.param("n_bins"): m.value for m in series.get(("numpy", "cpu"), [])}
    for (backend, device), points in series.items():
        if (backend, device) == ("numpy", "cpu"):
            continue
        for m in points:
            n = m.param("n_bins")
            if n in base and m.value < base[n]:
                ax.axvline(n, color=BACKEND_COLORS[backend], alpha=0.3, lw=1)
                ax.annotate(
                    f"{backend}/{device} < numpy from {n}",
                    (n, m.value),
                    fontsize=7,
                    color=BACKEND_COLORS[backend],
                    rotation=90,
                    va="bottom",
                )
                marked = True
                break
    return marked


def history(ms: list[Measurement], key: str, likelihood: str, out: Path, repo: str | None):
    at = [
        m
        for m in ms
        if m.benchmark == key
        and m.param("likelihood") == likelihood
        and m.param("device") == "cpu"
        and m.param("precision", "64b") == "64b"
    ]
    commits = sorted({(m.date, m.commit) for m in at})
    if len(commits) < 2:
        return None
    position = {commit: i for i, (_, commit) in enumerate(commits)}
    fig, ax = plt.subplots(figsize=(max(8, 0.45 * len(commits)), 4.5))
    for (backend, stack), points in sorted(_group(at, "backend", "stack").items()):
        points.sort(key=lambda m: position[m.commit])
        x = [position[m.commit] for m in points]
        ax.errorbar(
            x,
            [m.value for m in points],
            yerr=_iqr_errors(points),
            marker="o" if stack == "current" else "s",
            ls="-" if stack == "current" else "--",
            color=BACKEND_COLORS[backend],
            label=f"{backend} ({stack} stack)",
            capsize=2,
        )
    labels = [_commit_label(commit, repo) for _, commit in commits]
    for backend, removal in REMOVALS.items():
        index = next((i for i, (_, c) in enumerate(commits) if c.startswith(removal)), None)
        if index is not None:
            ax.axvline(index - 0.5, color=BACKEND_COLORS[backend], ls=":", lw=2)
            ax.text(index - 0.45, ax.get_ylim()[1], f"{backend} removed", rotation=90, va="top")
    ax.set_xticks(range(len(commits)), labels, rotation=60, ha="right", fontsize=8)
    ax.set(yscale="log", ylabel="seconds (median, IQR)", xlabel="pyhf commit (by commit date)")
    ax.set_title(f"{key.split('.', 1)[1]} on {likelihood}, cpu, 64b, across pyhf's history")
    ax.legend(fontsize=8, ncol=2)
    ax.grid(True, which="both", alpha=0.3)
    return _save(fig, out, "history")


def _group(ms, *names):
    grouped = defaultdict(list)
    for m in ms:
        grouped[tuple(m.stack if n == "stack" else m.param(n) for n in names)].append(m)
    return grouped


def _iqr_errors(points):
    if not all(m.q25 is not None for m in points):
        return None
    return [[m.value - m.q25 for m in points], [m.q75 - m.value for m in points]]


def _commit_label(commit: str, repo: str | None) -> str:
    if repo:
        tag = subprocess.run(
            ["git", "-C", repo, "describe", "--tags", "--exact-match", commit],
            capture_output=True,
            text=True,
        ).stdout.strip()
        if tag:
            return tag
    return commit[:8]


def compile_vs_steady(ms: list[Measurement], commit: str, likelihood: str, out: Path):
    at = [m for m in ms if m.commit == commit and m.param("likelihood") == likelihood]
    bars = []
    for label, first_prefix, steady_key in FIRST_CALLS:
        for backend in ("jax", "tensorflow"):
            first = _one(at, first_prefix, backend)
            steady = _one(at, steady_key, backend)
            if first and steady:
                bars.append((f"{label}\n{backend}", first.value, steady))
    if not bars:
        return None
    fig, ax = plt.subplots(figsize=(1.4 * len(bars) + 2, 4.5))
    x = range(len(bars))
    ax.bar([i - 0.2 for i in x], [b[1] for b in bars], 0.4, label="first call (trace + compile)")
    ax.bar(
        [i + 0.2 for i in x],
        [b[2].value for b in bars],
        0.4,
        yerr=_iqr_errors([b[2] for b in bars]),
        label="steady state (median, IQR)",
    )
    for i, (_, first, steady) in enumerate(bars):
        ax.text(i, first, f"×{first / steady.value:.0f}", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(list(x), [b[0] for b in bars])
    ax.set(yscale="log", ylabel="seconds")
    ax.set_title(f"pyhf {commit[:8]} on {likelihood} (cpu, 64b): compile vs steady state")
    ax.legend(fontsize=8)
    return _save(fig, out, "compile")


def _one(ms, benchmark_prefix, backend, device="cpu"):
    """The measurement of a benchmark (name or class prefix) on a backend, device, 64b."""
    for m in ms:
        if (
            m.benchmark.startswith(benchmark_prefix)
            and m.param("backend") == backend
            and m.param("device") == device
            and m.param("precision", "64b") == "64b"
            and m.param("optimizer", "scipy") == "scipy"
        ):
            return m
    return None


def nextstat_rows(ms: list[Measurement], commit: str, likelihood: str):
    """(label, pyhf's fastest 64b measurement, NextStat's) per workload and device."""
    at = [m for m in ms if m.commit == commit and m.param("likelihood", likelihood) == likelihood]
    rows = []
    for label, pyhf_key, nextstat_key in WORKLOADS:
        if nextstat_key is None:
            continue
        for device in ("cpu", "gpu"):
            theirs = [
                m
                for m in at
                if m.benchmark == f"bench_nextstat.{nextstat_key}" and m.param("device") == device
            ]
            ours = [
                m
                for m in at
                if m.benchmark == pyhf_key
                and m.param("device") == device
                and m.param("precision", "64b") == "64b"
            ]
            if theirs and ours:
                rows.append((f"{label} ({device})", min(ours, key=lambda m: m.value), theirs[0]))
    return rows


def nextstat_ratios(ms: list[Measurement], commit: str, likelihood: str, out: Path):
    """Per workload and device: pyhf's fastest backend's median over NextStat's, same run."""
    rows = nextstat_rows(ms, commit, likelihood)
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(rows) + 1.5))
    ratios = [best.value / theirs.value for _, best, theirs in rows]
    ax.barh(range(len(rows)), ratios, color="tab:purple")
    for i, ((_, best, theirs), ratio) in enumerate(zip(rows, ratios, strict=True)):
        ax.text(
            ratio,
            i,
            f" ×{ratio:.3g}  (pyhf {best.param('backend')} {_fmt_seconds(best.value)}"
            f" / NextStat {_fmt_seconds(theirs.value)})",
            va="center",
            fontsize=8,
        )
    ax.axvline(1, color="black", lw=1)
    ax.set_yticks(range(len(rows)), [r[0] for r in rows])
    ax.set(xscale="log", xlabel="pyhf's fastest backend time / NextStat time (median)")
    ax.set_title(
        f"pyhf {commit[:8]} against NextStat on {likelihood}\n"
        "(> 1: NextStat faster; only workloads where NextStat passed its parity checks)"
    )
    return _save(fig, out, "nextstat")


def markdown_tables(ms: list[Measurement], commit: str, likelihood: str) -> str:
    """The numbers behind the figures, as markdown (the case study embeds this text)."""
    rows, columns, cells = speedup_cells(ms, commit, likelihood)
    machines = ", ".join(sorted({m.machine for m in ms if m.commit == commit}))
    lines = [
        f"Speedup over numpy (cpu, 64b) at pyhf `{commit[:8]}` on {likelihood}, machine"
        f" {machines}: ×speedup (median time, IQR/median); no ×: numpy has no such"
        " benchmark or it is not in the default run. n/a: not measured, skipped or failed.",
        "",
        "| workload | " + " | ".join("/".join(c) for c in columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for row in rows:
        entries = []
        for column in columns:
            if (row, column) in cells:
                speedup, m = cells[(row, column)]
                iqr = f", {100 * (m.q75 - m.q25) / m.value:.0f} %" if m.q25 is not None else ""
                ratio = f"×{speedup:.3g} " if speedup else ""
                entries.append(f"{ratio}({_fmt_seconds(m.value)}{iqr})")
            else:
                entries.append("n/a")
        lines.append(f"| {row} | " + " | ".join(entries) + " |")
    ratios = nextstat_rows(ms, commit, likelihood)
    if ratios:
        lines += [
            "",
            "pyhf's fastest backend against NextStat, same run (ratio > 1: NextStat faster):",
            "",
            "| workload (device) | pyhf best | pyhf median | NextStat median | ratio |",
            "|---|---|---|---|---|",
        ]
        for label, best, theirs in ratios:
            lines.append(
                f"| {label} | {best.param('backend')} | {_fmt_seconds(best.value)} |"
                f" {_fmt_seconds(theirs.value)} | ×{best.value / theirs.value:.3g} |"
            )
    return "\n".join(lines) + "\n"


def embed(document: Path, text: str, block: str = "plots.py tables") -> bool:
    """Replace the text between ``<!-- {block}: begin -->`` and ``<!-- {block}: end -->`` in
    ``document``; False if it has no such block."""
    begin, end = f"<!-- {block}: begin -->", f"<!-- {block}: end -->"
    content = document.read_text(encoding="utf-8") if document.is_file() else ""
    if begin not in content or end not in content:
        return False
    head, rest = content.split(begin, 1)
    _, tail = rest.split(end, 1)
    document.write_text(f"{head}{begin}\n{text}{end}{tail}", encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=REPO_ROOT / "results")
    parser.add_argument("--machine", action="append", help="default: every machine")
    parser.add_argument("--commit", help="hash prefix or ref (with --repo); default: newest")
    parser.add_argument("--repo", help="a pyhf clone, for refs and tag labels")
    parser.add_argument("--likelihood", default="sbottom-RegionA")
    parser.add_argument("--history", default="bench_infer.Hypotest.time_hypotest")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs" / "figures")
    parser.add_argument(
        "--embed",
        type=Path,
        default=REPO_ROOT / "docs" / "case-study.md",
        help="a document whose tables block is rewritten with the numbers",
    )
    args = parser.parse_args(argv)
    ms = load_measurements(args.results, args.machine)
    if not ms:
        print(f"plots: no results in {args.results}", file=sys.stderr)
        return 1
    commit = resolve_commit(ms, args.commit, args.repo)
    made = {
        "speedup": speedup_matrix(ms, commit, args.likelihood, args.out),
        "scaling": scaling_curves(ms, commit, args.out),
        "history": history(ms, args.history, args.likelihood, args.out, args.repo),
        "compile": compile_vs_steady(ms, commit, args.likelihood, args.out),
        "nextstat": nextstat_ratios(ms, commit, args.likelihood, args.out),
    }
    for name, paths in made.items():
        print(f"{name:9s} " + (" ".join(map(str, paths)) if paths else "no data: not written"))
    tables = markdown_tables(ms, commit, args.likelihood)
    (args.out / "tables.md").write_text(tables, encoding="utf-8")
    print(
        f"tables    {args.out / 'tables.md'}"
        + (f", {args.embed}" if embed(args.embed, tables) else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
