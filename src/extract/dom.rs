//! The page as text blocks, and which of them are the story.
//!
//! One pass over the parsed DOM turns it into blocks (paragraphs, headings, list items, table
//! cells, `<br>`-separated runs), each knowing its link text, and a table of the page's
//! elements with what their tag, role and class/id words say about them. The story is then
//! chosen the way readability-style extractors do, by structure and text density rather than
//! site-specific selectors:
//!
//! 1. **Chrome comes in two strengths.** *Hard* chrome is never story: hidden elements,
//!    `nav`, `aside`, `footer`, buttons, dialogs, captions and navigation/complementary
//!    landmarks. *Soft* chrome is what class/id words (sidebar, related, comment, share, meta,
//!    date, image…) and the `header`, `figure` and `form` tags suggest. Those words are often
//!    layout names of the very wrapper that holds the story ("widget Blog",
//!    "contentWithSidebar", "date-outer"), so soft chrome only lowers the score of the text
//!    it holds; it excludes text only *inside* the chosen story container.
//! 2. **Paragraphs credit their ancestors.** A paragraph of 25+ characters with little link
//!    text scores by its commas, sentences and length; a `<p>`-like element credits its parent
//!    fully, the grandparent half, further ancestors less; text written straight into a
//!    `div`/`td` credits that element itself first. Class words add or remove weight
//!    ("article-body" up, "sidebar" down) and a candidate's score shrinks with its own link
//!    density.
//! 3. **The best candidate, refined.** When several near-best candidates share an ancestor,
//!    that ancestor is the story; a parent that scores better still takes over; a lone child
//!    stands for its parent; under a later `<h1>` than the page's first (an infinite-scroll
//!    page), the first headline's story takes the page back when it scores near enough.
//! 4. **Siblings.** Children of the candidate's parent join when they score well on their own,
//!    or are plain prose paragraphs (stories split by ads or photos, lead paragraphs outside
//!    the body `div`); a soft-chrome sibling never joins.
//! 5. **The body** is the blocks inside the chosen elements that are not hard chrome, not
//!    inside soft chrome below the chosen element (unless that is a bare `header`/`figure`/
//!    `form` holding most of the story's prose), and have link density ≤ 0.5; paragraphs are
//!    separated by a blank line.
//!
//! Soft chrome that holds the page's `<h1>` and at least half of its prose is a layout column
//! named like chrome ("contentWithSidebar") and does not lower its paragraphs; comment
//! threads never count as such. Foreign elements (sidebars, menus, comments; see
//! [`is_foreign`]) that wrap the chosen story are not foreign for the other fields either
//! ([`Blocks::in_foreign`]).

use std::collections::HashSet;
use std::ops::Deref;

use ego_tree::NodeId;
use scraper::node::Element;
use scraper::{ElementRef, Html, Node};

/// A run of text that a browser would show as its own block.
#[derive(Debug, Clone)]
pub struct Block {
    /// The text, whitespace collapsed.
    pub text: String,
    /// Its length in characters.
    pub chars: usize,
    /// How many of its characters are link text.
    pub link_chars: usize,
    /// Number of links (`<a href>`) with text inside the block.
    pub links: usize,
    /// The nearest block-level element containing it.
    pub container: NodeId,
    /// Tag name of that element (`p`, `h1`, `td`…).
    pub tag: &'static str,
    /// True inside navigation, sidebars, comments, captions, headers, footers and the like
    /// (hard or soft chrome, see the module docs).
    pub chrome: bool,
    /// True inside content about other pages or people (see [`is_foreign`]), unless that
    /// element turned out to hold the story itself.
    pub foreign: bool,
    /// Index of the container in the element table.
    elem: u32,
    /// Inside hard chrome: never story text.
    hard: bool,
    /// Inside soft chrome.
    soft: bool,
}

impl Block {
    /// Share of the text that is link text.
    pub fn link_density(&self) -> f32 {
        self.link_chars as f32 / self.chars.max(1) as f32
    }

    /// Inside hard chrome (hidden, `nav`, `aside`, `footer`, captions…): never story text,
    /// whereas soft chrome (class words, `header`) may hold a standfirst.
    pub fn is_hard_chrome(&self) -> bool {
        self.hard
    }

    /// A heading (`h1`–`h6`).
    pub fn is_heading(&self) -> bool {
        matches!(self.tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
    }
}

/// No element (the parent of the document root).
const NONE: u32 = u32::MAX;

/// What the page analysis knows about one element.
#[derive(Debug, Clone)]
struct Elem {
    node: NodeId,
    /// Index of the parent element ([`NONE`] for the document root).
    parent: u32,
    /// Index of the nearest block-level ancestor: inline wrappers (`span`, `font`, `a`)
    /// are not story containers, so paragraphs credit past them.
    bparent: u32,
    /// Block tag name, or "" for inline elements.
    tag: &'static str,
    hard: bool,
    soft: bool,
    /// Soft chrome by weak class words alone (see [`WEAK_CHROME`]).
    weak: bool,
    foreign: bool,
    /// Class/id weight: positive for "article-body"-like words, negative for chrome words.
    weight: f32,
    /// One past the index of its last descendant in the table (the table is in document
    /// order, so an element's subtree is the range `index..end`).
    end: u32,
    /// Characters of text (not in hard chrome) in the subtree, and of link text.
    chars: u32,
    link_chars: u32,
}

/// The blocks of a page, with the element table and the chosen story elements behind them.
/// Dereferences to the block list.
#[derive(Debug, Default)]
pub struct Blocks {
    list: Vec<Block>,
    elems: Vec<Elem>,
    /// The story's elements: the best candidate first, then the siblings that join it.
    chosen: Vec<u32>,
    /// Soft-chrome elements inside the story that hold most of its prose (a `<header>` or an
    /// "article-image" box wrapping the paragraphs): kept, since they are the story.
    kept: Vec<u32>,
    /// Elements that are foreign to the story (not ancestors of the chosen candidate).
    foreign_nodes: HashSet<NodeId>,
}

impl Deref for Blocks {
    type Target = [Block];
    fn deref(&self) -> &[Block] {
        &self.list
    }
}

impl Blocks {
    /// True when `el` or one of its ancestors is foreign to the story (sidebars, comments,
    /// menus; see [`is_foreign`]): the field extractors use it to ignore dates, names and
    /// sections that describe other pages. An element that wraps the story itself is never
    /// foreign, whatever its class says.
    pub fn in_foreign(&self, el: ElementRef<'_>) -> bool {
        if self.foreign_nodes.is_empty() {
            return false;
        }
        std::iter::once(*el)
            .chain(el.ancestors())
            .any(|n| self.foreign_nodes.contains(&n.id()))
    }

    /// The element the story was found in (its best candidate), if any.
    pub fn story_root(&self) -> Option<NodeId> {
        self.chosen.first().map(|&e| self.elems[e as usize].node)
    }
}

/// Elements whose content is never visible text.
const INVISIBLE: [&str; 13] = [
    "script", "style", "noscript", "template", "svg", "head", "iframe", "object", "embed",
    "canvas", "select", "math", "textarea",
];

/// Elements that are hard chrome by their tag alone: never story text.
const HARD_TAGS: [&str; 6] = ["nav", "aside", "footer", "button", "figcaption", "dialog"];

/// Elements that are soft chrome by their tag: usually not story text, but sites wrap whole
/// stories in them (ASP.NET pages live in one `<form>`; some put paragraphs in `<header>` or
/// `<figure>`).
const SOFT_TAGS: [&str; 3] = ["header", "figure", "form"];

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

/// Paragraph-like elements: their text credits their parent first (the paragraph itself is
/// not a story container). Text written straight into a `div` or `td` credits that element.
fn paragraph_tag(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "li"
            | "dd"
            | "dt"
            | "blockquote"
            | "pre"
            | "address"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
    )
}

/// Words in class/id/data-testid values that mark chrome, matched as substrings of the
/// normalised attribute (lower case, words joined by `-`; long, unambiguous words only).
const CHROME_WORDS: [&str; 51] = [
    "sidebar",
    "side-bar",
    "breadcrumb",
    "comment",
    "disqus",
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
    "copyright",
    "footer",
    "masthead",
    "navigation",
    "navbar",
    "menu",
    "social",
    "promo",
    "sponsor",
    "advert",
    "widget",
    "see-also",
    "seealso",
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
    "read-next",
    "popup",
    "skyscraper",
    "shoutbox",
    "newsticker",
];

/// Whole words of class/id values that mark chrome (short words that would match inside
/// ordinary words as substrings: `ad` in `head`, `nav` in `canvas`, `share` in `shared`).
const CHROME_TOKENS: [&str; 30] = [
    "ad", "ads", "nav", "more", "tags", "tag", "credit", "credits", "legal", "rail", "aside",
    "header", "print", "email", "kicker", "topbar", "skip", "author", "meta", "date", "photo",
    "image", "img", "video", "banner", "teaser", "teasers", "login", "modal", "share",
];

/// Chrome words (of [`CHROME_WORDS`] and [`CHROME_TOKENS`]) that name a kind of box rather
/// than a part of the page that is never the story: page builders call every box a "widget"
/// (`elementor-widget-container`), CMSs put a story's text-and-picture blocks in "image"
/// boxes, its teaser paragraph in a "teaser" box, its collapsed second half in a "read-more"
/// box and its sub-headings in "header" boxes. Outside the story they are chrome like any
/// other; inside it (see [`Blocks::in_story`]) a box named by them alone holds story text
/// when it is not mostly links.
const WEAK_CHROME: [&str; 12] = [
    "widget",
    "read-more",
    "readmore",
    "more",
    "header",
    "teaser",
    "teasers",
    "image",
    "img",
    "photo",
    "video",
    "print",
];

/// Words of class/id values that mark a caption or photo credit: hard chrome, since photo
/// captions stay out of the body whatever wraps them.
const CAPTION_WORDS: [&str; 2] = ["caption", "photo-credit"];

/// Word starts of class/id values that mark story text ("article-body", "entry-content",
/// "post", "storytext"): they add weight to a candidate and keep an element that also has a
/// chrome word ("article-body has-share-tools") from being chrome.
const STORY_WORDS: [&str; 9] = [
    "article", "body", "content", "entry", "main", "post", "text", "story", "blog",
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

/// ARIA roles of hard-chrome landmarks.
const CHROME_ROLES: [&str; 8] = [
    "navigation",
    "complementary",
    "contentinfo",
    "search",
    "dialog",
    "alertdialog",
    "menu",
    "menubar",
];

/// What an element's tag, role, visibility and class/id words say about it.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Flags {
    hard: bool,
    soft: bool,
    /// Soft chrome by weak class words alone (see [`WEAK_CHROME`]).
    weak: bool,
    foreign: bool,
    weight: f32,
}

/// The class/id/data-testid/data-component/itemprop values of an element, normalised for word
/// matching: lower case, every run of other characters and every camelCase boundary turned
/// into one `-`, attributes separated by a space ("is-showingReadNextSidebar" →
/// "is-showing-read-next-sidebar").
fn attr_words(el: &Element) -> String {
    let mut out = String::new();
    for attr in ["class", "id", "data-testid", "data-component", "itemprop"] {
        let Some(value) = el.attr(attr) else {
            continue;
        };
        if !out.is_empty() {
            out.push(' ');
        }
        let start = out.len();
        let mut prev_lower = false;
        let kept: String;
        let value = if attr == "class" {
            let post = value.split_whitespace().any(|name| {
                name == "hentry" || name.starts_with("type-") || name.starts_with("status-")
            });
            kept = value
                .split_whitespace()
                .filter(|name| !modifier_class(name, post))
                .collect::<Vec<_>>()
                .join(" ");
            kept.as_str()
        } else {
            value
        };
        for c in value.chars() {
            if c.is_ascii_alphanumeric() {
                if c.is_ascii_uppercase() && prev_lower {
                    out.push('-');
                }
                prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
                out.push(c.to_ascii_lowercase());
            } else {
                prev_lower = false;
                if out.len() > start && !out.ends_with('-') {
                    out.push('-');
                }
            }
        }
        while out.len() > start && out.ends_with('-') {
            out.pop();
        }
    }
    out
}

