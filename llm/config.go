package llm

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/candorhq/candor/analyzer"
)

// API types.
const (
	// APIOpenAI is OpenAI and every OpenAI-compatible server (Ollama, vLLM,
	// llama.cpp's llama-server).
	APIOpenAI = "openai"
	// APIAzure is Azure OpenAI: BaseURL is the resource endpoint and Model
	// the deployment name.
	APIAzure = "azure"
)

// Defaults for zero Config fields.
const (
	DefaultOpenAIBaseURL   = "https://api.openai.com/v1"
	DefaultAzureAPIVersion = "2024-10-21" // the first GA version with structured outputs
	DefaultTimeout         = 60 * time.Second
	DefaultConcurrency     = 4
	DefaultMaxTokens       = 1500
	DefaultRetryBackoff    = 500 * time.Millisecond
	DefaultMaxBackoff      = 30 * time.Second
)

// ErrInvalidConfig is returned by New for a Config it cannot work with.
var ErrInvalidConfig = errors.New("invalid llm config")

// Config configures an Engine. Only the command reads the environment; it
// fills this struct (flags and OPENAI_API_KEY, OPENAI_BASE_URL, ...).
type Config struct {
	// BaseURL is the API's base URL including /v1 for OpenAI-compatible
	// servers (http://localhost:11434/v1 for Ollama); empty means OpenAI's.
	// For Azure it is the resource endpoint (https://NAME.openai.azure.com).
	BaseURL string
	// APIKey is sent as a bearer token (api-key header for Azure). Local
	// servers need any non-empty value. Never logged.
	APIKey string
	// Model is the model name, or the deployment name for Azure.
	Model string
	// APIType is APIOpenAI (default) or APIAzure.
	APIType string
	// APIVersion is Azure's api-version (default DefaultAzureAPIVersion).
	APIVersion string
	// Mode is analyzer.EngineLLM (default: the model judges each answer
	// on its own) or analyzer.EngineHybrid (the embedded engine reads the
	// answer first and the model, given its reading, decides).
	Mode string

	// Timeout bounds each call (default DefaultTimeout).
	Timeout time.Duration
	// MaxRetries is how often a failed call is retried (429, 5xx, timeouts,
	// network errors, unusable replies); 0 means no retries.
	MaxRetries int
	// RetryBackoff is the first retry's base delay, doubled per retry and
	// jittered (default DefaultRetryBackoff).
	RetryBackoff time.Duration
	// MaxBackoff caps the backoff; a Retry-After longer than this is not
	// waited for and the answer falls back at once (default
	// DefaultMaxBackoff).
	MaxBackoff time.Duration
	// Concurrency is the most calls this engine has in flight at once
	// (default DefaultConcurrency).
	Concurrency int
	// MaxTokens caps each reply (default DefaultMaxTokens).
	MaxTokens int

	// Seed makes sampling repeatable on servers that support it; sample i
	// of Samples uses Seed+i.
	Seed int
	// Samples is the number of calls per answer for self-consistency
	// (default 1): statuses and labels by majority, specificity by median.
	Samples int

	// Redact replaces emails, phone numbers and URLs with placeholders
	// before the answer is sent.
	Redact bool
	// RedactNames are names (the candidate's, colleagues') replaced with
	// placeholders before the answer is sent.
	RedactNames []string

	// HTTPClient makes the calls (default: a new http.Client; timeouts come
	// from Timeout, not from the client).
	HTTPClient *http.Client
	// Fallback is the embedded engine: it analyzes an answer when the model
	// fails, and first, in hybrid mode. Required.
	Fallback analyzer.Engine
	// Logger receives retries and fallbacks (status classes only, never
	// answer text or keys); nil discards them.
	Logger *slog.Logger
}

// withDefaults checks c and fills its zero fields.
func (c Config) withDefaults() (Config, error) {
	bad := func(format string, args ...any) (Config, error) {
		return c, fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...)
	}
	switch c.APIType {
	case "":
		c.APIType = APIOpenAI
	case APIOpenAI, APIAzure:
	default:
		return bad("api type %q (want %s or %s)", c.APIType, APIOpenAI, APIAzure)
	}
	switch c.Mode {
	case "":
		c.Mode = analyzer.EngineLLM
	case analyzer.EngineLLM, analyzer.EngineHybrid:
	default:
		return bad("mode %q (want %s or %s)", c.Mode, analyzer.EngineLLM, analyzer.EngineHybrid)
	}
	if c.BaseURL == "" {
		if c.APIType == APIAzure {
			return bad("azure needs a base URL (the resource endpoint)")
		}
		c.BaseURL = DefaultOpenAIBaseURL
	}
	if c.APIType == APIAzure && c.APIVersion == "" {
		c.APIVersion = DefaultAzureAPIVersion
	}
	switch {
	case c.APIKey == "":
		return bad("no API key (local servers accept any non-empty value)")
	case c.Model == "":
		return bad("no model")
	case c.Fallback == nil:
		return bad("no fallback engine")
	case c.Timeout < 0, c.MaxRetries < 0, c.RetryBackoff < 0, c.MaxBackoff < 0,
		c.Concurrency < 0, c.MaxTokens < 0, c.Samples < 0:
		return bad("negative timeout, retries, backoff, concurrency, max tokens or samples")
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.RetryBackoff == 0 {
		c.RetryBackoff = DefaultRetryBackoff
	}
	if c.MaxBackoff == 0 {
		c.MaxBackoff = DefaultMaxBackoff
	}
	if c.Concurrency == 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.MaxTokens == 0 {
		c.MaxTokens = DefaultMaxTokens
	}
	if c.Samples == 0 {
		c.Samples = 1
	}
	if c.HTTPClient == nil {
		// Keep a connection per concurrent call: the default transport
		// keeps two per host and would reconnect for every other call.
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = c.Concurrency
		c.HTTPClient = &http.Client{Transport: t}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c, nil
}
