package prompts_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
)

// TestFollowUpCapMatchesEngines: the model is asked for, and its reply
// schema allows, as many follow-ups as every engine suggests at most
// (analyzer.MaxFollowUps), so a reply is never cut short of what it was
// asked for.
func TestFollowUpCapMatchesEngines(t *testing.T) {
	raw, err := os.ReadFile("templates/answer.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Properties map[string]struct {
			MaxItems int `json:"maxItems"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	if got := schema.Properties["follow_ups"].MaxItems; got != analyzer.MaxFollowUps {
		t.Errorf("answer.schema.json: follow_ups maxItems %d, engines suggest at most %d", got, analyzer.MaxFollowUps)
	}
	sys, err := os.ReadFile("templates/system.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("Follow-ups: up to %d,", analyzer.MaxFollowUps); !strings.Contains(string(sys), want) {
		t.Errorf("system.tmpl does not say %q", want)
	}
}
