//! `limes serve` under load, on loopback: a thousand connections open at once and ten
//! thousand requests one after the other are all answered in full, and clients that
//! ask for a large file and stop reading hold up nobody else. Bounded: the whole file
//! takes seconds in a debug build on two cores. (One test at a time: they measure.)

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use common::server::{Server, exchange, header, parse, try_raw};
use common::{site_from_fixture, site_root};

/// The tests of this file run one after the other.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Files of every kind the preview serves: pages (with its script put in), a record's
/// page, generated XML, a static file of the theme (read from the disk), its own
/// script.
const TARGETS: [&str; 6] = [
    "/en/",
    "/fr/",
    "/en/practices/social-activation/",
    "/sitemap.xml",
    "/css/site.css",
    "/__limes/live.js",
];

/// The body of each of [`TARGETS`], fetched once; panics unless each is a 200.
fn references(server: &Server) -> Vec<Vec<u8>> {
    TARGETS
        .iter()
        .map(|t| {
            let (code, _, body) = server.request("GET", t);
            assert_eq!(code, 200, "{t}");
            body
        })
        .collect()
}

/// `Ok` when `answer` is a 200 with the body of `reference`, else what is wrong.
fn check(
    target: &str,
    answer: Result<common::server::Answer, String>,
    reference: &[u8],
) -> Result<(), String> {
    let (code, _, body) = answer.map_err(|e| format!("{target}: {e}"))?;
    if code != 200 {
        return Err(format!("{target}: status {code}"));
    }
    if body != reference {
        return Err(format!(
            "{target}: a body of {} bytes, not the {} expected",
            body.len(),
            reference.len()
        ));
    }
    Ok(())
}

fn assert_no_errors(what: &str, errors: &[String]) {
    assert!(
        errors.is_empty(),
        "{what}: {} errors, the first: {:?}",
        errors.len(),
        &errors[..errors.len().min(5)]
    );
}

#[test]
fn a_thousand_concurrent_and_ten_thousand_sequential_requests_all_succeed() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = site_from_fixture("minimal");
    let server = Server::start(&site_root(&tmp));
    let addr = server.addr;
    let expected = Arc::new(references(&server));

    // 1,000 connections opened first, then every request sent at once.
    const CONCURRENT: usize = 1000;
    let started = Instant::now();
    let barrier = Arc::new(Barrier::new(CONCURRENT));
    let workers: Vec<_> = (0..CONCURRENT)
        .map(|i| {
            let barrier = barrier.clone();
            let expected = expected.clone();
            std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || {
                    let stream = TcpStream::connect(addr);
                    barrier.wait();
                    let target = TARGETS[i % TARGETS.len()];
                    let answer = stream
                        .map_err(|e| format!("connect: {e}"))
                        .and_then(|mut s| exchange(&mut s, "GET", target));
                    check(target, answer, &expected[i % TARGETS.len()])
                })
                .expect("start a client thread")
        })
        .collect();
    let errors: Vec<String> = workers
        .into_iter()
        .filter_map(|w| w.join().expect("a client thread").err())
        .collect();
    eprintln!(
        "{CONCURRENT} concurrent requests in {} ms",
        started.elapsed().as_millis()
    );
    assert_no_errors("concurrent", &errors);

    // 10,000 one after the other, each on its own connection.
    const SEQUENTIAL: usize = 10_000;
    let started = Instant::now();
    let errors: Vec<String> = (0..SEQUENTIAL)
        .filter_map(|i| {
            let target = TARGETS[i % TARGETS.len()];
            check(
                target,
                try_raw(addr, "GET", target),
                &expected[i % TARGETS.len()],
            )
            .err()
        })
        .collect();
    eprintln!(
        "{SEQUENTIAL} sequential requests in {} ms",
        started.elapsed().as_millis()
    );
    assert_no_errors("sequential", &errors);
}

/// The largest send buffer the kernel gives a TCP socket (tcp_wmem's third field);
/// 4 MiB where it cannot be read.
fn send_buffer_max() -> usize {
    std::fs::read_to_string("/proc/sys/net/ipv4/tcp_wmem")
        .ok()
        .and_then(|s| s.split_whitespace().nth(2)?.parse().ok())
        .unwrap_or(4 << 20)
}

