//! TLS for the index's connections, as libpq's `sslmode` and `sslrootcert` say (through
//! rustls: no system TLS library is needed to build or run). tokio-postgres reads neither
//! `verify-ca`/`verify-full` nor `sslrootcert`, so [`split`] takes both out of the connection
//! string (a URL's query or a key–value string) and [`Tls::connector`] builds what they ask:
//!
//! - `disable`: no TLS;
//! - `prefer` (the default, as for libpq): TLS when the server offers it, without checking its
//!   certificate, else an unencrypted connection;
//! - `require`: TLS or no connection, the certificate unchecked, unless a root certificate is
//!   given (`sslrootcert`), which makes it `verify-ca` (as libpq does);
//! - `verify-ca`: TLS, the server's certificate signed by a root of `sslrootcert`;
//! - `verify-full`: that, and the certificate names the host connected to.
//!
//! The roots are the PEM file `sslrootcert` names, else `~/.postgresql/root.crt` (libpq's
//! default place); `sslrootcert=system` takes the system's trusted roots (and, as in libpq,
//! implies `verify-full`). A verifying mode with no root certificate is an error before any
//! connection is tried.
//!
//! A client certificate (for a server that authenticates by certificate, `cert` in
//! `pg_hba.conf`, or asks for one with `clientcert=verify-ca|verify-full`) is the PEM chain
//! `sslcert` names and its unencrypted key `sslkey` (PKCS#8, PKCS#1 or SEC1), else libpq's
//! `~/.postgresql/postgresql.crt` and `postgresql.key` when that certificate exists. A
//! certificate named but unreadable, or without a key, is an error before any connection.
//!
//! `prefer` that fails over TLS (a handshake the server cannot complete, or the server refusing
//! the encrypted session) tries once more without TLS, as libpq does: see `Database::open`.

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore};
use std::path::PathBuf;
use std::sync::Arc;
use tokio_postgres::config::SslMode;

/// libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    Disable,
    #[default]
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl Mode {
    fn parse(value: &str) -> Result<Mode, String> {
        Ok(match value {
            "disable" => Mode::Disable,
            "allow" | "prefer" => Mode::Prefer,
            "require" => Mode::Require,
            "verify-ca" => Mode::VerifyCa,
            "verify-full" => Mode::VerifyFull,
            other => {
                return Err(format!(
                    "sslmode={other}: expected disable, prefer, require, verify-ca or verify-full"
                ));
            }
        })
    }

    /// What tokio-postgres is told: whether TLS is tried, and whether it is required.
    pub fn driver(self) -> SslMode {
        match self {
            Mode::Disable => SslMode::Disable,
            Mode::Prefer => SslMode::Prefer,
            Mode::Require | Mode::VerifyCa | Mode::VerifyFull => SslMode::Require,
        }
    }
}

/// The TLS settings of a connection string.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tls {
    pub mode: Mode,
    /// `sslrootcert`, as given.
    pub rootcert: Option<String>,
    /// `sslcert`, as given: the client's certificate chain (PEM).
    pub cert: Option<String>,
    /// `sslkey`, as given: the client certificate's private key (PEM).
    pub key: Option<String>,
}

/// The keys of a connection string that [`split`] takes out.
const KEYS: [&str; 4] = ["sslmode", "sslrootcert", "sslcert", "sslkey"];

/// `url` without its `sslmode`, `sslrootcert`, `sslcert` and `sslkey` (for tokio-postgres),
/// and what they said.
pub fn split(url: &str) -> Result<(String, Tls), String> {
    let (rest, pairs) = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        split_query(url)
    } else {
        split_key_values(url)
    };
    let mut tls = Tls::default();
    let mut mode = None;
    for (key, value) in pairs {
        match key.as_str() {
            "sslmode" => mode = Some(Mode::parse(&value)?),
            "sslcert" => tls.cert = Some(value),
            "sslkey" => tls.key = Some(value),
            _ => tls.rootcert = Some(value),
        }
    }
    tls.mode = match (mode, tls.rootcert.as_deref()) {
        // libpq: `sslrootcert=system` implies verify-full, and refuses a weaker mode.
        (Some(m), Some("system")) if m != Mode::VerifyFull => {
            return Err(format!(
                "sslrootcert=system needs sslmode=verify-full (or no sslmode), not {}",
                name(m)
            ));
        }
        (_, Some("system")) => Mode::VerifyFull,
        // libpq: with a root certificate given, require checks the chain as verify-ca does.
        (Some(Mode::Require), Some(_)) => Mode::VerifyCa,
        (Some(m), _) => m,
        (None, _) => Mode::Prefer,
    };
    Ok((rest, tls))
}

