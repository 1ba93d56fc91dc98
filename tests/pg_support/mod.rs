//! A throwaway PostgreSQL cluster for the database integration tests: `initdb` into a temporary
//! folder, `pg_ctl start` on a free port of 127.0.0.1 with trust authentication (and its unix
//! socket in the same folder, never the system's), `pg_ctl stop` when dropped. Nothing of the
//! machine's own clusters is touched.
//!
//! The binaries are found on PATH or under `/usr/lib/postgresql/<version>/bin` (Debian's
//! layout; `.ci/postgres` installs the package). Without them [`Cluster::start`] returns `None`
//! after saying why on stderr, so the test can skip, unless `VERBATIM_REQUIRE_POSTGRES` is set
//! (CI sets it), in which case it panics. PostgreSQL refuses to run as root: as root, every
//! server command runs as the `postgres` user (`runuser`), which owns the folder.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The cluster's superuser, trusted without a password.
pub const USER: &str = "verbatim";

pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    as_postgres: bool,
    pub port: u16,
}

/// The folder holding `initdb`, `pg_ctl` and `postgres`.
fn bin_dir() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("initdb"))
            .find(|p| p.is_file())
    });
    let initdb = on_path.or_else(|| {
        let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok())
            .map(|e| e.path().join("bin/initdb"))
            .filter(|p| p.is_file())
            .collect();
        found.sort_by_key(|p| {
            let version = p.components().nth(4);
            version.and_then(|v| v.as_os_str().to_str()?.parse::<u32>().ok())
        });
        found.pop()
    })?;
    // Debian links /usr/bin names to a wrapper; the real folder holds `postgres` too.
    let real = std::fs::canonicalize(&initdb).ok()?;
    let dir = real.parent()?.to_path_buf();
    dir.join("postgres").is_file().then_some(dir)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free local port")
        .port()
}

