"""Benchmark a base and a head ref of pyhf and say whether the head got slower.

    python scripts/review.py --repo ~/src/pyhf --base main --head my-branch
    python scripts/review.py --repo ~/src/pyhf --base v0.7.6 --head HEAD --rounds 12 -b Logpdf

Prints a markdown table (also to --summary FILE) and exits 1 when a benchmark got slower
beyond the threshold or started failing, 0 otherwise, 2 when the comparison itself could not
be made. asv's own exit codes cannot say this: `asv compare` always exits 0 and
`asv continuous` exits 2 for any failure, including an expected skip.

Why these statistics: on a shared 2-core machine one process's median can differ from
another's by 30 %, and asv's defaults (about 6 samples a side) cannot reach significance even
for a 2x slowdown. So base and head run in ``--rounds`` interleaved processes each (asv
``--interleave-rounds``), every sample is kept (``--record-samples``), and a benchmark is
"slower" only when BOTH the median head/base ratio exceeds ``--threshold`` AND a one-sided
test gives p < ``--alpha``. Each process is one observation (the fastest of its samples), so
the many samples inside one process cannot fake significance; and since asv runs round i of
base right next to round i of head, the test pairs them (Wilcoxon signed-rank on the log of
the per-round ratios), which cancels the slow drifts of a shared machine. (Mann-Whitney on the
per-process medians where the rounds do not pair up.)
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from itertools import product
from pathlib import Path

from scipy.stats import mannwhitneyu, wilcoxon

REPO_ROOT = Path(__file__).resolve().parents[1]
MACHINE = "review"
# Fast, sensitive, and on every pyhf commit: the likelihood on a published model, pyhf's
# benchmark model at 100 bins, a fit and a hypotest, all on numpy.
DEFAULT_BENCHMARKS = (
    r"(Logpdf\.time_logpdf|MLEFit\.time_mle_fit|Hypotest\.time_hypotest)"
    r"\('numpy', 'cpu', '64b', 'sbottom-RegionA'\)"
    r"|UncorrelatedLogpdf\.time_logpdf\('numpy', 'cpu', 100\)"
)


@dataclass
class Comparison:
    benchmark: str
    params: str
    base: list[float] | None  # one value per process; None: failed; []: skipped
    head: list[float] | None
    threshold: float
    alpha: float

    @property
    def paired(self) -> bool:
        return bool(self.base) and bool(self.head) and len(self.base) == len(self.head)

    @property
    def ratio(self) -> float:
        if not self.base or not self.head:
            return math.nan
        if self.paired:
            return statistics.median(h / b for h, b in zip(self.head, self.base))
        return statistics.median(self.head) / statistics.median(self.base)

    @property
    def p_value(self) -> float:
        """One-sided p-value for "head slower than base"."""
        if not self.base or not self.head:
            return math.nan
        if self.paired:
            logs = [math.log(h / b) for h, b in zip(self.head, self.base)]
            return wilcoxon(logs, alternative="greater").pvalue
        return mannwhitneyu(self.head, self.base, alternative="greater").pvalue

    @property
    def verdict(self) -> str:
        if self.head is None and self.base is not None:
            return "started failing"
        if self.head is None:
            return "failing (also on base)"
        if not self.head:
            return "skipped" if not self.base else "no longer runs (skipped)"
        if not self.base:
            return "new"
        if self.ratio > self.threshold and self.p_value < self.alpha:
            return "slower"
        if self.ratio < 1 / self.threshold and self.p_value > 1 - self.alpha:
            return "faster"
        return "unchanged"

    @property
    def is_regression(self) -> bool:
        return self.verdict in ("slower", "started failing")


def git(repo: str, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", repo, *args], capture_output=True, text=True, check=True
    ).stdout.strip()


def run_asv(args, repo: str, hashes: list[str], results: Path, rounds: int) -> None:
    hashfile = results / "hashes.txt"
    hashfile.write_text("\n".join(hashes) + "\n")
    local = [sys.executable, str(REPO_ROOT / "scripts" / "asv_local.py"), "--repo", repo]
    local += ["--results-dir", str(results), "--html-dir", str(results / "html")]
    for stack in args.stack or []:
        local += ["--stack", stack]
    if args.numpy_only:
        local.append("--numpy-only")
    asv = ["--", "run", "--machine", MACHINE, "--interleave-rounds", "--record-samples"]
    asv += ["-a", f"rounds={rounds}", "-a", f"repeat={args.samples}", "-a", "warmup_time=0.05"]
    asv += ["--show-stderr", "-b", args.bench, f"HASHFILE:{hashfile}"]
    subprocess.run(local + ["--", "machine", "--yes", "--machine", MACHINE], check=True)
    # asv exits non-zero when any benchmark failed; failures are read from the results.
    subprocess.run(local + asv, stdout=sys.stderr)


def per_process_minima(samples: list | None, value, per_process: int) -> list[float] | None:
    """One value per asv process, its fastest sample (interference only adds time), taken from
    the ``repeat`` samples asv appends for each round in turn; [] for a skip, None for a
    failure."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return []
    samples = samples or [value]
    chunks = [samples[i : i + per_process] for i in range(0, len(samples), per_process)]
    return [min(chunk) for chunk in chunks]


