package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/segment"
	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/evaluation"
	"github.com/candorhq/candor/llm"
	"github.com/candorhq/candor/slate"
)

// kind is how a setting's text becomes its value.
type kind int

const (
	kindString   kind = iota // any text (a check may narrow it)
	kindInt                  // a whole number
	kindUint                 // a whole number, 0 or more, 64 bits
	kindDuration             // a Go duration: 90s, 2m, 1h30m
	kindBool                 // true or false (1, 0, t, f, TRUE, FALSE, True, False)
	kindURL                  // an absolute http or https URL, or empty where the default is empty
	kindEnum                 // one of values (or of hidden, accepted but not documented)
	kindList                 // repeatable, comma-separated
)

// setting is one row of the settings table: everything candor reads from
// its flags and the environment.
type setting struct {
	flag string // flag name, without dashes; "" for a variable only the environment carries
	env  string // variable whose value, when set and not empty, replaces def
	kind kind
	def  string // built-in default, as the flag prints it
	// defaultFrom computes the default at start where it depends on other
	// variables (derived) or the machine; defDoc says how, for the reference.
	defaultFrom func(getenv func(string) string) string
	derived     []string
	defDoc      string
	min         *int64   // kindInt, kindDuration (nanoseconds): the least value allowed
	values      []string // kindEnum: the values allowed, as documented
	hidden      []string // kindEnum: also allowed (aliases), not documented
	check       func(string) error
	rule        string // what check allows, for the reference
	usage       string
	cmds        []string // the commands that read it
}

func least(n int64) *int64 { return &n }

var (
	llmCommands    = []string{"analyze", "eval", "audit", "serve", "worker", "guides lint"}
	serverCommands = []string{"serve", "worker"}
	inputCommands  = []string{"analyze", "segment"}
	setCommands    = []string{"eval", "audit"}
)

