#!/bin/sh
# Builds TinyGo 0.40.1 on this Debian bookworm machine and writes $OUT/bin/tinygo-env, a wrapper
# for `GOBRIDGE_TINYGO=$OUT/bin/tinygo-env cargo xtask sentinel --only linkname`.
# What each step is for, and what still does not work, is in docs/tinygo.md.
#
# Usage (as root): sh testdata/linkname-fixture/tinygo/install.sh [OUT]   (default target/tinygo)
# Needs: apt (Debian packages, including deb-src), the Go module proxy, `go` on PATH. ~3 minutes
# on 2 cores when nothing is cached; .ci/run runs it (best effort) before the tests.
set -eu

TINYGO_VERSION=v0.40.1  # the newest release on LLVM 19 (Debian bookworm has no LLVM 20)
GO_FOR_TINYGO=go1.25.5  # TinyGo 0.40 refuses Go 1.26; the go command fetches this toolchain
OUT=$(realpath -m "${1:-target/tinygo}")
mkdir -p "$OUT/bin" "$OUT/build" "$OUT/src"

# 1. LLVM 19 (libLLVM, libclang, liblld for TinyGo's cgo build), wasm-opt (TinyGo's wasm
#    targets), Debian's prebuilt wasi-libc and picolibc (Armv7-M), which the sentinel links in
#    place of the sources TinyGo lacks, and QEMU for the bare-metal run.
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends \
	llvm-19-dev clang-19 libclang-19-dev lld-19 liblld-19-dev \
	binaryen wasi-libc picolibc-arm-none-eabi qemu-system-arm >/dev/null

# 2. TinyGo itself, as a Go module (`go install pkg@version` fails here: the proxy refuses the
#    module's version list, which go install reads for deprecation notices).
cd "$OUT/build"
cat >go.mod <<EOF
module local/tinygobuild

go 1.25

require github.com/tinygo-org/tinygo $TINYGO_VERSION
EOF
cat >tools.go <<'EOF'
//go:build tools

package tools

import _ "github.com/tinygo-org/tinygo"
EOF
export GOTOOLCHAIN=$GO_FOR_TINYGO GOFLAGS=-mod=mod
go mod tidy
CGO_ENABLED=1 go build -tags llvm19 -o "$OUT/bin/tinygo" github.com/tinygo-org/tinygo
GO125_BIN=$(go env GOROOT)/bin
MODDIR=$(go list -m -f '{{.Dir}}' github.com/tinygo-org/tinygo)

# 3. TINYGOROOT: src/ and targets/ come with the module; lib/ (git submodules) does not.
ROOT="$OUT/root"
rm -rf "$ROOT" && mkdir -p "$ROOT/lib" "$ROOT/llvm-project/compiler-rt/lib"
cp -r "$MODDIR/src" "$MODDIR/targets" "$ROOT/" && chmod -R u+w "$ROOT"
mkdir -p "$ROOT/src/net"  # a submodule too; programs that import net will not build
#    compiler-rt builtins (every TinyGo target needs them) from Debian's LLVM 19 source package.
if ! grep -rqs '^Types: deb-src' /etc/apt/sources.list.d/; then
	cat >/etc/apt/sources.list.d/gobridge-src.sources <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
	apt-get update >/dev/null
fi
cd "$OUT/src"
ls llvm-toolchain-19_*.orig.tar.xz >/dev/null 2>&1 || apt-get source --download-only llvm-toolchain-19 >/dev/null
[ -d llvm-toolchain-19_19.1.7/compiler-rt/lib/builtins ] ||
	tar -xJf llvm-toolchain-19_*.orig.tar.xz --wildcards '*/compiler-rt/lib/builtins/*'
ln -sfn "$OUT/src/llvm-toolchain-19_19.1.7/compiler-rt/lib/builtins" \
	"$ROOT/llvm-project/compiler-rt/lib/builtins"
#    wasi-libc sources: TinyGo's `wasmbuiltins` library (the libc of `wasm-unknown`) compiles
#    memcpy/memmove/memset and a few math files from TINYGOROOT/lib/wasi-libc. Debian's wasi-libc
#    source package has them; the whole library does not build with TinyGo 0.40 (wasip1 then uses
#    Debian's prebuilt libc.a, see docs/tinygo.md), but these files do.
ls wasi-libc_*.orig.tar.* >/dev/null 2>&1 || apt-get source --download-only wasi-libc >/dev/null
if [ ! -f wasi-libc/libc-top-half/musl/src/string/memcpy.c ]; then
	rm -rf wasi-libc && mkdir wasi-libc
	tar -xf wasi-libc_*.orig.tar.* -C wasi-libc --strip-components=1
fi
ln -sfn "$OUT/src/wasi-libc" "$ROOT/lib/wasi-libc"

# 4. The wrapper: Go 1.25 first on PATH, TINYGOROOT set.
cat >"$OUT/bin/tinygo-env" <<EOF
#!/bin/sh
export PATH="$GO125_BIN:\$PATH"
export TINYGOROOT="$ROOT"
exec "$OUT/bin/tinygo" "\$@"
EOF
chmod +x "$OUT/bin/tinygo-env"
"$OUT/bin/tinygo-env" version
echo "export GOBRIDGE_TINYGO=$OUT/bin/tinygo-env"
