package lexicon

// DecodeEmbedded decodes the embedded table afresh, bypassing the sync.Once,
// so that BenchmarkLoad can measure the cost of first use.
func DecodeEmbedded() error {
	_, err := decode(tableGz)
	return err
}
