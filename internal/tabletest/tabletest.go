// Package tabletest is the tests' one loop over a table of cases for a
// function of one value: each input, and the output it should give.
package tabletest

import "testing"

// Check calls f, named name in the errors, on each input of cases and reports
// each output that is not the one the table gives for it.
func Check[In, Out comparable](t testing.TB, name string, f func(In) Out, cases map[In]Out) {
	t.Helper()
	CheckNoError(t, name, func(in In) (Out, error) { return f(in), nil }, cases)
}

// CheckNoError is Check for a function that can fail: each input must give
// its output, and no error.
func CheckNoError[In, Out comparable](t testing.TB, name string, f func(In) (Out, error), cases map[In]Out) {
	t.Helper()
	for in, want := range cases {
		got, err := f(in)
		switch {
		case err != nil:
			t.Errorf("%s(%#v): %v; want %#v", name, in, err, want)
		case got != want:
			t.Errorf("%s(%#v) = %#v, want %#v", name, in, got, want)
		}
	}
}
