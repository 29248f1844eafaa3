"""The calibrated baseline reproduces what Gansu did: the 90 % band of 100 replications at scale 1 (each
drawing its fitted parameters from their plausible ranges) covers every 2016-2017 statistic it was fitted to.
Also: the baseline really is calibrated (extends the record's scenario, draws per replication), and the
uncalibrated plan does not pass the same check, so the test can fail."""
import os
import subprocess
import sys
import tempfile

import xarray as xr

from innosim_analysis.calibrate import coverage, read_observed

innosim, src = sys.argv[1], sys.argv[2]
observed, _ = read_observed(os.path.join(src, "data", "gansu_calibration.csv"))
assert len(observed) == 5, [o["indicator"] for o in observed]
end = "2017-12-31"  # the last observation is dated 2018-01-01: the run's end snapshot


def run(scenario, path, extra=()):
    subprocess.run([innosim, "run", os.path.join(src, "scenarios", scenario), "-q", "-o", path, "--replications",
                    "100", "--threads", "2", "--scale", "1", "--set", f"run.end={end}", *extra], check=True,
                   stdout=subprocess.DEVNULL)
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        return ds.attrs["design_method"], coverage(ds, observed)


with tempfile.TemporaryDirectory() as d:
    method, rows = run("baseline.yaml", os.path.join(d, "baseline.h5"))
    assert method == "calibrated", method
    for r in rows:
        print(f"baseline {r['indicator']}: observed {r['observed']:g}, model {r['median']:g} "
              f"[{r['lo']:g}, {r['hi']:g}]")
    missed = [r["indicator"] for r in rows if not r["covers"]]
    assert not missed, f"the calibrated baseline's 90 % band misses {missed}"

    # The same check on the plan before calibration (its priors' point values) misses some statistic.
    _, before = run("plan.yaml", os.path.join(d, "plan.h5"))
    assert any(not r["covers"] for r in before), before
print("calibrated baseline covers all", len(observed), "observations")
