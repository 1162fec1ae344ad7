//! Seeded generators for the benchmark inputs: JUnit reports shaped like big real suites and
//! Kubernetes-style component logs. Same seed, same bytes, on every machine; nothing is downloaded.

// Each `write!` is one generated line or element; its `\n` is part of the data being written.
#![allow(clippy::write_with_newline)]

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// xorshift64*: tiny, fast and good enough to vary the text.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Cases per `<testsuite>`.
const PER_SUITE: usize = 50;

/// Counts of what a generated JUnit file holds, for the report.
#[derive(Default, Debug, Clone, Copy)]
pub struct JunitStats {
    pub cases: usize,
    pub failures: usize,
    pub errors: usize,
    pub skipped: usize,
    pub bytes: u64,
}

/// A JUnit report with `cases` test cases: 50 per suite (with properties, timestamp, hostname),
/// about 5 % failures with a multi-line stack trace (~2 KB), 1 % errors, 2 % skipped, and
/// `<system-out>` (~1 KB) on about 10 % of cases. 100k cases come to about 39 MB.
pub fn junit(cases: usize, seed: u64, out: &Path) -> Result<JunitStats> {
    let file = std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    let mut rng = Rng::new(seed);
    let mut stats = JunitStats { cases, ..JunitStats::default() };
    let mut s = String::with_capacity(64 << 10);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"pytest\">\n");
    for suite in 0..cases.div_ceil(PER_SUITE) {
        let in_suite = PER_SUITE.min(cases - suite * PER_SUITE);
        let module = MODULES[suite % MODULES.len()];
        let _ = write!(
            s,
            "  <testsuite name=\"tests.{module}.Test{suite}\" tests=\"{in_suite}\" time=\"{}.{:03}\" \
             timestamp=\"2026-11-20T{:02}:{:02}:{:02}\" hostname=\"ci-runner-{}\">\n    <properties>\n      \
             <property name=\"python\" value=\"3.11.7\"/>\n      <property name=\"longhorn\" value=\"v1.8.{}\"/>\n    \
             </properties>\n",
            rng.below(600),
            rng.below(1000),
            8 + suite / 3600 % 12,
            suite / 60 % 60,
            suite % 60,
            rng.below(8),
            rng.below(4),
        );
        for case in 0..in_suite {
            let n = suite * PER_SUITE + case;
            let verb = VERBS[rng.below(VERBS.len() as u64) as usize];
            let _ = write!(
                s,
                "    <testcase classname=\"tests.{module}.Test{suite}\" name=\"test_{verb}_{n}\" time=\"{}.{:03}\" \
                 file=\"tests/{module}.py\" line=\"{}\">\n",
                rng.below(30),
                rng.below(1000),
                10 + rng.below(2000),
            );
            let roll = rng.below(100);
            if roll < 5 {
                stats.failures += 1;
                failure(&mut s, &mut rng, module, verb, n);
            } else if roll < 6 {
                stats.errors += 1;
                error(&mut s, &mut rng, module, n);
            } else if roll < 8 {
                stats.skipped += 1;
                s.push_str("      <skipped type=\"pytest.skip\" message=\"requires the v2 data engine\"/>\n");
            }
            if rng.below(10) == 0 {
                system_out(&mut s, &mut rng, n);
            }
            s.push_str("    </testcase>\n");
            if s.len() > 60 << 10 {
                w.write_all(s.as_bytes())?;
                stats.bytes += s.len() as u64;
                s.clear();
            }
        }
        s.push_str("  </testsuite>\n");
    }
    s.push_str("</testsuites>\n");
    w.write_all(s.as_bytes())?;
    stats.bytes += s.len() as u64;
    w.flush().with_context(|| format!("writing {}", out.display()))?;
    Ok(stats)
}

const MODULES: [&str; 8] = [
    "test_ha",
    "test_rwx",
    "test_backup",
    "test_engine",
    "test_node",
    "test_csi",
    "test_basic",
    "test_upgrade",
];
const VERBS: [&str; 8] =
    ["recovery", "attach_detach", "expand", "snapshot", "restore", "reboot_node", "migrate", "rebuild"];

fn failure(s: &mut String, rng: &mut Rng, module: &str, verb: &str, n: usize) {
    let want = rng.below(1 << 32);
    let _ = write!(
        s,
        "      <failure type=\"AssertionError\" message=\"AssertionError: assert &apos;&apos; == &apos;{want:08x}&apos;\">"
    );
    let frames = 6 + rng.below(8);
    for f in 0..frames {
        let _ = write!(
            s,
            "tests/{module}.py:{}: in test_{verb}_{n}\n    checksum = common.get_pod_data_md5sum(core_api, pod_name, &quot;/data/test{f}&quot;)\n\
             tests/common.py:{}: in get_pod_data_md5sum\n    return stream(api.connect_get_namespaced_pod_exec, pod_name, &apos;default&apos;)\n",
            100 + rng.below(900),
            1000 + rng.below(5000),
        );
    }
    let _ = write!(
        s,
        "E   AssertionError: assert &apos;&apos; == &apos;{want:08x}&apos;\nE     - {want:08x}</failure>\n"
    );
}

