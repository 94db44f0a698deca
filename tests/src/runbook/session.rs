//! The outside world of a run: a `moto_server` on a free loopback port, and
//! one bash session that runs the blocks one after another, keeping its
//! variables and working folder between them, as a reader's terminal does.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// The fixed account of every run. Not the policies' example account
/// `111122223333`, so a policy whose account was not filled in shows.
pub const ACCOUNT: &str = "210987654321";
pub const REGION: &str = "us-east-1";

/// `moto_server` and `aws`: from the virtual environment named by
/// `RESPONDER_DOCS_VENV` (as `.ci/run` makes it), else from `PATH`.
#[derive(Debug, Clone)]
pub struct Tools {
    pub moto_server: PathBuf,
    pub aws: PathBuf,
}

impl Tools {
    pub fn find() -> Result<Tools, String> {
        let dirs: Vec<PathBuf> = match std::env::var_os("RESPONDER_DOCS_VENV") {
            Some(venv) => vec![PathBuf::from(venv).join("bin")],
            None => std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).collect(),
        };
        let find = |name: &str| {
            dirs.iter()
                .map(|d| d.join(name))
                .find(|p| p.is_file())
                .ok_or_else(|| format!("`{name}` not found in {}", show(&dirs)))
        };
        Ok(Tools {
            moto_server: find("moto_server")?,
            aws: find("aws")?,
        })
    }
}

fn show(dirs: &[PathBuf]) -> String {
    match dirs {
        [one] => one.display().to_string(),
        _ => "PATH".into(),
    }
}

/// The requests of [`identities`], which moto serves without checking them:
/// with `INITIAL_NO_AUTH_ACTION_COUNT` set, moto counts the API requests it
/// serves, and from the next one on checks each request's signature and
/// the caller's IAM policies. [`identities`] makes exactly this many, one
/// request each (the CLI's retries off), counts them, and proves that the
/// next request is checked; any other request before them would shift the
/// count, so a run starts no other client before [`identities`] returns.
pub const SETUP_REQUESTS: usize = 7;

/// The IAM user the reader's session runs as, and the customer managed
/// policy attached to it (the deployer policy, as the guide has it).
pub const DEPLOYER: &str = "responderapi-deployer";
pub const DEPLOYER_POLICY: &str = "ResponderAPIDeployerPolicy";
/// The harness's own user, for its checks of the emulator's state: allowed
/// everything, so a check is never refused what the reader was allowed.
const INSPECTOR: &str = "responderapi-inspector";

/// A running `moto_server`, stopped when dropped.
pub struct Moto {
    child: Child,
    pub port: u16,
}

