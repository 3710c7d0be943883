package llm_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/internal/testkit"
	"github.com/candorhq/candor/llm"
)

// call is one request the fake server received.
type call struct {
	at   time.Time
	path string
	hdr  http.Header
	raw  map[string]any // the body as sent, to see which fields are on the wire
	req  openai.ChatCompletionRequest
}

// answerText returns the answer the request carried between its delimiters.
func (c call) answerText() string {
	u := c.req.Messages[len(c.req.Messages)-1].Content
	_, rest, _ := strings.Cut(u, "<answer>\n")
	body, _, _ := strings.Cut(rest, "\n</answer>")
	return body
}

func (c call) format() string {
	if c.req.ResponseFormat == nil {
		return "text"
	}
	return string(c.req.ResponseFormat.Type)
}

// handler scripts the server: it answers the n-th request (0-based).
type handler func(w http.ResponseWriter, r *http.Request, n int, c call)

// fakeServer speaks the OpenAI chat-completions wire protocol and records
// what it receives, with timestamps taken on arrival.
type fakeServer struct {
	*httptest.Server
	mu          sync.Mutex
	calls       []call
	inFlight    int
	maxInFlight int
}

func newServer(t testing.TB, h handler) *fakeServer {
	t.Helper()
	fs := &fakeServer{}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		c := call{at: time.Now(), path: r.URL.RequestURI(), hdr: r.Header.Clone()}
		if err := json.Unmarshal(body, &c.raw); err != nil {
			testkit.WriteChatError(w, http.StatusBadRequest, "bad json")
			return
		}
		if err := json.Unmarshal(body, &c.req); err != nil {
			testkit.WriteChatError(w, http.StatusBadRequest, "bad request")
			return
		}
		fs.mu.Lock()
		n := len(fs.calls)
		fs.calls = append(fs.calls, c)
		fs.inFlight++
		fs.maxInFlight = max(fs.maxInFlight, fs.inFlight)
		fs.mu.Unlock()
		defer func() {
			fs.mu.Lock()
			fs.inFlight--
			fs.mu.Unlock()
		}()
		h(w, r, n, c)
	}))
	t.Cleanup(fs.Close)
	return fs
}

// peak is the most calls the server had in flight at once.
func (fs *fakeServer) peak() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.maxInFlight
}

func (fs *fakeServer) recorded() []call {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]call(nil), fs.calls...)
}

