//! The connections under the endpoint: accepting them, timing them out, capping them, and
//! closing them on shutdown within a deadline.
//!
//! `axum::serve` holds a connection for as long as the client wants: a client that sends its
//! head one byte every few seconds, or opens a connection and says nothing, is kept forever,
//! and so is a process asked to stop while such clients are connected. Here each connection
//! is one task running hyper's HTTP/1.1 state machine beside a watchdog that knows which phase
//! the connection is in and closes it when that phase has lasted too long:
//!
//! - **idle** (no request yet, or between keep-alive requests): until `idle_timeout` after
//!   the last response, or `header_timeout` after the opening for the first request;
//! - **head** (the first byte of a request has arrived): until `header_timeout` after it;
//! - **busy** (hyper has the head and the router the request): the router bounds the body
//!   with `body_timeout` ([`super::endpoint`]) and the answer with `Timing`; the watchdog
//!   only checks again later.
//!
//! The phases are marked by a [`Watched`] stream (the first byte read moves idle to head) and
//! by the service wrapper (a request moves to busy, its response back to idle).
//!
//! At most `max_connections` are open. At the cap, if any connection is idle, the idle ones
//! are told to close (keep-alive connections are a convenience, a new request is not) and the
//! new one waits a moment for room; a connection that finds none is closed at once. Refusals and timeouts are counted and reported in one log line at
//! most once a minute ([`Tally`]), so a flood cannot flood the log too.
//!
//! Shutdown ([`SHUTDOWN_DEADLINE`]): the listener closes, idle connections and connections
//! still sending a head close at once, busy ones finish their request (hyper's graceful
//! shutdown), and whatever is still open at the deadline is dropped.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper::service::Service;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, Semaphore, watch};
use tokio::time::Instant;
use tokio_util::task::TaskTracker;

use crate::config::ServerLimits;

/// From the shutdown signal to the last connection closed. With the follow-ups' wait after it
/// (bounded by the same deadline in [`super::endpoint::serve`]), the process exits within 5 s.
pub const SHUTDOWN_DEADLINE: Duration = Duration::from_secs(3);

/// How often at most the refusals and timeouts are reported.
const REPORT_EVERY: Duration = Duration::from_secs(60);

/// How long a new connection at the cap waits for the idle connections to make room.
const ROOM_WAIT: Duration = Duration::from_millis(20);

/// After at least `TRIM_HIGH` connections were open at once, memory is given back
/// ([`super::trim`]) when fewer than `TRIM_LOW` remain.
const TRIM_HIGH: usize = 64;
const TRIM_LOW: usize = 8;

/// Connections that opened less than this long ago are not closed to make room: they have not
/// had the time to send anything.
const EVICT_GRACE: Duration = Duration::from_millis(500);

/// hyper's read buffer per connection: enough for any head Discord or a proxy sends; the body
/// goes through it in pieces of this size at most, so it bounds each connection's buffer.
const READ_BUFFER: usize = 16 * 1024;

