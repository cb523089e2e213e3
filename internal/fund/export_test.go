package fund

// SetDriverMax changes how many entries a driving search word may bring,
// so tests reach the ordered-walk plan at small scale; it returns a func
// that restores it.
func SetDriverMax(n int64) func() {
	old := driverMax
	driverMax = n
	return func() { driverMax = old }
}

// SetTermBatch changes how many word counts one statement adds, so tests
// write several statements at small scale; it returns a func that restores
// it.
func SetTermBatch(n int) func() {
	old := termBatch
	termBatch = n
	return func() { termBatch = old }
}