// writeReply answers 200 with content as the model's message.
func writeReply(w http.ResponseWriter, content string, finish openai.FinishReason) {
	resp := openai.ChatCompletionResponse{
		ID: "chatcmpl-test", Object: "chat.completion", Created: 1, Model: "test-model",
		Choices: []openai.ChatCompletionChoice{{
			Index:        0,
			Message:      openai.ChatCompletionMessage{Role: openai.ChatMessageRoleAssistant, Content: content},
			FinishReason: finish,
		}},
		Usage: openai.Usage{PromptTokens: 100 + len(content)%7, CompletionTokens: len(content) / 4, TotalTokens: 100 + len(content)%7 + len(content)/4},
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

// Model replies, as the reply schema describes them.
type area struct {
	Index      int      `json:"index"`
	Status     string   `json:"status"`
	Confidence float64  `json:"confidence"`
	Quotes     []string `json:"quotes"`
}

type signal struct {
	Kind     string `json:"kind"`
	Polarity string `json:"polarity"`
	Quote    string `json:"quote"`
}

type star struct {
	Situation bool `json:"situation"`
	Task      bool `json:"task"`
	Action    bool `json:"action"`
	Result    bool `json:"result"`
}

type delivery struct {
	Label       string   `json:"label"`
	Specificity int      `json:"specificity"`
	Star        star     `json:"star"`
	Signals     []signal `json:"signals"`
}

type modelReply struct {
	// AnswersTheQuestion is left out of the reply when nil, as a server
	// that does not enforce the schema may let a model do.
	AnswersTheQuestion *bool    `json:"answers_the_question,omitempty"`
	Areas              []area   `json:"areas"`
	Delivery           delivery `json:"delivery"`
	Depth              []area   `json:"depth"`
	FollowUps          []string `json:"follow_ups"`
}

func (m modelReply) String() string {
	if m.FollowUps == nil {
		m.FollowUps = []string{}
	}
	if m.Depth == nil {
		m.Depth = []area{}
	}
	for i := range m.Depth {
		if m.Depth[i].Quotes == nil {
			m.Depth[i].Quotes = []string{}
		}
	}
	if m.Delivery.Signals == nil {
		m.Delivery.Signals = []signal{}
	}
	for i := range m.Areas {
		if m.Areas[i].Quotes == nil {
			m.Areas[i].Quotes = []string{}
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// reply answers every request with the same model reply.
func reply(m modelReply) handler {
	s := m.String()
	return func(w http.ResponseWriter, _ *http.Request, _ int, _ call) { writeReply(w, s, openai.FinishReasonStop) }
}

// The guide question and answers the tests share.
var (
	question = analyzer.Question{
		ID:   "q1",
		Text: "Tell me about a time you had to deliver bad news to a customer.",
		Areas: []string{
			"The specific situation and what was at stake",
			"How the candidate prepared",
			"What the candidate learned",
		},
		FollowUps: []string{"What would you do differently next time?"},
	}
	goodAnswer = "Last March a customer called about a late shipment worth $40,000. " +
		"I checked the warehouse logs first, then I phoned her and said plainly that it would slip two weeks. " +
		"She was upset, so I offered a partial delivery on Friday."
	goodReply = modelReply{
		Areas: []area{
			{1, "covered", 0.9, []string{"Last March a customer called about a late shipment worth $40,000"}},
			{2, "covered", 0.8, []string{"I checked the warehouse logs first"}},
			{3, "missing", 0.7, nil},
		},
		Delivery: delivery{"specific", 78, star{true, true, true, false}, []signal{
			{"time_marker", "specific", "Last March"}, {"number", "specific", "$40,000"},
		}},
		FollowUps: []string{"What would you do differently next time?"},
	}
)

// fallbackEngine is a test double for the embedded engine, used only where
// the LLM engine falls back (and, in hybrid mode, for its hints). It returns
// a fixed, valid analysis: every area partial, with the first sentence as
// evidence of area 1.
type fallbackEngine struct {
	mu    sync.Mutex
	calls int
}

func (f *fallbackEngine) Info() analyzer.EngineInfo { return analyzer.EngineInfo{Name: "heuristic"} }

func (f *fallbackEngine) Analyze(ctx context.Context, q analyzer.Question, text string) (analyzer.AnswerAnalysis, error) {
	if err := ctx.Err(); err != nil {
		return analyzer.AnswerAnalysis{}, err
	}
	f.mu.Lock()
	f.calls++
	f.mu.Unlock()
	a := analyzer.AnswerAnalysis{
		QuestionID: q.ID, Question: q.Text, Text: text, Engine: "heuristic",
		Words:     len(strings.Fields(text)),
		FollowUps: append([]string{}, q.FollowUps...),
		Delivery:  analyzer.Delivery{Label: analyzer.LabelMixed, Specificity: 50, Signals: []analyzer.Signal{}},
	}
	first := []rune(text)
	if i := strings.IndexAny(text, ".!?"); i > 0 {
		first = []rune(text[:i])
	}
	for i, t := range q.Areas {
		ar := analyzer.AreaResult{Index: i + 1, Text: t, Status: analyzer.StatusPartial, Confidence: 0.5, Evidence: []analyzer.Span{}, Kind: "situation"}
		if i == 0 {
			ar.Evidence = []analyzer.Span{{Quote: string(first), Start: 0, End: len(first)}}
		}
		a.Coverage.Areas = append(a.Coverage.Areas, ar)
	}
	a.Coverage.Score = 0.5
	return a, nil
}

func (f *fallbackEngine) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// newEngine returns an engine pointed at fs with quick retries; edit adjusts
// the config.
func newEngine(t *testing.T, fs *fakeServer, fb analyzer.Engine, edit func(*llm.Config)) *llm.Engine {
	t.Helper()
	cfg := llm.Config{
		BaseURL:      fs.URL + "/v1",
		APIKey:       "test-key",
		Model:        "test-model",
		Seed:         7,
		Timeout:      5 * time.Second,
		MaxRetries:   2,
		RetryBackoff: time.Millisecond,
		MaxBackoff:   5 * time.Second,
		Fallback:     fb,
	}
	if edit != nil {
		edit(&cfg)
	}
	e, err := llm.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// checkSpans fails the test for any quote that is not its span of the text.
func checkSpans(t *testing.T, a analyzer.AnswerAnalysis) {
	t.Helper()
	text := []rune(a.Text)
	check := func(where string, s analyzer.Span) {
		if s.Start < 0 || s.End > len(text) || s.Start >= s.End || string(text[s.Start:s.End]) != s.Quote {
			t.Errorf("%s: span %d..%d %q is not the text's", where, s.Start, s.End, s.Quote)
		}
	}
	for _, ar := range a.Coverage.Areas {
		for _, s := range ar.Evidence {
			check("area evidence", s)
		}
	}
	for _, s := range a.Delivery.Signals {
		check("signal", s.Span)
	}
}