/// Serves `router` on `listener` until `shutdown` completes, then closes every connection
/// within [`SHUTDOWN_DEADLINE`].
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ServerLimits,
    tally: Arc<Tally>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let room = Arc::new(Semaphore::new(limits.max_connections));
    let pressure = Arc::new(Notify::new());
    let idle = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let (stop, stopping) = watch::channel(Stop::Running);
    let connections = TaskTracker::new();
    let reporter = tokio::spawn(report(Arc::clone(&tally), limits));

    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(err) => {
                    // Out of file descriptors, mostly: the connection waits in the backlog.
                    tally.accept_errors.fetch_add(1, Ordering::Relaxed);
                    tracing::debug!(%err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let permit = match Arc::clone(&room).try_acquire_owned() {
            Ok(permit) => permit,
            // No idle connection to close: refuse at once, without holding up the accepts.
            Err(_) if idle.load(Ordering::Relaxed) == 0 => {
                tally.refused.fetch_add(1, Ordering::Relaxed);
                drop(stream);
                continue;
            }
            Err(_) => {
                pressure.notify_waiters();
                match tokio::time::timeout(ROOM_WAIT, Arc::clone(&room).acquire_owned()).await {
                    Ok(Ok(permit)) => permit,
                    // Closed (never, the semaphore lives here) or still full: refuse.
                    _ => {
                        tally.refused.fetch_add(1, Ordering::Relaxed);
                        drop(stream);
                        continue;
                    }
                }
            }
        };
        let open = limits.max_connections - room.available_permits();
        peak.fetch_max(open, Ordering::Relaxed);
        let connection = Connection {
            router: router.clone(),
            limits,
            tally: Arc::clone(&tally),
            pressure: Arc::clone(&pressure),
            idle: Arc::clone(&idle),
            stopping: stopping.clone(),
        };
        let (room, peak, max) = (Arc::clone(&room), Arc::clone(&peak), limits.max_connections);
        connections.spawn(async move {
            connection.run(stream).await;
            drop(permit);
            let open = max - room.available_permits();
            if open < TRIM_LOW && peak.load(Ordering::Relaxed) >= TRIM_HIGH {
                // One connection task trims; the others see the peak reset.
                if peak.swap(0, Ordering::Relaxed) >= TRIM_HIGH {
                    tokio::task::spawn_blocking(super::trim::after_burst);
                }
            }
        });
    }

    // Stop listening first: a load balancer sends the next request elsewhere.
    drop(listener);
    connections.close();
    let _ = stop.send(Stop::Draining);
    if tokio::time::timeout(SHUTDOWN_DEADLINE, connections.wait())
        .await
        .is_err()
    {
        let _ = stop.send(Stop::Closing);
        let _ = tokio::time::timeout(Duration::from_millis(200), connections.wait()).await;
        tracing::warn!("closed connections still busy at the shutdown deadline");
    }
    reporter.abort();
    if let Some(line) = tally.take_line(limits) {
        tracing::warn!("{line}");
    }
}

/// What the connections are told on shutdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Running,
    /// Finish the request in progress, then close; close at once when there is none.
    Draining,
    /// Close now.
    Closing,
}

struct Connection {
    router: Router,
    limits: ServerLimits,
    tally: Arc<Tally>,
    pressure: Arc<Notify>,
    /// How many connections are idle now (see [`Activity`]).
    idle: Arc<AtomicUsize>,
    stopping: watch::Receiver<Stop>,
}

impl Connection {
    async fn run(mut self, stream: TcpStream) {
        let _ = stream.set_nodelay(true);
        let activity = Arc::new(Activity::new(Arc::clone(&self.idle)));
        let io = TokioIo::new(Watched {
            stream,
            activity: Arc::clone(&activity),
        });
        let service = Marked {
            inner: TowerToHyperService::new(self.router.clone()),
            activity: Arc::clone(&activity),
        };
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            // The watchdog below times heads and idle waits apart; hyper's own timer would
            // cut an idle keep-alive connection at the header timeout.
            .header_read_timeout(None)
            .max_buf_size(READ_BUFFER);
        let connection = builder.serve_connection(io, service);
        tokio::pin!(connection);
        let mut draining = false;
        loop {
            let (phase, deadline) = activity.deadline(&self.limits);
            tokio::select! {
                result = connection.as_mut() => {
                    if let Err(err) = result {
                        tracing::debug!(%err, "connection ended with an error");
                    }
                    return;
                }
                () = tokio::time::sleep_until(deadline) => {
                    if activity.deadline(&self.limits) == (phase, deadline) {
                        match phase {
                            Phase::Idle { .. } => self.tally.idle.fetch_add(1, Ordering::Relaxed),
                            Phase::Head { .. } => self.tally.header.fetch_add(1, Ordering::Relaxed),
                            Phase::Busy => continue,
                        };
                        return;
                    }
                }
                () = self.pressure.notified(), if !draining => {
                    let evictable = match activity.phase() {
                        Phase::Idle { first: false, .. } => true,
                        Phase::Idle { since, first: true } => since.elapsed() >= EVICT_GRACE,
                        _ => false,
                    };
                    if evictable {
                        self.tally.evicted.fetch_add(1, Ordering::Relaxed);
                        return;
                    }
                }
                changed = self.stopping.changed() => {
                    let stop = if changed.is_ok() { *self.stopping.borrow() } else { Stop::Closing };
                    match stop {
                        Stop::Running => {}
                        Stop::Draining => {
                            if !matches!(activity.phase(), Phase::Busy) {
                                return;
                            }
                            draining = true;
                            connection.as_mut().graceful_shutdown();
                        }
                        Stop::Closing => return,
                    }
                }
            }
        }
    }
}