/// Class names that describe a state or the content rather than a part of the page: layout
/// modifiers ("has-sidebar", "with-comments", "no-share", "is-sticky") and, on a blog post
/// (`post` is true: the element also has `hentry`, `type-…` or `status-…` classes), the
/// taxonomy classes blog engines add to it ("tag-advertising", "category-menu-ideas"). Their
/// words say nothing about whether the element is chrome, so they are not read.
fn modifier_class(name: &str, post: bool) -> bool {
    let lower = name.to_ascii_lowercase();
    let mut parts = lower.split(['-', '_']).filter(|p| !p.is_empty());
    let first = parts.next().unwrap_or("");
    if parts.next().is_none() {
        return false;
    }
    matches!(first, "has" | "with" | "without" | "no" | "is")
        || (post && matches!(first, "tag" | "category"))
}

/// The single words of normalised attribute words.
fn tokens(words: &str) -> impl Iterator<Item = &str> {
    words.split([' ', '-']).filter(|t| !t.is_empty())
}

/// Whether normalised attribute words mark chrome.
fn chrome_words(words: &str) -> bool {
    chrome_words_but(words, &[])
}

/// Whether normalised attribute words mark chrome by other words than the weak ones
/// ([`WEAK_CHROME`]).
fn strong_chrome_words(words: &str) -> bool {
    chrome_words_but(words, &WEAK_CHROME)
}

/// Whether normalised attribute words mark chrome, not counting the words of `skip`.
fn chrome_words_but(words: &str, skip: &[&str]) -> bool {
    CHROME_WORDS
        .iter()
        .any(|w| !skip.contains(w) && words.contains(w))
        || tokens(words).any(|tok| {
            (CHROME_TOKENS.contains(&tok) && !skip.contains(&tok))
                || (tok.len() > 3 && (tok.ends_with("nav") || tok.starts_with("nav")))
                || (tok.starts_with("share") && !tok.starts_with("shared"))
        })
}

/// Whether normalised attribute words name story text ("article-body", "storytext").
fn story_words(words: &str) -> bool {
    tokens(words).any(|t| STORY_WORDS.iter().any(|w| t.starts_with(w)))
}

/// Whether the words name the story's body itself ("article-body", "entry-content",
/// "post-text", "storytext"): such an element is never chrome.
fn story_body_words(words: &str) -> bool {
    let mut prev = "";
    for tok in tokens(words) {
        if matches!(prev, "article" | "story" | "post" | "entry" | "news")
            && matches!(tok, "body" | "content" | "text")
        {
            return true;
        }
        // `hentry`/`h-entry`: the microformats mark of a blog post or article.
        if matches!(
            tok,
            "storytext"
                | "articletext"
                | "articlebody"
                | "storybody"
                | "postbody"
                | "entrycontent"
                | "hentry"
        ) || (prev == "h" && tok == "entry")
        {
            return true;
        }
        prev = tok;
    }
    false
}

/// Whether an element hides its content (`hidden`, `aria-hidden`, `display:none`).
fn hidden(el: &Element) -> bool {
    if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
        return true;
    }
    el.attr("style").is_some_and(|style| {
        let style = style.to_ascii_lowercase().replace(' ', "");
        style.contains("display:none") || style.contains("visibility:hidden")
    })
}

/// Classifies an element (see the module docs). The root containers (`html`, `body`,
/// `main`, `article`) are never chrome, because sites put layout classes like `has-sidebar`
/// on them.
fn classify(el: &Element) -> Flags {
    let name = el.name();
    let root = matches!(name, "html" | "body" | "main" | "article");
    let words = attr_words(el);
    let role = el.attr("role").map(str::to_ascii_lowercase);
    let mut f = Flags::default();
    let chrome = !words.is_empty() && chrome_words(&words) && !story_body_words(&words);
    if !words.is_empty() {
        if story_words(&words) {
            f.weight += 25.0;
        }
        if chrome {
            f.weight -= 25.0;
        }
    }
    if root {
        return f;
    }
    f.hard = HARD_TAGS.contains(&name)
        || hidden(el)
        || role.as_deref().is_some_and(|r| CHROME_ROLES.contains(&r))
        || CAPTION_WORDS.iter().any(|w| words.contains(w));
    let by_tag = SOFT_TAGS.contains(&name) || role.as_deref() == Some("banner");
    f.soft = !f.hard && (chrome || by_tag);
    f.weak = f.soft && !by_tag && !strong_chrome_words(&words);
    f.foreign = foreign_by(name, role.as_deref(), &words);
    f
}

/// Whether an element holds content about other pages or people: navigation, sidebars,
/// related-story boxes, comments, footers. Unlike chrome this keeps the article's own
/// header, byline and date line, which are not story text but do describe the story.
pub fn is_foreign(el: &Element) -> bool {
    let role = el.attr("role").map(str::to_ascii_lowercase);
    foreign_by(el.name(), role.as_deref(), &attr_words(el))
}

fn foreign_by(name: &str, role: Option<&str>, words: &str) -> bool {
    if matches!(name, "nav" | "aside" | "footer" | "form" | "dialog") {
        return true;
    }
    if role.is_some_and(|r| CHROME_ROLES.contains(&r)) {
        return true;
    }
    if matches!(name, "html" | "body" | "main" | "article") || words.is_empty() {
        return false;
    }
    FOREIGN_WORDS.iter().any(|w| words.contains(w))
        || tokens(words).any(|t| t == "nav" || t == "more" || t == "rail" || t.ends_with("nav"))
}

/// Whether an element is chrome, hard or soft: by tag, ARIA role, hidden state, or the words
/// of its class/id/data-testid (see the module docs).
pub fn is_chrome(el: &Element) -> bool {
    let f = classify(el);
    f.hard || f.soft
}

/// Per open element during the walk.
#[derive(Clone, Copy, Default)]
struct Open {
    elem: u32,
    block: bool,
    hard: bool,
    soft: bool,
    foreign: bool,
    invisible: bool,
    link: bool,
}

/// The text being gathered for the next block.
#[derive(Default)]
struct Pending {
    buf: String,
    link_chars: usize,
    links: usize,
}

/// Builds the page's text blocks in document order (with an explicit stack rather than
/// recursion, so that pathologically deep pages cannot overflow the stack), then chooses the
/// story's elements (see the module docs).
pub fn blocks(doc: &Html) -> Blocks {
    let mut list: Vec<Block> = Vec::new();
    let mut elems: Vec<Elem> = vec![Elem {
        node: doc.tree.root().id(),
        parent: NONE,
        bparent: NONE,
        tag: "body",
        hard: false,
        soft: false,
        weak: false,
        foreign: false,
        weight: 0.0,
        end: u32::MAX,
        chars: 0,
        link_chars: 0,
    }];
    let mut open: Vec<Open> = Vec::new();
    let mut containers: Vec<u32> = vec![0];
    let mut pending = Pending::default();
    let (mut hard_depth, mut soft_depth, mut foreign_depth) = (0usize, 0usize, 0usize);
    let (mut invisible_depth, mut link_depth) = (0usize, 0usize);

    let flush = |p: &mut Pending,
                 list: &mut Vec<Block>,
                 elems: &[Elem],
                 container: u32,
                 hard,
                 soft,
                 foreign| {
        let text = collapse_ws(&p.buf);
        if !text.is_empty() {
            let chars = text.chars().count();
            let e = &elems[container as usize];
            list.push(Block {
                chars,
                link_chars: p.link_chars.min(chars),
                links: p.links,
                text,
                container: e.node,
                tag: e.tag,
                chrome: hard || soft,
                foreign,
                elem: container,
                hard,
                soft,
            });
        }
        p.buf.clear();
        p.link_chars = 0;
        p.links = 0;
    };

    for edge in doc.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    let name = el.name();
                    let invisible = INVISIBLE.contains(&name);
                    let flags = if invisible || invisible_depth > 0 {
                        Flags::default()
                    } else {
                        classify(el)
                    };
                    let block = block_tag(name);
                    // Class words on inline elements (a `span.author` inside a paragraph) do
                    // not cut or drop the paragraph's text; only hard chrome does.
                    let soft = flags.soft && block.is_some();
                    let foreign = flags.foreign && block.is_some();
                    let link = name == "a"
                        && el
                            .attr("href")
                            .is_some_and(|h| !h.trim_start().starts_with("javascript:"));
                    let breaks = name == "br"
                        || block.is_some()
                        || flags.hard
                        || soft
                        || foreign
                        || invisible;
                    if breaks {
                        // Every line break ends a block: legacy layouts put headline, date
                        // line and byline in one cell separated only by <br>.
                        flush(
                            &mut pending,
                            &mut list,
                            &elems,
                            *containers.last().unwrap_or(&0),
                            hard_depth > 0,
                            soft_depth > 0,
                            foreign_depth > 0,
                        );
                    }
                    let parent = open.last().map_or(0, |o| o.elem);
                    let bparent = if elems[parent as usize].tag.is_empty() {
                        elems[parent as usize].bparent
                    } else {
                        parent
                    };
                    let idx = elems.len() as u32;
                    elems.push(Elem {
                        node: node.id(),
                        parent,
                        bparent,
                        tag: block.unwrap_or(""),
                        hard: flags.hard,
                        soft,
                        weak: soft && flags.weak,
                        foreign: flags.foreign,
                        weight: flags.weight,
                        end: u32::MAX,
                        chars: 0,
                        link_chars: 0,
                    });
                    if block.is_some() {
                        containers.push(idx);
                    }
                    hard_depth += flags.hard as usize;
                    soft_depth += soft as usize;
                    foreign_depth += foreign as usize;
                    invisible_depth += invisible as usize;
                    if link {
                        link_depth += 1;
                        pending.links += 1;
                    }
                    open.push(Open {
                        elem: idx,
                        block: block.is_some(),
                        hard: flags.hard,
                        soft,
                        foreign,
                        invisible,
                        link,
                    });
                }
                Node::Text(text) if invisible_depth == 0 => {
                    pending.buf.push_str(text);
                    if link_depth > 0 {
                        pending.link_chars += text
                            .split_whitespace()
                            .map(|w| w.chars().count() + 1)
                            .sum::<usize>();
                    }
                }
                _ => {}
            },
            ego_tree::iter::Edge::Close(node) => {
                if let Node::Element(_) = node.value() {
                    let o = open.pop().unwrap_or_default();
                    let end = elems.len() as u32;
                    if let Some(e) = elems.get_mut(o.elem as usize) {
                        e.end = end;
                    }
                    if o.block || o.hard || o.soft || o.foreign || o.invisible {
                        flush(
                            &mut pending,
                            &mut list,
                            &elems,
                            *containers.last().unwrap_or(&0),
                            hard_depth > 0,
                            soft_depth > 0,
                            foreign_depth > 0,
                        );
                    }
                    if o.block {
                        containers.pop();
                    }
                    hard_depth -= o.hard as usize;
                    soft_depth -= o.soft as usize;
                    foreign_depth -= o.foreign as usize;
                    invisible_depth -= o.invisible as usize;
                    link_depth -= o.link as usize;
                }
            }
        }
    }
    flush(
        &mut pending,
        &mut list,
        &elems,
        *containers.last().unwrap_or(&0),
        hard_depth > 0,
        soft_depth > 0,
        foreign_depth > 0,
    );

    // Text totals per element: each block's text counts for its container, then every
    // element adds its total to its parent (the table is in document order, parents first).
    for b in list.iter().filter(|b| !b.hard) {
        let e = &mut elems[b.elem as usize];
        e.chars += b.chars as u32;
        e.link_chars += b.link_chars as u32;
    }
    let total = elems.len() as u32;
    elems[0].end = total;
    for e in elems.iter_mut().filter(|e| e.end == u32::MAX) {
        e.end = total;
    }
    for i in (1..elems.len()).rev() {
        let (chars, link_chars, parent) = (elems[i].chars, elems[i].link_chars, elems[i].parent);
        if parent != NONE {
            elems[parent as usize].chars += chars;
            elems[parent as usize].link_chars += link_chars;
        }
    }

    let mut page = Blocks {
        list,
        elems,
        chosen: Vec::new(),
        kept: Vec::new(),
        foreign_nodes: HashSet::new(),
    };
    let mut para: Vec<f32> = page.list.iter().map(paragraph_score).collect();
    if para.iter().all(|&s| s == 0.0) {
        // No paragraph long enough to score: a very short story ("Fares frozen. Council
        // decides.") is still found by its sentences, so that the page's section label, date
        // line and byline around it do not become the story.
        para = page.list.iter().map(short_sentence_score).collect();
    }
    page.chosen = choose(doc, &page, &para);
    page.kept = kept_inside(doc, &page, &para);
    page.settle_foreign();
    page
}

