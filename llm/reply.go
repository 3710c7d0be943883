package llm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/candorhq/candor/prompts"
)

// reply is the model's answer, as prompts' schema describes it.
type reply struct {
	// AnswersTheQuestion is the model's verdict on whether the answer is
	// about its question; nil when a server that does not enforce the
	// schema let the model leave it out (read as on the question).
	AnswersTheQuestion *bool         `json:"answers_the_question"`
	Areas              []replyArea   `json:"areas"`
	Delivery           replyDelivery `json:"delivery"`
	Depth              []replyArea   `json:"depth"`
	FollowUps          []string      `json:"follow_ups"`
}

type replyArea struct {
	Index      int      `json:"index"`
	Status     string   `json:"status"`
	Confidence float64  `json:"confidence"`
	Quotes     []string `json:"quotes"`
}

type replyDelivery struct {
	Label       string `json:"label"`
	Specificity int    `json:"specificity"`
	STAR        struct {
		Situation bool `json:"situation"`
		Task      bool `json:"task"`
		Action    bool `json:"action"`
		Result    bool `json:"result"`
	} `json:"star"`
	Signals []struct {
		Kind     string `json:"kind"`
		Polarity string `json:"polarity"`
		Quote    string `json:"quote"`
	} `json:"signals"`
}

// optionalVerdict is the one field of the reply schema a reply may lack.
const optionalVerdict = "answers_the_question"

// errUnusable marks a reply that arrived but cannot be used (not JSON, not
// the schema, truncated): the call failed even though the status was 200.
var errUnusable = errors.New("unusable reply")

func compileReplySchema() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(prompts.Schema()))
	if err != nil {
		return nil, err
	}
	// Strict structured outputs need every property required, so the
	// schema sent requires answers_the_question; a reply from a server that
	// does not enforce it may lack that one verdict and is still read (the
	// answer then counts as on its question), since the areas and the
	// delivery are what the report is made of.
	if m, ok := doc.(map[string]any); ok {
		if req, ok := m["required"].([]any); ok {
			m["required"] = slices.DeleteFunc(slices.Clone(req), func(v any) bool { return v == optionalVerdict })
		}
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("candor-reply.json", doc); err != nil {
		return nil, err
	}
	return c.Compile("candor-reply.json")
}

// parseReply parses content strictly: one JSON object that validates against
// the reply schema and judges each of the question's nAreas areas, and each
// of its nDepth depth signals (or none of them), exactly once. Servers that do not enforce the schema (json_object on llama-server,
// plain text) answer 200 with anything, so nothing is taken on trust.
func parseReply(sch *jsonschema.Schema, content string, nAreas, nDepth int) (reply, error) {
	s := strings.TrimSpace(content)
	// A code fence is the one wrapping models add even when told not to.
	if rest, ok := strings.CutPrefix(s, "```"); ok {
		rest = strings.TrimPrefix(rest, "json")
		if body, ok := strings.CutSuffix(strings.TrimSpace(rest), "```"); ok {
			s = strings.TrimSpace(body)
		}
	}
	if !strings.HasPrefix(s, "{") {
		return reply{}, fmt.Errorf("%w: not a JSON object", errUnusable)
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return reply{}, fmt.Errorf("%w: malformed JSON", errUnusable)
	}
	if dec.More() {
		return reply{}, fmt.Errorf("%w: text after the JSON object", errUnusable)
	}
	if err := sch.Validate(doc); err != nil {
		return reply{}, fmt.Errorf("%w: does not match the schema", errUnusable)
	}
	var r reply
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		return reply{}, fmt.Errorf("%w: %v", errUnusable, err)
	}
	seen := make([]bool, nAreas+1)
	for _, a := range r.Areas {
		if a.Index < 1 || a.Index > nAreas || seen[a.Index] {
			return reply{}, fmt.Errorf("%w: area %d out of range or repeated", errUnusable, a.Index)
		}
		seen[a.Index] = true
	}
	if len(r.Areas) != nAreas {
		return reply{}, fmt.Errorf("%w: %d of %d areas judged", errUnusable, len(r.Areas), nAreas)
	}
	if nDepth == 0 {
		// Nothing was asked: a stray verdict is ignored, not a failure.
		r.Depth = nil
	}
	seen = make([]bool, nDepth+1)
	for _, d := range r.Depth {
		if d.Index < 1 || d.Index > nDepth || seen[d.Index] {
			return reply{}, fmt.Errorf("%w: depth signal %d out of range or repeated", errUnusable, d.Index)
		}
		seen[d.Index] = true
	}
	if len(r.Depth) != nDepth && len(r.Depth) > 0 {
		// None judged is a reply without depth verdicts (the report then
		// has none for the answer); some but not all is a broken one.
		return reply{}, fmt.Errorf("%w: %d of %d depth signals judged", errUnusable, len(r.Depth), nDepth)
	}
	return r, nil
}
