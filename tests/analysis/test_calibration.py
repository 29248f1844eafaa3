"""History matching recovers the known parameters of a toy model within its plausible box, narrows the box,
and is deterministic for a seed; `innosim calibrate` runs end to end on the Gansu model and its record
feeds the calibration page of `innosim report`."""
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

from innosim_analysis.calibrate import history_match

innosim, src = sys.argv[1], sys.argv[2]

# A toy model with known parameters: three noisy statistics of two parameters.
truth = np.array([0.3, 0.6])


def toy(X, wave, reps=3, seed=7):
    rng = np.random.default_rng(seed + wave)
    f = np.stack([X[:, 0] + X[:, 1], X[:, 0] - 2 * X[:, 1], 3 * X[:, 0] ** 2], axis=1)
    return f[:, None, :] + rng.normal(0, 0.01, (len(X), reps, 3))


f_true = np.array([truth[0] + truth[1], truth[0] - 2 * truth[1], 3 * truth[0] ** 2])
observed = [{"value": v, "sd": 0.02} for v in f_true]
lo, hi = np.array([0.0, 0.0]), np.array([1.0, 1.0])
record = history_match(toy, lo, hi, observed, waves=4, points=60, replications=3, seed=11)
box_lo, box_hi = record[-1]["next_lo"], record[-1]["next_hi"]
assert np.all(box_lo <= truth) and np.all(truth <= box_hi), (box_lo, box_hi)
assert np.all(box_hi - box_lo < 0.25 * (hi - lo)), (box_lo, box_hi)
accepted = record[-1]["X"][record[-1]["accepted"]]
assert len(accepted) >= 5
assert np.all(np.abs(np.median(accepted, axis=0) - truth) < 0.1), np.median(accepted, axis=0)
again = history_match(toy, lo, hi, observed, waves=4, points=60, replications=3, seed=11)
assert all(np.array_equal(a["X"], b["X"]) and np.array_equal(a["accepted"], b["accepted"]) for a, b in zip(record, again))
print("toy model recovered:", truth, "within", box_lo, box_hi)

# End to end on the model (small: scale 0.2, 2 waves of 6 points), then the report's calibration page.
with tempfile.TemporaryDirectory() as d:
    out, rec = f"{d}/cal.yaml", f"{d}/cal.h5"
    env = dict(os.environ)
    def calibrate(out, rec, threads):
        return subprocess.run([innosim, "calibrate", f"{src}/scenarios/baseline.yaml", "--observed",
                               f"{src}/data/gansu_calibration.csv", "-o", out, "--record", rec, "--waves", "2",
                               "--points", "6", "--replications", "2", "--threads", str(threads), "--parameters",
                               "assumptions.space.desks_mean,assumptions.government.filing_quota"],
                              capture_output=True, text=True, env=env)

    proc = calibrate(out, rec, 4)  # two points at a time, two threads each
    assert proc.returncode == 0, proc.stderr
    # The same calibration one run at a time on one thread gives the same record and scenario.
    serial = calibrate(f"{d}/cal1.yaml", f"{d}/cal1.h5", 1)
    assert serial.returncode == 0, serial.stderr
    with h5py.File(rec) as a, h5py.File(f"{d}/cal1.h5") as b:
        for w in ("wave_0", "wave_1"):
            assert np.array_equal(a[w]["Y"][:], b[w]["Y"][:]), w
    assert open(out).read().split("extends:")[1] == open(f"{d}/cal1.yaml").read().split("extends:")[1]
    assert "wave 2:" in proc.stdout and "people_drawn_into_entrepreneurship" in proc.stdout, proc.stdout
    text = open(out).read()
    assert "extends:" in text and "desks_mean: {value:" in text and "range: [" in text, text
    check = subprocess.run([innosim, "validate", out], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    subprocess.run([innosim, "report", rec, "-o", f"{d}/rep"], check=True, capture_output=True)
    page = json.load(open(f"{d}/rep/report.json"))
    assert len(page["statistics"]) == 5 and len(page["parameters"]) == 2, page
    for p in page["parameters"]:
        assert p["plausible"][0] >= p["prior"][0] - 1e-9 and p["plausible"][1] <= p["prior"][1] + 1e-9, p
print("innosim calibrate end to end ok")