/// What a paragraph-like block is worth to its containers: commas, sentences and length,
/// less its link share. Zero for blocks that are not prose (short, link lists, headings,
/// hard chrome).
fn paragraph_score(b: &Block) -> f32 {
    if b.hard || b.is_heading() || b.chars < 25 || b.link_density() > 0.5 {
        return 0.0;
    }
    // A byline ("By Ines Varga, Staff Reporter") is not prose: on a table layout it would
    // pull the headline row, with its date line, into the story.
    if byline_line(b) {
        return 0.0;
    }
    let commas = b.text.matches([',', '，', '、']).count() as f32;
    let sentences = b
        .text
        .matches(['.', '!', '?', '"', '”', '。'])
        .count()
        .min(3) as f32;
    (1.0 + commas + sentences + (b.chars as f32 / 100.0).min(3.0)) * (1.0 - b.link_density())
}

/// Ends a sentence (full stop, question or exclamation mark, closing quote).
fn sentence_end(text: &str) -> bool {
    text.trim_end()
        .ends_with(['.', '!', '?', '"', '”', '»', '。', '！', '？'])
}

/// Whether a block is a byline line: short, not a sentence, starting with "by" in one of
/// the common news languages ("By", "Von", "Par", "Por", "Door", "Av", "Af", "Przez").
fn byline_line(b: &Block) -> bool {
    b.chars < 60
        && !sentence_end(&b.text)
        && b.text.split_whitespace().next().is_some_and(|w| {
            ["by", "von", "par", "por", "door", "av", "af", "przez"]
                .iter()
                .any(|by| w.eq_ignore_ascii_case(by))
        })
}

/// The score of a block on a page where no paragraph scores: a short sentence (10+
/// characters, ending like one, few links) is worth a little, anything else nothing.
fn short_sentence_score(b: &Block) -> f32 {
    if b.hard || b.is_heading() || b.chars < 10 || b.link_density() > 0.5 || !sentence_end(&b.text)
    {
        return 0.0;
    }
    1.0 + b.chars as f32 / 100.0
}

/// How much less a paragraph inside soft chrome is worth: a sidebar full of teasers must not
/// outscore a short story, but a story whose wrapper has a chrome-like class still wins when
/// nothing else on the page is prose.
const SOFT_FACTOR: f32 = 0.2;

/// Characters of text a box needs for its story class words ("entry-content", "post") to
/// count in full; smaller boxes get a share of the bonus.
const STORY_WEIGHT_CHARS: f32 = 200.0;

/// Starting score of a candidate by its tag, as readability-style scorers give it.
fn tag_score(tag: &str) -> f32 {
    match tag {
        "div" | "article" | "section" | "main" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

/// What soft chrome between a block and the page root does to its paragraph score:
/// [`SOFT_FACTOR`], unless every such chrome element wraps the story (`neutral`).
fn soft_factor(elems: &[Elem], b: &Block, neutral: &[bool]) -> f32 {
    if b.soft {
        let mut a = b.elem;
        while a != NONE {
            if elems[a as usize].soft && !neutral[a as usize] {
                return SOFT_FACTOR;
            }
            a = elems[a as usize].parent;
        }
    }
    1.0
}

/// Adds each element's value to its parent's, deepest first, so every element ends up
/// with the total of its subtree (the table is in document order, parents first).
fn add_to_ancestors(elems: &[Elem], values: &mut [f32]) {
    for i in (1..elems.len()).rev() {
        let parent = elems[i].parent;
        if parent != NONE {
            values[parent as usize] += values[i];
        }
    }
}

/// Scores every element by the paragraphs below it. `neutral[e]` marks soft-chrome elements
/// whose chrome words are not held against them (they wrap the story). Returns the final
/// candidate scores (NaN for elements that no paragraph credited).
fn score(page: &Blocks, para: &[f32], neutral: &[bool]) -> Vec<f32> {
    let elems = &page.elems;
    let mut raw = vec![f32::NAN; elems.len()];
    for (b, &s) in page.list.iter().zip(para) {
        if s == 0.0 {
            continue;
        }
        let s = s * soft_factor(elems, b, neutral);
        let mut a = if paragraph_tag(b.tag) {
            elems[b.elem as usize].bparent
        } else {
            b.elem
        };
        let mut level = 0;
        while a != NONE && a != 0 && level < 5 {
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                n => n as f32 * 3.0,
            };
            let r = &mut raw[a as usize];
            if r.is_nan() {
                *r = 0.0;
            }
            *r += s / divider;
            a = elems[a as usize].bparent;
            level += 1;
        }
    }
    for (i, r) in raw.iter_mut().enumerate() {
        if r.is_nan() {
            continue;
        }
        let e = &elems[i];
        let weight = if e.weight < 0.0 && neutral[i] {
            0.0
        } else if e.weight > 0.0 {
            // A story class on a box of a line or two ("gdr-text" under a rating widget,
            // "jp-post-flair" around share buttons) says nothing about where the story is:
            // the bonus grows with the text the box holds.
            e.weight * (e.chars as f32 / STORY_WEIGHT_CHARS).min(1.0)
        } else {
            e.weight
        };
        let density = e.link_chars as f32 / e.chars.max(1) as f32;
        *r = (*r + tag_score(e.tag) + weight) * (1.0 - density.min(1.0));
    }
    raw
}

/// Whether `anc` is `e` or one of its ancestors.
fn is_ancestor(elems: &[Elem], anc: u32, e: u32) -> bool {
    e != NONE && anc <= e && e < elems[anc as usize].end
}

/// The block-level children of `parent` (looking through inline wrappers), in order. Walks
/// only the children and inline wrappers, jumping over each child's subtree, so that it costs
/// the same on a page nested 100,000 levels deep as on a flat one.
fn block_children(elems: &[Elem], parent: u32) -> impl Iterator<Item = u32> + '_ {
    // Ranges still to walk, innermost last: (next index, end of the enclosing element).
    let mut stack: Vec<(u32, u32)> = vec![(parent + 1, elems[parent as usize].end)];
    std::iter::from_fn(move || loop {
        let (next, end) = stack.last_mut()?;
        if *next >= *end {
            stack.pop();
            continue;
        }
        let e = *next;
        let el = &elems[e as usize];
        *next = el.end.max(e + 1);
        if el.tag.is_empty() {
            stack.push((e + 1, el.end));
            continue;
        }
        return Some(e);
    })
}

/// Whether `e` is the page root or `<body>`: the walk up from a candidate stops there.
fn is_top(elems: &[Elem], e: u32) -> bool {
    e == NONE || e == 0 || matches!(elems[e as usize].tag, "body" | "")
}

/// The best candidate by `scores`, refined: several near-best candidates under one ancestor
/// make that ancestor the story; a parent scoring higher takes over; a lone child stands for
/// its parent.
fn best_candidate(elems: &[Elem], scores: &[f32]) -> Option<(u32, f32)> {
    let mut top: Vec<(u32, f32)> = Vec::with_capacity(6);
    for (i, &s) in scores.iter().enumerate() {
        if s.is_nan() || i == 0 {
            continue;
        }
        let pos = top.iter().position(|&(_, t)| s > t).unwrap_or(top.len());
        if pos < 5 {
            top.insert(pos, (i as u32, s));
            top.truncate(5);
        }
    }
    let &(mut best, best_score) = top.first()?;
    let score_of = |e: u32| {
        let s = scores[e as usize];
        if s.is_nan() {
            0.0
        } else {
            s
        }
    };
    // Near-best alternatives that share an ancestor with the best: the ancestor holds them all
    // (a story cut into several boxes).
    let alternatives: Vec<u32> = top[1..]
        .iter()
        .filter(|&&(_, s)| s >= best_score * 0.75)
        .map(|&(e, _)| e)
        .collect();
    if alternatives.len() >= 3 {
        let mut a = elems[best as usize].bparent;
        while !is_top(elems, a) {
            let under = alternatives
                .iter()
                .filter(|&&alt| is_ancestor(elems, a, alt))
                .count();
            if under >= 3 {
                best = a;
                break;
            }
            a = elems[a as usize].bparent;
        }
    }
    // A parent that scores better than the candidate (but not one that merely collects
    // crumbs) takes over.
    let mut last = score_of(best);
    let threshold = last / 3.0;
    let mut a = elems[best as usize].bparent;
    while !is_top(elems, a) {
        let s = scores[a as usize];
        if !s.is_nan() {
            if s < threshold {
                break;
            }
            if s > last {
                best = a;
                break;
            }
            last = s;
        }
        a = elems[a as usize].bparent;
    }
    // A lone child stands for its parent (children without text, such as an empty ad slot
    // or an empty companion column, do not count).
    loop {
        let parent = elems[best as usize].bparent;
        if is_top(elems, parent)
            || block_children(elems, parent)
                .filter(|&c| {
                    let e = &elems[c as usize];
                    e.chars > 0 && !e.hard
                })
                .nth(1)
                .is_some()
        {
            break;
        }
        best = parent;
    }
    Some((best, score_of(best)))
}

/// Class/id words of comment threads: however much prose they hold, they are not the story.
const THREAD_WORDS: [&str; 6] = [
    "comment",
    "disqus",
    "replies",
    "respond",
    "response",
    "discussion",
];

/// Chooses the story's elements: the best candidate and the siblings that join it.
fn choose(doc: &Html, page: &Blocks, para: &[f32]) -> Vec<u32> {
    let elems = &page.elems;
    // Soft chrome that holds the headline and most of the page's prose is a layout wrapper
    // with a chrome-like name ("contentWithSidebar", "panel-two-col-sidebar"), not chrome;
    // comment threads excepted.
    let mut neutral = vec![false; elems.len()];
    let total: f32 = para.iter().sum();
    if total > 0.0 {
        let mut prose = vec![0.0f32; elems.len()];
        for (b, &s) in page.list.iter().zip(para) {
            if s > 0.0 && b.soft {
                let mut a = b.elem;
                while a != NONE {
                    if elems[a as usize].soft {
                        prose[a as usize] += s;
                    }
                    a = elems[a as usize].parent;
                }
            }
        }
        let headlines: Vec<u32> = page
            .list
            .iter()
            .filter(|b| b.tag == "h1" && !b.hard)
            .map(|b| b.elem)
            .collect();
        for (i, e) in elems.iter().enumerate() {
            if e.soft
                && prose[i] >= total * 0.5
                && headlines.iter().any(|&h| is_ancestor(elems, i as u32, h))
                && !thread(doc, e)
            {
                neutral[i] = true;
            }
        }
    }
    let scores = score(page, para, &neutral);
    let Some((mut best, mut best_score)) = best_candidate(elems, &scores) else {
        // No prose paragraph at all: the whole page is the candidate.
        return vec![body_elem(elems)];
    };
    // Soft chrome around the best candidate is its wrapper, not chrome: score again without
    // holding those words against it.
    let mut rescore = false;
    let mut a = best;
    while a != NONE {
        if elems[a as usize].soft && !neutral[a as usize] {
            neutral[a as usize] = true;
            rescore = true;
        }
        a = elems[a as usize].parent;
    }
    let scores = if rescore {
        let again = score(page, para, &neutral);
        if let Some((b, s)) = best_candidate(elems, &again) {
            best = b;
            best_score = s;
        }
        again
    } else {
        scores
    };
    if let Some((b, s)) = first_story(page, &scores, best, best_score) {
        best = b;
        best_score = s;
    }
    if let Some(wider) = widen(page, para, &neutral, &scores, best) {
        best = wider;
        best_score = scores[wider as usize];
        if best_score.is_nan() {
            best_score = 0.0;
        }
    }
    let mut chosen = vec![best];
    let parent = elems[best as usize].bparent;
    if parent == NONE {
        return chosen;
    }
    let threshold = (best_score * 0.2).max(10.0);
    let class_of = |e: u32| {
        doc.tree
            .get(elems[e as usize].node)
            .and_then(|n| n.value().as_element())
            .and_then(|el| el.attr("class"))
            .filter(|c| !c.trim().is_empty())
    };
    let best_class = class_of(best);
    for j in block_children(elems, parent) {
        let e = &elems[j as usize];
        if j == best || e.hard || e.soft || e.chars == 0 {
            continue;
        }
        let s = scores[j as usize];
        let s = if s.is_nan() { 0.0 } else { s };
        let bonus = if best_class.is_some() && class_of(j) == best_class {
            best_score * 0.2
        } else {
            0.0
        };
        let density = e.link_chars as f32 / e.chars.max(1) as f32;
        let prose = e.tag == "p" && {
            if e.chars > 80 {
                density < 0.25
            } else {
                density == 0.0 && ends_sentence(page, j)
            }
        };
        if s + bonus >= threshold || prose {
            chosen.push(j);
        }
    }
    chosen
}

