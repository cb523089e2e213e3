package vn

import (
	"slices"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestCollate(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"D", "Đ", -1},
		{"Dung", "Đào", -1}, // every d word before every đ word
		{"Đào", "Dung", 1},
		{"A", "Ă", -1},
		{"Ă", "Â", -1},
		{"Âu", "Bình", -1},
		{"Anh", "Ăn", -1},
		{"Ô", "Ơ", -1},
		{"O", "Ô", -1},
		{"U", "Ư", -1},
		{"Ư", "V", -1},
		{"E", "Ê", -1},
		{"a", "a", 0},
		{"Hoà", norm.NFD.String("Hoà"), 0}, // canonical equivalents are equal
	}
	for _, tt := range tests {
		if got := Collate(tt.a, tt.b); got != tt.want {
			t.Errorf("Collate(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestSortStrings(t *testing.T) {
	names := []string{"Đinh", "Yến", "Ân", "Dương", "Ưng", "Bùi", "Ánh", "Ăn", "Uông", "An", "Ơn", "Ông", "Oanh"}
	want := []string{"An", "Ánh", "Ăn", "Ân", "Bùi", "Dương", "Đinh", "Oanh", "Ông", "Ơn", "Uông", "Ưng", "Yến"}
	SortStrings(names)
	if !slices.Equal(names, want) {
		t.Errorf("SortStrings = %q\nwant %q", names, want)
	}
}

func TestSortFunc(t *testing.T) {
	type person struct {
		name string
		id   int
	}
	people := []person{{"Đặng Văn B", 1}, {"Dương Thị C", 2}, {"Âu Văn D", 3}, {"An Văn E", 4}, {"Dương Thị C", 5}}
	SortFunc(people, func(p person) string { return p.name })
	var ids []int
	for _, p := range people {
		ids = append(ids, p.id)
	}
	if want := []int{4, 3, 2, 5, 1}; !slices.Equal(ids, want) {
		t.Errorf("SortFunc order = %v, want %v", ids, want)
	}
}

func TestCollateConcurrent(t *testing.T) {
	done := make(chan bool)
	for range 8 {
		go func() {
			for range 200 {
				if Collate("Dung", "Đào") != -1 {
					done <- false
					return
				}
			}
			done <- true
		}()
	}
	for range 8 {
		if !<-done {
			t.Fatal("concurrent Collate gave a wrong answer")
		}
	}
}
