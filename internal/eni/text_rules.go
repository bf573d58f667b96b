package eni

import (
	"fmt"
	"strings"
)

// The rules for free text a person types for an ENI: its name, its
// description, tag keys and values. They are one line of text: a line
// break, a NUL or another control character would break every place that
// shows, logs or exports them (table cells, SSE frames, CSV rows). Every
// form that takes such text checks it with TextProblem; ScrubControls
// cleans text that arrives from elsewhere (the cloud, a browser's
// headers) before it is stored or exported.

// isControl reports the C0 control characters, tab excepted: what neither
// a form accepts nor a log or an export keeps.
func isControl(c rune) bool { return c < 0x20 && c != '\t' }

// TextProblem says why s is not one line of plain text, naming the first
// offending character and its place (counted in characters, from 1), or
// returns "". The message follows the field's name: "contains a NUL
// character (character 4)".
func TextProblem(s string) string {
	n := 0
	for _, c := range s {
		n++
		if !isControl(c) {
			continue
		}
		switch c {
		case '\n', '\r':
			return fmt.Sprintf("contains a line break (character %d); it must be one line", n)
		case 0:
			return fmt.Sprintf("contains a NUL character (character %d); remove it", n)
		}
		return fmt.Sprintf("contains the control character %U (character %d); remove it", c, n)
	}
	return ""
}

// ScrubControls replaces each control character of s (tab excepted) with
// its visible Unicode picture (NUL becomes ␀, a line feed ␊), so what was
// sent stays readable without being able to break a line, a cell or a
// terminal.
func ScrubControls(s string) string {
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	return strings.Map(func(c rune) rune {
		if isControl(c) {
			return 0x2400 + c
		}
		return c
	}, s)
}

// tagTextProblem applies TextProblem to a tag's key and value, worded to
// follow "tags" or "tag".
func tagTextProblem(t Tag) string {
	if msg := TextProblem(t.Key); msg != "" {
		return "has a key that " + msg
	}
	if msg := TextProblem(t.Value); msg != "" {
		return "has a value that " + msg
	}
	return ""
}
