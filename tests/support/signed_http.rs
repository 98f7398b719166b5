//! What Discord does to reach an interactions endpoint, for the tests and the load generator: an
//! Ed25519 key pair, signed requests (signature over timestamp + body), and a small HTTP/1.1
//! client over one keep-alive TCP connection (Content-Length or chunked bodies).

#![allow(dead_code)]

use ed25519_dalek::{Signer, SigningKey};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// A key pair made from a seed; its public half goes in DISCORD_PUBLIC_KEY.
pub struct Key(SigningKey);

impl Key {
    pub fn from_seed(seed: u8) -> Key {
        let mut bytes = [0u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            // Any 32 bytes are a valid secret key.
            *byte = seed
                .wrapping_mul(31)
                .wrapping_add(i as u8)
                .wrapping_mul(167);
        }
        Key(SigningKey::from_bytes(&bytes))
    }

    pub fn public_hex(&self) -> String {
        hex(&self.0.verifying_key().to_bytes())
    }

    pub fn verifier(&self) -> serenity::interactions_endpoint::Verifier {
        serenity::interactions_endpoint::Verifier::try_new(self.0.verifying_key().to_bytes())
            .unwrap()
    }

    /// The X-Signature-Ed25519 value for this timestamp and body.
    pub fn sign(&self, timestamp: &str, body: &[u8]) -> String {
        let message = [timestamp.as_bytes(), body].concat();
        hex(&self.0.sign(&message).to_bytes())
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The headers Discord sends with `body`, signed now by `key`.
pub fn signed_headers(key: &Key, body: &[u8]) -> Vec<(String, String)> {
    signed_headers_at(key, body, unix_now())
}

pub fn signed_headers_at(key: &Key, body: &[u8], timestamp: i64) -> Vec<(String, String)> {
    let timestamp = timestamp.to_string();
    vec![
        (
            "X-Signature-Ed25519".to_string(),
            key.sign(&timestamp, body),
        ),
        ("X-Signature-Timestamp".to_string(), timestamp),
        ("Content-Type".to_string(), "application/json".to_string()),
    ]
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|err| panic!("not JSON ({err}): {}", self.text()))
    }
}

/// How the body goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    ContentLength,
    /// Chunks of this many bytes, no Content-Length.
    Chunked(usize),
    /// This Content-Length, whatever the body sent.
    Declared(usize),
}

/// One keep-alive connection.
pub struct Client {
    reader: BufReader<TcpStream>,
    host: String,
}

impl Client {
    pub async fn connect(address: &str) -> std::io::Result<Client> {
        let stream = TcpStream::connect(address).await?;
        stream.set_nodelay(true)?;
        Ok(Client {
            reader: BufReader::new(stream),
            host: address.to_string(),
        })
    }

    /// The connection itself, to watch it after the last response.
    pub fn into_stream(self) -> TcpStream {
        self.reader.into_inner()
    }

    pub async fn post(
        &mut self,
        path: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> std::io::Result<Response> {
        self.request("POST", path, headers, body, Framing::ContentLength)
            .await
    }

    pub async fn get(&mut self, path: &str) -> std::io::Result<Response> {
        self.request("GET", path, &[], b"", Framing::ContentLength)
            .await
    }

    /// Sends a request and reads the response. Write errors after the head are ignored: a
    /// server may answer (413) and close before the whole body is sent.
    pub async fn request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(String, String)],
        body: &[u8],
        framing: Framing,
    ) -> std::io::Result<Response> {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.host);
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        match framing {
            Framing::ContentLength => head.push_str(&format!("Content-Length: {}\r\n", body.len())),
            Framing::Chunked(_) => head.push_str("Transfer-Encoding: chunked\r\n"),
            Framing::Declared(length) => head.push_str(&format!("Content-Length: {length}\r\n")),
        }
        head.push_str("\r\n");
        let stream = self.reader.get_mut();
        stream.write_all(head.as_bytes()).await?;
        let _ = match framing {
            Framing::ContentLength | Framing::Declared(_) => stream.write_all(body).await,
            Framing::Chunked(size) => write_chunked(stream, body, size).await,
        };
        self.read_response().await
    }

    async fn read_response(&mut self) -> std::io::Result<Response> {
        let mut line = String::new();
        if self.reader.read_line(&mut line).await? == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the server closed the connection",
            ));
        }
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).await?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
            }
        }
        let find = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v): &(String, String)| v.clone())
        };
        let body = if find("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
            let mut body = Vec::new();
            loop {
                let mut size = String::new();
                self.reader.read_line(&mut size).await?;
                let size = usize::from_str_radix(size.trim(), 16)
                    .map_err(|_| std::io::Error::other("bad chunk size"))?;
                let mut chunk = vec![0; size + 2];
                self.reader.read_exact(&mut chunk).await?;
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
            body
        } else {
            let length: usize = find("content-length")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let mut body = vec![0; length];
            self.reader.read_exact(&mut body).await?;
            body
        };
        Ok(Response {
            status,
            headers,
            body,
        })
    }
}

async fn write_chunked(stream: &mut TcpStream, body: &[u8], size: usize) -> std::io::Result<()> {
    for chunk in body.chunks(size.max(1)) {
        stream
            .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
            .await?;
        stream.write_all(chunk).await?;
        stream.write_all(b"\r\n").await?;
    }
    stream.write_all(b"0\r\n\r\n").await
}
