package main

import (
	"context"
	"fmt"
	"io"
)

// cmdBench runs a benchmark that prints figures: `giaoban bench rollup …`
// or `giaoban bench funds …`.
func cmdBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const help = "Usage:\n  giaoban bench rollup --scale small|national [--db DB]\n  giaoban bench funds --receipts N [--db DB]\n"
	if len(args) == 0 {
		fmt.Fprint(stderr, help)
		return usageError{"bench: say rollup or funds"}
	}
	switch args[0] {
	case "rollup":
		return cmdBenchRollup(ctx, args[1:], stdout, stderr)
	case "funds":
		return cmdBenchFunds(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, help)
		return nil
	}
	fmt.Fprint(stderr, help)
	return usageError{fmt.Sprintf("bench: unknown benchmark %q", args[0])}
}
