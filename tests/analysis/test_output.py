"""innosim run writes a file that xarray opens with named dimensions, a decoded time axis and units."""
import subprocess
import sys
import tempfile

import numpy as np
import xarray as xr

innosim, src = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory() as d:
    path = f"{d}/r.h5"
    subprocess.run([innosim, "run", f"{src}/scenarios/baseline.yaml", "--scale", "0.1", "--replications", "4",
                    "--threads", "2", "-q", "-o", path], check=True, stdout=subprocess.DEVNULL)
    ds = xr.open_dataset(path, engine="h5netcdf")
    assert ds.attrs["status"] == "complete"
    for key in ("Conventions", "innosim_version", "git_commit", "scenario", "seed", "command_line", "created"):
        assert key in ds.attrs, key
    assert "policy:" in ds.attrs["scenario"] and "assumptions:" in ds.attrs["scenario"]
    assert ds["T1_all"].dims == ("replication", "time")
    assert ds["spaces_by_city"].dims == ("replication", "time", "city")
    assert ds["spaces_by_host"].dims == ("replication", "time", "host_type")
    assert ds["teams_by_industry"].dims == ("replication", "time", "industry")
    assert ds["money"].dims == ("replication", "instrument")
    assert np.issubdtype(ds["time"].dtype, np.datetime64), ds["time"].dtype
    assert ds["time"].encoding["units"] == "days since 2016-01-01", ds["time"].encoding
    assert str(ds["time"].values[0])[:10] == "2016-05-01"
    assert str(ds["time"].values[-1])[:10] == "2021-01-01"  # state at the end of 2020-12-31
    assert list(ds["city"].values[:2]) == ["Lanzhou", "Tianshui"]
    for v in ds.variables:
        assert "long_name" in ds[v].attrs, v
        assert "units" in ds[v].attrs or "units" in ds[v].encoding or v in ("city", "host_type", "industry", "instrument",
                                                                             "target", "event_type", "edge_type",
                                                                             "agent_type", "parameter"), v
    # Chunked along time, deflate + shuffle.
    enc = ds["T1_all"].encoding
    assert enc.get("zlib") or enc.get("compression") == "gzip", enc
    assert enc.get("shuffle"), enc
    assert enc.get("chunksizes") == (1, ds.sizes["time"]), enc
    # The total of spaces by host type equals T1(b) everywhere.
    assert np.array_equal(ds["spaces_by_host"].sum("host_type").values, ds["T1_all"].values)
print("output layout ok")

# Optional snapshots and the final graph as an edge list.
import innosim_analysis as ia  # noqa: E402

with tempfile.TemporaryDirectory() as d:
    path = f"{d}/s.h5"
    subprocess.run([innosim, "run", f"{src}/scenarios/baseline.yaml", "--scale", "0.1", "--replications", "2", "-q",
                    "--snapshots", "-o", path], check=True, stdout=subprocess.DEVNULL)
    ds = ia.load(path)
    e = ia.edges(path, 1)
    assert set(e.columns) == {"source", "target", "type", "start", "end"}
    assert set(ds["edge_type"].values) == set(e["type"]), set(e["type"])
    ended = e.dropna(subset=["end"])
    assert len(ended) > 0 and (ended["end"] >= ended["start"]).all()
    assert (e.groupby("type").size().reindex(ds["edge_type"].values).values == ds["edges_created"].values[1]).all()
    s = ia.snapshots(path, 0)
    assert list(s["time"]) == [366.0, 731.0, 1096.0, 1461.0, 1827.0], s["time"]
    running_end = (s["space_status"][-1] == 1).sum()
    assert running_end == ds["T1_all"].values[0, -1], (running_end, ds["T1_all"].values[0, -1])
print("snapshots and edge lists ok")
