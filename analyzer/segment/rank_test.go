package segment

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candorhq/candor/guide"
	"github.com/candorhq/candor/transcript"
)

// TestRankDump prints, for every gold question turn, the score variants of
// the gold question and of the best other one (a tuning tool: runs only with
// CANDOR_RANK=1).
func TestRankDump(t *testing.T) {
	if os.Getenv("CANDOR_RANK") == "" {
		t.Skip("set CANDOR_RANK=1 to dump ranking data")
	}
	g, err := guide.Load("../../../shared/seeds/000_d3797fe2d9603f3b.txt")
	if err != nil {
		t.Skip(err)
	}
	m := guideMatchers(g)
	st, se := m.text.NewScorer(), m.ext.NewScorer()
	files, _ := filepath.Glob("../../../shared/eval/dev/transcripts/*")
	more, _ := filepath.Glob("../../testdata/eval/transcripts/*")
	for _, f := range append(files, more...) {
		if strings.HasSuffix(f, ".gold.json") {
			continue
		}
		data, _ := os.ReadFile(f)
		tr, err := transcript.Parse(f, data)
		if err != nil {
			t.Fatal(err)
		}
		var gold struct {
			Segments []struct {
				QuestionID string `json:"question_id"`
				Turn       int    `json:"asked_at_turn"`
			} `json:"segments"`
		}
		gd, _ := os.ReadFile(strings.TrimSuffix(f, filepath.Ext(f)) + ".gold.json")
		json.Unmarshal(gd, &gold)
		isGold := map[int]string{}
		for _, s := range gold.Segments {
			isGold[s.Turn] = s.QuestionID
		}
		for i, turn := range tr.Turns {
			if !asks(turn.Text) {
				continue
			}
			lem := lemmasOf(turn.Text)
			n := len(g.Questions)
			a, b := make([]float64, n), make([]float64, n)
			st.Score(lem, a)
			ta := append([]float64{}, st.TurnSide()...)
			se.Score(lem, b)
			tb := append([]float64{}, se.TurnSide()...)
			reply := ""
			for j := i + 1; j < len(tr.Turns) && j <= i+1; j++ {
				reply += " " + tr.Turns[j].Text
			}
			rl := lemmasOf(reply)
			ra, rb := make([]float64, n), make([]float64, n)
			st.Score(rl, ra)
			se.Score(rl, rb)
			fmt.Printf("%s %d %q", filepath.Base(f), i, isGold[i])
			for q := 0; q < n; q++ {
				fmt.Printf(" %s:%.3f:%.3f:%.3f:%.3f:%.3f:%.3f", g.Questions[q].ID, a[q], b[q], ta[q], tb[q], ra[q], rb[q])
			}
			fmt.Printf(" |%d\n", len(strings.Fields(turn.Text)))
		}
	}
}
