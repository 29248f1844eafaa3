#!/usr/bin/env bash
# PHOLD against the heap-loop yardstick, as PHOLD.md asks: interleaved runs in one session, medians and ratios.
# For each thread count t > 1 it also runs t one-thread runs side by side: the host's ceiling for t threads.
# Usage: bench/compare_phold.sh [BUILD_DIR] [RUNS] [THREADS...]   (defaults: build/release 5 "1 2"; the first
# thread count is the one the others are compared with, and the side-by-side ceiling means what it says if it is 1)
set -euo pipefail
build=${1:-build/release}
runs=${2:-5}
shift $(( $# > 2 ? 2 : $# )) || true
threads=("$@")
[ ${#threads[@]} -gt 0 ] || threads=(1 2)
inno="$build/cli/innosim"
ref="$build/bench/phold_heap_ref"
[ -x "$inno" ] && [ -x "$ref" ] || { echo "build first: cmake --build --preset release" >&2; exit 1; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
rate_of() { tail -1 | sed -E 's/.*events_per_second=([0-9.]+)/\1/'; }  # an `innosim phold` output's rate
declare -A rates
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for cfg in "A 1024 1000" "B 16384 20"; do
  set -- $cfg
  name=$1 lps=$2 end=$3
  for ((i = 0; i < runs; i++)); do
    r=$("$ref" "$lps" 16 "$end" | sed -E 's/.*rate=([0-9.]+) Mev\/s/\1/')
    rates[$name,ref]+="$(awk -v r="$r" 'BEGIN{print r*1e6}') "
    for t in "${threads[@]}"; do
      rates[$name,$t]+="$("$inno" phold --lps "$lps" --end "$end" --threads "$t" | rate_of) "
      # The host's own ceiling for t threads: t one-thread runs side by side, their rates summed. Cores that
      # share a physical core, caches, memory bandwidth or a turbo budget make it less than t x one run alone.
      if ((t > 1)); then
        pids=()
        for ((k = 0; k < t; k++)); do
          "$inno" phold --lps "$lps" --end "$end" --threads 1 >"$tmp/side.$k" &
          pids+=($!)
        done
        for pid in "${pids[@]}"; do wait "$pid"; done  # one by one, so that a failed run stops the script
        rates[$name,side$t]+="$(for ((k = 0; k < t; k++)); do rate_of <"$tmp/side.$k"; done | awk '{s += $1} END {print s}') "
      fi
    done
  done
done
# Ratios of medians, and medians of each round's ratios: a round's runs follow one another, so a slow spell
# of a shared machine slows both sides of a round's ratio rather than one of them.
per_round() { paste -d' ' <(echo "$1" | tr ' ' '\n' | grep .) <(echo "$2" | tr ' ' '\n' | grep .) | awk '{print $1/$2}' | median; }
printf '%-6s %-8s %14s %10s %10s %12s %12s %12s\n' config threads "median ev/s" "x heap" "x 1 thread" "rounds x heap" \
  "rounds x 1t" "of side-by-side"
# One row: the median of a series of rates, and its ratios to the heap loop and the first thread count (of the
# medians, and the medians of each round's), and to a third series if given (the side-by-side runs).
row() {
  local label=$1 series=$2 against=${3:-}
  local med
  med=$(echo $series | tr ' ' '\n' | median)
  local eff=-
  [ -n "$against" ] && eff=$(printf "%.2f" "$(per_round "$series" "$against")")
  printf '%-6s %-8s %14.0f %10.2f %10.2f %12.2f %12.2f %12s\n' "$name" "$label" "$med" \
    "$(awk -v a="$med" -v b="$ref_med" 'BEGIN{print a/b}')" "$(awk -v a="$med" -v b="$one" 'BEGIN{print a/b}')" \
    "$(per_round "$series" "${rates[$name,ref]}")" "$(per_round "$series" "${rates[$name,${threads[0]}]}")" "$eff"
}
for name in A B; do
  ref_med=$(echo ${rates[$name,ref]} | tr ' ' '\n' | median)
  printf '%-6s %-8s %14.0f %10.2f %10s\n' "$name" heap "$ref_med" 1.00 -
  one=$(echo ${rates[$name,${threads[0]}]} | tr ' ' '\n' | median)
  for t in "${threads[@]}"; do row "$t" "${rates[$name,$t]}" "${rates[$name,side$t]:-}"; done
  # The ceiling: t one-thread runs side by side, against one alone (what the host gives t threads that share nothing).
  for t in "${threads[@]}"; do
    if ((t > 1)); then row "${t}x1 side" "${rates[$name,side$t]}" "${rates[$name,side$t]}"; fi
  done
done
