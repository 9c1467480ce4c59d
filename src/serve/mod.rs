//! `limes serve`: the editors' live preview. Builds the site in memory, serves it
//! over HTTP bound to 127.0.0.1 by default, watches the site's files and rebuilds
//! after each burst of changes ([`watch`]); the open pages reload by themselves where
//! the reader was, and while the site does not build they show its errors over the
//! last good version ([`state`], `live.js`). Writes nothing.
//!
//! The server is axum on tokio: the pages come from memory; static files are read
//! from the site by tower-http, each only from where the last good build found it.
//! A request's path is only ever looked up among the files of the build, never
//! joined to a folder, so nothing outside the site is reachable, whatever the
//! encoding of the request. No lock is held while an answer is written: a client
//! that stops reading holds up nobody but itself.

pub mod state;
pub mod watch;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::WatchStream;
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::BuildOptions;
use crate::incremental::Rebuilder;
use state::{Content, Live, Outcome};

/// The reserved prefix of the preview's own addresses.
pub const PREFIX: &str = "/__limes/";
const LIVE_JS: &str = include_str!("live.js");

/// How long a request for a file of a search index being made waits for it.
const SEARCH_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// What `limes serve` is asked to do.
#[derive(Clone, Debug)]
pub struct Options {
    /// How to build; its `base_url` is replaced by the preview's own address (the
    /// preview serves the site at the root of that address, whatever path the site is
    /// published under).
    pub build: BuildOptions,
    pub bind: String,
    pub port: u16,
}

/// Listens, builds once, then serves and rebuilds on every change until the process
/// is stopped. `report` is told each build's outcome and how long it took (ms);
/// `ready` the address once the first build is served.
pub fn run(
    mut opts: Options,
    report: impl Fn(&Outcome, u128) + Send + Sync + 'static,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    // The socket first: a port taken is said before a long build, and the links of
    // the preview name the port it got (`--port 0`). Requests made during the first
    // build wait for it.
    let addr = address(&opts.bind, opts.port)?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(addr))
        .map_err(|e| std::io::Error::other(format!("cannot listen on {addr}: {e}")))?;
    let local = browsable(listener.local_addr()?);
    opts.build.base_url = Some(format!("http://{local}"));
    let live = Arc::new(Live::of_site(&opts.build.root));
    let root = opts.build.root.clone();
    let mut rebuilder = Rebuilder::new(opts.build.clone());
    // The pages first; the search indexes they change after, unless more changes
    // are waiting (then after those).
    let mut rebuild = {
        let live = live.clone();
        move |changed: &BTreeSet<String>, waiting: &dyn Fn() -> bool| {
            let started = Instant::now();
            let result = rebuilder.rebuild_pages(changed);
            let due = rebuilder.search_due();
            let nothing_due = due.is_empty();
            // Held before the pages, so that no page is shown with an index older than
            // itself; let go only once the build that makes those files is applied (a
            // full build, or a failed one that leaves nothing due): a waiting request
            // given the snapshot still served would get the files of before.
            if !nothing_due {
                live.hold_search(due);
            }
            let outcome = live.apply(result, rebuilder.site());
            if nothing_due {
                live.hold_search(BTreeSet::new());
            }
            report(&outcome, started.elapsed().as_millis());
            if nothing_due || waiting() {
                return;
            }
            let started = Instant::now();
            let (files, removed) = rebuilder.finish_search();
            let changed = live.apply_search(files, &removed);
            report(&Outcome::Search { changed }, started.elapsed().as_millis());
        }
    };
    rebuild(&BTreeSet::from(["*".to_string()]), &|| false);
    let batches = watch::Batches::new(&root).map_err(|e| {
        std::io::Error::other(format!("cannot watch {} for changes: {e}", root.display()))
    })?;
    std::thread::Builder::new()
        .name("limes-rebuild".into())
        .spawn(move || {
            let mut batches = batches;
            while let Some(changed) = batches.next_burst() {
                rebuild(&changed, &|| batches.waiting());
            }
        })?;
    ready(local);
    runtime.block_on(async move {
        // Ctrl+C stops at once: the open pages' event streams never end, so waiting
        // for connections to close would never stop.
        tokio::select! {
            served = axum::serve(listener, router(live)) => served,
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    })
}

