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
