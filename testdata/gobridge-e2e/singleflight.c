// Drives the c-archive that `gobridge generate` builds for golang.org/x/sync/singleflight (a
// third-party module from the module proxy): its DoChan result channel and callback shims.
#include <stdio.h>
#include "libsingleflight.h"
#include "check.h"

int main(void) {
	uint64_t ch = 0, v = 0;
	CHECK("chan_new", mochi_sync_singleflight_result_chan_new(2, &ch), MOCHI_OK);
	CHECK("try_recv empty", mochi_sync_singleflight_result_chan_try_recv(ch, &v), MOCHI_EMPTY);
	CHECK("close", mochi_sync_singleflight_result_chan_close(ch), MOCHI_OK);
	CHECK("recv closed", mochi_sync_singleflight_result_chan_recv(ch, &v), MOCHI_CLOSED);
	CHECK("free after drain", mochi_sync_singleflight_result_chan_free(ch), MOCHI_UNKNOWN_HANDLE);
	CHECK("callback on zero id", mochi_sync_do_fn_cb_call(0, &v, &v, NULL), MOCHI_UNKNOWN_HANDLE);
	CHECK("live", mochi_sync_live(), 0);
	if (failures) {
		fprintf(stderr, "singleflight driver: %d failures\n", failures);
		return 1;
	}
	printf("singleflight driver: ok\n");
	return 0;
}