/// How much of the best candidate's score the first headline's story needs to win back the
/// page (see [`first_story`]).
const FIRST_STORY_SHARE: f32 = 0.3;

/// The story under the page's first `<h1>` when the best candidate sits under a later one: an
/// infinite-scroll page appends the next articles, each under its own headline, and a longer
/// next article outscores the page's own. The first headline's unit is its highest ancestor
/// that holds no later `<h1>`; its best candidate wins when it scores at least
/// [`FIRST_STORY_SHARE`] of the best.
fn first_story(page: &Blocks, scores: &[f32], best: u32, best_score: f32) -> Option<(u32, f32)> {
    let elems = &page.elems;
    let heads: Vec<u32> = page
        .list
        .iter()
        .filter(|b| b.tag == "h1" && !b.hard)
        .map(|b| b.elem)
        .collect();
    let (&first, rest) = heads.split_first()?;
    // The nearest headline before the candidate, when it is not the first one.
    let own = rest
        .iter()
        .copied()
        .rfind(|&h| h < best && !is_ancestor(elems, best, h))?;
    if is_ancestor(elems, first, best) || first >= best {
        return None;
    }
    let mut unit = first;
    loop {
        let parent = elems[unit as usize].parent;
        if is_top(elems, parent) || is_ancestor(elems, parent, own) {
            break;
        }
        unit = parent;
    }
    if is_ancestor(elems, unit, best) {
        return None;
    }
    let range = unit as usize..elems[unit as usize].end as usize;
    let (b, s) = range
        .filter(|&i| !scores[i].is_nan())
        .map(|i| (i as u32, scores[i]))
        .fold(None, |acc: Option<(u32, f32)>, (i, s)| match acc {
            Some((_, t)) if t >= s => acc,
            _ => Some((i, s)),
        })?;
    (s >= best_score * FIRST_STORY_SHARE).then_some((b, s))
}

/// Share of the prose an ancestor must add to the best candidate's before it becomes the
/// story instead (see [`widen`]).
const WIDEN_FACTOR: f32 = 2.0;

/// How near the best candidate's score that ancestor must score: a wrapper that collects a
/// page's teasers around a long story scores far below it.
const WIDEN_SCORE: f32 = 0.5;

/// The nearest ancestor of `best` that holds at least [`WIDEN_FACTOR`] times its prose, with
/// little link text: readability-style scores credit a paragraph's parent and grandparent
/// most, so a small dense box (an intro, a text-and-picture block of a CMS) can outscore the
/// column that holds the rest of the story in deeper boxes. Prose is the paragraphs' scores,
/// lowered inside soft chrome as when scoring; the walk stops at soft chrome and the page's
/// top.
fn widen(page: &Blocks, para: &[f32], neutral: &[bool], scores: &[f32], best: u32) -> Option<u32> {
    let elems = &page.elems;
    let mut mass = vec![0.0f32; elems.len()];
    for (b, &s) in page.list.iter().zip(para) {
        if s == 0.0 {
            continue;
        }
        mass[b.elem as usize] += s * soft_factor(elems, b, neutral);
    }
    add_to_ancestors(elems, &mut mass);
    let own = mass[best as usize];
    if own <= 0.0 {
        return None;
    }
    let mut a = elems[best as usize].bparent;
    while !is_top(elems, a) {
        let e = &elems[a as usize];
        if (e.soft && !neutral[a as usize]) || e.hard {
            return None;
        }
        // Link share of what the ancestor adds to the candidate: teaser cards around it
        // are headline links over a line of text, the rest of a story is prose.
        let b = &elems[best as usize];
        let density = e.link_chars.saturating_sub(b.link_chars) as f32
            / e.chars.saturating_sub(b.chars).max(1) as f32;
        if mass[a as usize] >= own * WIDEN_FACTOR {
            let near = scores[a as usize] >= scores[best as usize] * WIDEN_SCORE;
            return (density <= 0.15 && near).then_some(a);
        }
        a = e.bparent;
    }
    None
}

/// Elements inside the chosen story elements that are soft chrome by their tag alone
/// (`header`, `figure`, `form`, no chrome class words) and hold at least half of the prose of
/// the story element they are in: they wrap the story's paragraphs. (A gallery or a related
/// box with a chrome class stays out however much text it has.)
fn kept_inside(doc: &Html, page: &Blocks, para: &[f32]) -> Vec<u32> {
    let elems = &page.elems;
    let mut prose = vec![0.0f32; elems.len()];
    for (b, &s) in page.list.iter().zip(para) {
        prose[b.elem as usize] += s;
    }
    add_to_ancestors(elems, &mut prose);
    let mut kept = Vec::new();
    for &c in &page.chosen {
        let limit = prose[c as usize] * 0.5;
        if limit <= 0.0 {
            continue;
        }
        for e in c + 1..elems[c as usize].end {
            let el = &elems[e as usize];
            // A box named only by weak chrome words (see [`WEAK_CHROME`]) that holds prose
            // and few links is part of the story: a page builder's text widget, a
            // text-and-picture block, the collapsed rest of the story. A slideshow is not
            // (its captions can outweigh a short story).
            if el.weak
                && prose[e as usize] > 0.0
                && el.link_chars * 10 <= el.chars * 3
                && !named(doc, el, &GALLERY_WORDS)
            {
                kept.push(e);
                continue;
            }
            if el.soft && !el.hard && prose[e as usize] >= limit {
                // A box whose class words only say "ad", "banner", "paywall" or "share" and
                // that holds most of the story's prose is the story's own wrapper ("cuerpo-ad",
                // "paywall-container"); boxes about other pages (galleries in widgets,
                // related stories, teasers) and comment threads stay out.
                let classed = doc
                    .tree
                    .get(el.node)
                    .and_then(|n| n.value().as_element())
                    .is_some_and(|x| chrome_words(&attr_words(x)));
                if !classed || (!el.foreign && !thread(doc, el)) {
                    kept.push(e);
                }
            }
        }
    }
    kept
}

/// Whether an element is a comment thread (by its class/id words).
fn thread(doc: &Html, e: &Elem) -> bool {
    named(doc, e, &THREAD_WORDS)
}

/// Class/id words of slideshows: their captions are not story text.
const GALLERY_WORDS: [&str; 5] = ["gallery", "slide", "carousel", "lightbox", "swiper"];

/// Whether an element's class/id words contain one of `words`.
fn named(doc: &Html, e: &Elem, words: &[&str]) -> bool {
    doc.tree
        .get(e.node)
        .and_then(|n| n.value().as_element())
        .is_some_and(|el| {
            let have = attr_words(el);
            words.iter().any(|w| have.contains(w))
        })
}

/// Whether the text of an element ends a sentence (a short paragraph worth keeping).
fn ends_sentence(page: &Blocks, e: u32) -> bool {
    page.list
        .iter()
        .rev()
        .find(|b| is_ancestor(&page.elems, e, b.elem))
        .is_some_and(|b| b.text.trim_end().ends_with(['.', '!', '?', '"', '”', '。']))
}

/// The `<body>` element (else the document root).
fn body_elem(elems: &[Elem]) -> u32 {
    elems
        .iter()
        .position(|e| e.tag == "body" && e.parent != NONE)
        .unwrap_or(0) as u32
}

impl Blocks {
    /// Foreign elements that wrap the story are not foreign: recomputes the blocks' flags and
    /// the set behind [`Blocks::in_foreign`].
    fn settle_foreign(&mut self) {
        let Some(&best) = self.chosen.first() else {
            return;
        };
        let elems = &self.elems;
        let mut wraps = vec![false; elems.len()];
        let mut a = best;
        while a != NONE {
            wraps[a as usize] = true;
            a = elems[a as usize].parent;
        }
        let foreign: Vec<bool> = elems
            .iter()
            .enumerate()
            .map(|(i, e)| e.foreign && !wraps[i])
            .collect();
        self.foreign_nodes = elems
            .iter()
            .zip(&foreign)
            .filter(|(_, &f)| f)
            .map(|(e, _)| e.node)
            .collect();
        for b in self.list.iter_mut().filter(|b| b.foreign) {
            let mut a = b.elem;
            let mut f = false;
            while a != NONE {
                if foreign[a as usize] {
                    f = true;
                    break;
                }
                a = elems[a as usize].parent;
            }
            b.foreign = f;
        }
    }

    /// Whether block `b` belongs to the chosen story elements: below one of them, with no
    /// soft chrome in between.
    fn in_story(&self, b: &Block) -> bool {
        if b.hard {
            return false;
        }
        let mut a = b.elem;
        while a != NONE {
            if self.chosen.contains(&a) {
                return true;
            }
            if self.elems[a as usize].soft && !self.kept.contains(&a) {
                return false;
            }
            a = self.elems[a as usize].parent;
        }
        false
    }
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
    /// The block the story opens with as found, before its opening date lines were left out:
    /// a standfirst is looked for above it, not between a date line and the text.
    pub opening: Option<usize>,
}

/// Whether a block is a short label rather than prose: at most 60 characters, not ending a
/// sentence.
fn label(b: &Block) -> bool {
    b.chars <= 60
        && !b
            .text
            .trim_end()
            .ends_with(['.', '!', '?', '"', '”', '。', '»', ')'])
}

/// Labels that open a credit or meta line rather than story text: picture and source
/// credits ("Foto: …", "Quelle: …", "Crédits photos : …", "Fuente: …", "Bron: …"), and the
/// author and publication lines set as paragraphs ("Von: …", "Publiziert: …"). Trafilatura's
/// evaluation truth lists such lines as boilerplate in every language it covers, and readers
/// do not read them as part of the story. Lower-case, compared with the text before a colon.
const CREDIT_LABELS: &[&str] = &[
    // English
    "source",
    "sources",
    "credit",
    "credits",
    "photo",
    "photos",
    "image",
    "images",
    "picture",
    "pictures",
    "photo credit",
    "image credit",
    "image source",
    "copyright",
    "published",
    "updated",
    "posted",
    "written by",
    "by",
    // German
    "quelle",
    "quellen",
    "bildquelle",
    "fotoquelle",
    "foto",
    "fotos",
    "bild",
    "bilder",
    "titelbild",
    "beitragsbild",
    "titelfoto",
    "bildnachweis",
    "fotonachweis",
    "von",
    "veröffentlicht",
    "veröffentlichung",
    "publiziert",
    "aktualisiert",
    "erstellt",
    "verfasst von",
    // French, Spanish, Italian, Portuguese
    "crédit",
    "crédits",
    "crédit photo",
    "crédits photos",
    "crédits photo",
    "publié",
    "par",
    "fuente",
    "fuentes",
    "crédito",
    "créditos",
    "publicado",
    "actualizado",
    "fonte",
    "fonti",
    "credito",
    "crediti",
    "pubblicato",
    "aggiornato",
    "atualizado",
    "por",
    // Dutch, Scandinavian, Polish, Czech
    "bron",
    "beeld",
    "gepubliceerd",
    "bijgewerkt",
    "door",
    "kilde",
    "källa",
    "kuva",
    "lähde",
    "źródło",
    "fot",
    "zdjęcie",
    "zdroj",
    "zdroj foto",
];

/// Whether a block is a credit or meta line: at most 120 characters (a line, not a
/// paragraph), opening with a [`CREDIT_LABELS`] label and a colon ("Foto: Sascha Klahn",
/// "(Credit: Clayton Aldern / Grist)", "Titelbild:"), or with "©".
pub(crate) fn credit_line(b: &Block) -> bool {
    if b.chars > FIGURE_LINE_CHARS {
        return false;
    }
    let text = b.text.trim_start().trim_start_matches(['(', '[']);
    if text.starts_with('©') {
        return b.chars <= 120;
    }
    if credit_tail(text) {
        return true;
    }
    let Some((head, _)) = text.split_once(':') else {
        return false;
    };
    let head = head.trim().to_lowercase();
    if head.split_whitespace().count() > 3 {
        return false;
    }
    if b.chars <= 120 && CREDIT_LABELS.contains(&head.as_str()) {
        return true;
    }
    // A figure label, numbered or not ("Abbildung 4:", "Fig. 2:", "Figure:").
    let label =
        head.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_whitespace() || c == '.');
    FIGURE_LABELS.contains(&label)
}

