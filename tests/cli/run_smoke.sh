#!/usr/bin/env bash
# innosim run: the summary table of T1-T6 on stdout and a complete HDF5 file that xarray opens with named dims.
set -eu
innosim=$1
src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
out=$("$innosim" run "$src/scenarios/baseline.yaml" --scale 0.1 --replications 3 --threads 2 -o "$dir/r.h5")
echo "$out"
for t in 'T1(a)' 'T1(b)' 'T2(a)' 'T3(b)' 'T4(b)' T5 T6; do grep -qF "$t" <<<"$out" || { echo "summary lacks $t"; exit 1; }; done
grep -q "No verdicts" <<<"$out" || { echo "scale 0.1 must give no verdicts"; exit 1; }
[ -f "$dir/r.h5" ] && [ ! -e "$dir/r.h5.partial" ] || { echo "no complete result file"; exit 1; }
/usr/bin/python3 - "$dir/r.h5" <<'PY'
import sys
import xarray as xr
ds = xr.open_dataset(sys.argv[1], engine="h5netcdf")
assert ds.attrs["status"] == "complete", ds.attrs["status"]
assert ds["T1_all"].dims == ("replication", "time"), ds["T1_all"].dims
assert ds["spaces_by_city"].dims == ("replication", "time", "city")
assert ds.sizes["replication"] == 3 and ds.sizes["city"] == 14
assert str(ds["time"].values[0])[:10] == "2016-05-01", ds["time"].values[0]
assert all(ds["completed"].values == 1)
for v in ds.data_vars:
    # xarray moves the units of time-like variables into .encoding when it decodes them.
    assert "long_name" in ds[v].attrs, v
    assert "units" in ds[v].attrs or "units" in ds[v].encoding, v
print("xarray ok:", dict(ds.sizes))
PY
