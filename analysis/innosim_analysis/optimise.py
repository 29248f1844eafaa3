"""`innosim optimise`: the cheapest lever mix that makes the chosen targets likely enough, honestly under noise.

Constrained Bayesian optimisation over the scenario's `optimise.variables` (scaled to the unit cube):
- every candidate runs on the ensemble machinery (`innosim run`) with the scenario's seed and replication
  indices, so candidates share random numbers (common random numbers) and differ by their levers, not by noise;
- a candidate is feasible when the lower end of the 95 % Wilson interval of P(all chosen targets met) is at least
  the confidence; one whose interval straddles the confidence is raced: its replications are doubled, up to
  `max_replications`, until the interval clears the confidence or falls below it (or the budget ends);
- the objective is the expected public cost 2016-2020 (the mean of `public_money` at the end; ODD.md);
- after the input scenario and a Latin-hypercube start, each next candidate maximises expected improvement of a
  Gaussian-process model of the cost times the probability, under a Gaussian process of logit P(met), that it
  meets the confidence; before any candidate is feasible it maximises that probability.
Why this and not NLopt's COBYLA or a grid: P(met) of a stochastic model is a step function of the seeds at fixed
replications, which derivative-free local methods misread, and a grid wastes runs far from the constraint; a
surrogate spends runs where the constraint and the cost trade off, and racing spends replications only there.
"""
import datetime
import math
import os
import shlex
import subprocess
import tempfile
import time

import numpy as np

from .stats import Z95, wilson


class OptimiseError(ValueError):
    """Bad input to innosim optimise (the scenario, its optimise block, a failed run)."""


# ---- the optimiser's core: any simulator -------------------------------------------------------------------

def _lhs(rng, n, d):
    strata = np.array([rng.permutation(n) for _ in range(d)]).T
    return (strata + rng.random((n, d))) / n


class GaussianProcess:
    """A Gaussian process with a squared-exponential kernel on the unit cube; its length scale and noise are
    chosen by marginal likelihood from a small grid (deterministic, no optimiser of its own)."""

    def __init__(self, X, y):
        self.X = np.asarray(X, float)
        y = np.asarray(y, float)
        self.mean, self.scale = float(y.mean()), float(y.std()) or 1.0
        self.y = (y - self.mean) / self.scale
        best = None
        for length in (0.08, 0.15, 0.3, 0.5, 0.8, 1.5):
            for noise in (1e-6, 1e-3, 1e-2, 0.05, 0.2):
                K = self._kernel(self.X, self.X, length) + noise * np.eye(len(self.X))
                try:
                    L = np.linalg.cholesky(K)
                except np.linalg.LinAlgError:
                    continue
                alpha = np.linalg.solve(L.T, np.linalg.solve(L, self.y))
                ll = -0.5 * self.y @ alpha - np.log(np.diag(L)).sum()
                if best is None or ll > best[0]:
                    best = (ll, length, L, alpha)
        _, self.length, self.L, self.alpha = best

    @staticmethod
    def _kernel(A, B, length):
        d2 = ((A[:, None, :] - B[None, :, :]) ** 2).sum(axis=2)
        return np.exp(-0.5 * d2 / length ** 2)

    def predict(self, X):
        Ks = self._kernel(np.asarray(X, float), self.X, self.length)
        mu = Ks @ self.alpha
        v = np.linalg.solve(self.L, Ks.T)
        var = np.maximum(1.0 - (v * v).sum(axis=0), 1e-12)
        return self.mean + self.scale * mu, self.scale * np.sqrt(var)


def _norm_cdf(z):
    return 0.5 * (1 + np.vectorize(math.erf)(np.asarray(z) / math.sqrt(2)))


def _norm_pdf(z):
    return np.exp(-0.5 * np.asarray(z) ** 2) / math.sqrt(2 * math.pi)


def _logit_p(k, n):
    p = (k + 0.5) / (n + 1.0)
    return math.log(p / (1 - p))


def frontier_of(cost, p):
    """Indices of the non-dominated evaluations (lower cost, higher probability), by cost. Given the lower Wilson
    bounds as p, the cheapest feasible evaluation is always on it."""
    order = np.lexsort((-np.asarray(p), np.asarray(cost)))
    front, best_p = [], -1.0
    for i in order:
        if p[i] > best_p + 1e-12:
            front.append(int(i))
            best_p = p[i]
    return front