/// Characters up to which a credit closing a line marks the line as a caption: a credit line
/// names an agency or photographer, not a clause.
const CREDIT_TAIL_CHARS: usize = 60;

/// Whether a line ends with a picture credit, which makes it a caption written as a paragraph
/// ("Lee Elder … | © Augusta National/Getty Images", "Marco Odermatt, Ski-Star. © AFP",
/// "Roman Prymula, photo: Archives du Gouvernement"): a short tail after "©", or after a comma
/// or bar a credit label and a colon. A story sentence does not end with its picture's credit.
fn credit_tail(text: &str) -> bool {
    let text = text.trim_end();
    let short = |tail: &str| {
        let tail = tail.trim();
        !tail.is_empty()
            && tail.chars().count() <= CREDIT_TAIL_CHARS
            && !tail.ends_with(['.', '!', '?', ':'])
    };
    if let Some(at) = text.rfind('©') {
        if at > 0 && short(&text[at + '©'.len_utf8()..]) {
            return true;
        }
    }
    let Some(at) = text.rfind([',', '|']) else {
        return false;
    };
    let Some((label, tail)) = text[at + 1..].split_once(':') else {
        return false;
    };
    let label = label.trim().to_lowercase();
    PICTURE_CREDIT_LABELS.contains(&label.as_str()) && short(tail)
}

/// Labels of a picture credit closing a caption ("…, photo: Archives", "… | Foto: dpa").
/// Only picture words: "von:" or "Quelle:" after a comma can be the story's own words.
const PICTURE_CREDIT_LABELS: &[&str] = &[
    "foto",
    "fotos",
    "bild",
    "photo",
    "photos",
    "credit",
    "crédit photo",
    "image",
    "fot",
    "zdjęcie",
    "beeld",
];

/// Labels of a figure's caption written as a paragraph ("Abbildung 4: klassische
/// Schwachschicht …", "Figure 2: …"), with or without the figure's number: a caption is left
/// out of the body like the `<figcaption>` it stands for. Lower-case, without the number.
const FIGURE_LABELS: &[&str] = &[
    "abbildung",
    "abb",
    "figure",
    "fig",
    "grafik",
    "schaubild",
    "illustration",
    "afbeelding",
    "ilustración",
    "illustrazione",
    "rycina",
    "obrázek",
];

/// Characters up to which a figure-labelled block is a caption: captions run longer than credit
/// lines (a sentence or two), a paragraph of the story does not open with "Abbildung 4:".
const FIGURE_LINE_CHARS: usize = 300;

/// Word starts that ask the reader to subscribe, log in, comment, rate or share. In news
/// the same words report ("fully subscribed", "not available for comment", "subscribers"),
/// so they are an ask only in a line of at most three words ("Kommentare schreiben", "Diesen
/// Artikel teilen") or one that addresses the reader ([`READER_WORDS`]).
const ASK_STEMS: &[&str] = &[
    "subscri",
    "abonn",
    "newsletter",
    "einlogg",
    "eingeloggt",
    "suscr",
    "subskryp",
    "iscriv",
    "inscri",
    "kommentar",
    "kommentier",
    "comment",
    "bewert",
    "teilen",
    "partager",
    "compartir",
    "condividi",
];

/// Words that address the reader or speak for the site ("you", "our", "dich", "unser",
/// "vous", "nuestro", "zapraszamy"): a closing line using them with an ask word is the
/// site speaking to its readers.
const READER_WORDS: &[&str] = &[
    "you",
    "your",
    "our",
    "us",
    "du",
    "dich",
    "dir",
    "dein",
    "deine",
    "deinen",
    "ihr",
    "euch",
    "euer",
    "eure",
    "unser",
    "unsere",
    "unserer",
    "unseren",
    "uns",
    "vous",
    "votre",
    "vos",
    "nous",
    "notre",
    "nos",
    "usted",
    "tu",
    "nuestro",
    "nuestra",
    "nuestros",
    "nuestras",
    "vostro",
    "nostro",
    "nostra",
    "je",
    "jouw",
    "uw",
    "ons",
    "onze",
    "zapraszamy",
];

/// Word starts naming where else to follow the site. One of them is news as often as not
/// ("Relotius legt auf Facebook ein Fake-Profil an"); two in a short closing line are an
/// ask ("Follow us on Twitter and Instagram", "download the … apps for iOS and Android").
const FOLLOW_STEMS: &[&str] = &[
    "telegram",
    "whatsapp",
    "youtube",
    "instagram",
    "facebook",
    "twitter",
    "download",
    "herunterlad",
    "app",
];

/// Whether a block is a reader ask: a line or short paragraph (at most [`ASK_CHARS`]) that
/// asks the reader to subscribe, log in, comment, rate or share ("Subscribe now to our
/// eNATION edition", "Kommentare schreiben", "Diesen Artikel teilen"; see [`ASK_STEMS`]),
/// or names two places to follow the site (at most [`FOLLOW_CHARS`]). Only the story's closing blocks are tested (its
/// last ones, and any among the last [`ASK_TAIL`] of a longer story): there such lines close
/// the page's template, while inside the story the same words are news.
fn reader_ask(b: &Block) -> bool {
    if b.chars > ASK_CHARS {
        return false;
    }
    let text = b.text.to_lowercase();
    let words = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    // "Sie" capitalised is the formal "you"; "sie" is "they".
    let mut reader = b.text.split_whitespace().skip(1).any(|w| w == "Sie");
    let (mut ask, mut follow, mut count) = (false, 0u32, 0usize);
    let mut login = false;
    for w in words {
        count += 1;
        ask |= ASK_STEMS.iter().any(|stem| w.starts_with(stem));
        login |= w.starts_with("einlogg") || w.starts_with("eingeloggt");
        reader |= READER_WORDS.contains(&w);
        let app = |stem: &&str| {
            if *stem == "app" {
                w == "app" || w == "apps"
            } else {
                w.starts_with(stem)
            }
        };
        if let Some(k) = FOLLOW_STEMS.iter().position(app) {
            follow |= 1 << k;
        }
    }
    // A quotation addresses someone in the story, not the reader.
    let quoted = b.text.contains(['"', '“', '„', '«', '»']);
    // A line opening with "Sie" about logging in is the site telling the reader ("Sie müssen
    // sich einloggen, um …", "Sie sind aktuell nicht eingeloggt."): "she" does not log in
    // in a story's closing line.
    reader |= login && b.text.split_whitespace().next() == Some("Sie");
    ask && (count <= 3 || reader && !quoted) || follow.count_ones() >= 2 && b.chars <= FOLLOW_CHARS
}

/// Characters up to which a closing block is tested for an ask ([`reader_ask`]): a line or
/// two sentences ("Du möchtest gerne … mitmachen? Dann hinterlasse einfach einen Kommentar
/// …").
const ASK_CHARS: usize = 300;

/// Characters up to which a closing block naming two places to follow the site is an ask
/// ([`reader_ask`]): longer, it is a story's sentence that names apps and networks ("The
/// checkout machine asks me if I want a digital receipt sent via … Facebook Messenger or the
/// FoodCorp app").
const FOLLOW_CHARS: usize = 250;

/// Marks of a copyright or licence notice, lower-case: "Copyright", "All rights reserved",
/// "Alle Rechte vorbehalten", "stehen unter CC-BY", "Materiał chroniony prawem autorskim". A
/// bare "©" is not one: prose plays with it ("a manifesto™© we just think…").
const RIGHTS_MARKS: &[&str] = &[
    "copyright",
    "copyleft",
    "rights reserved",
    "rechte vorbehalten",
    "urheberrechtlich geschützt",
    "droits réservés",
    "derechos reservados",
    "diritti riservati",
    "direitos reservados",
    "prawa zastrzeżone",
    "prawem autorskim",
    "cc-by",
    "cc by-",
];

/// Whether a block is a copyright or licence notice (at most 300 characters holding one of
/// [`RIGHTS_MARKS`]: "© 2022, Harbour Post. This article is the copyrighted property…",
/// "Dieser Text wurde veröffentlicht unter der Lizenz CC-BY-NC-ND"). Only the story's closing
/// blocks are tested, like [`reader_ask`]: a notice closes the page's template, while a
/// story's own paragraph about a copyright case stands further up.
fn rights_line(b: &Block) -> bool {
    if b.chars > FIGURE_LINE_CHARS {
        return false;
    }
    let text = b.text.to_lowercase();
    RIGHTS_MARKS.iter().any(|m| text.contains(m))
}

/// Words of a blog engine's closing "posted" line, lower-case ("Dieser Beitrag wurde am …
/// veröffentlicht und unter … abgelegt", "This entry was posted on … and is filed under …",
/// "Aktualisiert am 17.01.2021.").
const POSTED_WORDS: &[&str] = &[
    "veröffentlicht",
    "abgelegt unter",
    "aktualisiert am",
    "erstellt am",
    "posted on",
    "posted in",
    "filed under",
    "last modified",
    "last updated",
    "publié le",
    "mis à jour le",
    "publicado el",
    "pubblicato il",
];

/// Characters up to which a block is tested for a "posted" line ([`posted_line`]): blog
/// engines list the post's categories in it, and often how to follow its comments.
const POSTED_LINE_CHARS: usize = 400;

/// Whether a block is the template's "posted on … filed under …" line: at most
/// [`POSTED_LINE_CHARS`] holding a date and one of [`POSTED_WORDS`]. Tested only among the story's
/// closing blocks, like [`reader_ask`]: a story's own sentence about a date stands further up.
fn posted_line(b: &Block) -> bool {
    if b.chars > POSTED_LINE_CHARS {
        return false;
    }
    let text = b.text.to_lowercase();
    POSTED_WORDS.iter().any(|w| text.contains(w))
        && crate::extract::dates::parse_text_date(&b.text).is_some()
}

/// Advertising labels, lower-case: an ad slot's label or the disclosure a sponsored post opens
/// with ("Anzeige", "*Werbung. Dieser Beitrag enthält Werbung für …", "- Advertisement -").
const AD_LABELS: &[&str] = &[
    "anzeige",
    "werbung",
    "advertisement",
    "advertorial",
    "sponsored",
    "gesponsert",
    "publicidad",
    "publicité",
    "pubblicità",
    "publicidade",
    "advertentie",
    "reklama",
    "reklame",
    "annons",
    "mainos",
];

/// Characters up to which a block opening with an advertising label is the label or the
/// disclosure line, not a paragraph.
const AD_LINE_CHARS: usize = 200;

/// Whether a block is an ad label or a sponsored post's disclosure: at most
/// [`AD_LINE_CHARS`] characters opening with an [`AD_LABELS`] word that stands alone, is set
/// off by punctuation ("*Werbung. Dieser Beitrag …", "ANZEIGE - Heute mal …", "– Anzeige: …
/// –", "[Werbung] …") or is written in capitals ("WERBUNG für …"). A sentence about
/// advertising uses the word in its grammar ("Werbung neuer Mitglieder", "Anzeige erstattet").
fn ad_label(b: &Block) -> bool {
    if b.chars > AD_LINE_CHARS {
        return false;
    }
    let text = b.text.trim_start_matches(|c: char| !c.is_alphanumeric());
    let end = text
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(text.len());
    let (word, rest) = text.split_at(end);
    if !AD_LABELS.contains(&word.to_lowercase().as_str()) {
        return false;
    }
    let rest = rest.trim_start();
    rest.is_empty()
        || rest.starts_with(['.', ':', '-', '–', '—', '|', ']', ')', '*', '/'])
        || word.chars().all(|c| c.is_uppercase())
}