fn name(mode: Mode) -> &'static str {
    match mode {
        Mode::Disable => "disable",
        Mode::Prefer => "prefer",
        Mode::Require => "require",
        Mode::VerifyCa => "verify-ca",
        Mode::VerifyFull => "verify-full",
    }
}

/// Whether a key is one [`split`] takes out.
fn ours(key: &str) -> bool {
    KEYS.contains(&key)
}

/// A URL's query parameters [`ours`] taken out (decoded) and the URL without them.
fn split_query(url: &str) -> (String, Vec<(String, String)>) {
    let Some(q) = url.find('?') else {
        return (url.to_string(), Vec::new());
    };
    let (query, fragment) = match url[q + 1..].find('#') {
        Some(h) => (&url[q + 1..q + 1 + h], &url[q + 1 + h..]),
        None => (&url[q + 1..], ""),
    };
    let mut kept = Vec::new();
    let mut taken = Vec::new();
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        let key = percent_decode(key);
        if ours(&key) {
            taken.push((key, percent_decode(value)));
        } else {
            kept.push(part);
        }
    }
    let mut rest = url[..q].to_string();
    if !kept.is_empty() {
        rest.push('?');
        rest.push_str(&kept.join("&"));
    }
    rest.push_str(fragment);
    (rest, taken)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A key–value string's pairs [`ours`] taken out (unquoted) and the string without them.
