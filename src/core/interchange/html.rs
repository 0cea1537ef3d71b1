//! The main text of a web page: what a reader reads, without navigation, ads and scripts.
//!
//! Parsed with `scraper` (html5ever, the HTML5 parsing algorithm browsers use, so broken
//! markup is repaired the way a browser would). The text comes from the page's `<article>`
//! (the longest one if there are several), else `<main>` or `[role=main]`, else `<body>`.
//! Inside it, subtrees that are never the article are dropped: scripts, styles, forms,
//! navigation, asides, hidden elements, and elements whose class or id names them as ads,
//! share bars, newsletters, related links, comments or cookie banners. Block elements
//! (paragraphs, headings, list items, quotes, captions) become paragraphs separated by blank
//! lines, so Stance's segmenter sees them as it sees a `.txt` article; whitespace inside a
//! block collapses as a browser collapses it (a no-break space stays).

use scraper::{ElementRef, Html, Node, Selector};

/// A page's main text, title and address.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    /// The text: paragraphs separated by blank lines, the title first.
    pub text: String,
    /// The page's title (`og:title`, else `<title>`, else the first `<h1>`).
    pub title: Option<String>,
    /// The page's address (`<link rel=canonical>`, else `og:url`).
    pub url: Option<String>,
}

/// Elements whose content is never part of an article.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "aside", "form", "button", "select", "input",
    "textarea", "iframe", "svg", "canvas", "video", "audio", "object", "embed", "dialog", "menu",
    "head",
];

/// Class or id words that mark page furniture (matched as whole words of the attribute,
/// split at anything that is not a letter or digit).
const FURNITURE: &[&str] = &[
    "ad",
    "ads",
    "advert",
    "adverts",
    "advertisement",
    "advertising",
    "adslot",
    "dfp",
    "sponsored",
    "sponsor",
    "promo",
    "promotion",
    "newsletter",
    "subscribe",
    "subscription",
    "signup",
    "social",
    "share",
    "sharing",
    "related",
    "recommended",
    "recommendations",
    "outbrain",
    "taboola",
    "cookie",
    "cookies",
    "consent",
    "banner",
    "sidebar",
    "comments",
    "comment",
    "popup",
    "modal",
    "paywall",
    "breadcrumb",
    "breadcrumbs",
    "navigation",
    "navbar",
    "menu",
    "masthead",
    "skip",
];

/// Elements that end a line of text.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "table",
    "tr",
    "td",
    "th",
    "caption",
    "address",
    "hr",
    "body",
];

fn selector(s: &str) -> Option<Selector> {
    Selector::parse(s).ok()
}

fn first_attr(doc: &Html, css: &str, attr: &str) -> Option<String> {
    let sel = selector(css)?;
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr))
        .map(|v| collapse(v).trim().to_owned())
        .find(|v| !v.is_empty())
}

fn first_text(doc: &Html, css: &str) -> Option<String> {
    let sel = selector(css)?;
    doc.select(&sel)
        .map(|e| collapse(&e.text().collect::<String>()).trim().to_owned())
        .find(|v| !v.is_empty())
}

/// Collapses runs of HTML whitespace (not the no-break space) to one space.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}') {
            space = true;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

fn is_furniture(e: &ElementRef<'_>) -> bool {
    let v = e.value();
    if DROPPED.contains(&v.name()) {
        return true;
    }
    if v.attr("hidden").is_some()
        || v.attr("aria-hidden") == Some("true")
        || matches!(
            v.attr("role"),
            Some("navigation" | "banner" | "complementary" | "contentinfo")
        )
    {
        return true;
    }
    let words = |a: &str| {
        a.split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| FURNITURE.contains(&w.to_ascii_lowercase().as_str()))
    };
    v.attr("class").is_some_and(words) || v.attr("id").is_some_and(words)
}

/// Walks the tree under `e`, collecting lines of text.
struct Collector {
    /// Finished paragraphs, each a list of lines.
    paragraphs: Vec<Vec<String>>,
    /// Lines of the paragraph being read.
    lines: Vec<String>,
    line: String,
    /// Inside `<pre>`: whitespace is kept as is.
    pre: usize,
    /// Dropping `<header>`/`<footer>` too (the page body is the container).
    drop_page_chrome: bool,
}

impl Collector {
    fn end_line(&mut self) {
        let line = self
            .line
            .trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\r'));
        if !line.is_empty() {
            self.lines.push(line.to_owned());
        }
        self.line.clear();
    }

    fn end_block(&mut self) {
        self.end_line();
        if !self.lines.is_empty() {
            self.paragraphs.push(std::mem::take(&mut self.lines));
        }
    }