def optimise(simulate, d, confidence, evaluations, replications, max_replications, seed=1, start=None,
             on_evaluation=None, candidates=2000):
    """Minimises the expected cost subject to P(met) >= confidence (lower Wilson bound), over u in [0, 1]^d.

    simulate(u, R) -> (cost per replication (R,), joint met per replication (R,) of 0/1, extra) runs R
    replications of the candidate u with the same seeds every time (common random numbers). `start`: the input
    scenario's point, evaluated first. Returns a list of evaluations (dicts), in the order they were made.
    """
    rng = np.random.default_rng(seed)
    record = []

    def evaluate(u, stage):
        u = np.clip(np.asarray(u, float), 0, 1)
        best_cost = min((e["cost"] for e in record if e["feasible"]), default=math.inf)
        R = replications
        while True:
            cost, met, extra = simulate(u, R)
            k = int(np.sum(met))
            p, lo, hi = wilson(k, R)
            mean_cost = float(np.mean(cost))
            decided = lo >= confidence or hi < confidence
            # Race only where it can matter: undecided, within the budget, and possibly cheaper than the best.
            if decided or 2 * R > max_replications or mean_cost >= best_cost:
                break
            R *= 2
        e = {"u": u, "cost": mean_cost, "cost_median": float(np.median(cost)), "replications": R, "met": k,
             "p": p, "p_lo": lo, "p_hi": hi, "feasible": bool(lo >= confidence), "stage": stage, "extra": extra}
        record.append(e)
        if on_evaluation:
            on_evaluation(e, record)
        return e

    if start is not None:
        evaluate(start, "input")
    if len(record) < evaluations:
        # Every variable at its upper bound: for levers, more is usually surer, so when even this mix is far from
        # the confidence the answer is likely that none exists within the bounds.
        evaluate(np.ones(d), "upper bounds")
    n0 = max(0, min(evaluations - len(record), max(4, 2 * d + 2)))
    for u in _lhs(rng, n0, d):
        evaluate(u, "initial")
    # The point estimate a candidate needs for its lower Wilson bound to reach the confidence at the most
    # replications racing gives it: aiming the search at the confidence itself would find mixes that never pass.
    needed = next((k / max_replications for k in range(max_replications + 1)
                   if wilson(k, max_replications)[1] >= confidence), 1.0)
    needed = min(needed, (max_replications + 0.25) / (max_replications + 1.0))
    target = math.log(needed / (1 - needed))
    while len(record) < evaluations:
        U = np.array([e["u"] for e in record])
        cost_gp = GaussianProcess(U, [e["cost"] for e in record])
        p_gp = GaussianProcess(U, [_logit_p(e["met"], e["replications"]) for e in record])
        pool = rng.random((candidates, d))
        feasible = [e for e in record if e["feasible"]]
        if feasible:  # also search near the cheapest feasible mix
            best = min(feasible, key=lambda e: e["cost"])
            pool = np.vstack([pool, np.clip(best["u"] + rng.normal(0, 0.08, (candidates // 2, d)), 0, 1)])
        mu_p, sd_p = p_gp.predict(pool)
        p_ok = _norm_cdf((mu_p - target) / sd_p)
        if feasible:
            mu_c, sd_c = cost_gp.predict(pool)
            z = (best["cost"] - mu_c) / sd_c
            score = ((best["cost"] - mu_c) * _norm_cdf(z) + sd_c * _norm_pdf(z)) * p_ok
        else:
            score = p_ok
        evaluate(pool[int(np.argmax(score))], "search")
    return record


# ---- innosim's side: the scenario, the runs, the record ----------------------------------------------------

def resolved_scenario(innosim, scenario, sets):
    """The scenario as innosim validates it (with --set overrides), as a nested dict; OptimiseError if invalid."""
    import yaml

    cmd = [innosim, "validate", scenario]
    for s in sets:
        cmd += ["--set", s]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise OptimiseError(proc.stderr.strip().removeprefix("innosim: error: "))
    return yaml.safe_load(proc.stdout)


def _lookup(tree, key):
    for part in key.split("."):
        tree = tree[part]
    return tree


class Variable:
    """A decision variable: its key, kind (number, date, switch) and bounds; maps the unit interval to the text
    innosim is given, so the value a run used and the value a frontier scenario states are the same text."""

    def __init__(self, key, bounds, current):
        self.key = key
        lo, hi = bounds
        if isinstance(current, bool):
            self.kind, self.lo, self.hi = "switch", float(bool(lo)), float(bool(hi))
        elif isinstance(current, datetime.date):
            self.kind = "date"
            self.lo, self.hi = (float((v - datetime.date(1970, 1, 1)).days) for v in (lo, hi))
        else:
            self.kind, self.lo, self.hi = "number", float(lo), float(hi)
        self.current = self.value(current)

    def value(self, v):
        """The natural value of a YAML value: a number, days since 1970-01-01 for a date, 0/1 for a switch."""
        if self.kind == "date":
            return float((v - datetime.date(1970, 1, 1)).days)
        return float(v)

    def at(self, u):
        x = self.lo + float(u) * (self.hi - self.lo)
        return float(round(x)) if self.kind in ("switch", "date") else float(f"{x:.4g}")

    def unit(self, x):
        return 0.0 if self.hi == self.lo else min(1.0, max(0.0, (x - self.lo) / (self.hi - self.lo)))

    def text(self, x):
        if self.kind == "switch":
            return "true" if x >= 0.5 else "false"
        if self.kind == "date":
            return str(datetime.date(1970, 1, 1) + datetime.timedelta(days=int(x)))
        return f"{x:.4g}"


class InnosimRuns:
    """Runs candidates through `innosim run` (TBB threads inside; every candidate with the scenario's seed and
    replications 0..R-1) and reads the cost and the targets from the result file."""

    def __init__(self, innosim, scenario, sets, variables, targets, threads, workdir):
        self.innosim, self.scenario, self.sets = innosim, scenario, list(sets)
        self.variables, self.targets, self.threads, self.workdir = variables, targets, threads, workdir
        self.runs, self.replications = 0, 0
        self.names = None

    def __call__(self, u, R):
        import h5py

        xs = [v.at(ui) for v, ui in zip(self.variables, u)]
        path = os.path.join(self.workdir, f"candidate{self.runs}.h5")
        # INNOSIM_LAUNCH (e.g. "mpirun -np 16") spreads each candidate's replications over MPI ranks (docs/HPC.md).
        cmd = shlex.split(os.environ.get("INNOSIM_LAUNCH", "")) + [
            self.innosim, "run", self.scenario, "-q", "-o", path, "--replications", str(R), "--threads",
            str(self.threads)]
        for s in self.sets + [f"{v.key}={v.text(x)}" for v, x in zip(self.variables, xs)]:
            cmd += ["--set", s]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise OptimiseError(f"a candidate's run failed ({' '.join(cmd)}): {proc.stderr.strip()[-500:]}")
        with h5py.File(path, "r") as f:
            self.names = [t.decode() if isinstance(t, bytes) else str(t) for t in f["target"][...]]
            met = f["target_met"][...]
            cost = f["public_money"][:, -1]
            value = f["target_value"][...]
            self.thresholds = f["target_threshold"][...]
        os.remove(path)
        if (met < 0).any():
            raise OptimiseError("the runs give no verdicts: targets.scale differs from run.scale (set targets.scale "
                                "and thresholds for the scale you optimise at)")
        cols = [self.names.index(t) for t in self.targets]
        joint = (met[:, cols] == 1).all(axis=1)
        self.runs += 1
        self.replications += R
        return cost, joint, {"x": xs, "target_met": (met == 1).sum(axis=0), "target_median": np.median(value, axis=0)}


def _nested(pairs):
    tree = {}
    for key, text in pairs:
        node = tree
        parts = key.split(".")
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = text
    return tree


def _yaml_lines(tree, indent=0):
    lines = []
    for k, v in tree.items():
        if isinstance(v, dict):
            lines.append(" " * indent + f"{k}:")
            lines += _yaml_lines(v, indent + 2)
        else:
            lines.append(" " * indent + f"{k}: {v}")
    return lines


def write_record(path, meta, variables, record, names, front, chosen):
    """The HDF5 record of every evaluation, replaced atomically after each one (a crash keeps the last whole)."""
    import h5py

    tmp = path + ".tmp"
    n = len(record)
    with h5py.File(tmp, "w") as f:
        for k, v in meta.items():
            f.attrs[k] = v
        f.attrs["kind"] = "innosim optimisation"
        f["variable"] = np.array([v.key for v in variables], dtype=h5py.string_dtype())
        f["variable_kind"] = np.array([v.kind for v in variables], dtype=h5py.string_dtype())
        f["variable_lo"] = np.array([v.lo for v in variables])
        f["variable_hi"] = np.array([v.hi for v in variables])
        f["input_value"] = np.array([v.current for v in variables])
        f["value"] = np.array([e["extra"]["x"] for e in record]).reshape(n, len(variables))
        f["value"].attrs["long_name"] = "decision values (dates: days since 1970-01-01; switches: 0/1)"
        for key in ("cost", "cost_median", "p", "p_lo", "p_hi"):
            f[key] = np.array([e[key] for e in record], dtype=float)
        f["cost"].attrs["long_name"] = "expected public money 2016-2020 (mean over replications), million CNY"
        f["replications"] = np.array([e["replications"] for e in record], dtype=np.int64)
        f["met"] = np.array([e["met"] for e in record], dtype=np.int64)
        f["feasible"] = np.array([e["feasible"] for e in record], dtype=np.int8)
        f["stage"] = np.array([e["stage"] for e in record], dtype=h5py.string_dtype())
        f["target"] = np.array(names, dtype=h5py.string_dtype())
        f["target_met"] = np.array([e["extra"]["target_met"] for e in record], dtype=np.int64).reshape(n, len(names))
        f["target_median"] = np.array([e["extra"]["target_median"] for e in record]).reshape(n, len(names))
        f["target_median"].attrs["long_name"] = "median over the replications of each target's value at the end"
        f["frontier"] = np.array(front, dtype=np.int64)
        f.attrs["chosen"] = -1 if chosen is None else int(chosen)
    os.replace(tmp, path)


def run_optimise(innosim, scenario, out_dir, sets=(), threads=2):
    """`innosim optimise SCENARIO -o OUT`: prints the answer; writes OUT/optimisation.h5, OUT/frontier-NN.yaml and
    OUT/recommended.yaml (when a mix meets the constraint). Returns the printed text."""
    t0 = time.monotonic()
    tree = resolved_scenario(innosim, scenario, sets)
    block = tree.get("optimise", {})
    bounds = block.get("variables") or {}
    if not bounds:
        raise OptimiseError(f"{scenario}: key 'optimise.variables': names no decision variable; give e.g. "
                            "optimise: {variables: {policy.publicity.scale: [0, 3]}}")
    variables = [Variable(k, b, _lookup(tree, k)) for k, b in bounds.items()]
    targets = [t.strip() for t in str(block["targets"]).split(",") if t.strip()]
    if targets == ["all"]:
        targets = ["T1a", "T1b", "T2a", "T2b", "T3a", "T3b", "T4a", "T4b", "T5", "T6"]
    confidence = float(block["confidence"])
    seed = int(tree["run"]["seed"])
    os.makedirs(out_dir, exist_ok=True)
    record_path = os.path.join(out_dir, "optimisation.h5")
    constraint = f"P({' and '.join(targets)} met) >= {confidence:g}"
    meta = {"scenario": os.path.abspath(scenario), "targets": ",".join(targets), "confidence": confidence,
            "seed": seed, "constraint": constraint, "sets": "\n".join(sets),
            "method": "constrained Bayesian optimisation (GP cost x P(feasible) expected improvement), Wilson racing, "
                      "common random numbers"}
    with tempfile.TemporaryDirectory() as work:
        runs = InnosimRuns(innosim, scenario, sets, variables, targets, threads, work)

        def saved(e, record):
            front = frontier_of([r["cost"] for r in record], [r["p_lo"] for r in record])
            write_record(record_path, meta, variables, record, runs.names, front, None)
            print(f"evaluation {len(record) - 1}: cost {e['cost']:.1f}, {constraint[2:].split(')')[0]}: {e['p']:.2f} "
                  f"[{e['p_lo']:.2f}, {e['p_hi']:.2f}] over {e['replications']} replications"
                  + (" (meets the constraint)" if e["feasible"] else ""), flush=True)

        record = optimise(runs, len(variables), confidence, int(block["evaluations"]), int(block["replications"]),
                          int(block["max_replications"]), seed=seed, start=[v.unit(v.current) for v in variables],
                          on_evaluation=saved)
    cost = [e["cost"] for e in record]
    front = frontier_of(cost, [e["p_lo"] for e in record])
    feasible = [i for i, e in enumerate(record) if e["feasible"]]
    chosen = min(feasible, key=lambda i: cost[i]) if feasible else None
    meta["runtime_seconds"] = time.monotonic() - t0
    meta["model_runs"] = runs.runs
    meta["replications_total"] = runs.replications
    rel = os.path.relpath(os.path.abspath(scenario), os.path.abspath(out_dir))
    lines = []
    for rank, i in enumerate(front, 1):
        e = record[i]
        header = (f"# innosim optimise: frontier mix {rank} of {len(front)} (evaluation {i}): expected public cost "
                  f"{e['cost']:.1f} M CNY, {constraint.split(' >=')[0]} = {e['p']:.2f} "
                  f"[{e['p_lo']:.2f}, {e['p_hi']:.2f}] over {e['replications']} replications"
                  + (", meets the constraint" if e["feasible"] else ", below the constraint"))
        body = _yaml_lines(_nested([(v.key, v.text(x)) for v, x in zip(variables, e["extra"]["x"])]))
        text = "\n".join([header, "# Run it, inspect it, edit it: innosim run THIS_FILE -o mix.h5",
                          f"extends: {rel}", ""] + body) + "\n"
        with open(os.path.join(out_dir, f"frontier-{rank:02d}.yaml"), "w") as f:
            f.write(text)
        if i == chosen:
            with open(os.path.join(out_dir, "recommended.yaml"), "w") as f:
                f.write(text.replace("frontier mix", "recommended (cheapest that meets the constraint): frontier mix"))
    if chosen is None:
        best = max(range(len(record)), key=lambda i: (record[i]["p_lo"], -cost[i]))
        e = record[best]
        answer = (f"no mix found that meets {constraint} (lower end of the 95 % Wilson interval) within the "
                  f"bounds after {len(record)} evaluations; the best probability reached was {e['p']:.2f} "
                  f"[{e['p_lo']:.2f}, {e['p_hi']:.2f}] at expected cost {e['cost']:.1f} M CNY (evaluation {best}: "
                  + ", ".join(f"{v.key}={v.text(x)}" for v, x in zip(variables, e["extra"]["x"])) + ")")
        for t in targets:
            j = runs.names.index(t)
            top = max(range(len(record)), key=lambda i: record[i]["extra"]["target_median"][j])
            answer += (f"; the highest median {t} of any evaluation was {record[top]['extra']['target_median'][j]:.0f} "
                       f"(threshold {runs.thresholds[j]:.0f}, evaluation {top})")
    else:
        e = record[chosen]
        answer = (f"cheapest mix found that meets {constraint}: expected public cost {e['cost']:.1f} M CNY, "
                  f"P = {e['p']:.2f} [{e['p_lo']:.2f}, {e['p_hi']:.2f}] over {e['replications']} replications: "
                  + ", ".join(f"{v.key}={v.text(x)}" for v, x in zip(variables, e["extra"]["x"]))
                  + f" (evaluation {chosen}; {out_dir}/recommended.yaml)")
    meta["answer"] = answer
    write_record(record_path, meta, variables, record, runs.names, front, chosen)
    base = record[0]
    out = [f"input scenario (evaluation 0): expected public cost {base['cost']:.1f} M CNY, P = {base['p']:.2f} "
           f"[{base['p_lo']:.2f}, {base['p_hi']:.2f}]", "",
           "frontier (no other evaluated mix is both cheaper and surer to meet the targets, by the lower Wilson bound):",
           "| mix | evaluation | cost (M CNY) | P(met) | 95 % Wilson | replications | "
           + " | ".join(v.key for v in variables) + " |",
           "|" + "---|" * (6 + len(variables))]
    for rank, i in enumerate(front, 1):
        e = record[i]
        out.append(f"| frontier-{rank:02d}{' (recommended)' if i == chosen else ''} | {i} | {e['cost']:.1f} | "
                   f"{e['p']:.2f} | [{e['p_lo']:.2f}, {e['p_hi']:.2f}] | {e['replications']} | "
                   + " | ".join(v.text(x) for v, x in zip(variables, e["extra"]["x"])) + " |")
    out += ["", answer, "",
            f"{len(record)} evaluations, {runs.runs} model runs, {runs.replications} replications, "
            f"{meta['runtime_seconds']:.0f} s on {threads} thread(s); record: {record_path} "
            f"(innosim report {record_path})"]
    return "\n".join(out)