impl Moto {
    pub fn start(tools: &Tools, log: &Path) -> Result<Moto, String> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free loopback port: {e}"))?
            .port();
        let log = std::fs::File::create(log).map_err(|e| e.to_string())?;
        let child = Command::new(&tools.moto_server)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env("MOTO_ACCOUNT_ID", ACCOUNT)
            .env("INITIAL_NO_AUTH_ACTION_COUNT", SETUP_REQUESTS.to_string())
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", tools.moto_server.display()))?;
        let mut moto = Moto { child, port };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = moto.child.try_wait() {
                return Err(format!("moto_server exited ({status}) before listening"));
            }
            if Instant::now() > deadline {
                return Err("moto_server did not listen within 60 s".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(moto)
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The environment of every `aws` call of a run: the emulator's endpoint, no
/// configuration of the machine's user, and the emulator's root credentials,
/// which [`identities`] replaces.
pub fn aws_env(tools: &Tools, moto: &Moto, home: &Path) -> Vec<(String, String)> {
    let bin = tools.aws.parent().unwrap_or(Path::new("/usr/bin"));
    let path = format!("{}:/usr/local/bin:/usr/bin:/bin", bin.display());
    let home = home.display().to_string();
    [
        ("PATH", path),
        ("HOME", home.clone()),
        ("LANG", "C.UTF-8".into()),
        ("AWS_ENDPOINT_URL", moto.endpoint()),
        ("AWS_ACCESS_KEY_ID", "testing".into()),
        ("AWS_SECRET_ACCESS_KEY", "testing".into()),
        ("AWS_DEFAULT_REGION", REGION.into()),
        ("AWS_REGION", REGION.into()),
        ("AWS_CONFIG_FILE", format!("{home}/.aws-config")),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            format!("{home}/.aws-credentials"),
        ),
        ("AWS_PAGER", String::new()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// The environments of a run once moto checks every request: the reader's,
/// as the IAM user [`DEPLOYER`] holding only `deployer_policy`, and the
/// harness's, as a user allowed everything.
pub struct Identities {
    pub reader: Vec<(String, String)>,
    pub inspector: Vec<(String, String)>,
}

/// Creates the two users with the emulator's root credentials in `root`,
/// in the [`SETUP_REQUESTS`] requests that moto does not check.
pub fn identities(
    tools: &Tools,
    root: &[(String, String)],
    deployer_policy: &serde_json::Value,
) -> Result<Identities, String> {
    let setup = with(root, &[("AWS_MAX_ATTEMPTS", "1")]);
    let mut made = 0;
    let mut call = |args: &[&str]| {
        made += 1;
        aws_json(tools, &setup, args)
    };
    let key = |created: serde_json::Value| -> Result<[String; 2], String> {
        let field = |name: &str| {
            created["AccessKey"][name]
                .as_str()
                .map(String::from)
                .ok_or_else(|| format!("create-access-key gave no {name}: {created}"))
        };
        Ok([field("AccessKeyId")?, field("SecretAccessKey")?])
    };
    call(&["iam", "create-user", "--user-name", DEPLOYER])?;
    let document = deployer_policy.to_string();
    let created = call(&[
        "iam",
        "create-policy",
        "--policy-name",
        DEPLOYER_POLICY,
        "--policy-document",
        &document,
    ])?;
    let arn = created["Policy"]["Arn"]
        .as_str()
        .ok_or_else(|| format!("create-policy gave no ARN: {created}"))?
        .to_string();
    call(&[
        "iam",
        "attach-user-policy",
        "--user-name",
        DEPLOYER,
        "--policy-arn",
        &arn,
    ])?;
    let [reader_id, reader_secret] = key(call(&[
        "iam",
        "create-access-key",
        "--user-name",
        DEPLOYER,
    ])?)?;
    call(&["iam", "create-user", "--user-name", INSPECTOR])?;
    let everything = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
    })
    .to_string();
    call(&[
        "iam",
        "put-user-policy",
        "--user-name",
        INSPECTOR,
        "--policy-name",
        "Everything",
        "--policy-document",
        &everything,
    ])?;
    let [inspector_id, inspector_secret] = key(call(&[
        "iam",
        "create-access-key",
        "--user-name",
        INSPECTOR,
    ])?)?;
    if made != SETUP_REQUESTS {
        return Err(format!(
            "the set-up made {made} requests, not SETUP_REQUESTS ({SETUP_REQUESTS})"
        ));
    }
    let keys = |id: &str, secret: &str| {
        with(
            root,
            &[("AWS_ACCESS_KEY_ID", id), ("AWS_SECRET_ACCESS_KEY", secret)],
        )
    };
    let ids = Identities {
        reader: keys(&reader_id, &reader_secret),
        inspector: keys(&inspector_id, &inspector_secret),
    };
    // The deployer policy allows no `iam:ListUsers`: refused, it shows that
    // moto now checks requests and that the reader is the deployer.
    match aws_json(tools, &ids.reader, &["iam", "list-users"]) {
        Err(why) if why.contains("AccessDenied") && why.contains(DEPLOYER) => Ok(ids),
        Err(why) => Err(format!(
            "`iam list-users` as {DEPLOYER} should be refused with AccessDenied: {why}"
        )),
        Ok(_) => Err(format!(
            "moto answered `iam list-users` as {DEPLOYER}: it does not check requests after the first {SETUP_REQUESTS}"
        )),
    }
}

/// `env` with the variables of `set` replaced or added.
fn with(env: &[(String, String)], set: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = env
        .iter()
        .filter(|(k, _)| !set.iter().any(|(s, _)| s == k))
        .cloned()
        .collect();
    out.extend(set.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    out
}

/// How one block ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    Ok,
    /// A command failed: its exit status, its line within the block (where
    /// the command starts) and its text.
    Failed {
        status: i32,
        line: usize,
        command: String,
    },
    TimedOut,
    /// The shell went away without saying why.
    Lost,
}

#[derive(Debug, Clone)]
pub struct BlockRun {
    pub ended: Ended,
    pub stdout: String,
    pub stderr: String,
    pub seconds: f64,
}

/// One bash session in a working folder.
pub struct Session {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    run_dir: PathBuf,
    count: usize,
}

impl Session {
    pub fn start(work: &Path, env: &[(String, String)]) -> Result<Session, String> {
        let run_dir = work.join(".run");
        std::fs::create_dir_all(&run_dir).map_err(|e| e.to_string())?;
        std::fs::write(run_dir.join("prelude.sh"), include_str!("prelude.sh"))
            .map_err(|e| e.to_string())?;
        let mut child = Command::new("bash")
            .args(["--noprofile", "--norc"])
            .current_dir(work)
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .env("__RUN_DIR", &run_dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start bash: {e}"))?;
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut session = Session {
            child,
            stdin,
            lines,
            run_dir,
            count: 0,
        };
        session.send("source .run/prelude.sh\n")?;
        Ok(session)
    }

    fn send(&mut self, text: &str) -> Result<(), String> {
        self.stdin
            .write_all(text.as_bytes())
            .and_then(|()| self.stdin.flush())
            .map_err(|e| format!("the shell stopped reading: {e}"))
    }

    /// Runs one block's code in the session; `stand_in` turns the prelude's
    /// stand-ins on for it.
    pub fn run(&mut self, code: &str, stand_in: bool, timeout: Duration) -> BlockRun {
        self.count += 1;
        let n = self.count;
        let started = Instant::now();
        let run_dir = self.run_dir.clone();
        let file = |kind: &str| run_dir.join(format!("{kind}-{n}"));
        let _ = std::fs::write(file("block"), code);
        let standin = if stand_in {
            "__STANDIN=1"
        } else {
            "unset __STANDIN"
        };
        let command = format!(
            "{standin}; source .run/block-{n} >.run/out-{n} 2>.run/err-{n}; unset __STANDIN; echo __RUN_DONE__ {n}\n"
        );
        let sent = self.send(&command);
        let done = format!("__RUN_DONE__ {n}");
        let mut ended = if sent.is_err() {
            Ended::Lost
        } else {
            Ended::TimedOut
        };
        while sent.is_ok() {
            let left = timeout.saturating_sub(started.elapsed());
            match self.lines.recv_timeout(left) {
                Ok(line) if line == done => {
                    ended = Ended::Ok;
                    break;
                }
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => {
                    let _ = self.child.kill();
                    ended = Ended::TimedOut;
                    break;
                }
                Err(RecvTimeoutError::Disconnected) => {
                    ended = Ended::Lost;
                    break;
                }
            }
        }
        if ended == Ended::Lost
            && let Ok(fail) = std::fs::read_to_string(run_dir.join("fail"))
        {
            let mut parts = fail.splitn(3, '\n');
            let status = parts.next().and_then(|s| s.parse().ok()).unwrap_or(-1);
            let line = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
            let line = command_start(code, line);
            let command = match parts.next().unwrap_or("").trim_end() {
                // A stand-in wrapper failed: the reader's command is the block's.
                "" => command_text(code, line),
                bash => bash.to_string(),
            };
            ended = Ended::Failed {
                status,
                line,
                command,
            };
        }
        let read = |kind: &str| std::fs::read_to_string(file(kind)).unwrap_or_default();
        BlockRun {
            ended,
            stdout: read("out"),
            stderr: read("err"),
            seconds: started.elapsed().as_secs_f64(),
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// bash reports a command that continues over `\` lines at its last line;
/// the reader looks for its first.
pub fn command_start(code: &str, line: usize) -> usize {
    let lines: Vec<&str> = code.lines().collect();
    let mut at = line.clamp(1, lines.len().max(1));
    while at > 1 && lines[at - 2].trim_end().ends_with('\\') {
        at -= 1;
    }
    at
}

/// The command that starts at line `start` of `code`, its `\` lines joined
/// as bash shows a command.
pub fn command_text(code: &str, start: usize) -> String {
    let mut parts = Vec::new();
    for line in code.lines().skip(start.saturating_sub(1)) {
        let line = line.trim();
        match line.strip_suffix('\\') {
            Some(continued) => parts.push(continued.trim_end()),
            None => {
                parts.push(line);
                break;
            }
        }
    }
    parts.join(" ")
}

/// Runs `aws ARGS… --output json` with the session's environment and parses
/// the answer; for the harness's own checks of the emulator's state.
pub fn aws_json(
    tools: &Tools,
    env: &[(String, String)],
    args: &[&str],
) -> Result<serde_json::Value, String> {
    let out = Command::new(&tools.aws)
        .args(args)
        .args(["--output", "json"])
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .map_err(|e| format!("cannot run aws: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "aws {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    if text.trim().is_empty() {
        return Ok(serde_json::Value::Null);
    }
    serde_json::from_str(&text).map_err(|e| format!("aws {}: not JSON ({e})", args.join(" ")))
}
