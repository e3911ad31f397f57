//! The endpoint under hostile clients, on a server in this process: clients that trickle
//! their headers, connections beyond the bound, and a body that never arrives.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

mod support;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use support::*;

/// One request that must be answered: its status and how long it took.
fn timed_health(port: u16) -> (u16, Duration) {
    let started = Instant::now();
    let reply = raw(
        port,
        b"GET /_preflight/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    (reply.status, started.elapsed())
}

/// True when the peer has closed `stream` (end of stream or reset), false when it is still
/// open after `wait`.
fn closed_within(stream: &mut TcpStream, wait: Duration) -> bool {
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut byte = [0u8; 1];
    match stream.read(&mut byte) {
        Ok(0) => true,
        Ok(_) => panic!("a dropped connection got an answer"),
        Err(e) => !matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
    }
}

#[test]
fn a_hundred_trickling_clients_do_not_delay_others_and_are_dropped_at_the_header_deadline() {
    let dir = tempfile::tempdir().unwrap();
    // A short head deadline keeps the test short; the default (10 s) is the same code.
    let server = Server::start(dir.path(), |c| c.header_timeout = Duration::from_secs(4));
    let port = server.port;
    let head =
        b"GET /_preflight/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaa";
    let mut tricklers: Vec<TcpStream> = (0..100)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    let first_byte = Instant::now();
    // One byte a second each, from one thread, while the normal client is timed.
    let mut latencies = Vec::new();
    for second in 0..3 {
        let tick = Instant::now();
        for stream in &mut tricklers {
            stream.write_all(&head[second..=second]).unwrap();
        }
        for _ in 0..3 {
            let (status, took) = timed_health(port);
            assert_eq!(status, 200);
            latencies.push(took);
            std::thread::sleep(Duration::from_millis(150));
        }
        std::thread::sleep(Duration::from_secs(1).saturating_sub(tick.elapsed()));
    }
    let worst = latencies.iter().max().unwrap();
    eprintln!(
        "normal request beside 100 tricklers: worst of {} took {worst:?}",
        latencies.len()
    );
    assert!(*worst < Duration::from_secs(1), "{latencies:?}");
    // None of them finished its head: each is dropped, without an answer, once 4 s have
    // passed since its first byte — not before (their deadline), and not much later.
    let mut dropped = 0;
    for stream in &mut tricklers {
        let _ = stream.write_all(b"a");
        let wait = Duration::from_secs(9).saturating_sub(first_byte.elapsed());
        if closed_within(stream, wait) {
            dropped += 1;
        }
    }
    let at = first_byte.elapsed();
    assert_eq!(dropped, 100);
    assert!(at >= Duration::from_millis(3900), "dropped after {at:?}");
    // Still serving.
    assert_eq!(timed_health(port).0, 200);
}

#[test]
fn connections_beyond_the_bound_get_an_immediate_503_and_are_closed() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), |c| c.max_connections = 4);
    let port = server.port;
    // Four idle connections hold the four places (idle connections wait 60 s for a request).
    let mut held: Vec<TcpStream> = (0..4)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    for extra in 0..6 {
        let started = Instant::now();
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        // Idle, like the held ones: the answer comes without a request.
        let mut data = Vec::new();
        stream.read_to_end(&mut data).unwrap();
        let took = started.elapsed();
        let reply = parse_reply(&data);
        assert_eq!(reply.status, 503, "{}", reply.body);
        assert_eq!(reply.header("connection"), Some("close"));
        assert_eq!(reply.json()["Code"], "ServiceUnavailable", "{}", reply.body);
        assert_eq!(
            reply.json()["Message"],
            "The request has failed due to a temporary failure of the server."
        );
        assert!(took < Duration::from_secs(2), "extra {extra}: {took:?}");
    }
    // One with a request sent is refused the same way.
    let reply = raw(
        port,
        b"GET /_preflight/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(reply.status, 503, "{}", reply.body);
    // The held ones are still served.
    held[0]
        .write_all(
            b"GET /_preflight/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        )
        .unwrap();
    let mut data = Vec::new();
    held[0]
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    held[0].read_to_end(&mut data).unwrap();
    assert_eq!(parse_reply(&data).status, 200);
    // That connection ended, its place is free: a new one is served (once the server has
    // seen the end).
    let started = Instant::now();
    loop {
        let status = timed_health(port).0;
        if status == 200 {
            break;
        }
        assert_eq!(status, 503);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "never served again"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(server.stderr().contains(" ServiceUnavailable "));
}

#[test]
fn a_body_shorter_than_its_length_is_answered_408_at_the_body_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), |c| c.body_timeout = Duration::from_secs(2));
    let port = server.port;
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    stream
        .write_all(
            b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: \
              application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nAction=Desc",
        )
        .unwrap();
    let started = Instant::now();
    let mut data = Vec::new();
    // The answer, then the end of the stream: the connection is closed.
    stream.read_to_end(&mut data).unwrap();
    let took = started.elapsed();
    let reply = parse_reply(&data);
    assert_eq!(reply.status, 408, "{}", reply.body);
    assert_eq!(reply.header("connection"), Some("close"));
    let body = reply.json();
    assert_eq!(body["Code"], "RequestTimeout");
    assert_eq!(
        body["Message"],
        "The request body did not arrive within the time this server waits for it."
    );
    assert_eq!(body["RequestId"].as_str().unwrap().len(), 36);
    assert!(
        took >= Duration::from_millis(1900) && took < Duration::from_secs(8),
        "{took:?}"
    );
    // The same with a chunked body that stops in the middle of a chunk.
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    stream
        .write_all(
            b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nAction",
        )
        .unwrap();
    let mut data = Vec::new();
    stream.read_to_end(&mut data).unwrap();
    assert_eq!(parse_reply(&data).status, 408);
    assert!(server.stderr().contains(" RequestTimeout "));
}
