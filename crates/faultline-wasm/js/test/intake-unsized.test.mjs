// intake.test.mjs again, streaming without the file's size, in a process (and wasm memory) of its own.
process.env.FAULTLINE_UNSIZED = '1';
await import('./intake.test.mjs');
