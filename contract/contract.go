// Package contract holds the report contract that scripts and other tools
// rely on: REPORT.md (the stable fields and the CLI form) and
// report.schema.json (the JSON Schema every report validates against).
// They are copies of ../shared/contract, kept here so the tests that
// validate reports run on a fresh clone; TestMatchesShared checks the
// copies still match when ../shared is beside the checkout.
package contract

import _ "embed"

// ReportSchema is report.schema.json.
//
//go:embed report.schema.json
var ReportSchema []byte

// ReportDoc is REPORT.md.
//
//go:embed REPORT.md
var ReportDoc []byte
