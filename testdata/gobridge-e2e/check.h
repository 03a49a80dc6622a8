// CHECK(what, got, want) for the gobridge end-to-end C drivers: prints a failure and counts it
// in `failures`, which each driver defines and reports at the end.
#include <stdio.h>

static int failures = 0;
#define CHECK(what, got, want)                                                      \
	do {                                                                            \
		long long g_ = (long long)(got), w_ = (long long)(want);                    \
		if (g_ != w_) {                                                             \
			fprintf(stderr, "FAIL %s: got %lld, want %lld\n", what, g_, w_);        \
			failures++;                                                             \
		}                                                                           \
	} while (0)
