// Drives the c-archive that `gobridge generate` builds from testdata/example: the int64 channel
// shims (with the buffer of 4 set in gobridge.toml), close-then-drain, the bad-ID statuses, a
// func handle from a bound function called through its callback shim, and a per-call panic text.
#include <stdio.h>
#include <string.h>
#include "libexample.h"
#include "check.h"

int main(void) {
	uint64_t ch = 0;
	CHECK("chan_new", mochi_example_int64_chan_new(-1, &ch), MOCHI_OK);
	CHECK("id is not 0", ch != 0, 1);
	// The configured buffer is 4: four non-blocking sends fit, the fifth reports FULL.
	for (int64_t i = 1; i <= 4; i++) {
		CHECK("try_send", mochi_example_int64_chan_try_send(ch, i * 10), MOCHI_OK);
	}
	CHECK("try_send when full", mochi_example_int64_chan_try_send(ch, 50), MOCHI_FULL);
	int64_t v = 0;
	CHECK("recv", mochi_example_int64_chan_recv(ch, &v), MOCHI_OK);
	CHECK("recv value", v, 10);
	CHECK("close", mochi_example_int64_chan_close(ch), MOCHI_OK);
	CHECK("send after close", mochi_example_int64_chan_send(ch, 1), MOCHI_CLOSED);
	for (int64_t want = 20; want <= 40; want += 10) {
		CHECK("drain", mochi_example_int64_chan_recv(ch, &v), MOCHI_OK);
		CHECK("drain value", v, want);
	}
	CHECK("recv when drained", mochi_example_int64_chan_recv(ch, &v), MOCHI_CLOSED);
	// Closed and drained: the runtime already freed the handle.
	CHECK("live after drain", mochi_example_live(), 0);
	CHECK("free after drain", mochi_example_int64_chan_free(ch), MOCHI_UNKNOWN_HANDLE);
	// Zero, unknown and released IDs never crash.
	CHECK("zero id", mochi_example_int64_chan_send(0, 1), MOCHI_UNKNOWN_HANDLE);
	CHECK("unknown id", mochi_example_int64_chan_recv(0xdeadbeef, &v), MOCHI_UNKNOWN_HANDLE);
	CHECK("released id", mochi_example_int64_chan_recv(ch, &v), MOCHI_UNKNOWN_HANDLE);
	_Bool keep = 0;
	CHECK("callback on zero id", mochi_example_countif_keep_cb_call(0, 1, &keep, NULL), MOCHI_UNKNOWN_HANDLE);
	// Wrong kind: an int64 channel used through the *Event channel shim.
	CHECK("chan_new 2", mochi_example_int64_chan_new(1, &ch), MOCHI_OK);
	uint64_t ev = 0;
	CHECK("wrong kind", mochi_example_ptr_example_event_chan_recv(ch, &ev), MOCHI_WRONG_KIND);
	CHECK("free 2", mochi_example_int64_chan_free(ch), MOCHI_OK);
	// The positive path of a callback shim: a bound Go function hands out a func handle
	// (Adder(5) is func(x) x+5), the callback shim calls it, release frees it.
	uint64_t add5 = 0;
	mochi_bytes msg = {0, 0};
	CHECK("Adder", mochi_example_example_Adder(5, &add5, &msg), MOCHI_OK);
	CHECK("Adder gives a func handle", add5 != 0, 1);
	CHECK("Adder leaves no message", msg.data == NULL && msg.len == 0, 1);
	int64_t sum = 0;
	CHECK("cb_call", mochi_example_adder_cb_call(add5, 37, &sum, &msg), MOCHI_OK);
	CHECK("cb_call result", sum, 42);
	CHECK("cb_call no message", msg.data == NULL, 1);
	CHECK("cb_call again", mochi_example_adder_cb_call(add5, -5, &sum, NULL), MOCHI_OK);
	CHECK("cb_call result again", sum, 0);
	CHECK("cb_call wrong kind", mochi_example_countif_keep_cb_call(add5, 1, &keep, NULL), MOCHI_WRONG_KIND);
	CHECK("cb_release", mochi_example_adder_cb_release(add5), MOCHI_OK);
	CHECK("cb_call after release", mochi_example_adder_cb_call(add5, 1, &sum, NULL), MOCHI_UNKNOWN_HANDLE);
	// A Go error from a bound function comes back in this call's message slot: a nil *Counter
	// receiver panics inside Go, reported as MOCHI_PANIC with the runtime's text.
	int64_t total = 0;
	CHECK("method on nil handle", mochi_example_example_Counter_Add(0, 1, &total, &msg), MOCHI_PANIC);
	CHECK("panic message", msg.data != NULL && strstr(msg.data, "nil pointer") != NULL, 1);
	mochi_example_free(msg.data);
	CHECK("live at end", mochi_example_live(), 0);
	if (failures) {
		fprintf(stderr, "example driver: %d failures\n", failures);
		return 1;
	}
	printf("example driver: ok\n");
	return 0;
}
