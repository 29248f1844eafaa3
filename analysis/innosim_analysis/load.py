"""Opening result files: one call, named dimensions, finished replications only; damaged files refused in seconds."""
import multiprocessing
import os

import numpy as np
import xarray as xr

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
# Variables `innosim report` reads, with their dimensions (the layout of docs/OUTPUT.md): the tables need
# REQUIRED; FIGURES are checked where present (the figures need them).
REQUIRED = {
    "replication": ("replication",), "time": ("time",), "target": ("target",), "completed": ("replication",),
    "target_value": ("replication", "target"), "target_met": ("replication", "target"),
    "target_first_met": ("replication", "target"), "target_threshold": ("target",),
    "public_money": ("replication", "time"), "private_money": ("replication", "time"),
    "spaces_opened": ("replication", "time"), "teams_founded": ("replication", "time"), "jobs": ("replication", "time"),
}
FIGURES = {
    "host_type": ("host_type",), "city": ("city",), "industry": ("industry",),
    "spaces_by_city": ("replication", "time", "city"), "teams_by_industry": ("replication", "time", "industry"),
    **{f"T{i}_{kind}": ("replication", "time") for i in (1, 2, 3, 4) for kind in ("all", "recognised")},
    "T5_mentors": ("replication", "time"), "T6_entrepreneurs": ("replication", "time"),
}
MAX_BYTES = 4 << 30  # no result file innosim writes holds a dataset this large: a size beyond it is damage


class ResultFileError(ValueError):
    """A file innosim cannot read as its own output; the message names the file and what is wrong."""


def _text(value):
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _inspect(path, conn, want_dataset):
    """In a child process: opens the file, checks sizes before reading, reads every attribute and dataset, and for
    a result file loads it with xarray as `load` would, sending the loaded dataset back (so the caller never touches
    the file itself). Sends a summary (kind of file, problems, dataset) or the error's text; a crash or hang here
    cannot take the caller with it."""
    try:
        import h5py

        problems = []
        with h5py.File(path, "r") as f:
            objects = [("", f)]
            f.visititems(lambda name, obj: objects.append((name, obj)))
            for _, obj in objects:
                for _ in obj.attrs.items():  # attributes (and the references in them) decode without fault
                    pass
            marker = _text(f.attrs.get("kind", ""))
            kind = ("calibration" if marker.startswith("innosim calibration") else
                    "optimisation" if marker.startswith("innosim optimisation") else
                    "results" if _text(f.attrs.get("title", "")).startswith("innosim results") else "foreign")
            file_size = max(os.path.getsize(path), 1)
            datasets = [(name, obj) for name, obj in objects if isinstance(obj, h5py.Dataset)]
            values = {}  # every dataset read once (and decompressed): damage shows here, not in a plot later
            for name, d in datasets:
                nbytes = int(np.prod(d.shape, dtype=np.float64) * max(d.dtype.itemsize, 1)) if d.shape else 0
                if nbytes > MAX_BYTES or nbytes > 5000 * file_size + (64 << 20):
                    problems.append(f"dataset '{name}' claims {nbytes} bytes in a file of {file_size}")
                    continue
                values[name] = d[...]
            if kind == "results" and "replication" not in f:
                problems.append("holds no finished replication yet (status: " + _text(f.attrs.get("status", "?")) + ")")
            elif kind == "results":
                sizes = {}
                for name, dims in {**REQUIRED, **FIGURES}.items():
                    if name not in f or not isinstance(f[name], h5py.Dataset):
                        if name in REQUIRED:
                            problems.append(f"variable '{name}' is missing")
                        continue
                    shape = f[name].shape
                    if len(shape) != len(dims):
                        problems.append(f"variable '{name}' has {len(shape)} dimensions, expected {dims}")
                        continue
                    for dim, n in zip(dims, shape):
                        if sizes.setdefault(dim, n) != n:
                            problems.append(f"variable '{name}' has {n} along '{dim}', other variables {sizes[dim]}")
                if not problems:
                    reps = f.attrs.get("replications")
                    if reps is None or int(np.asarray(reps).ravel()[0]) != sizes["replication"]:
                        problems.append(f"attribute 'replications' ({reps}) does not match the {sizes['replication']} "
                                        "replications stored")
                    time = values["time"]
                    if not (np.all(np.isfinite(time)) and np.all(np.diff(time) > 0)):
                        problems.append("coordinate 'time' is not finite and increasing")
                    done = values["completed"] == 1
                    if not np.isin(values["completed"], (0, 1)).all():
                        problems.append("'completed' holds values other than 0 and 1")
                    if not np.isin(values["target_met"], (-1, 0, 1)).all():
                        problems.append("'target_met' holds values other than -1, 0 and 1")
                    for name, obj in datasets:  # string coordinates against their checksummed copy
                        if "checked_values" in obj.attrs:
                            names = "\n".join(_text(v) for v in values[name])
                            if names != _text(obj.attrs["checked_values"]):
                                problems.append(f"the names of coordinate '{name}' are damaged")
                    for name in ("target_value", "public_money", "private_money", "spaces_opened"):
                        if not np.isfinite(values[name][done]).all():
                            problems.append(f"'{name}' has missing values in finished replications")
        dataset = None
        if want_dataset and kind == "results" and not problems:
            ds = xr.open_dataset(path, engine="h5netcdf")
            dataset = ds.load()
            ds.close()
        conn.send({"kind": kind, "problems": problems, "dataset": dataset})
    except BaseException as e:  # noqa: B902 - whatever the library raises is a damaged file
        conn.send({"error": f"{type(e).__name__}: {e}"})


