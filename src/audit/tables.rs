//! 由表格线找表：细横线、细竖线聚成行与列，每个字放进它所在的格；合并的格、跨页续表、一页两张表都按线处理。
//!
//! The ruling segments of a page are merged where collinear, grouped into tables (segments that
//! cross or touch), and each table's distinct line positions give its rows and columns. Two
//! neighbouring elementary cells with no line between them are one merged cell. Every glyph whose
//! centre falls inside a table goes into its cell; the rest of the page is free text (titles,
//! units, the 说明). A page with no ruling lines is handed to [`super::unruled`].

use super::layout;
use super::pdf::{Glyph, Page, Segment};
use super::table::{SNAP, Table};

/// Merges collinear segments that overlap or touch.
fn merge(mut segs: Vec<Segment>) -> Vec<Segment> {
    segs.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.from.total_cmp(&b.from)));
    let mut out: Vec<Segment> = Vec::new();
    // Group by position, then merge intervals.
    let mut i = 0;
    while i < segs.len() {
        let mut j = i;
        while j + 1 < segs.len() && segs[j + 1].at - segs[i].at <= SNAP / 2.0 {
            j += 1;
        }
        let mut group: Vec<Segment> = segs[i..=j].to_vec();
        let at = group.iter().map(|s| s.at).sum::<f64>() / group.len() as f64;
        group.sort_by(|a, b| a.from.total_cmp(&b.from));
        let mut cur: Option<Segment> = None;
        for s in group {
            match cur.as_mut() {
                Some(c) if s.from <= c.to + SNAP => c.to = c.to.max(s.to),
                _ => {
                    if let Some(c) = cur.take() {
                        out.push(c);
                    }
                    cur = Some(Segment { at, ..s });
                }
            }
        }
        out.extend(cur);
        i = j + 1;
    }
    out
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

/// Distinct positions, snapped.
fn positions(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    let mut out: Vec<Vec<f64>> = Vec::new();
    for x in v {
        match out.last_mut() {
            Some(g) if x - g[g.len() - 1] <= SNAP => g.push(x),
            _ => out.push(vec![x]),
        }
    }
    out.iter()
        .map(|g| g.iter().sum::<f64>() / g.len() as f64)
        .collect()
}

