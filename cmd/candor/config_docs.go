package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// configCommands are the commands whose settings the configuration
// reference lists, in the order it names them.
var configCommands = []string{"analyze", "serve", "worker", "healthcheck"}

// envOnlySettings are the environment variables that have no flag: secrets,
// which stay out of process lists and shell history, and REDIS_URL, whose
// credentials likewise. A test checks that this list and the variables the
// command's code reads agree.
var envOnlySettings = []struct {
	name, commands, def, meaning string
}{
	{"REDIS_URL", "serve, worker", "unset: serve keeps everything in its own memory; worker refuses to start",
		"Redis for the cache, reports, jobs, tenant guides, rate limits and idempotency keys: `redis://`, `rediss://` (TLS), " +
			"`redis-sentinel://[user:pass@]h1:26379,h2:26379/mastername[?db=N]`, `redis-cluster://[user:pass@]h1:7000,h2:7001`"},
	{"CANDOR_API_KEYS", "serve, worker", "unset: no auth, loopback addresses only",
		"API keys as `tenant:key,tenant:key`; keys are 16+ characters, a tenant may have several (rotation)"},
	{"CANDOR_WEBHOOK_SECRETS", "serve, worker", "unset: requests with a `webhook_url` are refused",
		"each tenant's webhook signing secret as `tenant:secret,tenant:secret` (16+ characters; `Candor-Signature`); a tenant named twice has two " +
			"secrets while rotating and every event carries a signature by each; workers send the webhooks, so give it to them too"},
	{"CANDOR_WEBHOOK_SECRET", "serve, worker", "unset",
		"earlier versions' one secret for every tenant: refused when API keys are configured (any tenant's receiver could forge another's events); " +
			"without keys, the local tenant's secret"},
	{"CANDOR_METRICS_TOKEN", "serve, worker", "unset: `/metrics` is open without API keys (loopback only) and refused (403) with them",
		"bearer token `GET /metrics` requires (`Authorization: Bearer TOKEN`); give it to Prometheus"},
	{"CANDOR_WEB_SECRET", "serve", "unset: a random secret per process (sessions end at restart and do not cross replicas)",
		"signs the web pages' session cookies; share one value between API replicas"},
	{"OPENAI_API_KEY", "analyze, serve, worker", "unset: no key (a local server needs only `OPENAI_BASE_URL`)",
		"key of the OpenAI-compatible server; with it or `OPENAI_BASE_URL` the llm and hybrid engines are on"},
}

// configFlag is one flag of the reference, merged across the commands
// that have it.
type configFlag struct {
	name     string
	meaning  string
	env      []string          // variables whose value becomes the default
	derived  []string          // variables the default is computed from
	cpus     bool              // the default is the number of CPUs
	defaults map[string]string // per command
	commands []string
}

// helpFlag is a flag as `candor CMD -h` prints it.
type helpFlag struct {
	typ, usage, def string
}

var defaultSuffix = regexp.MustCompile(` \(default ("(?:[^"\\]|\\.)*"|[^()]*)\)$`)

// helpFlags runs `candor cmd -h` with getenv and reads its flags from the
// flag package's PrintDefaults text: the real flag sets, as users see them.
func helpFlags(cmd string, getenv func(string) string) (map[string]helpFlag, error) {
	var stderr bytes.Buffer
	err := run(context.Background(), []string{cmd, "-h"}, getenv, strings.NewReader(""), io.Discard, &stderr)
	if !errors.Is(err, errHelp) {
		return nil, fmt.Errorf("config-docs: %s -h: %v", cmd, err)
	}
	out := map[string]helpFlag{}
	var name string
	var cur helpFlag
	flush := func() {
		if name == "" {
			return
		}
		u := strings.TrimSpace(cur.usage)
		if m := defaultSuffix.FindStringSubmatchIndex(u); m != nil {
			d := u[m[2]:m[3]]
			if uq, err := strconv.Unquote(d); err == nil && strings.HasPrefix(d, `"`) {
				d = uq
			}
			cur.def, u = d, u[:m[0]]
		} else {
			cur.def = zeroDefault(cur.typ)
		}
		cur.usage = u
		out[name] = cur
		name = ""
	}
	for _, line := range strings.Split(stderr.String(), "\n") {
		switch {
		case strings.HasPrefix(line, "  -"):
			flush()
			head, usage, oneLine := strings.Cut(strings.TrimPrefix(line, "  -"), "\t")
			name, cur.typ, _ = strings.Cut(strings.TrimSpace(head), " ")
			cur.usage = ""
			if oneLine {
				cur.usage = usage
			}
		case name != "" && strings.HasPrefix(line, "    \t"):
			cur.usage += " " + strings.TrimPrefix(line, "    \t")
		}
	}
	flush()
	if len(out) == 0 {
		return nil, fmt.Errorf("config-docs: %s -h printed no flags", cmd)
	}
	return out, nil
}

// zeroDefault is the default PrintDefaults leaves out: the type's zero.
func zeroDefault(typ string) string {
	switch typ {
	case "":
		return "false"
	case "int", "int64", "uint", "uint64", "float":
		return "0"
	case "duration":
		return "0s"
	}
	return ""
}

