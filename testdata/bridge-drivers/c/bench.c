// Benchmark driver of the goroutine bridge, run by `cargo xtask bench bridge` against a
// c-archive of the rendered runtime + shims (module `bench`). Prints one line per case:
// "<name> <min ns/op> <median ratio to two bare calls>".

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "libbridge.h"

static double now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

#define ROUNDS 11
#define CASES 5

static const char *names[CASES] = {"bare", "send_recv", "try_send_try_recv", "callback", "raw_chan"};

static uint64_t chan_id, cb_id;
static int64_t sink;

// Runs case i n times; returns ns per iteration, or a negative value when a shim failed.
static double run_case(int i, long n) {
	int64_t v = 0;
	double t0 = now_ns();
	switch (i) {
	case 0:
		for (long k = 0; k < n; k++) bench_noop();
		break;
	case 1:
		for (long k = 0; k < n; k++) {
			if (mochi_bench_i64_chan_send(chan_id, k) != MOCHI_OK) return -1;
			if (mochi_bench_i64_chan_recv(chan_id, &v) != MOCHI_OK) return -1;
			sink += v;
		}
		break;
	case 2:
		for (long k = 0; k < n; k++) {
			if (mochi_bench_i64_chan_try_send(chan_id, k) != MOCHI_OK) return -1;
			if (mochi_bench_i64_chan_try_recv(chan_id, &v) != MOCHI_OK) return -1;
			sink += v;
		}
		break;
	case 3:
		for (long k = 0; k < n; k++) {
			if (mochi_bench_adder_cb_call(cb_id, k, &v, NULL) != MOCHI_OK) return -1;
			sink += v;
		}
		break;
	case 4:
		for (long k = 0; k < n; k++) {
			bench_raw_send(k);
			sink += bench_raw_recv();
		}
		break;
	}
	return (now_ns() - t0) / (double)n;
}

static int cmp(const void *a, const void *b) {
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

// Each round measures every case right after a bare-call run, so the ratio of a case to two
// bare calls is taken from neighbouring measurements; the reported ratio is the median over the
// rounds, the reported ns/op the minimum.
int main(int argc, char **argv) {
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	double best[CASES], ratio[CASES][ROUNDS];
	cb_id = bench_make_adder(1);
	if (mochi_bench_i64_chan_new(1, &chan_id) != MOCHI_OK || cb_id == 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	for (int i = 0; i < CASES; i++) best[i] = 1e30;
	for (int round = 0; round < ROUNDS; round++) {
		for (int i = 0; i < CASES; i++) {
			double bare = run_case(0, n);
			double per = run_case(i, n);
			if (per < 0) return 2;
			if (bare < best[0]) best[0] = bare;
			if (per < best[i]) best[i] = per;
			ratio[i][round] = per / (2 * bare);
		}
	}
	for (int i = 0; i < CASES; i++) {
		qsort(ratio[i], ROUNDS, sizeof(double), cmp);
		printf("%s %.2f %.3f\n", names[i], best[i], ratio[i][ROUNDS / 2]);
	}
	mochi_bench_i64_chan_free(chan_id);
	mochi_bench_adder_cb_release(cb_id);
	if (mochi_bench_live() != 0) return 5;
	fprintf(stderr, "checksum %lld\n", (long long)sink);
	return 0;
}
