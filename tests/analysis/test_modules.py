"""The Python modules innosim's analysis needs are importable (fails, never skips, when one is missing)."""
import importlib
import sys

missing = []
for name in ("numpy", "pandas", "h5py", "xarray", "h5netcdf", "matplotlib", "innosim_analysis"):
    try:
        importlib.import_module(name)
    except ImportError as e:
        missing.append(f"{name} ({e})")
if missing:
    print("missing Python modules for", sys.executable, ":", ", ".join(missing), "- run scripts/install-deps.sh")
    sys.exit(1)
print("all analysis modules present under", sys.executable)
