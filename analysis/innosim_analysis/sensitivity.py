"""Sensitivity of outputs to levers and assumptions from the design innosim ran (LHS, Morris, Sobol)."""
import numpy as np


def _point_means(ds, y):
    """Average an output over the replications of each design point: returns (X per point, y per point)."""
    points = ds["design_point"].values.astype(int)
    npts = int(ds.attrs.get("design_points", points.max() + 1))
    counts = np.bincount(points, minlength=npts).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        Y = np.bincount(points, weights=y, minlength=npts) / counts  # NaN where a point has no finished replication
    X = np.full((npts, ds.sizes["parameter"]), np.nan)
    X[points] = ds["design_value"].values
    return X, Y


def sobol_indices(Y, k, n):
    """First-order (Saltelli 2010) and total (Jansen 1999) indices from a Saltelli design.

    Rows of Y: A (n), B (n), then AB_i (n each, A with column i taken from B), i = 1..k.
    Returns (S1, ST) arrays of length k.
    """
    Y = np.asarray(Y, dtype=float)
    fA, fB = Y[:n], Y[n:2 * n]
    var = np.var(np.concatenate([fA, fB]), ddof=1)
    S1, ST = np.empty(k), np.empty(k)
    for i in range(k):
        fAB = Y[(2 + i) * n:(3 + i) * n]
        S1[i] = np.mean(fB * (fAB - fA)) / var
        ST[i] = 0.5 * np.mean((fA - fAB) ** 2) / var
    return S1, ST


def morris_effects(X, Y, lo, hi):
    """Elementary effects along one-at-a-time trajectories (consecutive rows differ in one factor).

    Returns (mu_star, sigma) per factor, effects scaled to the factor's range.
    """
    X, Y = np.asarray(X, float), np.asarray(Y, float)
    k = X.shape[1]
    span = np.asarray(hi, float) - np.asarray(lo, float)
    effects = [[] for _ in range(k)]
    for r in range(len(X) // (k + 1)):
        base = r * (k + 1)
        for s in range(k):
            a, b = base + s, base + s + 1
            diff = X[b] - X[a]
            i = int(np.argmax(np.abs(diff)))
            if diff[i] == 0 or not np.isfinite(Y[a]) or not np.isfinite(Y[b]):
                continue
            effects[i].append((Y[b] - Y[a]) / (diff[i] / span[i]))
    mu_star = np.array([np.mean(np.abs(e)) if e else np.nan for e in effects])
    sigma = np.array([np.std(e, ddof=1) if len(e) > 1 else np.nan for e in effects])
    return mu_star, sigma


def rank_correlations(X, Y):
    """Spearman rank correlation of each factor with the output (LHS designs)."""
    def ranks(v):
        order = np.argsort(v, kind="mergesort")
        r = np.empty(len(v))
        r[order] = np.arange(len(v))
        return r
    ry = ranks(Y)
    out = []
    for i in range(X.shape[1]):
        rx = ranks(X[:, i])
        out.append(np.corrcoef(rx, ry)[0, 1] if np.std(rx) > 0 else np.nan)
    return np.array(out)


def sensitivity_table(ds, target_index=0):
    """Indices of each design parameter for one target's end value; empty when the run had no design."""
    method = ds.attrs.get("design_method", "none")
    if method in ("none", None) or "design_value" not in ds:
        return method, []
    names = [str(p) for p in ds["parameter"].values]
    X, Y = _point_means(ds, ds["target_value"].values[:, target_index])
    rows = []
    if method == "sobol":
        n = int(ds.attrs["design_base_samples"])
        S1, ST = sobol_indices(Y, len(names), n)
        rows = [{"parameter": p, "S1": float(a), "ST": float(b)} for p, a, b in zip(names, S1, ST)]
        rows.sort(key=lambda r: -r["ST"])
    elif method == "morris":
        mu, sd = morris_effects(X, Y, ds["parameter_lo"].values, ds["parameter_hi"].values)
        rows = [{"parameter": p, "mu_star": float(m), "sigma": float(s)} for p, m, s in zip(names, mu, sd)]
        rows.sort(key=lambda r: -(r["mu_star"] if np.isfinite(r["mu_star"]) else -1))
    elif method in ("lhs", "calibrated"):  # a calibrated scenario's draws are an LHS over its plausible ranges
        rho = rank_correlations(X, Y)
        rows = [{"parameter": p, "spearman": float(r)} for p, r in zip(names, rho)]
        rows.sort(key=lambda r: -abs(r["spearman"]) if np.isfinite(r["spearman"]) else 0)
    return method, rows