fn error(s: &mut String, rng: &mut Rng, module: &str, n: usize) {
    let _ = write!(
        s,
        "      <error type=\"kubernetes.client.exceptions.ApiException\" message=\"(409) Reason: Conflict\">\
         tests/conftest.py:{}: in volume_name\n    client.create_volume(name=&quot;vol-{n}&quot;)\n\
         tests/{module}.py: ApiException\nHTTP response headers: HTTPHeaderDict({{&apos;Content-Type&apos;: &apos;application/json&apos;}})\n\
         HTTP response body: {{&quot;kind&quot;:&quot;Status&quot;,&quot;status&quot;:&quot;Failure&quot;,\
         &quot;message&quot;:&quot;volumes.longhorn.io \\&quot;vol-{n}\\&quot; already exists&quot;,&quot;reason&quot;:&quot;AlreadyExists&quot;}}\n\
         during setup of the fixture, retried {} times</error>\n",
        10 + rng.below(400),
        rng.below(5),
    );
}

fn system_out(s: &mut String, rng: &mut Rng, n: usize) {
    s.push_str("      <system-out>");
    for i in 0..12 {
        let _ = write!(
            s,
            "2026-11-20 10:{:02}:{:02},{:03} INFO waiting for volume vol-{n} state &lt;attached&gt; ({i})\n",
            rng.below(60),
            rng.below(60),
            rng.below(1000),
        );
    }
    s.push_str("</system-out>\n");
}

/// Counts of what a generated log holds.
#[derive(Default, Debug, Clone, Copy)]
pub struct LogStats {
    pub lines: u64,
    pub bytes: u64,
}

/// A Kubernetes-style component log of about `bytes` bytes (~130 B a line): 70 % INFO, 25 % DEBUG,
/// 3 % WARN, 2 % ERROR (`Connection timed out`); 0.8 % of lines delete a share manager or its pod.
pub fn log(bytes: u64, seed: u64, out: &Path) -> Result<LogStats> {
    let file = std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    let mut rng = Rng::new(seed);
    let mut stats = LogStats::default();
    let mut s = String::with_capacity(256 << 10);
    // Milliseconds since 2026-11-20T00:00:00Z; starts at 06:00 and moves ~5 ms a line.
    let mut ms: u64 = 6 * 3_600_000;
    while stats.bytes < bytes {
        ms += rng.below(10);
        let day = 20 + ms / 86_400_000;
        let t = ms % 86_400_000;
        let _ = write!(
            s,
            "2026-11-{day:02}T{:02}:{:02}:{:02}.{:03}Z ",
            t / 3_600_000,
            t / 60_000 % 60,
            t / 1000 % 60,
            t % 1000
        );
        let vol = rng.below(1 << 40);
        let node = rng.below(250);
        let test = TESTS[rng.below(TESTS.len() as u64) as usize];
        let roll = rng.below(1000);
        let _ = match roll {
            0..=4 => write!(
                s,
                "INFO [share-manager-controller] msg=\"Deleting share manager pod\" shareManager=pvc-{vol:010x} node=ip-10-0-1-{node}\n"
            ),
            5..=7 => write!(
                s,
                "INFO [{test}] delete pod share-manager-pvc-{vol:010x} in namespace longhorn-system\n"
            ),
            8..=699 => match roll % 4 {
                0 => write!(
                    s,
                    "INFO [{test}] waiting for volume pvc-{vol:010x} to become attached (attempt {}/300)\n",
                    rng.below(300)
                ),
                1 => write!(
                    s,
                    "INFO [longhorn-manager] msg=\"Requeue volume due to conflict\" node=ip-10-0-1-{node} volume=pvc-{vol:010x}\n"
                ),
                2 => write!(
                    s,
                    "INFO [csi-attacher] attached volume pvc-{vol:010x} to node ip-10-0-1-{node} in {} ms\n",
                    rng.below(5000)
                ),
                _ => write!(
                    s,
                    "INFO [kubelet] reconciler: MountVolume.SetUp succeeded for pvc-{vol:010x} pod=app-{}\n",
                    rng.below(500)
                ),
            },
            700..=949 => write!(
                s,
                "DEBUG [engine] pvc-{vol:010x}-e-0 replica mode map refreshed in {} ms, {} replicas\n",
                rng.below(100),
                1 + rng.below(3)
            ),
            950..=979 => write!(
                s,
                "WARN [longhorn-manager] replica pvc-{vol:010x}-r-{} degraded on node ip-10-0-1-{node}, rebuilding\n",
                rng.below(3)
            ),
            _ => write!(
                s,
                "ERROR [nfs-client] read /data/pvc-{vol:010x}/data.txt from ip-10-0-1-{node}: Connection timed out\n"
            ),
        };
        stats.lines += 1;
        if s.len() > 200 << 10 {
            w.write_all(s.as_bytes())?;
            stats.bytes += s.len() as u64;
            s.clear();
        }
    }
    w.write_all(s.as_bytes())?;
    stats.bytes += s.len() as u64;
    w.flush().with_context(|| format!("writing {}", out.display()))?;
    Ok(stats)
}

const TESTS: [&str; 6] = [
    "test_ha_simple_recovery",
    "test_rwx_delete_share_manager_pod",
    "test_backup_restore",
    "test_node_reboot",
    "test_engine_upgrade",
    "test_csi_expansion",
];
