#!/usr/bin/env python3
"""Fit the embedded engine's coverage model (analyzer/heuristic/model.go).

Reads feature dumps written by TestCalibrationDump (JSON lines with x, gold),
fits a ridge least-squares line from the features to the status (missing 0,
partial 1, covered 2), picks the two thresholds that maximise quadratic
weighted kappa, and reports each set scored by a model fitted on the others,
so a weight that only fits one set shows up. Standard library only.

  CANDOR_CALIB=../shared/eval/dev/answers.jsonl CANDOR_CALIB_OUT=/tmp/dev.jsonl \\
      go test ./analyzer/heuristic -run Calib -count=1
  python3 scripts/fit_coverage.py /tmp/dev.jsonl /tmp/e.jsonl
"""
import json
import sys

S = {"missing": 0, "partial": 1, "covered": 2}
RIDGE = 2.0


def load(path):
    rows = []
    for line in open(path):
        d = json.loads(line)
        rows.append(([1.0] + d["x"], S[d["gold"]]))
    return rows


def solve(a, b):
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        if abs(m[c][c]) < 1e-12:
            continue
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    return [m[i][n] / m[i][i] if abs(m[i][i]) > 1e-12 else 0.0 for i in range(n)]


def fit(rows):
    k = len(rows[0][0])
    a = [[0.0] * k for _ in range(k)]
    b = [0.0] * k
    for x, y in rows:
        for i in range(k):
            b[i] += x[i] * y
            for j in range(k):
                a[i][j] += x[i] * x[j]
    for i in range(1, k):
        a[i][i] += RIDGE
    return solve(a, b)


def qwk(pairs, k=3):
    n = len(pairs)
    o = [[0] * k for _ in range(k)]
    for g, p in pairs:
        o[g][p] += 1
    hg = [sum(o[i]) for i in range(k)]
    hp = [sum(o[i][j] for i in range(k)) for j in range(k)]
    num = den = 0.0
    for i in range(k):
        for j in range(k):
            w = (i - j) ** 2 / (k - 1) ** 2
            num += w * o[i][j]
            den += w * hg[i] * hp[j] / n
    return 1 - num / den if den else float("nan")


def predict(w, x):
    return sum(a * b for a, b in zip(w, x))


def classify(v, lo, hi):
    return 2 if v >= hi else 1 if v >= lo else 0


def thresholds(w, rows):
    best = None
    for lo in [i / 100 for i in range(20, 160, 2)]:
        for hi in [i / 100 for i in range(int(lo * 100) + 2, 200, 2)]:
            q = qwk([(y, classify(predict(w, x), lo, hi)) for x, y in rows])
            if best is None or q > best[0]:
                best = (q, lo, hi)
    return best


def main():
    sets = {p: load(p) for p in sys.argv[1:]}
    for held in sets:
        train = [r for p, rs in sets.items() if p != held for r in rs]
        if not train:
            continue
        w = fit(train)
        _, lo, hi = thresholds(w, train)
        q = qwk([(y, classify(predict(w, x), lo, hi)) for x, y in sets[held]])
        print("fitted without %s: qwk on it %.3f" % (held, q))
    rows = [r for rs in sets.values() for r in rs]
    w = fit(rows)
    q, lo, hi = thresholds(w, rows)
    print("all sets: qwk %.3f, thresholds partial %.2f covered %.2f" % (q, lo, hi))
    print("weights (bias first):", ", ".join("%.3f" % v for v in w))


if __name__ == "__main__":
    main()
