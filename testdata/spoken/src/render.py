"""Renders interviews.py (and interviews_blind2.py, s43-s54, and
interviews_blind3.py, s55-s66) into the spoken
test set: one transcript and one NAME.gold.json per interview.
Deterministic: python3 src/render.py"""
import json, os, re, sys
sys.path.insert(0, os.path.dirname(__file__))
from interviews import INTERVIEWS
from interviews_blind2 import INTERVIEWS_BLIND2
from interviews_blind3 import INTERVIEWS_BLIND3

OUT = os.path.join(os.path.dirname(__file__), "..")
EXT = {"plain": ".txt", "plain-roles": ".txt", "qa": ".txt", "ir": ".txt", "vtt-zoom": ".vtt", "vtt-teams": ".vtt",
       "srt": ".srt", "otter": ".txt", "json": ".json"}
GOLD_FORMAT = {"plain": "plain", "plain-roles": "plain", "qa": "plain", "ir": "plain", "vtt-zoom": "vtt", "vtt-teams": "vtt",
               "srt": "srt", "otter": "otter", "json": "turns-json"}

def clock(sec, sep):
    return "%02d:%02d:%02d%s000" % (sec // 3600, sec // 60 % 60, sec % 60, sep)

def render(iv):
    interviewers, cand = iv["names"]
    if isinstance(interviewers, str):
        interviewers = (interviewers,)
    turns = []  # merged: [speaker, text, gold_q, closing]
    for who, text in iv["turns"]:
        m = re.search(r"@(q\d+|close|deferred:q\d+) ", text)
        mark = None
        if m:
            mark = m.group(1)
            text = text[:m.start()] + text[m.end():]
        name = cand if who == "C" else interviewers[int(who[1:]) if len(who) > 1 else 0]
        if turns and turns[-1][0] == name:
            turns[-1][1] += " " + text
            if mark:
                turns[-1][2] = turns[-1][2] or mark
        else:
            turns.append([name, text, mark])
    fmt = iv["fmt"]
    lines, sec = [], 0
    if fmt.startswith("vtt"):
        lines.append("WEBVTT\n")
    cues = []
    for k, (name, text, _) in enumerate(turns):
        dur = max(3, len(text.split()) // 3)
        cues.append((name, text, sec, sec + dur))
        sec += dur + 1
    if fmt in ("plain", "plain-roles", "qa", "ir"):
        body = "\n\n".join("%s: %s" % (n, t) for n, t, _, _ in cues) + "\n"
    elif fmt == "vtt-zoom":
        body = "WEBVTT\n\n" + "\n".join("%d\n%s --> %s\n%s: %s\n" % (k + 1, clock(a, "."), clock(b, "."), n, t) for k, (n, t, a, b) in enumerate(cues))
    elif fmt == "vtt-teams":
        body = "WEBVTT\n\n" + "\n".join("%s --> %s\n<v %s>%s</v>\n" % (clock(a, "."), clock(b, "."), n, t) for n, t, a, b in cues)
    elif fmt == "srt":
        body = "\n".join("%d\n%s --> %s\n%s: %s\n" % (k + 1, clock(a, ","), clock(b, ","), n, t) for k, (n, t, a, b) in enumerate(cues))
    elif fmt == "otter":
        body = "\n".join("%s  %d:%02d\n%s\n" % (n, a // 60, a % 60, t) for n, t, a, b in cues) + "\n\nTranscribed by https://otter.ai\n"
    elif fmt == "json":
        body = json.dumps([{"speaker": n, "text": t, "start": a, "end": b} for n, t, a, b in cues], indent=1, ensure_ascii=False) + "\n"
    name = iv["name"]
    with open(os.path.join(OUT, name + EXT[fmt]), "w") as f:
        f.write(body)
    closing = next(k for k, t in enumerate(turns) if t[2] == "close")
    gold = {"format": GOLD_FORMAT[fmt], "guide": iv["guide"],
            "interviewer": list(interviewers) if len(interviewers) > 1 else interviewers[0], "candidate": cand,
            "closing_at_turn": closing,
            "segments": [{"question_id": t[2], "asked_at_turn": k} for k, t in enumerate(turns) if t[2] and t[2].startswith("q")]}
    deferred = [{"question_id": t[2].split(":")[1], "asked_at_turn": k} for k, t in enumerate(turns) if t[2] and t[2].startswith("deferred:")]
    if deferred:
        # An ask the candidate put off: not the question's gold ask (the
        # later one is), but where the answer before it ends.
        gold["deferred_asks"] = deferred
    with open(os.path.join(OUT, name + ".gold.json"), "w") as f:
        json.dump(gold, f, indent=2)
        f.write("\n")

for iv in INTERVIEWS + INTERVIEWS_BLIND2 + INTERVIEWS_BLIND3:
    render(iv)
