#!/usr/bin/env bash
# Every held-out measure of the embedded engine, on one line, for a refit
# of its weights: what a change to the engine or its training is judged by
# (analyzer/heuristic/README.md). It runs the held-out tests of
# analyzer/heuristic and the scorer on ../shared/eval/dev and testdata/eval.
#
#   scripts/heldout.sh                  # the committed weights
#   scripts/heldout.sh /tmp/w.json      # weights from
#                                       # go run ./analyzer/heuristic/train -out /tmp/w.json ...
#
# With a file, the committed analyzer/heuristic/weights.json is set aside
# while the tests and the binary are built, and put back on exit, however
# the script ends. The tests' own output is read for its summary counts
# only and not kept: the held-out sets are measures, and their
# disagreements item by item are not for reading while tuning.
set -euo pipefail
cd "$(dirname "$0")/.."

weights=analyzer/heuristic/weights.json
tmp=$(mktemp -d)
restore() {
	if [ -f "$tmp/weights.json" ]; then
		cp "$tmp/weights.json" "$weights"
	fi
	rm -rf "$tmp"
}
trap restore EXIT
if [ $# -ge 1 ]; then
	if [ ! -f "$1" ]; then
		echo "heldout.sh: no weights file $1" >&2
		exit 2
	fi
	cp "$weights" "$tmp/weights.json"
	cp "$1" "$weights"
fi

tests='TestSyntheticGuides|TestSyntheticDelivery|TestOffQuestionProbes|TestOffQuestionSet|TestSpokenDeliverySet|TestInvarianceProbes|TestDeliveryProbes|TestDisfluencyPairs|TestHeldOutRetellings|TestQuotePrecisionHeldOut|TestBlindProbeSet2|TestDevScripts|TestSixGuidesHeldOut|TestFreshGuidesHeldOut|TestSpokenCoverageHeldOut|TestDepthHeldOut|TestDepthRetellings|TestClaimsSet'
status=0
go test ./analyzer/heuristic -count=1 -v -run "$tests" > "$tmp/tests.log" 2>&1 || status=$?
go build -o "$tmp/candor" ./cmd/candor
scores=()
for data in ../shared/eval/dev testdata/eval; do
	if [ -d "$data" ]; then
		scores+=("$data: $(python3 ../shared/eval/score.py --bin "$tmp/candor" --data "$data" | tail -1)")
	fi
done

python3 - "$tmp/tests.log" "$status" "${scores[@]}" <<'EOF'
import re, sys
log = open(sys.argv[1]).read()
status = int(sys.argv[2])

def get(pattern):
    m = re.search(pattern, log)
    return m.group(1) if m else '?'

figures = [
    ('six guides QWK', r'six guides: \d+ areas QWK ([0-9.]+)'),
    ('labels', r'six guides:.*?labels (\d+) of'),
    ('fresh QWK', r'both guides: \d+ areas QWK ([0-9.]+)'),
    ('labels', r'both guides:.*?labels (\d+) of'),
    ('synthetic QWK', r'six synthetic guides: \d+ areas QWK ([0-9.]+)'),
    ('missing read missing', r'labelled missing: \d+, read missing (\d+)'),
    ('synthetic delivery', r'synthetic delivery: (\d+) of'),
    ('campus QWK', r'campus guide, held out\): \d+ areas, QWK ([0-9.]+)'),
    ('invariance statuses', r'invariance: (\d+) of 288'),
    ('labels', r'of 36 variants, (\d+) labels'),
    ('retellings labels', r"retellings: 108, label as its source's (\d+)"),
    ('statuses', r"area statuses as the source's (\d+) of 756"),
    ('blind invariance labels', r'blind invariance: of 20 variants, (\d+) labels'),
    ('statuses', r'(\d+) of 160 area statuses'),
    ('blind probes', r'blind delivery probes: (\d+) of 40'),
    ('spoken delivery', r'spoken delivery set: (\d+) of 112'),
    ('delivery probes', r'delivery probes: (\d+) of 51'),
    ('disfluency labels', r'label the same (\d+)'),
    ('statuses', r'area statuses the same (\d+) of 720'),
    ('quotes', r'prototypes \(h2.16\):.*?first quote right \d+ \(([0-9.]+)\)'),
    ('depth QWK', r'depth model QWK ([0-9.]+)'),
    ('depth retellings', r'depth signals of retellings: (\d+) of'),
    ('claims AUC', r'claims set:.*?AUC ([0-9.]+)'),
    ('dev scripts', r'at <= 45: (\d+) of 20'),
    ('spoken confidence right', r'label confidence: labels as labelled mean ([0-9.]+)'),
    ('wrong', r'label confidence: .*?the others mean ([0-9.]+)'),
    ('split pairs borderline: invariance', r'(?<!blind )invariance: (\d+ pairs with two labels, \d+) of them'),
    ('retellings', r'held-out retellings: (\d+ pairs with two labels, \d+) of them'),
    ('blind', r'blind invariance: (\d+ pairs with two labels, \d+) of them'),
    ('the retelling lower: invariance', r'(?<!blind )invariance: \d+ pairs with two labels.*?the retelling lower in (\d+)'),
    ('retellings', r'held-out retellings: \d+ pairs with two labels.*?the retelling lower in (\d+)'),
    ('blind', r'blind invariance: \d+ pairs with two labels.*?the retelling lower in (\d+)'),
]
print('; '.join(f'{name} {get(p)}' for name, p in figures))
failed = re.findall(r'--- FAIL: (\w+)', log)
if failed or status:
    print('failed (a floor was crossed): ' + (', '.join(failed) or f'go test exit {status}'))
for line in sys.argv[3:]:
    print(line)
EOF
