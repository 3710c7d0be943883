#!/usr/bin/env bash
# Remakes the LibreOffice-made transcript documents that
# TestDocumentsGiveTheSameAnswers reads (apt-get install libreoffice-writer-nogui).
# The Teams VTT is first written in the layout Teams gives its .docx
# ("0:0:1.635 --> 0:0:7.965", the speaker's name, what they said).
set -euo pipefail
cd "$(dirname "$0")"
src=../../../testdata/eval/transcripts
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$src/t02_teams.vtt" "$work/t02_teams.txt" <<'PY'
import re, sys
vtt = open(sys.argv[1], encoding="utf-8").read()
out = []
unpad = lambda h, m, s, f: f"{int(h)}:{int(m)}:{int(s)}.{f}"
for m in re.finditer(r"^(\d\d):(\d\d):(\d\d)\.(\d+) --> (\d\d):(\d\d):(\d\d)\.(\d+)\n<v ([^>]+)>(.*)</v>$", vtt, re.M):
    g = m.groups()
    out += [unpad(*g[0:4]) + " --> " + unpad(*g[4:8]), g[8], g[9], ""]
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out) + "\n")
PY
cp "$src/t04_otter.txt" "$src/t05_plain.txt" "$work/"
for f in t02_teams t04_otter t05_plain; do
  for ext in docx pdf; do
    soffice --headless --infilter="Text (encoded):UTF8,LF,Liberation Serif,en-US" --convert-to "$ext" --outdir . "$work/$f.txt" >/dev/null
  done
done
ls -l ./*.docx ./*.pdf
