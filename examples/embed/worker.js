import { load, analyze } from '../../crates/faultline-wasm/pkg/index.js';
const ready = load();
onmessage = async ({ data: files }) => {
  try {
    await ready;
    postMessage({ report: analyze(files) });
  } catch (e) {
    postMessage({ error: `${e.kind ?? ''} ${e.message}` });
  }
};