/// The address a browser on this machine opens for a socket bound to `addr`: a
/// socket on every interface (`0.0.0.0`, `::`) is reached through the loopback one
/// (no browser opens `http://0.0.0.0/`), which the preview's links then name.
pub fn browsable(addr: SocketAddr) -> SocketAddr {
    use std::net::{Ipv4Addr, Ipv6Addr};
    match addr.ip() {
        std::net::IpAddr::V4(ip) if ip.is_unspecified() => {
            (Ipv4Addr::LOCALHOST, addr.port()).into()
        }
        std::net::IpAddr::V6(ip) if ip.is_unspecified() => {
            (Ipv6Addr::LOCALHOST, addr.port()).into()
        }
        _ => addr,
    }
}

/// `bind:port` as a socket address (`::1` and `[::1]` both accepted).
pub fn address(bind: &str, port: u16) -> std::io::Result<SocketAddr> {
    let host = bind.trim_start_matches('[').trim_end_matches(']');
    let ip: std::net::IpAddr = host.parse().map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("`{bind}` is not an IP address (e.g. 127.0.0.1 or ::1)"),
        )
    })?;
    Ok(SocketAddr::new(ip, port))
}

/// The preview's routes: its own under [`PREFIX`], then the site; every one behind
/// [`guard`].
pub fn router(live: Arc<Live>) -> Router {
    Router::new()
        .route("/__limes/live.js", get(live_js))
        .route("/__limes/events", get(events))
        .route("/__limes/page", get(page_version))
        .fallback(site)
        .with_state(live)
        .layer(axum::middleware::from_fn(guard))
}

