//! The finaliser's view of its input: positioned reads of bounded size through a
//! small buffer, never the whole file in memory.

use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::ops::Range;

use crate::recordings::ebml::{self, Header};

/// The read buffer: headers and block headers are read a few bytes at a time, so most
/// reads come from here; skipping a block's payload is a seek.
const BUFFER: usize = 64 * 1024;

pub struct Source<R> {
    inner: BufReader<R>,
    /// Where `inner` is.
    pos: u64,
    /// Nothing at or after this is read (the file's length or the caller's limit).
    pub end: u64,
}

impl<R: Read + Seek> Source<R> {
    /// Reads `input` up to `limit` bytes (or its end).
    pub fn new(mut input: R, limit: u64) -> io::Result<Self> {
        let len = input.seek(SeekFrom::End(0))?;
        input.seek(SeekFrom::Start(0))?;
        Ok(Self {
            inner: BufReader::with_capacity(BUFFER, input),
            pos: 0,
            end: len.min(limit),
        })
    }

    fn go(&mut self, to: u64) -> io::Result<()> {
        if to != self.pos {
            // A relative seek keeps the buffer when the target is inside it.
            match i64::try_from(i128::from(to) - i128::from(self.pos)) {
                Ok(delta) => self.inner.seek_relative(delta)?,
                Err(_) => {
                    self.inner.seek(SeekFrom::Start(to))?;
                }
            }
            self.pos = to;
        }
        Ok(())
    }

    /// Up to `max` bytes at `at` (fewer at the end of the input).
    pub fn bytes(&mut self, at: u64, max: u64) -> io::Result<Vec<u8>> {
        let n = max.min(self.end.saturating_sub(at));
        self.go(at)?;
        let mut buf = Vec::with_capacity(n as usize);
        (&mut self.inner).take(n).read_to_end(&mut buf)?;
        self.pos = at + buf.len() as u64;
        Ok(buf)
    }

    /// The element header at `at`, if a whole one is there.
    pub fn header(&mut self, at: u64) -> io::Result<Option<Header>> {
        // 4 bytes of id and 8 of size at most.
        let buf = self.bytes(at, 12)?;
        Ok(ebml::read_header(&buf, 0))
    }

    /// Copies `range` of the input to `out`.
    pub fn copy(&mut self, range: Range<u64>, out: &mut impl Write) -> io::Result<()> {
        self.go(range.start)?;
        let want = range.end.saturating_sub(range.start);
        let copied = io::copy(&mut (&mut self.inner).take(want), out)?;
        self.pos = range.start + copied;
        if copied != want {
            // The input shrank between the two passes.
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        Ok(())
    }
}
