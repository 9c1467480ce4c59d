//! `limes serve` as an editor and a hostile client meet it: it answers only with files
//! of the site, rebuilds after a change, reports a broken build to the open pages while
//! still serving the last good site, holds many concurrent requests, and writes
//! nothing. (The browser's side, reloading and the overlay, is checked by
//! tests/browser/run.mjs.)

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{site_from_fixture, site_root};

/// A running `limes serve` on a free port; stopped when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    log: mpsc::Receiver<String>,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_limes"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
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
    fn next_build(&self) -> String {
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
    fn request(&self, method: &str, target: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
        raw(self.addr, method, target)
    }

    fn get(&self, target: &str) -> (u16, Vec<(String, String)>, String) {
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

fn raw(addr: SocketAddr, method: &str, target: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let request =
        format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    s.write_all(request.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes).expect("read the answer");
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
    let mut lines = head.lines();
    let code = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let body = bytes[end + 4..].to_vec();
    (code, headers, body)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The latest status the server sends to open pages (the first event of the stream).
fn status(addr: SocketAddr) -> serde_json::Value {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(s, "GET /__limes/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut reader = BufReader::new(s);
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        // Chunked encoding: the event's line is inside a chunk.
        if let Some(data) = line.trim_end().strip_prefix("data: ") {
            return serde_json::from_str(data).unwrap();
        }
    }
}

#[test]
fn serves_only_the_site_with_the_right_headers() {
    let tmp = site_from_fixture("minimal");
    let root = site_root(&tmp);
    std::fs::write(tmp.path().join("secret.txt"), "not for the web").unwrap();
    let server = Server::start(&root);

    let (code, headers, body) = server.get("/en/");
    assert_eq!(code, 200);
    assert_eq!(
        header(&headers, "content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(header(&headers, "x-content-type-options"), Some("nosniff"));
    assert!(body.contains(
        "<script src=\"/__limes/live.js\" data-generation=\"1\" async></script>\n</body>"
    ));

    // A folder without its final slash is redirected to it.
    let (code, headers, _) = server.get("/en?x=1");
    assert_eq!(code, 301);
    assert_eq!(header(&headers, "location"), Some("/en/?x=1"));
    // Never to another host: `//en` is the folder `en`, redirected to `/en/`.
    let (code, headers, _) = server.get("//en");
    assert_eq!((code, header(&headers, "location")), (301, Some("/en/")));

    // Content types of the generated files.
    let (code, headers, _) = server.get("/sitemap.xml");
    assert_eq!(
        (code, header(&headers, "content-type")),
        (200, Some("application/xml; charset=utf-8"))
    );

    // Nothing outside the site, however the path is written.
    for target in [
        "/../secret.txt",
        "/en/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/en/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%5c..%5csecret.txt",
        "/%00",
        "/observatory.toml",
        "/content/practices/social-activation/index.en.md",
    ] {
        let (code, _, body) = server.get(target);
        assert_eq!(code, 404, "{target}");
        assert!(!body.contains("not for the web"), "{target}");
    }
    // No directory listing: a folder without an index is not found.
    let (code, _, _) = server.get("/en/practices/social-activation/missing/");
    assert_eq!(code, 404);
    // The site's own 404 page, with the right status.
    let (code, headers, body) = server.get("/no/such/page");
    assert_eq!(code, 404);
    assert_eq!(
        header(&headers, "content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(body.contains("<html"), "{body}");
    // Every language's message there; under /<lang>/, that language's own 404 page.
    assert!(body.contains("<h2>Page introuvable</h2>"), "{body}");
    let (code, _, body) = server.get("/fr/no/such/page/");
    assert_eq!(code, 404);
    assert!(body.contains("<html lang=\"fr\""), "{body}");
    assert!(body.contains("<h1>Page introuvable</h1>"), "{body}");

    // Only reading methods.
    let (code, headers, _) = server.request("POST", "/en/");
    assert_eq!(code, 405);
    assert_eq!(header(&headers, "allow"), Some("GET, HEAD"));
    let (code, headers, body) = server.request("HEAD", "/en/");
    assert_eq!(code, 200);
    assert!(body.is_empty());
    assert!(header(&headers, "content-length").is_some_and(|l| l != "0"));

    // The preview writes nothing.
    assert!(!root.join("public").exists());
}

#[test]
fn rebuilds_after_a_change_and_reports_a_broken_build() {
    let tmp = site_from_fixture("minimal");
    let root = site_root(&tmp);
    let server = Server::start(&root);
    let page = "/en/practices/social-activation/";
    let file = root.join("content/practices/social-activation/index.en.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let first = status(server.addr);
    assert_eq!(first["generation"], 1);
    assert_eq!(first["errors"], serde_json::json!([]));

    // An edit is seen.
    std::fs::write(
        &file,
        text.replace("Social activation across", "Edited activation across"),
    )
    .unwrap();
    assert!(server.next_build().starts_with("Built in "));
    assert!(server.get(page).2.contains("Edited activation across"));
    let after = status(server.addr);
    assert_eq!(after["generation"], 2);
    let since: serde_json::Value =
        serde_json::from_str(&server.get(&format!("/__limes/page?path={page}")).2).unwrap();
    assert_eq!(since["since"], 2);

    // A mistake: the last good page stays, the open pages are told the error.
    std::fs::write(
        &file,
        text.replace("themes = [\"employment\"", "themes = [\"employmnt\""),
    )
    .unwrap();
    assert!(
        server
            .next_build()
            .starts_with("error: the site does not build")
    );
    assert!(server.get(page).2.contains("Edited activation across"));
    let broken = status(server.addr);
    assert_eq!(broken["generation"], 2);
    let error = &broken["errors"][0];
    assert_eq!(
        error["file"],
        "content/practices/social-activation/index.en.md"
    );
    assert_eq!(error["line"], 8);
    assert_eq!(error["column"], 11);
    assert_eq!(error["message"], "unknown theme `employmnt`");
    assert!(
        error["help"]
            .as_str()
            .unwrap()
            .contains("did you mean `employment`?")
    );
    assert_eq!(
        broken["labels"]["fr"]["help"]
            .as_str()
            .map(|s| !s.is_empty()),
        Some(true)
    );

    // Fixed: the errors go, the page is the fixed one.
    std::fs::write(&file, &text).unwrap();
    assert!(server.next_build().starts_with("Built in "));
    let fixed = status(server.addr);
    assert_eq!(fixed["errors"], serde_json::json!([]));
    assert_eq!(fixed["generation"], 3);
    assert!(server.get(page).2.contains("Social activation across"));

    // A file added, then removed.
    let added = root.join("content/pages/new-page/index.en.md");
    std::fs::create_dir_all(added.parent().unwrap()).unwrap();
    std::fs::write(&added, "+++\ntitle = \"A new page\"\n+++\nHello.\n").unwrap();
    assert!(server.next_build().starts_with("Built in "));
    assert_eq!(
        server.get("/en/new-page/").0,
        200,
        "{}",
        server.get("/en/").2
    );
    std::fs::remove_dir_all(added.parent().unwrap()).unwrap();
    assert!(server.next_build().starts_with("Built in "));
    assert_eq!(server.get("/en/new-page/").0, 404);
}

#[test]
fn holds_a_thousand_concurrent_requests() {
    let tmp = site_from_fixture("minimal");
    let server = Server::start(&site_root(&tmp));
    let addr = server.addr;
    let targets = [
        "/en/",
        "/fr/",
        "/sitemap.xml",
        "/no/such/page",
        "/en/practices/social-activation/",
    ];
    let workers: Vec<_> = (0..1000)
        .map(|i| {
            let target = targets[i % targets.len()];
            std::thread::spawn(move || raw(addr, "GET", target).0)
        })
        .collect();
    let codes: Vec<u16> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    let expected = |i: usize| {
        if targets[i % targets.len()] == "/no/such/page" {
            404
        } else {
            200
        }
    };
    let wrong: Vec<_> = codes
        .iter()
        .enumerate()
        .filter(|(i, c)| **c != expected(*i))
        .collect();
    assert!(
        wrong.is_empty(),
        "{} answers were wrong: {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(5)]
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_it_even_with_pages_open() {
    let tmp = site_from_fixture("minimal");
    let mut server = Server::start(&site_root(&tmp));
    // An open page: its event stream never ends by itself.
    let mut stream = TcpStream::connect(server.addr).unwrap();
    write!(stream, "GET /__limes/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let pid = server.child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "limes serve still runs 10 s after Ctrl+C"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_templates_folder_made_later_is_watched() {
    let tmp = site_from_fixture("minimal");
    let root = site_root(&tmp);
    let server = Server::start(&root);
    let base = std::fs::read_to_string(root.join("themes/default/templates/base.html")).unwrap();
    // The site's own templates/ does not exist yet: made, then written into.
    std::fs::create_dir(root.join("templates")).unwrap();
    assert!(server.next_build().starts_with("Built in "));
    let marked = base.replacen("</body>", "<!-- the site's own base -->\n</body>", 1);
    std::fs::write(root.join("templates/base.html"), &marked).unwrap();
    assert!(server.next_build().starts_with("Built in "));
    assert!(
        server
            .get("/en/")
            .2
            .contains("<!-- the site's own base -->")
    );
    // And an edit of it.
    std::fs::write(
        root.join("templates/base.html"),
        marked.replace("own base", "own base, edited"),
    )
    .unwrap();
    assert!(server.next_build().starts_with("Built in "));
    assert!(
        server
            .get("/en/")
            .2
            .contains("<!-- the site's own base, edited -->")
    );
}
