//! The text of a Word document (`.docx`: Office Open XML, ECMA-376).
//!
//! A `.docx` is a zip archive; the body is `word/document.xml`, paragraphs `<w:p>` of runs
//! whose text is in `<w:t>` (tabs `<w:tab/>`, line breaks `<w:br/>`). Read with `zip`
//! (deflate only) and `quick-xml`. Deleted text of tracked changes (`<w:delText>`) and field
//! codes (`<w:instrText>`) are not text a reader sees, so they are left out; inserted text
//! (`<w:ins>`) is in. Paragraphs become lines separated by blank lines; the title comes from
//! the document's properties (`docProps/core.xml`, `dc:title`) when it has one.

use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::reader::Reader;

/// Largest unpacked `document.xml` read (64 MiB): a zip bomb is refused, not unpacked.
const MAX_XML_BYTES: u64 = 64 * 1024 * 1024;

/// A Word document's text and title.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Document {
    /// Paragraphs separated by blank lines.
    pub text: String,
    /// `dc:title` of the document's properties, if set.
    pub title: Option<String>,
}

/// Why a `.docx` could not be read; the message says what was expected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DocxError(pub String);

fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<String>, DocxError> {
    let Ok(file) = zip.by_name(name) else {
        return Ok(None);
    };
    let mut xml = String::new();
    file.take(MAX_XML_BYTES + 1)
        .read_to_string(&mut xml)
        .map_err(|e| DocxError(format!("cannot unpack `{name}`: {e}")))?;
    if xml.len() as u64 > MAX_XML_BYTES {
        return Err(DocxError(format!(
            "`{name}` unpacks to more than {MAX_XML_BYTES} bytes; this is not an article"
        )));
    }
    Ok(Some(xml))
}

/// Reads the text of the `.docx` in `bytes`.
pub fn extract(bytes: &[u8]) -> Result<Document, DocxError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        DocxError(format!(
            "not a Word document: a .docx is a zip archive, and this is not one ({e})"
        ))
    })?;
    let xml = part(&mut zip, "word/document.xml")?.ok_or_else(|| {
        DocxError(
            "not a Word document: the archive has no `word/document.xml` (is it another Office file?)"
                .into(),
        )
    })?;
    let text = paragraphs(&xml)?.join("\n\n");
    let title = match part(&mut zip, "docProps/core.xml")? {
        Some(core) => core_title(&core),
        None => None,
    };
    Ok(Document {
        text: if text.is_empty() { text } else { text + "\n" },
        title,
    })
}

fn xml_error(e: &dyn std::fmt::Display, at: u64) -> DocxError {
    DocxError(format!("`word/document.xml` is broken at byte {at}: {e}"))
}

/// The non-empty paragraphs of `document.xml`.
fn paragraphs(xml: &str) -> Result<Vec<String>, DocxError> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut paragraph = String::new();
    // Inside `<w:t>`: its text is the document's.
    let mut in_text = false;
    loop {
        let at = reader.buffer_position();
        match reader.read_event().map_err(|e| xml_error(&e, at))? {
            Event::Start(e) => match e.local_name().as_ref() {
                b"t" => in_text = true,
                b"p" => paragraph.clear(),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                b"tab" => paragraph.push('\t'),
                b"br" | b"cr" => paragraph.push('\n'),
                b"noBreakHyphen" => paragraph.push('\u{2011}'),
                _ => {}
            },
            Event::Text(t) if in_text => {
                let s = t.decode().map_err(|e| xml_error(&e, at))?;
                let s = quick_xml::escape::unescape(&s).map_err(|e| xml_error(&e, at))?;
                paragraph.push_str(&s);
            }
            Event::GeneralRef(r) if in_text => {
                // `&amp;`, `&#233;` and the like inside a text run.
                let name = r.decode().map_err(|e| xml_error(&e, at))?;
                let entity = format!("&{name};");
                let s = quick_xml::escape::unescape(&entity).map_err(|e| xml_error(&e, at))?;
                paragraph.push_str(&s);
            }
            Event::CData(t) if in_text => {
                paragraph.push_str(&String::from_utf8_lossy(&t));
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => {
                    let p = paragraph.trim();
                    if !p.is_empty() {
                        out.push(p.to_owned());
                    }
                    paragraph.clear();
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// `dc:title` of `docProps/core.xml`, if set.
fn core_title(xml: &str) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    let mut in_title = false;
    let mut title = String::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == b"title" => in_title = true,
            Event::End(e) if e.local_name().as_ref() == b"title" => break,
            Event::Text(t) if in_title => {
                let s = t.decode().ok()?;
                title.push_str(&quick_xml::escape::unescape(&s).ok()?);
            }
            Event::GeneralRef(r) if in_title => {
                let entity = format!("&{}", r.decode().ok()?) + ";";
                title.push_str(&quick_xml::escape::unescape(&entity).ok()?);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let title = title.trim();
    (!title.is_empty()).then(|| title.to_owned())
}

/// A minimal `.docx` holding `paragraphs` (each a list of runs) and a title, for tests and
/// fixtures: the parts a reader needs, as Word writes them.
#[cfg(test)]
pub(crate) fn build(paragraphs: &[&[&str]], title: Option<&str>) -> Vec<u8> {
    use std::io::Write as _;
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut body = String::new();
    for runs in paragraphs {
        body.push_str("<w:p>");
        for r in *runs {
            let _ = std::fmt::Write::write_fmt(
                &mut body,
                format_args!(r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#, esc(r)),
            );
        }
        body.push_str("</w:p>");
    }
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", options).expect("zip");
    zip.write_all(document.as_bytes()).expect("zip");
    if let Some(t) = title {
        zip.start_file("docProps/core.xml", options).expect("zip");
        let core = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{}</dc:title></cp:coreProperties>"#,
            esc(t)
        );
        zip.write_all(core.as_bytes()).expect("zip");
    }
    zip.finish().expect("zip").into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extract_reads_paragraphs_runs_and_title() {
        let bytes = build(
            &[
                &["Xi’s visit ", "to Moscow"],
                &[],
                &["Wang Yi (王毅) said: “no” 😊 & more"],
            ],
            Some("Xi & Putin"),
        );
        let doc = extract(&bytes).expect("docx");
        assert_eq!(
            doc.text,
            "Xi’s visit to Moscow\n\nWang Yi (王毅) said: “no” 😊 & more\n"
        );
        assert_eq!(doc.title.as_deref(), Some("Xi & Putin"));
    }

    #[test]
    fn tracked_deletions_tabs_and_breaks() {
        let xml = r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>kept</w:t></w:r><w:del><w:r><w:delText>gone</w:delText></w:r></w:del><w:ins><w:r><w:tab/><w:t>added</w:t><w:br/><w:t>next&#233;</w:t></w:r></w:ins></w:p></w:body></w:document>"#;
        assert_eq!(
            paragraphs(xml).unwrap(),
            vec!["kept\tadded\nnexté".to_owned()]
        );
    }

    #[test]
    fn not_a_docx_says_so() {
        let e = extract(b"plain text, not a zip").unwrap_err();
        assert!(e.0.contains("not a Word document"), "{e}");
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        assert!(
            extract(&bytes)
                .unwrap_err()
                .0
                .contains("no `word/document.xml`")
        );
    }
}
