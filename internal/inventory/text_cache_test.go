package inventory

import (
	"fmt"
	"slices"
	"testing"
)

// A cached word's answer follows the texts that change after it: ENIs
// that gain the word are found, ENIs that lose it or leave are not, for
// words searched by trigram and by scan, and past the change log's bound.
func TestWordCacheFollowsTextChanges(t *testing.T) {
	var tx text
	const n = 200
	for i := range n {
		tx.set(int32(i), fmt.Sprintf("eni-%03d web", i))
	}
	want := func(w string) []int32 {
		var out []int32
		for i := range int32(n) {
			if tx.has(i, w) {
				out = append(out, i)
			}
		}
		return out
	}
	got := func(w string) []int32 {
		var out []int32
		tx.search(w, n).each(func(i int32) { out = append(out, i) })
		return out
	}
	words := []string{"web", "db", "eni-01"}
	check := func(step string) {
		t.Helper()
		for _, w := range words {
			if g, wn := got(w), want(w); !slices.Equal(g, wn) {
				t.Fatalf("%s: search(%q) = %v, want %v", step, w, g, wn)
			}
		}
	}
	check("first")
	tx.set(3, "eni-003 db")
	tx.set(150, "eni-150 db web")
	tx.clear(10)
	check("after changes")
	tx.set(10, "eni-010 web")
	check("after return")
	for i := range changeLogMax + 10 {
		tx.set(int32(i%n), fmt.Sprintf("eni-%03d %s", i%n, words[i%2]))
	}
	check("past the log")
}
