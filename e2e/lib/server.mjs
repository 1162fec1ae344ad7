// A static file server on 127.0.0.1 for pages that cannot run from file:// (module workers, wasm
// fetches). Serves the repository read-only, refuses paths outside it, and sends the MIME types the
// browser insists on (application/wasm for streaming compilation, text/javascript for modules).
// `?chunked` sends a file without its length; `?slow` sends it slowly.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css',
  '.xml': 'application/xml',
  '.log': 'text/plain; charset=utf-8',
  '.zip': 'application/zip',
  '.gz': 'application/gzip',
};

/** Serves `root`; resolves to `{ url, slow, close }` once listening on a free port. */
export function serve(root) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let path = normalize(join(root, decodeURIComponent(url.pathname)));
    if (path === root || path === root + sep) path = join(root, 'index.html');
    if (!path.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    let size;
    try {
      const st = statSync(path);
      if (!st.isFile()) throw new Error('not a file');
      size = st.size;
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      // `?chunked`: no length, as a server that compresses or generates the body on the fly sends it.
      ...(url.searchParams.has('chunked') ? {} : { 'content-length': size }),
      'cache-control': 'no-store',
    });
    if (!url.searchParams.has('slow')) {
      createReadStream(path).pipe(res);
      return;
    }
    // `?slow`: 64 KiB every 20 ms (about 3 MB/s), and `slow` records whether the client read it all.
    const key = url.pathname;
    slow.set(key, 'reading');
    const stream = createReadStream(path, { highWaterMark: 64 << 10 });
    stream.on('data', (chunk) => {
      stream.pause();
      res.write(chunk);
      setTimeout(() => stream.resume(), 20);
    });
    stream.on('end', () => {
      slow.set(key, 'complete');
      res.end();
    });
    res.on('close', () => {
      if (slow.get(key) === 'reading') slow.set(key, 'aborted');
      stream.destroy();
    });
  });
  const slow = new Map();
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, slow, close: () => new Promise((r) => server.close(r)) });
    });
  });
}