/// Labels of a template's contact or further-information box, lower-case ("Kontakt:",
/// "Pressekontakt", "Weitere Informationen", "Media contact"): a line that is nothing but one
/// of them heads the box, not a part of the story.
const BOX_LABELS: &[&str] = &[
    "kontakt",
    "pressekontakt",
    "ansprechpartner",
    "ansprechpartnerin",
    "weitere informationen",
    "mehr informationen",
    "contact",
    "contacts",
    "press contact",
    "media contact",
    "more information",
    "further information",
    "contact presse",
    "plus d'informations",
    "contacto",
    "más información",
    "contatti",
    "ulteriori informazioni",
    "meer informatie",
    "więcej informacji",
];

/// Whether a block is only a [`BOX_LABELS`] label, with or without a colon.
fn box_label(b: &Block) -> bool {
    b.chars <= 40 && {
        let text = b.text.trim_end_matches([':', ' ']).to_lowercase();
        BOX_LABELS.contains(&text.as_str())
    }
}

/// Characters up to which a line holding a date is a date line (see [`date_line`]).
const DATE_LINE_CHARS: usize = 60;

/// Whether a block is a date line: at most [`DATE_LINE_CHARS`] characters and eight words
/// holding a date ("23.10.2018", "Posted on April 29, 2022", "04.02.2022 | 13:10 Uhr | Uta
/// Helkenberg"), not a sentence unless a label opens it ("Stand des Artikels: 26. Februar
/// 2020, 12:30 Uhr."; a story may open "On 12 May the council met."). Only the lines opening
/// the story are tested: further down a short line with a date is the story's own (an
/// event's date, a table of results).
fn date_line(b: &Block) -> bool {
    b.chars <= DATE_LINE_CHARS
        && b.text.split_whitespace().count() <= 8
        && (!sentence_end(&b.text) || b.text.contains(':'))
        && crate::extract::dates::parse_text_date(&b.text).is_some()
}

/// How many of a story's last paragraphs are tested for reader asks wherever they stand
/// among them (see [`reader_ask`]); a story of no more paragraphs than this keeps them, as
/// a short story's asks may be its subject.
const ASK_TAIL: usize = 5;

/// Whether a link-dense block is still a sentence of the story: a paragraph of 80+
/// characters, at most 80% link text, that ends like a sentence ("He joined <a>the
/// marketing team of Amica</a> in 2008 and <a>…</a>."). Link lists and "Read also: <a>…</a>"
/// lines are shorter, all links, or do not end a sentence.
fn linked_sentence(b: &Block) -> bool {
    b.tag == "p" && b.chars >= 80 && b.link_density() <= 0.8 && sentence_end(&b.text)
}

/// Whether a link-dense block shows an address as its text: a URL ("http://www.openpetition.de/…",
/// "[1] http://www.gnu.org/…", "via t3n News https://t3n.de/news") or an e-mail address. The
/// reader sees the address itself, so it is the story's reference or contact, written out;
/// menus, share rows and related-story links show titles instead.
fn address_line(b: &Block) -> bool {
    b.text.split_whitespace().any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        let lower = w.to_ascii_lowercase();
        lower.starts_with("http://")
            || lower.starts_with("https://")
            || lower.starts_with("www.")
            || w.split_once('@').is_some_and(|(user, host)| {
                !user.is_empty()
                    && host.contains('.')
                    && !host.starts_with('.')
                    && !host.ends_with('.')
            })
    })
}

/// Characters up to which the line before a short line makes a run of short lines with it
/// (see [`continues_run`]).
const RUN_LINE_CHARS: usize = 100;

/// Whether block `i` continues a run of short lines of its kind: the block before it (taken
/// into the story by the caller) is a line of at most [`RUN_LINE_CHARS`] with the same tag
/// under the same parent — an item of a list ("99. Kevin Dubrow", "100. Ray Gillen"), an
/// ingredient, a sign-off after "Viel Glück!". Such a line is one of the run, not a label
/// introducing the links after it (a "Tweet" button, a "Zum Deal" link); a heading or a line
/// ending with a colon still introduces them.
fn continues_run(blocks: &Blocks, i: usize) -> bool {
    let Some(prev) = i.checked_sub(1).map(|p| &blocks.list[p]) else {
        return false;
    };
    let b = &blocks.list[i];
    let parent = |x: &Block| blocks.elems[x.elem as usize].parent;
    !b.is_heading()
        && !b.text.trim_end().ends_with(':')
        && prev.tag == b.tag
        && prev.chars <= RUN_LINE_CHARS
        && parent(prev) == parent(b)
}

/// Whether block `i` is a heading or label ("Lesen Sie auch:", "Related stories", "Weitere
/// Informationen") over links (a link-dense block follows it): the links are left out of the
/// story, so is what introduces them. Table cells are data, not labels, a link is not a label
/// (a list of written-out addresses is one of the links), and neither is a line that
/// `follows` (the block before it is in the story) and [`continues_run`].
fn introduces_links(blocks: &Blocks, i: usize, follows: bool) -> bool {
    let list = &blocks.list;
    let b = &list[i];
    if !label(b) || matches!(b.tag, "td" | "th") || b.link_density() > 0.5 {
        return false;
    }
    if follows && continues_run(blocks, i) {
        return false;
    }
    list.get(i + 1)
        .is_some_and(|n| n.link_density() > 0.5 && !matches!(n.tag, "td" | "th"))
}

