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

#[cfg(test)]
mod tests {
    use super::redact;

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
