"""Cold start: seconds of a fresh ``roi-in-a-box`` process, and where its imports go.

Run from the repo root:  .venv/bin/python bench/cold.py [--runs 10] [--no-bytecode] [--imports] [--against DIR]

Each command runs ``--runs`` times in a new interpreter; the median (and the fastest) is
reported, hyperfine-style, after one unmeasured warm-up run, as wall seconds and as the
process's CPU seconds (user + system; steadier than wall time on a shared machine).  The
warm-up fills compiled bytecode, kept in a private folder (``PYTHONPYCACHEPREFIX``) as an
installed wheel or any ordinary run has it, and the user cache folder (``disk_cache``).
``--no-bytecode`` runs with ``PYTHONDONTWRITEBYTECODE``, compiling the package from source
every time.  ``--imports`` prints, per command, the slowest imports by their own and
cumulative CPU time.  ``--against DIR`` times another checkout (say, the previous commit in
a ``git worktree``) interleaved with this one, run for run.  Nothing here is a test: tests
never time anything.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "sample_inputs" / "ledgerly_en.yaml"


def commands(out: Path) -> dict[str, list[str]]:
    """The measured commands, by the name the report gives them."""
    build = ["build", str(SPEC), "--force", "--out", str(out)]
    return {
        "check": ["check", str(SPEC)],
        "one-pager PDF": [*build, "--layout", "one_pager", "--format", "pdf"],
    }


def environment(pycache: Path | None) -> dict[str, str]:
    """The child's environment: bytecode cached in ``pycache``, or never written when None."""
    env = dict(os.environ)
    env.pop("PYTHONPYCACHEPREFIX", None)
    if pycache is None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def run(args: list[str], env: dict[str, str], *, prefix: bool = False, cwd: Path = ROOT) -> tuple[float, float, str]:
    """One fresh process (``python -m roi_in_a_box ARGS``, or ``python ARGS`` with ``prefix``):
    wall seconds, CPU seconds (user + system) and its stderr."""
    t0 = time.perf_counter()
    cmd = [sys.executable, *([] if prefix else ["-m", "roi_in_a_box"]), *args]
    with subprocess.Popen(cmd, env=env, cwd=cwd,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as proc:
        err = proc.stderr.read() if proc.stderr else ""
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    if proc.returncode:
        raise SystemExit(f"{args}: exit {proc.returncode}\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, err


def timed(args: list[str], env: dict[str, str], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of ``runs`` fresh processes, after one warm-up run."""
    run(args, env)
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu, _ = run(args, env)
        walls.append(wall)
        cpus.append(cpu)
    return walls, cpus


def median_seconds(args: list[str], runs: int, *, bytecode: bool = True) -> float:
    """Median seconds of a fresh process (for bench/run.py's report)."""
    with tempfile.TemporaryDirectory() as d:
        return statistics.median(timed(args, environment(Path(d) if bytecode else None), runs)[0])


# Run in the child: time every import in CPU seconds (``-X importtime`` measures wall time, which
# on a loaded machine says more about the neighbours than about the imports).
_HOOK = """
import importlib._bootstrap as b, runpy, sys, time
clock, stack, rows, real = time.process_time, [], [], b._find_and_load
def timed_load(name, import_):
    if name in sys.modules:
        return real(name, import_)
    stack.append(0.0)
    t0 = clock()
    try:
        return real(name, import_)
    finally:
        took = clock() - t0
        inner = stack.pop()
        if stack:
            stack[-1] += took
        rows.append((took, took - inner, len(stack), name))
b._find_and_load = timed_load
sys.argv = ['roi-in-a-box', *sys.argv[1:]]
try:
    runpy.run_module('roi_in_a_box', run_name='__main__', alter_sys=True)
finally:
    for row in rows:
        print('cold-import', *row, sep='\\t', file=sys.stderr)
"""


def import_table(args: list[str], env: dict[str, str], top: int) -> list[str]:
    """The ``top`` imports with the largest cumulative CPU time, with their own time beside it."""
    err = run(["-c", _HOOK, *args], env, prefix=True)[2]
    rows = [line.split("\t")[1:] for line in err.splitlines() if line.startswith("cold-import\t")]
    parsed = [(float(c), float(o), int(d), n) for c, o, d, n in rows]
    total = sum(c for c, _, d, _ in parsed if d == 0)
    out = [f"    imports: {total:.3f} s CPU ({len(parsed)} modules)"]
    out += [f"    {c * 1e3:8.1f} ms cum {o * 1e3:7.1f} ms own  {'  ' * d}{n}"
            for c, o, d, n in sorted(parsed, reverse=True)[:top]]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--no-bytecode", action="store_true", help="compile the package from source in every run")
    ap.add_argument("--imports", action="store_true", help="also print the slowest imports of each command")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--against", type=Path, help="another checkout of the repo, timed interleaved with this one")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        env = environment(None if args.no_bytecode else tmp / "pycache")
        sides = {"this": (env, ROOT)}
        if args.against:  # (``-m`` puts the working folder first on sys.path)
            sides["against"] = (environment(None if args.no_bytecode else tmp / "pycache-against"),
                                args.against.resolve())
        print(f"fresh processes, median (fastest) of {args.runs}, "
              f"{'no bytecode cache' if args.no_bytecode else 'bytecode cached'}, load {os.getloadavg()[0]:.1f}")
        for name, cmd in commands(tmp / "out").items():
            for e, cwd in sides.values():
                run(cmd, e, cwd=cwd)  # warm-up: bytecode and the disk cache
            walls: dict[str, list[float]] = {s: [] for s in sides}
            cpus: dict[str, list[float]] = {s: [] for s in sides}
            for _ in range(args.runs):  # interleaved, so both sides see the same neighbours
                for side, (e, cwd) in sides.items():
                    wall, cpu, _ = run(cmd, e, cwd=cwd)
                    walls[side].append(wall)
                    cpus[side].append(cpu)
            for side in sides:
                label = name if len(sides) == 1 else f"{name} ({side})"
                print(f"  {label:<24} wall {statistics.median(walls[side]):.3f} s ({min(walls[side]):.3f} s)   "
                      f"CPU {statistics.median(cpus[side]):.3f} s ({min(cpus[side]):.3f} s)")
            if args.imports:
                print("\n".join(import_table(cmd, env, args.top)))


if __name__ == "__main__":
    main()
