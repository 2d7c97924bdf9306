//! 排版之后才定的两样：页脚的页码“— N —”和附表重复表头中的“（续表）”。
//!
//! Both depend on the page a thing lands on. Asked of Typst (`here().page()`, a `query` of the
//! table's start), they cost a second layout iteration: the first one cannot know the answer.
//! Here the templates leave marks instead, and the answers are drawn into the pages once the
//! layout is done:
//!
//! - the footer is a slot, `metadata((folio: f, size: size)) <juesuan-folio>` laid out by
//!   `layout(size => ..)` (templates/common/gongwen.typ): `f(page, number)` is called with the
//!   page's physical and logical number and its result laid out as Typst lays out a footer (the
//!   same styles, alignment, region) and put where Typst puts the footer;
//! - a table header that repeats is laid out twice on every page, once as on the table's first
//!   page (`<juesuan-first>`, in the flow: it sets the row's height) and once with （续表）
//!   (`<juesuan-continued>`, placed over it); on the page where the table starts (the page of
//!   its `<fubiao-..>` mark) the second is removed, on every other page the first.
//!
//! A template without these marks (an older `--templates` copy) asks Typst as before and is laid
//! out as often as it needs.

use typst::comemo::Track;
use typst::diag::SourceResult;
use typst::engine::Engine;
use typst::foundations::{
    Content, Context, Func, SequenceElem, StyleChain, StyledElem, Styles, Value,
};
use typst::introspection::{Location, Locator, MetadataElem, Tag};
use typst::layout::{AlignElem, Alignment, Axes, Frame, FrameItem, Point, Region, Size};
use typst::pdf::ArtifactKind;
use typst_layout::Page;

/// The label of a footer slot.
const FOLIO: &str = "juesuan-folio";
/// The labels of the two layouts of a repeated table header, and of a table's start.
const FIRST: &str = "juesuan-first";
const CONTINUED: &str = "juesuan-continued";
const TABLE_START: &str = "fubiao-";

/// Whether the source leaves a mark for this module (before layout).
pub fn marked(source: &str) -> bool {
    source.contains(FOLIO) || source.contains(CONTINUED)
}

/// Whether a page holds a mark for this module.
pub fn has_marks(frame: &Frame) -> bool {
    has_label(frame, &|l| l == FOLIO || l == CONTINUED || l == FIRST)
}

/// The styles that every page run of the document starts from: the set and show rules that
/// enclose the whole body (the template's preamble), outermost first. A rule after some body
/// content applies to later pages only and ends the list.
pub fn preamble_styles(content: &Content) -> Vec<Styles> {
    let mut out = Vec::new();
    let mut node = content.clone();
    loop {
        if let Some(styled) = node.to_packed::<StyledElem>() {
            out.push(styled.styles.clone());
            node = styled.child.clone();
            continue;
        }
        if let Some(seq) = node.to_packed::<SequenceElem>() {
            let real = |c: &Content| !super::parts::trivial(c);
            let Some(k) = seq.children.iter().rposition(real) else {
                break;
            };
            if seq.children[..k].iter().any(real) {
                break;
            }
            let child = seq.children[k].clone();
            if child.is::<StyledElem>() || child.is::<SequenceElem>() {
                node = child;
                continue;
            }
        }
        break;
    }
    out
}

/// Draws the folios and settles the （续表） of every page. `styles` are the document's
/// outermost styles (the library's, the target), `preamble` those of [`preamble_styles`].
pub fn draw(
    engine: &mut Engine,
    pages: &mut [Page],
    styles: StyleChain,
    preamble: &[Styles],
) -> SourceResult<()> {
    nested(styles, preamble, &mut |chain| draw_in(engine, pages, chain))
}

/// Calls `f` with `styles` and every list of `rest` chained onto it, innermost last.
fn nested<R>(styles: StyleChain, rest: &[Styles], f: &mut dyn FnMut(StyleChain) -> R) -> R {
    match rest.split_first() {
        None => f(styles),
        Some((first, rest)) => nested(styles.chain(first), rest, f),
    }
}