/// Values may be quoted (`'…'`) with `\` escapes, as libpq reads them.
fn split_key_values(s: &str) -> (String, Vec<(String, String)>) {
    let mut kept: Vec<&str> = Vec::new();
    let mut taken = Vec::new();
    let mut chars = s.char_indices().peekable();
    loop {
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        let Some(&(start, _)) = chars.peek() else {
            break;
        };
        let mut key = String::new();
        while let Some((_, c)) = chars.next_if(|(_, c)| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        if chars.next_if(|(_, c)| *c == '=').is_none() {
            // Malformed: left as it is, for tokio-postgres to say so.
            kept.push(&s[start..]);
            break;
        }
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        let quoted = chars.next_if(|(_, c)| *c == '\'').is_some();
        while let Some((_, c)) = chars.next() {
            match c {
                '\\' => value.extend(chars.next().map(|(_, c)| c)),
                '\'' if quoted => break,
                c if c.is_whitespace() && !quoted => break,
                c => value.push(c),
            }
        }
        let end = chars.peek().map_or(s.len(), |&(i, _)| i);
        if ours(&key) {
            taken.push((key, value));
        } else {
            kept.push(s[start..end].trim_end());
        }
    }
    (kept.join(" "), taken)
}

impl Tls {
    /// The rustls configuration of a connection in this mode (`None` for `disable`): the
    /// roots read, the verifier that the mode asks for. Fails when a verifying mode has no
    /// root certificate, or the file cannot be read.
    pub fn connector(&self) -> Result<Option<ClientConfig>, String> {
        // *ring*: it builds with a C compiler alone, where aws-lc-rs (rustls's default, with
        // post-quantum key exchange) wants more of the build machine and minutes more of CI's;
        // rustls 0.23.48 deprecates this constructor for lacking post-quantum groups only.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let chain = match self.mode {
            Mode::Disable => return Ok(None),
            Mode::Prefer | Mode::Require => None,
            Mode::VerifyCa | Mode::VerifyFull => Some(
                WebPkiServerVerifier::builder_with_provider(
                    Arc::new(self.roots()?),
                    provider.clone(),
                )
                .build()
                .map_err(|e| format!("the root certificates: {e}"))?,
            ),
        };
        let verifier = Arc::new(Verifier {
            chain,
            check_name: self.mode == Mode::VerifyFull,
            algorithms: provider.signature_verification_algorithms,
        });
        let builder = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .dangerous()
            .with_custom_certificate_verifier(verifier);
        let config = match self.client_identity()? {
            None => builder.with_no_client_auth(),
            Some((chain, key, shown)) => builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| format!("the client certificate sslcert={shown}: {e}"))?,
        };
        Ok(Some(config))
    }

    /// The client certificate chain and key to present, and the certificate's file as shown
    /// in messages: `sslcert` and `sslkey`, else libpq's files under `~/.postgresql/` when
    /// the certificate is there; none when neither is.
    #[allow(clippy::type_complexity)]
    fn client_identity(
        &self,
    ) -> Result<Option<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>, String)>, String>
    {
        let home = || std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".postgresql"));
        let cert = match &self.cert {
            Some(file) => PathBuf::from(file),
            None => match home().map(|dir| dir.join("postgresql.crt")) {
                Some(file) if file.is_file() => file,
                _ => return Ok(None),
            },
        };
        let key = match &self.key {
            Some(file) => PathBuf::from(file),
            None => match home() {
                Some(dir) => dir.join("postgresql.key"),
                None => PathBuf::from("postgresql.key"),
            },
        };
        let shown = cert.display().to_string();
        let chain = CertificateDer::pem_file_iter(&cert)
            .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
            .map_err(|e| format!("cannot read the client certificate sslcert={shown}: {e}"))?;
        if chain.is_empty() {
            return Err(format!(
                "no certificate in the client certificate file sslcert={shown}"
            ));
        }
        let key_shown = key.display();
        if !key.is_file() {
            return Err(format!(
                "the client certificate sslcert={shown} has no key: no file sslkey={key_shown} \
                 (set sslkey=/path/to/key.pem)"
            ));
        }
        let key = PrivateKeyDer::from_pem_file(&key).map_err(|e| {
            format!(
                "cannot read the client key sslkey={key_shown}: {e} (an unencrypted PEM key is \
                 needed: PKCS#8, PKCS#1 or SEC1; a key protected by sslpassword is not read)"
            )
        })?;
        Ok(Some((chain, key, shown)))
    }

    /// The trusted roots of a verifying mode.
    fn roots(&self) -> Result<RootCertStore, String> {
        let mut roots = RootCertStore::empty();
        if self.rootcert.as_deref() == Some("system") {
            let found = rustls_native_certs::load_native_certs();
            let (added, _) = roots.add_parsable_certificates(found.certs);
            if added == 0 {
                return Err(
                    "sslrootcert=system: no trusted root certificates found on this \
                            system"
                        .into(),
                );
            }
            return Ok(roots);
        }
        let file = match &self.rootcert {
            Some(file) => PathBuf::from(file),
            None => match std::env::var_os("HOME").map(PathBuf::from) {
                Some(home) if home.join(".postgresql/root.crt").is_file() => {
                    home.join(".postgresql/root.crt")
                }
                _ => {
                    return Err(format!(
                        "sslmode={} checks the server's certificate against a root \
                         certificate, and none is given: set sslrootcert=/path/to/ca.pem (or \
                         sslrootcert=system for this system's trusted roots), or put it in \
                         ~/.postgresql/root.crt",
                        name(self.mode)
                    ));
                }
            },
        };
        let shown = file.display();
        let certs = CertificateDer::pem_file_iter(&file)
            .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
            .map_err(|e| format!("cannot read the root certificate sslrootcert={shown}: {e}"))?;
        let (added, _) = roots.add_parsable_certificates(certs);
        if added == 0 {
            return Err(format!(
                "no certificate in the root certificate file sslrootcert={shown}"
            ));
        }
        Ok(roots)
    }
}

/// The check of the server's certificate: none (`prefer`, `require`: as libpq), the chain to a
/// trusted root (`verify-ca`: validity, signatures, usage), or the chain and the name
/// (`verify-full`). The handshake's signatures are checked in every mode.
#[derive(Debug)]
struct Verifier {
    chain: Option<Arc<WebPkiServerVerifier>>,
    check_name: bool,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        // WebPKI checks the chain before the name: a name mismatch is all it found then.
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.check_name => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tls(mode: Mode, rootcert: Option<&str>) -> Tls {
        Tls {
            mode,
            rootcert: rootcert.map(str::to_string),
            ..Tls::default()
        }
    }

    #[test]
    fn sslmode_and_sslrootcert_are_taken_out_of_a_url() {
        assert_eq!(
            split("postgresql://ed:pw@db/news?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem")
                .unwrap(),
            (
                "postgresql://ed:pw@db/news".to_string(),
                tls(Mode::VerifyFull, Some("/etc/ca.pem"))
            )
        );
        assert_eq!(
            split("postgres://db/news?connect_timeout=3&sslmode=require&application_name=v")
                .unwrap(),
            (
                "postgres://db/news?connect_timeout=3&application_name=v".to_string(),
                tls(Mode::Require, None)
            )
        );
        assert_eq!(
            split("postgresql://db/news").unwrap(),
            ("postgresql://db/news".to_string(), tls(Mode::Prefer, None))
        );
    }

