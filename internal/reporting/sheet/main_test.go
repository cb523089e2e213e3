package sheet

import (
	"flag"
	"os"
	"testing"
)

// TestMain caps the fuzzer's minimization of new inputs at one second
// (unless -test.fuzzminimizetime is given): FuzzReadTemplate's inputs are
// whole workbooks of several kilobytes, whose minimization is quadratic in
// their size and would otherwise take the whole fuzzing time (60 s by
// default) every time new coverage is found.
func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.fuzzminimizetime" })
	if !given {
		if err := flag.Set("test.fuzzminimizetime", "1s"); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}
