"""Damaged and foreign result files: truncated, bit-flipped, overwritten, structurally altered and foreign HDF5
files given to `innosim report`. Each must end within 10 s, either refused (exit 2, a message naming the file and
the damage) or reported exactly as the intact file is (a change that left the data whole); never a crash, a hang
or a silently different report. Most cases run the report module in this process (one import of xarray);
a few go through the `innosim report` command. Bounded to about a minute."""
import contextlib
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

innosim, src = sys.argv[1], sys.argv[2]
sys.path.insert(0, f"{src}/analysis")
from innosim_analysis.__main__ import main  # noqa: E402

rng = random.Random(33)


class Hang(Exception):
    pass


def on_alarm(signum, frame):
    raise Hang()


signal.signal(signal.SIGALRM, on_alarm)


def report(path, out):
    """(exit code, stderr, seconds) of the report module on `path`, with a 10 s watchdog."""
    err = io.StringIO()
    t0 = time.monotonic()
    signal.alarm(10)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            rc = main(["report", path, "-o", out, "--no-figures"])
    except Hang:
        rc = "hang"
    except BaseException as e:  # noqa: B902 - anything escaping main() is a failure to report
        rc = f"exception {type(e).__name__}: {e}"
    finally:
        signal.alarm(0)
    return rc, err.getvalue(), time.monotonic() - t0


def targets_of(out):
    with open(f"{out}/report.json") as f:
        data = json.load(f)
    return json.dumps([data["targets"], data["costs"]], sort_keys=True, default=str)


failures, refused, same = [], 0, 0
with tempfile.TemporaryDirectory() as d:
    good = f"{d}/good.h5"
    subprocess.run([innosim, "run", f"{src}/scenarios/baseline.yaml", "--scale", "0.05", "--replications", "3", "-q",
                    "-o", good], check=True, stdout=subprocess.DEVNULL)
    rc, err, _ = report(good, f"{d}/good-report")
    assert rc == 0, err
    reference = targets_of(f"{d}/good-report")
    raw = open(good, "rb").read()
    mutants = []  # (name, bytes or a function that writes the file)
    for frac in (0.0005, 0.01, 0.05, 0.2, 0.4, 0.5, 0.6, 0.8, 0.95, 0.999):
        mutants.append((f"truncated at {frac:.1%}", raw[:int(len(raw) * frac)]))
    for _ in range(150):
        pos, bit = rng.randrange(len(raw)), rng.randrange(8)
        flipped = bytearray(raw)
        flipped[pos] ^= 1 << bit
        mutants.append((f"bit {bit} of byte {pos} flipped", bytes(flipped)))
    for _ in range(10):
        pos, n = rng.randrange(len(raw)), rng.choice([16, 64, 512])
        junk = bytearray(raw)
        junk[pos:pos + n] = bytes(rng.randrange(256) for _ in range(len(junk[pos:pos + n])))
        mutants.append((f"{n} bytes overwritten at {pos}", bytes(junk)))
    mutants += [("empty file", b""), ("text file", b"scenario: baseline\n" * 20), ("HDF5 signature only", raw[:8]),
                ("signature and zeros", raw[:8] + bytes(4096))]

    def foreign(path):
        with h5py.File(path, "w") as f:
            f["data"] = np.arange(10)
            f.attrs["title"] = "someone else's file"

    def netcdf(path):
        import xarray as xr

        xr.Dataset({"x": (("time",), np.arange(5.0))}).to_netcdf(path, engine="h5netcdf")

    def edit(change):
        def write(path):
            shutil.copy(good, path)
            with h5py.File(path, "r+") as f:
                change(f)
        return write

    def huge(f):
        del f["target_threshold"]
        f.create_dataset("target_threshold", shape=(10,), dtype="f8")
        f.create_dataset("huge", shape=(2 ** 40,), dtype="f8", chunks=(1024,))  # claims 8 TiB

    mutants += [("foreign HDF5", foreign), ("foreign netCDF", netcdf),
                ("a variable deleted", edit(lambda f: f.__delitem__("target_met"))),
                ("replications attribute wrong", edit(lambda f: f.attrs.__setitem__("replications", 99))),
                ("title removed", edit(lambda f: f.attrs.__delitem__("title"))),
                ("time decreasing", edit(lambda f: f["time"].__setitem__(slice(None), f["time"][...][::-1]))),
                ("target_met out of range", edit(lambda f: f["target_met"].__setitem__((0, 0), 7))),
                ("a dataset claiming terabytes", edit(huge))]
    slowest = 0.0
    t_start = time.monotonic()
    for i, (name, content) in enumerate(mutants):
        path = f"{d}/case{i}.h5"
        if callable(content):
            content(path)
        else:
            with open(path, "wb") as f:
                f.write(content)
        out = f"{d}/report{i}"
        rc, err, seconds = report(path, out)
        slowest = max(slowest, seconds)
        if rc == 2:
            refused += 1
            if path not in err or "error" not in err:
                failures.append(f"{name}: refused without naming the file: {err[:300]!r}")
        elif rc == 0:
            if targets_of(out) != reference:
                failures.append(f"{name}: accepted, and the report differs from the intact file's")
            same += 1
        else:
            failures.append(f"{name}: {rc} {err[:300]!r}")
        if seconds > 10:
            failures.append(f"{name}: took {seconds:.1f} s")
    # Through the command line, as a planner runs it: exit 2 and a message, within seconds.
    for i in (0, 12, len(mutants) - 1):
        t0 = time.monotonic()
        proc = subprocess.run([innosim, "report", f"{d}/case{i}.h5", "-o", f"{d}/cli{i}", "--no-figures"],
                              capture_output=True, text=True, timeout=30)
        if proc.returncode not in (0, 2) or (proc.returncode == 2 and f"case{i}.h5" not in proc.stderr):
            failures.append(f"innosim report on {mutants[i][0]}: exit {proc.returncode}: {proc.stderr[:300]!r}")
        slowest = max(slowest, time.monotonic() - t0)
    elapsed = time.monotonic() - t_start
for f in failures:
    print("FAIL", f)
print(f"{len(mutants)} damaged or foreign files: {refused} refused with a message, {same} reported as the intact file "
      f"(damage outside the data); slowest {slowest:.2f} s, {elapsed:.1f} s in all")
sys.exit(1 if failures else 0)
