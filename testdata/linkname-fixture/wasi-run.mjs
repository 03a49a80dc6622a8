// Runs a wasip1 reactor module built from the generated //go:wasmexport file under Node's
// node:wasi and calls its exports. Usage: node wasi-run.mjs module.wasm
// Prints one line per check and "wasi: N checks ok"; exits 1 on the first wrong result.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';

const path = process.argv[2];
if (!path) {
  console.error('usage: node wasi-run.mjs module.wasm');
  process.exit(2);
}
const wasi = new WASI({ version: 'preview1', args: [], env: {}, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(path));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
// A reactor (-buildmode=c-shared) exports _initialize instead of _start.
wasi.initialize(instance);
const e = instance.exports;

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
console.log(`wasi: ${checks} checks ok`);
