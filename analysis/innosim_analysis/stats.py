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
