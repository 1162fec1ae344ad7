//! The built-in pack against lines in the shapes real runs print, plus pack-error locations.

use super::*;

fn events(origin: Origin, file: &str, text: &str, next: Option<&str>) -> Vec<Event> {
    let src = SourceRef::new(file, 1, 0, text.len() as u64);
    static PACK: std::sync::OnceLock<Pack> = std::sync::OnceLock::new();
    let mut out = Vec::new();
    PACK.get_or_init(Pack::builtin)
        .extract(&Candidate { text, next, origin, source: &src, time_ms: Some(1) }, &mut out);
    out
}

fn one(text: &str) -> Vec<(EventKind, Fields)> {
    events(Origin::Log, "console.log", text, None).into_iter().map(|e| (e.kind, e.fields)).collect()
}

fn get(evs: &[(EventKind, Fields)], kind: EventKind) -> &Fields {
    &evs.iter().find(|(k, _)| *k == kind).unwrap_or_else(|| panic!("no {kind} in {evs:?}")).1
}

/// The compiled-in pack has its comment lines blanked: it must read exactly as the source does, and
/// keep every line where it was.
#[test]
fn builtin_pack_without_comments_reads_as_the_source() {
    assert_ne!(BUILTIN, BUILTIN_SOURCE, "the comments were blanked");
    assert!(!BUILTIN.lines().any(|l| l.trim_start().starts_with('#')));
    assert_eq!(BUILTIN.lines().count(), BUILTIN_SOURCE.lines().count());
    match (compile::read_debug(BUILTIN), compile::read_debug(BUILTIN_SOURCE)) {
        (Ok(ours), Ok(source)) => assert_eq!(ours, source),
        (ours, source) => panic!("blanked: {:?}, source: {:?}", ours.is_ok(), source.is_ok()),
    }
}

#[test]
fn builtin_pack_loads() {
    assert!(Pack::builtin().pattern_count() > 40);
}

/// The built-in pack's regexes compile on first use (`lazy`), where a mistake would only make a pattern
/// silent: here every one is compiled at once, with its templates checked against its captures.
#[test]
fn builtin_pack_compiles_whole() {
    let eager = match compile::compile("builtin.toml", BUILTIN) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    assert!(eager.patterns.iter().all(|p| p.regex.is_compiled()));
    let lazy = Pack::builtin();
    assert_eq!(eager.pattern_count(), lazy.pattern_count());
    assert!(lazy.patterns.iter().all(|p| p.regex.get().is_some()));
}

#[test]
fn cr_deletion_via_api_is_management_plane() {
    let e = one(
        r#"delete_namespaced_custom_object(group="longhorn.io", version="v1beta2", namespace="longhorn-system", plural="sharemanagers", name="pvc-1")"#,
    );
    let f = get(&e, EventKind::ObjectDeleted);
    assert_eq!(f["kind"], "ShareManager");
    assert_eq!(f["group"], "longhorn.io");
    assert_eq!(f["name"], "pvc-1");
    assert_eq!(f["namespace"], "longhorn-system");
    assert_eq!(f["plane"], "management");
}

#[test]
fn pod_deletion_is_workload_plane() {
    for line in [
        r#"delete_namespaced_pod(name="share-manager-pvc-1", namespace="longhorn-system", grace_period_seconds=0)"#,
        "Deleting pod share-manager-pvc-1 in namespace longhorn-system",
        "kubectl delete pod share-manager-pvc-1 -n longhorn-system --grace-period=0",
        r#"pod "share-manager-pvc-1" deleted"#,
    ] {
        let e = one(line);
        let f = get(&e, EventKind::ObjectDeleted);
        assert_eq!(
            (f["kind"].as_str(), f["name"].as_str(), f["plane"].as_str()),
            ("Pod", "share-manager-pvc-1", "workload"),
            "{line}"
        );
    }
}

#[test]
fn kubectl_namespaces_are_read_before_or_after_the_verb_but_not_from_another_command() {
    for (line, namespace) in [
        ("kubectl -n longhorn-system delete pod share-manager-pvc-1", Some("longhorn-system")),
        (
            "kubectl --namespace=longhorn-system --wait=false delete pod/share-manager-pvc-1",
            Some("longhorn-system"),
        ),
        (
            "kubectl delete pod share-manager-pvc-1 -n longhorn-system --grace-period=0",
            Some("longhorn-system"),
        ),
        ("kubectl -n other get pods; kubectl delete pod share-manager-pvc-1", None),
    ] {
        let e = one(line);
        let f = get(&e, EventKind::ObjectDeleted);
        assert_eq!((f["kind"].as_str(), f["name"].as_str()), ("Pod", "share-manager-pvc-1"), "{line}");
        assert_eq!(f.get("namespace").map(|v| v.as_str()), namespace, "{line}");
    }
}

