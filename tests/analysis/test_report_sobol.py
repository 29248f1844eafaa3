"""`innosim report`'s Sobol indices against the Ishigami function's analytic values (a = 7, b = 0.1)."""
import json
import math
import subprocess
import sys
import tempfile

import numpy as np
import xarray as xr

innosim = sys.argv[1]
rng = np.random.default_rng(20161)
n, k = 20000, 3
A = rng.uniform(-math.pi, math.pi, (n, k))
B = rng.uniform(-math.pi, math.pi, (n, k))
rows = [A, B] + [np.where(np.arange(k) == i, B, A) for i in range(k)]  # docs/OUTPUT.md: A, B, AB_1..AB_k
X = np.vstack(rows)


def ishigami(x, a=7.0, b=0.1):
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


Y = ishigami(X)
a, b = 7.0, 0.1
V = a * a / 8 + b * math.pi ** 4 / 5 + b * b * math.pi ** 8 / 18 + 0.5
V1 = 0.5 * (1 + b * math.pi ** 4 / 5) ** 2
V2 = a * a / 8
V13 = b * b * math.pi ** 8 * (1 / 18 - 1 / 50)
S1 = [V1 / V, V2 / V, 0.0]
ST = [(V1 + V13) / V, V2 / V, V13 / V]

R = len(Y)
targets = ["T1a", "T1b", "T2a", "T2b", "T3a", "T3b", "T4a", "T4b", "T5", "T6"]
value = np.zeros((R, len(targets)))
value[:, 0] = Y  # the report's sensitivity section reads T1(a)'s end value
ds = xr.Dataset(
    {
        "target_value": (("replication", "target"), value),
        "target_met": (("replication", "target"), np.full((R, len(targets)), -1, dtype=np.int8)),
        "target_first_met": (("replication", "target"), np.full((R, len(targets)), np.nan)),
        "target_threshold": (("target",), np.zeros(len(targets))),
        "completed": (("replication",), np.ones(R, dtype=np.int8)),
        "design_value": (("replication", "parameter"), X),
        "design_point": (("replication",), np.arange(R, dtype=float)),
        "parameter_lo": (("parameter",), np.full(k, -math.pi)),
        "parameter_hi": (("parameter",), np.full(k, math.pi)),
        "public_money": (("replication", "time"), np.zeros((R, 1))),
        "private_money": (("replication", "time"), np.zeros((R, 1))),
        "spaces_opened": (("replication", "time"), np.ones((R, 1))),
        "teams_founded": (("replication", "time"), np.ones((R, 1))),
        "jobs": (("replication", "time"), np.ones((R, 1))),
    },
    coords={"replication": np.arange(R), "target": targets, "parameter": ["x1", "x2", "x3"], "time": [0.0]},
    attrs={"title": "innosim results: a synthetic Sobol design (the Ishigami function)", "replications": R,
           "design_method": "sobol", "design_base_samples": n, "design_points": R, "status": "complete"},
)
with tempfile.TemporaryDirectory() as d:
    ds.to_netcdf(f"{d}/ishigami.h5", engine="h5netcdf")
    subprocess.run([innosim, "report", f"{d}/ishigami.h5", "-o", f"{d}/rep", "--no-figures"], check=True, capture_output=True)
    sens = json.load(open(f"{d}/rep/report.json"))["sensitivity"]
assert sens["method"] == "sobol", sens
got = {r["parameter"]: r for r in sens["rows"]}
for i, name in enumerate(["x1", "x2", "x3"]):
    assert abs(got[name]["S1"] - S1[i]) < 0.03, (name, got[name], S1[i])
    assert abs(got[name]["ST"] - ST[i]) < 0.03, (name, got[name], ST[i])
print("Sobol indices of the Ishigami function ok:", {k: (round(v["S1"], 3), round(v["ST"], 3)) for k, v in got.items()})
