package org

import (
	"flag"
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	flag.Parse()
	// An XLSX input takes milliseconds to open; minimizing a 7 KB workbook
	// the default way (up to a minute) would eat a short fuzz run whole.
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.fuzzminimizetime" })
	if f := flag.Lookup("test.fuzzminimizetime"); f != nil && !set {
		f.Value.Set("200x")
	}
	os.Exit(m.Run())
}