// settings is every setting of every command. Flag registration, the
// checks at start and the configuration reference (config-docs) all
// read it; a flag set holds exactly the rows that name its command.
var settings = []*setting{
	// Inputs and reports.
	{flag: "guide", usage: "guide: a built-in id (see 'candor guides list') or a guide file (Yardstick text, JSON, YAML)", cmds: inputCommands},
	{flag: "guide", usage: "guide the set was labelled against: a built-in id or a guide file", cmds: setCommands},
	{flag: "guide", usage: "a built-in id or a guide file (also accepted as the argument)", cmds: []string{"guides show", "guides lint"}},
	{flag: "guide", usage: "the guide the answers were labelled against: a built-in id or a guide file (required)", cmds: []string{"guides prototypes"}},
	{flag: "guide", usage: "the guide file to convert (also accepted as the argument)", cmds: []string{"guides import"}},
	{flag: "guide", usage: "the reports' guide: a built-in id or a guide file (default: the reports' guide, when built in)", cmds: []string{"slates compare"}},
	{flag: "interviewer", kind: kindList, usage: "speaker label of an interviewer, as the transcript writes it (repeatable); default: inferred", cmds: inputCommands},
	{flag: "candidate", usage: "speaker label of the candidate, as the transcript writes it; default: inferred", cmds: inputCommands},
	{flag: "assign", kind: kindList, check: checkAssign, rule: "`TURN=QUESTION` or `TURN=-`, comma-separated",
		usage: "the guide question an interviewer turn asks, where alignment missed or misread it: TURN=QUESTION (turns numbered as 'candor segment --explain' and the answer_unplaced warning number them), TURN=- for a turn that asks none (repeatable; one input only)", cmds: inputCommands},
	{flag: "candidate-name", usage: "the candidate's name in the report; default: the answering speaker's name, or the file name when labels are roles", cmds: []string{"analyze"}},
	{flag: "role", usage: "the role or requisition interviewed for (a report field)", cmds: []string{"analyze"}},
	{flag: "date", check: checkDate, rule: "a day, `YYYY-MM-DD`", usage: "the day of the interview, YYYY-MM-DD (a report field)", cmds: []string{"analyze"}},
	{flag: "interviewer-name", kind: kindList, usage: "an interviewer's name in the report (repeatable); default: the interviewing speakers' names", cmds: []string{"analyze"}},
	{flag: "format", kind: kindEnum, def: "text", values: []string{"text", "json", "md", "csv"}, hidden: []string{"markdown"}, usage: "output format: text, json, md or csv", cmds: []string{"analyze"}},
	{flag: "format", kind: kindEnum, def: "text", values: []string{"text", "json"}, usage: "output format: text or json", cmds: []string{"segment"}},
	{flag: "format", kind: kindEnum, def: "text", values: []string{"text", "json", "md", "html"}, hidden: []string{"markdown"}, usage: "output format: text, json, md or html", cmds: setCommands},
	{flag: "format", kind: kindEnum, def: "text", values: []string{"text", "json", "yaml"}, usage: "output format: text, json or yaml", cmds: []string{"guides list", "guides show", "guides lint"}},
	{flag: "format", kind: kindEnum, def: "yaml", values: []string{"yaml", "json"}, usage: "output format: yaml or json", cmds: []string{"guides import"}},
	{flag: "format", kind: kindEnum, def: "md", values: []string{"md", "csv", "json"}, hidden: []string{"markdown"}, usage: "output: md, csv or json", cmds: []string{"slates compare"}},
	{flag: "explain", kind: kindBool, def: "false", usage: "show, for every interviewer turn, its best-matching guide questions and the decision", cmds: []string{"segment"}},
	{flag: "engine", kind: kindEnum, def: analyzer.EngineHeuristic, values: analyzer.EngineNames, hidden: []string{"embedded"},
		usage: "engine: heuristic (embedded, offline), llm or hybrid", cmds: []string{"analyze"}},
	{flag: "engine", kind: kindEnum, def: analyzer.EngineHeuristic, values: analyzer.EngineNames, hidden: []string{"embedded"},
		usage: "engine to audit: heuristic, llm or hybrid", cmds: []string{"audit"}},
	{flag: "engine", kind: kindEnum, def: analyzer.EngineHeuristic, values: analyzer.EngineNames, hidden: []string{"embedded"},
		usage: "engine that reads the --answers: heuristic (embedded, offline), llm or hybrid", cmds: []string{"guides lint"}},
	{flag: "engine", def: analyzer.EngineHeuristic, check: checkEngines, rule: "`heuristic`, `llm`, `hybrid`, comma-separated",
		usage: "engines to evaluate, comma-separated: heuristic, llm, hybrid", cmds: []string{"eval"}},
	{flag: "prototypes", usage: "quote prototypes learned from your own labelled answers by 'candor guides prototypes' (embedded engine only)", cmds: []string{"analyze", "eval", "audit"}},
	{flag: "prototypes", env: "CANDOR_PROTOTYPES", usage: "quote prototypes learned by 'candor guides prototypes' for the embedded engine of this service (every tenant and guide; the hybrid engine's fallback keeps the built-in ones)", cmds: serverCommands},
	{flag: "concurrency", kind: kindInt, min: least(1), defaultFrom: func(func(string) string) string { return strconv.Itoa(runtime.GOMAXPROCS(0)) },
		defDoc: "number of CPUs", usage: "answers analyzed at once", cmds: []string{"analyze", "eval", "audit"}},

	// Labelled sets (eval, audit).
	{flag: "out", usage: "write the output to this file instead of stdout", cmds: setCommands},
	{flag: "cache-dir", usage: "where model engines' analyses are cached, so a rerun makes no model call (default: the user cache folder's candor/analyses)", cmds: setCommands},
	{flag: "no-cache", kind: kindBool, def: "false", usage: "do not read or write the analysis cache", cmds: setCommands},
	{flag: "bootstrap", kind: kindInt, def: strconv.Itoa(evaluation.DefaultBootstrap), min: least(0), usage: "bootstrap resamples for the 95% intervals (0: none)", cmds: []string{"eval"}},
	{flag: "seed-bootstrap", kind: kindUint, def: strconv.FormatUint(evaluation.BootstrapSeed, 10), usage: "seed of the bootstrap, so a rerun gives the same intervals", cmds: []string{"eval"}},
	{flag: "second-rater", usage: "the same set labelled by a second person (same ids): their agreement is printed beside the engines', as the ceiling to read them against", cmds: []string{"eval"}},
	{flag: "prices", usage: `prices file for the cost estimate: {"model": {"input": USD per million prompt tokens, "output": ...}} (adds to or replaces the built-in list prices)`, cmds: []string{"eval"}},
	{flag: "min-group", kind: kindInt, def: strconv.Itoa(evaluation.DefaultMinGroupSize), min: least(1), usage: "smallest group whose rates are compared (smaller groups are listed, marked too small)", cmds: []string{"audit"}},
	{flag: "field", kind: kindList, usage: "group field to audit (repeatable or comma-separated; default: every field in the set)", cmds: []string{"audit"}},
	{flag: "swap", kind: kindEnum, def: "auto", values: []string{"auto", "on", "off"},
		usage: "counterfactual swap test (names, pronouns, spellings): on, off, or auto (on for the embedded engine; it re-analyzes each answer up to about ten times)", cmds: []string{"audit"}},
	{flag: "swap-lists", usage: "folder with your own names.tsv, pronouns.tsv and/or spelling.tsv (default: the built-in lists)", cmds: []string{"audit"}},

	// Guides and slates.
	{flag: "o", usage: "write the converted guide to this file (.json, .yaml or .yml) instead of stdout", cmds: []string{"guides import"}},
	{flag: "o", usage: "write the prototypes to this file instead of stdout", cmds: []string{"guides prototypes"}},
	{flag: "min-answers", kind: kindInt, def: "3", min: least(1), usage: "labelled answers with evidence an area needs before it gets a prototype", cmds: []string{"guides prototypes"}},
	{flag: "answers", kind: kindList, usage: "answers to check which areas they reach: a transcript (any format), labelled answers (JSON Lines), " +
		"reports (candor analyze --format json), or a folder of them", cmds: []string{"guides lint"}},
	{flag: "role", usage: "compare only the reports of this role (as candor analyze --role wrote it; case and spacing aside), as the service's role slates do", cmds: []string{"slates compare"}},
	{flag: "sort", kind: kindEnum, values: []string{slate.SortCoverage, slate.SortSpecificity}, hidden: []string{slate.SortAdded},
		usage: "order of the candidates: coverage or specificity, highest first (default: as given)", cmds: []string{"slates compare"}},

	// The model (llm and hybrid engines).
	{env: "OPENAI_API_KEY", defDoc: "unset: no key (a local server needs only `OPENAI_BASE_URL`)",
		usage: "key of the OpenAI-compatible server; with it or `OPENAI_BASE_URL` the llm and hybrid engines are on", cmds: llmCommands},
	{flag: "llm-base-url", env: "OPENAI_BASE_URL", kind: kindURL, usage: "OpenAI-compatible base URL, e.g. http://localhost:11434/v1 for Ollama (empty: OpenAI)", cmds: llmCommands},
	{flag: "model", env: "CANDOR_LLM_MODEL", def: DefaultLLMModel, usage: "model name, or the deployment name for Azure", cmds: llmCommands},
	{flag: "llm-api-type", env: "CANDOR_LLM_API_TYPE", kind: kindEnum, def: llm.APIOpenAI, values: []string{llm.APIOpenAI, llm.APIAzure},
		usage: "openai (OpenAI, Ollama, vLLM, llama.cpp) or azure", cmds: llmCommands},
	{flag: "llm-api-version", env: "CANDOR_LLM_API_VERSION", usage: "Azure api-version", cmds: llmCommands},
	{flag: "llm-timeout", env: "CANDOR_LLM_TIMEOUT", kind: kindDuration, def: llm.DefaultTimeout.String(), min: least(1), usage: "timeout of one model call", cmds: llmCommands},
	{flag: "llm-concurrency", env: "CANDOR_LLM_CONCURRENCY", kind: kindInt, def: strconv.Itoa(llm.DefaultConcurrency), min: least(1), usage: "model calls in flight at once", cmds: llmCommands},
	{flag: "llm-retries", env: "CANDOR_LLM_RETRIES", kind: kindInt, def: "2", min: least(0), usage: "retries of a failed call (429, 5xx, timeouts) before the embedded engine takes over", cmds: llmCommands},
	{flag: "seed", env: "CANDOR_LLM_SEED", kind: kindInt, def: "7", usage: "sampling seed sent to the model", cmds: llmCommands},
	{flag: "samples", kind: kindInt, def: "1", min: least(1), usage: "self-consistency: calls per answer, majority verdict with agreement per area", cmds: llmCommands},
	{flag: "redact", kind: kindBool, def: "false", usage: "replace emails, phone numbers and URLs before sending answers to the model", cmds: llmCommands},
	{flag: "redact-name", kind: kindList, usage: "a name to replace before sending (repeatable)", cmds: llmCommands},

	// The service (serve and worker).
	{flag: "addr", env: "CANDOR_ADDR", def: "127.0.0.1:8080", check: checkHostPort, rule: "`HOST:PORT`", usage: "listen address HOST:PORT (port 0 picks a free one)", cmds: []string{"serve"}},
	{flag: "addr", env: "CANDOR_ADDR", check: checkHostPort, rule: "`HOST:PORT` or empty", usage: "serve /healthz, /readyz and /metrics on this address HOST:PORT (empty: no listener)", cmds: []string{"worker"}},
	{flag: "workers", env: "CANDOR_WORKERS", kind: kindInt, def: "2", min: least(0), usage: "job workers in this process (0: none, jobs wait for 'candor worker')", cmds: []string{"serve"}},
	{flag: "workers", env: "CANDOR_WORKERS", kind: kindInt, def: "2", min: least(1), usage: "job workers in this process", cmds: []string{"worker"}},
	{env: "REDIS_URL", defDoc: "unset: serve keeps everything in its own memory; worker and tenant purge refuse to start",
		usage: "Redis for the cache, reports, jobs, tenant guides, rate limits and idempotency keys: `redis://`, `rediss://` (TLS), " +
			"`redis-sentinel://[user:pass@]h1:26379,h2:26379/mastername[?db=N]`, `redis-cluster://[user:pass@]h1:7000,h2:7001`",
		cmds: []string{"serve", "worker", "tenant purge"}},
	{flag: "redis-prefix", env: "CANDOR_REDIS_PREFIX", def: "candor", check: checkNotEmpty, rule: "not empty", usage: "prefix of every Redis key", cmds: []string{"serve", "worker", "tenant purge"}},
	{env: "CANDOR_API_KEYS", defDoc: "unset: no auth, loopback addresses only",
		usage: "API keys as `tenant:key,tenant:key`; keys are 16+ characters, a tenant may have several (rotation)", cmds: serverCommands},
	{flag: "api-keys-file", env: "CANDOR_API_KEYS_FILE", usage: "file of tenant:key lines, added to CANDOR_API_KEYS", cmds: serverCommands},
	{env: "CANDOR_WEBHOOK_SECRETS", defDoc: "unset: requests with a `webhook_url` are refused",
		usage: "each tenant's webhook signing secret as `tenant:secret,tenant:secret` (16+ characters; `Candor-Signature`); a tenant named twice has two " +
			"secrets while rotating and every event carries a signature by each; workers send the webhooks, so give it to them too", cmds: serverCommands},
	{env: "CANDOR_WEBHOOK_SECRET", defDoc: "unset",
		usage: "earlier versions' one secret for every tenant: refused when API keys are configured (any tenant's receiver could forge another's events); " +
			"without keys, the local tenant's secret", cmds: serverCommands},
	{env: "CANDOR_METRICS_TOKEN", defDoc: "unset: `/metrics` is open without API keys (loopback only) and refused (403) with them",
		usage: "bearer token `GET /metrics` requires (`Authorization: Bearer TOKEN`); give it to Prometheus", cmds: serverCommands},
	{env: "CANDOR_WEB_SECRET", defDoc: "unset: a random secret per process (sessions end at restart and do not cross replicas)",
		usage: "signs the web pages' session cookies; share one value between API replicas", cmds: []string{"serve"}},
	{flag: "shutdown-timeout", env: "CANDOR_SHUTDOWN_TIMEOUT", kind: kindDuration, def: "30s", min: least(0), usage: "how long a graceful stop waits for requests and jobs in flight", cmds: serverCommands},
	{flag: "read-timeout", env: "CANDOR_READ_TIMEOUT", kind: kindDuration, def: "30s", min: least(0),
		usage: "longest time to read one request, headers and body, 0 for none: a client that sends slower (a 10 MiB upload in 30 s is 350 KB/s) has its connection closed", cmds: serverCommands},
	{flag: "request-timeout", env: "CANDOR_REQUEST_TIMEOUT", kind: kindDuration, def: "2m0s", min: least(0),
		usage: "longest time one request may take to be answered, 0 for none: past it the work stops (504) and the connection is closed soon after; long analyses belong in jobs, ?async=true", cmds: serverCommands},
	{flag: "drain-delay", env: "CANDOR_DRAIN_DELAY", kind: kindDuration, def: "0s", min: least(0), usage: "on stop, how long /readyz answers 503 before the listener closes, so load balancers stop sending", cmds: serverCommands},
	{flag: "rate-limit", env: "CANDOR_RATE_LIMIT", kind: kindInt, def: "600", min: least(0), usage: "requests per minute per API key, 0 for none", cmds: serverCommands},
	{flag: "rate-burst", env: "CANDOR_RATE_BURST", kind: kindInt, def: "0", min: least(0), usage: "burst per API key (0: rate-limit/10)", cmds: serverCommands},
	{flag: "auth-failures", env: "CANDOR_AUTH_FAILURES", kind: kindInt, def: "30", min: least(0),
		usage: "wrong API keys (Bearer or web sign-in) one client address may send per minute, in bursts of as many, before every attempt from it gets 429 with Retry-After; 0 for no limit", cmds: serverCommands},
	{flag: "max-body", env: "CANDOR_MAX_BODY", kind: kindInt, def: strconv.Itoa(10 << 20), min: least(1), usage: "largest request body in bytes", cmds: serverCommands},
	{flag: "max-answers", env: "CANDOR_MAX_ANSWERS", kind: kindInt, def: "100", min: least(1), usage: "most answers per request", cmds: serverCommands},
	{flag: "max-answer-chars", env: "CANDOR_MAX_ANSWER_CHARS", kind: kindInt, def: "20000", min: least(1), usage: "longest answer in characters", cmds: serverCommands},
	{flag: "async-threshold", env: "CANDOR_ASYNC_THRESHOLD", kind: kindInt, def: strconv.Itoa(256 << 10), min: least(1), usage: "transcripts over this many bytes run as jobs", cmds: serverCommands},
	{flag: "cache-ttl", env: "CANDOR_CACHE_TTL", kind: kindDuration, def: (7 * 24 * time.Hour).String(), min: least(0), usage: "how long analyses stay cached, 0 for ever", cmds: serverCommands},
	{flag: "guide-recheck", env: "CANDOR_GUIDE_RECHECK", kind: kindDuration, def: "1s", min: least(1),
		usage: "how long a tenant's guide held in this process is used before Redis is asked whether it changed: a PUT or DELETE through another replica takes effect here within it", cmds: serverCommands},
	{flag: "guide-offline-max", env: "CANDOR_GUIDE_OFFLINE_MAX", kind: kindDuration, def: "5m0s", min: least(0),
		usage: "while Redis is unreachable, how long after it was last confirmed a tenant's guide held here still serves analyses (flagged Candor-Guide-Source: replica-copy), 0 for not at all", cmds: serverCommands},
	{flag: "retention", env: "CANDOR_RETENTION", kind: kindDuration, def: "0s", min: least(0), usage: "how long reports and jobs are kept, 0 until deleted", cmds: serverCommands},
	{flag: "job-attempts", env: "CANDOR_JOB_ATTEMPTS", kind: kindInt, def: "3", min: least(1), usage: "runs of a failing job before it is dead-lettered", cmds: serverCommands},
	{flag: "job-timeout", env: "CANDOR_JOB_TIMEOUT", kind: kindDuration, def: "10m0s", min: least(1), usage: "longest run of one job", cmds: serverCommands},
	{flag: "webhook-allow-private", env: "CANDOR_WEBHOOK_ALLOW_PRIVATE", kind: kindBool, def: "false", usage: "let webhooks call loopback and private addresses", cmds: serverCommands},
	{flag: "log-level", env: "CANDOR_LOG_LEVEL", def: "info", check: checkLogLevel, rule: "`debug`, `info`, `warn` or `error`", usage: "debug, info, warn or error", cmds: serverCommands},
	{flag: "gc-percent", env: "CANDOR_GC_PERCENT", kind: kindInt, def: "400", min: least(-1), derived: []string{"GOGC"},
		defaultFrom: func(getenv func(string) string) string {
			if getenv("GOGC") != "" {
				return "-1" // the runtime has applied GOGC already; keep it
			}
			return "400"
		},
		defDoc: "`400`; `-1` (keep the runtime's) when `GOGC` is set",
		usage:  "Go GC target percentage, -1 to keep the runtime's: the live heap is a few MB, so Go's 100 would collect about a hundred times a second under load", cmds: serverCommands},
	{flag: "memory-limit-mib", env: "CANDOR_MEMORY_LIMIT_MIB", kind: kindInt, def: "100", min: least(0), derived: []string{"GOMEMLIMIT"},
		// With --gc-percent 400 alone the heap may reach five times the
		// live heap: 275 MB of RSS under scripts/soak.sh, against 118 MB
		// with this limit.
		defaultFrom: func(getenv func(string) string) string {
			if getenv("GOMEMLIMIT") != "" {
				return "0"
			}
			return "100"
		},
		defDoc: "`100`; `0` (keep the runtime's) when `GOMEMLIMIT` is set",
		usage:  "soft limit of the Go runtime's memory in MiB, 0 for none: near it the GC runs more often, so --gc-percent's headroom cannot grow the process past it under load", cmds: serverCommands},
	{flag: "pprof-addr", env: "CANDOR_PPROF_ADDR", check: checkLoopback, rule: "a loopback `HOST:PORT`, or empty", usage: "serve Go's /debug/pprof on this loopback address (empty: off)", cmds: serverCommands},

	// healthcheck and tenant purge.
	{flag: "url", env: "CANDOR_HEALTHCHECK_URL", kind: kindURL, derived: []string{"CANDOR_ADDR"},
		defaultFrom: func(getenv func(string) string) string { return healthURL(getenv("CANDOR_ADDR")) },
		defDoc:      "`http://127.0.0.1:8080/healthz`: /healthz on the port of `CANDOR_ADDR`",
		usage:       "URL to GET; 200 is healthy", cmds: []string{"healthcheck"}},
	{flag: "timeout", env: "CANDOR_HEALTHCHECK_TIMEOUT", kind: kindDuration, def: "3s", min: least(1), usage: "how long to wait for the answer", cmds: []string{"healthcheck"}},
	{flag: "confirm", usage: "the tenant's name again, to confirm (required)", cmds: []string{"tenant purge"}},
}

