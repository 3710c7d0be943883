package transcript

import (
	"bytes"
	"unicode/utf8"

	"github.com/candorhq/candor/analyzer"
)

// piece is one line (or voice span) of a conversation format, before the
// parser knows whether its label is a speaker. Labels are decided over the
// whole input (resolve), because "Note:" once inside an answer and "Priya:"
// on every other line look the same to a line-by-line reader.
type piece struct {
	full  []byte // the text if label turns out not to be a speaker
	label []byte // speaker label candidate; nil when the line has none
	body  []byte // the text after the label
	// explicit labels come from syntax that can only name a speaker (a
	// WebVTT voice tag, an Otter header with two spaces).
	explicit bool
	// midBlock is set for a line that directly follows another non-blank
	// line of plain text.
	midBlock bool
	// cueStart is set for the first line of a subtitle cue, where a label
	// names the speaker even if that speaker talks only once.
	cueStart   bool
	line       int
	start, end int64
}

// resolve decides which labels are speakers and feeds the pieces to a turn
// builder. A label is a speaker when its syntax says so, when it names a
// role, when it starts a subtitle cue, or when it recurs; never when it is a
// word that commonly starts a line of prose ("Note:"). In a plain text whose
// speakers each start a blank-line separated block, a recurring label that
// never starts a block is prose (an answer quoting a dialogue). A name that
// occurs once in plain text is not trusted: it is more often a title or a
// heading than a speaker who said one thing, unless every line of the text
// is labelled and the labels differ (a question and its answer, two lines).
//
// Pieces before the first speaker are dropped (a title, a preamble).
func resolve(pieces []piece) []analyzer.Turn {
	type stats struct{ count, atStart int }
	labels := map[string]*stats{}
	for i := range pieces {
		if p := &pieces[i]; p.label != nil && !p.explicit {
			st := labels[string(p.label)]
			if st == nil {
				st = &stats{}
				labels[string(p.label)] = st
			}
			st.count++
			if !p.midBlock {
				st.atStart++
			}
		}
	}
	allLabelled := len(labels) >= 2
	for i := range pieces {
		if p := &pieces[i]; p.label == nil || isStopLabel(p.label) {
			allLabelled = false
			break
		}
	}
	candidate := func(label []byte, st *stats) bool {
		return isRoleLabel(label) || (st.count >= 2 || allLabelled) && !isStopLabel(label)
	}
	starters, starts := 0, 0
	for label, st := range labels {
		if st.atStart == st.count && candidate([]byte(label), st) {
			starters++
			starts += st.count
		}
	}
	blocks := starters >= 2 && starts >= 4
	speaker := func(p *piece) bool {
		if p.label == nil {
			return false
		}
		if p.explicit {
			return true
		}
		st := labels[string(p.label)]
		if p.cueStart && !isStopLabel(p.label) {
			return true
		}
		if !candidate(p.label, st) {
			return false
		}
		return isRoleLabel(p.label) || !blocks || st.atStart > 0
	}

	var b builder
	b.init(pieces)
	var cur []byte
	for i := range pieces {
		p := &pieces[i]
		text := p.full
		if speaker(p) {
			cur = canonicalSpeaker(p.label)
			text = p.body
			b.mark(cur, p.line, p.start, p.end)
		}
		if cur == nil {
			continue // before the first speaker: a title or preamble
		}
		b.add(cur, text, p.line, p.start, p.end)
	}
	return b.finish()
}

// builder merges consecutive pieces by one speaker into turns. All turn
// texts share one string, so a transcript costs a handful of allocations
// whatever its number of turns.
type builder struct {
	out      []byte
	turns    []analyzer.Turn
	spans    [][2]int
	speakers map[string]string
	// pending holds where the next turn starts when a label line has no text
	// of its own ("Interviewer:" alone, an Otter header).
	pending struct {
		speaker    []byte
		line       int
		start, end int64
	}
}

func (b *builder) init(pieces []piece) {
	size := 0
	for i := range pieces {
		size += max(len(pieces[i].full), len(pieces[i].body)) + 1
	}
	b.out = make([]byte, 0, size)
	b.speakers = map[string]string{}
	b.turns = make([]analyzer.Turn, 0, len(pieces)/4+1)
	b.spans = make([][2]int, 0, len(pieces)/4+1)
}

// mark records that speaker starts talking at line (and time start), so a
// turn whose text comes on later lines still points at its label.
func (b *builder) mark(speaker []byte, line int, start, end int64) {
	if n := len(b.turns); n > 0 && b.turns[n-1].Speaker == string(speaker) {
		b.pending.speaker = nil // the same speaker goes on: the turn has its start
		return
	}
	b.pending.speaker = speaker
	b.pending.line, b.pending.start, b.pending.end = line, start, end
}

func (b *builder) add(speaker, text []byte, line int, start, end int64) {
	text = trimSpace(text)
	if len(text) > 0 && (text[0] >= utf8.RuneSelf || text[len(text)-1] >= utf8.RuneSelf) {
		text = bytes.TrimSpace(text) // a non-breaking or other Unicode space
	}
	if len(text) == 0 {
		return
	}
	n := len(b.turns)
	if n > 0 && b.turns[n-1].Speaker == string(speaker) {
		t := &b.turns[n-1]
		b.out = append(b.out, ' ')
		b.out = append(b.out, text...)
		b.spans[n-1][1] = len(b.out)
		if t.Start < 0 {
			t.Start = start
		}
		if end > t.End {
			t.End = end
		}
		return
	}
	if b.pending.speaker != nil && string(b.pending.speaker) == string(speaker) {
		line = b.pending.line
		if b.pending.start >= 0 {
			start = b.pending.start
		}
		if end < 0 {
			end = b.pending.end
		}
	}
	b.pending.speaker = nil
	name, ok := b.speakers[string(speaker)]
	if !ok {
		name = string(speaker)
		b.speakers[name] = name
	}
	from := len(b.out)
	b.out = append(b.out, text...)
	b.turns = append(b.turns, analyzer.Turn{Speaker: name, Start: start, End: end, Line: line})
	b.spans = append(b.spans, [2]int{from, len(b.out)})
}

func (b *builder) finish() []analyzer.Turn {
	all := string(b.out)
	for i := range b.turns {
		t := &b.turns[i]
		t.Text = all[b.spans[i][0]:b.spans[i][1]]
		if t.Start >= 0 && t.End >= 0 && t.End < t.Start {
			t.End = -1 // pieces disagree (an end without a start); say unknown
		}
	}
	return b.turns
}
