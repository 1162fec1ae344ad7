// A portal embedding faultline: mount the app into an element of the portal's own page (it takes the
// element's size and leaves the page's URL alone), hand it artifacts the portal already has, and later
// send more with postMessage. Served from the same origin as faultline's dist/ folder.
import { mount } from './faultline.js';

const manifest = await (await fetch('demo/manifest.json')).json();
const files = await Promise.all(
  manifest.files.map(async (name) => ({ name, bytes: new Uint8Array(await (await fetch(`demo/${name}`)).arrayBuffer()) })),
);
await mount(document.getElementById('run'), { files });

document.getElementById('send-log').addEventListener('click', () => {
  const text = '2024-11-16T10:16:06Z ERROR md5sum: can\'t open \'/data/data.txt\': Connection timed out\n';
  window.postMessage({ type: 'faultline:analyze', files: [{ name: 'pasted.log', text }] }, window.location.origin);
});
