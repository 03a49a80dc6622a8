//go:build ingestextra

package tagged

// Extra exists only with the ingestextra build tag.
func Extra() string { return "extra" }
