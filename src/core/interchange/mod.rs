//! Other tools' formats, in and out.
//!
//! - Articles in ([`articles`]): plain text, web pages ([`html`]), Word documents ([`docx`])
//!   and news database exports holding many articles ([`multi`]).
//! - Annotations in and out, claim by claim: brat standoff ([`brat`]), WebAnno TSV 3.3 as
//!   INCEpTION reads and writes it ([`webanno`]) and Label Studio JSON tasks
//!   ([`labelstudio`]). Readers produce a [`foreign::ForeignDoc`]; turning it into an
//!   annotation file (finding the article, checking labels, converting offsets with the
//!   article's own text, re-anchoring when the text differs) is shared ([`foreign`]).
//! - Out for statistics: one row per sentence, one column per coder ([`wide`]).

pub mod articles;
pub mod brat;
pub mod docx;
pub mod foreign;
pub mod html;
pub mod labelstudio;
pub mod multi;
pub mod offsets;
pub mod webanno;
pub mod wide;
