"""`innosim report` against a hand computation: probabilities, Wilson intervals, medians, comparisons."""
import json
import math
import subprocess
import sys
import tempfile

import h5py
import numpy as np

innosim, src = sys.argv[1], sys.argv[2]


def wilson_by_hand(k, n):
    z = 1.959963984540054
    p = k / n
    c = (p + z * z / (2 * n)) / (1 + z * z / n)
    h = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return p, c - h, c + h


# Textbook values: Wilson interval for 0/10, 5/10, 9/10 and 10/10 (Newcombe 1998, table I style).
for k, n, lo, hi in ((0, 10, 0.0, 0.2775), (5, 10, 0.2366, 0.7634), (9, 10, 0.5958, 0.9821), (10, 10, 0.7225, 1.0)):
    _, l, h = wilson_by_hand(k, n)
    assert abs(l - lo) < 5e-4 and abs(h - hi) < 5e-4, (k, n, l, h)

with tempfile.TemporaryDirectory() as d:
    runs = {}
    for name, extra in (("plan", []), ("none", [])):
        scenario = "baseline.yaml" if name == "plan" else "no-plan.yaml"
        path = f"{d}/{name}.h5"
        # targets.scale=0.1 gives verdicts at the test scale, against thresholds set for it.
        subprocess.run([innosim, "run", f"{src}/scenarios/{scenario}", "--scale", "0.1", "--replications", "12", "-q",
                        "--set", "targets.scale=0.1", "--set", "targets.T1.threshold=150",
                        "--set", "targets.T6.threshold=1000", "-o", path] + extra, check=True, stdout=subprocess.DEVNULL)
        runs[name] = path
    out = f"{d}/report"
    proc = subprocess.run([innosim, "report", runs["plan"], "--compare", runs["none"], "-o", out], check=True,
                          capture_output=True, text=True)
    assert "95 % Wilson" in proc.stdout, proc.stdout
    report = json.load(open(f"{out}/report.json"))
    for name, rows in (("plan", report["targets"]), ("none", report["compare"]["targets"])):
        with h5py.File(runs[name], "r") as f:
            met = f["target_met"][...]
            value = f["target_value"][...]
            threshold = f["target_threshold"][...]
            names = [t.decode() if isinstance(t, bytes) else t for t in f["target"][...]]
        assert met.shape[0] == 12
        for j, row in enumerate(rows):
            assert row["target"] == names[j]
            strict = names[j] in ("T5", "T6")
            met_by_hand = int(((value[:, j] > threshold[j]) if strict else (value[:, j] >= threshold[j])).sum())
            assert met_by_hand == int((met[:, j] == 1).sum())
            p, lo, hi = wilson_by_hand(met_by_hand, 12)
            assert row["met"] == met_by_hand, (name, row)
            assert abs(row["probability"] - p) < 1e-12 and abs(row["ci_low"] - lo) < 1e-12 and abs(row["ci_high"] - hi) < 1e-12
            assert abs(row["median_value"] - float(np.median(value[:, j]))) < 1e-12
    for j, diff in enumerate(report["compare"]["differences"]):
        a, b = report["targets"][j], report["compare"]["targets"][j]
        assert abs(diff["difference"] - (a["probability"] - b["probability"])) < 1e-12
        assert diff["ci_low"] <= diff["difference"] <= diff["ci_high"]
    # T1(b) at scale 0.1 with a threshold of 150: the plan meets it more often than no plan.
    assert report["targets"][1]["probability"] > report["compare"]["targets"][1]["probability"], report["targets"][1]
    for png in ("bands.png", "cities.png", "industries.png"):
        with open(f"{out}/{png}", "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n", png
    html = open(f"{out}/report.html").read()
    assert "<table>" in html and "bands.png" in html
print("report statistics ok")
