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
    let mut decoder = png::Decoder::new_with_limits(
        std::io::Cursor::new(bytes),
        png::Limits {
            bytes: limits::MAX_IMAGE_PIXELS * 8,
        },
    );
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().ok()?;
    let size = reader.output_buffer_size()?;
    if size > limits::MAX_IMAGE_PIXELS * 4 {
        return None;
    }
    let mut buf = vec![0; size];
    let frame = reader.next_frame(&mut buf).ok()?;
    let (width, height) = (frame.width as usize, frame.height as usize);
    let samples = match frame.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        // EXPAND turns indexed images into RGB(A); anything else is unexpected.
        png::ColorType::Indexed => return None,
    };
    if frame.line_size == 0 {
        return None;
    }
    let rows = buf.get(..frame.buffer_size())?;
    let mut pixels = Vec::with_capacity(width * height);
    // One loop per layout (the match on the sample count outside the pixel loop), each
    // extending with a length-known iterator: the same pixels as matching every pixel.
    // Chunk sizes are constants so each loop compiles for its layout; an opaque pixel's
    // `luma` is its `y` (`(y * 255 + 0) / 255`), taken directly.
    for row in rows.chunks(frame.line_size).take(height) {
        match samples {
            1 => pixels.extend(row.chunks_exact(1).take(width).map(|p| p[0])),
            2 => pixels.extend(
                row.chunks_exact(2)
                    .take(width)
                    .map(|p| luma(p[0], p[0], p[0], p[1])),
            ),
            3 => pixels.extend(
                row.chunks_exact(3)
                    .take(width)
                    .map(|p| luma_opaque(p[0], p[1], p[2])),
            ),
            _ => pixels.extend(row.chunks_exact(4).take(width).map(|p| {
                if p[3] == 255 {
                    luma_opaque(p[0], p[1], p[2])
                } else {
                    luma(p[0], p[1], p[2], p[3])
                }
            })),
        }
    }
    Some(Gray {
        width,
        height,
        pixels,
    })
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

/// The picture at half width and height, each pixel the mean of a 2 x 2 block.
#[cfg(feature = "qr")]
fn halve(gray: &Gray) -> Gray {
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
