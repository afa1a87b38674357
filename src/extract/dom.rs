//! The page as text blocks, and which of them are the story.
//!
//! One pass over the parsed DOM turns it into blocks (paragraphs, headings, list items, table
//! cells, `<br><br>`-separated runs), each knowing its link text and whether it sits inside
//! chrome (navigation, sidebars, comments, captions…). The story is then chosen the way
//! readability-style extractors do, by structure and text density rather than site-specific
//! selectors: paragraphs credit their ancestors, the best-scored container wins, and its
//! non-chrome, low-link-density blocks become the body.

use std::collections::HashMap;

use ego_tree::NodeId;
use scraper::node::Element;
use scraper::{ElementRef, Html, Node};

/// A run of text that a browser would show as its own block.
#[derive(Debug, Clone)]
pub struct Block {
    /// The text, whitespace collapsed.
    pub text: String,
    /// How many of its characters are link text.
    pub link_chars: usize,
    /// Number of links (`<a href>`) with text inside the block.
    pub links: usize,
    /// The nearest block-level element containing it.
    pub container: NodeId,
    /// Tag name of that element (`p`, `h1`, `td`…).
    pub tag: &'static str,
    /// True inside navigation, sidebars, comments, captions, headers, footers and the like.
    pub chrome: bool,
    /// True inside content about other pages or people (see [`is_foreign`]).
    pub foreign: bool,
}

impl Block {
    /// Share of the text that is link text.
    pub fn link_density(&self) -> f32 {
        self.link_chars as f32 / self.text.chars().count().max(1) as f32
    }

    /// A heading (`h1`–`h6`).
    pub fn is_heading(&self) -> bool {
        matches!(self.tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
    }
}

/// Elements whose content is never visible text.
const INVISIBLE: [&str; 12] = [
    "script", "style", "noscript", "template", "svg", "head", "iframe", "object", "embed",
    "canvas", "select", "math",
];

/// Elements that are chrome by their tag alone.
const CHROME_TAGS: [&str; 9] = [
    "nav",
    "aside",
    "footer",
    "header",
    "form",
    "button",
    "figcaption",
    "figure",
    "dialog",
];

/// Elements that start a new block of text.
fn block_tag(name: &str) -> Option<&'static str> {
    const BLOCKS: [&str; 34] = [
        "p",
        "div",
        "td",
        "th",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "section",
        "article",
        "main",
        "table",
        "tr",
        "ul",
        "ol",
        "dl",
        "dd",
        "dt",
        "figure",
        "figcaption",
        "header",
        "footer",
        "aside",
        "nav",
        "form",
        "body",
        "center",
        "address",
        "hr",
    ];
    BLOCKS.iter().find(|b| **b == name).copied()
}

/// Words in class/id/role/data-testid values that mark chrome, matched as substrings of the
/// lower-cased attribute (long, unambiguous words only).
const CHROME_WORDS: [&str; 48] = [
    "sidebar",
    "breadcrumb",
    "comment",
    "newsletter",
    "subscri",
    "cookie",
    "consent",
    "gdpr",
    "related",
    "breaking",
    "trending",
    "popular",
    "mostread",
    "most-read",
    "most_read",
    "caption",
    "copyright",
    "footer",
    "masthead",
    "navigation",
    "navbar",
    "menu",
    "share",
    "social",
    "promo",
    "sponsor",
    "advert",
    "widget",
    "see-also",
    "seealso",
    "see_also",
    "recommend",
    "outbrain",
    "taboola",
    "paywall",
    "signup",
    "sign-up",
    "toolbar",
    "pagination",
    "pager",
    "disclaimer",
    "byline",
    "dateline",
    "timestamp",
    "tags-list",
    "taglist",
    "read-more",
    "readmore",
];

/// Whole tokens of class/id values that mark chrome (short words that would match inside
/// ordinary words as substrings: `ad` in `head`, `nav` in `canvas`).
const CHROME_TOKENS: [&str; 29] = [
    "ad", "ads", "nav", "more", "tags", "tag", "credit", "credits", "legal", "rail", "aside",
    "header", "print", "email", "kicker", "topbar", "skip", "author", "meta", "date", "photo",
    "image", "img", "video", "banner", "teaser", "teasers", "login", "modal",
];