def load(results: Path, commit: str) -> dict:
    """{(benchmark, params): (value, samples)} for one commit, over all its environments."""
    found = {}
    for path in (results / MACHINE).glob(f"{commit[:8]}-*.json"):
        data = json.loads(path.read_text())
        columns = data["result_columns"]
        for name, row in data["results"].items():
            entry = dict(zip(columns, row))
            combos = list(product(*entry["params"])) or [()]
            samples = entry.get("samples") or [None] * len(combos)
            for combo, value, sample in zip(combos, entry["result"], samples):
                key = (name, ", ".join(combo))
                found[key] = (value, sample)
    return found


def compare(results: Path, base: str, head: str, args) -> list[Comparison]:
    base_results, head_results = load(results, base), load(results, head)
    comparisons = []
    for key in sorted(set(base_results) | set(head_results)):
        base_value, base_samples = base_results.get(key, (math.nan, None))
        head_value, head_samples = head_results.get(key, (math.nan, None))
        comparisons.append(
            Comparison(
                *key,
                per_process_minima(base_samples, base_value, args.samples),
                per_process_minima(head_samples, head_value, args.samples),
                args.threshold,
                args.alpha,
            )
        )
    return comparisons


def seconds(values: list[float] | None) -> str:
    if values is None:
        return "failed"
    if not values:
        return "n/a"
    median = statistics.median(values)
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if median >= scale:
            return f"{median / scale:.3g} {unit}"
    return f"{median * 1e9:.3g} ns"


def markdown(comparisons: list[Comparison], base: str, head: str, args) -> str:
    shown = [c for c in comparisons if c.verdict != "skipped"]
    lines = [
        f"### pyhf benchmarks: `{head[:8]}` (head) against `{base[:8]}` (base)",
        "",
        f"{args.rounds} interleaved processes per side, {args.samples} samples each; "
        f"slower = median head/base ratio > {args.threshold} and one-sided p < {args.alpha} "
        "(Wilcoxon signed-rank on per-round ratios of each process's fastest sample). "
        f"{len(comparisons) - len(shown)} skipped or unselected combinations not shown.",
        "",
        "| benchmark | parameters | base | head | ratio | p | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in shown:
        flag = " ❌" if c.is_regression else ""
        lines.append(
            f"| `{c.benchmark}` | {c.params} | {seconds(c.base)} | {seconds(c.head)} | "
            f"{c.ratio:.3f} | {c.p_value:.2g} | {c.verdict}{flag} |"
        )
    regressions = [c for c in comparisons if c.is_regression]
    lines += ["", f"**{len(regressions)} regression(s)**" if regressions else "No regression."]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", required=True, help="pyhf clone holding both refs")
    parser.add_argument("--base", required=True)
    parser.add_argument("--head", required=True)
    parser.add_argument("-b", "--bench", default=DEFAULT_BENCHMARKS, help="asv -b regex")
    parser.add_argument("--rounds", type=int, default=16, help="processes per side")
    parser.add_argument("--samples", type=int, default=5, help="samples per process")
    parser.add_argument("--threshold", type=float, default=1.05, help="slower above this ratio")
    parser.add_argument("--alpha", type=float, default=0.01, help="significance level")
    parser.add_argument("--stack", action="append", help="asv stack(s) to use (default: all)")
    parser.add_argument("--numpy-only", action="store_true", help="small numpy-only env")
    parser.add_argument("--results-dir", type=Path, help="keep asv's results here")
    parser.add_argument("--summary", type=Path, help="also write the markdown table here")
    args = parser.parse_args(argv)
    try:
        base, head = (
            git(args.repo, "rev-parse", f"{ref}^{{commit}}") for ref in (args.base, args.head)
        )
    except subprocess.CalledProcessError as exc:
        print(
            f"review: cannot resolve a ref in {args.repo}: {exc.stderr.strip()}", file=sys.stderr
        )
        return 2
    results = args.results_dir or Path(tempfile.mkdtemp(prefix="pyhf-review-"))
    results.mkdir(parents=True, exist_ok=True)
    try:
        run_asv(args, args.repo, [base, head], results, args.rounds)
    except subprocess.CalledProcessError as exc:
        print(f"review: asv failed ({exc})", file=sys.stderr)
        return 2
    comparisons = compare(results, base, head, args)
    if not comparisons:
        print("review: asv produced no results for these refs", file=sys.stderr)
        return 2
    table = markdown(comparisons, base, head, args)
    print(table)
    if args.summary:
        args.summary.write_text(table)
    return 1 if any(c.is_regression for c in comparisons) else 0


if __name__ == "__main__":
    sys.exit(main())
