//! Raster images as far as QR codes need them: the format and size from the header (no
//! dependency, no allocation), decoding to 8-bit grayscale (`png`, `zune-jpeg`, `gif`, behind
//! the `qr` feature) and finding QR codes in it (`quircs`, a port of quirc).
//!
//! Nothing here panics on malformed input: header reads are bounds-checked, the decoders
//! return errors, and their own memory limits are set from [`crate::limits`].

use crate::limits;

/// The formats QR phishing uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Png,
    Jpeg,
    Gif,
}

/// Format and dimensions, read from the header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub format: Format,
    pub width: u32,
    pub height: u32,
}

impl Header {
    pub fn pixels(&self) -> u64 {
        u64::from(self.width) * u64::from(self.height)
    }

    /// Whether a QR code can fit: both sides at least [`limits::MIN_QR_SIDE`] pixels and the
    /// image not a thin strip (banners, dividers, spacers).
    pub fn could_hold_qr(&self) -> bool {
        let (short, long) = (self.width.min(self.height), self.width.max(self.height));
        short >= limits::MIN_QR_SIDE && long / short <= limits::MAX_IMAGE_ASPECT
    }
}

/// The format and size of a PNG, JPEG or GIF, from its first bytes; `None` for anything
/// else or a header too short to read.
pub fn header(bytes: &[u8]) -> Option<Header> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        // Signature, then the IHDR chunk: length, "IHDR", width, height (big-endian).
        if bytes.get(12..16)? != b"IHDR" {
            return None;
        }
        let width = u32::from_be_bytes(bytes.get(16..20)?.try_into().ok()?);
        let height = u32::from_be_bytes(bytes.get(20..24)?.try_into().ok()?);
        return Some(Header {
            format: Format::Png,
            width,
            height,
        });
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        let width = u16::from_le_bytes(bytes.get(6..8)?.try_into().ok()?);
        let height = u16::from_le_bytes(bytes.get(8..10)?.try_into().ok()?);
        return Some(Header {
            format: Format::Gif,
            width: width.into(),
            height: height.into(),
        });
    }
    if bytes.starts_with(&[0xFF, 0xD8]) {
        return jpeg_header(bytes);
    }
    None
}

/// Walks JPEG marker segments up to the first start-of-frame, which holds the size.
fn jpeg_header(bytes: &[u8]) -> Option<Header> {
    let mut at = 2;
    for _ in 0..limits::MAX_JPEG_SEGMENTS {
        // Markers may be padded with any number of 0xFF bytes.
        while bytes.get(at) == Some(&0xFF) && bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        at += 2;
        if matches!(marker, 0x01 | 0xD0..=0xD7) {
            continue; // stand-alone markers
        }
        if matches!(marker, 0xD9 | 0xDA) {
            return None; // end of image or scan data before any frame header
        }
        let len = usize::from(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?));
        if len < 2 {
            return None;
        }
        let is_sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            // length, precision, height, width
            let height = u16::from_be_bytes(bytes.get(at + 3..at + 5)?.try_into().ok()?);
            let width = u16::from_be_bytes(bytes.get(at + 5..at + 7)?.try_into().ok()?);
            return Some(Header {
                format: Format::Jpeg,
                width: width.into(),
                height: height.into(),
            });
        }
        at += len;
    }
    None
}

/// An 8-bit grayscale picture, row by row (0 black, 255 white).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gray {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

