package fund

// SetRefProbe changes how many entries of a reference fragment are sorted
// before the list is walked instead; it returns a func that restores it.
func SetRefProbe(n int) func() {
	old := refProbe
	refProbe = n
	return func() { refProbe = old }
}
