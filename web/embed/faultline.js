// faultline for portals: `import { mount } from '<dist>/faultline.js'`, then
// `await mount(element, { files, urls, rules })`. The app takes the element's size; artifacts can also
// arrive later with `window.postMessage({ type: 'faultline:analyze', files, urls }, origin)`.
import init, { mount as mountApp } from './faultline-web.js';

let ready;

export async function mount(element, options = {}) {
  ready ??= init({ module_or_path: new URL('./faultline-web_bg.wasm', import.meta.url) });
  await ready;
  mountApp(element, options);
}

globalThis.faultline ??= { mount };
