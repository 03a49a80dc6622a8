// Negative control of the goroutine-bridge gate: calls an export that returns a Go string to C.
// Under the default cgocheck (and cgocheck2) the Go runtime aborts the process, so this program
// must NOT exit 0; if it does, the gate could not see a shim that leaks Go memory to C.

#include <stdio.h>

#include "libbridge.h"

int main(void) {
	GoString s = negative_go_string(1000);
	printf("returned a Go string of %ld bytes\n", (long)s.n);
	return 0;
}
