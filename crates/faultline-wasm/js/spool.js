// `Analyzer.addResponse`: a fetched body cannot be read twice, and past `limits.maxHeldBytes` the
// analyzer could only cut it. So, in a worker, a body that may not fit is first written to this origin's
// private file system (OPFS, on this device: nothing is uploaded), and then given to `addBlob` like a
// dropped File: analysed whole, in passes, its rows read again as a viewer asks for them.
//
// A spooled file lives as long as the analysis that reads it. A worker that is closed (a tab, a
// recycled worker) cannot clean up, so each worker holds a Web Lock named after the prefix of its files,
// and the next faultline instance of the origin to load removes the files whose lock nobody holds:
// never another tab's live ones.

const DIR = 'faultline-spool';
const LOCK = 'faultline-spool:';

/** The names in `names` no live worker owns: files are `<owner>.<n>`, owned while `LOCK + owner` is held. */
export function stale(names, heldLocks) {
  const live = new Set(heldLocks);
  return names.filter((name) => {
    const dot = name.indexOf('.');
    return dot <= 0 || !live.has(LOCK + name.slice(0, dot));
  });
}

/**
 * `head`'s bytes, then `next` (a chunk already read, or null), then what `rest` (a reader) still gives:
 * the body whose first part went to a spool file that could not take the rest.
 */
export function rejoin(head, next, rest) {
  const first = head.getReader();
  let stage = 0;
  return new ReadableStream({
    async pull(controller) {
      if (stage === 0) {
        const { done, value } = await first.read();
        if (!done) return controller.enqueue(value);
        stage = 1;
      }
      if (stage === 1) {
        stage = 2;
        if (next?.length) return controller.enqueue(next);
      }
      const { done, value } = await rest.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      first.cancel(reason).catch(() => {});
      return rest.cancel(reason);
    },
  });
}

const owner = typeof globalThis.crypto?.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}${Math.random()}`.replace('.', '');
let opened = null;
let count = 0;

/** This worker's spool folder, with its lock held and stale files swept; null where OPFS is missing. */
function folder() {
  opened ??= (async () => {
    // Only a dedicated worker has synchronous file handles; Node.js and pages go without.
    const { navigator } = globalThis;
    if (!navigator?.storage?.getDirectory || !navigator.locks || !globalThis.FileSystemSyncAccessHandle) return null;
    await new Promise((resolve, reject) => {
      // Held until this worker is gone: the request's callback never settles.
      navigator.locks.request(LOCK + owner, () => (resolve(), new Promise(() => {}))).catch(reject);
    });
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(DIR, { create: true });
    const names = [];
    for await (const name of dir.keys()) names.push(name);
    const { held } = await navigator.locks.query();
    for (const name of stale(names, held.map((l) => l.name))) {
      await dir.removeEntry(name).catch(() => {}); // in use by a worker that just started: it is not stale
    }
    return dir;
  })().catch(() => null);
  return opened;
}

/** Sweeps what closed workers left (called on load): a closed tab's bodies do not wait for its next URL. */
export function sweep() {
  return folder();
}

/**
 * Writes `body` (a ReadableStream) to a new spool file. Resolves to:
 * - null where this browser has no OPFS or it cannot make a file (then `body` is untouched);
 * - `{ name, file, size }` once all of it is on disk;
 * - `{ name, stream, error }` when the disk would take no more (quota): `stream` gives the whole body,
 *   what was written first, then the rest, for the caller to hold as far as its budget goes.
 * A body that fails (the network, an abort) rejects, its file removed. So does one whose reader gave
 * up: `check()` runs after every chunk, and what it throws cancels the body and is rethrown.
 */
export async function spool(body, onBytes, check = () => {}) {
  const dir = await folder();
  if (!dir) return null;
  const name = `${owner}.${++count}`;
  let handle;
  let access;
  try {
    handle = await dir.getFileHandle(name, { create: true });
    access = await handle.createSyncAccessHandle();
  } catch {
    // Storage turned off or broken for this origin: the body is read as it arrives instead.
    await forget([name]);
    return null;
  }
  const reader = body.getReader();
  let written = 0;
  let open = true;
  const close = () => {
    if (open) access.close();
    open = false;
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      try {
        for (let at = 0; at < value.length; ) at += access.write(value.subarray(at), { at: written + at });
      } catch (error) {
        close();
        const head = (await handle.getFile()).slice(0, written).stream();
        return { name, stream: rejoin(head, value, reader), error };
      }
      written += value.length;
      onBytes(written);
      check();
    }
    access.flush();
    close();
    return { name, file: await handle.getFile(), size: written };
  } catch (error) {
    close();
    await forget([name]);
    reader.cancel(error).catch(() => {});
    throw error;
  }
}

/** Removes spool files that no analysis reads any more. */
export async function forget(names) {
  const dir = names.length ? await folder() : null;
  for (const name of names) await dir?.removeEntry(name).catch(() => {});
}
