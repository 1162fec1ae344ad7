//! The one way the crate writes JSON: the report (pretty for `--format json`, compact for a page's
//! worker), the CTRF document and the package's small results.
//!
//! Why not `serde_json::to_string` and `to_writer_pretty` directly: every `Serialize` impl is generic
//! over its serializer, and serde_json's serializer type names its writer and its formatter. Writing
//! the report both compact and pretty, into a `Vec` and into a `dyn Write`, compiled the whole report's
//! serialisation three times over; in the wasm package that was 63 KB of code. Here there is one
//! serializer type, whose layout (pretty or compact) and destination (memory or a writer) are chosen
//! at run time, so each impl is compiled once. The layouts are serde_json's own formatters.

use std::io;

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

/// How the JSON is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Two-space indents, one value per line: `serde_json::to_string_pretty`'s output.
    Pretty,
    /// One line without spaces: `serde_json::to_string`'s output.
    Compact,
}

/// `value` as JSON text.
pub fn to_string<T: Serialize + ?Sized>(value: &T, layout: Layout) -> Result<String, serde_json::Error> {
    let mut out = Vec::with_capacity(128);
    write(Sink::Memory(&mut out), value, layout)?;
    // SAFETY: serde_json's serializer writes UTF-8 only: `&str`s as they are (escaped), bytes as arrays
    // of numbers, and its formatters' punctuation is ASCII. `serde_json::to_string` relies on the same.
    // Checking instead cost a tenth of the time of writing a 100k-test report.
    Ok(unsafe { String::from_utf8_unchecked(out) })
}

/// Streams `value` as JSON to `w`, without holding the document in memory.
pub fn to_writer<T: Serialize + ?Sized>(
    w: &mut dyn io::Write,
    value: &T,
    layout: Layout,
) -> Result<(), serde_json::Error> {
    write(Sink::Writer(w), value, layout)
}

fn write<T: Serialize + ?Sized>(sink: Sink<'_>, value: &T, layout: Layout) -> Result<(), serde_json::Error> {
    let formatter = match layout {
        Layout::Pretty => Chosen::Pretty(PrettyFormatter::new()),
        Layout::Compact => Chosen::Compact(CompactFormatter),
    };
    value.serialize(&mut serde_json::Serializer::with_formatter(sink, formatter))
}

/// Where the JSON goes. An enum rather than `&mut dyn Write` so that writing to memory, the common
/// case, stays an inlined append instead of an indirect call per token.
enum Sink<'a> {
    Memory(&'a mut Vec<u8>),
    Writer(&'a mut dyn io::Write),
}

impl io::Write for Sink<'_> {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Memory(v) => {
                v.extend_from_slice(buf);
                Ok(buf.len())
            }
            Sink::Writer(w) => w.write(buf),
        }
    }

    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Sink::Memory(v) => {
                v.extend_from_slice(buf);
                Ok(())
            }
            Sink::Writer(w) => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Memory(_) => Ok(()),
            Sink::Writer(w) => w.flush(),
        }
    }
}

/// serde_json's pretty or compact formatter, picked at run time. Only the structural calls differ
/// between the two (numbers and strings are written by the trait's shared defaults), so only those
/// are forwarded.
enum Chosen {
    Pretty(PrettyFormatter<'static>),
    Compact(CompactFormatter),
}

/// Forwards one structural call to whichever formatter was chosen.
macro_rules! forward {
    ($($name:ident($($arg:ident: $ty:ty),*);)*) => {$(
        #[inline(never)]
        fn $name<W: ?Sized + io::Write>(&mut self, writer: &mut W $(, $arg: $ty)*) -> io::Result<()> {
            match self {
                Chosen::Pretty(f) => f.$name(writer $(, $arg)*),
                Chosen::Compact(f) => f.$name(writer $(, $arg)*),
            }
        }
    )*};
}

impl Formatter for Chosen {
    forward! {
        begin_array();
        end_array();
        begin_array_value(first: bool);
        end_array_value();
        begin_object();
        end_object();
        begin_object_key(first: bool);
        end_object_key();
        begin_object_value();
        end_object_value();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Nested objects, arrays (empty and not), strings needing escapes and numbers of every kind.
    fn sample() -> serde_json::Value {
        json!({
            "b": [1, -2, 3.5, 1e300, null, true, [], {}, [[]], {"x": {}}],
            "a": {"nested": {"deep": ["é\u{1}\"\\\n", ""]}, "empty": []},
            "c": u64::MAX,
            "d": i64::MIN,
        })
    }

    #[test]
    fn layouts_match_serde_json_byte_for_byte() {
        let v = sample();
        assert_eq!(to_string(&v, Layout::Pretty).ok(), serde_json::to_string_pretty(&v).ok());
        assert_eq!(to_string(&v, Layout::Compact).ok(), serde_json::to_string(&v).ok());
        let mut streamed = Vec::new();
        assert!(to_writer(&mut streamed, &v, Layout::Pretty).is_ok());
        assert_eq!(streamed, serde_json::to_vec_pretty(&v).unwrap_or_default());
        let mut streamed = Vec::new();
        assert!(to_writer(&mut streamed, &v, Layout::Compact).is_ok());
        assert_eq!(streamed, serde_json::to_vec(&v).unwrap_or_default());
    }

    #[test]
    fn a_failing_writer_is_an_error() {
        struct Full;
        impl io::Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let err = to_writer(&mut Full, &sample(), Layout::Pretty).err().map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some("disk full"));
    }
}