/// Class/id words of chrome that is about *other* pages or people (sidebars, menus,
/// comments): a date, name or section found there does not describe this article.
const FOREIGN_WORDS: [&str; 22] = [
    "sidebar",
    "comment",
    "related",
    "breaking",
    "trending",
    "popular",
    "mostread",
    "most-read",
    "menu",
    "navigation",
    "navbar",
    "footer",
    "promo",
    "recommend",
    "see-also",
    "seealso",
    "widget",
    "outbrain",
    "taboola",
    "newsletter",
    "teaser",
    "more-",
];

/// ARIA roles of chrome landmarks.
const CHROME_ROLES: [&str; 6] = [
    "navigation",
    "banner",
    "complementary",
    "contentinfo",
    "search",
    "dialog",
];

/// Whether an element is chrome: by tag, ARIA role, hidden state, or the words of its
/// class/id/data-testid. The root containers (`html`, `body`, `main`, `article`) never are,
/// because sites put layout classes like `has-sidebar` on them.
pub fn is_chrome(el: &Element) -> bool {
    let name = el.name();
    if matches!(name, "html" | "body" | "main" | "article") {
        return false;
    }
    if CHROME_TAGS.contains(&name) {
        return true;
    }
    if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let style = style.to_ascii_lowercase().replace(' ', "");
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return true;
        }
    }
    if el
        .attr("role")
        .is_some_and(|r| CHROME_ROLES.contains(&r.to_ascii_lowercase().as_str()))
    {
        return true;
    }
    for attr in ["class", "id", "data-testid", "data-component", "itemprop"] {
        if let Some(value) = el.attr(attr) {
            if chrome_words(value) {
                return true;
            }
        }
    }
    false
}

/// The class/id word test behind [`is_chrome`].
fn chrome_words(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if lower.contains("article-body") || lower.contains("story-body") || lower.contains("storytext")
    {
        return false;
    }
    if CHROME_WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|tok| {
            CHROME_TOKENS.contains(&tok)
                || tok.ends_with("nav")
                || tok.starts_with("nav")
                || tok.starts_with("ad-")
        })
}

/// Builds the page's text blocks in document order, with an explicit stack rather than
/// recursion so that pathologically deep pages cannot overflow the stack.
pub fn blocks(doc: &Html) -> Vec<Block> {
    let mut out = Vec::new();
    let mut buf = String::new();
    let mut link_chars = 0usize;
    let mut links = 0usize;
    // Per open element: (was block, was chrome, was invisible, was link, was foreign).
    let mut open: Vec<(bool, bool, bool, bool, bool)> = Vec::new();
    let mut foreign_depth = 0usize;
    let mut containers: Vec<(NodeId, &'static str)> = vec![(doc.tree.root().id(), "body")];
    let mut chrome_depth = 0usize;
    let mut invisible_depth = 0usize;
    let mut link_depth = 0usize;

    let flush = |buf: &mut String,
                 link_chars: &mut usize,
                 links: &mut usize,
                 out: &mut Vec<Block>,
                 containers: &[(NodeId, &'static str)],
                 (chrome, foreign): (bool, bool)| {
        let text = collapse_ws(buf);
        if !text.is_empty() {
            let (container, tag) = *containers.last().expect("root container");
            let chars = text.chars().count();
            out.push(Block {
                link_chars: (*link_chars).min(chars),
                links: *links,
                text,
                container,
                tag,
                chrome,
                foreign,
            });
        }
        buf.clear();
        *link_chars = 0;
        *links = 0;
    };

    for edge in doc.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    let name = el.name();
                    let invisible = INVISIBLE.contains(&name);
                    let chrome = !invisible && is_chrome(el);
                    let foreign = chrome && is_foreign(el);
                    let block = block_tag(name);
                    let link = name == "a" && el.attr("href").is_some();
                    if name == "br" {
                        // Every line break ends a block: legacy layouts put headline, date
                        // line and byline in one cell separated only by <br>.
                        flush(
                            &mut buf,
                            &mut link_chars,
                            &mut links,
                            &mut out,
                            &containers,
                            (chrome_depth > 0, foreign_depth > 0),
                        );
                    }
                    if block.is_some() || chrome || invisible {
                        flush(
                            &mut buf,
                            &mut link_chars,
                            &mut links,
                            &mut out,
                            &containers,
                            (chrome_depth > 0, foreign_depth > 0),
                        );
                    }
                    if let Some(tag) = block {
                        containers.push((node.id(), tag));
                    }
                    chrome_depth += chrome as usize;
                    foreign_depth += foreign as usize;
                    invisible_depth += invisible as usize;
                    if link {
                        link_depth += 1;
                        links += 1;
                    }
                    open.push((block.is_some(), chrome, invisible, link, foreign));
                }
                Node::Text(text) if invisible_depth == 0 => {
                    buf.push_str(text);
                    if link_depth > 0 {
                        link_chars += text
                            .split_whitespace()
                            .map(|w| w.chars().count() + 1)
                            .sum::<usize>();
                    }
                }
                _ => {}
            },
            ego_tree::iter::Edge::Close(node) => {
                if let Node::Element(_) = node.value() {
                    let (block, chrome, invisible, link, foreign) = open.pop().unwrap_or_default();
                    if block || chrome || invisible {
                        flush(
                            &mut buf,
                            &mut link_chars,
                            &mut links,
                            &mut out,
                            &containers,
                            (chrome_depth > 0, foreign_depth > 0),
                        );
                    }
                    if block {
                        containers.pop();
                    }
                    chrome_depth -= chrome as usize;
                    foreign_depth -= foreign as usize;
                    invisible_depth -= invisible as usize;
                    link_depth -= link as usize;
                }
            }
        }
    }
    flush(
        &mut buf,
        &mut link_chars,
        &mut links,
        &mut out,
        &containers,
        (chrome_depth > 0, foreign_depth > 0),
    );
    out
}

