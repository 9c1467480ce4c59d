//! A running `limes serve` for the tests, and a small HTTP/1.1 client over
//! `std::net` that writes requests exactly as given (`..`, encoded slashes) and reads
//! the answer to its end.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The limes binary to start: `LIMES_BIN` when set (a given build, say a release
/// one, or a copy of this worktree's when several share one target folder and its
/// `debug/limes` may be another's), else the one cargo built for the tests.
pub fn bin() -> std::path::PathBuf {
    std::env::var_os("LIMES_BIN")
        .map(Into::into)
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_limes").into())
}

/// A running `limes serve` on a free port; stopped when dropped.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
    pub log: mpsc::Receiver<String>,
}

impl Server {
    /// Starts `limes serve --port 0` on the site at `root` and waits until it serves.
    pub fn start(root: &Path) -> Server {
        Self::start_with(root, &[])
    }

    /// The same with more arguments.
    pub fn start_with(root: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(bin())
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .args(args)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("start limes serve");
        let stderr = child.stderr.take().unwrap();
        let (tx, log) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        let addr = loop {
            let line = log
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("limes serve said where it listens");
            if let Some(rest) = line.split(" at http://").nth(1) {
                break rest.split('/').next().unwrap().parse().unwrap();
            }
        };
        Server { child, addr, log }
    }

    /// Waits for the terminal line of the next build.
    pub fn next_build(&self) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let line = self
                .log
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("a rebuild within 60 s");
            if line.starts_with("Built in ") || line.starts_with("error: the site does not build") {
                return line;
            }
        }
    }

    /// One raw HTTP/1.1 request: the status line's code, the headers (lower-case
    /// names) and the body.
    pub fn request(&self, method: &str, target: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
        raw(self.addr, method, target)
    }

    pub fn get(&self, target: &str) -> (u16, Vec<(String, String)>, String) {
        let (code, headers, body) = self.request("GET", target);
        (code, headers, String::from_utf8_lossy(&body).into_owned())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer: status code, headers (lower-case names) and body.
pub type Answer = (u16, Vec<(String, String)>, Vec<u8>);

/// [`try_raw`], panicking on any failure.
pub fn raw(addr: SocketAddr, method: &str, target: &str) -> Answer {
    try_raw(addr, method, target).unwrap_or_else(|e| panic!("{method} {target}: {e}"))
}

/// One request on a new connection (`Connection: close`), the answer read to its end;
/// an error for a connection refused or reset, a read that times out (30 s), an
/// incomplete head or a body shorter or longer than its `Content-Length`.
pub fn try_raw(addr: SocketAddr, method: &str, target: &str) -> Result<Answer, String> {
    let mut s = TcpStream::connect(addr).map_err(|e| format!("connect: {e}"))?;
    exchange(&mut s, method, target)
}

/// [`try_raw`] on a connection already open.
pub fn exchange(s: &mut TcpStream, method: &str, target: &str) -> Result<Answer, String> {
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let addr = s.peer_addr().map_err(|e| e.to_string())?;
    let request =
        format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    s.write_all(request.as_bytes())
        .map_err(|e| format!("write: {e}"))?;
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes)
        .map_err(|e| format!("read: {e}"))?;
    parse(&bytes, method == "HEAD")
}

/// An answer as read from the connection.
pub fn parse(bytes: &[u8], head: bool) -> Result<Answer, String> {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("no complete head in {} bytes", bytes.len()))?;
    let text = String::from_utf8_lossy(&bytes[..end]).into_owned();
    let mut lines = text.lines();
    let code = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("no status line in {text:?}"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let body = bytes[end + 4..].to_vec();
    if let Some(length) = header(&headers, "content-length")
        && !head
        && length.parse::<usize>().ok() != Some(body.len())
    {
        return Err(format!(
            "Content-Length {length}, body of {} bytes",
            body.len()
        ));
    }
    Ok((code, headers, body))
}

pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}
