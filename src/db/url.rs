//! Connection strings without their secrets: every message that names a database goes through
//! [`redact`], so a password never reaches a terminal, a CI log or an editor's log.

/// `url` with its password replaced by `***`: the `user:password@` of a URL
/// (`postgresql://ed:secret@db/news` → `postgresql://ed:***@db/news`), and the `password=…`
/// of a key–value string or a URL's query.
pub fn redact(url: &str) -> String {
    let mut out = redact_userinfo(url);
    for key in ["password=", "PASSWORD="] {
        let mut from = 0;
        while let Some(at) = out[from..].find(key) {
            let start = from + at + key.len();
            let boundary = start == key.len() || {
                let before = out.as_bytes()[start - key.len() - 1];
                matches!(before, b' ' | b'?' | b'&')
            };
            let len = value_len(&out[start..]);
            if boundary && len > 0 {
                out.replace_range(start..start + len, "***");
                from = start + 3;
            } else {
                from = start;
            }
        }
    }
    out
}

/// The length of a key–value or query value at the start of `s` (quoted or not).
fn value_len(s: &str) -> usize {
    if let Some(rest) = s.strip_prefix('\'') {
        let mut escaped = false;
        for (i, c) in rest.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '\'' if !escaped => return i + 2,
                _ => escaped = false,
            }
        }
        s.len()
    } else {
        s.find([' ', '&', '#']).unwrap_or(s.len())
    }
}

fn redact_userinfo(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return url.to_string();
    };
    let Some(colon) = authority[..at].find(':') else {
        return url.to_string();
    };
    format!(
        "{}{}:***{}",
        &url[..scheme_end + 3],
        &authority[..colon],
        &rest[at..]
    )
}

/// The scheme of the names of versions known only from the index ([`index_uri`]).
pub const INDEX_SCHEME: &str = "verbatim-index";

/// The name of the version stored at `path` in the database `url` names, for a version that no
/// file on this machine holds: `verbatim-index://host:port/dbname/path` (the path as stored,
/// percent-encoded; an absolute one keeps its leading `/`, hence `dbname//srv/…`). Built from
/// the server's address and the database's name only: never a user or a password.
pub fn index_uri(url: &str, path: &str) -> String {
    let config: Option<tokio_postgres::Config> = url.parse().ok();
    let host = config
        .as_ref()
        .and_then(|c| c.get_hosts().first())
        .map_or_else(
            || "localhost".to_string(),
            |host| match host {
                tokio_postgres::config::Host::Tcp(name) if name.contains(':') => {
                    format!("[{name}]")
                }
                tokio_postgres::config::Host::Tcp(name) => name.clone(),
                // A unix socket: the server on this machine.
                #[cfg(unix)]
                tokio_postgres::config::Host::Unix(_) => "localhost".to_string(),
            },
        );
    let port = config
        .as_ref()
        .and_then(|c| c.get_ports().first().copied())
        .unwrap_or(5432);
    // libpq's default database is the user's name.
    let dbname = config
        .as_ref()
        .and_then(|c| c.get_dbname().or(c.get_user()))
        .unwrap_or("");
    format!(
        "{INDEX_SCHEME}://{}:{port}/{}/{}",
        encode(&host, ":[]"),
        encode(dbname, ""),
        encode(path, "/")
    )
}

/// `s` percent-encoded for a URI's path, but for the characters of `keep`.
fn encode(s: &str, keep: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=@".contains(c) || keep.contains(c) {
            out.push(c);
        } else {
            let mut bytes = [0; 4];
            for b in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{index_uri, redact};

    #[test]
    fn an_index_uri_names_the_server_and_database_never_the_user_or_password() {
        assert_eq!(
            index_uri(
                "postgresql://ed:hunter2@db.example:5433/news",
                "story/wire.md"
            ),
            "verbatim-index://db.example:5433/news/story/wire.md"
        );
        assert_eq!(
            index_uri("host=db user=ed password=hunter2", "/srv/news/a b#1.md"),
            "verbatim-index://db:5432/ed//srv/news/a%20b%231.md"
        );
        assert_eq!(
            index_uri("postgresql://[::1]/news", "été.md"),
            "verbatim-index://[::1]:5432/news/%C3%A9t%C3%A9.md"
        );
        assert_eq!(
            index_uri("host=/run/postgresql dbname=news", "a.md"),
            "verbatim-index://localhost:5432/news/a.md"
        );
    }

    #[test]
    fn passwords_never_survive() {
        assert_eq!(
            redact("postgresql://ed:s3cr%40t@db.example:5432/news"),
            "postgresql://ed:***@db.example:5432/news"
        );
        assert_eq!(
            redact("postgres://ed@db/news?password=hunter2&sslmode=require"),
            "postgres://ed@db/news?password=***&sslmode=require"
        );
        assert_eq!(
            redact("host=db user=ed password='a b\\'c' dbname=news"),
            "host=db user=ed password=*** dbname=news"
        );
        assert_eq!(redact("password=x"), "password=***");
        // Nothing to hide: unchanged.
        assert_eq!(
            redact("postgresql://ed@127.0.0.1:5433/news"),
            "postgresql://ed@127.0.0.1:5433/news"
        );
        assert_eq!(
            redact("host=/run/pg dbname=news"),
            "host=/run/pg dbname=news"
        );
    }
}
