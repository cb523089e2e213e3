package fund

// SetMergeMax changes how many word lists a typed word may merge before
// the index tests word ids instead, so tests reach that path at small
// scale; it returns a func that restores it.
func SetMergeMax(n int) func() {
	old := mergeMax
	mergeMax = n
	return func() { mergeMax = old }
}

// SetIndexSyncMax changes how many missing entries a search reads itself
// before the index is read in the background; it returns a func that
// restores it.
func SetIndexSyncMax(n int64) func() {
	old := indexSyncMax
	indexSyncMax = n
	return func() { indexSyncMax = old }
}
