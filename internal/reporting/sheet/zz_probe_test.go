package sheet

import (
	"archive/zip"
	"bytes"
	"math/rand/v2"
	"testing"
	"time"
)

func TestProbeSlow(t *testing.T) {
	small := testSpec(SheetPerUnit)
	small.Units = small.Units[:1]
	data := rezip(t, writeSpec(t, small), zip.Store, nil, nil)
	t.Logf("seed %d bytes", len(data))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 3000; i++ {
		d := append([]byte(nil), data...)
		for k := 0; k < 1+rng.IntN(4); k++ {
			d[rng.IntN(len(d))] = byte(rng.IntN(256))
		}
		start := time.Now()
		ReadTemplate(bytes.NewReader(d), int64(len(d)), Expect{AllUnits: true})
		if el := time.Since(start); el > 200*time.Millisecond {
			t.Logf("input %d took %v", i, el)
		}
	}
}
