//! The server's stdin and stdout, read and written by the runtime itself when they are pipes or
//! sockets (as editors start a language server), not through tokio's blocking thread pool.
//!
//! tokio's `stdin()` and `stdout()` hand every read and every write to a thread of the
//! blocking pool, because a standard stream may be a file or a terminal, which have no
//! readiness. A keystroke then wakes that thread twice (the `didChange` read, the diagnostics
//! written), on the path the editor waits on. A pipe (`pipe(2)`: Neovim's `jobstart`, Rust's
//! `Command`) and a Unix socket (`socketpair(2)`: libuv, so VS Code and Neovim's `vim.system`)
//! do have readiness: put into non-blocking mode, they are polled by the runtime's reactor and
//! read and written on the task that needs them.
//!
//! Anything else (a terminal, a file, a stdout that is also stderr, where non-blocking writes
//! could lose log lines) keeps tokio's streams. Both kinds behave the same to the server: bytes
//! in until the end of the input, bytes out until the client stops reading.

use std::fs::File;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::pin::Pin;
use tokio::io::{AsyncRead, AsyncWrite};

/// The server's input.
pub type Input = Pin<Box<dyn AsyncRead + Send>>;
/// The server's output.
pub type Output = Pin<Box<dyn AsyncWrite + Send>>;

/// What a standard stream is, as far as reading it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Pipe,
    Socket,
    /// A file, a terminal, a device: tokio's blocking streams.
    Other,
}

/// The kind of the file `fd` refers to, and its device and inode (to tell two descriptors of
/// one file apart from two files).
fn kind(fd: BorrowedFd<'_>) -> (Kind, Option<(u64, u64)>) {
    let Ok(meta) = fd
        .try_clone_to_owned()
        .map(File::from)
        .and_then(|f| f.metadata())
    else {
        return (Kind::Other, None);
    };
    let ft = meta.file_type();
    let kind = if ft.is_fifo() {
        Kind::Pipe
    } else if ft.is_socket() {
        Kind::Socket
    } else {
        Kind::Other
    };
    (kind, Some((meta.dev(), meta.ino())))
}

/// The server's stdin: polled by the reactor when it is a pipe or a socket.
pub fn input() -> Input {
    let stdin = io::stdin();
    let fd = stdin.as_fd();
    let polled: Option<Input> = match kind(fd).0 {
        Kind::Pipe => owned(fd)
            .and_then(|f| tokio::net::unix::pipe::Receiver::from_file(f.into()).ok())
            .map(|r| Box::pin(r) as Input),
        Kind::Socket => owned(fd).and_then(socket).map(|s| Box::pin(s) as Input),
        Kind::Other => None,
    };
    polled.unwrap_or_else(|| Box::pin(tokio::io::stdin()))
}

/// The server's stdout: written by the reactor when it is a pipe or a socket that stderr does
/// not share (see [`output_kind`]).
pub fn output() -> Output {
    let stdout = io::stdout();
    let fd = stdout.as_fd();
    let polled: Option<Output> = match output_kind(fd, io::stderr().as_fd()) {
        Kind::Pipe => owned(fd)
            .and_then(|f| tokio::net::unix::pipe::Sender::from_file(f.into()).ok())
            .map(|w| Box::pin(w) as Output),
        Kind::Socket => owned(fd).and_then(socket).map(|s| Box::pin(s) as Output),
        Kind::Other => None,
    };
    polled.unwrap_or_else(|| Box::pin(tokio::io::stdout()))
}

/// How the output `out` is written: as its kind, unless it is the file `err` (the log) is
/// written to too. The log writes blocking; on a file made non-blocking for the output, a log
/// line met by a full pipe would be lost.
fn output_kind(out: BorrowedFd<'_>, err: BorrowedFd<'_>) -> Kind {
    let (out_kind, file) = kind(out);
    if file.is_some() && kind(err).1 == file {
        Kind::Other
    } else {
        out_kind
    }
}

/// A descriptor of its own for a standard stream (a duplicate: the same open file).
fn owned(fd: BorrowedFd<'_>) -> Option<OwnedFd> {
    fd.try_clone_to_owned().ok()
}

/// A socket descriptor as a non-blocking stream of the runtime.
fn socket(fd: OwnedFd) -> Option<tokio::net::UnixStream> {
    let stream = std::os::unix::net::UnixStream::from(fd);
    stream.set_nonblocking(true).ok()?;
    tokio::net::UnixStream::from_std(stream).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    #[test]
    fn pipes_and_sockets_are_told_from_files() {
        let (r, w) = std::io::pipe().unwrap();
        assert_eq!(kind(r.as_fd()).0, Kind::Pipe);
        assert_eq!(kind(w.as_fd()).0, Kind::Pipe);
        let (a, _b) = std::os::unix::net::UnixStream::pair().unwrap();
        assert_eq!(kind(a.as_fd()).0, Kind::Socket);
        let file = tempfile::tempfile().unwrap();
        assert_eq!(kind(file.as_fd()).0, Kind::Other);
        // Two descriptors of one pipe are one file.
        let dup = r.try_clone().unwrap();
        assert_eq!(kind(r.as_fd()).1, kind(dup.as_fd()).1);
    }

    #[test]
    fn an_output_the_log_shares_stays_blocking() {
        let (_r, w) = std::io::pipe().unwrap();
        let (_r2, w2) = std::io::pipe().unwrap();
        assert_eq!(output_kind(w.as_fd(), w2.as_fd()), Kind::Pipe);
        let same = w.try_clone().unwrap();
        assert_eq!(output_kind(w.as_fd(), same.as_fd()), Kind::Other);
        let (a, b) = std::os::unix::net::UnixStream::pair().unwrap();
        assert_eq!(output_kind(a.as_fd(), b.as_fd()), Kind::Socket);
        assert_eq!(output_kind(a.as_fd(), a.as_fd()), Kind::Other);
    }

    #[tokio::test]
    async fn a_socket_stream_reads_and_writes_without_blocking_threads() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (ours, mut theirs) = std::os::unix::net::UnixStream::pair().unwrap();
        let mut stream = socket(OwnedFd::from(ours)).expect("a runtime stream");
        theirs.write_all(b"Content-Length: 2\r\n\r\n{}").unwrap();
        let mut got = [0u8; 23];
        stream.read_exact(&mut got).await.unwrap();
        assert_eq!(&got, b"Content-Length: 2\r\n\r\n{}");
        stream.write_all(b"back").await.unwrap();
        let mut back = [0u8; 4];
        theirs.read_exact(&mut back).unwrap();
        assert_eq!(&back, b"back");
    }
}
