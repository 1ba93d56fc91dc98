//! The wire: LSP's base protocol read from the client's bytes, one message at a time, checked
//! before tower-lsp sees it.
//!
//! tower-lsp stops reading for good at the first message it cannot decode, which ends the
//! server. So every message is framed and checked here first: a `Content-Length` header (any
//! case, other headers ignored, lines ended by `\r\n` or a bare `\n`), then exactly that many
//! bytes of UTF-8 holding one JSON-RPC request, notification or response, parsed with the very
//! types tower-lsp parses it with. A message that passes is handed on (repaired: a lone UTF-16
//! surrogate escape, which JSON parsers refuse, becomes `\ufffd`, one UTF-16 unit like the
//! surrogate, so the editor's positions stay right). One that does not is answered here:
//!
//! - `-32700` (parse error), id `null`: a missing or invalid `Content-Length`, a body that is
//!   not UTF-8 or not JSON, an empty body. After a bad header the reader skips to the next
//!   `Content-Length` in the stream (the body of the bad message cannot be told from garbage).
//! - `-32600` (invalid request): JSON that is not one JSON-RPC message (a batch array, a
//!   number, an id that is an object, `"jsonrpc": "1.0"`), with the message's id when it can
//!   be read, else `null`; a message over [`MAX_MESSAGE_BYTES`] (skipped unread).
//!
//! Only a stream that cannot be read on ends the server: one that ends inside a message
//! ([`StreamError`]). Sans-IO: [`Deframer`] takes bytes as they come and hands out
//! [`Frame`]s, so it is tested and fuzzed without a runtime; `lsp::serve` drives it.

use serde::Deserialize;
use serde_json::{Value, json};
use std::borrow::Cow;
use tower_lsp::jsonrpc::{Request, Response};

/// Messages longer than this are answered with an error and skipped without being kept.
pub const MAX_MESSAGE_BYTES: usize = 256 << 20;

/// A header block longer than this is no header: garbage, skipped to the next header.
const MAX_HEADER_BYTES: usize = 8 << 10;

/// The header the reader looks for, in lower case.
const CONTENT_LENGTH: &[u8] = b"content-length";

/// What tower-lsp decodes a message into (its own `Message` is private): a response, else a
/// request or notification.
#[derive(Deserialize)]
#[serde(untagged)]
#[allow(dead_code)] // only whether it parses matters
enum Incoming {
    Response(Response),
    Request(Request),
}

/// One message read from the stream.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    /// A message tower-lsp can decode: its JSON text, and what was repaired in it, if anything.
    Message {
        body: String,
        repaired: Option<String>,
    },
    /// A message answered here with an error.
    Rejected(Rejection),
}

/// The error answer to a message that cannot be handled.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// The message's id, or `null` when it could not be read.
    pub id: Value,
    /// `-32700` (parse error) or `-32600` (invalid request).
    pub code: i64,
    pub message: String,
}

impl Rejection {
    fn parse_error(message: impl Into<String>) -> Rejection {
        Rejection {
            id: Value::Null,
            code: -32700,
            message: message.into(),
        }
    }

    /// The JSON-RPC error response.
    pub fn response(&self) -> Value {
        json!({"jsonrpc": "2.0", "id": self.id, "error": {"code": self.code, "message": self.message}})
    }
}

/// Why the stream cannot be read on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StreamError {
    #[error("the input ended inside a message's headers")]
    EndInHeaders,
    #[error("the input ended inside a message ({got} of its {expected} bytes)")]
    EndInBody { got: usize, expected: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Reading a header block.
    Headers,
    /// Reading a body of this many bytes.
    Body(usize),
    /// Discarding this many more bytes of a message that is too large.
    Skip { left: usize, of: usize },
    /// Discarding bytes up to the next `Content-Length`.
    Resync,
}

/// Splits a byte stream into [`Frame`]s.
#[derive(Debug)]
pub struct Deframer {
    buf: Vec<u8>,
    /// Where unread bytes start in `buf`.
    pos: usize,
    phase: Phase,
}

impl Default for Deframer {
    fn default() -> Self {
        Deframer {
            buf: Vec::new(),
            pos: 0,
            phase: Phase::Headers,
        }
    }
}

