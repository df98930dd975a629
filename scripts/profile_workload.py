"""Where the time of a workload goes, by pyhf component, per backend and device.

    python scripts/profile_workload.py                            # MLE fit + hypotest, sbottom A
    python scripts/profile_workload.py --workload hypotest --likelihood 1Lbb \\
        --backend numpy --backend jax --calls 3 --out docs/figures

Each (workload, backend, device) runs in its own process (one backend per process, as in the
suite), set up exactly as its benchmark (activation, model build,
JIT warm-up), then ``--calls`` timed calls run under cProfile. Self time of every function is
assigned to a component by where the function lives (first matching rule in ``COMPONENTS``)
and reported as shares of the total: a markdown table on stdout and a stacked bar figure.
``--device-profile`` adds the framework's own profiler: torch.profiler's operator table
(pytorch), a jax.profiler trace directory for TensorBoard/Perfetto (jax).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "scripts"))

# (component, substrings of "file:function" that place a function's self time there); the
# first match wins, so specific rules come before general ones.
COMPONENTS = [
    (
        "JIT tracing & compilation",
        (
            "jax/_src/interpreters/partial_eval",
            "jax/_src/interpreters/mlir",
            "jax/_src/compiler",
            "jax/_src/pjit",
            "jax/_src/linear_util",
            "polymorphic_function",
            "autograph",
        ),
    ),
    # cProfile cannot see inside a jitted call: its run time is the caller's self time.
    ("compiled objective + gradient (jax.jit call)", ("pyhf/optimize/opt_jax.py:func",)),
    (
        "host<->device transfer & sync",
        (
            "'tolist'",
            "'item' of",
            "'numpy' of",
            "block_until_ready",
            "device_get",
            "__array__",
            ":_value",
        ),
    ),
    (
        "autodiff / gradient",
        ("jax/_src/interpreters/ad", "torch/autograd", "backprop", "gradients_util"),
    ),
    ("optimizer (scipy / minuit)", ("scipy/optimize", "iminuit")),
    ("pyhf optimizer glue", ("pyhf/optimize",)),
    ("modifier interpolation", ("pyhf/interpolators", "pyhf/modifiers")),
    ("constraint terms", ("pyhf/constraints",)),
    (
        "likelihood evaluation (pyhf)",
        ("pyhf/pdf", "pyhf/probability", "pyhf/tensor", "pyhf/parameters"),
    ),
    ("inference logic (pyhf)", ("pyhf/infer",)),
    ("compiled kernels (C calls)", ("~:",)),
    (
        "framework Python (numpy/torch/TF/jax)",
        ("numpy/", "torch/", "tensorflow/", "jax/", "jaxlib/", "keras/", "scipy/"),
    ),
]
OTHER = "Python overhead (other)"


def component_of(filename: str, function: str) -> str:
    where = f"{filename.replace(os.sep, '/')}:{function}"
    for name, needles in COMPONENTS:
        if any(needle in where for needle in needles):
            return name
    return OTHER


def shares(profile: cProfile.Profile) -> tuple[dict[str, float], float]:
    """Self time by component (fractions) and the total profiled seconds."""
    stats = pstats.Stats(profile)
    by_component = defaultdict(float)
    for (filename, _, function), (_, _, self_time, _, _) in stats.stats.items():
        by_component[component_of(filename, function)] += self_time
    total = sum(by_component.values()) or 1.0
    return {name: seconds / total for name, seconds in by_component.items()}, total


def benchmark_for(workload: str):
    from benchmarks import bench_fit, bench_infer

    return {"mle_fit": bench_fit.MLEFit, "hypotest": bench_infer.Hypotest}[workload]


def profile_one(workload, backend, device, likelihood, calls, device_profile, out):
    os.environ["PYHF_BENCHMARKS_SLOW"] = "1"  # any combination, not only the default run's
    bench = benchmark_for(workload)()
    try:
        bench.setup(backend, device, "64b", likelihood)
    except NotImplementedError as exc:
        return None, f"skipped: {exc}"
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(calls):
        bench.timed()
    profile.disable()
    note = ""
    if device_profile:
        note = framework_profile(bench, backend, out / f"trace-{workload}-{backend}-{device}")
    return shares(profile), note


def framework_profile(bench, backend: str, trace_dir: Path) -> str:
    if backend == "pytorch":
        import torch

        with torch.profiler.profile() as prof:
            bench.timed()
        table = prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=12)
        trace_dir.parent.mkdir(parents=True, exist_ok=True)
        path = trace_dir.with_suffix(".txt")
        path.write_text(table, encoding="utf-8")
        return f"torch.profiler operator table: {path}"
    if backend == "jax":
        import jax

        with jax.profiler.trace(str(trace_dir)):
            bench.timed()
        return f"jax.profiler trace (TensorBoard/Perfetto): {trace_dir}"
    return ""


def profile_in_subprocess(workload, backend, device, args):
    """profile_one in a fresh interpreter; (shares, seconds per call) or None, and a note."""
    command = [sys.executable, __file__, "--one", workload, backend, device]
    command += [
        "--likelihood",
        args.likelihood,
        "--calls",
        str(args.calls),
        "--out",
        str(args.out),
    ]
    if args.device_profile:
        command.append("--device-profile")
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        return None, f"failed: {done.stderr.strip().splitlines()[-1:]}"
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    if answer["shares"] is None:
        return None, answer["note"]
    return (answer["shares"], answer["seconds"] / args.calls), answer["note"]


def markdown(rows) -> str:
    names = [name for name, _ in COMPONENTS] + [OTHER]
    used = [n for n in names if any(r[4].get(n, 0) >= 0.005 for r in rows)]
    header = "| workload | backend | device | s/call | " + " | ".join(used) + " |"
    lines = [header, "|" + "---|" * (4 + len(used))]
    for workload, backend, device, seconds, share in rows:
        cells = [f"{100 * share.get(n, 0):.0f} %" for n in used]
        lines.append(f"| {workload} | {backend} | {device} | {seconds:.3g} | " + " | ".join(cells))
    return "\n".join(line + (" |" if not line.endswith("|") else "") for line in lines)


def figure(rows, out: Path, title: str) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [name for name, _ in COMPONENTS] + [OTHER]
    labels = [f"{w}\n{b} ({d})\n{s:.2g} s/call" for w, b, d, s, _ in rows]
    fig, ax = plt.subplots(figsize=(1.6 * len(rows) + 4, 5))
    bottom = [0.0] * len(rows)
    colors = plt.get_cmap("tab20").colors
    for index, name in enumerate(names):
        values = [100 * r[4].get(name, 0.0) for r in rows]
        if not any(v >= 0.5 for v in values):
            continue
        ax.bar(labels, values, bottom=bottom, label=name, color=colors[index % len(colors)])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylabel("share of profiled self time [%]")
    ax.set_title(title)
    ax.legend(fontsize=8, bbox_to_anchor=(1.01, 1), loc="upper left")
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "profile.png", out / "profile.svg"]
    fig.savefig(paths[0], dpi=150, bbox_inches="tight")
    fig.savefig(paths[1], bbox_inches="tight")
    plt.close(fig)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", action="append", choices=["mle_fit", "hypotest"])
    parser.add_argument("--backend", action="append")
    parser.add_argument("--device", action="append")
    parser.add_argument("--likelihood", default="sbottom-RegionA")
    parser.add_argument("--calls", type=int, default=3)
    parser.add_argument("--device-profile", action="store_true")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs" / "figures")
    parser.add_argument(
        "--embed",
        type=Path,
        help="a document whose 'profile_workload.py table' block gets the table",
    )
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)  # workload backend device
    args = parser.parse_args(argv)
    if args.one:
        result, note = profile_one(
            *args.one, args.likelihood, args.calls, args.device_profile, args.out
        )
        shares_, seconds = result if result else (None, None)
        print(json.dumps({"shares": shares_, "seconds": seconds, "note": note}))
        return 0
    from benchmarks._support import devices

    rows = []
    for workload in args.workload or ["mle_fit", "hypotest"]:
        for backend in args.backend or list(devices.BACKENDS):
            for device in args.device or ["cpu"]:
                result, note = profile_in_subprocess(workload, backend, device, args)
                if note:
                    print(f"{workload} {backend} {device}: {note}", file=sys.stderr)
                if result is not None:
                    rows.append((workload, backend, device, result[1], result[0]))
    if not rows:
        print("profile_workload: nothing ran", file=sys.stderr)
        return 1
    table = markdown(rows)
    print(table)
    (args.out / "profile.md").parent.mkdir(parents=True, exist_ok=True)
    (args.out / "profile.md").write_text(table + "\n", encoding="utf-8")
    if args.embed:
        from plots import embed

        embed(args.embed, table + "\n", "profile_workload.py table")
    title = f"Where the time goes: {args.likelihood}, {args.calls} calls each, cProfile self time"
    print(" ".join(map(str, figure(rows, args.out, title))), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
