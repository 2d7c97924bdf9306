//! 大文档分部排版：把一份很长的文档在分页处切成几部分，逐部分排版，排完一部分就清空 Typst 的缓存，
//! 最后把各部分的页连成一份文档导出。页码、目录、“（续表）”跨部分接上，PDF 与整份排版逐字节相同。
//!
//! Typst keeps every memoised layout result (each paragraph, each table cell, with the record
//! of what it depended on) until the cache is evicted, and the first layout iteration of a
//! document cannot evict anything: a 1,056-page package peaks at 1.4 GB in its first iteration.
//! Laid out part by part, only one part's results are held at a time, plus the finished pages.
//!
//! The parts are cut in the evaluated content, at the top level of the body (inside the
//! document-wide set and show rules, which every part keeps): before an explicit `#page[..]`,
//! or at a page break between two pieces of content, where the whole document would start a new
//! page run anyway. A part starts a document of its own, so the break itself is dropped.
//!
//! Each part is laid out as Typst lays out a document — again and again until what it asked
//! about the document no longer changes — but its questions are answered by the whole document
//! as far as it is known: the finished pages of the other parts joined with this part's last
//! iteration. Page numbers are then the whole document's, and a 目录 sees the headings of every
//! part. When every part is done, each part's questions are checked against the finished
//! document; a part whose answers changed (the 目录, laid out before the headings it lists) is
//! laid out again. Every part has a locator of its own, so the locations of two parts never
//! collide in the joined document.

use std::num::NonZeroUsize;
use std::ops::ControlFlow;
use std::sync::{Arc, OnceLock};

use typst::World;
use typst::comemo::{Constraint, Track, Tracked};
use typst::diag::SourceResult;
use typst::diag::StrResult;
use typst::ecow::{EcoString, EcoVec};
use typst::engine::{Engine, Route, Sink, Traced};
use typst::foundations::{Content, Label, Selector, SequenceElem, StyleChain, StyledElem};
use typst::introspection::{DocumentPosition, Introspector, Location, Locator};
use typst::layout::{PageElem, PagebreakElem};
use typst::model::Numbering;
use typst::model::{DocumentInfo, HeadingElem, OutlineElem};
use typst::syntax::VirtualPath;
use typst::text::SpaceElem;
use typst::utils::{LazyHash, Protected};
use typst::{Library, model::ParbreakElem};
use typst_layout::{Page, PagedDocument, PagedIntrospector};

use super::engine::page_cap::Size;

/// Documents estimated at fewer pages are laid out whole: a part-wise layout pays for joining
/// the parts' pages once per iteration, which only a long document earns back.
pub const FROM_PAGES: usize = 200;

/// The pages a part is made of, at least (estimated before layout, as the page cap does). About
/// 150 pages of tables and text hold 200 MB of Typst's caches.
const PART_PAGES: usize = 120;