/// Where a connection is in its request cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Waiting for a request's first byte since `since`; `first` until the first request.
    Idle { since: Instant, first: bool },
    /// A request head arriving since `since`.
    Head { since: Instant },
    /// A request being read or answered.
    Busy,
}

/// A connection's phase, shared by its stream, its service and its watchdog; it also keeps
/// the server's count of idle connections, which tells the accept loop whether closing idle
/// connections can make room.
struct Activity {
    phase: Mutex<Phase>,
    idle: Arc<AtomicUsize>,
}

impl Activity {
    fn new(idle: Arc<AtomicUsize>) -> Activity {
        idle.fetch_add(1, Ordering::Relaxed);
        Activity {
            phase: Mutex::new(Phase::Idle {
                since: Instant::now(),
                first: true,
            }),
            idle,
        }
    }

    fn phase(&self) -> Phase {
        // A poisoned lock only means a panic elsewhere held it; the phase is still a value.
        *self.phase.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn set(&self, new: Phase) {
        let mut phase = self.phase.lock().unwrap_or_else(|e| e.into_inner());
        self.count(&phase, &new);
        *phase = new;
    }

    /// Bytes arrived: an idle connection is now receiving a head.
    fn read(&self) {
        let mut phase = self.phase.lock().unwrap_or_else(|e| e.into_inner());
        if let Phase::Idle { .. } = *phase {
            let new = Phase::Head {
                since: Instant::now(),
            };
            self.count(&phase, &new);
            *phase = new;
        }
    }

    fn count(&self, old: &Phase, new: &Phase) {
        match (old, new) {
            (Phase::Idle { .. }, Phase::Idle { .. }) => {}
            (Phase::Idle { .. }, _) => {
                self.idle.fetch_sub(1, Ordering::Relaxed);
            }
            (_, Phase::Idle { .. }) => {
                self.idle.fetch_add(1, Ordering::Relaxed);
            }
            _ => {}
        }
    }

    /// The current phase and when it runs out. A busy connection is looked at again after the
    /// shorter timeout, which is soon enough to time the idle wait that follows it.
    fn deadline(&self, limits: &ServerLimits) -> (Phase, Instant) {
        let phase = self.phase();
        let deadline = match phase {
            Phase::Idle { since, first: true } => since + limits.header_timeout,
            Phase::Idle {
                since,
                first: false,
            } => since + limits.idle_timeout,
            Phase::Head { since } => since + limits.header_timeout,
            Phase::Busy => Instant::now() + limits.header_timeout.min(limits.idle_timeout),
        };
        (phase, deadline)
    }
}

impl Drop for Activity {
    fn drop(&mut self) {
        if let Phase::Idle { .. } = self.phase() {
            self.idle.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

/// The TCP stream, marking the first byte of each request.
struct Watched {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.read();
        }
        result
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// The router as a hyper service, marking each request busy until its response is ready.
struct Marked {
    inner: TowerToHyperService<Router>,
    activity: Arc<Activity>,
}

impl Service<hyper::Request<Incoming>> for Marked {
    type Response = axum::response::Response;
    type Error = std::convert::Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn call(&self, request: hyper::Request<Incoming>) -> Self::Future {
        self.activity.set(Phase::Busy);
        let answer = self.inner.call(request);
        let activity = Arc::clone(&self.activity);
        Box::pin(async move {
            let response = answer.await;
            activity.set(Phase::Idle {
                since: Instant::now(),
                first: false,
            });
            response
        })
    }
}

/// Connections refused or cut since the last report.
#[derive(Debug, Default)]
pub struct Tally {
    /// Over `max_connections` with no idle connection to close.
    pub refused: AtomicU64,
    /// `accept` failed (out of file descriptors, mostly).
    pub accept_errors: AtomicU64,
    /// Cut at the header timeout.
    pub header: AtomicU64,
    /// Closed at the idle timeout.
    pub idle: AtomicU64,
    /// Idle, closed to make room for a new connection at the cap.
    pub evicted: AtomicU64,
    /// Answered 408 at the body timeout (counted by the endpoint).
    pub body: AtomicU64,
}

impl Tally {
    /// The report of what happened since the last one, and zero again; `None` when nothing
    /// was refused or cut short (idle connections closing on time are not news).
    pub fn take_line(&self, limits: ServerLimits) -> Option<String> {
        let take = |counter: &AtomicU64| counter.swap(0, Ordering::Relaxed);
        let (refused, accept_errors, header, body) = (
            take(&self.refused),
            take(&self.accept_errors),
            take(&self.header),
            take(&self.body),
        );
        let (idle, evicted) = (take(&self.idle), take(&self.evicted));
        if refused + accept_errors + header + body + evicted == 0 {
            return None;
        }
        Some(format!(
            "connections: {refused} refused at HTTP_MAX_CONNECTIONS={}, {evicted} idle closed \
             to make room, {accept_errors} accept errors (file descriptors?), {header} cut at \
             HTTP_HEADER_TIMEOUT_SECS={}, {body} cut at HTTP_BODY_TIMEOUT_SECS={}, {idle} closed \
             at HTTP_IDLE_TIMEOUT_SECS={}",
            limits.max_connections,
            limits.header_timeout.as_secs(),
            limits.body_timeout.as_secs(),
            limits.idle_timeout.as_secs(),
        ))
    }
}

async fn report(tally: Arc<Tally>, limits: ServerLimits) {
    let mut every = tokio::time::interval(REPORT_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    every.tick().await;
    loop {
        every.tick().await;
        if let Some(line) = tally.take_line(limits) {
            tracing::warn!("{line}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tally_reports_refusals_once_and_stays_quiet_for_idle_closes() {
        let tally = Tally::default();
        let limits = ServerLimits::default();
        tally.idle.fetch_add(3, Ordering::Relaxed);
        assert_eq!(tally.take_line(limits), None);
        tally.refused.fetch_add(7, Ordering::Relaxed);
        tally.header.fetch_add(2, Ordering::Relaxed);
        tally.idle.fetch_add(1, Ordering::Relaxed);
        let line = tally.take_line(limits).unwrap();
        assert!(
            line.contains("7 refused at HTTP_MAX_CONNECTIONS=256"),
            "{line}"
        );
        assert!(
            line.contains("2 cut at HTTP_HEADER_TIMEOUT_SECS=5"),
            "{line}"
        );
        assert!(
            line.contains("1 closed at HTTP_IDLE_TIMEOUT_SECS=75"),
            "{line}"
        );
        assert!(!line.contains('\n'));
        assert_eq!(tally.take_line(limits), None, "counted once");
    }

    #[test]
    fn each_phase_runs_out_after_its_own_timeout() {
        let limits = ServerLimits::default();
        let idle = Arc::new(AtomicUsize::new(0));
        let activity = Activity::new(Arc::clone(&idle));
        assert_eq!(idle.load(Ordering::Relaxed), 1);
        let Phase::Idle { since: opened, .. } = activity.phase() else {
            panic!("a new connection is idle");
        };
        assert_eq!(activity.deadline(&limits).1, opened + limits.header_timeout);
        activity.read();
        let (phase, deadline) = activity.deadline(&limits);
        let Phase::Head { since } = phase else {
            panic!("the first byte starts a head: {phase:?}");
        };
        assert_eq!(deadline, since + limits.header_timeout);
        activity.set(Phase::Busy);
        activity.read();
        assert_eq!(
            activity.phase(),
            Phase::Busy,
            "a body's bytes are not a new head"
        );
        let answered = Instant::now();
        activity.set(Phase::Idle {
            since: answered,
            first: false,
        });
        assert_eq!(activity.deadline(&limits).1, answered + limits.idle_timeout);
        assert_eq!(idle.load(Ordering::Relaxed), 1);
        drop(activity);
        assert_eq!(
            idle.load(Ordering::Relaxed),
            0,
            "a closed connection is not idle"
        );
    }
}
