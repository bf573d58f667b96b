//go:build !race

package inventory

const parityENIs, parityViews = 3000, 220