fn draw_in(engine: &mut Engine, pages: &mut [Page], chain: StyleChain) -> SourceResult<()> {
    for (i, page) in pages.iter_mut().enumerate() {
        let starts = has_label(&page.frame, &|l| l.starts_with(TABLE_START));
        let drop = if starts { CONTINUED } else { FIRST };
        if has_label(&page.frame, &|l| l == drop) {
            prune(&mut page.frame, drop);
        }
        let Some((at, slot)) = find_slot(&page.frame, Point::zero()) else {
            continue;
        };
        let (Ok(Value::Func(folio)), Ok(Value::Dict(size))) = (slot.get("folio"), slot.get("size"))
        else {
            continue;
        };
        let length = |key: &str| match size.get(key) {
            Ok(Value::Length(l)) => Some(l.abs),
            _ => None,
        };
        let (Some(width), Some(height)) = (length("width"), length("height")) else {
            continue;
        };
        let footer = folio_content(engine, folio, i + 1, page.number)?;
        if footer.is_empty() {
            continue;
        }
        // As Typst lays out a footer (`layout_page_run`): an artifact aligned to the top of
        // the footer area, in a region that expands to it.
        let aligned = footer
            .artifact(ArtifactKind::Footer)
            .set(AlignElem::alignment, Alignment::TOP);
        let locator = Locator::synthesize(Location::new(typst::utils::hash128(&(FOLIO, i))));
        let frame = typst_layout::layout_frame(
            engine,
            &aligned,
            locator,
            chain,
            Region::new(Size::new(width, height), Axes::splat(true)),
        )?;
        page.frame.push_frame(at, frame);
    }
    Ok(())
}

fn folio_content(
    engine: &mut Engine,
    folio: &Func,
    page: usize,
    number: u64,
) -> SourceResult<Content> {
    let context = Context::none();
    let value = folio.call(
        engine,
        context.track(),
        [Value::Int(page as i64), Value::Int(number as i64)],
    )?;
    Ok(value.display())
}

/// The label of the element a start tag opens.
fn start_label(item: &FrameItem) -> Option<(typst::foundations::Label, &Content)> {
    match item {
        FrameItem::Tag(Tag::Start(content, _)) => content.label().map(|l| (l, content)),
        _ => None,
    }
}

fn has_label(frame: &Frame, wanted: &dyn Fn(&str) -> bool) -> bool {
    frame.items().any(|(_, item)| match item {
        FrameItem::Group(g) => has_label(&g.frame, wanted),
        _ => start_label(item).is_some_and(|(l, _)| wanted(l.resolve().as_str())),
    })
}

/// The footer slot of a page: where it is on the page and what it holds.
fn find_slot(frame: &Frame, offset: Point) -> Option<(Point, typst::foundations::Dict)> {
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(g) => {
                // Only translated groups: a footer is never rotated or scaled.
                let t = g.transform;
                if t.sx.get() != 1.0 || t.sy.get() != 1.0 || t.kx.get() != 0.0 || t.ky.get() != 0.0
                {
                    continue;
                }
                let inner = offset + *pos + Point::new(t.tx, t.ty);
                if let Some(found) = find_slot(&g.frame, inner) {
                    return Some(found);
                }
            }
            _ => {
                if let Some((label, content)) = start_label(item)
                    && label.resolve().as_str() == FOLIO
                    && let Some(meta) = content.to_packed::<MetadataElem>()
                    && let Value::Dict(d) = &meta.value
                {
                    return Some((offset + *pos, d.clone()));
                }
            }
        }
    }
    None
}

/// Removes what the element labelled `label` drew (its tags stay, so the document still knows
/// where it was), in this frame and the groups in it.
fn prune(frame: &mut Frame, label: &str) {
    let mut open: Option<Location> = None;
    frame.retain(|item| {
        if let Some(location) = open {
            if let FrameItem::Tag(Tag::End(l, ..)) = item
                && *l == location
            {
                open = None;
            }
            return matches!(item, FrameItem::Tag(_));
        }
        match item {
            FrameItem::Tag(Tag::Start(content, _))
                if content
                    .label()
                    .is_some_and(|l| l.resolve().as_str() == label) =>
            {
                open = content.location();
                true
            }
            FrameItem::Group(g) => {
                if has_label(&g.frame, &|l| l == label) {
                    prune(&mut g.frame, label);
                }
                true
            }
            _ => true,
        }
    });
}
