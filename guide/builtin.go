package guide

import (
	"embed"
	"fmt"
	"path"
	"slices"
	"sync"

	"github.com/candorhq/candor/analyzer"
)

//go:embed builtin/*.yaml
var builtinFS embed.FS

// builtins parses the embedded guides once. They are part of the program,
// not input, and a test parses every one of them, so a failure here is a
// build defect and panics rather than being handled at every call site.
var builtins = sync.OnceValue(func() map[string]*analyzer.Guide {
	entries, err := builtinFS.ReadDir("builtin")
	if err != nil {
		panic(fmt.Sprintf("guide: read embedded guides: %v", err))
	}
	out := make(map[string]*analyzer.Guide, len(entries))
	for _, e := range entries {
		name := path.Join("builtin", e.Name())
		data, err := builtinFS.ReadFile(name)
		if err != nil {
			panic(fmt.Sprintf("guide: read %s: %v", name, err))
		}
		g, err := ParseFormat(name, FormatYAML, data)
		if err != nil {
			panic(fmt.Sprintf("guide: built-in %v", err))
		}
		if _, dup := out[g.ID]; dup {
			panic(fmt.Sprintf("guide: built-in id %q used twice", g.ID))
		}
		out[g.ID] = g
	}
	return out
})

// Builtin returns a copy of the built-in guide with the given id; callers
// may change it freely.
func Builtin(id string) (*analyzer.Guide, bool) {
	g, ok := builtins()[id]
	if !ok {
		return nil, false
	}
	return clone(g), true
}

// Builtins returns copies of every built-in guide, sorted by id.
func Builtins() []*analyzer.Guide {
	ids := BuiltinIDs()
	out := make([]*analyzer.Guide, len(ids))
	for i, id := range ids {
		out[i], _ = Builtin(id)
	}
	return out
}

// BuiltinIDs returns the ids of the built-in guides, sorted.
func BuiltinIDs() []string {
	m := builtins()
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// clone deep-copies a guide so that no caller can change a shared built-in.
func clone(g *analyzer.Guide) *analyzer.Guide {
	c := *g
	c.Questions = slices.Clone(g.Questions)
	for i := range c.Questions {
		c.Questions[i].Areas = slices.Clone(c.Questions[i].Areas)
		c.Questions[i].FollowUps = slices.Clone(c.Questions[i].FollowUps)
	}
	c.Notes = slices.Clone(g.Notes)
	return &c
}