    fn walk(&mut self, e: ElementRef<'_>) {
        for child in e.children() {
            match child.value() {
                Node::Text(t) => {
                    if self.pre > 0 {
                        for (i, part) in t.split('\n').enumerate() {
                            if i > 0 {
                                self.end_line();
                            }
                            self.line.push_str(part);
                        }
                    } else {
                        let c = collapse(t);
                        if self.line.ends_with(' ') {
                            self.line.push_str(c.trim_start_matches(' '));
                        } else {
                            self.line.push_str(&c);
                        }
                    }
                }
                Node::Element(el) => {
                    let Some(child) = ElementRef::wrap(child) else {
                        continue;
                    };
                    let name = el.name();
                    if is_furniture(&child)
                        || (self.drop_page_chrome && matches!(name, "header" | "footer"))
                    {
                        continue;
                    }
                    if name == "br" {
                        self.end_line();
                        continue;
                    }
                    let block = BLOCKS.contains(&name);
                    if block {
                        self.end_block();
                    }
                    if name == "pre" {
                        self.pre += 1;
                    }
                    self.walk(child);
                    if name == "pre" {
                        self.pre -= 1;
                    }
                    if block {
                        self.end_block();
                    }
                }
                _ => {}
            }
        }
    }
}

/// The main text of the page in `html`; `None` when it has no text at all.
pub fn extract(html: &str) -> Option<Page> {
    let doc = Html::parse_document(html);
    let title = first_attr(&doc, r#"meta[property="og:title"]"#, "content")
        .or_else(|| first_text(&doc, "title"))
        .or_else(|| first_text(&doc, "h1"));
    let url = first_attr(&doc, r#"link[rel="canonical"]"#, "href")
        .or_else(|| first_attr(&doc, r#"meta[property="og:url"]"#, "content"));
    let text_len = |e: &ElementRef<'_>| e.text().map(str::len).sum::<usize>();
    let pick = |css: &str| {
        let sel = selector(css)?;
        doc.select(&sel).max_by_key(|e| text_len(e))
    };
    let (container, chrome) = match pick("article").or_else(|| pick("main, [role=main]")) {
        Some(e) => (e, false),
        None => (pick("body").unwrap_or_else(|| doc.root_element()), true),
    };
    let mut c = Collector {
        paragraphs: Vec::new(),
        lines: Vec::new(),
        line: String::new(),
        pre: 0,
        drop_page_chrome: chrome,
    };
    c.walk(container);
    c.end_block();
    if c.paragraphs.is_empty() {
        return None;
    }
    // The title heads the article (Stance takes an article's first line as its title) unless
    // the article's own headline already says it.
    if let Some(t) = &title
        && !c
            .paragraphs
            .iter()
            .flatten()
            .take(3)
            .any(|l| l == t || t.starts_with(l.as_str()))
    {
        c.paragraphs.insert(0, vec![t.clone()]);
    }
    let paragraphs: Vec<String> = c.paragraphs.iter().map(|p| p.join("\n")).collect();
    let mut text = paragraphs.join("\n\n");
    text.push('\n');
    Some(Page { text, title, url })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extract_keeps_the_article_and_drops_furniture() {
        let html = r#"<!doctype html><html><head><title>Xi in Moscow – Example News</title>
            <link rel="canonical" href="https://example.com/xi-moscow">
            <script>var ad = "Buy now";</script></head>
            <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
            <header class="site-header">Example News</header>
            <article><h1>Xi in  Moscow</h1>
              <p class="byline">By Marián Šeliga</p>
              <div class="ad-slot">Advertisement: buy shoes</div>
              <p>Xi said the <b>talks</b> were
                 “frank”.&nbsp;Putin agreed.</p>
              <ul class="share-bar"><li>Share on X</li></ul>
              <figure><img src="a.jpg"><figcaption>Photo: Xinhua</figcaption></figure>
              <p>Line one<br>line two</p>
            </article>
            <aside>Related: other stories</aside><footer>© 2023</footer></body></html>"#;
        let page = extract(html).expect("text");
        assert_eq!(page.title.as_deref(), Some("Xi in Moscow – Example News"));
        assert_eq!(page.url.as_deref(), Some("https://example.com/xi-moscow"));
        assert_eq!(
            page.text,
            "Xi in Moscow\n\nBy Marián Šeliga\n\nXi said the talks were “frank”.\u{a0}Putin agreed.\n\nPhoto: Xinhua\n\nLine one\nline two\n"
        );
    }

    #[test]
    fn extract_falls_back_to_the_body_without_its_header_and_footer() {
        let html = "<html><body><header>Site</header><div>Main text.</div><div id=\"cookie-consent\">We use cookies</div><footer>Imprint</footer></body></html>";
        let page = extract(html).expect("text");
        assert_eq!(page.text, "Main text.\n");
        assert_eq!(page.title, None);
        assert!(extract("<html><body><script>x</script></body></html>").is_none());
    }
}
