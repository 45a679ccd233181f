#!/usr/bin/env python3
"""Solves one MPS (or CPLEX LP) file with a peer MIP solver and prints one JSON line.

    solve_mps.py --solver highs|cbc --time-limit S [--threads 1] [--gap 1e-6] [--memory-gib 8] MODEL.mps

The line: {"solver", "version", "status", "objective", "bound", "gap", "seconds", "wall_seconds",
"nodes", "time_limit", "threads", "rel_gap", "memory_cap_gib", "message"}.

- status: "optimal" (proven within the relative gap), "time_limit" (stopped at the limit; objective
  and bound are what was found and proven by then), "infeasible", "killed" (the watchdog stopped the
  solver at the limit + a grace period), "out_of_memory" (the address-space cap), "unavailable" (the
  solver is not installed), "error".
- seconds: the solver's wall time from reading the file to the end of the search (HiGHS: around
  readModel + run in the solving process; CBC: the cbc process, which reads the file itself).
  wall_seconds: the same process measured from outside (Python start-up included for HiGHS).

HiGHS runs through highspy with threads=1, mip_rel_gap=GAP (the engine promises a relative gap of
1e-6), time_limit=S; CBC through its command-line binary: `cbc MODEL sec S ratio GAP threads N
solve solu FILE`. Each solver runs in a child process under a memory cap (RLIMIT_AS, as `prlimit
--as` does) and a wall-clock watchdog (S + 60 s: neither solver counts reading the file against
its limit). The exit status is 0 whenever a JSON line was printed.
"""

import argparse
import json
import math
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

GRACE_SECONDS = 60.0


def finite(x):
    return x if isinstance(x, (int, float)) and math.isfinite(x) else None


def cap_memory(gib):
    if gib and gib > 0:
        limit = int(gib * 1024 ** 3)
        def apply():
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        return apply
    return None


def result(solver, **fields):
    out = {"solver": solver, "version": None, "status": "error", "objective": None, "bound": None,
           "gap": None, "seconds": None, "wall_seconds": None, "nodes": None, "message": None}
    out.update(fields)
    return out


# ---------------------------------------------------------------- HiGHS

def highs_inner(args):
    """Runs in the capped child: reads and solves, prints the JSON line."""
    try:
        import highspy
    except ImportError as e:
        print(json.dumps(result("highs", status="unavailable", message="highspy not importable: %s" % e)))
        return
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", int(args.threads))
    h.setOptionValue("mip_rel_gap", float(args.gap))
    h.setOptionValue("time_limit", float(args.time_limit))
    version = h.version() if hasattr(h, "version") else None
    start = time.monotonic()
    status = h.readModel(args.model)
    if status == highspy.HighsStatus.kError:
        print(json.dumps(result("highs", version=version, message="HiGHS could not read %s" % args.model)))
        return
    h.run()
    seconds = time.monotonic() - start
    model_status = h.getModelStatus()
    info = h.getInfo()
    name = h.modelStatusToString(model_status)
    objective = finite(info.objective_function_value) if info.primal_solution_status == 2 else None
    bound = finite(getattr(info, "mip_dual_bound", None))
    gap = finite(getattr(info, "mip_gap", None))
    nodes = getattr(info, "mip_node_count", None)
    MS = highspy.HighsModelStatus
    if model_status == MS.kOptimal:
        st = "optimal"
    elif model_status == MS.kTimeLimit:
        st = "time_limit"
    elif model_status in (MS.kInfeasible,):
        st = "infeasible"
    elif model_status == MS.kMemoryLimit:
        st = "out_of_memory"
    else:
        st = "error"
    print(json.dumps(result("highs", version=version, status=st, objective=objective, bound=bound, gap=gap,
                            seconds=seconds, nodes=nodes, message=name)))


def run_highs(args):
    cmd = [sys.executable, os.path.abspath(__file__), "--inner", "--solver", "highs",
           "--time-limit", str(args.time_limit), "--threads", str(args.threads), "--gap", str(args.gap), args.model]
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           preexec_fn=cap_memory(args.memory_gib), timeout=args.time_limit + GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        return result("highs", status="killed", wall_seconds=time.monotonic() - start,
                      message="stopped by the watchdog at %g s" % (args.time_limit + GRACE_SECONDS))
    wall = time.monotonic() - start
    line = next((l for l in reversed(p.stdout.splitlines()) if l.startswith("{")), None)
    if line is None:
        oom = "MemoryError" in p.stderr or "bad_alloc" in p.stderr or p.returncode in (-signal.SIGABRT, -signal.SIGKILL)
        return result("highs", status="out_of_memory" if oom else "error", wall_seconds=wall,
                      message=("exit %d: " % p.returncode) + p.stderr.strip()[-500:])
    out = json.loads(line)
    out["wall_seconds"] = wall
    return out


