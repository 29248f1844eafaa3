#!/usr/bin/python3
"""Strong and weak scaling of innosim over thread counts; writes Google-Benchmark-format JSON and a PNG plot.

    bench/scaling.py [--innosim build/release/cli/innosim] [--threads 1,2,4,8,16] [--pin] [--out scaling]
                     [--repeat 3] [--quick]

Strong scaling: fixed problems (PHOLD configs A and B of shared/bench/PHOLD.md; one Gansu replication at
scale 10; an ensemble of 2 x max(threads) replications at scale 1). Weak scaling: problems that grow with the
threads (PHOLD with 4,096 LPs per thread; Gansu at scale 2 per thread). The host's ceiling: t one-thread PHOLD A
runs side by side, their summed rate against one alone, which is what t threads that share nothing could reach
(below t where cores share a physical core, caches, memory bandwidth or a turbo budget); strong/phold_A over it
is the engine's own efficiency. --pin runs each command under `taskset -c 0-(t-1)` (each side-by-side run on
its own core). On a 2-core machine use --threads 1,2; on an HPC node, 1 to 64 or 128.
"""
import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run(cmd, threads, pin):
    if pin:
        cmd = ["taskset", "-c", f"0-{threads - 1}"] + cmd
    t0 = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - t0
    return wall, out


def phold(innosim, lps, end, threads, pin):
    wall, out = run([innosim, "phold", "--lps", str(lps), "--end", str(end), "--threads", str(threads)], threads, pin)
    rate = float(re.search(r"events_per_second=([0-9.]+)", out).group(1))
    committed = int(re.search(r"committed=([0-9]+)", out).group(1))
    return {"seconds": committed / rate, "rate": rate, "wall": wall}


def side_by_side(innosim, lps, end, threads, pin):
    """The host's ceiling for `threads` threads: as many one-thread PHOLD runs at once, their rates summed. Cores
    that share a physical core, caches, memory bandwidth or a turbo budget make it less than threads x one run."""
    procs = []
    t0 = time.perf_counter()
    for k in range(threads):
        cmd = [innosim, "phold", "--lps", str(lps), "--end", str(end), "--threads", "1"]
        if pin:
            cmd = ["taskset", "-c", str(k)] + cmd
        procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True))
    outs = [p.communicate()[0] for p in procs]
    wall = time.perf_counter() - t0
    if any(p.returncode for p in procs):
        raise RuntimeError("a side-by-side PHOLD run failed")
    rate = sum(float(re.search(r"events_per_second=([0-9.]+)", o).group(1)) for o in outs)
    committed = sum(int(re.search(r"committed=([0-9]+)", o).group(1)) for o in outs)
    return {"seconds": committed / rate, "rate": rate, "wall": wall}


def gansu(innosim, scale, replications, threads, pin):
    wall, out = run([innosim, "run", os.path.join(ROOT, "scenarios", "baseline.yaml"), "--scale", str(scale),
                     "--replications", str(replications), "--threads", str(threads), "--no-output", "-q"], threads, pin)
    m = re.search(r"([0-9]+) events, ([0-9.]+) s on", out)
    events, seconds = int(m.group(1)), float(m.group(2))
    return {"seconds": seconds, "rate": events / seconds, "wall": wall}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--innosim", default=os.path.join(ROOT, "build", "release", "cli", "innosim"))
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--pin", action="store_true")
    ap.add_argument("--repeat", type=int, default=3, help="runs per point; the median is kept")
    ap.add_argument("--out", default="scaling")
    ap.add_argument("--quick", action="store_true", help="smaller problems (a smoke test)")
    args = ap.parse_args()
    threads = [int(t) for t in args.threads.split(",")]
    os.makedirs(args.out, exist_ok=True)
    q = args.quick
    cases = [
        ("strong/phold_A", lambda t: phold(args.innosim, 1024, 100 if q else 1000, t, args.pin)),
        ("ceiling/phold_A_side_by_side", lambda t: side_by_side(args.innosim, 1024, 100 if q else 1000, t, args.pin)),
        ("strong/phold_B", lambda t: phold(args.innosim, 16384, 5 if q else 20, t, args.pin)),
        ("strong/gansu_scale10", lambda t: gansu(args.innosim, 1 if q else 10, 1, t, args.pin)),
        ("strong/gansu_ensemble", lambda t: gansu(args.innosim, 0.2 if q else 1, 2 * max(threads), t, args.pin)),
        ("weak/phold_4096_lps_per_thread", lambda t: phold(args.innosim, 4096 * t, 20 if q else 100, t, args.pin)),
        ("weak/gansu_scale2_per_thread", lambda t: gansu(args.innosim, (0.2 if q else 2) * t, 1, t, args.pin)),
    ]
    benchmarks = []
    for name, fn in cases:
        base = None
        for t in threads:
            runs = [fn(t) for _ in range(args.repeat)]
            seconds = statistics.median(r["seconds"] for r in runs)
            rate = statistics.median(r["rate"] for r in runs)
            if base is None:
                base = {"seconds": seconds, "rate": rate}
            if name.startswith(("strong", "ceiling")):
                speedup = rate / base["rate"]
                efficiency = speedup / t * threads[0]
            else:  # weak: the same time per thread's share is ideal
                speedup = rate / base["rate"]
                efficiency = base["seconds"] / seconds
            benchmarks.append({"name": f"{name}/threads:{t}", "run_name": name, "run_type": "iteration",
                               "iterations": args.repeat, "real_time": seconds, "cpu_time": seconds, "time_unit": "s",
                               "threads": t, "items_per_second": rate, "speedup": speedup, "efficiency": efficiency})
            print(f"{name:34} threads={t:3} {seconds:8.3f} s {rate:14.0f} events/s speed-up {speedup:5.2f} "
                  f"efficiency {efficiency:5.2f}", flush=True)
    context = {"date": time.strftime("%Y-%m-%dT%H:%M:%S"), "host_name": platform.node(), "num_cpus": os.cpu_count(),
               "executable": args.innosim, "library_build_type": "release", "pinned": args.pin, "threads": threads}
    with open(os.path.join(args.out, "scaling.json"), "w") as f:
        json.dump({"context": context, "benchmarks": benchmarks}, f, indent=1)
    plot(benchmarks, threads, os.path.join(args.out, "scaling.png"))
    print("wrote", os.path.join(args.out, "scaling.json"))


def plot(benchmarks, threads, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib missing: no plot (the JSON has every figure)", file=sys.stderr)
        return
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    for name in dict.fromkeys(b["run_name"] for b in benchmarks):
        rows = [b for b in benchmarks if b["run_name"] == name]
        ts = [b["threads"] for b in rows]
        style = "-o" if name.startswith("strong") else ":^" if name.startswith("ceiling") else "--s"
        ax1.plot(ts, [b["speedup"] for b in rows], style, label=name)
        ax2.plot(ts, [b["efficiency"] for b in rows], style, label=name)
    ax1.plot(threads, threads, ":", color="grey", label="ideal (strong)")
    ax1.set_xlabel("threads"), ax1.set_ylabel("speed-up (events/s vs fewest threads)")
    ax2.set_xlabel("threads"), ax2.set_ylabel("efficiency")
    ax2.set_ylim(0, 1.2)
    ax1.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    print("wrote", path)


if __name__ == "__main__":
    main()