def check_file(path, timeout=None):
    """Checks that `path` is an HDF5 file that reads whole within `timeout` seconds; returns its kind
    ('results', 'calibration', 'optimisation' or 'foreign'). Raises ResultFileError naming the file and the damage."""
    return _checked(path, timeout, False)[0]


def _checked(path, timeout, want_dataset):
    if timeout is None:  # a few seconds for a small file; a large one gets time to be read at 50 MB/s
        timeout = 5.0 + os.path.getsize(path) / 50e6 if os.path.isfile(path) else 5.0
    if not os.path.isfile(path):
        raise ResultFileError(f"{path}: no such file")
    with open(path, "rb") as f:
        head = f.read(8)
    if head != HDF5_SIGNATURE:
        raise ResultFileError(f"{path}: not an HDF5 file (it does not start with the HDF5 signature)")
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_inspect, args=(path, send, want_dataset), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise ResultFileError(f"{path}: reading it took over {timeout:.0f} s; the file is damaged")
        summary = receive.recv()
    except EOFError:
        child.join(1)
        raise ResultFileError(f"{path}: the HDF5 library crashed reading it (exit {child.exitcode}); the file is "
                              "damaged") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join(1)
    if "error" in summary:
        raise ResultFileError(f"{path}: damaged or unreadable HDF5 ({summary['error']})")
    if summary["problems"]:
        raise ResultFileError(f"{path}: not a valid innosim result file: " + "; ".join(summary["problems"][:5]))
    return summary["kind"], summary["dataset"]


def load(path, include_unfinished=False, check=True):
    """Open an innosim HDF5 result file as an xarray.Dataset (engine h5netcdf).

    Replications not flagged in `completed` (a run that was interrupted) are dropped unless
    `include_unfinished` is set. The file's attributes (scenario, seed, version, ...) are kept in `ds.attrs`.
    With `check` (the default) the file is read whole and loaded in a child process, which hands the dataset
    back: a damaged, truncated or foreign file raises ResultFileError within seconds instead of hanging or
    crashing this process. Without it, the file is opened lazily here (large files, trusted).
    """
    if check:
        kind, ds = _checked(path, None, True)
        if kind != "results":
            raise ResultFileError(f"{path}: not an innosim result file (its 'title' attribute does not say "
                                  "'innosim results'" + (f"; it is an innosim {kind} record" if kind != "foreign" else "")
                                  + ")")
    else:
        ds = xr.open_dataset(path, engine="h5netcdf")
    if "completed" in ds and not include_unfinished:
        done = ds["completed"].values == 1
        ds = ds.isel(replication=np.flatnonzero(done))
    return ds


def to_frame(ds, variable):
    """One variable as a long pandas DataFrame (one row per coordinate combination)."""
    return ds[variable].to_dataframe().reset_index()


def edges(path, replication):
    """The final agent graph of one replication (run with --snapshots) as a pandas DataFrame:
    source, target, type (name), start, end (days since 2016-01-01; NaN while live)."""
    import h5py
    import pandas as pd

    with h5py.File(path, "r") as f:
        g = f[f"graph/replication_{replication:06d}"]
        names = [n.decode() if isinstance(n, bytes) else n for n in f["edge_type"][...]]
        frame = pd.DataFrame({k: g[k][...] for k in ("source", "target", "type", "start", "end")})
    frame["type"] = [names[t] for t in frame["type"]]
    return frame


def snapshots(path, replication):
    """Year-end agent states of one replication (run with --snapshots): a dict of 2-D arrays (year, agent slot)
    plus `time`."""
    import h5py

    with h5py.File(path, "r") as f:
        g = f[f"snapshots/replication_{replication:06d}"]
        return {k: g[k][...] for k in g}
