#!/usr/bin/env bash
# Ensemble throughput (replications per minute) of the MPI build at -np 1, 2 and 4 (oversubscribed where the
# machine has fewer cores), and of the plain build beside it: bench/mpi_throughput.sh [BUILD_MPI] [REPS] [SCALE]
# Rank 0 only hands out work, so -np P has P-1 ranks running replications, each with THREADS threads.
set -euo pipefail
build=${1:-build/mpi}
reps=${2:-60}
scale=${3:-1}
threads=${THREADS:-1}
src=$(cd "$(dirname "$0")/.." && pwd)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
innosim="$build/cli/innosim"
run() {  # run LABEL COMMAND...: prints replications per minute
  local label=$1
  shift
  local t0 t1
  t0=$(date +%s.%N)
  "$@" "$src/scenarios/baseline.yaml" --replications "$reps" --scale "$scale" --no-output -q > /dev/null
  t1=$(date +%s.%N)
  awk -v l="$label" -v r="$reps" -v a="$t0" -v b="$t1" 'BEGIN { printf "%-34s %7.2f s  %8.1f replications/minute\n", l, b - a, r * 60 / (b - a) }'
}
echo "baseline.yaml, $reps replications at scale $scale; $(nproc) cores"
run "one process, $(nproc) threads" "$innosim" run --threads "$(nproc)"
for np in 1 2 4; do
  run "mpirun -np $np, $threads thread(s) a rank" mpirun --oversubscribe -np "$np" "$innosim" run --threads "$threads"
done