#[test]
fn kubectl_forms_resolve_kinds() {
    let e = one("kubectl -n longhorn-system delete sharemanagers.longhorn.io pvc-1");
    assert_eq!(get(&e, EventKind::ObjectDeleted)["kind"], "ShareManager");
    let e = one("kubectl delete widgets.example.com w1");
    let f = get(&e, EventKind::ObjectDeleted);
    assert_eq!(
        (f["kind"].as_str(), f["group"].as_str(), f["plane"].as_str()),
        ("widgets", "example.com", "management")
    );
    let e = one(r#"sharemanager.longhorn.io "pvc-1" deleted"#);
    assert_eq!(get(&e, EventKind::ObjectDeleted)["plane"], "management");
}

#[test]
fn harness_lines_name_the_plane() {
    let e = one("[2024-11-16T10:15:02.815Z] deleting sharemanager pvc-1 ...");
    assert_eq!(get(&e, EventKind::ObjectDeleted)["plane"], "management");
}

#[test]
fn step_names_tell_cr_from_pod() {
    let step = |t| events(Origin::Step, "output.xml", t, None);
    let cr = step("Delete sharemanager of deployment 0 and wait for recreation");
    assert_eq!(cr[0].fields["kind"], "ShareManager");
    assert_eq!(cr[0].fields["plane"], "management");
    let pod = step("Delete sharemanager pod of deployment 0 and wait for recreation");
    assert_eq!(pod[0].fields["kind"], "Pod");
    assert_eq!(pod[0].fields["plane"], "workload");
    // Step patterns do not fire on log lines, and log-only patterns not on steps.
    assert!(events(Origin::Log, "c.log", "Delete sharemanager of deployment 0", None).is_empty());
}

#[test]
fn controller_lines() {
    let e = one(
        r#"time="2024-11-16T10:15:02.835Z" level=info msg="Deleting share manager pod" controller=longhorn-share-manager shareManager=pvc-1 state=running"#,
    );
    let f = get(&e, EventKind::ObjectDeleted);
    assert_eq!((f["kind"].as_str(), f["name"].as_str()), ("Pod", "share-manager-pvc-1"));
    let e = one(r#"level=info msg="ShareManager pvc-1 not found, creating a new one" volume=pvc-1"#);
    assert_eq!(get(&e, EventKind::ObjectCreated)["kind"], "ShareManager");
    let e = one(
        r#"msg="Event(v1.ObjectReference{Kind:\"Volume\"}): type: 'Normal' reason: 'Remount' Volume pvc-1 requested remount at 2023-01-02T16:53:51Z""#,
    );
    assert_eq!(get(&e, EventKind::StateChanged)["state"], "remount_requested");
    let e = one(
        r#"msg="Updating share manager to error state, requires cleanup with remount" shareManager=pvc-1"#,
    );
    assert_eq!(get(&e, EventKind::StateChanged)["state"], "error");
}

#[test]
fn waits_retries_timeouts() {
    let e = one("Waiting for pvc-1 healthy (599) ...");
    assert_eq!(
        (get(&e, EventKind::Wait)["condition"].as_str(), get(&e, EventKind::Wait)["attempt"].as_str()),
        ("pvc-1 healthy", "599")
    );
    let e =
        one("Waiting for volume v to have robustness=healthy. Current value: degraded. Retry count: 617/600");
    let f = get(&e, EventKind::Retry);
    assert_eq!(
        (f["attempt"].as_str(), f["max_attempts"].as_str(), f["last_observed"].as_str()),
        ("617", "600", "degraded")
    );
    let e = one("wait for volume v robustness=healthy, currently it's = unknown ... (79)");
    assert_eq!(get(&e, EventKind::Wait)["last_observed"], "unknown");
    let e = one("wait sharemanager pvc-1 running, current status = starting");
    assert_eq!(get(&e, EventKind::Wait)["last_observed"], "starting");
    assert_eq!(get(&e, EventKind::StateChanged)["state"], "starting");
    let e = one("Failed to wait for sharemanager pod share-manager-pvc-1 recreation: []");
    assert_eq!(get(&e, EventKind::Timeout)["condition"], "sharemanager pod share-manager-pvc-1 recreation");
}

#[test]
fn a_traceback_through_a_deletion_wait_is_a_timeout() {
    let robot_debug = "Traceback (most recent call last):\n  File \"/e2e/libs/k8s/k8s.py\", line 41, in delete_pod\n    wait_delete_pod(name, namespace)\n  File \"/e2e/libs/k8s/k8s.py\", line 60, in wait_delete_pod\n    assert not found";
    for (origin, text, function) in [
        (Origin::RobotMessage, robot_debug, "wait_delete_pod"),
        (Origin::Junit, "tests/common.py:1570: in wait_for_volume_delete", "wait_for_volume_delete"),
        (Origin::Junit, "    def wait_delete_pod(api, pod_uid, namespace='default'):", "wait_delete_pod"),
    ] {
        let e = events(origin, "x", text, None);
        let t = e.iter().find(|e| e.kind == EventKind::Timeout).unwrap_or_else(|| panic!("{text}: {e:?}"));
        assert_eq!(t.fields["function"], function);
        assert_eq!(t.fields["condition"], format!("an object's deletion (in `{function}`)"));
    }
    // Waits for anything else, and the call that only starts the wait, are not a deletion wait given up.
    for text in [
        "tests/common.py:880: in wait_for_volume_healthy",
        "    wait_delete_pod(name, namespace)",
        "def delete_pod(name, namespace='default'):",
    ] {
        assert!(
            events(Origin::Junit, "x", text, None).iter().all(|e| e.kind != EventKind::Timeout),
            "{text}"
        );
    }
}

#[test]
fn a_power_off_naming_its_node_and_a_node_ready_again() {
    let e = events(
        Origin::RobotMessage,
        "output.xml",
        "Power off volume e2e-test-volume-0 node ip-10-0-2-15 with waiting = False",
        None,
    );
    let off = e.iter().find(|e| e.kind == EventKind::Infra).unwrap_or_else(|| panic!("{e:?}"));
    assert_eq!(off.extractor, "power-off-volume-node");
    assert_eq!(
        (off.fields["reason"].as_str(), off.fields["node"].as_str(), off.fields["volume"].as_str()),
        ("power_off", "ip-10-0-2-15", "e2e-test-volume-0")
    );
    assert_eq!(off.fields["waiting"], "False");

    let line = "[2024-11-18T09:05:02Z] default   Normal    NodeReady   node/ip-10-0-2-15   Node ip-10-0-2-15 status is now: NodeReady";
    let evs = one(line);
    let ready = get(&evs, EventKind::StateChanged);
    assert_eq!(
        (ready["kind"].as_str(), ready["name"].as_str(), ready["state"].as_str()),
        ("Node", "ip-10-0-2-15", "ready")
    );
    // NotReady is the other way round: an infrastructure event naming the node, never a node back. In
    // a `kubectl get events` row the reason column comes first; the node must not be lost to it.
    for line in [
        "Node ip-10-0-2-15 status is now: NodeNotReady",
        "[2024-11-18T09:04:40Z] default   Normal    NodeNotReady   node/ip-10-0-2-15   Node ip-10-0-2-15 status is now: NodeNotReady",
    ] {
        let e = events(Origin::Log, "kubectl-events.log", line, None);
        assert!(e.iter().all(|e| e.kind != EventKind::StateChanged), "{e:?}");
        let infra = e.iter().find(|e| e.kind == EventKind::Infra).unwrap_or_else(|| panic!("{line}"));
        assert_eq!(
            (infra.fields["reason"].as_str(), infra.field("node")),
            ("not_ready", Some("ip-10-0-2-15"))
        );
    }
}

#[test]
fn checksums_in_every_shape() {
    let evs = events(
        Origin::Log,
        "console.log",
        "[2024-11-16T10:16:06.189Z] Got /data/data.txt checksum = md5sum: can't open '/data/data.txt': Connection timed out",
        Some("[2024-11-16T10:16:06.189Z]  Expected checksum = 6dae5b70561d3899fa6196e9b9db5f0f"),
    );
    let c = evs.iter().find(|e| e.kind == EventKind::Checksum).expect("checksum");
    assert_eq!(c.fields["result"], "read_failed");
    assert_eq!(c.fields["expected"], "6dae5b70561d3899fa6196e9b9db5f0f");
    assert_eq!(c.fields["path"], "/data/data.txt");
    assert!(evs.iter().any(|e| e.kind == EventKind::IoError && e.fields["error"] == "Connection timed out"));

    let e = one(
        "Checked pod-1 file data.txt checksum failed.                     Got /data/data.txt checksum = md5sum: can't open '/data/data.txt': Operation timed out",
    );
    assert_eq!(get(&e, EventKind::Checksum)["result"], "read_failed");
    assert_eq!(get(&e, EventKind::Checksum)["pod"], "pod-1");
    let e = one(
        "Got /data/data.txt checksum = 6dae5b70561d3899fa6196e9b9db5f0f Expected checksum = 6dae5b70561d3899fa6196e9b9db5f0f",
    );
    assert_eq!(get(&e, EventKind::Checksum)["result"], "match");
    let e = one(
        "Got /data/data.txt checksum = 0000b70561d3899fa6196e9b9db5f0f0 Expected checksum = 6dae5b70561d3899fa6196e9b9db5f0f",
    );
    assert_eq!(get(&e, EventKind::Checksum)["result"], "mismatch");
    let empty = format!("{:x}", md5::compute(b""));
    let e = one(&format!(
        "Got /data/data.txt checksum = {empty} Expected checksum = 6dae5b70561d3899fa6196e9b9db5f0f"
    ));
    assert_eq!(get(&e, EventKind::Checksum)["result"], "empty_input");
    let e = one("Got /data/data.txt checksum = ");
    assert_eq!(get(&e, EventKind::Checksum)["result"], "empty");
}

#[test]
fn io_and_infra() {
    let e = one("[Sat Nov 16 10:16:06 2024] nfs: server 10.43.12.7 not responding, timed out");
    let f = get(&e, EventKind::IoError);
    assert_eq!((f["server"].as_str(), f["detail"].as_str()), ("10.43.12.7", "timed out"));
    assert_eq!(
        get(&one("/bin/sh: can't create test: Read-only file system"), EventKind::IoError)["path"],
        "test"
    );
    assert_eq!(
        get(&one("Warning FailedMount mount.nfs: Connection timed out"), EventKind::IoError)["error"],
        "Connection timed out"
    );
    assert_eq!(
        get(&one("Node ip-10-0-1-2 status is now: NodeNotReady"), EventKind::Infra)["node"],
        "ip-10-0-1-2"
    );
    assert_eq!(
        get(&one("Rebooting node ip-10-0-2-107 with downtime 60 seconds"), EventKind::Infra)["reason"],
        "reboot"
    );
    assert_eq!(
        get(&one(r#"Failed to pull image "longhornio/x:v1": ErrImagePull"#), EventKind::Infra)["reason"],
        "image_pull"
    );
    assert_eq!(
        get(&one("dial tcp: lookup s3.amazonaws.com on 10.43.0.10:53: no such host"), EventKind::Infra)["reason"],
        "dns"
    );
}

#[test]
fn no_false_positives() {
    for line in [
        "Kubernetes node ip-10-0-1-242 is ready",
        "undeleted items: 0",
        "Volume attachment ticket added",
        "Waiting with nfs server start, volume is not attached",
        "the timeout setting is 30s",
        "Recurring job default/snapshot-1h is not ready to run, skip",
    ] {
        let e = one(line);
        assert!(
            e.iter().all(|(k, _)| !matches!(
                k,
                EventKind::ObjectDeleted | EventKind::IoError | EventKind::Infra | EventKind::Timeout
            )),
            "{line}: {e:?}"
        );
    }
}

#[test]
fn pack_errors_are_located() {
    let cases = [
        (
            "[[pattern]]\nid = \"a\"\nevent = \"nope\"\ncontains = [\"x\"]\nregex = \"x\"\n",
            3,
            9,
            "unknown event type",
        ),
        (
            "[[pattern]]\nid = \"a\"\nevent = \"wait\"\ncontains = [\"x\"]\nregex = \"(unclosed\"\n",
            5,
            9,
            "invalid regex",
        ),
        ("[[pattern]]\nid = \"a\"\nevent = \"wait\"\nregex = \"x\"\n", 2, 6, "no `contains`"),
        (
            "[[pattern]]\nid = \"a\"\nevent = \"wait\"\ncontains = [\"x\"]\nregex = \"(?P<n>x)\"\n[pattern.fields]\nc = \"{m}\"\n",
            7,
            5,
            "no such named capture",
        ),
        ("[[pattern]\nid = 1\n", 1, 11, "unclosed"),
        (
            "[[pattern]]\nid = \"a\"\nevent = \"wait\"\ncontains = [\"x\"]\nregex = \"x\"\nbogus = 1\n",
            6,
            1,
            "bogus",
        ),
    ];
    for (text, line, col, needle) in cases {
        let e = Pack::from_toml("mine.toml", text).expect_err("must fail");
        assert_eq!((e.file.as_str(), e.line, e.column), ("mine.toml", line, col), "{text}: {e}");
        assert!(e.message.contains(needle), "{e}");
    }
}

#[test]
fn user_packs_merge_after_builtin() {
    let mut pack = Pack::builtin();
    let mine = Pack::from_toml(
        "mine.toml",
        "[[pattern]]\nid = \"mine\"\nevent = \"infra\"\ncontains = [\"zone outage\"]\nregex = '''zone outage in (?P<zone>\\S+)'''\n[pattern.fields]\nreason = \"cloud_api\"\n",
    )
    .expect("valid");
    pack.merge(mine);
    let src = SourceRef::new("x", 1, 0, 1);
    let mut out = Vec::new();
    pack.extract(
        &Candidate {
            text: "zone outage in us-east-1a",
            next: None,
            origin: Origin::Log,
            source: &src,
            time_ms: None,
        },
        &mut out,
    );
    assert_eq!(out[0].fields["zone"], "us-east-1a");
    assert_eq!(out[0].extractor, "mine");
}

#[test]
fn robot_console_failure_message_is_an_assertion_spanning_two_lines() {
    let evs = events(
        Origin::Log,
        "console.log",
        "[2024-11-16T10:18:17.203Z] | FAIL |",
        Some("[2024-11-16T10:18:17.203Z] Checking pod x data checksum failed"),
    );
    let a = evs.iter().find(|e| e.kind == EventKind::Assertion).expect("assertion");
    assert_eq!(a.fields["message"], "Checking pod x data checksum failed");
    assert_eq!((a.source.line, a.source.line_end), (1, Some(2)));
}

#[test]
fn a_new_service_ip_is_recorded() {
    let e = one(
        r#"level=info msg="Created Service pvc-1 with cluster IP 10.43.188.41 for share manager" shareManager=pvc-1"#,
    );
    let f = get(&e, EventKind::ObjectCreated);
    assert_eq!(
        (f["kind"].as_str(), f["name"].as_str(), f["cluster_ip"].as_str()),
        ("Service", "pvc-1", "10.43.188.41")
    );
}

#[test]
fn nfs_server_recovery_is_a_state_change() {
    let e = one("[Sat Nov 16 10:15:10 2024] nfs: server 10.43.12.7 OK");
    let f = get(&e, EventKind::StateChanged);
    assert_eq!(
        (f["kind"].as_str(), f["name"].as_str(), f["state"].as_str()),
        ("NFSServer", "10.43.12.7", "ok")
    );
    assert!(e.iter().all(|(k, _)| *k != EventKind::IoError));
}

#[test]
fn a_replica_deletion_is_not_a_volume_deletion() {
    let e = one("[2024-11-16T10:14:24.331Z] Deleting volume pvc-1's replica on node ip-10-0-3-58");
    let f = get(&e, EventKind::ObjectDeleted);
    assert_eq!(
        (f["kind"].as_str(), f["volume"].as_str(), f["node"].as_str()),
        ("Replica", "pvc-1", "ip-10-0-3-58")
    );
    assert!(!f.contains_key("name"));
}

const SM: &str = "pvc-4f2a7c1e-9b3d-4e8a-a1c2-7d9e0f3b5a61";

#[test]
fn step_names_carry_component_and_workload() {
    let step = |t| events(Origin::Step, "output.xml", t, None);
    for name in ["Delete sharemanager pod of deployment 0", "When Delete sharemanager pod of deployment 0"] {
        let e = step(name);
        assert_eq!(
            (e[0].fields["component"].as_str(), e[0].fields["workload"].as_str()),
            ("share-manager", "deployment 0"),
            "{name}"
        );
    }
    let e = step("Then Delete instance-manager of deployment 0 volume and wait for recover");
    let f = &e[0].fields;
    assert_eq!(
        (f["kind"].as_str(), f["component"].as_str(), f["plane"].as_str()),
        ("Pod", "instance-manager", "workload")
    );
    // A step that only waits deletes nothing.
    assert!(step("Wait for sharemanager pod of deployment 0 running").is_empty());
}

#[test]
fn controller_created_pod_names_pod_and_node() {
    let e = one(&format!(
        r#"time="2024-11-16T10:15:05.535Z" level=info msg="Created pod for share manager on node ip-10-0-1-242" controller=longhorn-share-manager node=ip-10-0-1-242 shareManager={SM} state=starting"#
    ));
    let f = get(&e, EventKind::ObjectCreated);
    assert_eq!(
        (f["kind"].as_str(), f["name"].as_str(), f["node"].as_str(), f["plane"].as_str()),
        ("Pod", format!("share-manager-{SM}").as_str(), "ip-10-0-1-242", "workload")
    );
    let e = one(&format!(
        r#"time="2024-11-16T10:15:05.487Z" level=info msg="Creating pod for share manager {SM}" shareManager={SM}"#
    ));
    assert_eq!(get(&e, EventKind::ObjectCreated)["name"], format!("share-manager-{SM}"));
}

#[test]
fn watch_rows_in_any_file() {
    let e = one(&format!("[2024-11-16T10:15:02Z] DELETED    {SM}   running   ip-10-0-1-242   2m38s"));
    let f = get(&e, EventKind::ObjectDeleted);
    assert_eq!(
        (f["kind"].as_str(), f["plane"].as_str(), f["via"].as_str()),
        ("ShareManager", "management", "watch")
    );
    let e = one(&format!("[2024-11-16T10:15:02Z] MODIFIED   {SM}   starting  ip-10-0-1-242   0s"));
    assert_eq!(get(&e, EventKind::StateChanged)["state"], "starting");
    assert_eq!(get(&e, EventKind::StateChanged)["kind"], "ShareManager");
    let e = one(&format!("MODIFIED   {SM}   v1   attached   degraded   ip-10-0-1-242   18h"));
    let f = get(&e, EventKind::StateChanged);
    assert_eq!(
        (f["kind"].as_str(), f["state"].as_str(), f["robustness"].as_str()),
        ("Volume", "attached", "degraded")
    );
    let e = one(&format!("DELETED    share-manager-{SM}   0/1     Terminating   0     5m"));
    assert_eq!(get(&e, EventKind::ObjectDeleted)["kind"], "Pod");
    let e = one(&format!("MODIFIED   share-manager-{SM}   0/1     ContainerCreating   0     1s"));
    assert_eq!(get(&e, EventKind::StateChanged)["state"], "ContainerCreating");
    // An engine row (data-engine column, `-e-` name) is no ShareManager.
    let e = one(&format!("MODIFIED   {SM}-e-0   v1   running   ip-10-0-1-242   18h"));
    assert!(e.iter().all(|(_, f)| f.get("kind").map(String::as_str) != Some("ShareManager")), "{e:?}");
}

#[test]
fn remount_by_pod_deletion_names_the_volume() {
    let e = one(&format!(
        r#"level=info msg="Deleted pod e2e-test-deployment-0-db6496856-w7fkr so that Kubernetes will handle remounting volume {SM}""#
    ));
    let s = get(&e, EventKind::StateChanged);
    assert_eq!(
        (s["kind"].as_str(), s["name"].as_str(), s["state"].as_str()),
        ("Volume", SM, "remount_requested")
    );
    let d = get(&e, EventKind::ObjectDeleted);
    assert_eq!((d["kind"].as_str(), d["name"].as_str()), ("Pod", "e2e-test-deployment-0-db6496856-w7fkr"));
}

#[test]
fn volume_events_become_states() {
    let e = one(&format!(
        "[2024-11-16T10:13:48Z] longhorn-system  Normal   Degraded   volume/{SM}   volume {SM} became degraded"
    ));
    let f = get(&e, EventKind::StateChanged);
    assert_eq!((f["kind"].as_str(), f["name"].as_str(), f["state"].as_str()), ("Volume", SM, "degraded"));
    let e = one("Volume e2e-test-volume-0 is attached");
    assert_eq!(get(&e, EventKind::StateChanged)["state"], "attached");
}

#[test]
fn pytest_checksum_assertion() {
    let empty = format!("{:x}", md5::compute(b""));
    let e = events(
        Origin::Junit,
        "junit.xml",
        &format!("E       AssertionError: assert '{empty}' == '6dae5b70561d3899fa6196e9b9db5f0f'"),
        None,
    );
    let c = e.iter().find(|e| e.kind == EventKind::Checksum).expect("checksum");
    assert_eq!((c.fields["result"].as_str(), c.fields["got"].as_str()), ("empty_input", empty.as_str()));
    assert!(e.iter().any(|e| e.kind == EventKind::Assertion));
}

#[test]
fn checksum_results_classified() {
    use super::post::checksum_result;
    let md5 = "6dae5b70561d3899fa6196e9b9db5f0f";
    assert_eq!(checksum_result(Some("6DAE5B70561D3899FA6196E9B9DB5F0F"), Some(md5)), "match");
    assert_eq!(checksum_result(Some("   "), Some(md5)), "empty");
    assert_eq!(checksum_result(None, Some(md5)), "empty");
    assert_eq!(checksum_result(Some("md5sum: /data/x: No such file or directory"), Some(md5)), "read_failed");
    assert_eq!(checksum_result(Some("md5sum: /data/x: Input/output error"), None), "read_failed");
    let empty = format!("{:x}", md5::compute(b""));
    assert_eq!(checksum_result(Some(&empty), Some(md5)), "empty_input");
    assert_eq!(checksum_result(Some(&empty.to_uppercase()), None), "empty_input");
    assert_eq!(checksum_result(Some(md5), Some(&empty)), "mismatch");
}

#[test]
fn infra_power_eviction_cloud() {
    let e = one("Stopping instances ['i-001b3c569d57b8931']");
    let f = get(&e, EventKind::Infra);
    assert_eq!((f["reason"].as_str(), f["instance"].as_str()), ("power_off", "i-001b3c569d57b8931"));
    assert_eq!(
        get(&one("Starting instances ['i-001b3c569d57b8931']"), EventKind::Infra)["reason"],
        "power_on"
    );
    let f = one("Powering off node ip-10-0-2-107");
    assert_eq!(
        (get(&f, EventKind::Infra)["reason"].as_str(), get(&f, EventKind::Infra)["node"].as_str()),
        ("power_off", "ip-10-0-2-107")
    );
    let e = one(
        "default  Normal  TaintManagerEviction  pod/e2e-test-deployment-0-db6496856-w7fkr  Marking for deletion Pod default/e2e-test-deployment-0-db6496856-w7fkr",
    );
    assert_eq!(get(&e, EventKind::Infra)["reason"], "eviction");
    assert_eq!(get(&one("Status: Failed  Reason: Evicted"), EventKind::Infra)["reason"], "eviction");
    let e = one(
        "An error occurred (InsufficientInstanceCapacity) when calling the StartInstances operation: no capacity",
    );
    let f = get(&e, EventKind::Infra);
    assert_eq!((f["reason"].as_str(), f["error"].as_str()), ("cloud_api", "InsufficientInstanceCapacity"));
    let e = one("Warning  Failed  pod/x  Error: ImagePullBackOff");
    assert_eq!(get(&e, EventKind::Infra)["reason"], "image_pull");
    let e = one("KubernetesNodeNotReady: replica rebuild failed");
    assert_eq!(get(&e, EventKind::Infra)["reason"], "not_ready");
    let e = one(
        "dial tcp: lookup minio.default.svc on 10.43.0.10:53: read udp 10.42.0.5:41234->10.43.0.10:53: i/o timeout",
    );
    assert_eq!(get(&e, EventKind::Infra)["reason"], "dns");
}

#[test]
fn io_errors_on_the_data_path() {
    for (line, error) in [
        ("ls: /data: Stale file handle", "Stale file handle"),
        ("md5sum: can't open '/data/data.txt': Input/output error", "Input/output error"),
        (
            "mount.nfs: access denied by server while mounting 10.43.188.41:/pvc-1",
            "access denied by server while mounting 10.43.188.41:/pvc-1",
        ),
        (
            "[Sat Nov 16 10:16:06 2024] nfs: server 10.0.0.231 not responding, still trying",
            "nfs server not responding",
        ),
    ] {
        assert_eq!(get(&one(line), EventKind::IoError)["error"], error, "{line}");
    }
    let e = one("md5sum: can't open '/data/data.txt': Connection timed out");
    assert_eq!(get(&e, EventKind::IoError)["path"], "/data/data.txt");
    // An I/O timeout is not a wait that timed out.
    assert!(e.iter().all(|(k, _)| *k != EventKind::Timeout), "{e:?}");
}

#[test]
fn more_negatives() {
    for line in [
        "Power Off Volume Node For More Than Pod Eviction Timeout While Workload Heavy Writing",
        "node controller: undeleted=3 redeleted=0",
        "kubectl get pods -n longhorn-system",
        "Kubectl deleted nothing",
        "Image pulled successfully",
        "assertion checks passed",
        "Waiting for 3 replicas",
        "Found old sharemanager share-manager-pvc-1 for volume pvc-1 was replaced",
    ] {
        let e = one(line);
        assert!(
            e.iter().all(|(k, _)| !matches!(
                k,
                EventKind::ObjectDeleted
                    | EventKind::ObjectCreated
                    | EventKind::IoError
                    | EventKind::Infra
                    | EventKind::Timeout
                    | EventKind::Assertion
                    | EventKind::Checksum
            )),
            "{line}: {e:?}"
        );
    }
}

#[test]
fn timeouts_keep_what_was_last_seen() {
    let e = one("Failed to wait for pvc-1 robustness=healthy, currently it's degraded");
    let f = get(&e, EventKind::Timeout);
    assert_eq!(
        (f["condition"].as_str(), f["last_observed"].as_str()),
        ("pvc-1 robustness=healthy", "degraded")
    );
    let e = one("timed out waiting for the condition on pods/share-manager-pvc-1");
    assert_eq!(get(&e, EventKind::Timeout)["condition"], "the condition on pods/share-manager-pvc-1");
    let e = one("sharemanager pod share-manager-pvc-1 not recreated");
    assert_eq!(get(&e, EventKind::Timeout)["name"], "share-manager-pvc-1");
}

#[test]
fn many_literals_spill_to_the_heap_bitset() {
    let mut toml = String::new();
    for i in 0..600 {
        toml.push_str(&format!(
            "[[pattern]]\nid = \"p{i}\"\nevent = \"infra\"\ncontains = [\"lit{i}x\"]\nregex = 'lit{i}x'\n"
        ));
    }
    let pack = Pack::from_toml("big.toml", &toml).expect("valid");
    let src = SourceRef::new("x", 1, 0, 1);
    let mut out = Vec::new();
    pack.extract(
        &Candidate { text: "see lit599x here", next: None, origin: Origin::Log, source: &src, time_ms: None },
        &mut out,
    );
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].extractor, "p599");
}

#[test]
fn more_pack_errors_are_located() {
    let cases = [
        ("[[object_kind]]\nkind = \"X\"\nplane = \"control\"\n", 3, 9, "unknown plane"),
        (
            "[[pattern]]\nid = \"a\"\nevent = \"wait\"\norigins = [\"stdout\"]\ncontains = [\"x\"]\nregex = \"x\"\n",
            4,
            11,
            "unknown origin",
        ),
        ("[[pattern]]\nid = \"a\"\nevent = \"wait\"\ncontains = [\"\"]\nregex = \"x\"\n", 4, 12, "non-empty"),
        (
            "[[pattern]]\nid = \"a\"\nevent = \"wait\"\ncontains = [\"x\"]\nregex = \"x\"\nlines = 3\n",
            6,
            9,
            "1 or 2",
        ),
        (
            "[[pattern]]\nid = \"a\"\nevent = \"wait\"\ncontains = [\"x\"]\nregex = \"x\"\n[[pattern]]\nid = \"a\"\nevent = \"wait\"\ncontains = [\"x\"]\nregex = \"x\"\n",
            7,
            6,
            "duplicate",
        ),
        (
            "[[pattern]]\nid = \"a\"\nevent = \"wait\"\ncontains = [\"x\"]\nregex = '''\\w{1000}\\w{1000}\\w{1000}'''\n",
            5,
            9,
            "invalid regex",
        ),
    ];
    for (text, line, col, needle) in cases {
        let e = Pack::from_toml("mine.toml", text).expect_err("must fail");
        assert_eq!((e.line, e.column), (line, col), "{text}: {e}");
        assert!(e.message.contains(needle), "{e}");
    }
}

#[test]
fn pathological_pattern_regexes_are_refused_in_one_short_line() {
    for (re, needle) in [
        ("(a{1000}){1000}".to_string(), "size limit"),
        (format!("{}a{}", "(".repeat(5000), ")".repeat(5000)), "nested parentheses"),
    ] {
        let text =
            format!("[[pattern]]\nid = \"a\"\nevent = \"wait\"\ncontains = [\"a\"]\nregex = '''{re}'''\n");
        let e = Pack::from_toml("mine.toml", &text).expect_err("must fail");
        assert_eq!((e.line, e.column), (5, 9), "{e}");
        assert!(e.message.contains(needle) && e.message.len() < 400, "{e}");
    }
}

#[test]
fn pytest_shortened_checksum_assertion_reads_as_failed_read() {
    let e = events(
        Origin::Junit,
        "junit.xml",
        r#"E       assert "md5sum: can'...ion timed out" == '6dae5b70561d...196e9b9db5f0f'"#,
        None,
    );
    let c = e.iter().find(|e| e.kind == EventKind::Checksum).expect("checksum");
    assert_eq!(
        (c.fields["result"].as_str(), c.fields["expected"].as_str()),
        ("read_failed", "6dae5b70561d...196e9b9db5f0f")
    );
    // Comparing two non-digests is no checksum.
    assert!(one("E       assert 'running' == 'stopped'").iter().all(|(k, _)| *k != EventKind::Checksum));
}

#[test]
fn captures_from_giant_lines_are_clipped_as_they_are_taken() {
    let mut pack = Pack::builtin();
    pack.set_field_chars(10);
    let text = format!("md5sum: can't open '/data/{}': Connection timed out", "x".repeat(5000));
    let source = SourceRef::new("console.log", 1, 0, text.len() as u64);
    let next = "y".repeat(70 * 1024);
    let cand =
        Candidate { text: &text, next: Some(&next), origin: Origin::Log, source: &source, time_ms: None };
    let mut out = Vec::new();
    pack.extract(&cand, &mut out);
    let io = out.iter().find(|e| e.kind == EventKind::IoError).expect("io_error");
    assert_eq!(io.fields["path"], "/data/xxxx…");
    assert!(out.iter().all(|e| e.source.line_end.is_none()), "a 70 KB next line is not joined");
}
