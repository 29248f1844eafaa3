"""Checkpoint/restart (issue 18): a run stopped by SIGTERM at a checkpoint and resumed gives the uninterrupted run's
file, dataset by dataset (wall times aside), whatever the thread counts before and after; truncated, bit-flipped,
foreign, other-version, other-build and changed-scenario checkpoints are refused with exit code 2 and a message."""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from result_compare import same  # noqa: E402

innosim, src = sys.argv[1], sys.argv[2]
BASE = f"{src}/scenarios/baseline.yaml"


def run(args, env_extra=None, expect=0):
    env = dict(os.environ, **(env_extra or {}))
    p = subprocess.run([innosim] + args, capture_output=True, text=True, timeout=300, env=env)
    assert p.returncode == expect, (args, p.returncode, p.stdout[-2000:], p.stderr[-2000:])
    return p


def interrupted(d, name, args, threads, after):
    """Runs with checkpoints every 6 months; SIGTERM arrives at the `after`-th save."""
    out = f"{d}/{name}.h5"
    p = run(args + ["-q", "--threads", str(threads), "-o", out, "--checkpoint-every", "6m"],
            {"INNOSIM_TEST_SIGTERM_AFTER_SAVES": str(after)}, expect=130)
    assert f"innosim resume {out}.ckpt" in p.stderr, p.stderr
    assert os.path.exists(out + ".ckpt") and os.path.exists(out + ".partial") and not os.path.exists(out)
    return out


with tempfile.TemporaryDirectory() as d:
    cases = {
        # many replications side by side (one thread each), stopped while some run
        "ensemble": (["run", BASE, "--replications", "12"], 15),
        # one replication over all threads, with snapshots and the edge list
        "single": (["run", BASE, "--replications", "1", "--snapshots"], 4),
        # an LHS design at a small scale
        "lhs": (["run", BASE, "--scale", "0.2", "--set", "uncertainty.method=lhs", "--set", "uncertainty.samples=4", "--set",
                 "uncertainty.replications_per_point=2", "--set",
                 "uncertainty.parameters=assumptions.team.fail_rate,policy.publicity.scale"], 11),
    }
    for case, (args, after) in cases.items():
        reference = f"{d}/{case}-reference.h5"
        run(args + ["-q", "--threads", "2", "-o", reference])
        for saved_on, resumed_on in ((2, 1), (1, 2)):
            out = interrupted(d, f"{case}-{saved_on}", args, saved_on, after)
            p = run(["resume", out + ".ckpt", "-q", "--threads", str(resumed_on)])
            assert "resuming from" in p.stdout, p.stdout
            same(reference, out, f"{case}: saved at {saved_on} thread(s), resumed at {resumed_on}")
            assert not os.path.exists(out + ".ckpt"), "a completed run leaves no checkpoint"
            assert not os.path.exists(out + ".partial")
            print(f"{case}: stopped at a checkpoint on {saved_on} thread(s), resumed on {resumed_on}: identical")

    # A resumed run that is itself stopped, then resumed again.
    args, reference = cases["ensemble"][0], f"{d}/ensemble-reference.h5"
    out = interrupted(d, "twice", args, 2, 6)
    p = run(["resume", out + ".ckpt", "-q", "--threads", "2"], {"INNOSIM_TEST_SIGTERM_AFTER_SAVES": "20"}, expect=130)
    run(["resume", out + ".ckpt", "-q", "--threads", "1"])
    same(reference, out, "ensemble: stopped twice")
    print("ensemble: stopped, resumed and stopped, resumed again: identical")

    # Damaged and foreign checkpoints: exit code 2, the file named, what is wrong said.
    good = interrupted(d, "damage", args, 2, 6) + ".ckpt"
    raw = open(good, "rb").read()

    def refused(name, data, says):
        path = f"{d}/{name}.ckpt"
        with open(path, "wb") as f:
            f.write(data)
        p = run(["resume", path, "-q"], expect=2)
        assert path in p.stderr and says in p.stderr, (name, p.stderr)
        assert "Traceback" not in p.stderr and "terminate" not in p.stderr
        print(f"{name}: refused ({p.stderr.strip()[:140]})")

    refused("truncated", raw[: len(raw) // 2], "is truncated")
    refused("header-only", raw[:20], "is truncated")
    for at in (len(raw) // 3, len(raw) - 5, 30):
        flipped = bytearray(raw)
        flipped[at] ^= 0x10
        refused(f"bit-flip-{at}", bytes(flipped), "is damaged")
    refused("foreign-hdf5", open(reference, "rb").read(), "is not an innosim checkpoint")
    refused("empty", b"", "is not an innosim checkpoint")
    refused("other-version", raw[:8] + struct.pack("<I", 99) + raw[12:], "has format version 99")
    refused("trailing", raw + b"\0", "bytes after its end")
    # Another build: a valid checksum over contents that name another build.
    contents = raw[24:]
    build_len = struct.unpack("<Q", contents[:8])[0]
    other = struct.pack("<Q", 11) + b"0.0.0 (old)" + contents[8 + build_len:]
    refused("other-build", raw[:12] + struct.pack("<QI", len(other), zlib.crc32(other)) + other, "was written by innosim 0.0.0")
    p = run(["resume", f"{d}/missing.ckpt"], expect=2)
    assert "cannot be read" in p.stderr, p.stderr

    # The scenario changed between the stop and the resume: refused.
    scen = f"{d}/mine.yaml"
    with open(scen, "w") as f:
        f.write(f"extends: {BASE}\nrun: {{replications: 12}}\n")
    out = interrupted(d, "changed", ["run", scen], 2, 6)
    with open(scen, "a") as f:
        f.write("policy: {publicity: {scale: 2}}\n")
    p = run(["resume", out + ".ckpt", "-q"], expect=2)
    assert "has changed since the checkpoint" in p.stderr, p.stderr
    print("a changed scenario: refused")

    # A bad --checkpoint-every is bad input.
    p = run(["run", BASE, "--checkpoint-every", "soon", "-o", f"{d}/x.h5"], expect=2)
    assert "--checkpoint-every" in p.stderr, p.stderr
print("checkpoint/restart: all cases passed")
