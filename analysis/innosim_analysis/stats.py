"""Target probabilities with intervals, quantile bands, costs: the statistics of `innosim report`."""
import math

import numpy as np

Z95 = 1.959963984540054


def wilson(k, n, z=Z95):
    """Wilson score interval for k successes in n trials: (p, lower, upper)."""
    if n == 0:
        return (float("nan"), 0.0, 1.0)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (p, max(0.0, centre - half), min(1.0, centre + half))


def newcombe_difference(k1, n1, k2, n2, z=Z95):
    """Difference p1 - p2 with Newcombe's hybrid score interval (method 10): (d, lower, upper)."""
    p1, l1, u1 = wilson(k1, n1, z)
    p2, l2, u2 = wilson(k2, n2, z)
    d = p1 - p2
    lower = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    upper = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return (d, max(-1.0, lower), min(1.0, upper))


def _days_to_date(days):
    return (np.datetime64("2016-01-01") + np.timedelta64(int(round(days)), "D")).astype(str)


def target_table(ds):
    """One row per target: threshold, replications, met, probability and 95 % interval, median value, median
    date first met (among replications that met it). `met` is None where the file gives no verdict."""
    rows = []
    first_days = ds["target_first_met"].values  # days counted from 2016-01-01
    for j, target in enumerate(ds["target"].values):
        met = ds["target_met"].values[:, j]
        values = ds["target_value"].values[:, j]
        n = int(len(met))
        verdict = bool(n) and bool(np.all(met >= 0))
        k = int((met == 1).sum()) if verdict else None
        p, lo, hi = wilson(k, n) if verdict else (None, None, None)
        dates = first_days[:, j][np.isfinite(first_days[:, j])]
        rows.append({
            "target": str(target),
            "threshold": float(ds["target_threshold"].values[j]),
            "replications": n,
            "met": k,
            "probability": p,
            "ci_low": lo,
            "ci_high": hi,
            "median_value": float(np.median(values)) if n else float("nan"),
            "median_first_met": _days_to_date(np.median(dates)) if len(dates) else None,
        })
    return rows


def quantile_bands(ds, variable, quantiles=(0.05, 0.25, 0.5, 0.75, 0.95)):
    """Quantiles over replications at each time (a DataArray with a `quantile` dimension)."""
    return ds[variable].quantile(list(quantiles), dim="replication")


def costs(ds):
    """Median public cost (million CNY) per space opened, per team founded, per job, over replications."""
    public = ds["public_money"].isel(time=-1).values
    out = {}
    for name, var in (("per_space_opened", "spaces_opened"), ("per_team_founded", "teams_founded"), ("per_job", "jobs")):
        denom = ds[var].isel(time=-1).values
        ratio = np.where(denom > 0, public / np.maximum(denom, 1), np.nan)
        out[name] = float(np.nanmedian(ratio)) if np.isfinite(ratio).any() else float("nan")
    out["public_money_total"] = float(np.median(public))
    out["private_money_total"] = float(np.median(ds["private_money"].isel(time=-1).values))
    return out


def newcombe_paired_difference(a, b, z=Z95):
    """Difference of two proportions measured on the same replications (common random numbers): a and b are
    0/1 arrays, pair by pair. Newcombe's hybrid score interval for paired data (Newcombe 1998, Stat. Med. 17:2635,
    method 10): Wilson limits of each margin, combined with the phi correlation of the 2x2 table. (d, lo, hi)."""
    a, b = np.asarray(a, dtype=bool), np.asarray(b, dtype=bool)
    n = len(a)
    if n == 0:
        return (float("nan"), -1.0, 1.0)
    both, only_a, only_b = int((a & b).sum()), int((a & ~b).sum()), int((~a & b).sum())
    neither = n - both - only_a - only_b
    p1, l1, u1 = wilson(both + only_a, n, z)
    p2, l2, u2 = wilson(both + only_b, n, z)
    denom = (both + only_a) * (neither + only_b) * (both + only_b) * (neither + only_a)
    phi = (both * neither - only_a * only_b) / math.sqrt(denom) if denom > 0 else 0.0
    d = p1 - p2
    dl = math.sqrt(max(0.0, (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2))
    du = math.sqrt(max(0.0, (u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2))
    return (d, max(-1.0, d - dl), min(1.0, d + du))


def bootstrap_median_difference(a, b, paired, resamples=2000, seed=0, level=0.95):
    """Median of a minus median of b with a percentile bootstrap interval: (d, lo, hi). Paired (common random
    numbers): replications are resampled together; otherwise each run's independently. Deterministic (seed)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(a) == 0 or len(b) == 0:
        return (float("nan"), float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    d = float(np.median(a) - np.median(b))
    ia = rng.integers(0, len(a), size=(resamples, len(a)))
    ib = ia if paired else rng.integers(0, len(b), size=(resamples, len(b)))
    diffs = np.median(a[ia], axis=1) - np.median(b[ib], axis=1)
    lo, hi = np.quantile(diffs, [(1 - level) / 2, (1 + level) / 2])
    return (d, float(lo), float(hi))


def pairing(ds_a, ds_b):
    """Whether two runs share random numbers replication by replication (common random numbers): same seed and
    same replication indices. Returns (paired, sentence)."""
    seed_a, seed_b = ds_a.attrs.get("seed"), ds_b.attrs.get("seed")
    reps_a, reps_b = ds_a["replication"].values, ds_b["replication"].values
    if seed_a is None or seed_b is None or int(seed_a) != int(seed_b):
        return False, (f"Unpaired: the seeds differ ({seed_a} and {seed_b}), so the runs share no random numbers; "
                       "differences compare the two runs as independent samples.")
    if len(reps_a) != len(reps_b) or not np.array_equal(reps_a, reps_b):
        return False, (f"Unpaired: same seed {int(seed_a)}, but the finished replications differ "
                       f"({len(reps_a)} and {len(reps_b)}); differences compare independent samples.")
    sentence = (f"Paired (common random numbers): both runs have seed {int(seed_a)} and replications "
                f"{int(reps_a.min())}–{int(reps_a.max())}, so replication r of each draws the same random numbers "
                "until their scenarios differ; differences are taken replication by replication.")
    if "design_value" in ds_a and "design_value" in ds_b:
        same = (ds_a["design_value"].shape == ds_b["design_value"].shape
                and list(ds_a["parameter"].values) == list(ds_b["parameter"].values)
                and np.array_equal(ds_a["design_value"].values, ds_b["design_value"].values))
        sentence += (" Their calibrated or design draws are the same too." if same else
                     " Their design draws differ (another design or pinned keys), so pairs share streams, not "
                     "parameter values.")
    return True, sentence
