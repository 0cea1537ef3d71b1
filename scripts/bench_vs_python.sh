#!/usr/bin/env bash
# Times `stance agree --table` (release build) against pandas read_csv + pivot +
# krippendorff.alpha on the same generated table: 20 coders × 200,000 units, 5 categories,
# 10% missing (about 3.6 million lines, 46 MB).
#
#   pip install krippendorff pandas numpy
#   scripts/bench_vs_python.sh            # uses hyperfine if installed, else /usr/bin/time
#
# Environment: CARGO_TARGET_DIR (default ./target), RUNS (default 5), KEEP=1 keeps the CSV.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
target="${CARGO_TARGET_DIR:-$root/target}"
runs="${RUNS:-5}"
work="$(mktemp -d)"
if [ "${KEEP:-0}" != 1 ]; then trap 'rm -rf "$work"' EXIT; fi
csv="$work/table.csv"

(cd "$root" && cargo build --release --no-default-features --quiet)
stance="$target/release/stance"

python3 - "$csv" <<'PY'
import sys
import numpy as np
units, coders, cats, missing = 200_000, 20, 5, 0.10
rng = np.random.default_rng(1)
truth = rng.integers(1, cats + 1, units)
noise = rng.integers(1, cats + 1, (units, coders))
values = np.where(rng.random((units, coders)) < 0.7, truth[:, None], noise)
u, c = np.nonzero(rng.random((units, coders)) >= missing)
with open(sys.argv[1], "w") as f:
    f.write("unit,coder,value\n")
    f.write("".join(f"u{a},c{b},{v}\n" for a, b, v in zip(u, c, values[u, c])))
PY

cat > "$work/python_alpha.py" <<'PY'
import sys
import pandas as pd
import krippendorff
table = pd.read_csv(sys.argv[1], dtype={"unit": str, "coder": str})
wide = table.pivot(index="coder", columns="unit", values="value")
alpha = krippendorff.alpha(reliability_data=wide.to_numpy(dtype=float),
                           level_of_measurement="nominal")
print(f"{alpha:.12f}")
PY

echo "table: $(wc -l < "$csv") lines, $(du -h "$csv" | cut -f1)"
echo "alpha, stance: $("$stance" agree --table "$csv" --format csv --bootstrap 0 | grep '^krippendorff_alpha' | cut -d, -f2)"
echo "alpha, python: $(python3 "$work/python_alpha.py" "$csv")"

commands=(
  "$stance agree --table $csv --format json --bootstrap 0"
  "$stance agree --table $csv --format json"
  "python3 $work/python_alpha.py $csv"
)
if command -v hyperfine > /dev/null; then
  hyperfine --warmup 1 --runs "$runs" --export-markdown "$work/bench.md" \
    -n "stance, all statistics, no bootstrap" "${commands[0]} > /dev/null" \
    -n "stance, all statistics, 1000 bootstrap samples" "${commands[1]} > /dev/null" \
    -n "pandas + krippendorff.alpha" "${commands[2]} > /dev/null"
  cat "$work/bench.md"
else
  for cmd in "${commands[@]}"; do
    echo "$cmd"
    for _ in $(seq "$runs"); do
      /usr/bin/time -f "  %e s wall, %U s user, %M KB max RSS" $cmd > /dev/null
    done
  done
fi