impl Cluster {
    /// Starts a new cluster, or returns `None` (after a SKIPPED line on stderr) when there are
    /// no PostgreSQL binaries and `VERBATIM_REQUIRE_POSTGRES` is not set.
    pub fn start() -> Option<Cluster> {
        let Some(bin) = bin_dir() else {
            let why = "no PostgreSQL server binaries (initdb) on PATH or in /usr/lib/postgresql \
                       (run .ci/postgres to install them)";
            if std::env::var_os("VERBATIM_REQUIRE_POSTGRES").is_some() {
                panic!("VERBATIM_REQUIRE_POSTGRES is set but there are {why}");
            }
            eprintln!("SKIPPED: database tests: {why}");
            return None;
        };
        let dir = tempfile::Builder::new()
            .prefix("verbatim-pg-")
            .tempdir()
            .expect("a temporary folder");
        let as_postgres = is_root();
        let mut cluster = Cluster {
            dir,
            bin,
            as_postgres,
            port: 0,
        };
        if as_postgres {
            cluster.run_plain(
                Command::new("chown")
                    .arg("postgres:")
                    .arg(cluster.dir.path()),
            );
        }
        let data = cluster.data();
        cluster.run(
            "initdb",
            &[
                "-D",
                path_str(&data),
                "-U",
                USER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
        );
        // A port taken between choosing and binding (another test's cluster) is retried.
        for attempt in 0..5 {
            cluster.port = free_port();
            let (out, log) = cluster.pg_start();
            if out.status.success() {
                return Some(cluster);
            }
            if attempt == 4 {
                panic!(
                    "pg_ctl start failed: {}\n{log}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
        unreachable!()
    }

    /// `pg_ctl start` on [`Cluster::port`]: its output, and the server's log.
    fn pg_start(&self) -> (Output, String) {
        let options = format!(
            "-c listen_addresses=127.0.0.1 -c port={} -c unix_socket_directories={} \
             -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            self.port,
            path_str(self.dir.path())
        );
        let log = self.dir.path().join("server.log");
        let data = self.data();
        let out = self.output(
            "pg_ctl",
            &[
                "-D",
                path_str(&data),
                "-o",
                &options,
                "-l",
                path_str(&log),
                "-w",
                "-t",
                "60",
                "start",
            ],
        );
        (out, std::fs::read_to_string(&log).unwrap_or_default())
    }

    /// Stops the server (its connections are cut); [`Cluster::restart`] starts it again.
    pub fn stop(&self) {
        let data = self.data();
        self.run(
            "pg_ctl",
            &["-D", path_str(&data), "-m", "fast", "-w", "stop"],
        );
    }

    /// Starts a stopped server again, on the same port and with the same data.
    pub fn restart(&self) {
        let (out, log) = self.pg_start();
        assert!(
            out.status.success(),
            "pg_ctl start failed: {}\n{log}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Turns TLS on with the certificate chain `cert` and key `key` (PEM) and refuses
    /// unencrypted TCP connections from then on (`hostnossl … reject` in `pg_hba.conf`);
    /// returns once a new connection is encrypted.
    pub fn enable_tls(&self, cert: &str, key: &str) {
        self.write_data_file("server.crt", cert);
        self.write_data_file("server.key", key);
        self.reconfigure(
            "hostssl all all 127.0.0.1/32 trust\n\
             hostnossl all all 127.0.0.1/32 reject\n",
            &[
                "ssl = on",
                "ssl_cert_file = 'server.crt'",
                "ssl_key_file = 'server.key'",
            ],
        );
        let encrypted = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while self.psql("postgres", encrypted) != "t" {
            assert!(std::time::Instant::now() < deadline, "TLS is on");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// Puts `text` in the data folder as `name`, readable by the server only.
    pub fn write_data_file(&self, name: &str, text: &str) {
        let file = self.data().join(name);
        std::fs::write(&file, text).unwrap();
        if self.as_postgres {
            self.run_plain(Command::new("chown").arg("postgres:").arg(&file));
        }
        self.run_plain(Command::new("chmod").arg("600").arg(&file));
    }

    /// Replaces `pg_hba.conf`'s TCP rules with `tcp_rules` (local connections stay trusted),
    /// sets each of `settings` (`name = value`) and reloads the configuration.
    pub fn reconfigure(&self, tcp_rules: &str, settings: &[&str]) {
        self.write_data_file("pg_hba.conf", &format!("local all all trust\n{tcp_rules}"));
        for setting in settings {
            self.psql_local(&format!("ALTER SYSTEM SET {setting}"));
        }
        self.psql_local("SELECT pg_reload_conf()");
    }

    /// The server's log so far (with `log_statement = 'all'` set for a database, every
    /// statement its sessions execute).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A new empty database on the cluster; its connection URL.
    pub fn database(&self, name: &str) -> String {
        self.psql("postgres", &format!("CREATE DATABASE \"{name}\""));
        self.url(name)
    }

    /// The URL of database `name` on this cluster.
    pub fn url(&self, name: &str) -> String {
        format!("postgresql://{USER}@127.0.0.1:{}/{name}", self.port)
    }

    /// psql's arguments to run `sql` in database `db` (unaligned, tuples only).
    fn psql_args(&self, db: &str, sql: &str) -> Vec<String> {
        let port = self.port.to_string();
        [
            "-h",
            "127.0.0.1",
            "-p",
            &port,
            "-U",
            USER,
            "-d",
            db,
            "-v",
            "ON_ERROR_STOP=1",
            "-Atqc",
            sql,
        ]
        .map(str::to_string)
        .to_vec()
    }

    /// Runs `sql` in database `db` through psql; its output (unaligned, tuples only).
    pub fn psql(&self, db: &str, sql: &str) -> String {
        self.run_psql(self.psql_args(db, sql))
    }

    /// Runs psql with `args` (the SQL last), which must succeed; its output.
    fn run_psql(&self, args: Vec<String>) -> String {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = self.output("psql", &args);
        assert!(
            out.status.success(),
            "psql {}: {}",
            args.last().unwrap_or(&""),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Runs `sql` in the database `postgres` through psql over the cluster's unix socket
    /// (trusted whatever the TCP rules say); its output.
    pub fn psql_local(&self, sql: &str) -> String {
        let mut args = self.psql_args("postgres", sql);
        args[1] = path_str(self.dir.path()).to_string();
        self.run_psql(args)
    }

    /// Starts `sql` in database `db` through psql in the background (a session that holds a
    /// lock, say); the caller waits for the child.
    pub fn psql_background(&self, db: &str, sql: &str) -> std::process::Child {
        self.command("psql")
            .args(self.psql_args(db, sql))
            .current_dir(self.dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("psql starts")
    }

    fn command(&self, program: &str) -> Command {
        let program = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        }
    }

    fn output(&self, program: &str, args: &[&str]) -> Output {
        self.command(program)
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {program}: {e}"))
    }

    fn run(&self, program: &str, args: &[&str]) {
        let out = self.output(program, args);
        assert!(
            out.status.success(),
            "{program} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn run_plain(&self, command: &mut Command) {
        let status = command.status().expect("a command runs");
        assert!(status.success(), "{command:?} failed");
    }
}

/// A certificate authority made here, for the TLS tests (rcgen).
pub struct TestCa {
    /// Its certificate (PEM).
    pub pem: String,
    issuer: rcgen::Issuer<'static, rcgen::KeyPair>,
}

impl TestCa {
    pub fn new(name: &str) -> TestCa {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, name);
        let pem = params.self_signed(&key).unwrap().pem();
        TestCa {
            pem,
            issuer: rcgen::Issuer::new(params, key),
        }
    }

    /// A certificate it signed for the address 127.0.0.1 only (not the name `localhost`) and
    /// the common name `cn`, and its key (PEM).
    pub fn sign(&self, cn: &str) -> (String, String) {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()]).unwrap();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, cn);
        (
            params.signed_by(&key, &self.issuer).unwrap().pem(),
            key.serialize_pem(),
        )
    }
}

/// A certificate authority named `name` and a server certificate it signed for the address
/// 127.0.0.1 only (not the name `localhost`), made here: the CA's PEM, the server's certificate
/// and key.
pub fn test_certificates(name: &str) -> (String, String, String) {
    let ca = TestCa::new(name);
    let (cert, key) = ca.sign("127.0.0.1");
    (ca.pem, cert, key)
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data();
        let _ = self
            .command("pg_ctl")
            .args(["-D", path_str(&data), "-m", "immediate", "-w", "stop"])
            .current_dir(self.dir.path())
            .output();
    }
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 temporary path")
}
