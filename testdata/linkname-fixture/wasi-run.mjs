// Runs a wasm reactor module built from the generated //go:wasmexport file and calls its
// exports. Usage: node wasi-run.mjs module.wasm
//
// A module that imports wasi_snapshot_preview1 (gc's GOOS=wasip1 -buildmode=c-shared) runs
// under node:wasi; one without imports (TinyGo's wasm-unknown) is instantiated bare. Either
// way `_initialize` runs first (Go's package initialisation), then the exports are called.
// Prints one line per check and "wasi: N checks ok"; exits 1 on the first wrong result.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';

const path = process.argv[2];
if (!path) {
  console.error('usage: node wasi-run.mjs module.wasm');
  process.exit(2);
}
const module = await WebAssembly.compile(await readFile(path));
const usesWasi = WebAssembly.Module.imports(module).some(
  (i) => i.module === 'wasi_snapshot_preview1',
);
let instance;
if (usesWasi) {
  const wasi = new WASI({ version: 'preview1', args: [], env: {}, returnOnExit: true });
  instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  wasi.initialize(instance);
} else {
  instance = await WebAssembly.instantiate(module, {});
  if (instance.exports._initialize) instance.exports._initialize();
}
const e = instance.exports;
console.log(`module: ${usesWasi ? 'wasip1 (node:wasi)' : 'no imports'}`);

let checks = 0;
function check(what, got, want) {
  checks++;
  if (got !== want) {
    console.error(`FAIL: ${what} = ${got}, want ${want}`);
    process.exit(1);
  }
  console.log(`${what} = ${got}`);
}

check('Double(21n)', e.Double(21n), 42n);
check('Double(-4n)', e.Double(-4n), -8n);
check('Touch(7n)', e.Touch(7n), undefined);
check('Touched()', e.Touched(), 7n);
check('Secret(1n)', e.Secret(1n), 1001n);
// RunChecks (wasm-checks.go.txt) calls every wrapper inside the module: 11 checks.
check('RunChecks()', e.RunChecks(), 11);
console.log(`wasi: ${checks} checks ok`);