thread_local! {
    static LAST_PARTS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many parts the last part-wise layout on this thread had (for tests).
pub fn last_parts() -> usize {
    LAST_PARTS.with(|l| l.get())
}

thread_local! {
    static LAST_LAYOUTS: std::cell::RefCell<Vec<(usize, std::time::Duration)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Each layout iteration of the last part-wise layout on this thread, in order: the part laid
/// out and how long it took (for `examples/passes` and the benchmarks).
pub fn last_layouts() -> Vec<(usize, std::time::Duration)> {
    LAST_LAYOUTS.with(|l| l.borrow().clone())
}

/// Forgets the last part-wise layout (a document laid out whole follows).
pub fn forget_layouts() {
    LAST_LAYOUTS.with(|l| l.borrow_mut().clear());
}

thread_local! {
    /// (from pages, pages per part) set by [`with_sizes`] on this thread.
    static SIZES: std::cell::Cell<Option<(usize, usize)>> = const { std::cell::Cell::new(None) };
}

/// Runs `f` with other sizes on this thread: documents from `from` estimated pages are laid
/// out in parts of `per_part` pages (tests lay out small documents in many parts).
pub fn with_sizes<T>(from: usize, per_part: usize, f: impl FnOnce() -> T) -> T {
    let before = SIZES.with(|s| s.replace(Some((from, per_part))));
    let out = f();
    SIZES.with(|s| s.set(before));
    out
}

/// From how many estimated pages a document is laid out in parts: [`FROM_PAGES`], or what
/// [`with_sizes`] or `JUESUAN_PARTS_FROM` says (for measurements).
pub fn from_pages() -> usize {
    SIZES
        .with(|s| s.get())
        .map(|(from, _)| from)
        .or_else(|| env_size("JUESUAN_PARTS_FROM"))
        .unwrap_or(FROM_PAGES)
}

/// [`PART_PAGES`], or what [`with_sizes`] or `JUESUAN_PART_PAGES` says.
fn part_pages() -> usize {
    SIZES
        .with(|s| s.get())
        .map(|(_, per)| per)
        .or_else(|| env_size("JUESUAN_PART_PAGES"))
        .unwrap_or(PART_PAGES)
}

fn env_size(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// Rounds over all parts before giving up on the document settling (each round lays out again
/// only the parts whose answers changed).
const MAX_ROUNDS: usize = 4;

/// The label of the page break `soft-page()` makes (templates/common/gongwen.typ): the first one
/// after a part heading is removed by `after-parts` before layout, so no part may start there.
const SOFT_PAGE: &str = "soft-page";

/// The content split into parts, each ready to lay out as a document of its own.
pub struct Parts(pub Vec<Content>);

/// Splits a document's content into parts of about [`PART_PAGES`] pages, or `None` when it has
/// no place to split.
pub fn split(content: &Content) -> Option<Parts> {
    let chain = Chain::of(content);
    let body = &chain.body;

    // The segments between page boundaries: each a range of the body; a page break where a
    // segment starts is dropped.
    let mut segments: Vec<Segment> = vec![Segment::default()];
    let mut after_heading = false;
    for (i, (c, _)) in body.iter().enumerate() {
        let mut cut = false;
        let mut drop = false;
        if c.is::<HeadingElem>() {
            after_heading = true;
        } else if let Some(pb) = c.to_packed::<PagebreakElem>() {
            // `after-parts` removes the first `soft-page()` after a part heading: the page
            // does not break there, so no part may start there either.
            let soft = c.label().is_some_and(|l| l.resolve().as_str() == SOFT_PAGE);
            let removed = soft && after_heading;
            if soft {
                after_heading = false;
            }
            let plain = pb.to.get_ref(StyleChain::default()).is_none()
                && !pb.boundary.get(StyleChain::default());
            let weak = pb.weak.get(StyleChain::default());
            // Only between two pieces of content: a strong break after another break or after
            // a `#page[..]`, or before a strong break, makes an empty page of its own.
            let before = body[..i].iter().rev().map(|(c, _)| c).find(|c| !trivial(c));
            let next = body[i + 1..].iter().map(|(c, _)| c).find(|c| !trivial(c));
            // (`#page[..]` evaluates to its body between two weak page breaks, the second
            // marking the end of its page run: a weak break after a weak break is no break.)
            let content_before = before.is_some_and(|c| match c.to_packed::<PagebreakElem>() {
                Some(b) => {
                    weak && b.weak.get(StyleChain::default())
                        && body[..i]
                            .iter()
                            .any(|(c, _)| !trivial(c) && !c.is::<PagebreakElem>())
                }
                None => weak || !is_page(c),
            });
            let next_ok = next.is_some_and(|n| {
                n.to_packed::<PagebreakElem>()
                    .is_none_or(|b| b.weak.get(StyleChain::default()))
            });
            if plain && !removed && content_before && next_ok {
                cut = true;
                drop = true;
            }
        } else if is_page(c) {
            cut = body[..i].iter().any(|(c, _)| !trivial(c));
        }
        if cut {
            segments.push(Segment {
                start: if drop { i + 1 } else { i },
                dropped: drop,
                ..Segment::default()
            });
        }
        let last = segments.last_mut().expect("one segment at least");
        if !(cut && drop) {
            let (size, outline) = measure(c);
            last.size = add(last.size, size);
            last.outline |= outline;
        }
    }
    if segments.len() < 2 {
        return None;
    }
    for k in 0..segments.len() {
        segments[k].end = segments.get(k + 1).map_or(body.len(), |next| {
            // A dropped page break ends the segment before it.
            if next.dropped {
                next.start - 1
            } else {
                next.start
            }
        });
    }

    // Parts of about PART_PAGES pages; a 目录 is a part of its own (it is laid out again once
    // every heading is known, which should cost little).
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut size = 0;
    let mut alone = false;
    for seg in &segments {
        let start_new = ranges.is_empty() || seg.outline || alone || size >= part_pages();
        if start_new {
            ranges.push((seg.start, seg.end));
            size = 0;
        } else if let Some(last) = ranges.last_mut() {
            // The page break between two segments of one part stays in the part.
            last.1 = seg.end;
        }
        alone = seg.outline;
        size += seg.size.estimated_pages().max(1);
    }
    if ranges.len() < 2 {
        return None;
    }
    // The first part starts at the document's start, the last ends at its end.
    ranges[0].0 = 0;
    let count = ranges.len();
    ranges[count - 1].1 = body.len();
    Some(Parts(
        ranges
            .into_iter()
            .enumerate()
            .map(|(n, (lo, hi))| chain.rewrap(lo, hi, n + 1 == count))
            .collect(),
    ))
}

/// A run of the body between two page boundaries.
#[derive(Default)]
struct Segment {
    start: usize,
    /// Whether the page break before `start` is dropped when a part starts here.
    dropped: bool,
    end: usize,
    size: Size,
    outline: bool,
}

/// A document's content as the chain of its set and show rules and the body they apply to.
///
/// `#set` and `#show` wrap the rest of the markup, so the evaluated content is nested: a
/// sequence whose last child is a styled element whose child is a sequence, and so on. The body
/// is every child along the way, in document order, each with the level it sits at.
struct Chain {
    /// Each level: the styled element or the sequence, and for a sequence the index of the
    /// child that leads deeper.
    levels: Vec<(Content, Option<usize>)>,
    body: Vec<(Content, usize)>,
    /// Children after the one leading deeper (kept with the last part).
    after: Vec<(Content, usize)>,
}

impl Chain {
    fn of(content: &Content) -> Chain {
        let mut chain = Chain {
            levels: Vec::new(),
            body: Vec::new(),
            after: Vec::new(),
        };
        let mut node = content.clone();
        loop {
            let level = chain.levels.len();
            if let Some(styled) = node.to_packed::<StyledElem>() {
                let child = styled.child.clone();
                chain.levels.push((node.clone(), None));
                node = child;
                continue;
            }
            if let Some(seq) = node.to_packed::<SequenceElem>() {
                let last = seq.children.iter().rposition(|c| !trivial(c));
                // Descend into the rest of the markup after a rule, or into a sequence that is
                // the only content beside spaces (a `show: f` body).
                if let Some(k) = last
                    && (seq.children[k].is::<StyledElem>()
                        || (seq.children[k].is::<SequenceElem>()
                            && seq.children[..k].iter().all(trivial)))
                {
                    chain
                        .body
                        .extend(seq.children[..k].iter().map(|c| (c.clone(), level)));
                    chain
                        .after
                        .extend(seq.children[k + 1..].iter().map(|c| (c.clone(), level)));
                    let child = seq.children[k].clone();
                    chain.levels.push((node.clone(), Some(k)));
                    node = child;
                    continue;
                }
                chain
                    .body
                    .extend(seq.children.iter().map(|c| (c.clone(), level)));
                chain.levels.push((node.clone(), None));
                break;
            }
            chain.body.push((node.clone(), level));
            chain.levels.push((Content::empty(), None));
            break;
        }
        chain
    }

    /// The body's elements `lo..hi` put back inside every rule that applies to them.
    fn rewrap(&self, lo: usize, hi: usize, last: bool) -> Content {
        let mut node = Content::empty();
        for (depth, (wrapper, k)) in self.levels.iter().enumerate().rev() {
            let own = || {
                self.body[lo..hi]
                    .iter()
                    .filter(|(_, l)| *l == depth)
                    .map(|(c, _)| c.clone())
            };
            let after = || {
                self.after
                    .iter()
                    .filter(|(_, l)| last && *l == depth)
                    .map(|(c, _)| c.clone())
            };
            let mut outer = wrapper.clone();
            if let Some(styled) = outer.to_packed_mut::<StyledElem>() {
                styled.child = node;
            } else if let Some(seq) = outer.to_packed_mut::<SequenceElem>() {
                let mut children: Vec<Content> = own().collect();
                if k.is_some() {
                    children.push(node);
                }
                children.extend(after());
                seq.children = children;
            } else {
                outer = Content::sequence(own());
            }
            node = outer;
        }
        node
    }
}

/// An explicit `#page[..]`, possibly under set rules of its own: a page run of its own.
fn is_page(c: &Content) -> bool {
    if c.is::<PageElem>() {
        return true;
    }
    if let Some(styled) = c.to_packed::<StyledElem>() {
        return is_page(&styled.child);
    }
    if let Some(seq) = c.to_packed::<SequenceElem>() {
        let real: Vec<&Content> = seq.children.iter().filter(|c| !trivial(c)).collect();
        if let [only] = real[..] {
            return is_page(only);
        }
        // `#page[..]` evaluated: its body between a weak page break and a weak one that ends
        // the page run.
        let weak = |c: &Content, boundary: bool| {
            c.to_packed::<PagebreakElem>().is_some_and(|b| {
                b.weak.get(StyleChain::default())
                    && b.to.get_ref(StyleChain::default()).is_none()
                    && b.boundary.get(StyleChain::default()) == boundary
            })
        };
        return real.len() >= 2 && weak(real[0], false) && weak(real[real.len() - 1], true);
    }
    false
}

/// Spaces and paragraph breaks between top-level elements: nothing a page would show.
pub(crate) fn trivial(c: &Content) -> bool {
    c.is::<SpaceElem>() || c.is::<ParbreakElem>() || c.is_empty()
}

fn add(a: Size, b: Size) -> Size {
    Size {
        elements: a.elements + b.elements,
        pagebreaks: a.pagebreaks + b.pagebreaks,
        chars: a.chars + b.chars,
    }
}

/// The size of a piece of the body and whether it holds a 目录, in one walk through it (each
/// walk through the whole document costs about 0.5% of its build).
fn measure(content: &Content) -> (Size, bool) {
    let mut size = Size::default();
    let mut outline = false;
    let _ = content.traverse(&mut |c| -> ControlFlow<()> {
        size.elements += 1;
        if c.is::<PagebreakElem>() {
            size.pagebreaks += 1;
        } else if let Some(text) = c.to_packed::<typst::text::TextElem>() {
            size.chars += text.text.chars().count();
        }
        outline |= is_outline(&c);
        ControlFlow::Continue(())
    });
    (size, outline)
}

/// The label a template puts in a 目录 it makes itself (a `context` over the headings rather
/// than `outline()`): that page too is a part of its own.
const TOC: &str = "juesuan-toc";

/// Whether an element is a 目录: `outline()`, or a page marked `<juesuan-toc>`.
pub(crate) fn is_outline(content: &Content) -> bool {
    content.is::<OutlineElem>() || content.label().is_some_and(|l| l.resolve().as_str() == TOC)
}

/// One part as far as it is laid out: its pages and what its last iteration asked.
struct Done {
    pages: EcoVec<Page>,
    /// What Typst's introspector found on these pages, numbered from 1.
    found: Arc<PagedIntrospector>,
    asked: Constraint<<dyn Introspector as Track>::Call>,
    sink: Sink,
}

/// Lays out the parts and joins their pages; `evict` runs after each part is done.
#[allow(clippy::too_many_arguments)]
pub fn layout(
    parts: &Parts,
    library: &LazyHash<Library>,
    world: Tracked<dyn World + '_>,
    traced: &Traced,
    styles: StyleChain,
    sink: &mut Sink,
    max_iterations: usize,
    evict: &dyn Fn(),
) -> SourceResult<PagedDocument> {
    let n = parts.0.len();
    LAST_PARTS.with(|l| l.set(n));
    LAST_LAYOUTS.with(|l| l.borrow_mut().clear());
    let mut done: Vec<Option<Done>> = (0..n).map(|_| None).collect();
    let mut info = DocumentInfo::default();
    for _round in 0..MAX_ROUNDS {
        let mut changed = false;
        for i in 0..n {
            if let Some(d) = &done[i] {
                if d.asked.validate(&Whole::of(&done) as &dyn Introspector) {
                    continue;
                }
            }
            changed = true;
            let locator_key = typst::utils::hash128(&("juesuan-part", i));
            for iteration in 0.. {
                let start = std::time::Instant::now();
                let known = Whole::of(&done);
                let asked = Constraint::new();
                let mut subsink = Sink::new();
                let introspector: &dyn Introspector = &known;
                let mut engine = Engine {
                    library,
                    world,
                    introspector: Protected::new(introspector.track_with(&asked)),
                    traced: traced.track(),
                    sink: subsink.track_mut(),
                    route: Route::default(),
                };
                let locator = Locator::synthesize(Location::new(locator_key));
                let doc = typst_layout::layout_document_for_bundle(
                    &mut engine,
                    &parts.0[i],
                    locator,
                    styles,
                )?;
                if i == 0 {
                    info = typst::model::Document::info(&doc).clone();
                }
                done[i] = Some(Done {
                    pages: doc.pages().iter().cloned().collect(),
                    found: doc.introspector().clone(),
                    asked,
                    sink: subsink,
                });
                LAST_LAYOUTS.with(|l| l.borrow_mut().push((i, start.elapsed())));
                let d = done[i].as_ref().expect("just laid out");
                if d.asked.validate(&Whole::of(&done) as &dyn Introspector)
                    || iteration + 1 >= max_iterations
                {
                    break;
                }
            }
            evict();
        }
        if !changed {
            break;
        }
    }
    for d in done.iter_mut().flatten() {
        sink.extend_from_sink(std::mem::replace(&mut d.sink, Sink::new()));
    }
    // Each part counted its pages from 1: the whole document counts on from the parts before
    // (what `counter(page)` shows; the folios drawn after layout print it).
    let mut before = 0;
    let mut pages: EcoVec<Page> = EcoVec::new();
    for d in done.iter().flatten() {
        for page in d.pages.iter() {
            let mut page = page.clone();
            page.number += before;
            pages.push(page);
        }
        before += d.pages.len() as u64;
    }
    Ok(PagedDocument::new(pages, info))
}

/// The whole document as far as its parts are laid out, answering Typst's questions from each
/// part's own introspector (built with the part's layout) and the part's first page number:
/// no introspector over all pages is built for each iteration of each part. A question this
/// cannot split by part (a selector relative to an element it cannot place, an error) is
/// answered by an introspector over all the pages, built once when first needed.
struct Whole<'a> {
    parts: Vec<(&'a PagedIntrospector, usize)>,
    done: &'a [Option<Done>],
    pages: usize,
    all: OnceLock<PagedIntrospector>,
}

impl<'a> Whole<'a> {
    fn of(done: &'a [Option<Done>]) -> Whole<'a> {
        let mut parts = Vec::new();
        let mut pages = 0;
        for d in done.iter().flatten() {
            parts.push((&*d.found, pages));
            pages += d.pages.len();
        }
        Whole {
            parts,
            done,
            pages,
            all: OnceLock::new(),
        }
    }

    /// The introspector over every page laid out.
    fn all(&self) -> &PagedIntrospector {
        self.all.get_or_init(|| {
            let pages: Vec<Page> = self
                .done
                .iter()
                .flatten()
                .flat_map(|d| d.pages.iter().cloned())
                .collect();
            PagedIntrospector::new(&pages)
        })
    }

    /// The part a location is in, and that part's first page (0-based).
    fn part_of(&self, location: Location) -> Option<(usize, &'a PagedIntrospector, usize)> {
        self.parts
            .iter()
            .enumerate()
            .find(|(_, (found, _))| found.position(location).is_some())
            .map(|(k, (found, offset))| (k, *found, *offset))
    }

    /// Whether a selector's matches in a part do not depend on the other parts.
    fn local(selector: &Selector) -> bool {
        match selector {
            Selector::Elem(..)
            | Selector::Location(_)
            | Selector::Label(_)
            | Selector::Regex(_)
            | Selector::Can(_) => true,
            Selector::Or(list) | Selector::And(list) => list.iter().all(Self::local),
            Selector::Within { selector, ancestor } => {
                Self::local(selector) && Self::local(ancestor)
            }
            Selector::Before { .. } | Selector::After { .. } => false,
        }
    }

    fn concat(&self, selector: &Selector) -> EcoVec<Content> {
        let mut out = EcoVec::new();
        for (found, _) in &self.parts {
            out.extend(found.query(selector));
        }
        out
    }
}

impl Introspector for Whole<'_> {
    fn query(&self, selector: &Selector) -> EcoVec<Content> {
        if Self::local(selector) {
            return self.concat(selector);
        }
        match selector {
            Selector::Before {
                selector: inner,
                end,
                ..
            } if Self::local(inner) => {
                if let Selector::Location(end) = &**end
                    && let Some((k, found, _)) = self.part_of(*end)
                {
                    let mut out = EcoVec::new();
                    for (before, _) in &self.parts[..k] {
                        out.extend(before.query(inner));
                    }
                    out.extend(found.query(selector));
                    return out;
                }
                self.all().query(selector)
            }
            Selector::After {
                selector: inner,
                start,
                ..
            } if Self::local(inner) => {
                if let Selector::Location(start) = &**start
                    && let Some((k, found, _)) = self.part_of(*start)
                {
                    let mut out = found.query(selector);
                    for (after, _) in &self.parts[k + 1..] {
                        out.extend(after.query(inner));
                    }
                    return out;
                }
                self.all().query(selector)
            }
            _ => self.all().query(selector),
        }
    }

    fn query_first(&self, selector: &Selector) -> Option<Content> {
        if Self::local(selector) {
            return self
                .parts
                .iter()
                .find_map(|(found, _)| found.query_first(selector));
        }
        self.query(selector).first().cloned()
    }

    fn query_unique(&self, selector: &Selector) -> StrResult<Content> {
        if Self::local(selector) {
            let found = self.concat(selector);
            if found.len() == 1 {
                return Ok(found[0].clone());
            }
        }
        self.all().query_unique(selector)
    }

    fn query_label(&self, label: Label) -> StrResult<&Content> {
        let mut owner = None;
        let mut count = 0;
        for (found, _) in &self.parts {
            let n = found.label_count(label);
            if n > 0 {
                owner = Some(*found);
                count += n;
            }
        }
        match owner {
            Some(found) if count == 1 => found.query_label(label),
            _ => self.all().query_label(label),
        }
    }

    fn query_labelled(&self) -> EcoVec<Content> {
        let mut out = EcoVec::new();
        for (found, _) in &self.parts {
            out.extend(found.query_labelled());
        }
        out
    }

    fn query_count_before(&self, selector: &Selector, end: Location) -> usize {
        if Self::local(selector)
            && let Some((k, found, _)) = self.part_of(end)
        {
            let before: usize = self.parts[..k]
                .iter()
                .map(|(p, _)| p.query(selector).len())
                .sum();
            return before + found.query_count_before(selector, end);
        }
        self.all().query_count_before(selector, end)
    }

    fn label_count(&self, label: Label) -> usize {
        self.parts
            .iter()
            .map(|(found, _)| found.label_count(label))
            .sum()
    }

    fn locator(&self, key: u128, base: Location) -> Option<Location> {
        match self.part_of(base) {
            Some((_, found, _)) => found.locator(key, base),
            None => self.all().locator(key, base),
        }
    }

    fn pages(&self, _: Location) -> Option<NonZeroUsize> {
        Some(NonZeroUsize::new(self.pages).unwrap_or(NonZeroUsize::MIN))
    }

    fn page(&self, location: Location) -> Option<NonZeroUsize> {
        let (_, found, offset) = self.part_of(location)?;
        found.page(location)?.checked_add(offset)
    }

    fn position(&self, location: Location) -> Option<DocumentPosition> {
        let (_, found, offset) = self.part_of(location)?;
        let mut position = found.position(location)?;
        position.page = position.page.checked_add(offset)?;
        Some(DocumentPosition::Paged(position))
    }

    fn page_numbering(&self, location: Location) -> Option<&Numbering> {
        let (_, found, _) = self.part_of(location)?;
        found.page_numbering(location)
    }

    fn page_supplement(&self, location: Location) -> Option<&Content> {
        let (_, found, _) = self.part_of(location)?;
        found.page_supplement(location)
    }

    fn anchor(&self, _: Location) -> Option<&EcoString> {
        None
    }

    fn document(&self, _: Location) -> Option<Location> {
        None
    }

    fn path(&self, _: Location) -> Option<&VirtualPath> {
        None
    }
}