/// Luma of an RGB colour, composited over white by `alpha` (transparent backgrounds behind
/// dark modules must read as light, not as the black a transparent pixel stores).
#[cfg_attr(not(feature = "qr"), allow(dead_code))]
#[inline]
fn luma(r: u8, g: u8, b: u8, alpha: u8) -> u8 {
    let y = (u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000;
    let a = u32::from(alpha);
    ((y * a + 255 * (255 - a)) / 255) as u8
}

/// [`luma`] with `alpha` 255.
#[cfg_attr(not(feature = "qr"), allow(dead_code))]
#[inline]
fn luma_opaque(r: u8, g: u8, b: u8) -> u8 {
    ((u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000) as u8
}

/// Decodes the first frame to grayscale. `None` when the image is malformed, truncated, or
/// not the size its header announced.
#[cfg(feature = "qr")]
pub fn decode(bytes: &[u8], header: &Header) -> Option<Gray> {
    let gray = match header.format {
        Format::Png => decode_png(bytes)?,
        Format::Jpeg => decode_jpeg(bytes)?,
        Format::Gif => decode_gif(bytes)?,
    };
    let expected = gray.width.checked_mul(gray.height)?;
    (gray.pixels.len() == expected
        && gray.width > 0
        && (gray.width * gray.height) as u64 <= limits::MAX_IMAGE_PIXELS as u64)
        .then_some(gray)
}

/// Without the `qr` feature nothing is decoded.
#[cfg(not(feature = "qr"))]
pub fn decode(_bytes: &[u8], _header: &Header) -> Option<Gray> {
    None
}

#[cfg(feature = "qr")]
fn decode_png(bytes: &[u8]) -> Option<Gray> {
    let mut reader = png_reader(bytes)?;
    let info = reader.info();
    if !info.interlaced && info.frame_control.is_none() && info.animation_control.is_none() {
        // A plain PNG, row by row from the decoder's own row buffer: the rows `next_frame`
        // would write into a frame buffer (the same transformation per row, and the rest of
        // the image data read after the last), without that buffer of up to 4 bytes a pixel.
        let (width, height) = (info.width as usize, info.height as usize);
        let samples = png_samples(reader.output_color_type().0)?;
        let mut pixels = Vec::with_capacity(width * height);
        while let Some(row) = reader.next_row().ok()? {
            gray_row(&mut pixels, row.data(), samples, width);
        }
        return Some(Gray {
            width,
            height,
            pixels,
        });
    }
    png_frame(reader)
}

/// A PNG reader set to 8-bit colour, `None` when the header is unreadable or the frame
/// would need more than [`limits::MAX_IMAGE_PIXELS`] * 4 bytes.
#[cfg(feature = "qr")]
fn png_reader(bytes: &[u8]) -> Option<png::Reader<std::io::Cursor<&[u8]>>> {
    let mut decoder = png::Decoder::new_with_limits(
        std::io::Cursor::new(bytes),
        png::Limits {
            bytes: limits::MAX_IMAGE_PIXELS * 8,
        },
    );
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let reader = decoder.read_info().ok()?;
    (reader.output_buffer_size()? <= limits::MAX_IMAGE_PIXELS * 4).then_some(reader)
}

/// Samples a pixel of an 8-bit `color_type` has; `None` for indexed colour, which the
/// reader's expansion turns into RGB(A), so it is unexpected.
#[cfg(feature = "qr")]
fn png_samples(color_type: png::ColorType) -> Option<usize> {
    match color_type {
        png::ColorType::Grayscale => Some(1),
        png::ColorType::GrayscaleAlpha => Some(2),
        png::ColorType::Rgb => Some(3),
        png::ColorType::Rgba => Some(4),
        png::ColorType::Indexed => None,
    }
}

/// The first frame through `next_frame` into a frame buffer: interlaced and animated PNGs.
#[cfg(feature = "qr")]
fn png_frame(mut reader: png::Reader<std::io::Cursor<&[u8]>>) -> Option<Gray> {
    let mut buf = vec![0; reader.output_buffer_size()?];
    let frame = reader.next_frame(&mut buf).ok()?;
    let (width, height) = (frame.width as usize, frame.height as usize);
    let samples = png_samples(frame.color_type)?;
    if frame.line_size == 0 {
        return None;
    }
    let rows = buf.get(..frame.buffer_size())?;
    let mut pixels = Vec::with_capacity(width * height);
    for row in rows.chunks(frame.line_size).take(height) {
        gray_row(&mut pixels, row, samples, width);
    }
    Some(Gray {
        width,
        height,
        pixels,
    })
}

/// Appends the gray of the first `width` pixels of a PNG row of 8-bit `samples` (1 gray,
/// 2 gray and alpha, 3 RGB, 4 RGBA).
///
/// One loop per layout (the match on the sample count outside the pixel loop), each
/// extending with a length-known iterator: the same pixels as matching every pixel. Chunk
/// sizes are constants so each loop compiles for its layout; an opaque pixel's `luma` is its
/// `y` (`(y * 255 + 0) / 255`), taken directly. Colour pixels repeat their left neighbour
/// most of the time (backgrounds, text, the modules of a code), so the last colour's gray is
/// kept and reused: a comparison instead of the arithmetic (the list corpus's pictures,
/// -139 k instructions a message).
///
/// RGBA rows are written into room made first, four pixels at a time while the pixels
/// repeat the last colour: one 16-byte comparison and one 4-byte store (the list corpus's
/// screenshots are mostly flat backgrounds). A pixel is read as one `u32`; its gray is
/// worked out in [`rgba_gray`], not inlined, since LLVM otherwise loads the four bytes one by
/// one to have them at hand and compares the colour rebuilt from them (twice the
/// instructions of the loop).
#[cfg(feature = "qr")]
fn gray_row(pixels: &mut Vec<u8>, row: &[u8], samples: usize, width: usize) {
    match samples {
        1 => pixels.extend(row.chunks_exact(1).take(width).map(|p| p[0])),
        2 => pixels.extend(
            row.chunks_exact(2)
                .take(width)
                .map(|p| luma(p[0], p[0], p[0], p[1])),
        ),
        3 => {
            let mut last = ([0u8; 3], luma_opaque(0, 0, 0));
            pixels.extend(row.chunks_exact(3).take(width).map(|p| {
                if p != last.0 {
                    last = ([p[0], p[1], p[2]], luma_opaque(p[0], p[1], p[2]));
                }
                last.1
            }))
        }
        _ => {
            let quads = &row.as_chunks::<4>().0[..width.min(row.len() / 4)];
            let start = pixels.len();
            pixels.resize(start + quads.len(), 0);
            // The last colour and its gray, from transparent black.
            let mut last = (0u32, luma(0, 0, 0, 0));
            // Four pixels at a time while they repeat the last colour (one comparison of
            // 16 bytes), else one by one.
            let (outs, out_rest) = pixels[start..].as_chunks_mut::<4>();
            let (fours, rest) = quads.as_chunks::<4>();
            for (out, four) in outs.iter_mut().zip(fours) {
                let mut bytes = [0u8; 16];
                bytes.copy_from_slice(four.as_flattened());
                if u128::from_le_bytes(bytes) == u128::from(last.0) * SPLAT4 {
                    *out = [last.1; 4];
                } else {
                    for (out, p) in out.iter_mut().zip(four) {
                        *out = rgba_step(&mut last, p);
                    }
                }
            }
            for (out, p) in out_rest.iter_mut().zip(rest) {
                *out = rgba_step(&mut last, p);
            }
        }
    }
}

/// The gray of RGBA pixel `p`, from `last` (a colour and its gray) when it repeats it; `last`
/// becomes `p`'s.
#[cfg(feature = "qr")]
#[inline]
fn rgba_step(last: &mut (u32, u8), p: &[u8; 4]) -> u8 {
    let colour = u32::from_le_bytes(*p);
    if colour != last.0 {
        *last = (colour, rgba_gray(colour));
    }
    last.1
}

/// A `u32` times this is it four times over in a `u128`.
#[cfg(feature = "qr")]
const SPLAT4: u128 = 0x0000_0001_0000_0001_0000_0001_0000_0001;

/// [`luma`] of an RGBA pixel read as one little-endian `u32`.
#[cfg(feature = "qr")]
#[inline(never)]
fn rgba_gray(colour: u32) -> u8 {
    let [r, g, b, a] = colour.to_le_bytes();
    if a == 255 {
        luma_opaque(r, g, b)
    } else {
        luma(r, g, b, a)
    }
}

#[cfg(feature = "qr")]
fn decode_jpeg(bytes: &[u8]) -> Option<Gray> {
    use zune_core::bytestream::ZCursor;
    use zune_core::colorspace::ColorSpace;
    use zune_core::options::DecoderOptions;
    let side = limits::MAX_IMAGE_PIXELS.min(1 << 16);
    let options = DecoderOptions::default()
        .set_max_width(side)
        .set_max_height(side)
        .jpeg_set_out_colorspace(ColorSpace::Luma);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    decoder.decode_headers().ok()?;
    let info = decoder.info()?;
    let (width, height) = (usize::from(info.width), usize::from(info.height));
    if width * height > limits::MAX_IMAGE_PIXELS {
        return None;
    }
    let pixels = decoder.decode().ok()?;
    // The decoder may keep colour when it cannot convert; reduce to luma ourselves then.
    let pixels = match pixels.len().checked_div(width * height)? {
        1 => pixels,
        3 => pixels
            .chunks_exact(3)
            .map(|p| luma(p[0], p[1], p[2], 255))
            .collect(),
        4 => pixels
            .chunks_exact(4)
            .map(|p| luma(p[0], p[1], p[2], p[3]))
            .collect(),
        _ => return None,
    };
    Some(Gray {
        width,
        height,
        pixels,
    })
}

#[cfg(feature = "qr")]
fn decode_gif(bytes: &[u8]) -> Option<Gray> {
    let mut options = gif::DecodeOptions::new();
    // Palette indices, turned to gray through a 256-entry table below: the same pixels as
    // expanding to RGBA and taking `luma` of each, for a fraction of the work.
    options.set_color_output(gif::ColorOutput::Indexed);
    let memory_limit = (limits::MAX_IMAGE_PIXELS * 4) as u64;
    options.set_memory_limit(gif::MemoryLimit::Bytes(std::num::NonZeroU64::new(
        memory_limit,
    )?));
    let mut decoder = options.read_info(std::io::Cursor::new(bytes)).ok()?;
    let (width, height) = (usize::from(decoder.width()), usize::from(decoder.height()));
    if width * height > limits::MAX_IMAGE_PIXELS {
        return None;
    }
    let frame = decoder.next_frame_info().ok()??;
    let (fw, fh) = (usize::from(frame.width), usize::from(frame.height));
    let (left, top) = (usize::from(frame.left), usize::from(frame.top));
    let (transparent, local) = (frame.transparent, frame.palette.clone());
    // Expanded to RGBA the frame would take 4 bytes a pixel: over the memory limit, it is
    // refused before decoding, as it always was.
    if u64::from(frame.width) * u64::from(frame.height) * 4 > memory_limit {
        return None;
    }
    if fw == 0 || fh == 0 {
        return None;
    }
    // Gray of each index as `luma` of its RGBA expansion: the frame's palette (else the
    // global one), alpha 0 for the transparent index, and an index past the palette's end
    // left at the expansion's zeroed RGBA (0, 0, 0, 0), which composites to white.
    let palette: &[u8] = match local.as_deref() {
        Some(local) => local,
        None => decoder.global_palette().unwrap_or_default(),
    };
    let mut table = [255u8; 256];
    for (i, gray) in table.iter_mut().enumerate() {
        if let Some(rgb) = palette.get(3 * i..3 * i + 3) {
            let alpha = if transparent == Some(i as u8) { 0 } else { 255 };
            *gray = luma(rgb[0], rgb[1], rgb[2], alpha);
        }
    }
    let mut indices = vec![0u8; fw * fh];
    decoder.read_into_buffer(&mut indices).ok()?;
    if (left, top, fw, fh) == (0, 0, width, height) {
        // The frame is the whole picture (the usual case): gray in place, every pixel.
        for index in &mut indices {
            *index = table[usize::from(*index)];
        }
        return Some(Gray {
            width,
            height,
            pixels: indices,
        });
    }
    // The first frame may cover only part of the logical screen: paint it on white.
    let mut pixels = vec![255u8; width * height];
    if left < width {
        let visible = fw.min(width - left);
        for (y, row) in indices.chunks(fw).enumerate() {
            let py = top + y;
            if py >= height {
                break;
            }
            let out = &mut pixels[py * width + left..][..visible];
            for (o, &index) in out.iter_mut().zip(row) {
                *o = table[usize::from(index)];
            }
        }
    }
    Some(Gray {
        width,
        height,
        pixels,
    })
}

/// The text of every QR code found in the picture, at most [`limits::MAX_QR_CODES`], each cut
/// to [`limits::MAX_QR_PAYLOAD_CHARS`] characters. Codes that are found but do not decode
/// are ignored.
#[cfg(feature = "qr")]
pub fn find_qr(gray: &Gray) -> Vec<String> {
    if gray.width == 0 || gray.pixels.len() != gray.width * gray.height {
        return Vec::new();
    }
    // Large pictures are searched at half resolution first: a third of the work, and a code
    // meant to be scanned has modules of several pixels there. Full resolution only when
    // something code-like was seen but did not decode.
    if gray.pixels.len() > limits::QR_FULL_RES_PIXELS {
        let (found, candidates) = read_codes(&halve(gray));
        if !found.is_empty() || candidates == 0 {
            return found;
        }
    }
    read_codes(gray).0
}

/// The decoded codes, and how many code-like grids were seen (decoded or not).
#[cfg(feature = "qr")]
fn read_codes(gray: &Gray) -> (Vec<String>, usize) {
    // quirc needs three capstones (finder patterns) for a grid. Counting them its way
    // ([`capstones`]) costs half of quirc's work or less (its row scan is most of it): below
    // three, quirc would find no grid, and that is the answer without calling it. Of the
    // corpora's pictures, only the one QR code gets that far.
    let threshold = otsu(&gray.pixels);
    if capstones(gray, threshold, QUIRC_MIN_CAPSTONES) < QUIRC_MIN_CAPSTONES {
        return (Vec::new(), 0);
    }
    quirc_codes(gray)
}

/// quirc's search on the picture: the decoded codes, and how many grids it saw.
#[cfg(feature = "qr")]
fn quirc_codes(gray: &Gray) -> (Vec<String>, usize) {
    let mut quirc = quircs::Quirc::default();
    let mut candidates = 0;
    let mut found = Vec::new();
    for code in quirc
        .identify(gray.width, gray.height, &gray.pixels)
        .take(limits::MAX_QR_CODES)
    {
        candidates += 1;
        if let Some(data) = code.ok().and_then(|c| c.decode().ok()) {
            found.push(
                String::from_utf8_lossy(&data.payload)
                    .chars()
                    .take(limits::MAX_QR_PAYLOAD_CHARS)
                    .collect(),
            );
        }
    }
    (found, candidates)
}

/// Capstones (finder patterns) quirc needs for one grid: a grid groups a capstone with a
/// horizontal and a vertical neighbour, two other capstones (`test_grouping` in quircs).
#[cfg(feature = "qr")]
const QUIRC_MIN_CAPSTONES: usize = 3;

/// quirc's global threshold: Otsu's method with the same arithmetic as `otsu` in quircs
/// 0.10 (`identify.rs`), wrapping sums included, so the same threshold for every picture.
/// quirc then reads a pixel as dark when its value is below the threshold.
#[cfg(feature = "qr")]
fn otsu(pixels: &[u8]) -> u8 {
    let num_pixels = pixels.len();
    // Counted in four tables, one per pixel of each group of four, then added: a run of one
    // gray (a background) would otherwise make each count wait for the one before it. The
    // same wrapping sums.
    let mut tables = [[0u32; 256]; 4];
    let mut fours = pixels.chunks_exact(4);
    for four in &mut fours {
        for (table, &value) in tables.iter_mut().zip(four) {
            let value = usize::from(value);
            table[value] = table[value].wrapping_add(1);
        }
    }
    for &value in fours.remainder() {
        let value = usize::from(value);
        tables[0][value] = tables[0][value].wrapping_add(1);
    }
    let mut histogram = [0u32; 256];
    for (i, count) in histogram.iter_mut().enumerate() {
        *count = tables
            .iter()
            .fold(0u32, |sum, table| sum.wrapping_add(table[i]));
    }
    let mut sum: u32 = 0;
    for (i, val) in histogram.iter().enumerate() {
        sum = sum.wrapping_add((i as u32).wrapping_mul(*val));
    }
    let mut sum_b: i32 = 0;
    let mut q1: i32 = 0;
    let mut max = 0_f64;
    let mut threshold = 0_u8;
    for (i, val) in histogram.iter().enumerate() {
        q1 = (q1 as u32).wrapping_add(*val) as i32;
        if q1 == 0 {
            continue;
        }
        let q2 = num_pixels as i32 - q1;
        if q2 == 0 {
            break;
        }
        sum_b = (sum_b as u32).wrapping_add((i as u32).wrapping_mul(*val)) as i32;
        let m1 = f64::from(sum_b) / f64::from(q1);
        let m2 = (f64::from(sum) - f64::from(sum_b)) / f64::from(q2);
        let m1m2 = m1 - m2;
        let variance = m1m2 * m1m2 * f64::from(q1) * f64::from(q2);
        if variance >= max {
            threshold = i as u8;
            max = variance;
        }
    }
    threshold
}

/// Bit `i` set when byte `i` of `chunk` (at most 64 bytes) is below `threshold`: a piece of
/// a row of quirc's dark/light picture. `spread` is the threshold in every byte of a `u64`;
/// eight pixels at a time without branches, the last few one by one.
#[cfg(feature = "qr")]
#[inline]
fn dark_mask(chunk: &[u8], threshold: u8, spread: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut mask = 0;
    let mut eights = chunk.chunks_exact(8);
    for (i, eight) in (&mut eights).enumerate() {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(eight);
        let x = u64::from_le_bytes(bytes);
        // Per byte, high bit: the low seven bits of x at least the threshold's (no borrow
        // crosses bytes: each byte of `x | HIGH` is ≥ 0x80, of `spread & !HIGH` ≤ 0x7f).
        let low_ge = (x | HIGH) - (spread & !HIGH);
        let at_least = ((x & !spread) | (!(x ^ spread) & low_ge)) & HIGH;
        let below = !at_least & HIGH;
        // Gather the eight high bits into one byte, pixel j at bit j.
        let byte = (below >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56;
        mask |= byte << (8 * i);
    }
    let done = chunk.len() - eights.remainder().len();
    for (j, &value) in eights.remainder().iter().enumerate() {
        mask |= u64::from(value < threshold) << (done + j);
    }
    mask
}

/// How many capstones (finder patterns) quirc's `identify` records in `gray` thresholded at
/// `threshold`, counting up to `enough` (it stops there). The same steps as `finder_scan`,
/// `test_capstone`, `region_code` and `record_capstone` in quircs 0.10, but scanning a bit
/// map of the dark pixels ([`dark_rows`]), 64 pixels a step, and making quirc's pixel values
/// only when a row shows a pattern to test (most pictures show some; the scan is the bulk
/// of quirc's work), its flood fills stepping over words of that bit map:
/// - a pixel is dark when below the threshold; quirc's flood fills only relabel dark pixels
///   (with labels ≥ 1), so its row scan sees the dark and light runs of the picture;
/// - a pattern is tested when a dark run ends in light after at least five runs in the row,
///   with quirc's 1:1:3:1:1 tolerance on the last five;
/// - a test takes the regions under the ring's right end, the stone and the ring's left
///   end, created in that order (at most 65,534 labels, as quirc), each by the same span
///   flood fill in the same order, so with the same pixel count (quirc's fill may count a
///   pixel twice; this one does too);
/// - quirc's corner search refills the ring with 1 and back, which leaves every label as it
///   was (a region is a whole dark component), so it is not repeated;
/// - at most 32 capstones; regions are marked only when recorded, as in quirc.
///
/// Tests compare the count with quirc's own (`quircs::Quirc::num_capstones`), and the
/// fills' regions with a pixel-by-pixel fill's.
#[cfg(feature = "qr")]
fn capstones(gray: &Gray, threshold: u8, enough: usize) -> usize {
    let width = gray.width;
    if width == 0 || gray.pixels.len() != width * gray.height {
        return 0;
    }
    let (dark, words) = dark_rows(gray, threshold);
    let mut finder = Finder::new(gray, threshold, &dark);
    let last_word = u64::MAX >> (64 * words - width);
    for (y, row) in dark.chunks(words).enumerate() {
        // quirc starts a row "light" but does not count a change at its first pixel: the
        // same as starting with the first pixel's colour.
        let mut previous = row[0] & 1;
        let mut dark = previous != 0;
        let mut run_start = 0usize;
        let mut ended = 0usize;
        let mut pb = [0i32; 5];
        for (c, &mask) in row.iter().enumerate() {
            // Bit i: pixel i differs from the one before it (a run ends there).
            let mut changes = mask ^ ((mask << 1) | previous);
            if c + 1 == words {
                changes &= last_word; // no change past the last pixel
            }
            previous = mask >> 63;
            while changes != 0 {
                let x = 64 * c + changes.trailing_zeros() as usize;
                changes &= changes - 1;
                pb.copy_within(1.., 0);
                pb[4] = (x - run_start) as i32;
                run_start = x;
                ended += 1;
                dark = !dark;
                if !dark && ended >= 5 && finder_ratios(&pb) {
                    finder.test(x, y, &pb);
                    if finder.capstones >= enough {
                        return finder.capstones;
                    }
                }
            }
        }
    }
    finder.capstones
}

/// quirc's dark pixels of `gray` (below `threshold`), a bit each, and the words a row takes:
/// bit i of a row's word k is pixel 64 k + i, and the bits past the width are clear. The
/// row scan of [`capstones`] reads them, and the flood fills start from a copy.
#[cfg(feature = "qr")]
fn dark_rows(gray: &Gray, threshold: u8) -> (Vec<u64>, usize) {
    let spread = u64::from(threshold) * 0x0101_0101_0101_0101;
    let words = gray.width.div_ceil(64);
    let mut dark = Vec::with_capacity(words * gray.height);
    for row in gray.pixels.chunks(gray.width.max(1)) {
        dark.extend(
            row.chunks(64)
                .map(|chunk| dark_mask(chunk, threshold, spread)),
        );
    }
    (dark, words)
}

/// quirc's `finder_scan` test of the last five run widths: 1:1:3:1:1, each within three
/// quarters of the mean width of the four thin runs.
#[cfg(feature = "qr")]
#[inline]
fn finder_ratios(pb: &[i32; 5]) -> bool {
    let avg = (pb[0] + pb[1] + pb[3] + pb[4]) / 4;
    let err = avg * 3 / 4;
    [1, 1, 3, 1, 1]
        .iter()
        .zip(pb)
        .all(|(check, pb)| *pb >= check * avg - err && *pb <= check * avg + err)
}

/// A dark region as quirc keeps it: its pixel count and whether it is part of a capstone.
#[cfg(feature = "qr")]
#[derive(Clone, Copy)]
struct Region {
    count: i32,
    capstone: bool,
}

/// The state of [`capstones`]: quirc's pixel values (`labels`: 0 light, 1 dark without a
/// region, else the dark pixel's region, an index in `regions` from 2 as in quirc), made at
/// the first test; the same value 1 as set bits of `unlabelled` (rows of `words` words, as
/// [`dark_rows`]), which the flood fills read and clear a word (64 pixels) at a time instead
/// of a value at a time; the regions, and the flood fill's stack.
#[cfg(feature = "qr")]
struct Finder<'a> {
    gray: &'a Gray,
    threshold: u8,
    words: usize,
    dark: &'a [u64],
    unlabelled: Vec<u64>,
    labels: Vec<u16>,
    regions: Vec<Region>,
    stack: Vec<(usize, usize)>,
    capstones: usize,
}

#[cfg(feature = "qr")]
impl<'a> Finder<'a> {
    /// The state before any test, for `gray` whose [`dark_rows`] at `threshold` are `dark`.
    fn new(gray: &'a Gray, threshold: u8, dark: &'a [u64]) -> Self {
        Finder {
            gray,
            threshold,
            words: gray.width.div_ceil(64),
            dark,
            unlabelled: Vec::new(),
            labels: Vec::new(),
            regions: Vec::new(),
            stack: Vec::new(),
            capstones: 0,
        }
    }

    /// Makes quirc's pixel values, once: every dark pixel unlabelled.
    fn start(&mut self) {
        if !self.labels.is_empty() {
            return;
        }
        self.unlabelled = self.dark.to_vec();
        // Made from the picture rather than zeroed: no dearer, and zeroing is a `memset`
        // (its `rep stosb` counts as an instruction a byte under valgrind).
        let threshold = self.threshold;
        self.labels = self
            .gray
            .pixels
            .iter()
            .map(|&v| u16::from(v < threshold))
            .collect();
        // quirc's two unused regions: its values 0 and 1 mean light and unlabelled dark.
        let unused = Region {
            count: 0,
            capstone: false,
        };
        self.regions = vec![unused; 2];
    }

    /// quirc's `test_capstone` for the pattern `pb` whose last dark run ends before `x`.
    fn test(&mut self, x: usize, y: usize, pb: &[i32; 5]) {
        self.start();
        let x = x as i64;
        let ring_right = self.region_code(x - i64::from(pb[4]), y);
        let stone = self.region_code(x - i64::from(pb[4] + pb[3] + pb[2]), y);
        let ring_left = self.region_code(x - i64::from(pb[4] + pb[3] + pb[2] + pb[1] + pb[0]), y);
        let (Some(ring_left), Some(ring_right), Some(stone)) = (ring_left, ring_right, stone)
        else {
            return;
        };
        if ring_left != ring_right || ring_left == stone {
            return;
        }
        let (stone_region, ring_region) = (self.regions[stone], self.regions[ring_left]);
        if stone_region.capstone || ring_region.capstone {
            return;
        }
        // quircs computes in i32 (wrapping in its release build); a count is at least 1.
        let ratio = stone_region.count.wrapping_mul(100) / ring_region.count;
        if !(10..=70).contains(&ratio) || self.capstones >= 32 {
            return;
        }
        self.capstones += 1;
        self.regions[stone].capstone = true;
        self.regions[ring_left].capstone = true;
    }

    /// quirc's `region_code`: the region of the dark pixel at (x, y), made by a flood fill
    /// if it has none yet; `None` for a light pixel, outside the picture or past the labels.
    fn region_code(&mut self, x: i64, y: usize) -> Option<usize> {
        if x < 0 || x >= self.gray.width as i64 || y >= self.gray.height {
            return None;
        }
        let x = x as usize;
        match self.labels[y * self.gray.width + x] {
            0 => return None,
            1 => {}
            label => return Some(usize::from(label)),
        }
        let region = self.regions.len();
        if region >= 65_534 {
            return None;
        }
        let count = self.fill(x, y, region as u16);
        self.regions.push(Region {
            count,
            capstone: false,
        });
        Some(region)
    }

    /// quirc's `flood_fill_seed` from 1 (unlabelled dark) to `label`, step for step (the
    /// same spans in the same order), returning the sum of the span widths (`area_count`).
    /// A span is the seed widened over the unlabelled pixels either side of it (the seed
    /// itself may be labelled already: quirc counts it again); then the first unlabelled
    /// pixel of each run of them under the span, in the row above and then the row below,
    /// left to right, goes on the stack. Each of these steps works a word (64 pixels) at a
    /// time here.
    fn fill(&mut self, x: usize, y: usize, label: u16) -> i32 {
        let (width, height, words) = (self.gray.width, self.gray.height, self.words);
        let mut count = 0i32;
        let mut stack = std::mem::take(&mut self.stack);
        stack.clear();
        stack.push((x, y));
        while let Some((x, y)) = stack.pop() {
            let row = &mut self.unlabelled[y * words..][..words];
            let (left, right) = (x - ones_before(row, x), x + ones_after(row, x));
            // The span's words, and the bits of its first and last word that lie in it.
            let (first, last) = (left / 64, right / 64);
            let (low, high) = (u64::MAX << (left % 64), u64::MAX >> (63 - right % 64));
            let in_span = |i: usize| {
                let mut mask = if i == 0 { low } else { u64::MAX };
                if first + i == last {
                    mask &= high;
                }
                mask
            };
            for (i, word) in row[first..=last].iter_mut().enumerate() {
                *word &= !in_span(i);
            }
            self.labels[y * width..][left..=right].fill(label);
            count = count.wrapping_add((right - left + 1) as i32);
            for next in [y.wrapping_sub(1), y + 1] {
                if next >= height {
                    continue; // above the first row (wrapped) or below the last
                }
                let row = &self.unlabelled[next * words..][first..=last];
                let mut carry = 0;
                for (i, word) in row.iter().enumerate() {
                    let set = word & in_span(i);
                    // Set pixels whose left neighbour in the span is not: where runs start.
                    let mut starts = set & !((set << 1) | carry);
                    carry = set >> 63;
                    while starts != 0 {
                        stack.push((64 * (first + i) + starts.trailing_zeros() as usize, next));
                        starts &= starts - 1;
                    }
                }
            }
        }
        self.stack = stack;
        count
    }
}

/// How many set bits run down from pixel `x - 1` (pixels `x - n..x` all set) in a row of
/// words.
#[cfg(feature = "qr")]
#[inline]
fn ones_before(row: &[u64], x: usize) -> usize {
    let mut end = x;
    while end > 0 {
        let bit = (end - 1) % 64;
        // Pixel `end - 1` at the top; zeros come in below the word's first pixel.
        let ones = (row[(end - 1) / 64] << (63 - bit)).leading_ones() as usize;
        end -= ones;
        if ones <= bit {
            break;
        }
    }
    x - end
}

/// How many set bits run up from pixel `x + 1` in a row of words (bits past the picture's
/// width are clear, so a run stops there).
#[cfg(feature = "qr")]
#[inline]
fn ones_after(row: &[u64], x: usize) -> usize {
    let mut start = x + 1;
    while let Some(word) = row.get(start / 64) {
        let bit = start % 64;
        let ones = (word >> bit).trailing_ones() as usize;
        start += ones;
        if ones < 64 - bit {
            break;
        }
    }
    start - (x + 1)
}

/// The picture at half width and height, each pixel the mean of a 2 x 2 block (an odd last
/// column or row is left out).
#[cfg(feature = "qr")]
fn halve(gray: &Gray) -> Gray {
    let (width, height) = (gray.width / 2, gray.height / 2);
    let mut pixels = Vec::with_capacity(width * height);
    if gray.width > 0 {
        for rows in gray.pixels.chunks_exact(2 * gray.width).take(height) {
            let (top, bottom) = rows.split_at(gray.width);
            pixels.extend(
                top.chunks_exact(2)
                    .zip(bottom.chunks_exact(2))
                    .map(|(t, b)| {
                        let sum =
                            u16::from(t[0]) + u16::from(t[1]) + u16::from(b[0]) + u16::from(b[1]);
                        (sum / 4) as u8
                    }),
            );
        }
    }
    Gray {
        width,
        height,
        pixels,
    }
}

/// Without the `qr` feature nothing is found.
#[cfg(not(feature = "qr"))]
pub fn find_qr(_gray: &Gray) -> Vec<String> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_header(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend_from_slice(&w.to_be_bytes());
        b.extend_from_slice(&h.to_be_bytes());
        b.extend_from_slice(&[8, 0, 0, 0, 0]);
        b
    }

    #[test]
    fn reads_headers() {
        assert_eq!(
            header(&png_header(640, 480)),
            Some(Header {
                format: Format::Png,
                width: 640,
                height: 480
            })
        );
        assert_eq!(
            header(b"GIF89a\x20\x00\x10\x00rest"),
            Some(Header {
                format: Format::Gif,
                width: 32,
                height: 16
            })
        );
        // SOI, an APP0 segment of 16 bytes, then SOF0: length 17, precision 8, 300 x 200.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
        jpeg.extend_from_slice(&[0; 14]);
        jpeg.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0xC8, 0x01, 0x2C]);
        assert_eq!(
            header(&jpeg),
            Some(Header {
                format: Format::Jpeg,
                width: 300,
                height: 200
            })
        );
        assert_eq!(header(b"\x89PNG\r\n\x1a\n\0\0"), None);
        assert_eq!(header(&[0xFF, 0xD8, 0xFF]), None);
        assert_eq!(header(&[0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xFF]), None);
        assert_eq!(header(b"BM...."), None);
    }

    #[test]
    fn prefilters() {
        let h = |width, height| Header {
            format: Format::Png,
            width,
            height,
        };
        assert!(h(100, 100).could_hold_qr());
        assert!(!h(1, 1).could_hold_qr());
        assert!(!h(600, 20).could_hold_qr());
        assert!(!h(800, 40).could_hold_qr());
        assert!(h(600, 200).could_hold_qr());
    }

    #[test]
    fn luma_composites_over_white() {
        for (r, g, b) in [(0, 0, 0), (255, 255, 255), (12, 200, 99), (255, 0, 7)] {
            assert_eq!(luma_opaque(r, g, b), luma(r, g, b, 255));
        }
        assert_eq!(luma(0, 0, 0, 0), 255);
        assert_eq!(luma(0, 0, 0, 255), 0);
        assert_eq!(luma(255, 255, 255, 255), 255);
    }

    /// quirc's `otsu` as written there: one histogram.
    #[cfg(feature = "qr")]
    fn otsu_slowly(pixels: &[u8]) -> u8 {
        let mut histogram = [0u32; 256];
        for &value in pixels {
            histogram[usize::from(value)] = histogram[usize::from(value)].wrapping_add(1);
        }
        let mut sum: u32 = 0;
        for (i, val) in histogram.iter().enumerate() {
            sum = sum.wrapping_add((i as u32).wrapping_mul(*val));
        }
        let (mut sum_b, mut q1, mut max, mut threshold) = (0i32, 0i32, 0f64, 0u8);
        for (i, val) in histogram.iter().enumerate() {
            q1 = (q1 as u32).wrapping_add(*val) as i32;
            if q1 == 0 {
                continue;
            }
            let q2 = pixels.len() as i32 - q1;
            if q2 == 0 {
                break;
            }
            sum_b = (sum_b as u32).wrapping_add((i as u32).wrapping_mul(*val)) as i32;
            let m1 = f64::from(sum_b) / f64::from(q1);
            let m2 = (f64::from(sum) - f64::from(sum_b)) / f64::from(q2);
            let variance = (m1 - m2) * (m1 - m2) * f64::from(q1) * f64::from(q2);
            if variance >= max {
                threshold = i as u8;
                max = variance;
            }
        }
        threshold
    }

    #[cfg(feature = "qr")]
    #[test]
    fn otsu_counts_as_quirc() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for len in (0..40).chain([255, 1000, 4097]) {
            for _ in 0..20 {
                // Two-tone pictures with noise and runs, as codes and screenshots are.
                let (dark, light) = (next() as u8 / 2, 128 + next() as u8 / 2);
                let mut pixels = Vec::with_capacity(len);
                while pixels.len() < len {
                    let value = match next() % 5 {
                        0 => next() as u8,
                        1 | 2 => dark,
                        _ => light,
                    };
                    let run = 1 + next() as usize % 9;
                    pixels.extend(std::iter::repeat_n(value, run.min(len - pixels.len())));
                }
                assert_eq!(otsu(&pixels), otsu_slowly(&pixels), "{pixels:?}");
            }
        }
        let real = include_bytes!("testdata/url.png");
        let gray = decode(real, &header(real).expect("header")).expect("decodes");
        assert_eq!(otsu(&gray.pixels), otsu_slowly(&gray.pixels));
    }

    #[cfg(feature = "qr")]
    #[test]
    fn gray_rows_are_the_luma_of_every_pixel() {
        // Rows with runs of one colour and changes, starting with the colour the reuse
        // starts from (black, transparent black), for every layout and shorter widths.
        let mut state = 0x0123_4567_89ab_cdef_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for samples in 1..=4 {
            for round in 0..200 {
                let mut row = Vec::new();
                let mut pixel = vec![0u8; samples];
                while row.len() < 64 * samples {
                    if round > 0 || !row.is_empty() {
                        for byte in &mut pixel {
                            *byte = match next() % 4 {
                                0 => 0,
                                1 => 255,
                                _ => next() as u8,
                            };
                        }
                    }
                    // Short runs, and long ones for the four-pixel steps.
                    let longest = if round % 2 == 0 { 5 } else { 14 };
                    for _ in 0..1 + next() % longest {
                        row.extend_from_slice(&pixel);
                    }
                }
                let width = row.len() / samples - (next() % 3) as usize;
                let want: Vec<u8> = row
                    .chunks_exact(samples)
                    .take(width)
                    .map(|p| match *p {
                        [v] => v,
                        [v, a] => luma(v, v, v, a),
                        [r, g, b] => luma(r, g, b, 255),
                        [r, g, b, a] => luma(r, g, b, a),
                        _ => unreachable!(),
                    })
                    .collect();
                let mut got = vec![7];
                gray_row(&mut got, &row, samples, width);
                assert_eq!(got[0], 7);
                assert_eq!(got[1..], want[..], "{samples} samples, round {round}");
            }
        }
    }

    #[cfg(feature = "qr")]
    #[test]
    fn malformed_images_are_none() {
        let mut truncated = png_header(64, 64);
        truncated.extend_from_slice(&[0xde, 0xad]);
        let h = header(&truncated).unwrap_or(Header {
            format: Format::Png,
            width: 0,
            height: 0,
        });
        assert_eq!(decode(&truncated, &h), None);
        let gif = b"GIF89a\x40\x00\x40\x00\xf7\x00\x00garbage";
        assert_eq!(decode(gif, &header(gif).expect("gif header")), None);
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x40, 0x00, 0x40, 0x01,
        ];
        assert_eq!(decode(&jpeg, &header(&jpeg).expect("jpeg header")), None);
    }

    #[cfg(feature = "qr")]
    #[test]
    fn decodes_qr_in_every_format() {
        // Generated with segno and Pillow (testdata/: PNG 1-bit, PNG with a transparent
        // background, baseline JPEG, palette GIF).
        let want = vec!["https://mfa-reset.example/enrol?u=1".to_string()];
        for bytes in [
            &include_bytes!("testdata/url.png")[..],
            include_bytes!("testdata/transparent.png"),
            include_bytes!("testdata/url.jpg"),
            include_bytes!("testdata/url.gif"),
        ] {
            let h = header(bytes).expect("header");
            let gray = decode(bytes, &h).expect("decodes");
            assert_eq!((gray.width as u32, gray.height as u32), (h.width, h.height));
            assert_eq!(find_qr(&gray), want, "{:?}", h.format);
        }
    }

    #[cfg(feature = "qr")]
    #[test]
    fn large_pictures_are_searched_at_half_size_first() {
        let bytes = include_bytes!("testdata/url.png");
        let qr = decode(bytes, &header(bytes).expect("header")).expect("decodes");
        // A 1400 x 900 "poster" (1.26 MP) with the code enlarged 3 times in the middle.
        let (width, height) = (1400, 900);
        let mut pixels = vec![230u8; width * height];
        for y in 0..qr.height * 3 {
            for x in 0..qr.width * 3 {
                pixels[(300 + y) * width + 500 + x] = qr.pixels[(y / 3) * qr.width + x / 3];
            }
        }
        let poster = Gray {
            width,
            height,
            pixels,
        };
        assert!(poster.pixels.len() > limits::QR_FULL_RES_PIXELS);
        assert_eq!(halve(&poster).width, 700);
        assert_eq!(find_qr(&poster), ["https://mfa-reset.example/enrol?u=1"]);
    }

    /// PNG decoding through `next_frame` into a frame buffer, as before the row by row
    /// decoding of plain PNGs.
    #[cfg(feature = "qr")]
    fn decode_png_frame(bytes: &[u8]) -> Option<Gray> {
        png_frame(png_reader(bytes)?)
    }

    /// A PNG of every colour type and depth, with a palette and transparency where it has one.
    #[cfg(feature = "qr")]
    fn png_of(color: png::ColorType, depth: png::BitDepth, seed: u64) -> Vec<u8> {
        let (width, height) = (37u32, 23u32);
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, width, height);
            encoder.set_color(color);
            encoder.set_depth(depth);
            if color == png::ColorType::Indexed {
                encoder.set_palette((0..48u8).map(|i| i.wrapping_mul(37)).collect::<Vec<_>>());
                encoder.set_trns(vec![0u8, 128, 255, 7]);
            }
            let mut writer = encoder.write_header().expect("header");
            let samples = match color {
                png::ColorType::Grayscale | png::ColorType::Indexed => 1,
                png::ColorType::GrayscaleAlpha => 2,
                png::ColorType::Rgb => 3,
                png::ColorType::Rgba => 4,
            };
            let bits = samples * depth as usize;
            let line = (width as usize * bits).div_ceil(8);
            let mut state = seed | 1;
            let data: Vec<u8> = (0..line * height as usize)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    // Indexed pixels stay mostly inside the 16-entry palette.
                    if color == png::ColorType::Indexed && depth == png::BitDepth::Eight {
                        (state % 20) as u8
                    } else {
                        state as u8
                    }
                })
                .collect();
            writer.write_image_data(&data).expect("data");
        }
        out
    }

    #[cfg(feature = "qr")]
    #[test]
    fn png_rows_match_frame_decoding() {
        use png::{BitDepth, ColorType};
        let mut originals = vec![
            include_bytes!("testdata/url.png").to_vec(),
            include_bytes!("testdata/transparent.png").to_vec(),
        ];
        let kinds = [
            (ColorType::Grayscale, BitDepth::One),
            (ColorType::Grayscale, BitDepth::Four),
            (ColorType::Grayscale, BitDepth::Eight),
            (ColorType::Grayscale, BitDepth::Sixteen),
            (ColorType::GrayscaleAlpha, BitDepth::Eight),
            (ColorType::GrayscaleAlpha, BitDepth::Sixteen),
            (ColorType::Rgb, BitDepth::Eight),
            (ColorType::Rgb, BitDepth::Sixteen),
            (ColorType::Rgba, BitDepth::Eight),
            (ColorType::Rgba, BitDepth::Sixteen),
            (ColorType::Indexed, BitDepth::Two),
            (ColorType::Indexed, BitDepth::Eight),
        ];
        for (i, (color, depth)) in kinds.into_iter().enumerate() {
            originals.push(png_of(color, depth, 0x5eed + i as u64));
        }
        let mut state = 0x7777_0000_1234_5678_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for original in &originals {
            let want = decode_png_frame(original);
            assert!(want.is_some());
            assert_eq!(decode_png(original), want);
            for cut in (8..original.len()).step_by(5) {
                assert_eq!(
                    decode_png(&original[..cut]),
                    decode_png_frame(&original[..cut])
                );
            }
            for _ in 0..200 {
                let mut bytes = original.clone();
                for _ in 0..1 + next() % 4 {
                    let at = (next() as usize) % bytes.len();
                    bytes[at] = next() as u8;
                }
                assert_eq!(decode_png(&bytes), decode_png_frame(&bytes));
            }
        }
    }

    /// `halve` as it was: pixel by pixel.
    #[cfg(feature = "qr")]
    fn halve_pixelwise(gray: &Gray) -> Gray {
        let (width, height) = (gray.width / 2, gray.height / 2);
        let mut pixels = Vec::with_capacity(width * height);
        for y in 0..height {
            let top = &gray.pixels[2 * y * gray.width..][..gray.width];
            let bottom = &gray.pixels[(2 * y + 1) * gray.width..][..gray.width];
            for x in 0..width {
                let sum = u16::from(top[2 * x])
                    + u16::from(top[2 * x + 1])
                    + u16::from(bottom[2 * x])
                    + u16::from(bottom[2 * x + 1]);
                pixels.push((sum / 4) as u8);
            }
        }
        Gray {
            width,
            height,
            pixels,
        }
    }

    #[cfg(feature = "qr")]
    #[test]
    fn halving_matches_pixelwise_means() {
        let mut state = 0x4242_4242_1357_9bdf_u64;
        for (width, height) in [(1, 1), (2, 2), (3, 5), (64, 33), (101, 77), (1400, 9)] {
            let pixels = (0..width * height)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as u8
                })
                .collect();
            let gray = Gray {
                width,
                height,
                pixels,
            };
            assert_eq!(halve(&gray), halve_pixelwise(&gray), "{width} x {height}");
        }
    }

    /// The GIF decoding before the palette table: expand to RGBA, then `luma` per pixel.
    #[cfg(feature = "qr")]
    fn decode_gif_rgba(bytes: &[u8]) -> Option<Gray> {
        let mut options = gif::DecodeOptions::new();
        options.set_color_output(gif::ColorOutput::RGBA);
        options.set_memory_limit(gif::MemoryLimit::Bytes(std::num::NonZeroU64::new(
            (limits::MAX_IMAGE_PIXELS * 4) as u64,
        )?));
        let mut decoder = options.read_info(std::io::Cursor::new(bytes)).ok()?;
        let (width, height) = (usize::from(decoder.width()), usize::from(decoder.height()));
        if width * height > limits::MAX_IMAGE_PIXELS {
            return None;
        }
        let frame = decoder.read_next_frame().ok()??;
        let mut pixels = vec![255u8; width * height];
        let (fw, fh) = (usize::from(frame.width), usize::from(frame.height));
        if fw == 0 || fh == 0 {
            return None;
        }
        let (left, top) = (usize::from(frame.left), usize::from(frame.top));
        for (y, row) in frame.buffer.chunks(fw * 4).take(fh).enumerate() {
            for (x, p) in row.chunks_exact(4).enumerate() {
                let (px, py) = (left + x, top + y);
                if px < width && py < height {
                    pixels[py * width + px] = luma(p[0], p[1], p[2], p[3]);
                }
            }
        }
        Some(Gray {
            width,
            height,
            pixels,
        })
    }

    /// A GIF with a local palette, a transparent index, indices past the palette's end and
    /// a frame partly off the logical screen.
    #[cfg(feature = "qr")]
    fn odd_gif() -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut encoder =
                gif::Encoder::new(&mut out, 30, 24, &[0, 0, 0, 255, 255, 255]).expect("encoder");
            let mut frame = gif::Frame {
                left: 10,
                top: 6,
                width: 30,
                height: 20,
                transparent: Some(2),
                palette: Some(vec![10, 20, 30, 200, 100, 50, 0, 0, 0, 90, 90, 90]),
                ..gif::Frame::default()
            };
            let indices: Vec<u8> = (0..30 * 20).map(|i| (i * 7 % 6) as u8).collect();
            frame.buffer = std::borrow::Cow::Owned(indices);
            encoder.write_frame(&frame).expect("frame");
        }
        out
    }

    #[cfg(feature = "qr")]
    #[test]
    fn gif_palette_table_matches_rgba_expansion() {
        let mut state = 0x1234_5678_9abc_def1_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for original in [include_bytes!("testdata/url.gif").to_vec(), odd_gif()] {
            let want = decode_gif_rgba(&original);
            assert!(want.is_some());
            assert_eq!(decode_gif(&original), want);
            for _ in 0..300 {
                let mut bytes = original.clone();
                for _ in 0..1 + next() % 4 {
                    let at = (next() as usize) % bytes.len();
                    bytes[at] = next() as u8;
                }
                assert_eq!(decode_gif(&bytes), decode_gif_rgba(&bytes));
            }
        }
    }

    #[cfg(feature = "qr")]
    #[test]
    fn truncated_real_images_do_not_panic() {
        for bytes in [
            &include_bytes!("testdata/url.png")[..],
            include_bytes!("testdata/url.jpg"),
            include_bytes!("testdata/url.gif"),
        ] {
            for cut in (0..bytes.len()).step_by(7) {
                if let Some(h) = header(&bytes[..cut])
                    && let Some(gray) = decode(&bytes[..cut], &h)
                {
                    let _ = find_qr(&gray);
                }
            }
        }
    }

    /// The capstone count, the threshold and the answer, each against quirc's own on one
    /// picture; the count returned (quirc's).
    #[cfg(feature = "qr")]
    fn check_against_quirc(gray: &Gray) -> usize {
        let threshold = otsu(&gray.pixels);
        let mut quirc = quircs::Quirc::default();
        let grids = quirc
            .identify(gray.width, gray.height, &gray.pixels)
            .count();
        let size = (gray.width, gray.height);
        // quirc's pixels after `identify`: 0 light, else dark (1 or a region label).
        for (i, (&value, &pixel)) in gray.pixels.iter().zip(&quirc.pixels).enumerate() {
            assert_eq!(value < threshold, pixel != 0, "pixel {i} of {size:?}");
        }
        let count = capstones(gray, threshold, usize::MAX);
        assert_eq!(count, quirc.num_capstones(), "capstones of {size:?}");
        assert_eq!(capstones(gray, threshold, 3), count.min(3), "{size:?}");
        if count < QUIRC_MIN_CAPSTONES {
            assert_eq!(grids, 0, "{size:?}");
        }
        assert_eq!(read_codes(gray), quirc_codes(gray), "{size:?}");
        count
    }

    #[cfg(feature = "qr")]
    #[test]
    fn dark_mask_is_a_comparison_per_pixel() {
        let values: Vec<u8> = (0..=255).chain((0..=255).rev()).map(|v| v as u8).collect();
        for threshold in 0..=255u8 {
            let spread = u64::from(threshold) * 0x0101_0101_0101_0101;
            for start in 0..values.len() - 64 {
                for len in [1, 7, 8, 9, 31, 63, 64] {
                    let chunk = &values[start..start + len];
                    let want = chunk
                        .iter()
                        .enumerate()
                        .fold(0u64, |m, (i, &v)| m | u64::from(v < threshold) << i);
                    assert_eq!(dark_mask(chunk, threshold, spread), want);
                }
            }
        }
    }

    /// The capstone count equals quirc's on real QR pictures at several sizes and placements,
    /// damaged ones, inverted ones, blocks, stripes and noise, with widths that are not
    /// multiples of 8 or 64; whenever it is below three quirc finds no grid, and the search
    /// gives the same codes as quirc alone.
    #[cfg(feature = "qr")]
    #[test]
    fn capstone_count_matches_quirc() {
        let mut state = 0x0ddb_a11c_afe5_eed5_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut qrs = Vec::new();
        for bytes in [
            &include_bytes!("testdata/url.png")[..],
            include_bytes!("testdata/transparent.png"),
            include_bytes!("testdata/url.jpg"),
            include_bytes!("testdata/url.gif"),
        ] {
            qrs.push(decode(bytes, &header(bytes).expect("header")).expect("decodes"));
        }
        let mut seen = [0usize; 4];
        let mut pictures = qrs.clone();
        pictures.extend(qrs.iter().map(halve));
        pictures.push(halve(&halve(&qrs[2])));
        for round in 0..160 {
            let qr = &qrs[round % qrs.len()];
            let scale = 1 + (next() % 3) as usize;
            let width = 21 + (next() % 300) as usize;
            let height = 21 + (next() % 250) as usize;
            let background = if next() % 3 == 0 { 0 } else { next() as u8 };
            let mut pixels = vec![background; width * height];
            // Blocks of random gray levels.
            for _ in 0..next() % 12 {
                let (bw, bh) = (1 + next() as usize % 40, 1 + next() as usize % 40);
                let (bx, by) = (next() as usize % width, next() as usize % height);
                let level = next() as u8;
                for y in by..(by + bh).min(height) {
                    for x in bx..(bx + bw).min(width) {
                        pixels[y * width + x] = level;
                    }
                }
            }
            // A QR code, scaled, placed (maybe partly outside), maybe inverted.
            if round % 5 != 4 {
                let (ox, oy) = (next() as usize % width, next() as usize % height);
                let (ox, oy) = if round % 3 == 0 {
                    (0, 0)
                } else {
                    (ox / 3, oy / 3)
                };
                let invert = next() % 7 == 0;
                for y in 0..qr.height * scale {
                    for x in 0..qr.width * scale {
                        let (px, py) = (ox + x, oy + y);
                        if px < width && py < height {
                            let v = qr.pixels[(y / scale) * qr.width + x / scale];
                            pixels[py * width + px] = if invert { 255 - v } else { v };
                        }
                    }
                }
            }
            // Noise: flipped pixels, from none to a lot.
            let flips = match round % 4 {
                0 => 0,
                1 => width * height / 200,
                2 => width * height / 20,
                _ => width * height / 3,
            };
            for _ in 0..flips {
                let at = next() as usize % pixels.len();
                pixels[at] = next() as u8;
            }
            // Stripes 1:1:3:1:1 across some rows.
            if round % 6 == 5 {
                let unit = 1 + next() as usize % 4;
                for y in 0..height / 2 {
                    for x in 0..width {
                        let phase = (x / unit) % 9;
                        let dark = matches!(phase, 0 | 2..=4 | 6);
                        pixels[y * width + x] = if dark { 10 } else { 240 };
                    }
                }
            }
            pictures.push(Gray {
                width,
                height,
                pixels,
            });
        }
        for (width, height) in [(1, 1), (1, 40), (40, 1), (63, 2), (65, 3), (128, 1)] {
            let pixels = (0..width * height).map(|_| next() as u8).collect();
            pictures.push(Gray {
                width,
                height,
                pixels,
            });
        }
        for gray in &pictures {
            let count = check_against_quirc(gray);
            seen[count.min(3)] += 1;
        }
        // The pictures cover every case of the count.
        assert!(seen.iter().all(|&n| n > 0), "{seen:?}");
    }

    /// Checks every picture of one message against quirc ([`check_against_quirc`]): each
    /// image part and `data:` image decoded, at half size too for large pictures. Returns how
    /// many pictures were checked.
    #[cfg(feature = "qr")]
    fn check_pictures_of(message: &[u8]) -> usize {
        let Some(parsed) = mail_parser::MessageParser::new().parse(message) else {
            return 0;
        };
        let mut images: Vec<Vec<u8>> = Vec::new();
        for part in &parsed.parts {
            images.push(part.contents().to_vec());
            if let mail_parser::PartType::Html(html) = &part.body {
                images.extend(super::super::data_uri_images(html));
            }
        }
        let mut checked = 0;
        for bytes in images {
            let Some(h) = header(&bytes) else { continue };
            if !h.could_hold_qr() || h.pixels() > limits::MAX_IMAGE_PIXELS as u64 {
                continue;
            }
            let Some(gray) = decode(&bytes, &h) else {
                continue;
            };
            check_against_quirc(&gray);
            if gray.pixels.len() > limits::QR_FULL_RES_PIXELS {
                check_against_quirc(&halve(&gray));
            }
            checked += 1;
        }
        checked
    }

    /// The messages of a corpus file (`.tar.gz` of messages or `.mbox.gz`); none for others.
    #[cfg(feature = "qr")]
    #[allow(clippy::disallowed_methods)] // a test reading files, not the engine
    fn corpus_messages(path: &std::path::Path) -> Vec<Vec<u8>> {
        use std::io::Read;
        let Ok(file) = std::fs::File::open(path) else {
            return Vec::new();
        };
        let name = path.to_string_lossy();
        let mut messages = Vec::new();
        if name.ends_with(".tar.gz") {
            let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
            for entry in archive.entries().expect("tar") {
                let mut buf = Vec::new();
                if let Ok(mut entry) = entry
                    && entry.read_to_end(&mut buf).is_ok()
                {
                    messages.push(buf);
                }
            }
        } else if name.ends_with(".mbox.gz") {
            let mut raw = Vec::new();
            flate2::read::GzDecoder::new(file)
                .read_to_end(&mut raw)
                .expect("mbox");
            for line in raw.split_inclusive(|b| *b == b'\n') {
                if line.starts_with(b"From ") {
                    messages.push(Vec::new());
                } else if let Some(m) = messages.last_mut() {
                    m.extend_from_slice(line);
                }
            }
        }
        messages
    }

    /// Every picture of the project's fixtures, and of the evaluation corpora when they are
    /// there (`MAILWARD_CORPUS` or `../shared/corpus`: 117 pictures, about 13 s in a debug
    /// build): capstone count and QR answer against quirc's.
    #[cfg(feature = "qr")]
    #[test]
    #[allow(clippy::disallowed_methods)] // a test reading files, not the engine
    fn capstone_count_matches_quirc_on_real_pictures() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut fixtures = 0;
        let mut dirs = vec![root.join("../../tests/fixtures")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("fixtures directory") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "eml") {
                    fixtures += check_pictures_of(&std::fs::read(&path).expect("fixture"));
                }
            }
        }
        // The QR-code fixtures' pictures (PNG, JPEG, GIF, data: URIs) and the others.
        assert!(fixtures >= 6, "{fixtures} fixture pictures");
        let corpus = std::env::var_os("MAILWARD_CORPUS")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| root.join("../../../shared/corpus"));
        if let Ok(entries) = std::fs::read_dir(&corpus) {
            let mut pictures = 0;
            for entry in entries {
                let path = entry.expect("entry").path();
                for message in corpus_messages(&path) {
                    pictures += check_pictures_of(&message);
                }
            }
            assert!(pictures > 0, "no picture in {}", corpus.display());
        }
    }

    /// quirc's `region_code` and `flood_fill_seed` as the port had them, a `u16` value a
    /// pixel (0 light, 1 dark without a region, else the region) and one value at a time:
    /// the oracle for [`Finder`]'s fills. `counts` holds the regions' pixel counts, from 2.
    #[cfg(feature = "qr")]
    fn region_code_slowly(
        map: &mut [u16],
        counts: &mut Vec<i32>,
        (width, height): (usize, usize),
        x: i64,
        y: usize,
    ) -> Option<usize> {
        if x < 0 || x >= width as i64 || y >= height {
            return None;
        }
        let x = x as usize;
        match map[y * width + x] {
            0 => return None,
            1 => {}
            label => return Some(usize::from(label)),
        }
        let label = counts.len();
        if label >= 65_534 {
            return None;
        }
        let mut count = 0i32;
        let mut stack = vec![(x, y)];
        while let Some((x, y)) = stack.pop() {
            let row = &mut map[y * width..][..width];
            let (mut left, mut right) = (x, x);
            while left > 0 && row[left - 1] == 1 {
                left -= 1;
            }
            while right < width - 1 && row[right + 1] == 1 {
                right += 1;
            }
            row[left..=right].fill(label as u16);
            count = count.wrapping_add((right - left + 1) as i32);
            for next in [y.wrapping_sub(1), y + 1] {
                if next >= height {
                    continue;
                }
                let mut prev_matched = false;
                for (i, &value) in map[next * width..][left..=right].iter().enumerate() {
                    if value == 1 {
                        if !prev_matched {
                            stack.push((left + i, next));
                            prev_matched = true;
                        }
                    } else {
                        prev_matched = false;
                    }
                }
            }
        }
        counts.push(count);
        Some(label)
    }

    /// [`Finder`]'s regions (a word of pixels at a time) against the oracle's (a pixel at a
    /// time) on noise, blocks, rings and QR codes at widths around multiples of 64: the same
    /// region for every probe, the same pixel counts (seeds counted twice included), and in
    /// the end the same values for every pixel.
    #[cfg(feature = "qr")]
    #[test]
    fn fills_match_the_pixel_by_pixel_fill() {
        let mut rng = crate::test_rng::Lcg(0x5eed_f111);
        let bytes = include_bytes!("testdata/url.png");
        let qr = decode(bytes, &header(bytes).expect("header")).expect("decodes");
        let mut doubled = 0;
        for round in 0..300 {
            let width = [1, 5, 63, 64, 65, 127, 128, 129, 200][round % 9] + rng.below(3);
            let height = 1 + rng.below(90);
            let mut pixels = vec![200u8; width * height];
            match round % 4 {
                // Noise of every density: many small regions, seeds filled twice.
                0 => {
                    let density = 1 + rng.below(9);
                    for p in &mut pixels {
                        *p = if rng.below(10) < density { 20 } else { 200 };
                    }
                }
                // Blocks and rings (holes) of dark, across word boundaries.
                1 | 2 => {
                    for _ in 0..1 + rng.below(12) {
                        let (bx, by) = (rng.below(width), rng.below(height));
                        let (bw, bh) = (1 + rng.below(100), 1 + rng.below(40));
                        let ring = rng.below(2) == 0;
                        for y in by..(by + bh).min(height) {
                            for x in bx..(bx + bw).min(width) {
                                let edge =
                                    x == bx || y == by || x + 1 == bx + bw || y + 1 == by + bh;
                                if !ring || edge {
                                    pixels[y * width + x] = 20;
                                }
                            }
                        }
                    }
                }
                // A QR code, placed anywhere.
                _ => {
                    let (ox, oy) = (rng.below(width), rng.below(height));
                    for y in 0..qr.height {
                        for x in 0..qr.width {
                            if ox + x < width && oy + y < height {
                                pixels[(oy + y) * width + ox + x] = qr.pixels[y * qr.width + x];
                            }
                        }
                    }
                }
            }
            let gray = Gray {
                width,
                height,
                pixels,
            };
            let threshold = 128;
            let (dark, _) = dark_rows(&gray, threshold);
            let mut finder = Finder::new(&gray, threshold, &dark);
            finder.start();
            let mut map: Vec<u16> = gray.pixels.iter().map(|&v| u16::from(v < 128)).collect();
            let mut counts = vec![0, 0];
            for _ in 0..60 {
                let x = rng.below(width + 2) as i64 - 1;
                let y = rng.below(height + 1);
                let want = region_code_slowly(&mut map, &mut counts, (width, height), x, y);
                assert_eq!(
                    finder.region_code(x, y),
                    want,
                    "{width} x {height} at {x}, {y}"
                );
                if let Some(label) = want {
                    assert_eq!(finder.regions[label].count, counts[label]);
                }
            }
            assert_eq!(finder.labels, map, "{width} x {height}");
            let filled = map.iter().filter(|&&v| v >= 2).count() as i32;
            doubled += counts.iter().sum::<i32>() - filled;
        }
        // Some fills counted a pixel twice, as quirc's do.
        assert!(doubled > 0);
    }

    #[cfg(feature = "qr")]
    #[test]
    fn finds_nothing_in_noise() {
        // A deterministic pseudo-random pattern: no finder patterns, no panic.
        let (width, height) = (97, 89);
        let mut state = 0x2545_f491_u32;
        let pixels = (0..width * height)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                if state & 1 == 0 { 0 } else { 255 }
            })
            .collect();
        let gray = Gray {
            width,
            height,
            pixels,
        };
        assert!(find_qr(&gray).is_empty());
    }
}
