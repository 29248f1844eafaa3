"""MPI ensembles (the mpi preset): `mpirun -np 1, 2 and 3 innosim run` of a scenario and of an LHS design give
result files identical, dataset by dataset, to the single-process run (wall times aside); killing one rank of a
3-rank job makes it exit non-zero within seconds naming the rank, and the file keeps every finished replication."""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from result_compare import same  # noqa: E402

innosim, src = sys.argv[1], sys.argv[2]
mpirun = shutil.which("mpirun")
if not mpirun:
    print("mpirun not found: install Open MPI (scripts/install-deps.sh installs openmpi-bin)")
    sys.exit(1)
env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1", OMPI_MCA_rmaps_base_oversubscribe="1")


CASES = {
    "run": [f"{src}/scenarios/baseline.yaml", "--scale", "0.1", "--replications", "10"],
    "lhs": [f"{src}/scenarios/baseline.yaml", "--scale", "0.1", "--set", "uncertainty.method=lhs", "--set",
            "uncertainty.samples=5", "--set", "uncertainty.replications_per_point=2", "--set",
            "uncertainty.parameters=assumptions.team.fail_rate,policy.publicity.scale"],
}
with tempfile.TemporaryDirectory() as d:
    for case, args in CASES.items():
        single = f"{d}/{case}-single.h5"
        subprocess.run([innosim, "run"] + args + ["-q", "--threads", "2", "-o", single], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        for np_ in (1, 2, 3):
            path = f"{d}/{case}-np{np_}.h5"
            proc = subprocess.run([mpirun, "--oversubscribe", "-np", str(np_), innosim, "run"] + args +
                                  ["-q", "--threads", "1", "-o", path], env=env, capture_output=True, text=True,
                                  timeout=120)
            assert proc.returncode == 0, (case, np_, proc.stdout[-1500:], proc.stderr[-1500:])
            same(single, path, f"{case} at -np {np_}")
            with h5py.File(path) as f:
                assert int(f.attrs.get("mpi_ranks", 1)) == np_ or np_ == 1
            print(f"{case}: -np {np_} identical to the single-process file")

    # The optimiser's evaluations over ranks (INNOSIM_LAUNCH): the same record as in one process.
    with open(f"{d}/opt.yaml", "w") as f:
        f.write(f"extends: {src}/scenarios/baseline.yaml\nrun: {{scale: 0.05}}\ntargets: {{scale: 0.05}}\n"
                "optimise:\n  targets: T1b\n  confidence: 0.5\n  replications: 4\n  max_replications: 8\n"
                "  evaluations: 5\n  variables:\n    policy.local_facility_subsidy.annual_budget: [0, 100]\n")
    for name, launch in (("single", ""), ("mpi", f"{mpirun} --oversubscribe -np 3")):
        subprocess.run([innosim, "optimise", f"{d}/opt.yaml", "-o", f"{d}/opt-{name}", "--threads", "1"], check=True,
                       env=dict(env, INNOSIM_LAUNCH=launch), stdout=subprocess.DEVNULL, timeout=300)
    with h5py.File(f"{d}/opt-single/optimisation.h5") as a, h5py.File(f"{d}/opt-mpi/optimisation.h5") as b:
        for name in ("value", "cost", "p", "replications", "target_met", "frontier"):
            assert np.array_equal(a[name][...], b[name][...]), f"optimisation record {name} differs under MPI"
    print("optimise: evaluations over 3 ranks give the same record")

    # Kill one rank of a 3-rank job while it runs.
    args = [f"{src}/scenarios/baseline.yaml", "--scale", "0.5", "--replications", "300", "-q", "--threads", "1"]
    path = f"{d}/killed.h5"
    job = subprocess.Popen([mpirun, "--oversubscribe", "-np", "3", innosim, "run"] + args + ["-o", path], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    victim = None
    deadline = time.monotonic() + 60
    while victim is None and time.monotonic() < deadline:
        time.sleep(0.2)
        if os.path.exists(path + ".partial"):
            with h5py.File(path + ".partial") as f:
                if "completed" not in f or f["completed"][...].sum() < 4:
                    continue
            for pid in os.listdir("/proc"):
                try:
                    environ = open(f"/proc/{pid}/environ", "rb").read().split(b"\0")
                except (OSError, ValueError):
                    continue
                if b"OMPI_COMM_WORLD_RANK=1" in environ and any(path.encode() in a for a in
                                                                open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")):
                    victim = int(pid)
    assert victim, "the job never had 4 finished replications in its file"
    os.kill(victim, signal.SIGKILL)
    t0 = time.monotonic()
    try:
        out, _ = job.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(job.pid, signal.SIGKILL)
        raise AssertionError("the job did not end within 30 s of a rank's death")
    seconds = time.monotonic() - t0
    assert job.returncode != 0, out
    assert "rank 1" in out, out
    assert seconds < 10, f"the job took {seconds:.1f} s to end after rank 1 died"
    partial = path + ".partial"
    assert os.path.exists(partial) and not os.path.exists(path), os.listdir(d)
    with h5py.File(partial) as f:
        done = np.flatnonzero(f["completed"][...] == 1)
        status = f.attrs["status"]
        status = status.decode() if isinstance(status, bytes) else status
        got = {name: f[name][...][done] for name in ("T1_all", "target_value", "money", "public_money")}
    assert len(done) >= 4, done
    # Every finished replication is whole and equals the same replication of a single-process run.
    reference = f"{d}/reference.h5"
    subprocess.run([innosim, "run"] + args[:3] + ["--replications", "300", "-q", "--threads", "2", "-o", reference],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    with h5py.File(reference) as f:
        for name, values in got.items():
            assert np.array_equal(f[name][...][done], values, equal_nan=True), name
    print(f"killed rank 1: the job ended in {seconds:.1f} s with exit {job.returncode}, naming rank 1; "
          f"{partial} ({status}) holds {len(done)} finished replications, each equal to the single-process run's")
    # Checkpoint/restart across ranks. A single-process run stopped by SIGTERM at a checkpoint resumes under mpirun
    # at -np 2 and 3 (every rank reads the checkpoint; the saved replications continue wherever they land), and a
    # 3-rank run whose worker ranks are stopped at a checkpoint (their states travel to rank 0's file) resumes in one
    # process: each file identical to the uninterrupted run's.
    args = [f"{src}/scenarios/baseline.yaml", "--replications", "10", "-q", "--checkpoint-every", "6m"]
    reference = f"{d}/ckpt-reference.h5"
    subprocess.run([innosim, "run"] + args[:3] + ["-q", "--threads", "2", "-o", reference], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    for np_ in (2, 3):
        out = f"{d}/ckpt-single-np{np_}.h5"
        p = subprocess.run([innosim, "run"] + args + ["--threads", "2", "-o", out], capture_output=True, text=True,
                           env=dict(env, INNOSIM_TEST_SIGTERM_AFTER_SAVES="12"), timeout=120)
        assert p.returncode == 130 and os.path.exists(out + ".ckpt"), (p.returncode, p.stderr[-1500:])
        p = subprocess.run([mpirun, "--oversubscribe", "-np", str(np_), innosim, "resume", out + ".ckpt", "-q",
                            "--threads", "1"], capture_output=True, text=True, env=env, timeout=120)
        assert p.returncode == 0, (np_, p.stdout[-1500:], p.stderr[-1500:])
        same(reference, out, f"resumed at -np {np_}")
        print(f"checkpoint of a single-process run resumed at -np {np_}: identical")
    out = f"{d}/ckpt-mpi.h5"
    p = subprocess.run([mpirun, "--oversubscribe", "-np", "3", innosim, "run"] + args + ["--threads", "1", "-o", out],
                       capture_output=True, text=True, env=dict(env, INNOSIM_TEST_SIGTERM_AFTER_SAVES="5"), timeout=120)
    assert p.returncode != 0 and os.path.exists(out + ".ckpt"), (p.returncode, p.stdout[-1500:], p.stderr[-1500:])
    assert "innosim resume" in p.stderr, p.stderr[-1500:]
    p = subprocess.run([innosim, "resume", out + ".ckpt", "-q", "--threads", "2"], capture_output=True, text=True,
                       env=env, timeout=120)
    assert p.returncode == 0 and "continue from their saved state" in p.stdout, (p.stdout[-1500:], p.stderr[-1500:])
    assert " 0 continue from" not in p.stdout, "the workers' saved states did not reach the checkpoint: " + p.stdout
    same(reference, out, "stopped under -np 3, resumed in one process")
    print("a 3-rank run stopped at a checkpoint, resumed in one process: identical")
print("MPI ensembles ok")