/// A connection whose receive buffer is fixed small, so that the kernel does not grow it
/// to hold the whole of a large response.
fn connect_with_small_buffer(addr: std::net::SocketAddr) -> TcpStream {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP)).unwrap();
    socket.set_recv_buffer_size(64 << 10).unwrap();
    socket.connect(&addr.into()).unwrap();
    socket.into()
}

/// A byte of the large file at `i`: not a repeated block, so that a part sent twice
/// or skipped shows.
fn byte_at(i: usize) -> u8 {
    ((i * 7 + i / 251) % 256) as u8
}

#[test]
fn clients_that_stop_reading_a_large_file_hold_up_nobody_else() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = site_from_fixture("minimal");
    let root = site_root(&tmp);
    // Larger than every socket buffer between the server and a client on loopback: the
    // clients ask for a small receive buffer (the kernel would grow it to tcp_rmem's
    // maximum, 32 MiB or more on some hosts) and the server's send buffer is bounded by
    // tcp_wmem's maximum.
    let size: usize = (send_buffer_max() * 4).clamp(32 << 20, 256 << 20);
    let big: Vec<u8> = (0..size).map(byte_at).collect();
    std::fs::create_dir_all(root.join("content/static/media")).unwrap();
    std::fs::write(root.join("content/static/media/big.bin"), &big).unwrap();
    let server = Server::start(&root);
    let addr = server.addr;
    let expected = references(&server);

    // More stalled clients than the server has threads: each reads the head and the
    // first bytes, then stops reading.
    let mut stalled: Vec<(TcpStream, Vec<u8>)> = (0..4)
        .map(|_| {
            let mut s = connect_with_small_buffer(addr);
            s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
            write!(
                s,
                "GET /media/big.bin HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
            )
            .unwrap();
            let mut first = vec![0; 1024];
            let n = s.read(&mut first).unwrap();
            first.truncate(n);
            assert!(first.starts_with(b"HTTP/1.1 200 "), "{first:?}");
            (s, first)
        })
        .collect();
    // Time for the server to fill the buffers and be held up by them.
    std::thread::sleep(Duration::from_millis(300));

    let started = Instant::now();
    let others: Vec<_> = (0..10)
        .map(|t| {
            let expected = expected.clone();
            std::thread::spawn(move || {
                (0..10)
                    .filter_map(|i| {
                        let k = (t + i) % TARGETS.len();
                        check(TARGETS[k], try_raw(addr, "GET", TARGETS[k]), &expected[k]).err()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let errors: Vec<String> = others
        .into_iter()
        .flat_map(|w| w.join().expect("a client thread"))
        .collect();
    let took = started.elapsed();
    eprintln!(
        "100 requests beside 4 stalled clients in {} ms",
        took.as_millis()
    );
    assert_no_errors("beside stalled clients", &errors);
    assert!(
        took < Duration::from_secs(5),
        "100 requests beside stalled clients took {took:?}"
    );

    // The stall was real: what the connection holds is far from the whole file.
    let (s, first) = &mut stalled[0];
    s.set_nonblocking(true).unwrap();
    let mut buffered = 0;
    let mut chunk = vec![0; 1 << 16];
    loop {
        match s.read(&mut chunk) {
            Ok(0) => panic!("the server had sent the whole file: the stall tested nothing"),
            Ok(n) => {
                first.extend_from_slice(&chunk[..n]);
                buffered += n;
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => break,
            Err(e) => panic!("read: {e}"),
        }
    }
    eprintln!("{buffered} bytes of {size} were waiting for a stalled client");
    assert!(buffered < size / 2, "{buffered} bytes were waiting");

    // And each stalled client gets the rest once it reads again, intact.
    for (mut s, mut bytes) in stalled {
        s.set_nonblocking(false).unwrap();
        s.read_to_end(&mut bytes).unwrap();
        let (code, headers, body) = parse(&bytes, false).unwrap();
        assert_eq!(code, 200);
        assert_eq!(
            header(&headers, "content-type"),
            Some("application/octet-stream")
        );
        assert!(body == big, "the large file arrived altered");
    }
}
