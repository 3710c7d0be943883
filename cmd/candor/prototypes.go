package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strconv"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/evaluation"
	"github.com/candorhq/candor/guide"
)

// guidesPrototypes learns a guide's quote prototypes from labelled answers
// with evidence sentences: what the quotes of a team's own guide look like
// (heuristic.ProtoBuilder). The built-in guides have theirs from the
// project's labelled answers; any other guide's areas have none until a
// team builds them with this.
func (e *environment) guidesPrototypes(args []string) error {
	fset := flag.NewFlagSet("guides prototypes", flag.ContinueOnError)
	fset.SetOutput(e.stderr)
	c := newConfig("guides prototypes", fset, e.getenv)
	fset.Usage = subUsage(fset, "Usage: candor guides prototypes --guide ID|FILE [--min-answers N] [-o FILE] LABELS...\n\n"+
		"Learns, for each area of the guide, what the sentence that answers it looks like, from your own\n"+
		"labelled answers: LABELS are labelled sets as 'candor eval' reads them (answers.jsonl or .csv, or\n"+
		"a folder with one) whose answers mark each area's evidence sentences (\"evidence\": {\"3\": [...]}).\n"+
		"An area with evidence in at least --min-answers answers gets a prototype: the direction, in\n"+
		"word-vector space, from the answers' other sentences to its evidence sentences. 'candor analyze\n"+
		"--prototypes FILE' then quotes those areas with them, as the built-in guides' areas are quoted;\n"+
		"'candor eval --prototypes FILE' on answers you kept back measures what they change.\n\n"+
		"The file holds vectors and hashes of the areas' words, no text of the answers or the guide.\n\n"+
		"Example:\n  candor guides prototypes --guide my-guide.yaml labelled/ -o my-guide.prototypes.json\n"+
		"  candor analyze --guide my-guide.yaml --prototypes my-guide.prototypes.json interview.vtt\n")
	pos, err := c.parse(args)
	if err != nil {
		return err
	}
	ref := c.str("guide")
	if ref == "" {
		return usagef("guides prototypes: --guide is required: the guide the answers were labelled against")
	}
	if len(pos) == 0 {
		return fmt.Errorf("%w: give a labelled set: answers.jsonl or .csv with evidence, or a folder with one", errNoInput)
	}
	g, err := guide.Load(ref)
	if err != nil {
		return err
	}
	f, n, err := learnPrototypes(g, pos, c.int("min-answers"))
	if err != nil {
		return err
	}
	withProto := 0
	for _, a := range f.Areas {
		if a.Prototype {
			withProto++
		}
	}
	fmt.Fprintf(e.stderr, "candor: guides prototypes: %d of %d areas have a prototype, from %d labelled answers with evidence\n",
		withProto, len(f.Areas), n)
	if withProto == 0 {
		return &analyzer.InputError{File: pos[0], Reason: fmt.Sprintf("no area has evidence sentences in %d answers (--min-answers): nothing to learn", c.int("min-answers"))}
	}
	b, err := json.MarshalIndent(f, "", " ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if out := c.str("o"); out != "" {
		return os.WriteFile(out, b, 0o644)
	}
	_, err = e.stdout.Write(b)
	return err
}

// learnPrototypes traces every labelled answer with evidence against its
// question of g and builds the prototypes of the areas with at least
// answers (minAnswers); n is the number of answers read.
func learnPrototypes(g *analyzer.Guide, paths []string, minAnswers int) (*heuristic.PrototypeFile, int, error) {
	eng := heuristic.New()
	b := heuristic.NewProtoBuilder()
	n := 0
	for _, path := range paths {
		set, err := evaluation.LoadSet(path)
		if err != nil {
			return nil, 0, err
		}
		for _, it := range set.Answers {
			if len(it.Evidence) == 0 || it.Text == "" {
				continue
			}
			q, ok := g.Question(it.QuestionID)
			if !ok {
				return nil, 0, &analyzer.InputError{File: it.Source, Field: "question_id", Reason: fmt.Sprintf("%q is no question of guide %s", it.QuestionID, g.ID)}
			}
			tr, err := eng.Trace(*q, g.Questions, it.Text)
			if err != nil {
				return nil, 0, &analyzer.InputError{File: it.Source, Field: "text", Reason: err.Error()}
			}
			for _, k := range slices.Sorted(maps.Keys(it.Evidence)) {
				sents := it.Evidence[k]
				a, err := strconv.Atoi(k)
				if err != nil || a < 1 || a > len(q.Areas) {
					return nil, 0, &analyzer.InputError{File: it.Source, Field: "evidence." + k, Reason: fmt.Sprintf("question %s has areas 1 to %d", q.ID, len(q.Areas))}
				}
				if len(sents) > 0 {
					b.Add(heuristic.AreaKey(q.Areas[a-1]), tr.Units, heuristic.GoldUnits(it.Text, tr.Units, sents))
				}
			}
			n++
		}
	}
	p := b.Build(minAnswers, nil)
	f := &heuristic.PrototypeFile{Format: heuristic.PrototypeFormat, Guide: g.ID, Engine: heuristic.Version, Prototypes: p, Areas: []heuristic.PrototypeArea{}}
	for _, q := range g.Questions {
		for ai, a := range q.Areas {
			k := heuristic.AreaKey(a)
			_, has := p.Keys[k]
			f.Areas = append(f.Areas, heuristic.PrototypeArea{Question: q.ID, Area: ai + 1, Answers: b.Answers(k), Prototype: has})
		}
	}
	return f, n, nil
}

// loadPrototypes reads a prototype file into the embedded engine.
func loadPrototypes(path string) (analyzer.Engine, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &analyzer.InputError{File: path, Reason: "no such prototype file"}
	}
	if err != nil {
		return nil, err
	}
	f, err := heuristic.DecodePrototypeFile(b)
	if err != nil {
		return nil, &analyzer.InputError{File: path, Reason: err.Error()}
	}
	return heuristic.NewWithPrototypes(f.Prototypes)
}
