package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/api"
)

// The deployment files are checked against the binary itself, so that they
// cannot drift from its commands, flags, variables and ports.

var repoRoot = filepath.Join("..", "..")

type composeFile struct {
	Services map[string]composeService `yaml:"services"`
}

type composeService struct {
	Image       string               `yaml:"image"`
	Build       any                  `yaml:"build"`
	Command     []string             `yaml:"command"`
	Entrypoint  []string             `yaml:"entrypoint"`
	Environment map[string]string    `yaml:"environment"`
	Ports       []string             `yaml:"ports"`
	Expose      []string             `yaml:"expose"`
	Profiles    []string             `yaml:"profiles"`
	DependsOn   map[string]dependsOn `yaml:"depends_on"`
	Healthcheck *struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
}

type dependsOn struct {
	Condition string `yaml:"condition"`
}

func loadCompose(t *testing.T) composeFile {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot, "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	if len(c.Services) == 0 {
		t.Fatal("docker-compose.yml has no services")
	}
	return c
}

// requiredSamples stand in for ${VAR:?message} values the operator must
// give, with values the binary accepts.
var requiredSamples = map[string]string{
	"CANDOR_API_KEYS":   "acme:compose-test-key-0123456789",
	"CANDOR_WEB_SECRET": "compose-test-web-secret",
}