func checkAssign(s string) error {
	var l listFlag
	_ = l.Set(s)
	_, err := segment.ParseAssign(l)
	return err
}

func checkDate(s string) error {
	if _, err := time.Parse(time.DateOnly, s); s != "" && err != nil {
		return errors.New("want a day as YYYY-MM-DD")
	}
	return nil
}

func checkEngines(s string) error {
	n := 0
	for _, name := range strings.Split(s, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		if _, ok := analyzer.CanonicalEngine(name); !ok {
			return fmt.Errorf("%q is not an engine: want %s, comma-separated", name, orList(analyzer.EngineNames))
		}
		n++
	}
	if n == 0 {
		return errors.New("names no engine")
	}
	return nil
}

func checkHostPort(s string) error {
	if s == "" {
		return nil
	}
	if _, port, err := net.SplitHostPort(s); err != nil || port == "" {
		return errors.New("want HOST:PORT (HOST may be empty, PORT 0 picks a free one)")
	}
	return nil
}

func checkLoopback(s string) error {
	if s == "" {
		return nil
	}
	if err := checkHostPort(s); err != nil {
		return err
	}
	if api.CheckListen(s, nil) != nil {
		return errors.New("must be a loopback address (127.0.0.1:PORT): profiles show what the process holds")
	}
	return nil
}