/// Around every request: only `GET` and `HEAD` go on (anything else is answered
/// `405` with `Allow: GET, HEAD`, on every address alike), and no answer is sniffed
/// (the preview's own and axum's refusals included).
async fn guard(req: Request, next: axum::middleware::Next) -> Response {
    let mut r = if req.method() == Method::GET || req.method() == Method::HEAD {
        next.run(req).await
    } else {
        let mut r = (StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n").into_response();
        set_common(r.headers_mut(), "text/plain; charset=utf-8");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        r
    };
    r.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

async fn live_js() -> Response {
    let mut r = Bytes::from_static(LIVE_JS.as_bytes()).into_response();
    set_common(r.headers_mut(), "text/javascript; charset=utf-8");
    r
}

/// Server-sent events: the [`state::Status`] now, then after every build.
async fn events(State(live): State<Arc<Live>>) -> impl IntoResponse {
    let stream = WatchStream::new(live.subscribe()).map(|status| {
        Ok::<_, std::convert::Infallible>(
            Event::default().data(serde_json::to_string(&*status).unwrap_or_default()),
        )
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[derive(serde::Deserialize)]
struct PageQuery {
    path: String,
}

/// `{"since": n}`: the generation that made the page at `path` as it is now; 404
/// when there is no such page.
async fn page_version(State(live): State<Arc<Live>>, Query(q): Query<PageQuery>) -> Response {
    let snapshot = live.snapshot();
    match lookup(&q.path).and_then(|key| find(&snapshot, &key)) {
        Some(Found::File(key)) => {
            let since = snapshot.files[&key].since;
            let mut r = format!("{{\"since\":{since}}}").into_response();
            set_common(r.headers_mut(), "application/json");
            r
        }
        _ => not_found_plain(),
    }
}

/// What a request's path names in the site.
enum Found {
    /// The key of a file.
    File(String),
    /// A folder asked for without its final `/` (its key): redirected to it.
    Folder(String),
}

/// The key of the site's files that a URL path names (`/en/` → `en/index.html`), or
/// `None` for a path that no file of the site can have: an undecodable escape, a `..`
/// or `.` segment, a backslash or NUL (encoded or not).
pub fn lookup(path: &str) -> Option<String> {
    let decoded = crate::routes::percent_decode(path)?;
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" => {}
            "." | ".." => return None,
            p if p.contains(['\\', '\0']) => return None,
            p => parts.push(p),
        }
    }
    let mut key = parts.join("/");
    if decoded.ends_with('/') || key.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

fn find(snapshot: &state::Snapshot, key: &str) -> Option<Found> {
    if snapshot.files.contains_key(key) {
        Some(Found::File(key.to_string()))
    } else if snapshot.files.contains_key(&format!("{key}/index.html")) {
        Some(Found::Folder(key.to_string()))
    } else {
        None
    }
}

/// Every other request (a `GET` or `HEAD`: see [`guard`]): a file of the site.
async fn site(State(live): State<Arc<Live>>, uri: Uri, req: Request) -> Response {
    let snapshot = live.snapshot();
    if snapshot.generation == 0 {
        return not_built(&live);
    }
    let key = lookup(uri.path());
    // A search index being made again: its new files, once made.
    let snapshot = match &key {
        Some(key) if live.held(key) => {
            live.wait_for(key, SEARCH_WAIT).await;
            live.snapshot()
        }
        _ => snapshot,
    };
    let found = key.and_then(|key| find(&snapshot, &key));
    match found {
        Some(Found::Folder(key)) => {
            // The folder's own address: never the request's path as written (`//x`
            // would send the browser to another host).
            let mut to = format!("/{key}/");
            if let Some(q) = uri.query() {
                to.push('?');
                to.push_str(q);
            }
            let mut r = StatusCode::MOVED_PERMANENTLY.into_response();
            if let Ok(v) = HeaderValue::from_str(&to) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            set_common(r.headers_mut(), "text/plain; charset=utf-8");
            r
        }
        Some(Found::File(key)) => serve_entry(&live, &snapshot, &key, StatusCode::OK, req).await,
        None => {
            // Under /<lang>/, that language's 404 page; else the one of every language.
            let lang = uri.path().trim_start_matches('/').split('/').next();
            let own = lang.map(|l| format!("{l}/404.html"));
            match own.filter(|k| snapshot.files.contains_key(k)) {
                Some(key) => serve_entry(&live, &snapshot, &key, StatusCode::NOT_FOUND, req).await,
                None if snapshot.files.contains_key("404.html") => {
                    serve_entry(&live, &snapshot, "404.html", StatusCode::NOT_FOUND, req).await
                }
                None => not_found_plain(),
            }
        }
    }
}

async fn serve_entry(
    live: &Live,
    snapshot: &state::Snapshot,
    key: &str,
    status: StatusCode,
    req: Request,
) -> Response {
    let entry = &snapshot.files[key];
    let kind = content_type(key);
    match &entry.content {
        Content::Bytes(bytes) => {
            let body = if key.ends_with(".html") {
                let frame = snapshot
                    .record_pages
                    .contains(key)
                    .then(|| frame(bytes))
                    .flatten();
                Body::from(with_live_script(bytes, snapshot.generation, frame))
            } else {
                Body::from(bytes.clone())
            };
            let mut r = (status, body).into_response();
            set_common(r.headers_mut(), kind);
            r
        }
        // Only from where the build found it, inside the site ([`Live::serves`]).
        // Then ranges, conditional requests and HEAD as tower-http answers them,
        // from the resolved path.
        Content::File { path, real, .. } => {
            let now = tokio::fs::canonicalize(path).await.ok();
            let Some(now) = now.filter(|now| live.serves(real.as_deref(), now)) else {
                return not_found_plain();
            };
            match ServeFile::new(now).oneshot(req).await {
                Ok(r) => {
                    let mut r = r.map(Body::new);
                    set_common(r.headers_mut(), kind);
                    r
                }
                Err(_) => not_found_plain(),
            }
        }
    }
}

/// The page with the preview's script before `</body>`, told which build made it
/// and, for a page that may take a new `<main>` in place of a reload, the hash of
/// everything around its `<main>` (see [`frame`]).
fn with_live_script(page: &Bytes, generation: u64, frame: Option<u64>) -> Vec<u8> {
    let frame = frame
        .map(|h| format!(" data-frame=\"{h:016x}\""))
        .unwrap_or_default();
    let tag = format!(
        "<script src=\"{PREFIX}live.js\" data-generation=\"{generation}\"{frame} async></script>\n"
    );
    let at = find_last(page, b"</body>").unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + tag.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

/// A hash of a page without its `<main>` element: two versions of a page with the
/// same frame differ only inside `<main>`, which the live script can then swap.
/// `None` — the page reloads — without exactly one `<main>` (a body in raw HTML may
/// close it and open another), or when a script around `<main>` may work on it once
/// at load, which a swap would not run again (see [`scripts_cope`]).
fn frame(page: &[u8]) -> Option<u64> {
    let count = |needle: &[u8]| page.windows(needle.len()).filter(|w| *w == needle).count();
    if count(b"<main") != 1 || count(b"</main>") != 1 {
        return None;
    }
    let start = page.windows(5).position(|w| w == b"<main")?;
    let end = find_last(page, b"</main>")? + b"</main>".len();
    if end <= start || !scripts_cope(&page[..start]) || !scripts_cope(&page[end..]) {
        return None;
    }
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in page[..start].iter().chain(&page[end..]) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    Some(h)
}

/// The default theme's one inline script: it remembers the language a reader picks,
/// listening to clicks on the whole document.
const LANGUAGE_CHOICE: &str = r#"document.addEventListener("click",function(e){var a=e.target.closest&&e.target.closest("[data-lang-choice] a[hreflang]");if(a)try{localStorage.setItem("limes-language",a.getAttribute("hreflang"))}catch(x){}});"#;

/// Whether every script of `part` (a page around its `<main>`) copes with a new
/// `<main>`: data (`application/json`), limes's comparison script (it gives what is
/// added to the page its toggles) and the default theme's inline script. Any other —
/// a site's own script that highlights code or builds a table of contents at load —
/// means a reload.
fn scripts_cope(part: &[u8]) -> bool {
    let text = String::from_utf8_lossy(part);
    let compare = crate::render::compare_script_name();
    let mut rest: &str = &text;
    while let Some(at) = rest.find("<script") {
        let after = &rest[at..];
        let Some(tag_end) = after.find('>') else {
            return false;
        };
        let tag = after[..tag_end].to_ascii_lowercase();
        let body_and_rest = &after[tag_end + 1..];
        let close = body_and_rest
            .find("</script>")
            .unwrap_or(body_and_rest.len());
        let body = &body_and_rest[..close];
        let data = tag.contains("type=\"application/json\"")
            || tag.contains("type=\"application/ld+json\"");
        let own = tag.contains(" src=") && tag.contains(&compare.to_ascii_lowercase());
        let inline_known = !tag.contains(" src=") && body == LANGUAGE_CHOICE;
        if !(data || own || inline_known) {
            return false;
        }
        rest = &body_and_rest[close..];
    }
    true
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// While no build has succeeded: a page that shows the errors (by the live script)
/// and reloads once the site builds.
fn not_built(live: &Live) -> Response {
    let status = live.status();
    let body = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>limes serve</title></head>\n<body><main><h1>The site does not build yet</h1><p>{} error(s); they are listed above and in the terminal.</p></main>\n<script src=\"{PREFIX}live.js\" data-generation=\"0\"></script>\n</body></html>\n",
        status.errors.len()
    );
    let mut r = (StatusCode::SERVICE_UNAVAILABLE, body).into_response();
    set_common(r.headers_mut(), "text/html; charset=utf-8");
    r
}

fn not_found_plain() -> Response {
    let mut r = (StatusCode::NOT_FOUND, "not found\n").into_response();
    set_common(r.headers_mut(), "text/plain; charset=utf-8");
    r
}

/// The headers of every answer: its type, never sniffed, never cached (the preview
/// changes under the reader).
fn set_common(headers: &mut HeaderMap, kind: &'static str) {
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
}

/// The media type of a file of the site, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "geojson" => "application/geo+json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "zip" => "application/zip",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "odt" => "application/vnd.oasis.opendocument.text",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_socket_on_every_interface_is_browsed_through_loopback() {
        let b = |s: &str| browsable(s.parse().unwrap()).to_string();
        assert_eq!(b("0.0.0.0:1111"), "127.0.0.1:1111");
        assert_eq!(b("[::]:8080"), "[::1]:8080");
        assert_eq!(b("192.168.1.5:1111"), "192.168.1.5:1111");
        assert_eq!(b("[::1]:1111"), "[::1]:1111");
    }

    #[test]
    fn paths_name_files_of_the_site_only() {
        assert_eq!(lookup("/").as_deref(), Some("index.html"));
        assert_eq!(lookup("/en/").as_deref(), Some("en/index.html"));
        assert_eq!(lookup("/en").as_deref(), Some("en"));
        assert_eq!(
            lookup("/en/practices/a%20b/").as_deref(),
            Some("en/practices/a b/index.html")
        );
        assert_eq!(lookup("//en//x.css").as_deref(), Some("en/x.css"));
        // Decoded once: a double-encoded `..` is a name no file has, never a step up.
        assert_eq!(lookup("/%252e%252e/x").as_deref(), Some("%2e%2e/x"));
        for bad in [
            "/../secret",
            "/en/../../secret",
            "/%2e%2e/secret",
            "/en/..%2f..%2fsecret",
            "/en/%2E%2E%5Csecret",
            "/.%2e/secret",
            "/%c0%ae%c0%ae/secret",
            "/a%00b",
            "/a\\b",
            "/./x",
            "/%zz",
            "/%c3",
        ] {
            assert_eq!(lookup(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_live_script_goes_before_the_last_body_end() {
        let page = Bytes::from_static(b"<html><body><p>&lt;/body&gt;</p></body></html>\n");
        let out = String::from_utf8(with_live_script(&page, 7, None)).unwrap();
        assert_eq!(
            out,
            "<html><body><p>&lt;/body&gt;</p><script src=\"/__limes/live.js\" data-generation=\"7\" async></script>\n</body></html>\n"
        );
    }

    #[test]
    fn a_frame_is_all_but_the_main_element() {
        let a =
            b"<html><head><title>A</title></head><body><main id=m><p>one</p></main></body></html>";
        let b = b"<html><head><title>A</title></head><body><main id=m><p>two</p><p>2</p></main></body></html>";
        let c =
            b"<html><head><title>B</title></head><body><main id=m><p>one</p></main></body></html>";
        assert!(frame(a).is_some());
        assert_eq!(frame(a), frame(b));
        assert_ne!(frame(a), frame(c));
        assert_eq!(frame(b"<html><body><p>no main</p></body></html>"), None);
        // A body that closes <main> and opens another: no swap.
        assert_eq!(
            frame(b"<html><body><main><p>a</p></main><p>b</p><main><p>c</p></main></body></html>"),
            None
        );
        // Scripts around <main>: data, limes's comparison script and the theme's
        // inline one cope with a new <main>; any other does not.
        let with = |script: &str| {
            format!("<html><head>{script}</head><body><main><p>a</p></main></body></html>")
        };
        let compare = crate::render::compare_script_name();
        for ok in [
            "<script id=\"x\" type=\"application/json\">{\"a\":1}</script>".to_string(),
            format!("<script type=\"module\" src=\"&#x2f;js&#x2f;{compare}\" async></script>"),
            format!("<script>{LANGUAGE_CHOICE}</script>"),
        ] {
            assert!(frame(with(&ok).as_bytes()).is_some(), "{ok}");
        }
        for bad in [
            "<script>document.querySelectorAll('main h2')</script>",
            "<script src=\"/js/highlight.js\"></script>",
            "<script type=\"module\">import x from '/y.js'</script>",
        ] {
            assert_eq!(frame(with(bad).as_bytes()), None, "{bad}");
        }
        let out =
            String::from_utf8(with_live_script(&Bytes::from_static(a), 3, Some(255))).unwrap();
        assert!(
            out.contains("data-generation=\"3\" data-frame=\"00000000000000ff\" async"),
            "{out}"
        );
    }

    /// The inline script allowed around a swapped `<main>` is the default theme's.
    #[test]
    fn the_known_inline_script_is_the_default_themes() {
        let base = include_str!("../../themes/default/templates/base.html");
        assert!(base.contains(&format!("<script>{LANGUAGE_CHOICE}</script>")));
    }

    /// A request for a file of a search index being made again waits for the new
    /// file; the others do not wait.
    #[test]
    fn a_search_file_being_made_is_served_once_made() {
        use crate::incremental::Update;
        use crate::output::{Body as Out, OutputFile};
        let file = |path: &str, text: &str| OutputFile {
            path: path.to_string(),
            body: Out::Bytes(text.as_bytes().to_vec()),
        };
        let live = Arc::new(Live::new());
        let files = vec![
            file("en/index.html", "<html><body>home</body></html>"),
            file("en/search/index.json", "old"),
        ];
        live.apply(Ok((Update::Full(files), Default::default())), None);
        live.hold_search(BTreeSet::from(["en/search/index.json".to_string()]));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let get = |path: &'static str| {
                let app = router(live.clone());
                tokio::spawn(async move {
                    let req = Request::builder().uri(path).body(Body::empty()).unwrap();
                    let r = app.oneshot(req).await.unwrap();
                    let bytes = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
                    String::from_utf8(bytes.to_vec()).unwrap()
                })
            };
            let page = get("/en/").await.unwrap();
            assert!(page.contains("home"), "{page}");
            let index = get("/en/search/index.json");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            assert!(!index.is_finished(), "served before it was made");
            live.apply_search(vec![file("en/search/index.json", "new")], &[]);
            assert_eq!(index.await.unwrap(), "new");
        });
    }
}
