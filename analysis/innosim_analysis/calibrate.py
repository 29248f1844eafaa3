"""History matching of a scenario's uncertain parameters to observed statistics (`innosim calibrate`).

Waves of Latin-hypercube ensembles: each point is run with a few replications; a point is implausible when,
for some observed statistic j, |observed_j - mean_j(x)| / sqrt(V_obs_j + V_model_j(x) + V_disc_j) > cutoff
(Pukelsheim's 3-sigma rule: cut-off 3). The next wave samples the box spanned by the non-implausible points.
Uncertainty is kept, not collapsed: the result is a range per parameter, written back as the scenario's
`{value, range}` assumptions, and every wave is recorded (parameters, simulated statistics, implausibility,
acceptance) in an HDF5 file.
"""
import csv
from concurrent.futures import ThreadPoolExecutor
import os
import shlex
import subprocess
import tempfile

import numpy as np

# Observed statistics the model produces: indicator of data/gansu_calibration.csv -> (variable, snapshot date).
# A snapshot dated the 1st of a month is the state at the end of the previous month.
# The province's counts of recognised spaces are cumulative (61 + 42 = 103, still 103 in November 2017, before
# the 2017 batch): they are read as the 61 spaces of 2015 plus the recognitions granted since (offset 61).
OBSERVABLES = {
    "provincially_recognised_maker_spaces_batch": ("recognitions", "2017-01-01", 0,
                                                   "recognitions granted from the start to the end of 2016"),
    "provincially_recognised_maker_spaces_total": ("recognitions", "2017-01-01", 61,
                                                   "spaces ever recognised at the end of 2016 (61 of 2015 + 2016 batch)"),
    "maker_spaces_all_types": ("recognitions", "2017-11-01", 61,
                               "spaces ever recognised in November 2017 (the province's count, before its 2017 batch)"),
    "national_filed_maker_spaces": ("spaces_filed", "2018-01-01", 0, "nationally filed spaces at the end of 2017"),
    "teams_and_firms_in_spaces": ("teams_resident_recognised", "2017-11-01", 0,
                                  "teams and firms resident in the recognised spaces, November 2017"),
}

DEFAULT_PARAMETERS = [
    "assumptions.space.desks_mean",
    "assumptions.space.open_rate_market",
    "assumptions.space.open_rate_university",
    "assumptions.maker.entry_rate_student",
    "assumptions.maker.entry_rate_enterprise_staff",
    "assumptions.government.recognition_approval",
    "assumptions.government.recognition_min_teams",
    "assumptions.government.recognition_min_months",
    "assumptions.government.filing_quota",
    "assumptions.initial.unrecognised_spaces",
    "assumptions.mentor.join_rate",
    "assumptions.maker.join_share",
]


def read_observed(path, obs_sd=0.10):
    """Rows of the observed CSV the model can produce: list of dicts with indicator, value, sd, variable, date."""
    rows, skipped = [], []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r["indicator"] in OBSERVABLES and r.get("region", "Gansu") == "Gansu":
                var, date, offset, meaning = OBSERVABLES[r["indicator"]]
                value = float(r["value"])
                rows.append({"indicator": r["indicator"], "value": value, "sd": obs_sd * value, "variable": var,
                             "offset": offset, "date": date, "meaning": meaning, "source": r.get("source", "")})
            else:
                skipped.append(r["indicator"])
    return rows, skipped


def implausibility(observed, sim_mean, sim_var, n_rep, disc_frac=0.05):
    """Implausibility per point and statistic: |z - E f| / sqrt(V_obs + V_model / n + V_disc)."""
    z = np.array([o["value"] for o in observed])
    v_obs = np.array([o["sd"] for o in observed]) ** 2
    v_disc = (disc_frac * z) ** 2
    return np.abs(z - sim_mean) / np.sqrt(v_obs + sim_var / n_rep + v_disc)