var interpolation = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}`)

// interpolate resolves ${VAR}, ${VAR:-default} and ${VAR:?message} as
// Compose does, with the variables in shell (nil: none set).
func interpolate(t *testing.T, s string, shell map[string]string) string {
	return interpolation.ReplaceAllStringFunc(s, func(m string) string {
		g := interpolation.FindStringSubmatch(m)
		if v, ok := shell[g[1]]; ok && v != "" {
			return v
		}
		switch g[2] {
		case ":-", "-":
			return g[3]
		case ":?", "?":
			v, ok := requiredSamples[g[1]]
			if !ok {
				t.Errorf("docker-compose.yml requires %s; add a sample value to requiredSamples", g[1])
			}
			return v
		}
		return ""
	})
}

// candorServices are the services that run the candor image.
func candorServices(c composeFile) map[string]composeService {
	out := map[string]composeService{}
	for name, s := range c.Services {
		if s.Build != nil || strings.HasPrefix(s.Image, "candor:") {
			out[name] = s
		}
	}
	return out
}

func containerPort(t *testing.T, mapping string) string {
	t.Helper()
	mapping, _, _ = strings.Cut(mapping, "/") // 8080/tcp
	i := strings.LastIndex(mapping, ":")
	return mapping[i+1:]
}

// checkService runs the service's command through the real flag parsing
// and backend set-up with the service's environment, and returns the
// address it listens on.
func checkService(t *testing.T, name string, s composeService, shell map[string]string) string {
	t.Helper()
	env := map[string]string{}
	for k, v := range s.Environment {
		env[k] = interpolate(t, v, shell)
	}
	getenv := func(k string) string { return env[k] }
	if len(s.Command) == 0 {
		t.Fatalf("%s: no command (the image's default would run; say which)", name)
	}
	cmd, args := s.Command[0], s.Command[1:]
	if cmd != "serve" && cmd != "worker" {
		t.Fatalf("%s: command %q is not `candor serve` or `candor worker`", name, cmd)
	}
	// The binary's own parser takes the arguments.
	var stderr bytes.Buffer
	if err := run(t.Context(), append(slices.Clone(s.Command), "-h"), getenv, strings.NewReader(""), io.Discard, &stderr); err != errHelp {
		t.Fatalf("%s: candor %s: %v\n%s", name, strings.Join(s.Command, " "), err, stderr.String())
	}

	// Every variable is one the binary reads, and each value is one the
	// settings table takes (a bad one would stop the command at start).
	doc := documentedEnv()
	for k := range env {
		if !doc[k] {
			t.Errorf("%s: sets %s, which candor never reads", name, k)
		}
	}
	c, err := testConfig(cmd, getenv, args...)
	if err != nil {
		t.Fatalf("%s: candor %s: %v", name, strings.Join(s.Command, " "), err)
	}
	f := serverSettings(c)
	e := &environment{getenv: getenv, stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
	b, err := e.backend(cmd, f, cmd == "worker")
	if err != nil {
		t.Fatalf("%s: candor %s would not start: %v", name, cmd, err)
	}
	defer b.close()
	if cmd == "serve" {
		if err := api.CheckListen(f.addr, b.cfg.Keys); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if shell["OPENAI_BASE_URL"] != "" && b.deps.Engines[analyzer.EngineLLM] == nil {
		t.Errorf("%s: OPENAI_BASE_URL is set but the llm engine is off", name)
	}

	// Redis is the compose service, up before candor starts.
	u, err := url.Parse(env["REDIS_URL"])
	if err != nil || u.Hostname() == "" {
		t.Fatalf("%s: REDIS_URL %q", name, env["REDIS_URL"])
	}
	if rs := u.Hostname(); rs != "redis" || u.Port() != "6379" {
		t.Errorf("%s: REDIS_URL names %s:%s, not the redis service's redis:6379", name, rs, u.Port())
	}
	if d := s.DependsOn["redis"]; d.Condition != "service_healthy" {
		t.Errorf("%s: depends on redis with condition %q, want service_healthy", name, d.Condition)
	}
	return f.addr
}

func TestComposeFile(t *testing.T) {
	c := loadCompose(t)
	svcs := candorServices(c)
	seen := map[string]bool{}
	for name, s := range svcs {
		t.Run(name, func(t *testing.T) {
			addr := checkService(t, name, s, nil)
			seen[s.Command[0]] = true
			_, port, err := net.SplitHostPort(addr)
			if err != nil || port == "0" {
				t.Fatalf("listens on %q: want HOST:PORT with a fixed port", addr)
			}
			if ip := net.ParseIP(strings.Trim(addr[:strings.LastIndex(addr, ":")], "[]")); ip == nil || !ip.IsUnspecified() {
				t.Errorf("listens on %s: other containers cannot reach it; use 0.0.0.0", addr)
			}
			mapped := append(slices.Clone(s.Expose), s.Ports...)
			if len(mapped) == 0 {
				t.Errorf("publishes no port; candor listens on %s", port)
			}
			for _, p := range mapped {
				if got := containerPort(t, p); got != port {
					t.Errorf("port %q: container port %s, but candor listens on %s", p, got, port)
				}
			}
			// The image's HEALTHCHECK (`candor healthcheck`) finds the port
			// from the same environment.
			env := map[string]string{}
			for k, v := range s.Environment {
				env[k] = interpolate(t, v, nil)
			}
			hc, err := testConfig("healthcheck", func(k string) string { return env[k] })
			if err != nil {
				t.Fatal(err)
			}
			hu, err := url.Parse(hc.str("url"))
			if err != nil || hu.Port() != port || hu.Path != "/healthz" {
				t.Errorf("the healthcheck would GET %q; candor listens on port %s", hc.str("url"), port)
			}
		})
	}
	if !seen["serve"] || !seen["worker"] {
		t.Errorf("want an API (serve) and a worker service; commands seen: %v", seen)
	}

	r, ok := c.Services["redis"]
	if !ok {
		t.Fatal("no redis service")
	}
	cmd := strings.Join(r.Command, " ")
	if !strings.Contains(cmd, "--appendonly yes") {
		t.Errorf("redis runs without the append-only file (%q): queued jobs would not survive its restart", cmd)
	}
	if r.Healthcheck == nil || len(r.Healthcheck.Test) == 0 {
		t.Error("redis has no healthcheck: candor's depends_on cannot wait for it")
	}
}

// readEnvFile reads a Compose --env-file: NAME=value lines and comments.
func readEnvFile(t *testing.T, path string) map[string]string {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("%s: %q is not NAME=value", path, line)
		}
		out[k] = v
	}
	return out
}

// TestComposeOllamaProfile: deploy/ollama.env turns the profile on and its
// OPENAI_BASE_URL reaches the model server of that profile.
func TestComposeOllamaProfile(t *testing.T) {
	c := loadCompose(t)
	shell := readEnvFile(t, filepath.Join(repoRoot, "deploy", "ollama.env"))
	profiles := strings.Split(shell["COMPOSE_PROFILES"], ",")
	u, err := url.Parse(shell["OPENAI_BASE_URL"])
	if err != nil || u.Hostname() == "" {
		t.Fatalf("deploy/ollama.env: OPENAI_BASE_URL %q", shell["OPENAI_BASE_URL"])
	}
	srv, ok := c.Services[u.Hostname()]
	if !ok {
		t.Fatalf("OPENAI_BASE_URL names %s, which is not a service", u.Hostname())
	}
	if len(srv.Profiles) == 0 || !slices.Contains(profiles, srv.Profiles[0]) {
		t.Errorf("service %s has profiles %v; deploy/ollama.env turns on %v", u.Hostname(), srv.Profiles, profiles)
	}
	if !slices.Contains(srv.Expose, u.Port()) {
		t.Errorf("OPENAI_BASE_URL's port %s is not one %s exposes (%v)", u.Port(), u.Hostname(), srv.Expose)
	}
	if u.Path != "/v1" {
		t.Errorf("OPENAI_BASE_URL %s: Ollama's OpenAI-compatible API is under /v1", u)
	}
	doc := documentedEnv()
	for name, s := range candorServices(c) {
		for k := range shell {
			if k == "COMPOSE_PROFILES" {
				continue
			}
			if !doc[k] {
				t.Errorf("deploy/ollama.env sets %s, which candor never reads", k)
			}
			if !strings.Contains(s.Environment[k], "${"+k) {
				t.Errorf("%s: deploy/ollama.env sets %s but the service does not pass it on", name, k)
			}
		}
		t.Run(name, func(t *testing.T) { checkService(t, name, s, shell) })
	}
}

// dockerfile is the Dockerfile's instructions, continuation lines joined.
func dockerfile(t *testing.T) [][2]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	var out [][2]string
	var cur string
	for _, line := range strings.Split(string(raw), "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") || (trimmed == "" && cur == "") {
			continue
		}
		if rest, ok := strings.CutSuffix(trimmed, `\`); ok {
			cur += rest + " "
			continue
		}
		cur += trimmed
		instr, args, _ := strings.Cut(strings.TrimSpace(cur), " ")
		out = append(out, [2]string{strings.ToUpper(instr), strings.TrimSpace(args)})
		cur = ""
	}
	return out
}

func TestDockerfile(t *testing.T) {
	var (
		args             = map[string]string{}
		goImage, runLine string
		user, addr       string
		expose           []string
		health, entry    []string
		cmd              []string
		copied           string
	)
	jsonArray := func(instr, s string) []string {
		var v []string
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			t.Fatalf("%s %s: want the JSON (exec) form: %v", instr, s, err)
		}
		return v
	}
	for _, in := range dockerfile(t) {
		switch instr, a := in[0], in[1]; instr {
		case "ARG":
			k, v, _ := strings.Cut(a, "=")
			args[k] = v
		case "FROM":
			if strings.HasPrefix(a, "golang:") {
				goImage = os.Expand(a, func(k string) string { return args[k] })
			}
		case "RUN":
			if strings.Contains(a, "go build") {
				runLine = a
			}
		case "USER":
			user = a
		case "ENV":
			if v, ok := strings.CutPrefix(a, "CANDOR_ADDR="); ok {
				addr = v
			}
		case "EXPOSE":
			expose = strings.Fields(a)
		case "HEALTHCHECK":
			_, c, ok := strings.Cut(a, "CMD ")
			if !ok {
				t.Fatalf("HEALTHCHECK %s: no CMD", a)
			}
			health = jsonArray(instr, c)
		case "ENTRYPOINT":
			entry = jsonArray(instr, a)
		case "CMD":
			cmd = jsonArray(instr, a)
		case "COPY":
			if strings.HasPrefix(a, "--from=") {
				f := strings.Fields(a)
				copied = f[len(f)-1]
			}
		}
	}

	// The Go of the build stage is at least go.mod's.
	mod, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	want := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(mod)
	got := regexp.MustCompile(`^golang:(\d+\.\d+)`).FindStringSubmatch(goImage)
	if want == nil || got == nil || got[1] < string(want[1]) {
		t.Errorf("build stage %q: want Go %s or later (go.mod)", goImage, want[1])
	}
	for _, s := range []string{"CGO_ENABLED=0", "./cmd/candor", "-trimpath", "-X main.version="} {
		if !strings.Contains(runLine, s) {
			t.Errorf("the go build step lacks %s: %q", s, runLine)
		}
	}
	if user == "" || user == "root" || strings.HasPrefix(user, "0:") || user == "0" {
		t.Errorf("USER %q: the image must not run as root", user)
	}
	if len(entry) != 1 || entry[0] != copied {
		t.Errorf("ENTRYPOINT %v is not the binary copied to %s", entry, copied)
	}
	if len(cmd) == 0 || !slices.Contains(settingCommands(), cmd[0]) {
		t.Errorf("CMD %v is not a candor command", cmd)
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil || !slices.Contains(expose, port) {
		t.Errorf("CANDOR_ADDR %q and EXPOSE %v disagree", addr, expose)
	}
	// The healthcheck is candor's own, and with the image's environment
	// it checks the port serve listens on.
	if len(health) < 2 || health[0] != copied || health[1] != "healthcheck" {
		t.Fatalf("HEALTHCHECK %v: want [%s healthcheck ...]", health, copied)
	}
	getenv := func(k string) string { return map[string]string{"CANDOR_ADDR": addr}[k] }
	var stderr bytes.Buffer
	if err := run(t.Context(), append(slices.Clone(health[1:]), "-h"), getenv, strings.NewReader(""), io.Discard, &stderr); err != errHelp {
		t.Fatalf("HEALTHCHECK %v: %v\n%s", health, err, stderr.String())
	}
	hc, err := testConfig("healthcheck", getenv)
	if err != nil {
		t.Fatal(err)
	}
	if hu, err := url.Parse(hc.str("url")); err != nil || hu.Port() != port {
		t.Errorf("the healthcheck GETs %s; serve listens on port %s", hc.str("url"), port)
	}
}

// dockerignored reports whether .dockerignore's patterns exclude path (or
// a folder above it), with Docker's rules: filepath.Match on the whole
// path, "**" for any number of folders, "!" to include again.
func dockerignored(patterns []string, path string) bool {
	ignored := false
	for _, p := range patterns {
		neg := strings.HasPrefix(p, "!")
		p = strings.TrimPrefix(strings.TrimPrefix(p, "!"), "/")
		re := regexp.QuoteMeta(filepath.Clean(p))
		re = strings.ReplaceAll(re, `\*\*/`, `(.*/)?`)
		re = strings.ReplaceAll(re, `\*\*`, `.*`)
		re = strings.ReplaceAll(re, `\*`, `[^/]*`)
		re = strings.ReplaceAll(re, `\?`, `[^/]`)
		m := regexp.MustCompile("^" + re + "(/.*)?$").MatchString(path)
		if m {
			ignored = !neg
		}
	}
	return ignored
}

// TestDockerignore: the build context keeps every file the binary's build
// reads (Go files and embedded files of its packages, go.mod, go.sum).
func TestDockerignore(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	var patterns []string
	for _, l := range strings.Split(string(raw), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			patterns = append(patterns, l)
		}
	}
	if !dockerignored(patterns, ".git/config") || !dockerignored(patterns, "api/testdata/x.json") {
		t.Errorf("the matcher or .dockerignore is off: .git and testdata should be left out")
	}
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	list := exec.Command("go", "list", "-deps", "-f", `{{if .Module}}{{if .Module.Main}}{{.Dir}}{{range .GoFiles}} {{.}}{{end}}{{range .EmbedFiles}} {{.}}{{end}}{{end}}{{end}}`, "./cmd/candor")
	list.Dir = root
	out, err := list.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("go list: %v\n%s", err, stderr)
	}
	needed := []string{"go.mod", "go.sum"}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		rel, err := filepath.Rel(root, f[0])
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range f[1:] {
			needed = append(needed, filepath.ToSlash(filepath.Join(rel, name)))
		}
	}
	if len(needed) < 50 {
		t.Fatalf("go list found only %d files", len(needed))
	}
	for _, p := range needed {
		if dockerignored(patterns, p) {
			t.Errorf(".dockerignore leaves out %s, which the build reads", p)
		}
	}
}
