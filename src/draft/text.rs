//! From a file's bytes to the lines of an article: plain text as copied from a news page, or an
//! HTML page.
//!
//! A copy from a browser keeps the page's furniture ("Skip to content", "news image", photo
//! credits); those lines are dropped here so the rest of the drafter sees headline, meta lines
//! (date, byline) and paragraphs. HTML is parsed with `tl` (a small, dependency-free parser):
//! the headline is the first `<h1>` or the `<title>`, the date comes from the usual meta tags or
//! a `<time datetime>`, and the paragraphs are the `<p>` elements.

use std::fmt;

/// Why a file holds no article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    /// Nothing but whitespace.
    Empty,
    /// NUL bytes or invalid UTF-8: not a text file.
    Binary,
    /// Text, but not one line that reads like an article (a headline and a paragraph).
    NoArticle,
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextError::Empty => write!(f, "the file is empty"),
            TextError::Binary => write!(
                f,
                "the file is not text (NUL bytes or invalid UTF-8); give the article as plain text or .html"
            ),
            TextError::NoArticle => write!(
                f,
                "no article text found (a headline line and at least one paragraph of a few sentences)"
            ),
        }
    }
}

/// The lines of a page, trimmed, without furniture, and the URL when the text names it.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub lines: Vec<String>,
    /// From a leading `URL: https://...` line (as some copy tools write it).
    pub url: Option<String>,
}

/// Reads bytes as an article page. `html` forces HTML; otherwise a document that starts like
/// HTML is parsed as HTML.
pub fn page_from_bytes(bytes: &[u8], html: bool) -> Result<Page, TextError> {
    if bytes.contains(&0) {
        return Err(TextError::Binary);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| TextError::Binary)?;
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(TextError::Empty);
    }
    let head = text
        .trim_start()
        .get(..15)
        .unwrap_or("")
        .to_ascii_lowercase();
    let lines = if html || head.starts_with("<!doctype html") || head.starts_with("<html") {
        html_lines(text)
    } else {
        text.lines().map(str::to_string).collect()
    };
    let mut page = Page::default();
    for line in lines {
        let line = clean_line(&line);
        if line.is_empty() || is_furniture(&line) {
            continue;
        }
        if page.lines.is_empty()
            && page.url.is_none()
            && let Some(url) = line.strip_prefix("URL:")
        {
            page.url = Some(url.trim().to_string());
            continue;
        }
        page.lines.push(line);
    }
    let words: usize = page
        .lines
        .iter()
        .map(|l| l.split_whitespace().count())
        .sum();
    let has_paragraph = page
        .lines
        .iter()
        .any(|l| l.split_whitespace().count() >= 8 && l.chars().any(|c| c.is_alphabetic()));
    if page.lines.len() < 2 || words < 15 || !has_paragraph {
        return Err(TextError::NoArticle);
    }
    Ok(page)
}

/// Trims, joins runs of spaces, and cuts a photo credit glued to the end ("...programImage: X/AFP").
fn clean_line(line: &str) -> String {
    let mut line = line.trim();
    for credit in ["Image: ", "Photo: ", "PHOTO: "] {
        if let Some(at) = line.find(credit) {
            line = line[..at].trim_end();
        }
    }
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Page furniture a copy from a browser brings along.
fn is_furniture(line: &str) -> bool {
    let lower = line.to_lowercase();
    let numbered = lower.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ');
    numbered.starts_with("skip to ")
        || matches!(
            lower.as_str(),
            "news image" | "loading comments..." | "advertisement" | "share" | "print"
        )
        || lower.starts_with("https://")
        || lower.starts_with("http://")
        || (line.len() <= 6 && line.chars().all(|c| c.is_ascii_digit() || c == ':'))
}

/// The headline, date and paragraphs of an HTML page, one per line.
fn html_lines(text: &str) -> Vec<String> {
    let Ok(dom) = tl::parse(text, tl::ParserOptions::default()) else {
        return Vec::new();
    };
    let parser = dom.parser();
    let texts = |selector: &str| -> Vec<String> {
        dom.query_selector(selector)
            .map(|handles| {
                handles
                    .filter_map(|h| h.get(parser))
                    .map(|node| decode_entities(&node.inner_text(parser)))
                    .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
                    .filter(|t| !t.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    };
    let attribute = |selector: &str, name: &str| -> Option<String> {
        dom.query_selector(selector)?
            .filter_map(|h| h.get(parser)?.as_tag())
            .find_map(|tag| {
                let value = tag.attributes().get(name)??;
                Some(decode_entities(&value.as_utf8_str()))
            })
    };
    let mut lines = Vec::new();
    if let Some(title) = texts("h1")
        .into_iter()
        .next()
        .or_else(|| texts("title").into_iter().next())
    {
        lines.push(title);
    }
    let date = attribute("meta[property=\"article:published_time\"]", "content")
        .or_else(|| attribute("meta[name=\"date\"]", "content"))
        .or_else(|| attribute("time", "datetime"));
    if let Some(date) = date {
        lines.push(format!("date {}", date.get(..10).unwrap_or(&date)));
    }
    lines.extend(texts("p"));
    lines
}

/// Decodes the entities `tl` leaves in text: the named ones news pages use, and numeric ones.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';').filter(|&end| end <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            "rsquo" => Some('’'),
            "lsquo" => Some('‘'),
            "rdquo" => Some('”'),
            "ldquo" => Some('“'),
            "ndash" => Some('–'),
            "mdash" => Some('—'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
