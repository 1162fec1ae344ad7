//! The one streaming loop both XML readers (JUnit and Robot output.xml) run: quick-xml events in,
//! element starts and ends and exact text out. Entity and character references are resolved here;
//! unknown ones are kept verbatim and reported, never dropped.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::junit::entities;

/// What a reader says about a DOCTYPE that declares entities.
pub const ENTITY_DECLARATIONS: &str = "the DOCTYPE declares entities; they are never expanded or fetched, references to them are kept as written";

/// The warning for the first reference to an entity a document never defines (kept as written): one per
/// file, since a report full of `&nbsp;` would otherwise repeat it on every line.
pub fn unknown_entity_warning(file: &str, (line, col): (u32, u32), entity: &str) -> crate::Warning {
    crate::Warning::new(
        crate::WarningKind::MalformedXml,
        file,
        format!("unknown entity {entity} kept as written"),
    )
    .at(line, col)
}

pub trait XmlSink {
    fn start(&mut self, e: &BytesStart<'_>, pos: usize, empty: bool);
    fn end(&mut self, local_name: &[u8]);
    fn text(&mut self, s: &str);
    /// An entity reference that is not XML's (`&nbsp;`): it has already been passed to `text` verbatim.
    fn unknown_entity(&mut self, _entity: &str, _pos: usize) {}
    /// A DOCTYPE that declares entities. They are never expanded or fetched (no XXE, no billion laughs):
    /// references to them reach `text` verbatim and `unknown_entity`.
    fn entity_declarations(&mut self, _pos: usize) {}
    /// True while the reader is inside an element it cares about; still true at the end means the file
    /// was cut off.
    fn has_open_elements(&self) -> bool;
}

/// Reads `text` to its end. `Err((offset, message))` when the document is not well-formed or ends with
/// elements still open; what was read before has been delivered to the sink.
pub fn drive(text: &str, sink: &mut impl XmlSink) -> Result<(), (usize, String)> {
    let mut reader = Reader::from_str(text);
    let cfg = reader.config_mut();
    cfg.trim_text(false);
    cfg.check_end_names = true;
    loop {
        let pos = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        match reader.read_event() {
            Ok(Event::Start(e)) => sink.start(&e, pos, false),
            Ok(Event::Empty(e)) => {
                sink.start(&e, pos, true);
                sink.end(e.local_name().as_ref().as_bytes());
            }
            Ok(Event::End(e)) => sink.end(e.local_name().as_ref().as_bytes()),
            Ok(Event::Text(t)) => sink.text(&t.xml10_content()),
            Ok(Event::CData(c)) => sink.text(&c.xml10_content()),
            Ok(Event::GeneralRef(r)) => match entities::resolve(&r) {
                Some(c) => sink.text(c.encode_utf8(&mut [0; 4])),
                None => {
                    let verbatim = format!("&{};", &*r);
                    sink.text(&verbatim);
                    sink.unknown_entity(&verbatim, pos);
                }
            },
            Ok(Event::DocType(d)) if d.contains("<!ENTITY") => sink.entity_declarations(pos),
            Ok(Event::Eof) if sink.has_open_elements() => {
                return Err((text.len(), "the file ends before its elements are closed (truncated?)".into()));
            }
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => {
                let at = usize::try_from(reader.error_position()).unwrap_or(pos);
                return Err((at, format!("XML error: {e}")));
            }
        }
    }
}
