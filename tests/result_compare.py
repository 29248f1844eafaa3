"""Compares two innosim result files dataset by dataset (the MPI and checkpoint tests' yardstick)."""
import h5py
import numpy as np

PROVENANCE = {"runtime"}  # wall time per replication differs by run


def datasets(path):
    out = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: out.__setitem__(name, obj[...]) if isinstance(obj, h5py.Dataset) else None)
    return out


def same(a, b, label):
    """Asserts that every dataset but the wall times is equal (NaN equal to NaN)."""
    da, db = datasets(a), datasets(b)
    assert da.keys() == db.keys(), (label, set(da) ^ set(db))
    for name in da:
        if name in PROVENANCE:
            continue
        x, y = da[name], db[name]
        equal = np.array_equal(x, y, equal_nan=True) if x.dtype.kind == "f" else np.array_equal(x, y)
        assert equal, f"{label}: dataset {name} differs from the reference run"
