// faultline for portals: `import { mount } from '<dist>/faultline.js'`, then
// `await mount(element, { files, urls, rules })`. The app takes the element's size; artifacts can also
// arrive later with `window.postMessage({ type: 'faultline:analyze', files, urls }, origin)`.
import init, { mount as mountApp } from './faultline-web.js';

let ready;

/** The app's stylesheet, once per page; every rule in it is scoped to the app's own elements. */
function addStyles() {
  const href = new URL('./style.css', import.meta.url).href;
  if ([...document.styleSheets].some((s) => s.href === href)) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  document.head.append(link);
}

export async function mount(element, options = {}) {
  addStyles();
  ready ??= init({ module_or_path: new URL('./faultline-web_bg.wasm', import.meta.url) });
  await ready;
  mountApp(element, options);
}

globalThis.faultline ??= { mount };