func checkLogLevel(s string) error {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return errors.New("want debug, info, warn or error")
	}
	return nil
}

func checkNotEmpty(s string) error {
	if s == "" {
		return errors.New("must not be empty")
	}
	return nil
}

// parse turns a setting's text into its value: string, int, uint64,
// time.Duration, bool or []string.
func (s *setting) parse(text string) (any, error) {
	var v any = text
	switch s.kind {
	case kindInt:
		n, err := strconv.ParseInt(text, 10, strconv.IntSize)
		if err != nil {
			return nil, errors.New("not a whole number")
		}
		if s.min != nil && n < *s.min {
			return nil, fmt.Errorf("must be at least %d", *s.min)
		}
		v = int(n)
	case kindUint:
		n, err := strconv.ParseUint(text, 10, 64)
		if err != nil {
			return nil, errors.New("not a whole number of 0 or more")
		}
		v = n
	case kindDuration:
		d, err := time.ParseDuration(text)
		if err != nil {
			return nil, errors.New("not a duration: a number with a unit, such as 90s, 2m or 1h30m")
		}
		if s.min != nil && int64(d) < *s.min {
			if *s.min == 1 {
				return nil, errors.New("must be more than 0")
			}
			return nil, fmt.Errorf("must be at least %v", time.Duration(*s.min))
		}
		v = d
	case kindBool:
		b, err := strconv.ParseBool(text)
		if err != nil {
			return nil, errors.New("want true or false")
		}
		v = b
	case kindURL:
		if text == "" && s.def == "" && s.defaultFrom == nil {
			break
		}
		u, err := url.Parse(text)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, errors.New("want an absolute http or https URL")
		}
	case kindEnum:
		if !slices.Contains(s.values, text) && !slices.Contains(s.hidden, text) {
			return nil, fmt.Errorf("want %s", orList(s.values))
		}
	case kindList:
		var l listFlag
		_ = l.Set(text)
		v = []string(l)
	}
	if s.check != nil {
		if err := s.check(text); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// orList is "a, b or c".
func orList(vs []string) string {
	if len(vs) < 2 {
		return strings.Join(vs, "")
	}
	return strings.Join(vs[:len(vs)-1], ", ") + " or " + vs[len(vs)-1]
}

// defaultText is the setting's default for a command started with getenv,
// before its variable is read.
func (s *setting) defaultText(getenv func(string) string) string {
	if s.defaultFrom != nil {
		return s.defaultFrom(getenv)
	}
	return s.def
}

// typeName is the word -h prints after the flag's name.
func (s *setting) typeName() string {
	switch s.kind {
	case kindInt:
		return "int"
	case kindUint:
		return "uint"
	case kindDuration:
		return "duration"
	case kindBool:
		return ""
	case kindList:
		return "value"
	}
	return "string"
}

// helpUsage is the flag's -h text: its usage and the variable it reads.
func (s *setting) helpUsage() string {
	u := s.usage
	switch {
	case s.env != "" && len(s.derived) > 0:
		u += fmt.Sprintf(" (env %s; default from %s)", s.env, strings.Join(s.derived, ", "))
	case s.env != "":
		u += " (env " + s.env + ")"
	}
	return u
}

// value is a setting as one command holds it: the text it was given, and
// where the text came from.
type value struct {
	s      *setting
	text   string
	list   []string
	source string // "" (the default), "env" or "flag"
	parsed any
}

func (v *value) String() string {
	if v == nil {
		return ""
	}
	if v.s.kind == kindList {
		return strings.Join(v.list, ",")
	}
	return v.text
}

func (v *value) Set(text string) error {
	if v.s.kind == kindList {
		var l listFlag
		_ = l.Set(text)
		v.list = append(v.list, l...)
	} else {
		v.text = text
	}
	v.source = "flag"
	return nil
}

func (v *value) IsBoolFlag() bool { return v.s.kind == kindBool }

// config is one command's settings: its flags registered from the table,
// their variables read, and, after parse, each value checked.
type config struct {
	cmd    string
	fs     *flag.FlagSet
	getenv func(string) string
	vals   map[string]*value   // by flag name
	env    map[string]*setting // the variables without a flag
}

// newConfig registers on fs every setting of the table that names cmd,
// with its variable's value (when set) as the default.
func newConfig(cmd string, fs *flag.FlagSet, getenv func(string) string) *config {
	c := &config{cmd: cmd, fs: fs, getenv: getenv, vals: map[string]*value{}, env: map[string]*setting{}}
	for _, s := range settings {
		if !slices.Contains(s.cmds, cmd) {
			continue
		}
		if s.flag == "" {
			c.env[s.env] = s
			continue
		}
		v := &value{s: s, text: s.defaultText(getenv)}
		if s.env != "" {
			if t := getenv(s.env); t != "" {
				v.text, v.source = t, "env"
			}
		}
		c.vals[s.flag] = v
		fs.Var(v, s.flag, s.helpUsage())
	}
	return c
}

// parse parses args (flags anywhere among them) and checks every value,
// naming the flag or variable that gave a bad one. It returns the
// positional arguments.
func (c *config) parse(args []string) ([]string, error) {
	pos, err := parseFlags(c.fs, args)
	if err != nil {
		return nil, err
	}
	var bad []string
	c.fs.VisitAll(func(f *flag.Flag) {
		v := c.vals[f.Name]
		p, err := v.s.parse(v.String())
		if err != nil {
			bad = append(bad, fmt.Sprintf("%s: %v", v.origin(), err))
			return
		}
		v.parsed = p
	})
	if len(bad) > 0 {
		return nil, usagef("%s: %s", c.cmd, strings.Join(bad, "; "))
	}
	return pos, nil
}

// origin names where a value came from, with the value: --flag "text" or
// VAR="text" (a URL with its password masked).
func (v *value) origin() string {
	text := v.String()
	if v.s.kind == kindURL {
		if u, err := url.Parse(text); err == nil && u.User != nil {
			text = u.Redacted()
		} else if i := strings.LastIndex(text, "@"); i >= 0 {
			text = "xxxxx" + text[i:]
		}
	}
	if v.source == "env" {
		return fmt.Sprintf("%s=%q", v.s.env, text)
	}
	return fmt.Sprintf("--%s %q", v.s.flag, text)
}

// name is how a message names the setting of a value: its variable when
// the value came from there, else its flag.
func (c *config) name(flagName string) string {
	v := c.get(flagName)
	if v.source == "env" {
		return v.s.env
	}
	return "--" + flagName
}

func (c *config) get(name string) *value {
	v := c.vals[name]
	if v == nil {
		panic(fmt.Sprintf("candor %s has no setting --%s in the settings table", c.cmd, name))
	}
	if v.parsed == nil {
		panic(fmt.Sprintf("candor %s: --%s read before its flags were parsed", c.cmd, name))
	}
	return v
}

func (c *config) str(name string) string        { return c.get(name).parsed.(string) }
func (c *config) int(name string) int           { return c.get(name).parsed.(int) }
func (c *config) uint(name string) uint64       { return c.get(name).parsed.(uint64) }
func (c *config) dur(name string) time.Duration { return c.get(name).parsed.(time.Duration) }
func (c *config) bool(name string) bool         { return c.get(name).parsed.(bool) }
func (c *config) list(name string) []string     { return c.get(name).parsed.([]string) }

// secret is a variable only the environment carries (keys, secrets,
// REDIS_URL), as the table lists it for this command.
func (c *config) secret(name string) string {
	if c.env[name] == nil {
		panic(fmt.Sprintf("candor %s reads %s, which the settings table does not list for it", c.cmd, name))
	}
	return c.getenv(name)
}

// printDefaults is flag.PrintDefaults for the table's flags: each flag's
// type, usage and default, as -h shows them.
func printDefaults(fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		v, ok := f.Value.(*value)
		if !ok {
			panic("flag -" + f.Name + " is not from the settings table")
		}
		var b strings.Builder
		fmt.Fprintf(&b, "  -%s", f.Name)
		if t := v.s.typeName(); t != "" {
			b.WriteString(" " + t)
		}
		if b.Len() <= 4 {
			b.WriteString("\t")
		} else {
			b.WriteString("\n    \t")
		}
		b.WriteString(strings.ReplaceAll(f.Usage, "\n", "\n    \t"))
		switch def := f.DefValue; {
		case def == "" || def == "0" || def == "0s" || def == "false":
		case v.s.kind == kindString || v.s.kind == kindEnum || v.s.kind == kindURL:
			fmt.Fprintf(&b, " (default %q)", def)
		default:
			fmt.Fprintf(&b, " (default %v)", def)
		}
		fmt.Fprint(fs.Output(), b.String(), "\n")
	})
}
