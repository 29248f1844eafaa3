#!/usr/bin/env bash
# Installs every Debian 12 package innosim needs to build, test and analyse (run as root; no-op when present).
# chromium: the HTML report is checked in headless Chromium (tests/analysis/test_report_html.py);
# Open MPI: the mpi preset (docs/HPC.md); the default build does not use it.
set -euo pipefail
packages=(
  g++ cmake ninja-build git ca-certificates clang-format
  libtbb-dev libboost-dev libboost-graph-dev libhdf5-dev libyaml-cpp-dev libcli11-dev libfmt-dev librandom123-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-h5py python3-xarray python3-h5netcdf python3-matplotlib python3-pandas python3-numpy python3-yaml
  chromium libopenmpi-dev openmpi-bin
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages: ${missing[*]} (run as root, or: sudo $0)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
