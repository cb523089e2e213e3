package fund

// SetRefGatherMax changes how many candidate entries of a reference the
// in-memory index gathers before it walks the list instead; it returns a
// func that restores it.
func SetRefGatherMax(n int) func() {
	old, part := refGatherMax, refGatherPart
	refGatherMax, refGatherPart = n, 0
	return func() { refGatherMax, refGatherPart = old, part }
}
