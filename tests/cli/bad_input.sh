#!/usr/bin/env bash
# Each class of bad scenario input: exit code 2 and a message saying what is wrong and where.
set -u
innosim=$1
src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
expect() {  # expect NAME PATTERN -- ARGS...
  local name=$1 pattern=$2
  shift 3
  local out rc
  out=$("$innosim" "$@" 2>&1)
  rc=$?
  if [ "$rc" -ne 2 ] || ! grep -qF -- "$pattern" <<<"$out"; then
    echo "FAIL $name: exit $rc, output: $out (wanted exit 2 and: $pattern)"
    fail=1
  else
    echo "ok   $name: $out"
  fi
}
printf 'run:\n  start: 2016-04-01\n  end: [2020\n' > "$dir/syntax.yaml"
printf 'run:\n  strat: 2016-04-01\n' > "$dir/unknown.yaml"
printf 'run:\n  scale: big\n' > "$dir/type.yaml"
printf 'policy:\n  angel_investment:\n    annual_budget: -1\n' > "$dir/negative.yaml"
printf 'run:\n  start: 2019-01-01\n  end: 2018-01-01\n' > "$dir/dates.yaml"
printf 'extends: b.yaml\n' > "$dir/a.yaml"
printf 'extends: a.yaml\n' > "$dir/b.yaml"
expect syntax "$dir/syntax.yaml:4:1: YAML syntax error" -- validate "$dir/syntax.yaml"
expect unknown_key "$dir/unknown.yaml:2: unknown key 'run.strat'" -- validate "$dir/unknown.yaml"
expect wrong_type "$dir/type.yaml:2: key 'run.scale': expected a number" -- run "$dir/type.yaml" --no-output
expect negative_budget "$dir/negative.yaml:3: key 'policy.angel_investment.annual_budget'" -- run "$dir/negative.yaml" --no-output
expect end_before_start "$dir/dates.yaml:3: key 'run.end'" -- validate "$dir/dates.yaml"
expect missing_file "$dir/none.yaml' does not exist" -- run "$dir/none.yaml"
expect extends_cycle "'extends' cycle" -- validate "$dir/a.yaml"
expect bad_set "command-line override --set: key 'policy.publicity.scale': expected a number" -- run "$src/scenarios/baseline.yaml" --no-output --set policy.publicity.scale=high
expect unknown_set "unknown key 'policy.nothing'" -- validate "$src/scenarios/baseline.yaml" --set policy.nothing=1
printf 'extends: %s/scenarios/baseline.yaml\npolicy:\n  zone_angel_funds:\n    annual_budget: {2017-01-01: 40}\n' "$src" > "$dir/schedule.yaml"
expect schedule_start "$dir/schedule.yaml:4: key 'policy.zone_angel_funds.annual_budget': a schedule must begin on run.start" -- validate "$dir/schedule.yaml"
expect probability "key 'assumptions.investor.angel_accept': expected a number in [0, 1], got '1.7'" -- validate "$src/scenarios/baseline.yaml" --set assumptions.investor.angel_accept=1.7
expect no_budget "spends no public budget of its own" -- validate "$src/scenarios/baseline.yaml" --set policy.angel_investment.annual_budget=5
# Overrides are honoured and said so: a calibrated key set on the command line is pinned, on the console and in the file.
out=$("$innosim" run "$src/scenarios/baseline.yaml" --scale 0.05 --replications 2 -q -o "$dir/pinned.h5" --set assumptions.space.desks_mean=60 2>&1)
if ! grep -qF "assumptions.space.desks_mean = 60 pinned by command-line override --set" <<<"$out"; then
  echo "FAIL pinned_console: $out"; fail=1
else
  echo "ok   pinned_console"
fi
if ! /usr/bin/python3 -c "import h5py,sys; f=h5py.File(sys.argv[1]); p=f.attrs['pinned']; p=p.decode() if isinstance(p,bytes) else p; assert 'desks_mean = 60 pinned' in p, p; assert 'assumptions.space.desks_mean' not in [x.decode() for x in f['parameter'][...]]" "$dir/pinned.h5"; then
  echo "FAIL pinned_file"; fail=1
else
  echo "ok   pinned_file"
fi
out=$("$innosim" validate "$src/scenarios/baseline.yaml" --set assumptions.investor.angel_accept=0.9 2>&1)
if ! grep -qF "innosim: warning: command-line override --set: key 'assumptions.investor.angel_accept': value 0.9 lies outside its plausible range [0.05, 0.2]" <<<"$out"; then
  echo "FAIL range_warning: $out"; fail=1
else
  echo "ok   range_warning"
fi
exit $fail