/// The tables on a page, top to bottom.
pub fn find_tables(page: &Page) -> Vec<Table> {
    let h = merge(
        page.segments
            .iter()
            .filter(|s| s.horizontal && s.to - s.from > 3.0)
            .copied()
            .collect(),
    );
    let v = merge(
        page.segments
            .iter()
            .filter(|s| !s.horizontal && s.to - s.from > 3.0)
            .copied()
            .collect(),
    );
    let n = h.len() + v.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for (i, a) in h.iter().enumerate() {
        for (j, b) in v.iter().enumerate() {
            if b.at >= a.from - SNAP
                && b.at <= a.to + SNAP
                && a.at >= b.from - SNAP
                && a.at <= b.to + SNAP
            {
                union(&mut parent, i, h.len() + j);
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<Segment>, Vec<Segment>)> =
        std::collections::BTreeMap::new();
    for i in 0..n {
        let r = find(&mut parent, i);
        let e = groups.entry(r).or_default();
        if i < h.len() {
            e.0.push(h[i]);
        } else {
            e.1.push(v[i - h.len()]);
        }
    }
    let mut used = vec![false; page.glyphs.len()];
    let mut tables: Vec<Table> = groups
        .into_values()
        .filter_map(|(hs, vs)| build(page, &hs, &vs, &mut used))
        .collect();
    // A page without ruling lines may print 公开表 whose columns are kept apart by space.
    if tables.is_empty() {
        tables = super::unruled::find(page);
    }
    tables.sort_by(|a, b| a.top().total_cmp(&b.top()));
    tables
}

fn build(page: &Page, hs: &[Segment], vs: &[Segment], used: &mut [bool]) -> Option<Table> {
    let ys = positions(hs.iter().map(|s| s.at).collect());
    let xs = positions(vs.iter().map(|s| s.at).collect());
    if ys.len() < 2 || xs.len() < 2 {
        return None;
    }
    let (rows, cols) = (ys.len() - 1, xs.len() - 1);
    // A line at `at` covering `mid`, in the given set.
    let covers = |set: &[Segment], at: f64, mid: f64| {
        set.iter()
            .any(|s| (s.at - at).abs() <= SNAP && s.from - SNAP <= mid && mid <= s.to + SNAP)
    };
    let id = |r: usize, c: usize| r * cols + c;
    let mut parent: Vec<usize> = (0..rows * cols).collect();
    for r in 0..rows {
        let my = (ys[r] + ys[r + 1]) / 2.0;
        for c in 0..cols {
            let mx = (xs[c] + xs[c + 1]) / 2.0;
            if c + 1 < cols && !covers(vs, xs[c + 1], my) {
                union(&mut parent, id(r, c), id(r, c + 1));
            }
            if r + 1 < rows && !covers(hs, ys[r + 1], mx) {
                union(&mut parent, id(r, c), id(r + 1, c));
            }
        }
    }
    // Each area's extent.
    let mut extent: std::collections::BTreeMap<usize, (usize, usize, usize, usize)> =
        std::collections::BTreeMap::new();
    for r in 0..rows {
        for c in 0..cols {
            let root = find(&mut parent, id(r, c));
            let e = extent.entry(root).or_insert((r, c, r, c));
            e.0 = e.0.min(r);
            e.1 = e.1.min(c);
            e.2 = e.2.max(r);
            e.3 = e.3.max(c);
        }
    }
    // Glyphs into areas.
    let mut in_area: std::collections::BTreeMap<usize, Vec<usize>> =
        std::collections::BTreeMap::new();
    let mut glyphs = Vec::new();
    for (i, g) in page.glyphs.iter().enumerate() {
        if used[i] {
            continue;
        }
        let (x, y) = (g.cx(), g.cy());
        if x < xs[0] || x > xs[cols] || y < ys[0] || y > ys[rows] {
            continue;
        }
        let c = xs
            .partition_point(|&b| b < x)
            .saturating_sub(1)
            .min(cols - 1);
        let r = ys
            .partition_point(|&b| b < y)
            .saturating_sub(1)
            .min(rows - 1);
        let root = find(&mut parent, id(r, c));
        in_area.entry(root).or_default().push(i);
        used[i] = true;
        glyphs.push(i);
    }
    let mut cells = vec![vec![None; cols]; rows];
    let mut merged = Vec::new();
    for (root, &(r0, c0, r1, c1)) in &extent {
        let text = in_area
            .get(root)
            .map(|g| layout::cell_text(&page.glyphs, g))
            .unwrap_or_default();
        cells[r0][c0] = Some(text);
        if r1 > r0 || c1 > c0 {
            merged.push((r0, c0, r1, c1));
        }
    }
    Some(Table {
        page: page.number,
        ys,
        xs,
        cells,
        merged,
        glyphs,
        unruled: None,
    })
}

/// The page's glyphs outside every table.
pub fn free_glyphs(page: &Page, tables: &[Table]) -> Vec<usize> {
    let mut used = vec![false; page.glyphs.len()];
    for t in tables {
        for &i in &t.glyphs {
            used[i] = true;
        }
    }
    (0..page.glyphs.len()).filter(|&i| !used[i]).collect()
}

/// Text lines of free glyphs between `top` and `bottom`.
pub fn lines_between(page: &Page, free: &[usize], top: f64, bottom: f64) -> Vec<layout::Line> {
    let of: Vec<usize> = free
        .iter()
        .copied()
        .filter(|&i| {
            let g: &Glyph = &page.glyphs[i];
            g.cy() > top && g.cy() < bottom
        })
        .collect();
    layout::lines(&page.glyphs, of)
}
