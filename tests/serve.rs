//! `limes serve` as an editor and a hostile client meet it: it answers only with files
//! of the site, whatever the path, the method or the links in the site, rebuilds after
//! a change, reports a broken build to the open pages while still serving the last
//! good site, and writes nothing. (Load and slow clients: tests/serve_load.rs. The
//! browser's side, reloading and the overlay, is checked by tests/browser/run.mjs.)

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::time::{Duration, Instant};

use common::server::{Server, header};
use common::{site_from_fixture, site_root};

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

/// Every way of writing a path out of the site, and the files around the site.
#[test]
fn no_path_reaches_outside_the_site() {
    let tmp = site_from_fixture("minimal");
    let root = site_root(&tmp);
    let secret = tmp.path().join("secret.txt");
    std::fs::write(&secret, "not for the web").unwrap();
    let server = Server::start(&root);
    let absolute = secret.display().to_string();
    let mut targets: Vec<String> = [
        // Plain.
        "/../secret.txt",
        "/..",
        "/en/../../secret.txt",
        "/en/./../../secret.txt",
        "/en/..;/../secret.txt",
        // Percent-encoded dots, slashes and backslashes, in either case.
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/%2e./secret.txt",
        "/en/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/en%2f..%2f..%2fsecret.txt",
        "/%2f..%2fsecret.txt",
        "/..%5c..%5csecret.txt",
        "/en/..%5Csecret.txt",
        // Encoded twice (decoded once, these are names no file has).
        "/%252e%252e/secret.txt",
        "/%252e%252e%252fsecret.txt",
        "/en/%25%32%65%25%32%65/secret.txt",
        // Overlong UTF-8 for `.` and `/`, and NUL.
        "/%c0%ae%c0%ae/secret.txt",
        "/..%c0%afsecret.txt",
        "/%00",
        "/secret.txt%00.html",
        // Raw backslashes (refused by the HTTP parser or the lookup).
        "/..\\secret.txt",
        // Drive letters.
        "/C:%5Csecret.txt",
        "/c:/secret.txt",
        // The site's own sources.
        "/observatory.toml",
        "/content/practices/social-activation/index.en.md",
        "/themes/default/templates/base.html",
        "/i18n/en.toml",
        // Absolute-form targets.
        "http://127.0.0.1/../secret.txt",
        "http://example.org/%2e%2e/secret.txt",
    ]
    .iter()
    .map(|t| t.to_string())
    .collect();
    // The secret's absolute path, as the path and inside one, plain and encoded.
    targets.push(absolute.clone());
    targets.push(format!("/{absolute}"));
    targets.push(format!("/en/{absolute}"));
    targets.push(absolute.replace('/', "%2f"));
    for target in &targets {
        for method in ["GET", "HEAD"] {
            let (code, _, body) = server.request(method, target);
            assert!(
                code == 404 || code == 400,
                "{method} {target}: status {code}"
            );
            let body = String::from_utf8_lossy(&body);
            assert!(!body.contains("not for the web"), "{method} {target}");
        }
    }
    // Absolute-form targets name the same files as paths do.
    assert_eq!(server.get("http://example.org/en/").0, 200);
}

/// The files of the site are served from where the build found them, inside the
/// site: a file, a link or a folder of `content/static/` or of the theme made a link
/// out of the site after the last good build (its build fails, but the last good site
/// stays served) does not lead out.
#[cfg(unix)]
#[test]
fn no_link_leads_outside_the_site() {
    use std::os::unix::fs::symlink;
    let tmp = site_from_fixture("minimal");
    let root = site_root(&tmp);
    let outside = tmp.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("a.txt"), "not for the web").unwrap();
    let secret = tmp.path().join("secret.txt");
    std::fs::write(&secret, "not for the web").unwrap();
    let statics = root.join("content/static");
    std::fs::create_dir_all(statics.join("docs")).unwrap();
    std::fs::write(statics.join("report.txt"), "public report").unwrap();
    std::fs::write(statics.join("docs/a.txt"), "public a").unwrap();
    // Links inside the site are fine.
    symlink(statics.join("report.txt"), statics.join("alias.txt")).unwrap();
    let server = Server::start(&root);
    assert_eq!(server.get("/report.txt").2, "public report");
    assert_eq!(server.get("/alias.txt").2, "public report");
    assert_eq!(server.get("/docs/a.txt").2, "public a");
    assert_eq!(server.get("/css/site.css").0, 200);

    // A file, a link and a folder made links out of the site, and the theme's
    // stylesheet.
    let css = root.join("themes/default/static/css/site.css");
    std::fs::remove_file(&css).unwrap();
    symlink(&secret, &css).unwrap();
    std::fs::remove_file(statics.join("report.txt")).unwrap();
    symlink(&secret, statics.join("report.txt")).unwrap();
    std::fs::remove_file(statics.join("alias.txt")).unwrap();
    symlink(&secret, statics.join("alias.txt")).unwrap();
    std::fs::remove_dir_all(statics.join("docs")).unwrap();
    symlink(&outside, statics.join("docs")).unwrap();
    assert!(
        server
            .next_build()
            .starts_with("error: the site does not build")
    );
    // Later bursts of the same changes fail too: whichever build is last, none of
    // these is served.
    std::thread::sleep(Duration::from_millis(300));
    for target in ["/report.txt", "/alias.txt", "/docs/a.txt", "/css/site.css"] {
        for method in ["GET", "HEAD"] {
            let (code, _, body) = server.request(method, target);
            assert_eq!(code, 404, "{method} {target}");
            assert!(!String::from_utf8_lossy(&body).contains("not for the web"));
        }
    }
    // The rest of the last good site still is.
    assert_eq!(server.get("/en/").0, 200);
}

