//! Just enough EBML (the binary format under Matroska/WebM) to rewrite a recording:
//! reading element ids and sizes (variable-length integers, including the "unknown
//! size" MediaRecorder writes for live streams) and writing elements back.

/// The size value meaning "unknown" (all value bits set), as MediaRecorder writes it.
pub const UNKNOWN: Option<u64> = None;

/// An element header: its id (marker bits included, as ids are usually written),
/// its data size (`None` when unknown) and the header's length in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub id: u32,
    pub size: Option<u64>,
    pub len: usize,
}

/// Reads an element id at `pos` (1 to 4 bytes, marker kept).
pub fn read_id(buf: &[u8], pos: usize) -> Option<(u32, usize)> {
    let first = *buf.get(pos)?;
    let len = first.leading_zeros() as usize + 1;
    if len > 4 || pos + len > buf.len() {
        return None;
    }
    let id = buf[pos..pos + len]
        .iter()
        .fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
    Some((id, len))
}

/// Reads a data size at `pos` (1 to 8 bytes, marker removed); `None` in the value for
/// the reserved all-ones "unknown size".
pub fn read_size(buf: &[u8], pos: usize) -> Option<(Option<u64>, usize)> {
    let first = *buf.get(pos)?;
    if first == 0 {
        return None;
    }
    let len = first.leading_zeros() as usize + 1;
    if pos + len > buf.len() {
        return None;
    }
    let mut value = u64::from(first) & ((1u64 << (8 - len)) - 1);
    for b in &buf[pos + 1..pos + len] {
        value = (value << 8) | u64::from(*b);
    }
    let all_ones = (1u64 << (7 * len)) - 1;
    Some(((value != all_ones).then_some(value), len))
}

pub fn read_header(buf: &[u8], pos: usize) -> Option<Header> {
    let (id, id_len) = read_id(buf, pos)?;
    let (size, size_len) = read_size(buf, pos + id_len)?;
    Some(Header {
        id,
        size,
        len: id_len + size_len,
    })
}

/// An unsigned integer element's value (big-endian, 0 to 8 bytes).
pub fn read_uint(data: &[u8]) -> u64 {
    data.iter()
        .take(8)
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b))
}

/// A float element's value (4 or 8 bytes; anything else reads as 0).
pub fn read_float(data: &[u8]) -> f64 {
    match data.len() {
        4 => f64::from(f32::from_be_bytes(data.try_into().unwrap_or_default())),
        8 => f64::from_be_bytes(data.try_into().unwrap_or_default()),
        _ => 0.0,
    }
}

pub fn write_id(out: &mut Vec<u8>, id: u32) {
    let bytes = id.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count().min(3);
    out.extend_from_slice(&bytes[skip..]);
}

/// Writes a known size in the fewest bytes (never the reserved all-ones value).
pub fn write_size(out: &mut Vec<u8>, size: u64) {
    let len = (1..=8).find(|n| size < (1u64 << (7 * n)) - 1).unwrap_or(8);
    let marked = size | (1u64 << (7 * len));
    out.extend_from_slice(&marked.to_be_bytes()[8 - len..]);
}

/// A whole element: id, size, data.
pub fn element(id: u32, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 12);
    write_id(&mut out, id);
    write_size(&mut out, data.len() as u64);
    out.extend_from_slice(data);
    out
}

/// An unsigned integer element in exactly 8 bytes: its length does not depend on the
/// value, so a SeekHead's size is known before the positions it holds.
pub fn uint8_element(id: u32, value: u64) -> Vec<u8> {
    element(id, &value.to_be_bytes())
}

/// An unsigned integer element in the fewest bytes.
pub fn uint_element(id: u32, value: u64) -> Vec<u8> {
    let bytes = value.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count().min(7);
    element(id, &bytes[skip..])
}

pub fn float_element(id: u32, value: f64) -> Vec<u8> {
    element(id, &value.to_be_bytes())
}

/// The children of a master element's data (known sizes only), stopping at the
/// first one that does not fit.
pub fn children(data: &[u8]) -> Vec<(u32, &[u8])> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(h) = read_header(data, pos) {
        let Some(size) = h.size else { break };
        let start = pos + h.len;
        let Some(end) = start
            .checked_add(size as usize)
            .filter(|e| *e <= data.len())
        else {
            break;
        };
        out.push((h.id, &data[start..end]));
        pos = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_round_trip_and_unknown_is_recognised() {
        for size in [0u64, 1, 126, 127, 128, 16_382, 16_383, 1 << 40] {
            let mut out = Vec::new();
            write_size(&mut out, size);
            assert_eq!(read_size(&out, 0), Some((Some(size), out.len())), "{size}");
        }
        let unknown = [0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
        assert_eq!(read_size(&unknown, 0), Some((UNKNOWN, 8)));
        assert_eq!(read_size(&[0xFF], 0), Some((UNKNOWN, 1)));
    }

    #[test]
    fn ids_keep_their_marker() {
        let mut out = Vec::new();
        write_id(&mut out, 0x1A45_DFA3);
        write_id(&mut out, 0xE7);
        assert_eq!(out, [0x1A, 0x45, 0xDF, 0xA3, 0xE7]);
        assert_eq!(read_id(&out, 0), Some((0x1A45_DFA3, 4)));
        assert_eq!(read_id(&out, 4), Some((0xE7, 1)));
    }

    #[test]
    fn elements_and_children() {
        let mut data = uint_element(0xD7, 2);
        data.extend(float_element(0x4489, 1.5));
        let kids = children(&data);
        assert_eq!(kids.len(), 2);
        assert_eq!(read_uint(kids[0].1), 2);
        assert_eq!(read_float(kids[1].1), 1.5);
    }
}
