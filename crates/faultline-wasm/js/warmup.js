// The artifacts `warmUp()` (index.js) analyses: a fresh wasm module runs on the engine's baseline
// compiler until each function has run enough to be optimised, so the first real analysis used to pay
// for that (in the web app, a 50 MB log + 10 MB JUnit took 1.92 s on a fresh module, 1.45 s after the
// warm-up). They are shaped like what users give (pytest JUnit with failures and system-out, a
// Kubernetes run's log in the built-in pack's vocabulary) so the same code gets hot: XML reading,
// timestamps and levels, the pack's gate search and regexes, rules, the report's JSON.

const VERBS = ['recovery', 'attach', 'expand', 'snapshot', 'restore', 'rebuild'];
const MD5 = '6dae5b70561d3899fa6196e9b9db5f0f';

function pad(n, width) {
  return String(n).padStart(width, '0');
}

function junit(cases) {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="warm-up">\n<testsuite name="tests.test_warm_up">\n'];
  for (let i = 0; i < cases; i++) {
    const test = `test_${VERBS[i % VERBS.length]}_${i}`;
    out.push(`<testcase classname="tests.test_warm_up.Test${i % 9}" name="${test}" time="${i % 13}.${pad(i % 997, 3)}" file="tests/test_warm_up.py" line="${i}">\n`);
    if (i % 20 === 3) {
      out.push(
        `<failure type="AssertionError" message="AssertionError: assert &apos;&apos; == &apos;${MD5}&apos;">` +
          `tests/test_warm_up.py:${i}: in ${test}\n    checksum = get_pod_data_md5sum(core_api, pod, &quot;/data/test&quot;)\n` +
          `E   AssertionError: assert &apos;&apos; == &apos;${MD5}&apos;</failure>\n`,
      );
    }
    if (i % 10 === 1) {
      out.push('<system-out>');
      for (let k = 0; k < 8; k++) {
        out.push(`2026-11-20 10:00:${pad(k, 2)},123 INFO waiting for volume vol-${i} state &lt;attached&gt; (${k})\n`);
      }
      out.push('</system-out>\n');
    }
    out.push('</testcase>\n');
  }
  out.push('</testsuite>\n</testsuites>\n');
  return out.join('');
}

function log(lines) {
  const out = [];
  for (let i = 0; i < lines; i++) {
    const at = `2026-11-20T10:${pad(Math.floor(i / 600) % 60, 2)}:${pad(Math.floor(i / 10) % 60, 2)}.${pad(i % 1000, 3)}Z`;
    const volume = `pvc-${((i * 2654435761) % 4294967296).toString(16).padStart(10, '0')}`;
    const node = `ip-10-0-1-${i % 7}`;
    switch (i % 8) {
      case 0:
        out.push(`${at} INFO [test_${VERBS[i % 6]}] waiting for volume ${volume} to become attached (attempt ${i % 300}/300)`);
        break;
      case 1:
        out.push(`${at} INFO [longhorn-manager] msg="Requeue volume due to conflict" node=${node} volume=${volume}`);
        break;
      case 2:
        out.push(`${at} INFO [csi-attacher] attached volume ${volume} to node ${node} in ${i % 900} ms`);
        break;
      case 3:
        out.push(`${at} DEBUG [engine] ${volume}-e-0 replica mode map refreshed in ${i % 50} ms, 3 replicas`);
        break;
      case 4:
        out.push(`${at} WARN [longhorn-manager] replica ${volume}-r-1 degraded on node ${node}, rebuilding`);
        break;
      case 5:
        out.push(`${at} INFO [kubelet] reconciler: MountVolume.SetUp succeeded for ${volume} pod=app-${i}`);
        break;
      case 6:
        out.push(`time="${at}" level=info msg="Volume ${volume} became healthy" controller=longhorn-volume node=${node}`);
        break;
      default:
        out.push(`${at} ERROR [nfs-client] read /data/${volume}/data.txt from ${node}: Connection timed out`);
    }
  }
  return out.join('\n');
}

/** The warm-up's artifacts, as `{ name, bytes }`: about 1 MB in all. */
export function warmUpInputs({ cases = 200, lines = 10_000 } = {}) {
  const enc = new TextEncoder();
  return [
    { name: 'warm-up/junit.xml', bytes: enc.encode(junit(cases)) },
    { name: 'warm-up/console.log', bytes: enc.encode(log(lines)) },
  ];
}
