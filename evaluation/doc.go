// Package evaluation measures how far an analysis engine agrees with a
// team's own interviewers, and whether it treats groups of candidates
// differently.
//
// A labelled set (LoadSet) is a folder in the shape of the project's
// development sets: answers.jsonl (or answers.csv, for sets kept in a
// spreadsheet) with one hand-labelled answer per line, and transcripts/ with
// each transcript beside its NAME.gold.json. The format is documented by the
// JSON Schemas in schema/ (see README.md there). Every label is optional,
// so the same set serves an evaluation (with labels) and an audit (with
// group fields and no labels at all).
//
// Evaluate runs one engine over a set and compares it with the labels:
// coverage quadratic-weighted kappa and accuracy, label accuracy and macro
// F1, the specific-vs-rehearsed AUC, the specificity Spearman correlation,
// question-alignment F1 for transcripts and evidence precision, each with a
// seeded (so repeatable) bootstrap 95% interval; confusion matrices,
// agreement per question and area, and a reliability table for the
// engine's confidence. Compare measures two engines against each other.
// The figures follow the definitions of the project's scorer
// (shared/eval/score.py) exactly, so the two can be checked against each
// other.
//
// Audit reports, per group and intersection of groups, the rate of
// specific labels, mean specificity and mean coverage with impact ratios and
// the four-fifths flag; Swap re-analyses every answer with names, pronouns
// and spellings swapped and reports what moved. The metric functions (QWK,
// MacroF1, AUC, Spearman, FisherExact, Bootstrap, ...) work on plain slices.
package evaluation
