"""Opening result files: one call, named dimensions, finished replications only."""
import numpy as np
import xarray as xr


def load(path, include_unfinished=False):
    """Open an innosim HDF5 result file as an xarray.Dataset (engine h5netcdf).

    Replications not flagged in `completed` (a run that was interrupted) are dropped unless
    `include_unfinished` is set. The file's attributes (scenario, seed, version, ...) are kept in `ds.attrs`.
    """
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
