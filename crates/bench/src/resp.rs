//! A minimal Redis client (RESP2 over a `TcpStream`): enough to send commands and read replies, no crate.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::time::Duration;

/// A reply as RESP2 defines them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Simple(String),
    Error(String),
    Integer(i64),
    Bulk(Option<Vec<u8>>),
    Array(Option<Vec<Reply>>),
}

/// One connection to a Redis server on loopback.
pub struct Connection {
    reader: BufReader<TcpStream>,
    writer: BufWriter<TcpStream>,
}

impl Connection {
    /// Connects to `127.0.0.1:port` (loopback only), with timeouts so a stuck server cannot hang a run.
    pub fn loopback(port: u16) -> std::io::Result<Self> {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let stream = TcpStream::connect_timeout(&address, Duration::from_secs(2))?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(5)))?;
        stream.set_write_timeout(Some(Duration::from_secs(5)))?;
        Ok(Self {
            reader: BufReader::with_capacity(64 * 1024, stream.try_clone()?),
            writer: BufWriter::with_capacity(64 * 1024, stream),
        })
    }

    /// Buffers one command; nothing is sent until [`Connection::flush`].
    pub fn queue(&mut self, args: &[&[u8]]) -> std::io::Result<()> {
        write!(self.writer, "*{}\r\n", args.len())?;
        for arg in args {
            write!(self.writer, "${}\r\n", arg.len())?;
            self.writer.write_all(arg)?;
            self.writer.write_all(b"\r\n")?;
        }
        Ok(())
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }

    /// Sends one command and waits for its reply: one round trip.
    pub fn call(&mut self, args: &[&[u8]]) -> std::io::Result<Reply> {
        self.queue(args)?;
        self.flush()?;
        self.read()
    }

    /// Reads one reply.
    pub fn read(&mut self) -> std::io::Result<Reply> {
        read_reply(&mut self.reader)
    }
}

fn invalid(what: impl Into<String>) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, what.into())
}

fn line(reader: &mut impl BufRead) -> std::io::Result<String> {
    let mut text = String::new();
    reader.read_line(&mut text)?;
    if !text.ends_with("\r\n") {
        return Err(invalid(format!("truncated RESP line {text:?}")));
    }
    text.truncate(text.len() - 2);
    Ok(text)
}

fn length(text: &str) -> std::io::Result<Option<usize>> {
    let n: i64 = text
        .parse()
        .map_err(|_| invalid(format!("bad RESP length {text:?}")))?;
    Ok(usize::try_from(n).ok())
}

/// Reads one RESP2 reply from a buffered stream.
pub fn read_reply(reader: &mut impl BufRead) -> std::io::Result<Reply> {
    let text = line(reader)?;
    let (kind, rest) = text.split_at(text.len().min(1));
    Ok(match kind {
        "+" => Reply::Simple(rest.to_owned()),
        "-" => Reply::Error(rest.to_owned()),
        ":" => Reply::Integer(
            rest.parse()
                .map_err(|_| invalid(format!("bad RESP integer {rest:?}")))?,
        ),
        "$" => match length(rest)? {
            None => Reply::Bulk(None),
            Some(n) => {
                let mut data = vec![0; n + 2];
                reader.read_exact(&mut data)?;
                data.truncate(n);
                Reply::Bulk(Some(data))
            }
        },
        "*" => match length(rest)? {
            None => Reply::Array(None),
            Some(n) => {
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(read_reply(reader)?);
                }
                Reply::Array(Some(items))
            }
        },
        _ => return Err(invalid(format!("unknown RESP reply {text:?}"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(bytes: &[u8]) -> Reply {
        read_reply(&mut &bytes[..]).unwrap_or_else(|error| unreachable!("{error}"))
    }

    #[test]
    fn reads_every_reply_kind() {
        assert_eq!(parse(b"+PONG\r\n"), Reply::Simple("PONG".into()));
        assert_eq!(parse(b"-ERR no\r\n"), Reply::Error("ERR no".into()));
        assert_eq!(parse(b":42\r\n"), Reply::Integer(42));
        assert_eq!(parse(b"$-1\r\n"), Reply::Bulk(None));
        assert_eq!(
            parse(b"*2\r\n$3\r\nA01\r\n$5\r\n104.5\r\n"),
            Reply::Array(Some(vec![
                Reply::Bulk(Some(b"A01".to_vec())),
                Reply::Bulk(Some(b"104.5".to_vec())),
            ]))
        );
    }
}
