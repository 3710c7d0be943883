package segment

import (
	"fmt"
	"testing"

	"github.com/candorhq/candor/analyzer"
)

// Two tenants may upload guides with one id and one version string (the
// version is a short hash, and ids are theirs to choose): each must be
// matched by its own questions.
func TestMatchersNeverSharedAcrossGuideContent(t *testing.T) {
	acme := &analyzer.Guide{ID: "onboarding", Version: "abc123", Questions: []analyzer.Question{
		{ID: "q1", Text: "Tell me about a time you calmed an angry customer.", Areas: []string{"The customer's feelings"}}}}
	globex := &analyzer.Guide{ID: "onboarding", Version: "abc123", Questions: []analyzer.Question{
		{ID: "q1", Text: "Describe a database migration you planned.", Areas: []string{"Rollback plan"}}}}
	ma, mg := guideMatchers(acme), guideMatchers(globex)
	if ma == mg {
		t.Fatal("two guides with one id and version but different questions share matchers")
	}
	if !ma.topic[0]["customer"] || mg.topic[0]["customer"] {
		t.Errorf("topic words: acme %v, globex %v", ma.topic[0], mg.topic[0])
	}
	// The same questions under another id share them: they are the same.
	copyOf := *acme
	copyOf.ID, copyOf.Version = "acme-copy", ""
	if guideMatchers(&copyOf) != ma {
		t.Error("identical questions were matched afresh")
	}
	// Moving text between the question and its areas is another guide.
	moved := &analyzer.Guide{ID: "onboarding", Version: "abc123", Questions: []analyzer.Question{
		{ID: "q1", Text: "Tell me about a time you calmed an angry customer. The customer's feelings", Areas: nil}}}
	if guideMatchers(moved) == ma {
		t.Error("text moved from the areas to the question shares the matchers")
	}
}

func TestMatcherCacheBounded(t *testing.T) {
	for i := range 3 * maxMatchers {
		g := &analyzer.Guide{ID: "g", Version: "v", Questions: []analyzer.Question{
			{ID: "q1", Text: fmt.Sprintf("Tell me about project number %d.", i), Areas: []string{"Outcome"}}}}
		guideMatchers(g)
		if n := matcherCache.len(); n > maxMatchers {
			t.Fatalf("after %d guides the cache holds %d matchers, over %d", i+1, n, maxMatchers)
		}
	}
	if n := matcherCache.len(); n != maxMatchers {
		t.Errorf("the cache holds %d matchers, want %d (full)", n, maxMatchers)
	}
	// The most recent guide is still there, the first is gone.
	last := &analyzer.Guide{Questions: []analyzer.Question{{ID: "q1", Text: fmt.Sprintf("Tell me about project number %d.", 3*maxMatchers-1), Areas: []string{"Outcome"}}}}
	first := &analyzer.Guide{Questions: []analyzer.Question{{ID: "q1", Text: "Tell me about project number 0.", Areas: []string{"Outcome"}}}}
	texts, ext := []string{last.Questions[0].Text}, []string{"Outcome. "}
	if matcherCache.get(matchersKey(texts, ext)) == nil {
		t.Error("the most recently used guide's matchers were evicted")
	}
	if matcherCache.get(matchersKey([]string{first.Questions[0].Text}, ext)) != nil {
		t.Error("the least recently used guide's matchers were kept")
	}
}