/// Collapses runs of whitespace (including non-breaking spaces) to one space and trims.
pub fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| c.is_whitespace() || c == '\u{a0}') {
        if !word.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// The story as chosen from the blocks.
#[derive(Debug, Default)]
pub struct Story {
    /// Indexes into the block list of the story's paragraphs, in order.
    pub paragraphs: Vec<usize>,
    /// Links of three words or more inside the chosen containers: many of them, with little
    /// prose, is what a front page or section index looks like.
    pub headline_links: usize,
    /// Share of link text in the chosen containers.
    pub link_density: f32,
}

/// Scores containers by the paragraphs they hold and returns the story's blocks. `title` is
/// used to drop the headline when it is repeated inside the story container.
pub fn story(doc: &Html, blocks: &[Block], title: &str) -> Story {
    // 1. Paragraph-like blocks credit their container and its ancestors, less with distance.
    let mut scores: HashMap<NodeId, f32> = HashMap::new();
    for b in blocks.iter().filter(|b| !b.chrome && !b.is_heading()) {
        let len = b.text.chars().count();
        if len < 25 || b.link_density() > 0.5 {
            continue;
        }
        let commas = b.text.matches([',', '，', '、']).count() as f32;
        let sentences = b.text.matches(['.', '!', '?', '"', '”']).count().min(3) as f32;
        let score =
            (1.0 + commas + sentences + (len as f32 / 100.0).min(3.0)) * (1.0 - b.link_density());
        let Some(node) = doc.tree.get(b.container) else {
            continue;
        };
        for (level, ancestor) in std::iter::once(node)
            .chain(node.ancestors())
            .take(5)
            .enumerate()
        {
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                n => n as f32 * 3.0,
            };
            *scores.entry(ancestor.id()).or_default() += score / divider;
        }
    }
    // A container's own shape matters: long link lists are not stories.
    let mut best: Option<(NodeId, f32)> = None;
    for (&id, &score) in &scores {
        if best.is_none_or(|(_, s)| score > s) {
            best = Some((id, score));
        }
    }
    let Some((top, top_score)) = best else {
        return Story::default();
    };
    // 2. The top container, plus siblings that score well on their own (stories split by ads
    //    or photos into several containers).
    let mut chosen = vec![top];
    if let Some(parent) = doc.tree.get(top).and_then(|n| n.parent()) {
        let threshold = (top_score * 0.2).max(3.0);
        for sib in parent.children() {
            if sib.id() != top && scores.get(&sib.id()).is_some_and(|s| *s >= threshold) {
                chosen.push(sib.id());
            }
        }
    }
    let inside = |b: &Block| -> bool {
        let Some(node) = doc.tree.get(b.container) else {
            return false;
        };
        std::iter::once(node)
            .chain(node.ancestors())
            .any(|n| chosen.contains(&n.id()))
    };
    let title_norm = title.to_lowercase();
    let mut story = Story::default();
    let (mut all_chars, mut link_chars) = (0usize, 0usize);
    for (i, b) in blocks.iter().enumerate() {
        if b.chrome || !inside(b) {
            continue;
        }
        let chars = b.text.chars().count();
        all_chars += chars;
        link_chars += b.link_chars;
        if b.links > 0 && b.link_chars * 2 >= chars && b.text.split_whitespace().count() >= 3 {
            story.headline_links += b.links;
        }
        if b.link_density() > 0.5 {
            continue;
        }
        if b.is_heading() && (b.text.to_lowercase() == title_norm || b.tag == "h1") {
            continue;
        }
        story.paragraphs.push(i);
    }
    story.link_density = link_chars as f32 / all_chars.max(1) as f32;
    story
}

