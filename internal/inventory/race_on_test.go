//go:build race

package inventory

// The race detector makes the SDK's decoding some twenty times slower, so
// under it the parity test checks a smaller region and fewer views; `make
// test` also runs it at full size without the detector.
const parityENIs, parityViews = 800, 60