def history_match(simulate, lo, hi, observed, waves=3, points=40, replications=2, cutoff=3.0, seed=1, keep_min=5):
    """Generic history matching. simulate(X, wave) -> array (points, replications, statistics).

    Returns a list of waves: dicts with X, mean, var, I (points x statistics), Imax, accepted, lo, hi.
    The box for wave k+1 spans the accepted points of wave k (never growing past the previous box); when no
    point is accepted the `keep_min` least implausible ones define it, and the wave says so.
    """
    rng = np.random.default_rng(seed)
    lo, hi = np.asarray(lo, float), np.asarray(hi, float)
    record = []
    for w in range(waves):
        k = len(lo)
        strata = np.array([rng.permutation(points) for _ in range(k)]).T
        X = lo + (strata + rng.random((points, k))) / points * (hi - lo)
        Y = np.asarray(simulate(X, w), float)
        mean, var = Y.mean(axis=1), Y.var(axis=1, ddof=1) if Y.shape[1] > 1 else np.zeros(Y.shape[::2])
        I = implausibility(observed, mean, var, Y.shape[1])
        Imax = I.max(axis=1)
        accepted = Imax <= cutoff
        basis = accepted if accepted.sum() >= keep_min else np.argsort(Imax)[:keep_min]
        sel = X[basis]
        new_lo = np.maximum(lo, sel.min(axis=0))
        new_hi = np.minimum(hi, sel.max(axis=0))
        record.append({"wave": w, "X": X, "Y": Y, "mean": mean, "var": var, "I": I, "Imax": Imax,
                       "accepted": accepted, "lo": lo.copy(), "hi": hi.copy(), "next_lo": new_lo, "next_hi": new_hi,
                       "fallback": bool(accepted.sum() < keep_min)})
        lo, hi = new_lo, new_hi
    return record


def _snapshot_index(times, date):
    t = np.asarray(times)
    if np.issubdtype(t.dtype, np.datetime64):
        return int(np.searchsorted(t, np.datetime64(date)))
    days = (np.datetime64(date) - np.datetime64("2016-01-01")) / np.timedelta64(1, "D")
    return int(np.searchsorted(t, days))


def observed_statistics(ds, observed):
    """The model's value of each observed statistic in each replication of a result: (replications, statistics)."""
    out = np.empty((ds.sizes["replication"], len(observed)))
    for j, o in enumerate(observed):
        idx = min(_snapshot_index(ds["time"].values, o["date"]), ds.sizes["time"] - 1)
        out[:, j] = ds[o["variable"]].values[:, idx] + o["offset"]
    return out


def coverage(ds, observed, level=0.90):
    """Does the ensemble's central `level` band cover each observation? One row per statistic."""
    y = observed_statistics(ds, observed)
    q = (1 - level) / 2
    rows = []
    for j, o in enumerate(observed):
        lo, med, hi = np.quantile(y[:, j], [q, 0.5, 1 - q])
        rows.append({"indicator": o["indicator"], "observed": o["value"], "median": float(med), "lo": float(lo),
                     "hi": float(hi), "covers": bool(lo <= o["value"] <= hi)})
    return rows


