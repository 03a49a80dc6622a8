// C driver of the goroutine-bridge gate: links the c-archive built from the rendered runtime and
// shims (module `fixture`) and calls every exported symbol. Prints PASS as its last line when
// every check held; exits non-zero otherwise. A crash of the process is a failure by itself.

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libbridge.h"

static int failures;
static int checks;

#define CHECK(cond)                                                               \
	do {                                                                          \
		checks++;                                                                 \
		if (!(cond)) {                                                            \
			fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);       \
			failures++;                                                           \
		}                                                                         \
	} while (0)

#define ST(call, want)                                                            \
	do {                                                                          \
		mochi_status st_ = (call);                                                \
		checks++;                                                                 \
		if (st_ != (want)) {                                                      \
			fprintf(stderr, "FAIL %s:%d: %s = %d, want %s (%d)\n", __FILE__,      \
			        __LINE__, #call, (int)st_, #want, (int)(want));               \
			failures++;                                                           \
		}                                                                         \
	} while (0)

// An ID that was never issued: slot 1 with a generation the table has not reached.
#define UNKNOWN_ID ((uint64_t)0x7fff0000u << 32 | 1u)

static void scalar_round_trips(void) {
	uint64_t c;
	int64_t i;
	double d;
	_Bool b;

	ST(mochi_fixture_i64_chan_new(-1, &c), MOCHI_OK); // default buffer 1
	ST(mochi_fixture_i64_chan_send(c, -9000000000LL), MOCHI_OK);
	ST(mochi_fixture_i64_chan_try_send(c, 2), MOCHI_FULL);
	ST(mochi_fixture_i64_chan_recv(c, &i), MOCHI_OK);
	CHECK(i == -9000000000LL);
	ST(mochi_fixture_i64_chan_try_recv(c, &i), MOCHI_EMPTY);
	ST(mochi_fixture_i64_chan_try_send(c, 77), MOCHI_OK);
	ST(mochi_fixture_i64_chan_try_recv(c, &i), MOCHI_OK);
	CHECK(i == 77);
	ST(mochi_fixture_i64_chan_recv(c, NULL), MOCHI_BAD_ARG);
	ST(mochi_fixture_i64_chan_new(-1, NULL), MOCHI_BAD_ARG);
	ST(mochi_fixture_i64_chan_free(c), MOCHI_OK);

	ST(mochi_fixture_f64_chan_new(-1, &c), MOCHI_OK); // rendered default buffer 4
	for (int k = 0; k < 4; k++) ST(mochi_fixture_f64_chan_try_send(c, 0.5 * k), MOCHI_OK);
	ST(mochi_fixture_f64_chan_try_send(c, 9.0), MOCHI_FULL);
	for (int k = 0; k < 4; k++) {
		ST(mochi_fixture_f64_chan_recv(c, &d), MOCHI_OK);
		CHECK(d == 0.5 * k);
	}
	ST(mochi_fixture_f64_chan_send(c, 3.25), MOCHI_OK);
	ST(mochi_fixture_f64_chan_try_recv(c, &d), MOCHI_OK);
	CHECK(d == 3.25);
	ST(mochi_fixture_f64_chan_try_recv(c, &d), MOCHI_EMPTY);
	ST(mochi_fixture_f64_chan_free(c), MOCHI_OK);

	ST(mochi_fixture_flag_chan_new(2, &c), MOCHI_OK); // explicit buffer
	ST(mochi_fixture_flag_chan_send(c, 1), MOCHI_OK);
	ST(mochi_fixture_flag_chan_try_send(c, 0), MOCHI_OK);
	ST(mochi_fixture_flag_chan_try_send(c, 1), MOCHI_FULL);
	ST(mochi_fixture_flag_chan_recv(c, &b), MOCHI_OK);
	CHECK(b == 1);
	ST(mochi_fixture_flag_chan_try_recv(c, &b), MOCHI_OK);
	CHECK(b == 0);
	ST(mochi_fixture_flag_chan_try_recv(c, &b), MOCHI_EMPTY);
	ST(mochi_fixture_flag_chan_new(1 << 21, &c), MOCHI_BAD_ARG); // over the buffer limit
	ST(mochi_fixture_flag_chan_close(c), MOCHI_OK);
	ST(mochi_fixture_flag_chan_recv(c, &b), MOCHI_CLOSED);
}

static void string_round_trips(void) {
	uint64_t c;
	char *p = NULL;
	size_t n = 0;
	static const char msg[] = "h\xc3\xa9llo\0world"; // embedded NUL, non-ASCII
	const size_t msg_len = sizeof msg - 1;

	ST(mochi_fixture_str_chan_new(3, &c), MOCHI_OK);
	ST(mochi_fixture_str_chan_send(c, (char *)msg, msg_len), MOCHI_OK);
	ST(mochi_fixture_str_chan_try_send(c, NULL, 0), MOCHI_OK); // empty string
	ST(mochi_fixture_str_chan_send(c, NULL, 5), MOCHI_BAD_ARG);
	ST(mochi_fixture_str_chan_recv(c, &p, &n), MOCHI_OK);
	CHECK(n == msg_len && p != NULL && memcmp(p, msg, msg_len) == 0 && p[n] == 0);
	mochi_fixture_free(p);
	ST(mochi_fixture_str_chan_try_recv(c, &p, &n), MOCHI_OK);
	CHECK(n == 0 && p != NULL && p[0] == 0);
	mochi_fixture_free(p);
	ST(mochi_fixture_str_chan_recv(c, &p, NULL), MOCHI_BAD_ARG);
	ST(mochi_fixture_str_chan_try_recv(c, &p, &n), MOCHI_EMPTY);
	ST(mochi_fixture_str_chan_free(c), MOCHI_OK);
}

static void thing_round_trips(void) {
	uint64_t c, got, t = fixture_thing_new(7);
	CHECK(t != 0 && fixture_thing_n(t) == 7);
	ST(mochi_fixture_thing_chan_new(-1, &c), MOCHI_OK);
	ST(mochi_fixture_thing_chan_send(c, t), MOCHI_OK);
	ST(mochi_fixture_thing_chan_recv(c, &got), MOCHI_OK);
	CHECK(got != 0 && got != t && fixture_thing_n(got) == 7); // same *Thing, new handle
	ST(mochi_fixture_release(got), MOCHI_OK);
	ST(mochi_fixture_release(got), MOCHI_UNKNOWN_HANDLE);
	// ID 0 is the zero value: a nil *Thing travels and comes back as a (nil) handle.
	ST(mochi_fixture_thing_chan_try_send(c, 0), MOCHI_OK);
	ST(mochi_fixture_thing_chan_try_recv(c, &got), MOCHI_OK);
	CHECK(got != 0 && fixture_thing_n(got) == -1);
	ST(mochi_fixture_release(got), MOCHI_OK);
	// A value ID of the wrong type, or unknown.
	uint64_t other;
	ST(mochi_fixture_i64_chan_new(1, &other), MOCHI_OK);
	ST(mochi_fixture_thing_chan_send(c, other), MOCHI_WRONG_KIND);
	ST(mochi_fixture_thing_chan_try_send(c, UNKNOWN_ID), MOCHI_UNKNOWN_HANDLE);
	ST(mochi_fixture_i64_chan_free(other), MOCHI_OK);
	ST(mochi_fixture_thing_chan_recv(c, NULL), MOCHI_BAD_ARG);
	ST(mochi_fixture_thing_chan_free(c), MOCHI_OK);
	ST(mochi_fixture_release(t), MOCHI_OK);
}

// Buffered values survive close; recv drains, then reports CLOSED and the ID is released.
static void close_drain(void) {
	int64_t live0 = mochi_fixture_live();
	uint64_t c, t1 = fixture_thing_new(1), t2 = fixture_thing_new(2), got;
	int64_t i;
	char *p;
	size_t n;

	ST(mochi_fixture_i64_chan_new(3, &c), MOCHI_OK);
	for (int k = 1; k <= 3; k++) ST(mochi_fixture_i64_chan_send(c, k), MOCHI_OK);
	ST(mochi_fixture_i64_chan_close(c), MOCHI_OK);
	ST(mochi_fixture_i64_chan_close(c), MOCHI_CLOSED); // double close
	ST(mochi_fixture_i64_chan_send(c, 4), MOCHI_CLOSED);
	ST(mochi_fixture_i64_chan_try_send(c, 4), MOCHI_CLOSED);
	for (int k = 1; k <= 3; k++) {
		ST(mochi_fixture_i64_chan_recv(c, &i), MOCHI_OK);
		CHECK(i == k);
	}
	ST(mochi_fixture_i64_chan_recv(c, &i), MOCHI_CLOSED);
	ST(mochi_fixture_i64_chan_recv(c, &i), MOCHI_UNKNOWN_HANDLE); // released once drained
	CHECK(mochi_fixture_live() == live0 + 2);

	ST(mochi_fixture_str_chan_new(2, &c), MOCHI_OK);
	ST(mochi_fixture_str_chan_send(c, "ab", 2), MOCHI_OK);
	ST(mochi_fixture_str_chan_close(c), MOCHI_OK);
	ST(mochi_fixture_str_chan_try_send(c, "x", 1), MOCHI_CLOSED);
	ST(mochi_fixture_str_chan_try_recv(c, &p, &n), MOCHI_OK);
	CHECK(n == 2 && memcmp(p, "ab", 2) == 0);
	mochi_fixture_free(p);
	ST(mochi_fixture_str_chan_try_recv(c, &p, &n), MOCHI_CLOSED);
	ST(mochi_fixture_str_chan_close(c), MOCHI_UNKNOWN_HANDLE);

	ST(mochi_fixture_thing_chan_new(2, &c), MOCHI_OK);
	ST(mochi_fixture_thing_chan_send(c, t1), MOCHI_OK);
	ST(mochi_fixture_thing_chan_send(c, t2), MOCHI_OK);
	ST(mochi_fixture_thing_chan_close(c), MOCHI_OK);
	ST(mochi_fixture_thing_chan_recv(c, &got), MOCHI_OK);
	CHECK(fixture_thing_n(got) == 1);
	ST(mochi_fixture_release(got), MOCHI_OK);
	ST(mochi_fixture_thing_chan_recv(c, &got), MOCHI_OK);
	CHECK(fixture_thing_n(got) == 2);
	ST(mochi_fixture_release(got), MOCHI_OK);
	ST(mochi_fixture_thing_chan_recv(c, &got), MOCHI_CLOSED);
	ST(mochi_fixture_thing_chan_free(c), MOCHI_UNKNOWN_HANDLE);

	// Close with nothing buffered, then an explicit free.
	ST(mochi_fixture_f64_chan_new(1, &c), MOCHI_OK);
	ST(mochi_fixture_f64_chan_close(c), MOCHI_OK);
	ST(mochi_fixture_f64_chan_free(c), MOCHI_OK);
	ST(mochi_fixture_f64_chan_free(c), MOCHI_UNKNOWN_HANDLE);
	// Free of an open channel with a value buffered.
	ST(mochi_fixture_flag_chan_new(1, &c), MOCHI_OK);
	ST(mochi_fixture_flag_chan_send(c, 1), MOCHI_OK);
	ST(mochi_fixture_flag_chan_free(c), MOCHI_OK);

	ST(mochi_fixture_release(t1), MOCHI_OK);
	ST(mochi_fixture_release(t2), MOCHI_OK);
	CHECK(mochi_fixture_live() == live0);
}

// Every shim × {zero, unknown, released, wrong-kind} ID.
static void bad_ids(void) {
	uint64_t released_chan[5], released_cb[5], wrong_chan, wrong_cb;
	ST(mochi_fixture_i64_chan_new(1, &released_chan[0]), MOCHI_OK);
	ST(mochi_fixture_f64_chan_new(1, &released_chan[1]), MOCHI_OK);
	ST(mochi_fixture_flag_chan_new(1, &released_chan[2]), MOCHI_OK);
	ST(mochi_fixture_str_chan_new(1, &released_chan[3]), MOCHI_OK);
	ST(mochi_fixture_thing_chan_new(1, &released_chan[4]), MOCHI_OK);
	ST(mochi_fixture_i64_chan_free(released_chan[0]), MOCHI_OK);
	ST(mochi_fixture_f64_chan_free(released_chan[1]), MOCHI_OK);
	ST(mochi_fixture_flag_chan_free(released_chan[2]), MOCHI_OK);
	ST(mochi_fixture_str_chan_free(released_chan[3]), MOCHI_OK);
	ST(mochi_fixture_thing_chan_free(released_chan[4]), MOCHI_OK);
	released_cb[0] = fixture_make_ticker();
	released_cb[1] = fixture_make_adder(1);
	released_cb[2] = fixture_make_describer();
	released_cb[3] = fixture_make_summer();
	released_cb[4] = fixture_make_doubler();
	ST(mochi_fixture_tick_cb_release(released_cb[0]), MOCHI_OK);
	ST(mochi_fixture_adder_cb_release(released_cb[1]), MOCHI_OK);
	ST(mochi_fixture_describe_cb_release(released_cb[2]), MOCHI_OK);
	ST(mochi_fixture_sum_cb_release(released_cb[3]), MOCHI_OK);
	ST(mochi_fixture_doubler_cb_release(released_cb[4]), MOCHI_OK);
	wrong_cb = fixture_make_adder(2); // a callback: wrong kind for every channel shim
	ST(mochi_fixture_i64_chan_new(1, &wrong_chan), MOCHI_OK); // wrong kind for the others

	int64_t i;
	double d;
	_Bool b;
	char *p;
	size_t n;
	uint64_t h;
	for (int k = 0; k < 4; k++) {
		// k: 0 zero, 1 unknown, 2 released, 3 wrong kind
		mochi_status want = k == 3 ? MOCHI_WRONG_KIND : MOCHI_UNKNOWN_HANDLE;
		uint64_t ids[5], cbs[5];
		for (int j = 0; j < 5; j++) {
			ids[j] = k == 0 ? 0 : k == 1 ? UNKNOWN_ID : k == 2 ? released_chan[j] : wrong_cb;
			cbs[j] = k == 0 ? 0 : k == 1 ? UNKNOWN_ID : k == 2 ? released_cb[j] : wrong_chan;
		}
		ST(mochi_fixture_i64_chan_send(ids[0], 1), want);
		ST(mochi_fixture_i64_chan_try_send(ids[0], 1), want);
		ST(mochi_fixture_i64_chan_recv(ids[0], &i), want);
		ST(mochi_fixture_i64_chan_try_recv(ids[0], &i), want);
		ST(mochi_fixture_i64_chan_close(ids[0]), want);
		ST(mochi_fixture_i64_chan_free(k == 3 ? released_chan[1] : ids[0]),
		   k == 3 ? MOCHI_UNKNOWN_HANDLE : want);
		ST(mochi_fixture_i64_chan_free(k == 3 ? wrong_cb : ids[0]), want);
		ST(mochi_fixture_f64_chan_send(k == 3 ? wrong_chan : ids[1], 1), want);
		ST(mochi_fixture_f64_chan_try_send(ids[1], 1), want);
		ST(mochi_fixture_f64_chan_recv(k == 3 ? wrong_chan : ids[1], &d), want);
		ST(mochi_fixture_f64_chan_try_recv(ids[1], &d), want);
		ST(mochi_fixture_f64_chan_close(k == 3 ? wrong_chan : ids[1]), want);
		ST(mochi_fixture_f64_chan_free(ids[1]), want);
		ST(mochi_fixture_flag_chan_send(ids[2], 1), want);
		ST(mochi_fixture_flag_chan_try_send(k == 3 ? wrong_chan : ids[2], 1), want);
		ST(mochi_fixture_flag_chan_recv(ids[2], &b), want);
		ST(mochi_fixture_flag_chan_try_recv(k == 3 ? wrong_chan : ids[2], &b), want);
		ST(mochi_fixture_flag_chan_close(ids[2]), want);
		ST(mochi_fixture_flag_chan_free(k == 3 ? wrong_chan : ids[2]), want);
		ST(mochi_fixture_str_chan_send(ids[3], "x", 1), want);
		ST(mochi_fixture_str_chan_try_send(k == 3 ? wrong_chan : ids[3], "x", 1), want);
		ST(mochi_fixture_str_chan_recv(ids[3], &p, &n), want);
		ST(mochi_fixture_str_chan_try_recv(k == 3 ? wrong_chan : ids[3], &p, &n), want);
		ST(mochi_fixture_str_chan_close(ids[3]), want);
		ST(mochi_fixture_str_chan_free(k == 3 ? wrong_chan : ids[3]), want);
		ST(mochi_fixture_thing_chan_send(ids[4], 0), want);
		ST(mochi_fixture_thing_chan_try_send(k == 3 ? wrong_chan : ids[4], 0), want);
		ST(mochi_fixture_thing_chan_recv(ids[4], &h), want);
		ST(mochi_fixture_thing_chan_try_recv(k == 3 ? wrong_chan : ids[4], &h), want);
		ST(mochi_fixture_thing_chan_close(ids[4]), want);
		ST(mochi_fixture_thing_chan_free(k == 3 ? wrong_chan : ids[4]), want);

		ST(mochi_fixture_tick_cb_call(cbs[0], NULL), want);
		ST(mochi_fixture_tick_cb_release(cbs[0]), want);
		ST(mochi_fixture_adder_cb_call(cbs[1], 1, &i, NULL), want);
		ST(mochi_fixture_adder_cb_release(cbs[1]), want);
		ST(mochi_fixture_describe_cb_call(cbs[2], "a", 1, 1.0, 1, &p, &n, &i, &h, NULL), want);
		ST(mochi_fixture_describe_cb_release(cbs[2]), want);
		ST(mochi_fixture_sum_cb_call(cbs[3], 1, 0, &i, NULL), want);
		ST(mochi_fixture_sum_cb_release(cbs[3]), want);
		ST(mochi_fixture_doubler_cb_call(cbs[4], 0, &h, NULL), want);
		ST(mochi_fixture_doubler_cb_release(cbs[4]), want);

		int32_t chosen = 99;
		mochi_select_case sc = {.id = k == 3 ? wrong_cb : ids[0], .op = MOCHI_SELECT_RECV, .value = &i};
		ST(mochi_fixture_select(&sc, 1, 1, &chosen), want);
		CHECK(chosen == 0);
		if (k != 3) ST(mochi_fixture_release(ids[0]), MOCHI_UNKNOWN_HANDLE);
	}
	ST(mochi_fixture_adder_cb_release(wrong_cb), MOCHI_OK);
	ST(mochi_fixture_i64_chan_free(wrong_chan), MOCHI_OK);
}

static void callbacks(void) {
	int64_t i;
	char *p;
	size_t n;
	uint64_t h;

	uint64_t tick = fixture_make_ticker();
	int64_t before = fixture_ticks();
	for (int k = 0; k < 3; k++) ST(mochi_fixture_tick_cb_call(tick, NULL), MOCHI_OK);
	CHECK(fixture_ticks() == before + 3);

	uint64_t adder = fixture_make_adder(5);
	ST(mochi_fixture_adder_cb_call(adder, 37, &i, NULL), MOCHI_OK);
	CHECK(i == 42);
	ST(mochi_fixture_adder_cb_call(adder, 1, NULL, NULL), MOCHI_BAD_ARG);
	ST(mochi_fixture_tick_cb_call(adder, NULL), MOCHI_WRONG_KIND); // another func type

	uint64_t describe = fixture_make_describer();
	ST(mochi_fixture_describe_cb_call(describe, "pi", 2, 3.5, 1, &p, &n, &i, &h, NULL), MOCHI_OK);
	CHECK(n == 6 && memcmp(p, "pi=3.5", 6) == 0 && i == 2 && h == 0); // nil error is ID 0
	mochi_fixture_free(p);
	ST(mochi_fixture_describe_cb_call(describe, "no", 2, 1.0, 0, &p, &n, &i, &h, NULL), MOCHI_OK);
	CHECK(n == 0 && i == 0 && h != 0 && fixture_is_error(h) == 1); // error as a handle
	mochi_fixture_free(p);
	ST(mochi_fixture_release(h), MOCHI_OK);
	ST(mochi_fixture_describe_cb_call(describe, "x", 1, 1.0, 1, &p, NULL, &i, &h, NULL), MOCHI_BAD_ARG);

	uint64_t sum = fixture_make_summer();
	uint64_t rest = fixture_ints3(2, 3, 4);
	ST(mochi_fixture_sum_cb_call(sum, 1, rest, &i, NULL), MOCHI_OK);
	CHECK(i == 10);
	ST(mochi_fixture_sum_cb_call(sum, 5, 0, &i, NULL), MOCHI_OK); // no variadic arguments
	CHECK(i == 5);
	ST(mochi_fixture_sum_cb_call(sum, 5, adder, &i, NULL), MOCHI_WRONG_KIND); // not a []int64
	ST(mochi_fixture_release(rest), MOCHI_OK);

	uint64_t doubler = fixture_make_doubler();
	uint64_t t = fixture_thing_new(21);
	ST(mochi_fixture_doubler_cb_call(doubler, t, &h, NULL), MOCHI_OK);
	CHECK(h != 0 && fixture_thing_n(h) == 42);
	ST(mochi_fixture_release(h), MOCHI_OK);
	ST(mochi_fixture_release(t), MOCHI_OK);

	// A panicking callback: recovered, reported, its message in the call's own slot.
	uint64_t panicker = fixture_make_panicker();
	mochi_bytes msg = {.data = (char *)"garbage", .len = 7};
	ST(mochi_fixture_adder_cb_call(panicker, 7, &i, &msg), MOCHI_PANIC);
	CHECK(msg.len == strlen("fixture panic 7") && msg.data != NULL &&
	      memcmp(msg.data, "fixture panic 7", msg.len) == 0 && msg.data[msg.len] == 0);
	mochi_fixture_free(msg.data);
	ST(mochi_fixture_adder_cb_call(panicker, 8, &i, NULL), MOCHI_PANIC); // no slot: no text
	msg = (mochi_bytes){.data = (char *)"garbage", .len = 7};
	ST(mochi_fixture_adder_cb_call(adder, 1, &i, &msg), MOCHI_OK); // the process goes on
	CHECK(i == 6 && msg.data == NULL && msg.len == 0);          // every other status: {NULL, 0}
	msg = (mochi_bytes){.data = (char *)"garbage", .len = 7};
	ST(mochi_fixture_adder_cb_call(adder, 1, NULL, &msg), MOCHI_BAD_ARG);
	CHECK(msg.data == NULL && msg.len == 0);
	msg = (mochi_bytes){.data = (char *)"garbage", .len = 7};
	ST(mochi_fixture_adder_cb_call(UNKNOWN_ID, 1, &i, &msg), MOCHI_UNKNOWN_HANDLE);
	CHECK(msg.data == NULL && msg.len == 0);

	ST(mochi_fixture_tick_cb_release(tick), MOCHI_OK);
	ST(mochi_fixture_adder_cb_release(adder), MOCHI_OK);
	ST(mochi_fixture_adder_cb_release(adder), MOCHI_UNKNOWN_HANDLE);
	ST(mochi_fixture_adder_cb_release(panicker), MOCHI_OK);
	ST(mochi_fixture_describe_cb_release(describe), MOCHI_OK);
	ST(mochi_fixture_sum_cb_release(sum), MOCHI_OK);
	ST(mochi_fixture_doubler_cb_release(doubler), MOCHI_OK);
}

struct delayed {
	uint64_t chan;
	int64_t value;
};

static void *delayed_send(void *arg) {
	struct delayed *d = arg;
	struct timespec ts = {0, 20 * 1000 * 1000};
	nanosleep(&ts, NULL);
	ST(mochi_fixture_i64_chan_send(d->chan, d->value), MOCHI_OK);
	return NULL;
}

static void selects(void) {
	uint64_t a, b, s, closed;
	int64_t va = 0, vb = 0;
	mochi_bytes bytes = {0};
	int32_t chosen = 99;
	ST(mochi_fixture_i64_chan_new(1, &a), MOCHI_OK);
	ST(mochi_fixture_i64_chan_new(1, &b), MOCHI_OK);
	ST(mochi_fixture_str_chan_new(1, &s), MOCHI_OK);

	mochi_select_case recv2[2] = {
		{.id = a, .op = MOCHI_SELECT_RECV, .value = &va},
		{.id = b, .op = MOCHI_SELECT_RECV, .value = &vb},
	};
	ST(mochi_fixture_select(recv2, 2, 1, &chosen), MOCHI_WOULD_BLOCK);
	CHECK(chosen == -1);
	ST(mochi_fixture_i64_chan_send(b, 5), MOCHI_OK);
	ST(mochi_fixture_select(recv2, 2, 0, &chosen), MOCHI_OK);
	CHECK(chosen == 1 && vb == 5);

	// A send case and a string receive case.
	int64_t nine = 9;
	mochi_select_case mixed[2] = {
		{.id = a, .op = MOCHI_SELECT_SEND, .value = &nine},
		{.id = s, .op = MOCHI_SELECT_RECV, .value = &bytes},
	};
	ST(mochi_fixture_select(mixed, 2, 0, &chosen), MOCHI_OK);
	CHECK(chosen == 0);
	ST(mochi_fixture_i64_chan_recv(a, &va), MOCHI_OK);
	CHECK(va == 9);
	ST(mochi_fixture_str_chan_send(s, "sel", 3), MOCHI_OK);
	mochi_select_case srecv = {.id = s, .op = MOCHI_SELECT_RECV, .value = &bytes};
	ST(mochi_fixture_select(&srecv, 1, 0, &chosen), MOCHI_OK);
	CHECK(chosen == 0 && bytes.len == 3 && memcmp(bytes.data, "sel", 3) == 0);
	mochi_fixture_free(bytes.data);
	mochi_bytes out = {.data = "out", .len = 3};
	mochi_select_case ssend = {.id = s, .op = MOCHI_SELECT_SEND, .value = &out};
	ST(mochi_fixture_select(&ssend, 1, 1, &chosen), MOCHI_OK);
	char *p;
	size_t n;
	ST(mochi_fixture_str_chan_recv(s, &p, &n), MOCHI_OK);
	CHECK(n == 3 && memcmp(p, "out", 3) == 0);
	mochi_fixture_free(p);

	// Handle-typed element in a select.
	uint64_t tc, t = fixture_thing_new(3), got = 0;
	ST(mochi_fixture_thing_chan_new(1, &tc), MOCHI_OK);
	mochi_select_case tsend = {.id = tc, .op = MOCHI_SELECT_SEND, .value = &t};
	ST(mochi_fixture_select(&tsend, 1, 0, &chosen), MOCHI_OK);
	mochi_select_case trecv = {.id = tc, .op = MOCHI_SELECT_RECV, .value = &got};
	ST(mochi_fixture_select(&trecv, 1, 0, &chosen), MOCHI_OK);
	CHECK(got != 0 && fixture_thing_n(got) == 3);
	ST(mochi_fixture_release(got), MOCHI_OK);
	ST(mochi_fixture_release(t), MOCHI_OK);
	ST(mochi_fixture_thing_chan_free(tc), MOCHI_OK);

	// Blocking select woken by another host thread.
	pthread_t th;
	struct delayed d = {a, 77};
	pthread_create(&th, NULL, delayed_send, &d);
	ST(mochi_fixture_select(recv2, 2, 0, &chosen), MOCHI_OK);
	CHECK(chosen == 0 && va == 77);
	pthread_join(th, NULL);

	// Closed channels: a drained receive reports CLOSED (and releases), a send reports CLOSED.
	ST(mochi_fixture_i64_chan_new(1, &closed), MOCHI_OK);
	ST(mochi_fixture_i64_chan_close(closed), MOCHI_OK);
	mochi_select_case csend[2] = {
		{.id = a, .op = MOCHI_SELECT_RECV, .value = &va},
		{.id = closed, .op = MOCHI_SELECT_SEND, .value = &nine},
	};
	ST(mochi_fixture_select(csend, 2, 1, &chosen), MOCHI_CLOSED);
	CHECK(chosen == 1);
	mochi_select_case crecv = {.id = closed, .op = MOCHI_SELECT_RECV, .value = &va};
	ST(mochi_fixture_select(&crecv, 1, 0, &chosen), MOCHI_CLOSED);
	CHECK(chosen == 0);
	ST(mochi_fixture_i64_chan_free(closed), MOCHI_UNKNOWN_HANDLE);

	// Malformed requests.
	mochi_select_case badop = {.id = a, .op = 7, .value = &va};
	ST(mochi_fixture_select(&badop, 1, 1, &chosen), MOCHI_BAD_ARG);
	CHECK(chosen == 0);
	mochi_select_case nullval = {.id = a, .op = MOCHI_SELECT_RECV, .value = NULL};
	ST(mochi_fixture_select(&nullval, 1, 1, &chosen), MOCHI_BAD_ARG);
	ST(mochi_fixture_select(NULL, 0, 0, &chosen), MOCHI_BAD_ARG); // would block forever
	ST(mochi_fixture_select(NULL, 0, 1, &chosen), MOCHI_WOULD_BLOCK);
	ST(mochi_fixture_select(recv2, 2, 1, NULL), MOCHI_BAD_ARG);
	ST(mochi_fixture_select(recv2, -1, 1, &chosen), MOCHI_BAD_ARG);

	ST(mochi_fixture_i64_chan_free(a), MOCHI_OK);
	ST(mochi_fixture_i64_chan_free(b), MOCHI_OK);
	ST(mochi_fixture_str_chan_free(s), MOCHI_OK);
}

// Per-call messages: two threads call a panicking callback at the same time with different
// arguments; each gets the text of its own panic in its own slot.
#define PANIC_ITERS 2000
static uint64_t conc_panicker;

static void *panic_caller(void *arg) {
	int64_t base = (int64_t)(intptr_t)arg * 1000000, r;
	char want[64];
	for (int64_t k = 0; k < PANIC_ITERS; k++) {
		mochi_bytes msg = {0};
		mochi_status st = mochi_fixture_adder_cb_call(conc_panicker, base + k, &r, &msg);
		int len = snprintf(want, sizeof want, "fixture panic %lld", (long long)(base + k));
		if (st != MOCHI_PANIC || msg.data == NULL || msg.len != (size_t)len ||
		    memcmp(msg.data, want, (size_t)len) != 0) {
			fprintf(stderr, "FAIL: concurrent panic %d: got %.*s, want %s\n", (int)st,
			        (int)msg.len, msg.data ? msg.data : "", want);
			__atomic_add_fetch(&failures, 1, __ATOMIC_SEQ_CST);
		}
		mochi_fixture_free(msg.data);
	}
	return NULL;
}

static void concurrent_panics(void) {
	pthread_t th[2];
	conc_panicker = fixture_make_panicker();
	for (intptr_t k = 0; k < 2; k++) pthread_create(&th[k], NULL, panic_caller, (void *)(k + 1));
	for (int k = 0; k < 2; k++) pthread_join(th[k], NULL);
	ST(mochi_fixture_adder_cb_release(conc_panicker), MOCHI_OK);
}

// Issue 17: a free racing a spinning try_recv. The receiver that finds the channel closed and
// drained releases the ID too; free must still report MOCHI_OK exactly once for an ID that was
// live when it was called.
#define FREE_RACE_ITERS 2000

static uint64_t race_chan;
static int race_stop, race_kind;

static void *spin_try_recv(void *arg) {
	(void)arg;
	int64_t i;
	uint64_t h;
	while (!__atomic_load_n(&race_stop, __ATOMIC_ACQUIRE)) {
		uint64_t id = __atomic_load_n(&race_chan, __ATOMIC_ACQUIRE);
		if (id == 0) continue;
		mochi_status st = race_kind == 0 ? mochi_fixture_i64_chan_try_recv(id, &i)
		                                 : mochi_fixture_thing_chan_try_recv(id, &h);
		if (st != MOCHI_EMPTY && st != MOCHI_CLOSED && st != MOCHI_UNKNOWN_HANDLE) {
			fprintf(stderr, "FAIL: spinning try_recv status %d\n", st);
			__atomic_add_fetch(&failures, 1, __ATOMIC_SEQ_CST);
		}
	}
	return NULL;
}

static void free_races_receiver(void) {
	int64_t live0 = mochi_fixture_live();
	for (race_kind = 0; race_kind < 2; race_kind++) {
		int bad = 0;
		pthread_t th;
		__atomic_store_n(&race_stop, 0, __ATOMIC_RELEASE);
		__atomic_store_n(&race_chan, 0, __ATOMIC_RELEASE);
		pthread_create(&th, NULL, spin_try_recv, NULL);
		for (int k = 0; k < FREE_RACE_ITERS; k++) {
			uint64_t c;
			mochi_status st = race_kind == 0 ? mochi_fixture_i64_chan_new(1, &c)
			                                 : mochi_fixture_thing_chan_new(1, &c);
			CHECK(st == MOCHI_OK);
			__atomic_store_n(&race_chan, c, __ATOMIC_RELEASE);
			st = race_kind == 0 ? mochi_fixture_i64_chan_free(c) : mochi_fixture_thing_chan_free(c);
			if (st != MOCHI_OK) bad++;
			st = race_kind == 0 ? mochi_fixture_i64_chan_free(c) : mochi_fixture_thing_chan_free(c);
			if (st != MOCHI_UNKNOWN_HANDLE) bad++; // exactly once
		}
		__atomic_store_n(&race_stop, 1, __ATOMIC_RELEASE);
		pthread_join(th, NULL);
		if (bad) fprintf(stderr, "FAIL: %d of %d racing frees (kind %d) not OK exactly once\n", bad, FREE_RACE_ITERS, race_kind);
		CHECK(bad == 0);
	}
	CHECK(mochi_fixture_live() == live0);
}

// Two threads free (one with chan_free, one with release) the same live channel at once:
// exactly one of them reports MOCHI_OK.
#define DOUBLE_FREE_ITERS 2000
static uint64_t df_chan;
static mochi_status df_st[2];
static pthread_barrier_t df_start, df_end;

static void *double_freer(void *arg) {
	intptr_t me = (intptr_t)arg;
	for (int k = 0; k < DOUBLE_FREE_ITERS; k++) {
		pthread_barrier_wait(&df_start);
		df_st[me] = me == 0 ? mochi_fixture_i64_chan_free(df_chan) : mochi_fixture_release(df_chan);
		pthread_barrier_wait(&df_end);
	}
	return NULL;
}

static void concurrent_frees(void) {
	int64_t live0 = mochi_fixture_live();
	int bad = 0;
	pthread_t th[2];
	pthread_barrier_init(&df_start, NULL, 3);
	pthread_barrier_init(&df_end, NULL, 3);
	for (intptr_t k = 0; k < 2; k++) pthread_create(&th[k], NULL, double_freer, (void *)k);
	for (int k = 0; k < DOUBLE_FREE_ITERS; k++) {
		CHECK(mochi_fixture_i64_chan_new(1, &df_chan) == MOCHI_OK);
		pthread_barrier_wait(&df_start);
		pthread_barrier_wait(&df_end);
		int ok = (df_st[0] == MOCHI_OK) + (df_st[1] == MOCHI_OK);
		int unknown = (df_st[0] == MOCHI_UNKNOWN_HANDLE) + (df_st[1] == MOCHI_UNKNOWN_HANDLE);
		if (ok != 1 || unknown != 1) bad++;
	}
	for (int k = 0; k < 2; k++) pthread_join(th[k], NULL);
	pthread_barrier_destroy(&df_start);
	pthread_barrier_destroy(&df_end);
	if (bad) fprintf(stderr, "FAIL: %d of %d concurrent double frees not OK exactly once\n", bad, DOUBLE_FREE_ITERS);
	CHECK(bad == 0);
	CHECK(mochi_fixture_live() == live0);
}

// Issue 17: release on a channel ID behaves as chan_free: it closes the channel, so a receiver
// parked in recv wakes with MOCHI_CLOSED instead of hanging.
static int parked_done;
static mochi_status parked_st;

static void *parked_recv(void *arg) {
	int64_t v;
	parked_st = mochi_fixture_i64_chan_recv(*(uint64_t *)arg, &v);
	__atomic_store_n(&parked_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void release_wakes_parked_receiver(void) {
	int64_t live0 = mochi_fixture_live();
	uint64_t c;
	pthread_t th;
	ST(mochi_fixture_i64_chan_new(0, &c), MOCHI_OK);
	pthread_create(&th, NULL, parked_recv, &c);
	struct timespec ts = {0, 50 * 1000 * 1000};
	nanosleep(&ts, NULL);
	ST(mochi_fixture_release(c), MOCHI_OK);
	for (int k = 0; k < 500 && !__atomic_load_n(&parked_done, __ATOMIC_ACQUIRE); k++) {
		struct timespec tick = {0, 10 * 1000 * 1000};
		nanosleep(&tick, NULL);
	}
	if (!__atomic_load_n(&parked_done, __ATOMIC_ACQUIRE)) {
		printf("FAILED: a receiver parked in recv still hangs 5 s after release of its channel\n");
		exit(1);
	}
	pthread_join(th, NULL);
	CHECK(parked_st == MOCHI_CLOSED);
	ST(mochi_fixture_release(c), MOCHI_UNKNOWN_HANDLE);
	ST(mochi_fixture_i64_chan_free(c), MOCHI_UNKNOWN_HANDLE);
	// Released with a value buffered: dropped like chan_free.
	ST(mochi_fixture_str_chan_new(1, &c), MOCHI_OK);
	ST(mochi_fixture_str_chan_send(c, "x", 1), MOCHI_OK);
	ST(mochi_fixture_release(c), MOCHI_OK);
	ST(mochi_fixture_str_chan_free(c), MOCHI_UNKNOWN_HANDLE);
	CHECK(mochi_fixture_live() == live0);
}

// Issue 17: one limit for both select forms: 65,535 cases (reflect.Select takes 65,536 and the
// non-blocking form adds a default case). More is MOCHI_BAD_ARG, never MOCHI_PANIC.
static void select_case_limit(void) {
	enum { LIMIT = 65535 };
	uint64_t a;
	int64_t va = 0;
	int32_t chosen = 99;
	mochi_select_case *cs = calloc(LIMIT + 2, sizeof *cs);
	CHECK(cs != NULL);
	if (cs == NULL) return;
	ST(mochi_fixture_i64_chan_new(1, &a), MOCHI_OK);
	for (int k = 0; k < LIMIT + 2; k++) {
		cs[k].id = a;
		cs[k].op = MOCHI_SELECT_RECV;
		cs[k].value = &va;
	}
	ST(mochi_fixture_select(cs, LIMIT, 1, &chosen), MOCHI_WOULD_BLOCK);
	ST(mochi_fixture_select(cs, LIMIT + 1, 1, &chosen), MOCHI_BAD_ARG);
	ST(mochi_fixture_select(cs, LIMIT + 2, 1, &chosen), MOCHI_BAD_ARG);
	// A value stays buffered while the blocking form is refused, so a regression cannot hang.
	ST(mochi_fixture_i64_chan_send(a, 3), MOCHI_OK);
	ST(mochi_fixture_select(cs, LIMIT + 1, 0, &chosen), MOCHI_BAD_ARG);
	ST(mochi_fixture_select(cs, LIMIT + 2, 0, &chosen), MOCHI_BAD_ARG);
	ST(mochi_fixture_i64_chan_try_recv(a, &va), MOCHI_OK);
	CHECK(va == 3);
	ST(mochi_fixture_i64_chan_send(a, 3), MOCHI_OK);
	ST(mochi_fixture_select(cs, LIMIT, 0, &chosen), MOCHI_OK);
	CHECK(chosen >= 0 && chosen < LIMIT && va == 3);
	ST(mochi_fixture_i64_chan_send(a, 4), MOCHI_OK);
	ST(mochi_fixture_select(cs, LIMIT, 1, &chosen), MOCHI_OK);
	CHECK(chosen >= 0 && chosen < LIMIT && va == 4);
	ST(mochi_fixture_i64_chan_free(a), MOCHI_OK);
	free(cs);
}

// Settled behaviours: an unbuffered channel from chan_new(0); arguments are checked before the
// ID in every shim (BAD_ARG wins over UNKNOWN_HANDLE / WRONG_KIND).
static void settled_behaviours(void) {
	uint64_t c, h;
	int64_t i;
	char *p;
	size_t n;
	int32_t chosen = 99;
	ST(mochi_fixture_i64_chan_new(0, &c), MOCHI_OK);
	ST(mochi_fixture_i64_chan_try_send(c, 1), MOCHI_FULL); // no receiver waiting
	ST(mochi_fixture_i64_chan_try_recv(c, &i), MOCHI_EMPTY);
	ST(mochi_fixture_i64_chan_free(c), MOCHI_OK);

	ST(mochi_fixture_adder_cb_call(UNKNOWN_ID, 1, NULL, NULL), MOCHI_BAD_ARG);
	ST(mochi_fixture_describe_cb_call(UNKNOWN_ID, NULL, 5, 1.0, 1, &p, &n, &i, &h, NULL), MOCHI_BAD_ARG);
	ST(mochi_fixture_describe_cb_call(0, NULL, 5, 1.0, 1, &p, &n, &i, &h, NULL), MOCHI_BAD_ARG);
	ST(mochi_fixture_str_chan_send(UNKNOWN_ID, NULL, 5), MOCHI_BAD_ARG);
	ST(mochi_fixture_str_chan_try_send(0, NULL, 5), MOCHI_BAD_ARG);
	ST(mochi_fixture_str_chan_recv(UNKNOWN_ID, &p, NULL), MOCHI_BAD_ARG);
	ST(mochi_fixture_i64_chan_new(1, &c), MOCHI_OK);
	uint64_t wrong = fixture_make_adder(1);
	ST(mochi_fixture_str_chan_send(c, NULL, 5), MOCHI_BAD_ARG); // wrong kind, bad data
	// Every case's op and value pointer are checked before any case's ID.
	mochi_select_case two[2] = {
		{.id = UNKNOWN_ID, .op = MOCHI_SELECT_RECV, .value = &i},
		{.id = c, .op = MOCHI_SELECT_RECV, .value = NULL},
	};
	ST(mochi_fixture_select(two, 2, 1, &chosen), MOCHI_BAD_ARG);
	CHECK(chosen == 1);
	two[1].value = &i;
	two[1].op = 9;
	two[0].id = wrong;
	ST(mochi_fixture_select(two, 2, 1, &chosen), MOCHI_BAD_ARG);
	CHECK(chosen == 1);
	ST(mochi_fixture_adder_cb_release(wrong), MOCHI_OK);
	ST(mochi_fixture_i64_chan_free(c), MOCHI_OK);
}

#define SENDERS 4
#define RECEIVERS 4
#define PER_SENDER 5000

static uint64_t conc_chan, conc_adder;
static pthread_mutex_t sum_mu = PTHREAD_MUTEX_INITIALIZER;
static int64_t recv_sum, recv_count;

static void *sender(void *arg) {
	int64_t base = (int64_t)(intptr_t)arg * PER_SENDER;
	for (int64_t k = 1; k <= PER_SENDER; k++) {
		if (mochi_fixture_i64_chan_send(conc_chan, base + k) != MOCHI_OK) {
			fprintf(stderr, "FAIL: concurrent send\n");
			__atomic_add_fetch(&failures, 1, __ATOMIC_SEQ_CST);
		}
	}
	return NULL;
}

static void *receiver(void *arg) {
	(void)arg;
	int64_t sum = 0, count = 0, v, r;
	for (;;) {
		mochi_status st = mochi_fixture_i64_chan_recv(conc_chan, &v);
		if (st == MOCHI_CLOSED || st == MOCHI_UNKNOWN_HANDLE) break;
		if (st != MOCHI_OK) {
			fprintf(stderr, "FAIL: concurrent recv status %d\n", st);
			__atomic_add_fetch(&failures, 1, __ATOMIC_SEQ_CST);
			break;
		}
		if (mochi_fixture_adder_cb_call(conc_adder, v, &r, NULL) != MOCHI_OK || r != v + 1) {
			fprintf(stderr, "FAIL: concurrent callback\n");
			__atomic_add_fetch(&failures, 1, __ATOMIC_SEQ_CST);
		}
		sum += v;
		count++;
	}
	pthread_mutex_lock(&sum_mu);
	recv_sum += sum;
	recv_count += count;
	pthread_mutex_unlock(&sum_mu);
	return NULL;
}

static void concurrency(void) {
	pthread_t s[SENDERS], r[RECEIVERS];
	ST(mochi_fixture_i64_chan_new(16, &conc_chan), MOCHI_OK);
	conc_adder = fixture_make_adder(1);
	for (intptr_t k = 0; k < RECEIVERS; k++) pthread_create(&r[k], NULL, receiver, NULL);
	for (intptr_t k = 0; k < SENDERS; k++) pthread_create(&s[k], NULL, sender, (void *)k);
	for (int k = 0; k < SENDERS; k++) pthread_join(s[k], NULL);
	ST(mochi_fixture_i64_chan_close(conc_chan), MOCHI_OK);
	for (int k = 0; k < RECEIVERS; k++) pthread_join(r[k], NULL);
	int64_t total = (int64_t)SENDERS * PER_SENDER;
	CHECK(recv_count == total);
	CHECK(recv_sum == total * (total + 1) / 2);
	ST(mochi_fixture_adder_cb_release(conc_adder), MOCHI_OK);
}

static void exhaustion(void) {
	int64_t live0 = mochi_fixture_live();
	static uint64_t ids[8192];
	int count = 0;
	mochi_status st = MOCHI_OK;
	while (count < 8192 && (st = mochi_fixture_i64_chan_new(1, &ids[count])) == MOCHI_OK) count++;
	CHECK(st == MOCHI_EXHAUSTED);
	CHECK(mochi_fixture_live() == 4096); // the rendered default cap
	CHECK(fixture_thing_new(1) == 0);     // 0 means not acquired
	for (int k = 0; k < count; k++) ST(mochi_fixture_i64_chan_free(ids[k]), MOCHI_OK);
	CHECK(mochi_fixture_live() == live0);
	for (int k = 0; k < count; k++) ST(mochi_fixture_i64_chan_free(ids[k]), MOCHI_UNKNOWN_HANDLE);
}

int main(void) {
	fixture_noop();
	CHECK(mochi_fixture_live() == 0);
	scalar_round_trips();
	string_round_trips();
	thing_round_trips();
	close_drain();
	bad_ids();
	callbacks();
	selects();
	concurrency();
	concurrent_panics();
	free_races_receiver();
	concurrent_frees();
	release_wakes_parked_receiver();
	select_case_limit();
	settled_behaviours();
	exhaustion();
	int64_t live = mochi_fixture_live();
	CHECK(live == 0);
	ST(mochi_fixture_release(0), MOCHI_UNKNOWN_HANDLE);
	if (failures) {
		printf("FAILED: %d of %d checks (live handles %lld)\n", failures, checks, (long long)live);
		return 1;
	}
	printf("PASS: %d checks, live handles %lld\n", checks, (long long)live);
	return 0;
}
