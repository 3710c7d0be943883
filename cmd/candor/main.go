// Command candor analyzes job-interview answers against a structured
// interview guide: which guide question each answer addresses, which areas it
// covers with quoted evidence, how specific it is, and what to ask next.
//
// Exit status: 0 on success, 2 for usage and input errors (with a one-line
// reason on stderr), 1 for anything else. A batch (several inputs) goes on
// past an input that fails and exits 2 when one did, 3 when none failed but
// nothing aligned with the guide in some input.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/candorhq/candor/analyzer"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// usageError is a mistake in how candor was called.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// errHelp is returned after help was printed on request.
var errHelp = errors.New("help requested")

func exitCode(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, errHelp) {
		return 0
	}
	fmt.Fprintf(stderr, "candor: %s\n", oneLine(err.Error()))
	var be *batchError
	if errors.As(err, &be) {
		return be.code
	}
	var ue *usageError
	if errors.As(err, &ue) || errors.Is(err, analyzer.ErrInvalidInput) || errors.Is(err, analyzer.ErrInvalidGuide) ||
		errors.Is(err, analyzer.ErrUnknownGuide) || errors.Is(err, analyzer.ErrUnknownQuestion) || errors.Is(err, os.ErrNotExist) ||
		errors.Is(err, os.ErrPermission) || errors.Is(err, errNoInput) {
		return 2
	}
	return 1
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

const usage = `Usage: candor <command> [flags] [args]

Commands:
  analyze   analyze a transcript or answers file against a guide and print a report
  segment   show which transcript turns answer which guide question
  eval      measure how far each engine agrees with your own labelled interviews
  audit     compare groups of candidates (impact ratios) and run the counterfactual swap test
  guides    list, show, import or lint interview guides; learn their quote prototypes
  slates    compare: the reports of one guide side by side (Markdown, CSV or JSON)
  serve     serve the HTTP API (with job workers in the same process)
  worker    run job workers on the Redis queue that serve fills (scale-out)
  tenant    purge: delete everything the Redis store keeps for one tenant
  healthcheck  exit 0 when a server's /healthz answers 200 (a container HEALTHCHECK)
  version   print the version

Run 'candor <command> -h' for a command's flags.
`

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usagef("no command given")
	}
	env := &environment{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "analyze":
		return env.analyze(ctx, rest)
	case "segment":
		return env.segment(ctx, rest)
	case "eval":
		return env.eval(ctx, rest)
	case "audit":
		return env.audit(ctx, rest)
	case "guides":
		return env.guides(ctx, rest)
	case "slates":
		return env.slates(rest)
	case "serve":
		return env.serve(ctx, rest)
	case "worker":
		return env.worker(ctx, rest)
	case "healthcheck":
		return env.healthcheck(ctx, rest)
	case "tenant":
		return env.tenant(ctx, rest)
	case "config-docs":
		// Hidden: prints the README's configuration reference.
		return env.configDocs(rest)
	case "version", "--version":
		fmt.Fprintf(stdout, "candor %s\n", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return usagef("unknown command %q", cmd)
	}
}

type environment struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// parseFlags parses flags anywhere among the arguments (candor analyze
// FILE --guide G works like candor analyze --guide G FILE).
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, usagef("%s: %v", fs.Name(), err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}
