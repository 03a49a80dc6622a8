// Runs the wasip1 reactor gobridge generates for testdata/example/tiny and calls its exports.
// Usage: node wasi-double.mjs module.wasm
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';

const wasi = new WASI({ version: 'preview1', args: [], env: {}, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(process.argv[2]));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
wasi.initialize(instance);
const e = instance.exports;
const checks = [
  ['Double(21n)', () => e.Double(21n), 42n],
  ['Touch(7n); Touched()', () => (e.Touch(7n), e.Touched()), 7n],
];
for (const [what, f, want] of checks) {
  const got = f();
  if (got !== want) {
    console.error(`FAIL ${what} = ${got}, want ${want}`);
    process.exit(1);
  }
  console.log(`${what} = ${got}`);
}
console.log('wasi example: ok');