# ---------------------------------------------------------------- CBC

def cbc_readable(path, tmp):
    """CBC's MPS reader takes free MPS (GLPK's --mps output) only when the NAME line says FREE;
    otherwise it reads fixed columns and rejects the file. A copy with "FREE" on the NAME line
    (made before the timed run) for an MPS file that lacks it; LP files and the rest as they are."""
    if not path.lower().endswith(".mps"):
        return path
    with open(path) as f:
        head = []
        for line in f:
            head.append(line)
            if line.startswith("NAME") or len(head) > 200:
                break
    name_line = next((l for l in head if l.startswith("NAME")), None)
    if name_line is None or "FREE" in name_line.split()[1:]:
        return path
    copy = os.path.join(tmp, "model.mps")
    with open(path) as src, open(copy, "w") as dst:
        done = False
        for line in src:
            if not done and line.startswith("NAME"):
                parts = line.split()
                line = "NAME %s FREE\n" % (parts[1] if len(parts) > 1 else "model")
                done = True
            dst.write(line)
    return copy


def run_cbc(args):
    cbc = shutil.which("cbc")
    if cbc is None:
        return result("cbc", status="unavailable", message="cbc is not installed (apt-get install coinor-cbc)")
    with tempfile.TemporaryDirectory(prefix="solve-mps-cbc-") as tmp:
        solution = os.path.join(tmp, "solution.txt")
        model = cbc_readable(args.model, tmp)
        cmd = [cbc, model, "sec", str(args.time_limit), "ratio", str(args.gap),
               "threads", str(args.threads), "solve", "solu", solution]
        start = time.monotonic()
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               preexec_fn=cap_memory(args.memory_gib), timeout=args.time_limit + GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            return result("cbc", status="killed", wall_seconds=time.monotonic() - start, seconds=time.monotonic() - start,
                          message="stopped by the watchdog at %g s" % (args.time_limit + GRACE_SECONDS))
        wall = time.monotonic() - start
        text = p.stdout
        first = ""
        if os.path.exists(solution):
            with open(solution) as f:
                first = f.readline().strip()
    version = None
    m = re.search(r"Version:\s*(\S+)", text)
    if m:
        version = m.group(1)
    # Summary lines: "Result - Optimal solution found", "Objective value: X", "Lower bound: Y",
    # "Enumerated nodes: N"; the solution file's first line: "Optimal - objective value X".
    def number(pattern):
        m = re.findall(pattern, text)
        try:
            return float(m[-1]) if m else None
        except ValueError:
            return None
    objective = number(r"Objective value:\s*(\S+)")
    bound = number(r"Lower bound:\s*(\S+)")
    nodes = number(r"Enumerated nodes:\s*(\S+)")
    m = re.match(r"(.*?)\s*-\s*objective value\s*(\S+)", first)
    result_line = re.search(r"Result - (.*)", text)
    summary = result_line.group(1).strip() if result_line else (m.group(1) if m else "")
    if m and objective is None:
        try:
            objective = float(m.group(2))
        except ValueError:
            pass
    low = (summary + " " + first).lower()
    if "optimal" in low and "stopped" not in low:
        status = "optimal"
        bound = objective if bound is None else bound
    elif "time" in low or "stopped on time" in low:
        status = "time_limit"
        if "no integer" in low or "no feasible" in low:
            objective = None
    elif "infeasible" in low:
        status = "infeasible"
        objective = None
    elif p.returncode != 0 and ("bad_alloc" in text or "memory" in text.lower() or p.returncode < 0):
        status = "out_of_memory"
    else:
        status = "error"
    gap = None
    if objective is not None and bound is not None:
        gap = abs(objective - bound) / max(1e-10, abs(objective))
    return result("cbc", version=version, status=status, objective=finite(objective), bound=finite(bound), gap=gap,
                  seconds=wall, wall_seconds=wall, nodes=int(nodes) if nodes is not None else None,
                  message=summary or ("exit %d" % p.returncode) + ": " + text.strip()[-300:])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--solver", choices=["highs", "cbc"], required=True)
    ap.add_argument("--time-limit", type=float, default=300.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--gap", type=float, default=1e-6, help="relative MIP gap (the engine promises 1e-6)")
    ap.add_argument("--memory-gib", type=float, default=8.0, help="address-space cap; 0 for none")
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("model")
    args = ap.parse_args()
    if args.inner:
        highs_inner(args)
        return
    if not os.path.exists(args.model):
        out = result(args.solver, message="no such file: %s" % args.model)
    elif args.solver == "highs":
        out = run_highs(args)
    else:
        out = run_cbc(args)
    out.update({"time_limit": args.time_limit, "threads": args.threads, "rel_gap": args.gap,
                "memory_cap_gib": args.memory_gib})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
