// The scenarios under fixtures/, as the browser and package tests hand them over: each folder's
// artifacts are every file in it but its expectations (`expected.toml`) and its `README.md`, in name
// order, as the native scenario tests read them.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = join(ROOT, 'fixtures');

const NOT_ARTIFACTS = ['expected.toml', 'README.md'];

/** The paths of a folder's artifacts, in name order. */
export function artifactPaths(dir) {
  return readdirSync(dir)
    .filter((f) => !NOT_ARTIFACTS.includes(f) && statSync(join(dir, f)).isFile())
    .sort()
    .map((f) => join(dir, f));
}

/** A scenario's artifacts as `{ name, bytes }`, what `analyze()` takes. */
export function scenario(name) {
  return artifactPaths(join(FIXTURES, name)).map((p) => ({
    name: p.slice(p.lastIndexOf('/') + 1),
    bytes: new Uint8Array(readFileSync(p)),
  }));
}

/** Every scenario: the folders of fixtures/ with an `expected.toml`. */
export function scenarioNames() {
  return readdirSync(FIXTURES)
    .filter((d) => statSync(join(FIXTURES, d, 'expected.toml'), { throwIfNoEntry: false })?.isFile())
    .sort();
}
