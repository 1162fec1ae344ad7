// Fetches the founding case's artifacts and analyses them in a worker; shows each diagnosis as text.
const files = ['junit.xml', 'output.xml', 'console.log',
  'supportbundle_08ccc085-641c-4592-bb57-e05456241204_2024-11-16T10-17-46Z.zip'];
const worker = new Worker('./worker.js', { type: 'module' });
worker.onmessage = ({ data }) => {
  if (data.error) return void (document.getElementById('status').textContent = `error: ${data.error}`);
  document.getElementById('status').textContent = `${data.report.summary.failed} failed`;
  document.getElementById('out').textContent = data.report.diagnoses
    .map((d) => `${d.test.name}\n${d.rule} (blame: ${d.blame})\n${d.summary}\n` +
      d.evidence.map((e) => `  ${e.file}:${e.line}  ${e.text ?? ''}`).join('\n'))
    .join('\n\n');
};
const base = '../../fixtures/rwx-recovery-cr-deleted/';
Promise.all(files.map((f) => fetch(base + f).then((r) => r.arrayBuffer())))
  .then((bodies) => worker.postMessage(files.map((name, i) => ({ name, bytes: bodies[i] }))));
