package main

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"giaoban/internal/platform/db"
	"giaoban/internal/rollup"
)

func main() {
	ctx := context.Background()
	c, err := rollup.BenchScale(os.Args[1])
	if err != nil {
		panic(err)
	}
	d, err := db.Open(ctx, os.Args[2])
	if err != nil {
		panic(err)
	}
	if _, err := d.Migrate(ctx); err != nil {
		panic(err)
	}
	opt := rollup.DefaultBenchOptions
	if len(os.Args) > 3 {
		opt.GroupByRuns, _ = strconv.Atoi(os.Args[3])
	}
	if _, err := rollup.RunBench(ctx, d, c, opt, os.Stdout); err != nil {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
}
