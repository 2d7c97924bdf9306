//! 把字排成行：同一基线上的字按从左到右连成一行，字距大时以空格分开（给表外的文字与对照 pdftotext 用）。

use super::pdf::Glyph;

/// One line of text: the glyphs on one baseline, left to right.
#[derive(Clone, Debug)]
pub struct Line {
    pub y: f64,
    pub x0: f64,
    pub x1: f64,
    pub size: f64,
    /// Indices into the page's glyphs.
    pub glyphs: Vec<usize>,
    /// The text, a space where the gap is wider than half an em.
    pub text: String,
}

/// A page number or running footer (`- 3 -`, `第 3 页 共 25 页`): no text to read.
pub fn is_page_number(t: &str) -> bool {
    let t = t.trim();
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace() || "-—–第页/共".contains(c))
}

/// Groups glyphs into lines: a glyph joins the line whose body overlaps its own.
pub fn lines(glyphs: &[Glyph], of: impl IntoIterator<Item = usize>) -> Vec<Line> {
    let mut idx: Vec<usize> = of.into_iter().collect();
    idx.sort_by(|&a, &b| {
        let (ga, gb) = (&glyphs[a], &glyphs[b]);
        ga.y.total_cmp(&gb.y).then(ga.x0.total_cmp(&gb.x0))
    });
    let mut out: Vec<Line> = Vec::new();
    for i in idx {
        let g = &glyphs[i];
        let tol = (g.size * 0.4).max(1.0);
        match out
            .iter_mut()
            .rev()
            .take(4)
            .find(|l| (l.y - g.y).abs() <= tol.min(l.size * 0.4).max(1.0))
        {
            Some(l) => {
                l.glyphs.push(i);
                l.x0 = l.x0.min(g.x0);
                l.x1 = l.x1.max(g.x1);
            }
            None => out.push(Line {
                y: g.y,
                x0: g.x0,
                x1: g.x1,
                size: g.size,
                glyphs: vec![i],
                text: String::new(),
            }),
        }
    }
    for l in &mut out {
        l.glyphs
            .sort_by(|&a, &b| glyphs[a].x0.total_cmp(&glyphs[b].x0));
        let mut text = String::new();
        let mut last: Option<&Glyph> = None;
        for &i in &l.glyphs {
            let g = &glyphs[i];
            if let Some(p) = last
                && g.x0 - p.x1 > g.size.max(p.size) * 0.5
            {
                text.push(' ');
            }
            text.push_str(&g.text);
            last = Some(g);
        }
        l.text = text;
    }
    out.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    out
}

/// A cell's text: its lines top to bottom, joined without a break (a header wrapped in its cell
/// reads as one word), spaces inside a line kept only between two Latin letters or digits.
pub fn cell_text(glyphs: &[Glyph], of: &[usize]) -> String {
    let mut out = String::new();
    for l in lines(glyphs, of.iter().copied()) {
        let chars: Vec<char> = l.text.chars().collect();
        for (k, c) in chars.iter().enumerate() {
            if *c == ' ' {
                let before = k.checked_sub(1).map(|j| chars[j]);
                let after = chars.get(k + 1).copied();
                let latin = |x: Option<char>| x.is_some_and(|x| x.is_ascii_alphanumeric());
                if !(latin(before) && latin(after)) {
                    continue;
                }
            }
            out.push(*c);
        }
    }
    out
}

/// A line cut where the gap between two glyphs is wider than `ems` em (the parts of a caption
/// line printed apart: `部门：…`, `公开01表`, `金额单位：万元`).
pub fn chunks(glyphs: &[Glyph], line: &Line, ems: f64) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut last: Option<&Glyph> = None;
    for &i in &line.glyphs {
        let g = &glyphs[i];
        let apart = last.is_none_or(|p| g.x0 - p.x1 > g.size.max(p.size) * ems);
        if apart {
            out.push(String::new());
        } else if let Some(p) = last
            && g.x0 - p.x1 > g.size.max(p.size) * 0.5
        {
            if let Some(s) = out.last_mut() {
                s.push(' ');
            }
        }
        if let Some(s) = out.last_mut() {
            s.push_str(&g.text);
        }
        last = Some(g);
    }
    out
}