/// Only `GET` and `HEAD`, on every address: the site's files, its missing ones and
/// the preview's own.
#[test]
fn other_methods_are_not_allowed_anywhere() {
    let tmp = site_from_fixture("minimal");
    let server = Server::start(&site_root(&tmp));
    for target in [
        "/en/",
        "/en",
        "/no/such/page",
        "/css/site.css",
        "/__limes/live.js",
        "/__limes/events",
        "/__limes/page?path=/en/",
        "/__limes/nothing",
    ] {
        for method in [
            "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "MKCOL", "BREW",
        ] {
            let (code, headers, _) = server.request(method, target);
            assert_eq!(code, 405, "{method} {target}");
            assert_eq!(
                header(&headers, "allow"),
                Some("GET, HEAD"),
                "{method} {target}"
            );
            assert_eq!(
                header(&headers, "x-content-type-options"),
                Some("nosniff"),
                "{method} {target}"
            );
        }
    }
    let (code, headers, _) = server.request("OPTIONS", "*");
    assert_eq!((code, header(&headers, "allow")), (405, Some("GET, HEAD")));
    let (code, headers, _) = server.request("CONNECT", &server.addr.to_string());
    assert_eq!((code, header(&headers, "allow")), (405, Some("GET, HEAD")));
}

/// The head of an answer that never ends (the event stream).
fn head_only(addr: SocketAddr, target: &str) -> (u16, Vec<(String, String)>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(s, "GET {target} HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut reader = BufReader::new(s);
    let mut head = Vec::new();
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap() > 0 && line != "\r\n" {
        head.extend_from_slice(line.as_bytes());
        line.clear();
    }
    head.extend_from_slice(b"\r\n");
    let (code, headers, _) = common::server::parse(&head, true).unwrap();
    (code, headers)
}

#[test]
fn no_answer_is_sniffed() {
    let tmp = site_from_fixture("minimal");
    let server = Server::start(&site_root(&tmp));
    let mut answers = Vec::new();
    for (method, target, expected) in [
        ("GET", "/en/", 200),
        ("HEAD", "/en/", 200),
        ("GET", "/css/site.css", 200),
        ("HEAD", "/css/site.css", 200),
        ("GET", "/sitemap.xml", 200),
        ("GET", "/__limes/live.js", 200),
        ("GET", "/__limes/page?path=/en/", 200),
        ("GET", "/__limes/page?path=/nothing/", 404),
        ("GET", "/__limes/page", 400),
        ("GET", "/__limes/nothing", 404),
        ("GET", "/en", 301),
        ("GET", "/no/such/page", 404),
        ("GET", "/%2e%2e/x", 404),
        ("POST", "/en/", 405),
    ] {
        let (code, headers, _) = server.request(method, target);
        assert_eq!(code, expected, "{method} {target}");
        answers.push((format!("{method} {target}"), headers));
    }
    let (code, headers) = head_only(server.addr, "/__limes/events");
    assert_eq!(code, 200);
    answers.push(("GET /__limes/events".into(), headers));
    for (what, headers) in answers {
        assert_eq!(
            header(&headers, "x-content-type-options"),
            Some("nosniff"),
            "{what}"
        );
    }
}

/// A folder asked without its final `/` goes to it, with the query, at the root of the
/// preview even for a site published under a path (the preview serves every site at
/// its root, and its links point there).
#[test]
fn folders_are_redirected_to_with_their_query() {
    let tmp = site_from_fixture("minimal");
    let root = site_root(&tmp);
    let config = std::fs::read_to_string(root.join("observatory.toml")).unwrap();
    std::fs::write(
        root.join("observatory.toml"),
        config.replace(
            "https://observatory.example.org",
            "https://example.org/observatory",
        ),
    )
    .unwrap();
    let server = Server::start(&root);
    for (target, to) in [
        ("/en", "/en/"),
        ("/fr", "/fr/"),
        ("/en?x=1&y=%20z", "/en/?x=1&y=%20z"),
        (
            "/en/practices/social-activation?q",
            "/en/practices/social-activation/?q",
        ),
        ("//fr", "/fr/"),
        ("/%65n", "/en/"),
    ] {
        for method in ["GET", "HEAD"] {
            let (code, headers, _) = server.request(method, target);
            assert_eq!(code, 301, "{method} {target}");
            assert_eq!(header(&headers, "location"), Some(to), "{method} {target}");
        }
        let (code, _, _) = server.get(to);
        assert_eq!(code, 200, "{to}");
    }
    // The pages' links point at the preview's root, not at the published path.
    let (_, _, page) = server.get("/en/");
    assert!(
        page.contains("href=\"/en/practices/social-activation/\""),
        "{page}"
    );
    assert!(!page.contains("/observatory/"), "{page}");
    assert_eq!(server.get("/observatory/en/").0, 404);
    // A file is never redirected, nor a missing folder.
    assert_eq!(server.get("/sitemap.xml").0, 200);
    assert_eq!(server.get("/en/nothing").0, 404);
}

/// Without `--bind`, only this machine reaches the preview.
#[test]
fn listens_on_loopback_by_default() {
    let tmp = site_from_fixture("minimal");
    let server = Server::start(&site_root(&tmp));
    assert_eq!(
        server.addr.ip(),
        std::net::IpAddr::from([127, 0, 0, 1]),
        "{}",
        server.addr
    );
    // And the links of the preview name the port it got (`--port 0`).
    let (_, _, sitemap) = server.get("/sitemap.xml");
    assert!(
        sitemap.contains(&format!("<loc>http://{}/", server.addr)),
        "{sitemap}"
    );
}
