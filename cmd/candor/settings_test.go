package main

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestBadSettingsStop: a value of any kind that does not parse, or is out
// of range, stops serve, worker and analyze at start with exit 2 and one
// line naming the variable (when the value came from the environment) or
// the flag, the value and what is wrong with it.
func TestBadSettingsStop(t *testing.T) {
	tests := []struct {
		kind string
		env  map[string]string
		args []string
		cmds []string
		want []string // in the reason line
	}{
		{"int", map[string]string{"CANDOR_RATE_LIMIT": "abc"}, nil, serverCommands, []string{`CANDOR_RATE_LIMIT="abc"`, "not a whole number"}},
		{"int", nil, []string{"--rate-limit", "-1"}, serverCommands, []string{`--rate-limit "-1"`, "at least 0"}},
		{"int", map[string]string{"CANDOR_LLM_CONCURRENCY": "0"}, nil, []string{"analyze", "serve", "worker"}, []string{`CANDOR_LLM_CONCURRENCY="0"`, "at least 1"}},
		{"int", nil, []string{"--concurrency", "four"}, []string{"analyze"}, []string{`--concurrency "four"`, "not a whole number"}},
		{"int", map[string]string{"CANDOR_WORKERS": "0"}, nil, []string{"worker"}, []string{`CANDOR_WORKERS="0"`, "at least 1"}},
		{"duration", map[string]string{"CANDOR_LLM_TIMEOUT": "5"}, nil, []string{"analyze", "serve", "worker"}, []string{`CANDOR_LLM_TIMEOUT="5"`, "not a duration"}},
		{"duration", map[string]string{"CANDOR_LLM_TIMEOUT": "0s"}, nil, []string{"analyze", "serve", "worker"}, []string{`CANDOR_LLM_TIMEOUT="0s"`, "more than 0"}},
		{"duration", nil, []string{"--read-timeout", "-1s"}, serverCommands, []string{`--read-timeout "-1s"`, "at least 0s"}},
		{"duration", map[string]string{"CANDOR_CACHE_TTL": "a week"}, nil, serverCommands, []string{`CANDOR_CACHE_TTL="a week"`, "not a duration"}},
		{"bool", map[string]string{"CANDOR_WEBHOOK_ALLOW_PRIVATE": "yes"}, nil, serverCommands, []string{`CANDOR_WEBHOOK_ALLOW_PRIVATE="yes"`, "true or false"}},
		{"bool", nil, []string{"--redact=maybe"}, []string{"analyze", "serve", "worker"}, []string{`--redact "maybe"`, "true or false"}},
		{"URL", map[string]string{"OPENAI_BASE_URL": "localhost:11434/v1"}, nil, []string{"analyze", "serve", "worker"}, []string{`OPENAI_BASE_URL="localhost:11434/v1"`, "http or https URL"}},
		{"URL", nil, []string{"--llm-base-url", "ftp://models.example/v1"}, []string{"analyze", "serve", "worker"}, []string{`--llm-base-url "ftp://models.example/v1"`, "http or https URL"}},
		{"URL", map[string]string{"OPENAI_BASE_URL": "http//user:hunter2@models.example"}, nil, []string{"serve"}, []string{"OPENAI_BASE_URL=", "http or https URL"}},
		{"enum", map[string]string{"CANDOR_LLM_API_TYPE": "azur"}, nil, []string{"analyze", "serve", "worker"}, []string{`CANDOR_LLM_API_TYPE="azur"`, "want openai or azure"}},
		{"enum", nil, []string{"--format", "xml"}, []string{"analyze"}, []string{`--format "xml"`, "want text, json, md or csv"}},
		{"enum", nil, []string{"--engine", "magic"}, []string{"analyze"}, []string{`--engine "magic"`, "want heuristic, llm or hybrid"}},
		{"text", map[string]string{"CANDOR_LOG_LEVEL": "loud"}, nil, serverCommands, []string{`CANDOR_LOG_LEVEL="loud"`, "debug, info, warn or error"}},
		{"text", map[string]string{"CANDOR_ADDR": "8080"}, nil, serverCommands, []string{`CANDOR_ADDR="8080"`, "HOST:PORT"}},
		{"text", map[string]string{"CANDOR_PPROF_ADDR": "0.0.0.0:6060"}, nil, serverCommands, []string{`CANDOR_PPROF_ADDR="0.0.0.0:6060"`, "loopback"}},
		{"text", nil, []string{"--date", "2026-02-30"}, []string{"analyze"}, []string{`--date "2026-02-30"`, "YYYY-MM-DD"}},
	}
	for _, tt := range tests {
		for _, cmd := range tt.cmds {
			t.Run(tt.kind+"/"+cmd+"/"+strings.Join(append(slices.Sorted(maps.Keys(tt.env)), tt.args...), " "), func(t *testing.T) {
				var stdout, stderr bytes.Buffer
				args := append([]string{cmd}, tt.args...)
				if cmd == "analyze" {
					args = append(args, "--guide", "cx-empathy", "-")
				}
				err := run(t.Context(), args, func(k string) string { return tt.env[k] }, strings.NewReader(""), &stdout, &stderr)
				if code := exitCode(err, &stderr); code != 2 {
					t.Fatalf("exit %d, want 2; stderr:\n%s", code, stderr.String())
				}
				line := strings.TrimSpace(stderr.String())
				if strings.Count(line, "\n") != 0 {
					t.Errorf("stderr has more than the reason line:\n%s", line)
				}
				for _, w := range append([]string{"candor: " + cmd + ": "}, tt.want...) {
					if !strings.Contains(line, w) {
						t.Errorf("stderr %q lacks %q", line, w)
					}
				}
				if strings.Contains(line, "hunter2") {
					t.Errorf("stderr %q shows a URL's password", line)
				}
			})
		}
	}
}

