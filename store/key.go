package store

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/candorhq/candor/analyzer"
)

// keyVersion changes when the key recipe changes, so that entries made by
// an older recipe are never read by a newer one.
const keyVersion = "an1"

// NormalizeAnswer is the form of an answer that the cache keys on and that
// CachedEngine analyses: Unicode NFC, surrounding space trimmed and every
// run of white space made one space. The engine must see exactly the keyed
// text, or a cached analysis's quote offsets would not fit an answer that
// differs only in spacing.
func NormalizeAnswer(text string) string {
	return strings.Join(strings.Fields(norm.NFC.String(text)), " ")
}

// AnalysisKey returns the cache key (sha256, hex) of everything that
// determines an analysis: the normalised answer, the question (id, text,
// areas, follow-ups), the version of the guide it is analysed against and
// the engine's name, model, prompt version and options. The tenant is not
// part of the hash: stores namespace keys by tenant.
func AnalysisKey(info analyzer.EngineInfo, guideVersion string, q analyzer.Question, text string) string {
	return analysisKey(info, guideVersion, q, NormalizeAnswer(text))
}

func analysisKey(info analyzer.EngineInfo, guideVersion string, q analyzer.Question, normalized string) string {
	h := sha256.New()
	field := func(s string) {
		// Length prefixes keep field boundaries unambiguous ("ab"+"c" vs "a"+"bc").
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	list := func(h hash.Hash, ss []string) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(ss)))
		h.Write(n[:])
		for _, s := range ss {
			field(s)
		}
	}
	field(keyVersion)
	field(normalized)
	field(q.ID)
	field(q.Text)
	list(h, q.Areas)
	list(h, q.FollowUps)
	field(guideVersion)
	field(info.Name)
	field(info.Model)
	field(info.PromptVersion)
	field(info.Options)
	return hex.EncodeToString(h.Sum(nil))
}

// tenantTag returns the tenant as it appears in keys. Tenants with only
// safe characters appear as they are (keys stay readable); others are
// hashed, so that no tenant name can reach into another's namespace.
func tenantTag(tenant string) string {
	if tenant == "" {
		// "~" cannot be a safe tenant name, nor a hashed one.
		return "~"
	}
	for _, r := range tenant {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
		if !ok {
			sum := sha256.Sum256([]byte(tenant))
			return "~" + hex.EncodeToString(sum[:12])
		}
	}
	return tenant
}

// keys builds key names. The tenant sits in braces, a Redis Cluster hash
// tag, so that all of a tenant's keys share a slot and the multi-key
// scripts and transactions below work on a cluster too.
type keys struct{ prefix string }

func (k keys) tenant(t string) string        { return k.prefix + ":{" + tenantTag(t) + "}:" }
func (k keys) analysis(t, h string) string   { return k.tenant(t) + "an:" + h }
func (k keys) lock(t, h string) string       { return k.tenant(t) + "lock:" + h }
func (k keys) report(t, id string) string    { return k.tenant(t) + "rep:" + id }
func (k keys) reportIndex(t string) string   { return k.tenant(t) + "reps" }
func (k keys) job(t, id string) string       { return k.tenant(t) + "job:" + id }
func (k keys) stream() string                { return k.prefix + ":jobs" }
func (k keys) deadLetters() string           { return k.prefix + ":jobs:dead" }
func (k keys) tenantPattern(t string) string { return escapeGlob(k.tenant(t)) + "*" }

// A result's key and its kind's index (kinds are lower case words).
func (k keys) result(t, kind, id string) string  { return k.tenant(t) + "res:" + kind + ":" + id }
func (k keys) resultIndex(t, kind string) string { return k.tenant(t) + "ress:" + kind }

// escapeGlob escapes SCAN MATCH's special characters; the braces and
// brackets in a key name must match literally.
func escapeGlob(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '*', '?', '[', ']', '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
