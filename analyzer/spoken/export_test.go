package spoken

// BlankSlow is Blank without its prefilter, for tests.
func BlankSlow(s string) string { return blankAll(s) }