// TestBadSettingsAllNamed: several bad values are all named in the one line.
func TestBadSettingsAllNamed(t *testing.T) {
	env := map[string]string{"CANDOR_RATE_LIMIT": "abc", "CANDOR_LLM_TIMEOUT": "5"}
	_, err := testConfig("serve", func(k string) string { return env[k] }, "--max-body", "0")
	if err == nil {
		t.Fatal("bad values accepted")
	}
	for _, w := range []string{"CANDOR_RATE_LIMIT", "CANDOR_LLM_TIMEOUT", "--max-body"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%q lacks %s", err, w)
		}
	}
}

// TestSettingsPrecedence: a variable's value replaces the built-in
// default, a flag on the command line replaces both, and a variable a flag
// overrides is not read (a bad one does not stop the command).
func TestSettingsPrecedence(t *testing.T) {
	env := map[string]string{"CANDOR_RATE_LIMIT": "50", "CANDOR_LLM_TIMEOUT": "90s", "CANDOR_WEBHOOK_ALLOW_PRIVATE": "true",
		"OPENAI_BASE_URL": "http://ollama:11434/v1", "CANDOR_LLM_API_TYPE": "azure", "CANDOR_CACHE_TTL": "not a duration"}
	c, err := testConfig("serve", func(k string) string { return env[k] }, "--cache-ttl", "1h", "--job-attempts", "5")
	if err != nil {
		t.Fatal(err)
	}
	f := serverSettings(c)
	if f.rateLimit != 50 || f.llm.timeout != 90*time.Second || !f.allowPrivate || f.llm.baseURL != env["OPENAI_BASE_URL"] || f.llm.apiType != "azure" {
		t.Errorf("variables not taken: %+v, llm %+v", f, f.llm)
	}
	if f.cacheTTL != time.Hour || f.jobAttempts != 5 {
		t.Errorf("flags not taken: cache-ttl %v, job-attempts %d", f.cacheTTL, f.jobAttempts)
	}
	if f.maxBody != 10<<20 || f.requestTimeout != 2*time.Minute || f.prefix != "candor" || f.addr != "127.0.0.1:8080" {
		t.Errorf("built-in defaults not kept: %+v", f)
	}
	if got := c.name("rate-limit"); got != "CANDOR_RATE_LIMIT" {
		t.Errorf("a value from the environment is named %q", got)
	}
	if got := c.name("cache-ttl"); got != "--cache-ttl" {
		t.Errorf("a value from a flag is named %q", got)
	}
}

// TestSettingsDerivedDefaults: the defaults computed from other
// variables follow them.
func TestSettingsDerivedDefaults(t *testing.T) {
	for _, tt := range []struct {
		env      map[string]string
		gc, mem  int
		health   string
		workerAt string
	}{
		{nil, 400, 100, "http://127.0.0.1:8080/healthz", ""},
		{map[string]string{"GOGC": "200", "GOMEMLIMIT": "1GiB", "CANDOR_ADDR": "0.0.0.0:9090"}, -1, 0, "http://127.0.0.1:9090/healthz", "0.0.0.0:9090"},
	} {
		getenv := func(k string) string { return tt.env[k] }
		c, err := testConfig("worker", getenv)
		if err != nil {
			t.Fatal(err)
		}
		if c.int("gc-percent") != tt.gc || c.int("memory-limit-mib") != tt.mem || c.str("addr") != tt.workerAt {
			t.Errorf("env %v: gc-percent %d, memory-limit-mib %d, addr %q; want %d, %d, %q", tt.env,
				c.int("gc-percent"), c.int("memory-limit-mib"), c.str("addr"), tt.gc, tt.mem, tt.workerAt)
		}
		h, err := testConfig("healthcheck", getenv)
		if err != nil {
			t.Fatal(err)
		}
		if h.str("url") != tt.health {
			t.Errorf("env %v: healthcheck --url %q, want %q", tt.env, h.str("url"), tt.health)
		}
	}
}

// TestSettingsTable: the table itself is coherent: defaults are values
// their rows take, a flag names one row per command, and variables and
// enums are spelled alike.
func TestSettingsTable(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range settings {
		key := "--" + s.flag
		if s.flag == "" {
			key = s.env
		}
		if s.flag == "" && (s.env == "" || s.defDoc == "") {
			t.Errorf("%s: a variable-only row needs the variable and what unset means", key)
		}
		if s.usage == "" || len(s.cmds) == 0 {
			t.Errorf("%s: no usage or no commands", key)
		}
		for _, c := range s.cmds {
			if seen[c+" "+key] {
				t.Errorf("%s is in the table twice for %s", key, c)
			}
			seen[c+" "+key] = true
		}
		if s.flag == "" {
			continue
		}
		if _, err := s.parse(s.defaultText(func(string) string { return "" })); err != nil {
			t.Errorf("%s: the default %q is refused: %v", key, s.defaultText(func(string) string { return "" }), err)
		}
		if s.kind == kindEnum && s.def != "" && !slices.Contains(s.values, s.def) {
			t.Errorf("%s: default %q is not among the documented values %v", key, s.def, s.values)
		}
		if (s.defaultFrom == nil) != (s.defDoc == "") {
			t.Errorf("%s: a computed default needs defDoc, and only it", key)
		}
	}
}
