//! `limes serve`: a small HTTP server for the output folder, bound to 127.0.0.1 by
//! default, that never serves anything outside that folder. Watching and live
//! reload come later; this serves what the last build wrote.

use std::io;
use std::path::{Path, PathBuf};

use tiny_http::{Header, Response, Server, StatusCode};

/// Maps a request path to a file under `root`, or `None` if it would leave it.
/// `/x/` and `/x` (a folder) serve `/x/index.html`.
pub fn resolve_path(root: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_decode(path)?;
    let mut out = root.to_path_buf();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p if p.contains('\\') || p.contains('\0') => return None,
            p => out.push(p),
        }
    }
    if out.is_dir() {
        out.push("index.html");
    }
    // The file must really be inside the root, links included.
    let canonical = out.canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    canonical.starts_with(&root).then_some(canonical)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

/// Serves `root` on `bind:port` until the process ends. `ready` is called once the
/// socket listens, with the address.
pub fn serve(root: &Path, bind: &str, port: u16, ready: impl FnOnce(&str)) -> io::Result<()> {
    let addr = format!("{bind}:{port}");
    let server = Server::http(&addr)
        .map_err(|e| io::Error::other(format!("cannot listen on {addr}: {e}")))?;
    ready(&addr);
    for request in server.incoming_requests() {
        let method = request.method().as_str().to_string();
        if method != "GET" && method != "HEAD" {
            let _ = request.respond(
                Response::from_string("method not allowed").with_status_code(StatusCode(405)),
            );
            continue;
        }
        let found = resolve_path(root, request.url()).filter(|p| p.is_file());
        let (status, file) = match found {
            Some(p) => (200, Some(p)),
            None => (
                404,
                root.join("404.html")
                    .is_file()
                    .then(|| root.join("404.html")),
            ),
        };
        let response = match file.and_then(|p| std::fs::File::open(&p).ok().map(|f| (p, f))) {
            Some((p, f)) => {
                let len = f.metadata().map(|m| m.len() as usize).ok();
                Response::new(
                    StatusCode(status),
                    vec![
                        header("Content-Type", content_type(&p)),
                        header("Cache-Control", "no-cache"),
                    ],
                    Box::new(f) as Box<dyn io::Read + Send>,
                    len,
                    None,
                )
            }
            None => Response::new(
                StatusCode(404),
                vec![header("Content-Type", "text/plain; charset=utf-8")],
                Box::new(io::Cursor::new(b"not found".to_vec())) as Box<dyn io::Read + Send>,
                Some(9),
                None,
            ),
        };
        let _ = request.respond(response);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_leaves_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("public");
        std::fs::create_dir_all(root.join("en")).unwrap();
        std::fs::write(root.join("en/index.html"), "x").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "s").unwrap();
        assert!(
            resolve_path(&root, "/en/")
                .unwrap()
                .ends_with("en/index.html")
        );
        assert!(
            resolve_path(&root, "/en")
                .unwrap()
                .ends_with("en/index.html")
        );
        assert_eq!(resolve_path(&root, "/../secret.txt"), None);
        assert_eq!(resolve_path(&root, "/%2e%2e/secret.txt"), None);
        assert_eq!(resolve_path(&root, "/en/..%2f..%2fsecret.txt"), None);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt"))
                .unwrap();
            assert_eq!(resolve_path(&root, "/link.txt"), None);
        }
    }
}
