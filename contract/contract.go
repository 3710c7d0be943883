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

// ReportDoc is REPORT.md.
//
//go:embed REPORT.md
var ReportDoc []byte

// schemaURL is where the compiler files the schema; its relative $id
// resolves against it.
const schemaURL = "https://candor.dev/contract/report.schema.json"

var (
	schemaOnce sync.Once
	schema     *jsonschema.Schema
	schemaErr  error
)

// Schema returns ReportSchema compiled (once), for the tests that validate
// reports against the contract.
func Schema() (*jsonschema.Schema, error) {
	schemaOnce.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(ReportSchema))
		if err == nil {
			c := jsonschema.NewCompiler()
			if err = c.AddResource(schemaURL, doc); err == nil {
				schema, err = c.Compile(schemaURL)
			}
		}
		if err != nil {
			schemaErr = fmt.Errorf("contract: report.schema.json: %w", err)
		}
	})
	return schema, schemaErr
}

// Validate checks one encoded report against the schema.
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