    #[test]
    fn sslmode_and_sslrootcert_are_taken_out_of_key_values() {
        assert_eq!(
            split("host=db sslmode = verify-ca  sslrootcert='/a b/c\\'s.pem' dbname=news").unwrap(),
            (
                "host=db dbname=news".to_string(),
                tls(Mode::VerifyCa, Some("/a b/c's.pem"))
            )
        );
        assert_eq!(
            split("host=db sslmode=disable").unwrap(),
            ("host=db".to_string(), tls(Mode::Disable, None))
        );
    }

    #[test]
    fn a_client_certificate_and_its_key_are_taken_out() {
        let (rest, got) = split(
            "postgres://ed@db/news?sslcert=%2Fhome%2Fed%2Fed.crt&sslkey=ed.key&sslmode=require",
        )
        .unwrap();
        assert_eq!(rest, "postgres://ed@db/news");
        assert_eq!(got.cert.as_deref(), Some("/home/ed/ed.crt"));
        assert_eq!(got.key.as_deref(), Some("ed.key"));
        let (rest, got) = split("host=db sslcert='/a b/ed.crt' sslkey=/k/ed.key user=ed").unwrap();
        assert_eq!(rest, "host=db user=ed");
        assert_eq!(
            (got.cert.as_deref(), got.key.as_deref()),
            (Some("/a b/ed.crt"), Some("/k/ed.key"))
        );
    }

    #[test]
    fn a_client_certificate_that_cannot_be_used_is_an_error_before_connecting() {
        let dir = tempfile::tempdir().unwrap();
        let with = |cert: &str, key: &str| Tls {
            mode: Mode::Require,
            cert: Some(dir.path().join(cert).display().to_string()),
            key: Some(dir.path().join(key).display().to_string()),
            ..Tls::default()
        };
        let err = with("missing.crt", "missing.key").connector().unwrap_err();
        assert!(
            err.contains("cannot read the client certificate sslcert="),
            "{err}"
        );
        let pair = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["ed".to_string()])
            .unwrap()
            .self_signed(&pair)
            .unwrap();
        std::fs::write(dir.path().join("ed.crt"), cert.pem()).unwrap();
        let err = with("ed.crt", "missing.key").connector().unwrap_err();
        assert!(err.contains("has no key: no file sslkey="), "{err}");
        std::fs::write(
            dir.path().join("locked.key"),
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n",
        )
        .unwrap();
        let err = with("ed.crt", "locked.key").connector().unwrap_err();
        assert!(err.contains("cannot read the client key sslkey="), "{err}");
        assert!(err.contains("sslpassword is not read"), "{err}");
        std::fs::write(dir.path().join("ed.key"), pair.serialize_pem()).unwrap();
        assert!(with("ed.crt", "ed.key").connector().unwrap().is_some());
    }

    #[test]
    fn modes_follow_libpq() {
        // A root certificate makes require check the chain.
        assert_eq!(
            split("host=db sslmode=require sslrootcert=ca.pem")
                .unwrap()
                .1,
            tls(Mode::VerifyCa, Some("ca.pem"))
        );
        assert_eq!(
            split("host=db sslrootcert=system").unwrap().1.mode,
            Mode::VerifyFull
        );
        let err = split("host=db sslmode=require sslrootcert=system").unwrap_err();
        assert!(err.contains("verify-full"), "{err}");
        let err = split("host=db sslmode=verify_full").unwrap_err();
        assert!(err.contains("sslmode=verify_full: expected"), "{err}");
        assert_eq!(Mode::VerifyCa.driver(), SslMode::Require);
        assert_eq!(Mode::Prefer.driver(), SslMode::Prefer);
    }

    #[test]
    fn a_verifying_mode_needs_a_root_certificate_it_can_read() {
        let err = tls(Mode::VerifyFull, Some("/nonexistent/ca.pem"))
            .connector()
            .unwrap_err();
        assert!(
            err.contains("cannot read the root certificate sslrootcert=/nonexistent/ca.pem"),
            "{err}"
        );
        assert!(tls(Mode::Disable, None).connector().unwrap().is_none());
        assert!(tls(Mode::Require, None).connector().unwrap().is_some());
    }
}