/// Whether an element holds content about other pages or people: navigation, sidebars,
/// related-story boxes, comments, footers. Unlike [`is_chrome`] this keeps the article's own
/// header, byline and date line, which are not story text but do describe the story.
pub fn is_foreign(el: &Element) -> bool {
    let name = el.name();
    if matches!(name, "nav" | "aside" | "footer" | "form" | "dialog") {
        return true;
    }
    if el
        .attr("role")
        .is_some_and(|r| CHROME_ROLES.contains(&r.to_ascii_lowercase().as_str()) && r != "banner")
    {
        return true;
    }
    if matches!(name, "html" | "body" | "main" | "article") {
        return false;
    }
    ["class", "id", "data-testid"].iter().any(|attr| {
        el.attr(attr).is_some_and(|v| {
            let lower = v.to_ascii_lowercase();
            FOREIGN_WORDS.iter().any(|w| lower.contains(w))
                || lower
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .any(|t| t == "nav" || t == "more" || t == "rail" || t.ends_with("nav"))
        })
    })
}

/// True when `el` or one of its ancestors is foreign (see [`is_foreign`]): used by the field
/// extractors to ignore dates, names and sections that sit in sidebars, comments and menus.
pub fn in_foreign(el: ElementRef<'_>) -> bool {
    std::iter::once(*el)
        .chain(el.ancestors())
        .filter_map(ElementRef::wrap)
        .any(|e| is_foreign(e.value()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_of(html: &str) -> Vec<String> {
        let doc = Html::parse_document(html);
        let blocks = blocks(&doc);
        let s = story(&doc, &blocks, "Headline");
        s.paragraphs
            .iter()
            .map(|&i| blocks[i].text.clone())
            .collect()
    }

    const PROSE: &str = "The council voted on Tuesday to approve the budget, which includes new spending on schools, roads and the harbour.";

    #[test]
    fn sidebar_and_nav_are_not_story() {
        let html = format!(
            "<html><body><nav><a href='/'>Home</a> <a href='/w'>World news today</a></nav>\
             <div class='content'><h1>Headline</h1><p>{PROSE}</p><p>{PROSE} Second.</p></div>\
             <div class='sidebar'><h3>BREAKING</h3><p>Zeppelin festival returns to the harbour, organisers said on Monday.</p></div>\
             <footer><p>Copyright 2020, all rights reserved by the publisher of this page.</p></footer></body></html>"
        );
        let body = body_of(&html);
        assert_eq!(body.len(), 2, "{body:?}");
        assert!(body.iter().all(|p| !p.contains("Zeppelin")));
    }

    #[test]
    fn br_separated_table_cell_is_split_into_paragraphs() {
        let html = format!(
            "<table><tr><td class='leftnav'><a href='/a'>News</a><br><a href='/b'>Sport</a></td>\
             <td><font>{PROSE}<br><br>{PROSE} Again.<br><br>{PROSE} Third.</font></td></tr></table>"
        );
        let body = body_of(&html);
        assert_eq!(body.len(), 3, "{body:?}");
        assert!(body[1].ends_with("Again."));
    }

    #[test]
    fn hashed_class_names_and_no_article_tag_still_work() {
        let html = format!(
            "<div class='css-1x2y3z'><div class='css-9q8w7e'><p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p></div>\
             <div data-testid='related-links'><p>Other story people are reading about this week, in full.</p></div></div>"
        );
        let body = body_of(&html);
        assert_eq!(body.len(), 3, "{body:?}");
    }

    #[test]
    fn captions_and_comments_are_chrome() {
        let html = format!(
            "<article><figure><img src='x'><figcaption>The mayor speaks at the harbour, in a photo by our staff.</figcaption></figure>\
             <p>{PROSE}</p><p>{PROSE}</p></article>\
             <section class='comments'><p>I do not agree with the mayor at all, he said, and never did.</p></section>"
        );
        let body = body_of(&html);
        assert_eq!(body.len(), 2, "{body:?}");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let mut html = String::new();
        for _ in 0..20_000 {
            html.push_str("<div>");
        }
        html.push_str(PROSE);
        let doc = Html::parse_document(&html);
        let b = blocks(&doc);
        assert!(b.iter().any(|b| b.text.contains("council")));
    }
}