// probeValues are set, one at a time, in each variable a command reads to
// see which flag's default follows it; one of them parses as each kind of flag.
var probeValues = []string{"true", "7919", "2h11m59s", "probe.invalid:7919"}

// configReference reads the settings of every command in configCommands:
// which flags each has, their built-in defaults (with an empty
// environment), which variable each default comes from, and which
// variables the commands read at start-up.
func configReference() ([]*configFlag, []string, error) {
	flags := map[string]*configFlag{}
	readKeys := map[string]bool{}
	for _, cmd := range configCommands {
		var read []string
		record := func(k string) string {
			if !slices.Contains(read, k) {
				read = append(read, k)
			}
			return ""
		}
		base, err := helpFlags(cmd, record)
		if err != nil {
			return nil, nil, err
		}
		// Defaults that follow the number of CPUs are not this machine's.
		procs := runtime.GOMAXPROCS(0)
		runtime.GOMAXPROCS(procs + 1)
		other, err := helpFlags(cmd, func(string) string { return "" })
		runtime.GOMAXPROCS(procs)
		if err != nil {
			return nil, nil, err
		}
		for name, hf := range base {
			f := flags[name]
			if f == nil {
				f = &configFlag{name: name, meaning: cleanUsage(hf.usage), defaults: map[string]string{}}
				flags[name] = f
			}
			f.commands = append(f.commands, cmd)
			f.defaults[cmd] = hf.def
			if other[name].def != hf.def {
				f.cpus = true
			}
		}
		for _, k := range read {
			readKeys[k] = true
			for _, v := range probeValues {
				probed, err := helpFlags(cmd, func(key string) string {
					if key == k {
						return v
					}
					return ""
				})
				if err != nil {
					return nil, nil, err
				}
				for name, hf := range probed {
					f := flags[name]
					switch {
					case hf.def == base[name].def:
					case hf.def == v && !slices.Contains(f.env, k):
						f.env = append(f.env, k)
					case hf.def != v && !slices.Contains(f.derived, k) && !slices.Contains(f.env, k):
						f.derived = append(f.derived, k)
					}
				}
			}
		}
	}
	var out []*configFlag
	for _, f := range flags {
		// A variable the value follows exactly is not also "derived".
		f.derived = slices.DeleteFunc(f.derived, func(k string) bool { return slices.Contains(f.env, k) })
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	var keys []string
	for k := range readKeys {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return out, keys, nil
}

var envMention = regexp.MustCompile(`\(env [A-Z0-9_]+(?:=\S+?)?(\)|; )`)

// cleanUsage drops a usage text's "(env NAME)" note: the table has a
// column for it.
func cleanUsage(u string) string {
	u = envMention.ReplaceAllStringFunc(u, func(m string) string {
		if strings.HasSuffix(m, ")") {
			return ""
		}
		return "("
	})
	return strings.TrimSpace(strings.ReplaceAll(u, "  ", " "))
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func code(s string) string {
	if s == "" {
		return "*(empty)*"
	}
	return "`" + s + "`"
}

// configDocs is the hidden `candor config-docs`: the README's
// configuration reference, as Markdown, from the commands' own flag sets.
func (e *environment) configDocs(args []string) error {
	if len(args) > 0 {
		return usagef("config-docs: takes no arguments")
	}
	text, err := configMarkdown()
	if err != nil {
		return err
	}
	_, err = io.WriteString(e.stdout, text)
	return err
}

func configMarkdown() (string, error) {
	flags, _, err := configReference()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("\nEvery flag's default comes from its environment variable when that is set, so a container or unit\n" +
		"file needs no arguments. A flag given on the command line wins over the variable.\n\n")
	b.WriteString("| flag | env var | default | commands | meaning |\n|---|---|---|---|---|\n")
	for _, f := range flags {
		env := "—"
		if len(f.env) > 0 {
			env = "`" + strings.Join(f.env, "`, `") + "`"
		}
		if len(f.derived) > 0 {
			env += "; default from `" + strings.Join(f.derived, "`, `") + "`"
		}
		var def string
		first := f.defaults[f.commands[0]]
		same := true
		for _, c := range f.commands {
			same = same && f.defaults[c] == first
		}
		switch {
		case f.cpus:
			def = "number of CPUs"
		case same:
			def = code(first)
		default:
			var parts []string
			for _, c := range f.commands {
				parts = append(parts, c+": "+code(f.defaults[c]))
			}
			def = strings.Join(parts, "; ")
		}
		fmt.Fprintf(&b, "| `--%s` | %s | %s | %s | %s |\n", f.name, env, cell(def), strings.Join(f.commands, ", "), cell(f.meaning))
	}
	b.WriteString("\nSettings only the environment carries (secrets and credentials stay out of process lists):\n\n")
	b.WriteString("| env var | commands | when unset | meaning |\n|---|---|---|---|\n")
	for _, s := range envOnlySettings {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", s.name, s.commands, cell(s.def), cell(s.meaning))
	}
	b.WriteString("\n")
	return b.String(), nil
}
