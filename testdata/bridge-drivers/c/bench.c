// Benchmark driver of the goroutine bridge, run by `cargo xtask bench bridge` against a
// c-archive of the rendered runtime + shims (module `bench`). The cases are interleaved round by
// round (so drift on a shared machine hits them alike) and each prints "<name> <ns/op>", the
// minimum over the rounds.

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "libbridge.h"

static double now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

#define ROUNDS 9
#define CASES 5

static const char *names[CASES] = {"bare", "send_recv", "try_send_try_recv", "callback", "raw_chan"};

int main(int argc, char **argv) {
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	uint64_t c, cb = bench_make_adder(1);
	int64_t v = 0, sink = 0;
	double best[CASES];
	if (mochi_bench_i64_chan_new(1, &c) != MOCHI_OK || cb == 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	for (int i = 0; i < CASES; i++) best[i] = 1e30;
	for (int round = 0; round < ROUNDS; round++) {
		for (int i = 0; i < CASES; i++) {
			double t0 = now_ns();
			switch (i) {
			case 0:
				for (long k = 0; k < n; k++) bench_noop();
				break;
			case 1:
				for (long k = 0; k < n; k++) {
					if (mochi_bench_i64_chan_send(c, k) != MOCHI_OK) return 2;
					if (mochi_bench_i64_chan_recv(c, &v) != MOCHI_OK) return 2;
					sink += v;
				}
				break;
			case 2:
				for (long k = 0; k < n; k++) {
					if (mochi_bench_i64_chan_try_send(c, k) != MOCHI_OK) return 3;
					if (mochi_bench_i64_chan_try_recv(c, &v) != MOCHI_OK) return 3;
					sink += v;
				}
				break;
			case 3:
				for (long k = 0; k < n; k++) {
					if (mochi_bench_adder_cb_call(cb, k, &v) != MOCHI_OK) return 4;
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
			double per = (now_ns() - t0) / (double)n;
			if (per < best[i]) best[i] = per;
		}
	}
	for (int i = 0; i < CASES; i++) printf("%s %.2f\n", names[i], best[i]);
	mochi_bench_i64_chan_free(c);
	mochi_bench_adder_cb_release(cb);
	if (mochi_bench_live() != 0) return 5;
	fprintf(stderr, "checksum %lld\n", (long long)sink);
	return 0;
}