/// The story's blocks, in order. `title` is used to drop the headline when it is repeated
/// inside the story container.
pub fn story(_doc: &Html, blocks: &Blocks, title: &str) -> Story {
    let title_norm = title.to_lowercase();
    let mut story = Story::default();
    let (mut all_chars, mut link_chars) = (0usize, 0usize);
    for (i, b) in blocks.list.iter().enumerate() {
        if !blocks.in_story(b) {
            continue;
        }
        all_chars += b.chars;
        link_chars += b.link_chars;
        if b.links > 0 && b.link_chars * 2 >= b.chars && b.text.split_whitespace().count() >= 3 {
            story.headline_links += b.links;
        }
        if b.link_density() > 0.5 && !linked_sentence(b) && !address_line(b) {
            continue;
        }
        if b.is_heading() && (b.tag == "h1" || b.text.to_lowercase() == title_norm) {
            continue;
        }
        let follows = i > 0 && story.paragraphs.last() == Some(&(i - 1));
        if introduces_links(blocks, i, follows) || credit_line(b) || ad_label(b) || box_label(b) {
            continue;
        }
        story.paragraphs.push(i);
    }
    // A heading or a label ending the story introduces nothing of it ("Über den Autor",
    // "Quellen:", "Das könnte Sie auch interessieren"); the template's asks to subscribe,
    // comment or share that close the story are not story either.
    let heads = |i: usize| {
        let b = &blocks.list[i];
        label(b) && (b.is_heading() || b.text.ends_with(':'))
            || reader_ask(b)
            || rights_line(b)
            || posted_line(b)
    };
    let prose = story.paragraphs.iter().any(|&i| blocks.list[i].chars >= 80);
    // A date line opening the story ("23.10.2018", "Posted on April 29, 2022", "11 Jan 2019",
    // "2021-10-16 | Botschaft") is the page's meta line, not its text.
    story.opening = story.paragraphs.first().copied();
    if prose {
        let lead = story
            .paragraphs
            .iter()
            .take_while(|&&i| blocks.list[i].chars < 80 && date_line(&blocks.list[i]))
            .count();
        story.paragraphs.drain(..lead);
    }
    while prose && story.paragraphs.len() > 1 && story.paragraphs.last().is_some_and(|&i| heads(i))
    {
        story.paragraphs.pop();
    }
    // Asks are also left out among the last paragraphs of a longer story, where the template's
    // closing boxes interleave them with ratings, author lines and links ("Möchten Sie den
    // Artikel teilen?", "War der Artikel nützlich?", "(Noch keine Bewertungen)").
    if prose && story.paragraphs.len() > ASK_TAIL {
        let cut = story.paragraphs.len() - ASK_TAIL;
        let tail: Vec<usize> = story.paragraphs[cut..]
            .iter()
            .copied()
            .filter(|&i| {
                let b = &blocks.list[i];
                !reader_ask(b) && !rights_line(b) && !posted_line(b)
            })
            .collect();
        story.paragraphs.truncate(cut);
        story.paragraphs.extend(tail);
    }
    story.link_density = link_chars as f32 / all_chars.max(1) as f32;
    story
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
        // Choosing the story walks up through 20,000 lone children: each step must look at
        // the children only, not the whole subtree.
        let s = story(&doc, &b, "");
        assert_eq!(s.paragraphs.len(), 1);
    }

    const LONG: &str = "Harbour workers voted on Monday to end the strike, which had closed the port for nine days, the union said in a statement.";

    fn body_text(html: &str) -> String {
        body_of(html).join("\n\n")
    }

    #[test]
    fn wrapper_with_a_chrome_class_is_not_chrome() {
        // A blog engine wraps the post in "widget Blog" and "date-outer"; the sidebar holds
        // widgets too.
        let html = format!(
            "<div class='widget Blog'><div class='date-outer'><h2 class='date-header'>Monday</h2>\
             <div class='post'><h3 class='post-title'>Headline</h3><div class='post-body'><p>{PROSE}</p><p>{LONG}</p></div>\
             <div class='post-footer'><p>Posted by Ines Varga at 10:04, share this post with friends.</p></div></div></div></div>\
             <div class='widget Profile'><p>I write about the harbour, the ferries and the people of our small town.</p></div>"
        );
        let body = body_text(&html);
        assert!(
            body.contains("council voted") && body.contains("Harbour workers"),
            "{body}"
        );
        assert!(
            !body.contains("Posted by") && !body.contains("I write about"),
            "{body}"
        );
    }

    #[test]
    fn layout_column_named_like_a_sidebar_holding_the_headline_wins() {
        let mut post = String::new();
        for _ in 0..6 {
            post.push_str(&format!("<p>{LONG}</p>"));
        }
        let html = format!(
            "<div id='site'><div id='contentWithSidebar'><div id='post'><h1>Headline</h1>{post}</div></div>\
             <div id='legal'><p>This site is licensed to you under terms, which you can read, print, and keep.</p>\
             <p>Opinions are my own, not those of my employer, past or present, in any way.</p></div></div>"
        );
        let body = body_text(&html);
        assert_eq!(body.matches("Harbour workers").count(), 6, "{body}");
        assert!(!body.contains("Opinions are my own"), "{body}");
    }

    #[test]
    fn a_gallery_with_more_text_than_the_story_does_not_take_over() {
        let mut slides = String::new();
        for i in 0..12 {
            slides.push_str(&format!(
                "<li><h2>{i}/12 Ferry news</h2><p>{LONG} Slide {i}.</p></li>"
            ));
        }
        let html = format!(
            "<h1>Headline</h1><div class='article-text'><p>{PROSE}</p><p>{PROSE} Two.</p><p>{PROSE} Three.</p>\
             <div class='dnd-widget-wrapper type-gallery'><ul class='legends'>{slides}</ul></div>\
             <p>{PROSE} Four.</p></div>"
        );
        let body = body_of(&html);
        assert_eq!(body.len(), 4, "{body:?}");
        assert!(body.iter().all(|p| !p.contains("Slide")));
    }

    #[test]
    fn inline_wrappers_do_not_split_the_story() {
        // Paragraphs inside <span> wrappers (invalid but common) credit the block around them,
        // so several steps of one article are found together.
        let mut steps = String::new();
        for i in 0..5 {
            steps.push_str(&format!(
                "<span><div class='step'><div class='content'><span><p>{LONG} Step {i}.</p></span></div>\
                 <figure><img src='x.jpg'></figure><figcaption>Photo agency {i}</figcaption></div></span>"
            ));
        }
        let html =
            format!("<article><h1>Headline</h1>{steps}</article><footer><p>{PROSE}</p></footer>");
        let body = body_of(&html);
        assert_eq!(body.len(), 5, "{body:?}");
        assert!(body.iter().all(|p| !p.contains("Photo agency")));
    }

    #[test]
    fn story_body_words_beat_chrome_words_and_shared_is_not_share() {
        let html = format!(
            "<div class='text-wrapper' itemprop='articleBody' id='share-btns-container'><p>{PROSE}</p><p>{LONG}</p></div>"
        );
        assert_eq!(body_of(&html).len(), 2);
        let html = format!(
            "<div class='content'><div class='section' id='evolve-shared-history'><h2>Shared history</h2><p>{PROSE}</p><p>{LONG}</p></div>\
             <div class='section' id='share-tools'><p>Share this page on the social network of your choice, today.</p></div></div>"
        );
        let body = body_text(&html);
        assert!(
            body.contains("council") && body.contains("Shared history"),
            "{body}"
        );
        assert!(!body.contains("Share this page"), "{body}");
    }

    #[test]
    fn camel_case_class_words_are_split() {
        let doc = Html::parse_fragment(
            "<div class='screenContent readNextSidebar is-showingAds' id='adPortal'></div>",
        );
        let el = doc
            .tree
            .nodes()
            .filter_map(|n| n.value().as_element())
            .find(|e| e.name() == "div")
            .unwrap();
        assert_eq!(attr_words(el), "screen-content-read-next-sidebar ad-portal");
        assert!(is_chrome(el));
    }

    #[test]
    fn class_words_inside_the_story_drop_chrome_but_not_paragraphs() {
        // A byline box and a share bar inside the article are dropped; a span with a chrome
        // word inside a paragraph neither splits nor drops it.
        let html = format!(
            "<article><h1>Headline</h1><div class='byline'>By Ines Varga</div>\
             <div class='body'><p>{PROSE}</p><p>The mayor, <span class='author-name'>Ana Lima</span>, said the harbour will reopen soon.</p>\
             <div class='share-bar'><p>Share this story with your friends and family today.</p></div><p>{LONG}</p></div></article>"
        );
        let body = body_of(&html);
        assert_eq!(body.len(), 3, "{body:?}");
        assert_eq!(
            body[1],
            "The mayor, Ana Lima, said the harbour will reopen soon."
        );
    }

    #[test]
    fn lead_paragraph_beside_the_body_container_joins() {
        let html = format!(
            "<div class='story'><p class='lede'>{LONG}</p><div class='text'><p>{PROSE}</p><p>{PROSE} Two.</p><p>{PROSE} Three.</p></div>\
             <p>Short closing line.</p></div>"
        );
        let body = body_of(&html);
        assert_eq!(body.len(), 5, "{body:?}");
        assert!(body[0].starts_with("Harbour workers"));
    }

    #[test]
    fn header_element_holding_story_paragraphs_is_kept_when_it_wraps_the_story() {
        let html = format!(
            "<header class='site-header'><a href='/'>The Paper</a></header>\
             <div class='article_body'><header><p>{PROSE}</p><p>{LONG}</p><p>{PROSE} More.</p></header></div>"
        );
        let body = body_of(&html);
        assert_eq!(body.len(), 3, "{body:?}");
    }

    #[test]
    fn comment_thread_does_not_become_the_story() {
        let mut comments = String::new();
        for i in 0..10 {
            comments.push_str(&format!(
                "<div class='comment'><p>{LONG} Reader {i}.</p></div>"
            ));
        }
        let html = format!(
            "<div class='page-content has-comments'><h1>Headline</h1><div class='entry'><p>{PROSE}</p><p>{PROSE} Two.</p></div>\
             <section id='comments'>{comments}</section></div>"
        );
        let body = body_of(&html);
        assert_eq!(body.len(), 2, "{body:?}");
    }

    /// A 2000s table layout: a left navigation cell, then a table whose rows hold the
    /// section label, the headline with date line and byline, the story, and a tools row.
    fn table_layout(story: &str) -> String {
        let mut nav = String::new();
        for i in 0..8 {
            nav.push_str(&format!("<a href='/s{i}/'>Section number {i}</a><br>"));
        }
        for i in 0..5 {
            nav.push_str(&format!(
                "<a href='/x/{i}.html'>Council approves new harbour budget number {i}</a><br><br>"
            ));
        }
        format!(
            "<html><body><table><tr><td class='leftnav'><font size='2'><b>SECTIONS</b><br>{nav}</font></td>\
             <td><table><tr><td class='section-head' bgcolor='#CC0000'>GOVERNMENT &amp; ECONOMY</td></tr>\
             <tr><td><font size='4'><b>Headline</b></font><br><font size='2'>Tuesday, March 5, 2024</font><br>\
             <font size='2'><i>By Ines Varga, Staff Reporter</i></font><br></td></tr>\
             <tr><td>{story}</td></tr>\
             <tr><td><font size='1'><a href='mailto:?subject=x'>E-mail this story</a> | <a href='javascript:print()'>Print</a></font></td></tr>\
             </table></td></tr></table></body></html>"
        )
    }

    #[test]
    fn short_story_in_a_table_layout_leaves_out_section_label_and_date_line() {
        let long = format!("{PROSE}<br><br>Fares frozen.");
        for (story, want) in [
            (
                "Fares frozen.<br><br>Council decides.",
                vec!["Fares frozen.", "Council decides."],
            ),
            (
                "Ferry fares will not rise this year, the council said on Monday.",
                vec!["Ferry fares will not rise this year, the council said on Monday."],
            ),
            (long.as_str(), vec![PROSE, "Fares frozen."]),
        ] {
            assert_eq!(body_of(&table_layout(story)), want, "{story}");
        }
    }

    #[test]
    fn javascript_links_are_text_and_tiny_pages_keep_their_text() {
        let html = "<body><a href='javascript:'><p>abc</p><p>def</p>ghi</a></body>";
        assert_eq!(body_of(html), vec!["abc", "def", "ghi"]);
    }

    #[test]
    fn foreign_wrapper_of_the_story_is_not_foreign() {
        let html = format!(
            "<div class='widget Blog'><h1 class='post-title'>Headline</h1><time datetime='2019-05-02'>2 May</time>\
             <div class='post-body'><p>{PROSE}</p><p>{LONG}</p></div></div>\
             <div class='sidebar'><time datetime='2020-01-01'>1 Jan</time></div>"
        );
        let doc = Html::parse_document(&html);
        let b = blocks(&doc);
        let sel = scraper::Selector::parse("time").unwrap();
        let foreign: Vec<bool> = doc.select(&sel).map(|t| b.in_foreign(t)).collect();
        assert_eq!(foreign, vec![false, true]);
    }
    #[test]
    fn story_wrapper_named_like_an_ad_or_paywall_is_kept_but_a_related_box_is_not() {
        let html = format!(
            "<h1>Headline</h1><article class='post'><p class='place'>Valdivia</p>\
             <div class='cuerpo-ad'><p>{PROSE}</p><p>{LONG}</p><p>{PROSE} Three.</p></div>\
             <div class='paywall-container'><p>{LONG} Four.</p></div>\
             <div class='related-stories'><p>{PROSE} Other story.</p></div></article>"
        );
        let body = body_of(&html);
        assert!(body.iter().any(|p| p == PROSE), "{body:?}");
        assert!(body.iter().any(|p| p.ends_with("Three.")), "{body:?}");
        assert!(body.iter().all(|p| !p.contains("Other story")), "{body:?}");
    }
    #[test]
    fn a_story_class_on_a_one_line_box_does_not_outweigh_the_story() {
        let html = format!(
            "<h1>Headline</h1><div><p>{PROSE}</p><p>{LONG}</p></div>\
             <div class='rating'><div class='rating-text'>Rating: 5.0/5 (1 vote cast)</div>\
             <div class='votes'>12 votes</div></div>"
        );
        let body = body_of(&html);
        assert_eq!(body, vec![PROSE.to_string(), LONG.to_string()]);
    }
    #[test]
    fn an_intro_box_does_not_cut_off_the_story_below_it() {
        let html = format!(
            "<div class='column content'>\
             <div class='intro'><h1>Headline</h1><div class='intro-text'><p>{PROSE} {LONG}</p></div></div>\
             <div><div><p>{LONG} A.</p></div><div><p>{LONG} B.</p></div><div><p>{LONG} C.</p></div></div></div>\
             <div class='more'><div class='card'><a href='/a'>Another story about the harbour</a>\
             <p>{PROSE} Card.</p></div></div>"
        );
        let body = body_of(&html);
        assert_eq!(body.len(), 4, "{body:?}");
        assert!(body[3].ends_with("C."), "{body:?}");
    }
    #[test]
    fn boxes_named_only_widget_teaser_or_image_inside_the_story_are_story() {
        // A page builder names every box a widget; a CMS puts text-and-picture blocks in
        // "image" boxes and the story's second half in a "read-more" box. A box with strong
        // chrome words (share) or without prose (a like button) stays out.
        let html = format!(
            "<h1>Headline</h1><article class='post'><p>{PROSE}</p>\
             <div class='elementor-widget-container'><p>{LONG} Widget.</p></div>\
             <div class='text-and-image__text'><p>{PROSE} Image box.</p></div>\
             <div class='js-readmore'><p>{LONG} Rest.</p></div>\
             <div class='likes-widget'><div>Like this: Loading</div></div>\
             <div class='share-widget'><p>{PROSE} Share box.</p></div>\
             <div class='teaser-list'><p><a href='/x'>{PROSE} Linked teaser.</a></p></div></article>"
        );
        let body = body_of(&html);
        assert_eq!(body.len(), 4, "{body:?}");
        assert!(
            body[1].ends_with("Widget.") && body[3].ends_with("Rest."),
            "{body:?}"
        );
    }
    #[test]
    fn a_sentence_with_many_links_is_story_but_a_link_line_is_not() {
        let html = format!(
            "<h1>Headline</h1><div class='text'><p>{PROSE}</p><p>{LONG}</p>\
             <p>He joined <a href='/a'>the marketing department of the harbour company</a> in 2008 and \
             <a href='/b'>its communications team</a> later.</p>\
             <p>Read also: <a href='/c'>Harbour budget approved after a long night of debate in the town hall</a></p>\
             <p>{PROSE} End.</p></div>"
        );
        let body = body_of(&html);
        assert!(body.iter().any(|p| p.starts_with("He joined")), "{body:?}");
        assert!(body.iter().all(|p| !p.starts_with("Read also")), "{body:?}");
    }

    #[test]
    fn a_link_showing_its_address_is_story() {
        // The reader sees the address itself: a petition's URL, a reference, a contact e-mail.
        // A link showing a title stays out, and so does a handle without a host.
        let html = format!(
            "<h1>Headline</h1><div class='text'><p>{PROSE}</p>\
             <p><a href='/p'>http://www.openpetition.de/petition/online/harbour-fees</a></p>\
             <p>[1] <a href='/g'>https://www.gnu.org/philosophy/free-sw.html</a></p>\
             <p><a href='mailto:x'>harbour.office@example.org</a></p>\
             <p><a href='/t'>@harbourtown</a></p>\
             <p><a href='/r'>Harbour budget approved after a long night</a></p>\
             <p>{PROSE} End.</p></div>"
        );
        let body = body_of(&html);
        assert_eq!(body.len(), 5, "{body:?}");
        assert!(
            body[1].starts_with("http://www.openpetition.de"),
            "{body:?}"
        );
        assert!(body[2].starts_with("[1] https://"), "{body:?}");
        assert_eq!(body[3], "harbour.office@example.org", "{body:?}");
    }

    #[test]
    fn a_line_continuing_a_run_of_short_lines_is_not_a_label_over_links() {
        // The last item of a list, and a sign-off, above a button: story. A label over
        // related links after a paragraph, and a colon label after a short line: not story.
        let html = format!(
            "<h1>Headline</h1><div class='text'><p>{PROSE}</p><p>{LONG}</p>\
             <p>99. Kevin Dubrow</p><p>100. Ray Gillen</p><p><a href='/t'>Tweet</a></p>\
             <p>{PROSE} Two.</p><p>Viel Glück!</p><p>Euer Hans</p><p><a href='/d'>Zum Deal</a></p>\
             <p>{PROSE} Three.</p><p>Related stories</p><p><a href='/r'>Harbour budget approved</a></p>\
             <p>Short line.</p><p>Lesen Sie auch:</p><p><a href='/s'>Harbour fees rise again</a></p>\
             <p>{PROSE} End.</p></div>"
        );
        let body = body_of(&html);
        for kept in ["100. Ray Gillen", "Euer Hans"] {
            assert!(body.iter().any(|p| p == kept), "{kept}: {body:?}");
        }
        for left in ["Related stories", "Lesen Sie auch:"] {
            assert!(body.iter().all(|p| p != left), "{left}: {body:?}");
        }
    }

    #[test]
    fn date_lines_opening_the_story_are_not_story() {
        // The meta lines above the text go; a short line with a date further down, and a
        // sentence opening with a date, stay.
        let html = format!(
            "<h1>Headline</h1><div class='text'><p>Posted on April 29, 2022</p>\
             <p>23.10.2018 | Botschaft</p><p>{PROSE}</p><p>Termin: 21.02.2020, 19 Uhr</p>\
             <p>{PROSE} End.</p></div>"
        );
        let body = body_of(&html);
        assert_eq!(body.len(), 3, "{body:?}");
        assert_eq!(body[0], PROSE, "{body:?}");
        assert_eq!(body[1], "Termin: 21.02.2020, 19 Uhr", "{body:?}");
        let html = format!(
            "<h1>Headline</h1><div class='text'><p>On 12 May 2021 the council met.</p>\
             <p>{PROSE}</p></div>"
        );
        assert_eq!(body_of(&html).len(), 2);
    }

    #[test]
    fn ad_labels_and_sponsorship_disclosures_are_not_story() {
        let html = format!(
            "<h1>Headline</h1><div class='text'><p>*Werbung. Dieser Beitrag enthält Werbung für MYMARINI.</p>\
             <p>{PROSE}</p><p>Anzeige</p><p>ANZEIGE - Heute mal ausgehen? Wie wäre es mit:</p>\
             <p>- Advertisement -</p><p>WERBUNG für Plantur Farbshampoo</p>\
             <p>Werbung neuer Mitglieder</p><p>Anzeige erstattet der Verein am Montag.</p>\
             <p>{PROSE} End.</p></div>"
        );
        let body = body_of(&html);
        assert_eq!(body.len(), 4, "{body:?}");
        assert_eq!(body[1], "Werbung neuer Mitglieder", "{body:?}");
        assert_eq!(
            body[2], "Anzeige erstattet der Verein am Montag.",
            "{body:?}"
        );
    }

    #[test]
    fn two_sentence_asks_and_long_posted_lines_close_no_story() {
        // A closing ask of two sentences (up to 300 characters), and a blog's "posted" line
        // listing its categories (up to 400), are left out; a longer sentence naming apps
        // and networks is the story's own.
        let ask = "Du möchtest gerne bei unserem Lesekreis diesen Monat mitmachen? Dann hinterlasse \
                   einfach einen Kommentar unter diesem Beitrag mit deinem Einführungspost, in dem \
                   du das Buch vorstellst, das du in diesem Monat liest und mit uns allen gemeinsam besprechen möchtest.";
        let posted = "Der Beitrag wurde am Mittwoch, den 27. November 2019 um 15:21 Uhr \
                      veröffentlicht und wurde unter Allgemein, Region Halle - Leipzig, Tastings \
                      & Events, Veranstaltungskalender abgelegt. Du kannst die Kommentare zu \
                      diesem Eintrag durch den RSS-2.0 Feed verfolgen. Du kannst einen Kommentar \
                      schreiben, oder einen Trackback auf deiner Seite einrichten.";
        let apps =
            "The checkout machine asks me if I want a digital receipt sent to me via email, \
                    SMS, Facebook Messenger or the FoodCorp app. This is mostly so that they can \
                    discover yet another identifier to track me across the shops and the years \
                    that I have been coming here, and I say no every single time it asks.";
        assert!(ask.chars().count() > 250 && ask.chars().count() <= 300);
        assert!(posted.chars().count() > 300 && posted.chars().count() <= 400);
        assert!(apps.chars().count() > 250);
        for (last, kept) in [(ask, false), (posted, false), (apps, true)] {
            let html = format!(
                "<h1>Headline</h1><div class='text'><p>{PROSE}</p><p>{PROSE} Two.</p>\
                 <p>{last}</p></div>"
            );
            let body = body_of(&html);
            assert_eq!(body.len(), if kept { 3 } else { 2 }, "{body:?}");
        }
    }

    #[test]
    fn contact_and_information_labels_are_not_story() {
        let html = format!(
            "<h1>Headline</h1><div class='text'><p>{PROSE}</p><h2>Weitere Informationen</h2>\
             <p>{PROSE} Two.</p><p>Kontakt:</p><p>Pressestelle, Telefon 040 123456.</p>\
             <p>Contact the council before Friday.</p></div>"
        );
        let body = body_of(&html);
        assert_eq!(body.len(), 4, "{body:?}");
        assert!(
            body.iter()
                .all(|p| !p.starts_with("Weitere") && p != "Kontakt:"),
            "{body:?}"
        );
    }

    #[test]
    fn figure_captions_written_as_paragraphs_are_not_story() {
        // Numbered or not, up to a few sentences; a long paragraph is story whatever it opens
        // with, and so is a sentence that mentions a figure.
        let caption = "Abbildung 4: klassische Schwachschicht. Der Unterschied in der Kornform und der Struktur der Schicht gegenüber den Nachbarschichten ist deutlich.";
        let long = format!("Figure: {PROSE} {PROSE} {PROSE}");
        let html = format!(
            "<h1>Headline</h1><div class='text'><p>{PROSE}</p><p>{caption}</p>\
             <p>Fig. 2: Snow depth on the glacier</p><p>{PROSE} Second.</p><p>{long}</p>\
             <p>The figure: {PROSE}</p></div>"
        );
        let body = body_of(&html);
        assert_eq!(body.len(), 4, "{body:?}");
        assert!(
            !body
                .iter()
                .any(|p| p.starts_with("Abbildung") || p.starts_with("Fig.")),
            "{body:?}"
        );
    }

    #[test]
    fn asks_among_the_last_paragraphs_of_a_longer_story_are_not_story() {
        let html = format!(
            "<h1>Headline</h1><div class='text'><p>{PROSE}</p><p>{PROSE} Two.</p>\
             <p>Kommentare schreiben</p><p>{PROSE} Three.</p><p>{PROSE} Four.</p>\
             <p>{PROSE} Five.</p><p>Möchten Sie den Artikel teilen?</p><p>{PROSE} Six.</p></div>"
        );
        // The ask among the last five goes; one further up is the story's business.
        let body = body_of(&html);
        assert_eq!(body.len(), 7, "{body:?}");
        assert!(!body.iter().any(|p| p.starts_with("Möchten")), "{body:?}");
        assert!(body.iter().any(|p| p == "Kommentare schreiben"), "{body:?}");
        // A short story keeps an ask that is not its last line.
        let html = format!(
            "<h1>Headline</h1><div class='text'><p>{PROSE}</p><p>Kommentare schreiben</p>\
             <p>{PROSE} Two.</p></div>"
        );
        assert_eq!(body_of(&html).len(), 3);
    }

    #[test]
    fn credit_and_meta_lines_inside_the_story_are_not_story() {
        let html = format!(
            "<h1>Headline</h1><div class='text'><p>{PROSE}</p><p>Foto: Sascha Klahn</p>\
             <p>(Credit: Clayton Aldern / Grist)</p><p>{PROSE} Second.</p>\
             <p>Source: the ministry said on Tuesday that the figures would be revised.</p>\
             <p>Crédits photos : Bestimage</p><p>Quelle: Deutscher Jagdverband (DJV), 2. Februar 2022</p>\
             <p>© 2022 Harbour Post</p><p>Ein Foto: {PROSE}</p></div>"
        );
        let body = body_of(&html);
        assert_eq!(body.len(), 3, "{body:?}");
        assert!(body[2].starts_with("Ein Foto:"), "{body:?}");
    }

    #[test]
    fn a_closing_login_notice_opening_with_sie_is_not_story() {
        let html = format!(
            "<h1>Headline</h1><div class='text'><p>{PROSE}</p><p>{PROSE} Second.</p>\
             <p>Sie kommentierte den Vorfall am Dienstag nicht.</p>\
             <p>Kommentieren</p>\
             <p>Sie müssen sich einloggen, um sich an einer Diskussion beteiligen zu können.</p></div>"
        );
        let body = body_of(&html);
        assert_eq!(body.len(), 3, "{body:?}");
        assert!(body[2].starts_with("Sie kommentierte"), "{body:?}");
    }

    #[test]
    fn a_closing_posted_line_is_not_story() {
        let html = format!(
            "<h1>Headline</h1><div class='text'>\
             <p>The report, published on 3 March 2021, found that the harbour had silted up.</p>\
             <p>{PROSE}</p><p>{PROSE} Second.</p>\
             <p>This entry was posted on 27 November 2019 and is filed under News, Harbour.</p></div>"
        );
        let body = body_of(&html);
        assert_eq!(body.len(), 3, "{body:?}");
        assert!(body[0].starts_with("The report"), "{body:?}");
    }

    #[test]
    fn rights_notices_closing_the_story_are_not_story() {
        let paras: String = (0..6)
            .map(|k| format!("<p>{PROSE} Part {k}.</p>"))
            .collect();
        let html = format!(
            "<h1>Headline</h1><div class='text'>\
             <p>The court ruled on Tuesday that the copyright of the song had expired in 1990.</p>\
             {paras}\
             <p>© 2022, Harbour Post. This article is the copyrighted property of Harbour Post.</p>\
             <p>{PROSE} Last.</p>\
             <p>This isn't a manifesto™© we just think it's cool to share what we learned.</p>\
             <p>Dieser Text wurde veröffentlicht unter der Lizenz CC-BY-NC-ND-4.0-DE.</p></div>"
        );
        let body = body_of(&html);
        assert_eq!(body.len(), 9, "{body:?}");
        assert!(body[0].contains("copyright of the song"), "{body:?}");
        assert!(body[7].ends_with("Last."), "{body:?}");
        assert!(body[8].contains("manifesto™©"), "{body:?}");
    }

    #[test]
    fn captions_closed_by_a_picture_credit_are_not_story() {
        let html = format!(
            "<h1>Headline</h1><div class='text'><p>{PROSE}</p>\
             <p>Lee Elder was blessed with talent and a colourful style. | © Augusta National/Getty Images</p>\
             <p>Marco Odermatt, ski star from Switzerland. © AFP / MARCO BERTORELLO</p>\
             <p>Roman Prymula, photo: Archives du Gouvernement</p><p>{PROSE} Second.</p>\
             <p>The club wrote © on every page, as the law asked it to do since 1952 in this town.</p>\
             <p>He held the camera, photo: the one he had bought in Paris years ago, and smiled at us.</p></div>"
        );
        let body = body_of(&html);
        assert_eq!(body.len(), 4, "{body:?}");
        assert!(body[2].starts_with("The club wrote ©"), "{body:?}");
        assert!(body[3].starts_with("He held"), "{body:?}");
    }

    #[test]
    fn the_first_headline_keeps_its_story_on_an_infinite_scroll_page() {
        // The page's own article, then the next one appended below it under its own `<h1>`,
        // longer: the page is the first article's.
        let para = |w: &str| {
            format!("<p>{w} said on Tuesday that the plan, which has been debated for months, would go ahead next year.</p>")
        };
        let article = |h: &str, w: &str, n: usize| {
            let paras: String = (0..n).map(|_| para(w)).collect();
            format!("<article><header><h1>{h}</h1></header><div class='entry-text'>{paras}</div></article>")
        };
        let html = format!(
            "<html><body><div class='scroll'>{}{}</div></body></html>",
            article("Harbour plan approved", "The mayor", 3),
            article("Next story", "The minister", 8)
        );
        let body = body_of(&html).join("\n");
        assert!(body.contains("The mayor"), "{body}");
        assert!(!body.contains("The minister"), "{body}");
        // A page whose first `<h1>` is a site name over no prose keeps the story under the
        // second one.
        let html = format!(
            "<html><body><div class='top'><h1>Harbour Gazette</h1><p>Menu</p></div>{}</body></html>",
            article("Next story", "The minister", 8)
        );
        let body = body_of(&html).join("\n");
        assert!(body.contains("The minister"), "{body}");
    }

    #[test]
    fn asks_to_subscribe_comment_or_follow_closing_the_story_are_not_story() {
        let html = format!(
            "<h1>Headline</h1><div class='text'><p>{PROSE}</p>\
             <p>Readers can comment on the plan at the town hall until Friday, the council said.</p>\
             <p>{PROSE} The mayor posted the plan on Facebook.</p>\
             <p>Subscribe now to our print edition for the full story.</p>\
             <p>Follow us on Twitter and Instagram.</p><p>Kommentare schreiben</p></div>"
        );
        let body = body_of(&html);
        assert_eq!(body.len(), 3, "{body:?}");
        assert!(body[1].starts_with("Readers can comment"), "{body:?}");
        assert!(body[2].ends_with("on Facebook."), "{body:?}");
    }
}