def innosim_simulator(innosim, scenario, parameters, observed, replications, threads, seed, workdir, scale=1.0):
    """A simulate(X, wave) that runs innosim on each point (runs end at the last observed date)."""
    import xarray as xr

    last = max(o["date"] for o in observed)
    end = str(np.datetime64(last) - np.timedelta64(1, "D"))

    per_run = max(1, min(threads, replications))
    jobs = max(1, threads // per_run)  # points run side by side when the threads outnumber one point's runs

    def one_point(wave, i, x):
        sets = [f"{p}={v!r}" for p, v in zip(parameters, x)]
        path = os.path.join(workdir, f"wave{wave}_point{i}.h5")
        # INNOSIM_LAUNCH (e.g. "mpirun -np 16") spreads each point's replications over MPI ranks (docs/HPC.md).
        cmd = shlex.split(os.environ.get("INNOSIM_LAUNCH", "")) + [
            innosim, "run", scenario, "-q", "-o", path, "--replications", str(replications), "--threads",
            str(per_run), "--seed", str(seed + 1000 * wave + i), "--scale", str(scale),
            "--set", f"run.end={end}", "--set", "calibration.parameters="]
        for s in sets:
            cmd += ["--set", s]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        with xr.open_dataset(path, engine="h5netcdf") as ds:
            y = observed_statistics(ds, observed)
        os.remove(path)
        return y

    def simulate(X, wave):
        # One innosim run per point (its own seed, so the result does not depend on how many run at once).
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            return np.stack(list(pool.map(lambda ix: one_point(wave, *ix), enumerate(X))))

    return simulate


def write_record(path, record, parameters, observed, scenario, cutoff):
    import h5py

    with h5py.File(path, "w") as f:
        f.attrs["kind"] = "innosim calibration (history matching)"
        f.attrs["scenario"] = scenario
        f.attrs["cutoff"] = cutoff
        f.attrs["method"] = __doc__.strip().split("\n")[0]
        f.create_dataset("parameter", data=np.array(parameters, dtype=object), dtype=h5py.string_dtype())
        f.create_dataset("statistic", data=np.array([o["indicator"] for o in observed], dtype=object),
                         dtype=h5py.string_dtype())
        f.create_dataset("observed", data=np.array([o["value"] for o in observed]))
        f.create_dataset("observed_sd", data=np.array([o["sd"] for o in observed]))
        for w in record:
            g = f.create_group(f"wave_{w['wave']}")
            for key in ("X", "Y", "mean", "var", "I", "Imax", "accepted", "lo", "hi", "next_lo", "next_hi"):
                g.create_dataset(key, data=np.asarray(w[key]), compression="gzip")
            g.attrs["fallback"] = w["fallback"]
            g.attrs["accepted_points"] = int(np.sum(w["accepted"]))


def write_scenario(path, base_scenario, parameters, record, note):
    """The calibrated scenario: extends the input; each parameter is {value: median of the accepted points, range:
    their box}, and `calibration.parameters` lists them so that replications draw them from that box."""
    last = record[-1]
    lo, hi = last["next_lo"], last["next_hi"]
    accepted = last["X"][last["accepted"]] if last["accepted"].any() else last["X"][np.argsort(last["Imax"])[:5]]
    rel = os.path.relpath(base_scenario, os.path.dirname(os.path.abspath(path)))
    lines = [f"# Calibrated by `innosim calibrate` (history matching, {len(record)} waves): {note}",
             "# Each parameter keeps a range: the box of the non-implausible points of the last wave; its value is",
             "# their median. Replications draw them from their ranges (calibration.parameters).",
             "# Regenerate: see docs/CALIBRATION.md.", f"extends: {rel}", ""]
    tree = {}
    for p, a, b, m in zip(parameters, lo, hi, np.median(accepted, axis=0)):
        parts = p.split(".")
        node = tree
        for q in parts[:-1]:
            node = node.setdefault(q, {})
        is_int = any(s in p for s in ("min_teams", "filing_quota", "unrecognised_spaces"))
        value = float(np.clip(round(m) if is_int else m, a, b))
        node[parts[-1]] = (value, float(a), float(b))

    def emit(node, indent):
        for key, val in node.items():
            if isinstance(val, dict):
                lines.append("  " * indent + f"{key}:")
                emit(val, indent + 1)
            else:
                v, a, b = val
                lines.append("  " * indent + f"{key}: {{value: {v:.6g}, range: [{a:.6g}, {b:.6g}]}}")

    emit(tree, 0)
    lines += ["", "calibration:", f"  parameters: {','.join(parameters)}"]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def calibrate(innosim, scenario, observed_path, out_scenario, record_path, parameters=None, waves=3, points=30,
              replications=2, threads=2, seed=2016, cutoff=3.0, ranges=None):
    """Runs the waves and writes the calibrated scenario and the HDF5 record; returns the record."""
    parameters = parameters or DEFAULT_PARAMETERS
    for target in (out_scenario, record_path):
        os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
    observed, skipped = read_observed(observed_path)
    if not observed:
        raise ValueError(f"{observed_path}: no statistic the model produces (known: {', '.join(OBSERVABLES)})")
    if ranges is None:
        ranges = scenario_ranges(innosim, scenario, parameters)
    lo = np.array([ranges[p][0] for p in parameters])
    hi = np.array([ranges[p][1] for p in parameters])
    with tempfile.TemporaryDirectory() as work:
        sim = innosim_simulator(innosim, scenario, parameters, observed, replications, threads, seed, work)
        record = history_match(sim, lo, hi, observed, waves, points, replications, cutoff, seed)
    write_record(record_path, record, parameters, observed, scenario, cutoff)
    write_scenario(out_scenario, scenario, parameters, record,
                   f"{len(observed)} statistics of {os.path.basename(observed_path)}")
    return record, observed, skipped


def scenario_ranges(innosim, scenario, parameters):
    """Each parameter's range as the scenario states it (from `innosim validate`'s resolved YAML)."""
    import yaml  # python3-yaml, a dependency of python3-xarray's stack on Debian

    text = subprocess.run([innosim, "validate", scenario], check=True, capture_output=True, text=True).stdout
    doc = yaml.safe_load("\n".join(line for line in text.splitlines() if not line.startswith("#")))
    out = {}
    for p in parameters:
        node = doc
        for q in p.split("."):
            node = node[q]
        if not isinstance(node, dict) or "range" not in node:
            raise ValueError(f"{p} has no range in {scenario}: only ranged assumptions can be calibrated")
        out[p] = (float(node["range"][0]), float(node["range"][1]))
    return out