impl Deframer {
    /// Adds bytes read from the stream.
    pub fn push(&mut self, bytes: &[u8]) {
        if let Phase::Skip { left, of } = self.phase {
            let skipped = left.min(bytes.len());
            let left = left - skipped;
            self.phase = if left == 0 {
                Phase::Headers
            } else {
                Phase::Skip { left, of }
            };
            self.buf.extend_from_slice(&bytes[skipped..]);
            return;
        }
        if self.pos > 0 && self.pos >= self.buf.len() / 2 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// The next complete frame, or `None` until more bytes are pushed.
    pub fn next_frame(&mut self) -> Option<Frame> {
        loop {
            match self.phase {
                Phase::Skip { .. } => return None,
                Phase::Resync => {
                    let rest = &self.buf[self.pos..];
                    match find_header(rest) {
                        Some(at) => {
                            self.pos += at;
                            self.phase = Phase::Headers;
                        }
                        None => {
                            // Keep what could be the start of a header cut in two.
                            let keep = rest.len().min(CONTENT_LENGTH.len() - 1);
                            self.pos = self.buf.len() - keep;
                            return None;
                        }
                    }
                }
                Phase::Headers => match self.headers() {
                    Headers::Incomplete => return None,
                    Headers::Length(len) if len > MAX_MESSAGE_BYTES => {
                        let have = (self.buf.len() - self.pos).min(len);
                        self.pos += have;
                        self.phase = if have == len {
                            Phase::Headers
                        } else {
                            Phase::Skip {
                                left: len - have,
                                of: len,
                            }
                        };
                        return Some(Frame::Rejected(Rejection {
                            id: Value::Null,
                            code: -32600,
                            message: format!(
                                "a message of {len} bytes is over the limit of {MAX_MESSAGE_BYTES} bytes; skipped"
                            ),
                        }));
                    }
                    Headers::Length(len) => self.phase = Phase::Body(len),
                    Headers::Bad(message) => {
                        self.phase = Phase::Resync;
                        return Some(Frame::Rejected(Rejection::parse_error(format!(
                            "{message}; skipped to the next Content-Length header"
                        ))));
                    }
                },
                Phase::Body(len) => {
                    if self.buf.len() - self.pos < len {
                        return None;
                    }
                    let frame = check(&self.buf[self.pos..self.pos + len]);
                    self.pos += len;
                    self.phase = Phase::Headers;
                    return Some(frame);
                }
            }
        }
    }

    /// At the end of the stream: whether it ended between messages.
    pub fn finish(&self) -> Result<(), StreamError> {
        let rest = &self.buf[self.pos..];
        match self.phase {
            Phase::Resync => Ok(()),
            Phase::Headers if rest.iter().all(u8::is_ascii_whitespace) => Ok(()),
            Phase::Headers => Err(StreamError::EndInHeaders),
            Phase::Body(expected) => Err(StreamError::EndInBody {
                got: rest.len(),
                expected,
            }),
            Phase::Skip { left, of } => Err(StreamError::EndInBody {
                got: of - left,
                expected: of,
            }),
        }
    }

    /// Reads one header block at `pos`. On success `pos` moves past it; on a bad block `pos`
    /// moves one byte past its start, so that the search for the next header begins there.
    fn headers(&mut self) -> Headers {
        // White space between messages is no header.
        while self.buf.get(self.pos).is_some_and(u8::is_ascii_whitespace) {
            self.pos += 1;
        }
        let start = self.pos;
        let mut at = start;
        let mut length: Option<Result<usize, String>> = None;
        loop {
            let Some(nl) = self.buf[at..].iter().position(|&b| b == b'\n') else {
                if self.buf.len() - start > MAX_HEADER_BYTES {
                    self.pos = start + 1;
                    return Headers::Bad("no message header (a header line over 8 KiB)".into());
                }
                return Headers::Incomplete;
            };
            let line = &self.buf[at..at + nl];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            at += nl + 1;
            if at - start > MAX_HEADER_BYTES {
                self.pos = start + 1;
                return Headers::Bad("no message header (headers over 8 KiB)".into());
            }
            if line.is_empty() {
                break;
            }
            let Some(colon) = line.iter().position(|&b| b == b':') else {
                continue; // not a header; judged by whether a Content-Length comes
            };
            if line[..colon]
                .trim_ascii()
                .eq_ignore_ascii_case(CONTENT_LENGTH)
            {
                let value = String::from_utf8_lossy(line[colon + 1..].trim_ascii());
                length = Some(
                    value
                        .parse::<usize>()
                        .map_err(|_| format!("invalid Content-Length `{value}`")),
                );
            }
        }
        match length {
            Some(Ok(len)) => {
                self.pos = at;
                Headers::Length(len)
            }
            Some(Err(message)) => {
                self.pos = start + 1;
                Headers::Bad(message)
            }
            None => {
                self.pos = start + 1;
                Headers::Bad("a message without a Content-Length header".into())
            }
        }
    }
}

enum Headers {
    Incomplete,
    Length(usize),
    Bad(String),
}

/// Where the next `Content-Length` (any case) starts in `bytes`.
fn find_header(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(CONTENT_LENGTH.len())
        .position(|w| w.eq_ignore_ascii_case(CONTENT_LENGTH))
}

/// Checks one message body.
fn check(body: &[u8]) -> Frame {
    let Ok(text) = std::str::from_utf8(body) else {
        return Frame::Rejected(Rejection::parse_error("the message is not UTF-8"));
    };
    if text.trim().is_empty() {
        return Frame::Rejected(Rejection::parse_error("an empty message"));
    }
    let (text, repaired) = repair_surrogates(text);
    match serde_json::from_str::<Incoming>(&text) {
        Ok(_) => Frame::Message {
            body: text.into_owned(),
            repaired: (repaired > 0).then(|| {
                format!("replaced {repaired} lone UTF-16 surrogate escape(s) with U+FFFD")
            }),
        },
        Err(e) => Frame::Rejected(reject(&text, e)),
    }
}

/// Why a body that tower-lsp would not decode is rejected.
fn reject(text: &str, error: serde_json::Error) -> Rejection {
    let value = match serde_json::from_str::<Value>(text) {
        Ok(value) => value,
        Err(e) => return Rejection::parse_error(format!("the message is not JSON: {e}")),
    };
    let (id, message) = match &value {
        Value::Array(_) => (
            Value::Null,
            "a batch (JSON array) of messages; LSP sends one message at a time".to_string(),
        ),
        Value::Object(fields) => {
            let id = match fields.get("id") {
                Some(id @ Value::String(_)) => id.clone(),
                Some(id @ Value::Number(n)) if n.is_i64() => id.clone(),
                _ => Value::Null,
            };
            (id, format!("not a JSON-RPC 2.0 message: {error}"))
        }
        _ => (
            Value::Null,
            "not a JSON-RPC message (not an object)".to_string(),
        ),
    };
    Rejection {
        id,
        code: -32600,
        message,
    }
}

/// `text` (JSON) with every lone UTF-16 surrogate escape (`\ud800` not followed by a low
/// surrogate, or a low one alone) replaced by `\ufffd`, and how many there were.
pub fn repair_surrogates(text: &str) -> (Cow<'_, str>, usize) {
    let b = text.as_bytes();
    let hex_at = |i: usize| -> Option<u32> {
        if b.get(i) != Some(&b'\\') || b.get(i + 1) != Some(&b'u') {
            return None;
        }
        u32::from_str_radix(text.get(i + 2..i + 6)?, 16).ok()
    };
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut count = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        let Some(unit) = hex_at(i) else {
            i += 2; // an escaped character, `\\` included
            continue;
        };
        let high = (0xD800..0xDC00).contains(&unit);
        let pair = high && hex_at(i + 6).is_some_and(|u| (0xDC00..0xE000).contains(&u));
        if pair {
            i += 12;
        } else if (0xD800..0xE000).contains(&unit) {
            let s = out.get_or_insert_with(|| String::with_capacity(text.len()));
            s.push_str(&text[copied..i]);
            s.push_str("\\ufffd");
            count += 1;
            i += 6;
            copied = i;
        } else {
            i += 6;
        }
    }
    match out {
        Some(mut s) => {
            s.push_str(&text[copied..]);
            (Cow::Owned(s), count)
        }
        None => (Cow::Borrowed(text), 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> (Vec<Frame>, Result<(), StreamError>) {
        let mut d = Deframer::default();
        let mut out = Vec::new();
        // Byte by byte: frames must not depend on how the stream is cut.
        for b in input {
            d.push(std::slice::from_ref(b));
            while let Some(f) = d.next_frame() {
                out.push(f);
            }
        }
        (out, d.finish())
    }

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    const EXIT: &str = r#"{"jsonrpc":"2.0","method":"exit"}"#;

    fn codes(frames: &[Frame]) -> Vec<i64> {
        frames
            .iter()
            .map(|f| match f {
                Frame::Message { .. } => 0,
                Frame::Rejected(r) => r.code,
            })
            .collect()
    }

    #[test]
    fn good_messages_pass_whole_however_the_stream_is_cut() {
        let input = format!("{}\r\n{}", framed(EXIT), framed(EXIT));
        let (out, end) = frames(input.as_bytes());
        assert_eq!(end, Ok(()));
        assert_eq!(
            out,
            vec![
                Frame::Message {
                    body: EXIT.into(),
                    repaired: None
                };
                2
            ]
        );
    }

    #[test]
    fn bad_headers_are_answered_and_the_next_message_is_found() {
        for bad in [
            "Content-Length: -1\r\n\r\n{}",
            "Content-Length: abc\r\n\r\n{\"a\": 1}",
            "Content-Type: text/plain\r\n\r\n{}",
            "{not a header}",
            "content-length: 99999999999999999999999\r\n\r\n",
        ] {
            let input = format!("{bad}{}", framed(EXIT));
            let (out, end) = frames(input.as_bytes());
            assert_eq!(codes(&out), [-32700, 0], "{bad:?}: {out:?}");
            assert_eq!(end, Ok(()), "{bad:?}");
        }
    }

    #[test]
    fn bodies_are_checked_as_tower_lsp_reads_them() {
        let duplicate_id = r#"{"jsonrpc":"2.0","id":1,"id":2,"method":"shutdown"}"#;
        for (body, code, id) in [
            ("{not json}", -32700, Value::Null),
            ("[1, 2]", -32600, Value::Null),
            ("\"text\"", -32600, Value::Null),
            (
                r#"{"jsonrpc":"2.0","id":{"a":1},"method":"x"}"#,
                -32600,
                Value::Null,
            ),
            (
                r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#,
                -32600,
                Value::Null,
            ),
            (
                r#"{"jsonrpc":"1.0","id":"k","method":"x"}"#,
                -32600,
                json!("k"),
            ),
            (duplicate_id, -32600, json!(2)),
        ] {
            let (out, _) = frames(framed(body).as_bytes());
            match &out[..] {
                [Frame::Rejected(r)] => {
                    assert_eq!((r.code, &r.id), (code, &id), "{body}: {r:?}");
                }
                other => panic!("{body}: {other:?}"),
            }
        }
    }

    #[test]
    fn lone_surrogates_are_repaired_and_pairs_kept() {
        assert_eq!(
            repair_surrogates(r#""a\ud800b\udc00c\ud83d\ude00\\ud800""#).0,
            r#""a\ufffdb\ufffdc\ud83d\ude00\\ud800""#
        );
        let body = r#"{"jsonrpc":"2.0","method":"x","params":"\uD800"}"#;
        let (out, _) = frames(framed(body).as_bytes());
        assert!(
            matches!(&out[..], [Frame::Message { body, repaired: Some(_) }] if body.contains("\\ufffd")),
            "{out:?}"
        );
    }

    #[test]
    fn the_end_of_the_stream_inside_a_message_is_an_error() {
        assert_eq!(
            frames(b"Content-Length: 10\r\n\r\n{\"a").1,
            Err(StreamError::EndInBody {
                got: 3,
                expected: 10
            })
        );
        assert_eq!(frames(b"Content-Len").1, Err(StreamError::EndInHeaders));
        assert_eq!(frames(b"\r\n").1, Ok(()));
    }

    #[test]
    fn an_oversized_message_is_skipped_without_being_kept() {
        let mut d = Deframer::default();
        d.push(format!("Content-Length: {}\r\n\r\n", MAX_MESSAGE_BYTES + 1).as_bytes());
        assert!(matches!(d.next_frame(), Some(Frame::Rejected(r)) if r.code == -32600));
        let chunk = vec![b' '; 1 << 20];
        let mut left = MAX_MESSAGE_BYTES + 1;
        while left > 0 {
            let n = left.min(chunk.len());
            d.push(&chunk[..n]);
            left -= n;
            assert!(d.buf.len() < 1 << 10, "skipped bytes are not kept");
        }
        d.push(framed(EXIT).as_bytes());
        let mut rest = Vec::new();
        while let Some(f) = d.next_frame() {
            rest.push(f);
        }
        assert_eq!(codes(&rest), [0]);
    }
}
