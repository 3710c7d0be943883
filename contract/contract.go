// Package contract holds the report contract that scripts and other tools
// rely on: REPORT.md (the stable fields and the CLI form) and
// report.schema.json (the JSON Schema every report validates against).
// They are copies of ../shared/contract, kept here so the tests that
// validate reports run on a fresh clone; TestMatchesShared checks the
// copies still match when ../shared is beside the checkout.
package contract

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// ReportSchema is report.schema.json.
//
//go:embed report.schema.json
var ReportSchema []byte

// AdditionsSchema is report.additions.schema.json: Candor's compatible
// additions to contract version 1 (schema_revision), checked on top of
// ReportSchema, which it references. It is Candor's own, not a copy.
//
//go:embed report.additions.schema.json
var AdditionsSchema []byte

// ReportDoc is REPORT.md.
//
//go:embed REPORT.md
var ReportDoc []byte

// schemaURL is where the compiler files the schema; its relative $id
// resolves against it.
const (
	schemaURL    = "https://candor.dev/contract/report.schema.json"
	additionsURL = "https://candor.dev/contract/report.additions.schema.json"
)

var (
	schemaOnce sync.Once
	schema     *jsonschema.Schema
	schemaErr  error
)

// Schema returns the contract compiled (once): AdditionsSchema, which
// includes ReportSchema, for the tests that validate reports.
func Schema() (*jsonschema.Schema, error) {
	schemaOnce.Do(func() {
		c := jsonschema.NewCompiler()
		for _, r := range []struct {
			url  string
			name string
			data []byte
		}{{schemaURL, "report.schema.json", ReportSchema}, {additionsURL, "report.additions.schema.json", AdditionsSchema}} {
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(r.data))
			if err == nil {
				err = c.AddResource(r.url, doc)
			}
			if err != nil {
				schemaErr = fmt.Errorf("contract: %s: %w", r.name, err)
				return
			}
		}
		var err error
		if schema, err = c.Compile(additionsURL); err != nil {
			schemaErr = fmt.Errorf("contract: %w", err)
		}
	})
	return schema, schemaErr
}

// Validate checks one encoded report against the contract and Candor's
// additions.
func Validate(report []byte) error {
	sch, err := Schema()
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(report))
	if err != nil {
		return fmt.Errorf("contract: the report is not JSON: %w", err)
	}
	return sch.Validate(inst)
}
