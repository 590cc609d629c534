//! A layered layout of the diagram for SVG: one band per row of the view
//! (outside the plant at the top, the process at the bottom), zones in a
//! band ordered to reduce crossings (a barycenter pass down and one up,
//! twice), a band wider than [`MAX_ROW_WIDTH`] wrapped onto more lines,
//! boxes sized from their text, conduits as cubic curves between box
//! sides (around the boxes of any band they pass) with their label near
//! the curve's middle, where it covers no box and no other label (see
//! [`CROWDED`] for when there is no such place).
//!
//! Text is not measured (no font is loaded): widths are estimated per
//! character, generously, wide (CJK) characters counting double, so text
//! fits the boxes in any sans-serif font. Time is linear in zones, items
//! and arrows, apart from sorting and routing: an arrow looks at every box
//! to find those it passes (arrows × zones; labels use a grid of cells).

use super::view::View;

/// Boxes in a band wrap beyond this width.
pub const MAX_ROW_WIDTH: f64 = 1800.0;
const GUTTER: f64 = 240.0;
const MARGIN: f64 = 20.0;
const PAD: f64 = 10.0;
const GAP_X: f64 = 48.0;
const GAP_Y: f64 = 170.0;
const MIN_BOX_WIDTH: f64 = 170.0;
pub const LINE: f64 = 16.0;
pub const HEADING: f64 = 20.0;
const TITLE_HEIGHT: f64 = 64.0;
pub const LEGEND_LINE: f64 = 20.0;

/// A rectangle; `x`, `y` its top left corner.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// Whether the two share any area (touching edges do not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right() && other.x < self.right() && self.y < other.bottom() && other.y < self.bottom()
    }
}

/// A band's label and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub row: usize,
    pub y: f64,
    pub h: f64,
}

/// One cubic Bézier segment: start, two control points, end.
pub type Segment = [(f64, f64); 4];

/// A conduit's path, one cubic segment or three (around the boxes of the
/// bands it passes: down the gap between two of them), and its label box;
/// no label where a crowded diagram has no free place for it (its tooltip
/// still says everything).
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    pub segments: Vec<Segment>,
    pub label: Option<Rect>,
}

/// Up to this many arrows, a label with no free place is drawn over what
/// is there; beyond, it is left out rather than hide the boxes.
pub const CROWDED: usize = 100;

/// Routing an arrow around the boxes between its ends looks at every box,
/// so a diagram routes only while arrows × boxes stays under this; past
/// it (a model written to make CI slow, not a plant: the 10k synthetic
/// plant is under half of it) arrows drop straight between their boxes.
pub const ROUTE_BUDGET: usize = 2_000_000;

/// Where everything goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    /// By index of [`View::zones`].
    pub zones: Vec<Rect>,
    pub bands: Vec<Band>,
    /// The y of the plant boundary, when there are zones on both sides.
    pub boundary: Option<f64>,
    /// By index of [`View::edges`].
    pub edges: Vec<Curve>,
    /// Top left of the legend.
    pub legend: (f64, f64),
}

/// Estimated width of `text` at `size` px.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| {
            if c.is_ascii() {
                0.62
            } else if wide(c) {
                1.05
            } else {
                0.7
            }
        })
        .sum::<f64>()
        * size
}

/// Characters drawn about a full em wide: CJK, kana, full-width forms.
fn wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

/// A zone box's size from its text.
fn zone_size(view: &View, zone: usize) -> (f64, f64) {
    let Some(z) = view.zones.get(zone) else { return (MIN_BOX_WIDTH, HEADING) };
    let mut width = text_width(&z.heading, 14.0).max(text_width(&z.caption, 12.0));
    let mut lines = 1.0;
    if let Some(text) = &z.waived_text {
        width = width.max(text_width(text, 12.0));
        lines += 1.0;
    }
    for item in &z.items {
        width = width.max(text_width(&item.text, 12.0));
    }
    lines += z.items.len() as f64;
    (
        (width + 2.0 * PAD).max(MIN_BOX_WIDTH),
        2.0 * PAD + HEADING + lines * LINE + if z.items.is_empty() { 0.0 } else { 6.0 },
    )
}

/// Orders each band's zones by the mean position of their neighbours in
/// the bands above (then below), keeping the order where a zone has none.
fn order_rows(view: &View) -> Vec<Vec<usize>> {
    let mut rows: Vec<Vec<usize>> = view.rows.iter().map(|r| r.zones.clone()).collect();
    let mut row_of = vec![0usize; view.zones.len()];
    for (r, row) in rows.iter().enumerate() {
        for &z in row {
            if let Some(slot) = row_of.get_mut(z) {
                *slot = r;
            }
        }
    }
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); view.zones.len()];
    for edge in view.edges.iter().filter(|e| e.from != e.to) {
        if let Some(n) = neighbours.get_mut(edge.from) {
            n.push(edge.to);
        }
        if let Some(n) = neighbours.get_mut(edge.to) {
            n.push(edge.from);
        }
    }
    let mut position = vec![0.0f64; view.zones.len()];
    let place = |rows: &Vec<Vec<usize>>, position: &mut Vec<f64>| {
        for row in rows {
            for (i, &z) in row.iter().enumerate() {
                if let Some(p) = position.get_mut(z) {
                    *p = (i as f64 + 0.5) / row.len() as f64;
                }
            }
        }
    };
    place(&rows, &mut position);
    for _ in 0..2 {
        for downward in [true, false] {
            let indices: Vec<usize> =
                if downward { (1..rows.len()).collect() } else { (0..rows.len()).rev().skip(1).collect() };
            for r in indices {
                let Some(row) = rows.get_mut(r) else { continue };
                let key = |z: usize| {
                    let beside = neighbours.get(z).into_iter().flatten().filter(|n| {
                        let nr = row_of.get(**n).copied().unwrap_or(r);
                        if downward {
                            nr < r
                        } else {
                            nr > r
                        }
                    });
                    let (sum, count) =
                        beside.fold((0.0, 0usize), |(s, c), n| (s + position.get(*n).copied().unwrap_or(0.0), c + 1));
                    if count == 0 {
                        position.get(z).copied().unwrap_or(0.0)
                    } else {
                        sum / count as f64
                    }
                };
                let mut keyed: Vec<(f64, usize)> = row.iter().map(|&z| (key(z), z)).collect();
                keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
                *row = keyed.into_iter().map(|(_, z)| z).collect();
            }
            place(&rows, &mut position);
        }
    }
    rows
}

/// Lays the diagram out.
pub fn layout(view: &View) -> Layout {
    let sizes: Vec<(f64, f64)> = (0..view.zones.len()).map(|z| zone_size(view, z)).collect();
    let size = |z: usize| sizes.get(z).copied().unwrap_or((MIN_BOX_WIDTH, HEADING));
    // Each band's lines of zones, wrapped.
    let mut lines: Vec<(usize, Vec<usize>)> = Vec::new();
    for (r, row) in order_rows(view).into_iter().enumerate() {
        let mut line: Vec<usize> = Vec::new();
        let mut width = 0.0;
        for z in row {
            let w = size(z).0;
            if !line.is_empty() && width + GAP_X + w > MAX_ROW_WIDTH {
                lines.push((r, std::mem::take(&mut line)));
                width = 0.0;
            }
            width += if line.is_empty() { w } else { GAP_X + w };
            line.push(z);
        }
        if !line.is_empty() {
            lines.push((r, line));
        }
    }
    let line_width =
        |line: &[usize]| line.iter().map(|&z| size(z).0).sum::<f64>() + GAP_X * line.len().saturating_sub(1) as f64;
    let content = lines.iter().map(|(_, l)| line_width(l)).fold(0.0, f64::max);
    let mut zones = vec![Rect::default(); view.zones.len()];
    let mut bands: Vec<Band> = Vec::new();
    let mut boundary = None;
    let mut y = MARGIN + TITLE_HEIGHT;
    let mut previous_outside = None;
    for (r, line) in &lines {
        let outside = view.rows.get(*r).is_some_and(|row| row.outside);
        if previous_outside == Some(true) && !outside {
            boundary = Some(y - GAP_Y / 2.0);
        }
        previous_outside = Some(outside);
        let height = line.iter().map(|&z| size(z).1).fold(0.0, f64::max);
        let mut x = GUTTER + (content - line_width(line)) / 2.0;
        for &z in line {
            let (w, h) = size(z);
            if let Some(slot) = zones.get_mut(z) {
                *slot = Rect { x, y, w, h };
            }
            x += w + GAP_X;
        }
        match bands.last_mut() {
            Some(band) if band.row == *r => band.h = y + height - band.y,
            _ => bands.push(Band { row: *r, y, h: height }),
        }
        y += height + GAP_Y;
    }
    let edges = route(view, &zones);
    let legend_width = view.legend.iter().map(|e| text_width(&e.text, 12.0) + 40.0).fold(0.0, f64::max);
    let title_width = text_width(&view.title, 18.0);
    let labels_right = edges.iter().filter_map(|c| c.label.map(|l| l.right())).fold(0.0, f64::max);
    let width = (GUTTER + content).max(legend_width + GUTTER).max(title_width + MARGIN).max(labels_right) + MARGIN;
    // With no zone at all, the legend starts below the title, not above it.
    let legend = (GUTTER, (y - GAP_Y + 50.0).max(MARGIN + TITLE_HEIGHT));
    let height = legend.1 + (view.legend.len() as f64 + 1.0) * LEGEND_LINE + MARGIN;
    Layout { width, height, zones, bands, boundary, edges, legend }
}

/// Which side of a box an edge uses.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Top,
    Bottom,
}

/// An edge's end on a box side: the x of its other end (to sort by), the
/// edge, and whether this is where it starts.
type End = (f64, usize, bool);

/// Curves for every edge, their ends spread along the box sides in the
/// order of the other ends, so arrows into one box do not share a point.
fn route(view: &View, zones: &[Rect]) -> Vec<Curve> {
    let rect = |z: usize| zones.get(z).copied().unwrap_or_default();
    let sides: Vec<(Side, Side)> = view
        .edges
        .iter()
        .map(|e| {
            let (a, b) = (rect(e.from), rect(e.to));
            if a.bottom() <= b.y {
                (Side::Bottom, Side::Top)
            } else if b.bottom() <= a.y {
                (Side::Top, Side::Bottom)
            } else {
                (Side::Bottom, Side::Bottom)
            }
        })
        .collect();
    // (zone, side) → (x of the other end, edge, is start)
    let mut ends: std::collections::BTreeMap<(usize, Side), Vec<End>> = Default::default();
    for (i, (e, (s, t))) in view.edges.iter().zip(&sides).enumerate() {
        let (a, b) = (rect(e.from), rect(e.to));
        ends.entry((e.from, *s)).or_default().push((b.x + b.w / 2.0, i, true));
        ends.entry((e.to, *t)).or_default().push((a.x + a.w / 2.0, i, false));
    }
    let mut points = vec![[(0.0, 0.0); 2]; view.edges.len()];
    for ((zone, side), mut list) in ends {
        list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let r = rect(zone);
        let n = list.len() as f64;
        for (k, (_, edge, start)) in list.into_iter().enumerate() {
            let x = r.x + r.w * (k as f64 + 1.0) / (n + 1.0);
            let y = if side == Side::Top { r.y } else { r.bottom() };
            if let Some(p) = points.get_mut(edge) {
                let slot = if start { 0 } else { 1 };
                if let Some(point) = p.get_mut(slot) {
                    *point = (x, y);
                }
            }
        }
    }
    let mut placed = Grid::new(zones);
    let crowded = view.edges.len() > CROWDED;
    let routed = view.edges.len().saturating_mul(zones.len()) <= ROUTE_BUDGET;
    view.edges
        .iter()
        .zip(&sides)
        .zip(points)
        .map(|((edge, (s, t)), [p0, p3])| {
            let segments = match (s, t) {
                (Side::Bottom, Side::Top) if !routed => vec![drop(p0, p3)],
                (Side::Top, Side::Bottom) if !routed => vec![reverse(drop(p3, p0))],
                (Side::Bottom, Side::Top) => around(zones, p0, p3),
                (Side::Top, Side::Bottom) => around(zones, p3, p0).into_iter().rev().map(reverse).collect(),
                _ => {
                    let bend = ((p3.1 - p0.1).abs() / 2.0).max(60.0);
                    vec![[p0, (p0.0, p0.1 + bend), (p3.0, p3.1 + bend), p3]]
                }
            };
            let w = edge.lines.iter().map(|l| text_width(l, 11.0)).fold(0.0, f64::max) + 8.0;
            let h = edge.lines.len() as f64 * 14.0 + 6.0;
            let label = placed.label(&segments, w, h, crowded);
            Curve { segments, label }
        })
        .collect()
}

fn reverse([a, b, c, d]: Segment) -> Segment {
    [d, c, b, a]
}

/// A smooth S from `from` down to `to`.
fn drop(from: (f64, f64), to: (f64, f64)) -> Segment {
    let bend = ((to.1 - from.1) / 2.0).max(30.0);
    [from, (from.0, from.1 + bend), (to.0, to.1 - bend), to]
}

/// The path from `top` (a box's bottom) down to `bottom` (another box's
/// top): straight if no box lies between them, else into the gap above
/// the boxes in the way, down a free column between them, and on to the
/// end, so an arrow never seems to enter a box it does not reach.
fn around(zones: &[Rect], top: (f64, f64), bottom: (f64, f64)) -> Vec<Segment> {
    let between: Vec<&Rect> = zones.iter().filter(|r| r.y > top.1 && r.bottom() < bottom.1).collect();
    let (lo, hi) = (top.0.min(bottom.0) - 8.0, top.0.max(bottom.0) + 8.0);
    if !between.iter().any(|r| r.x < hi && r.right() > lo) {
        return vec![drop(top, bottom)];
    }
    let column = free_column(&between, (top.0 + bottom.0) / 2.0, lo, hi);
    let y1 = between.iter().map(|r| r.y).fold(f64::INFINITY, f64::min) - 12.0;
    let y2 = between.iter().map(|r| r.bottom()).fold(f64::NEG_INFINITY, f64::max) + 12.0;
    let (a, b) = ((column, y1), (column, y2));
    vec![drop(top, a), [a, a, b, b], drop(b, bottom)]
}

/// The x nearest `mid` that no box in `boxes` covers, searched to the
/// right of the boxes in [`lo`, `hi`] and to their left.
fn free_column(boxes: &[&Rect], mid: f64, lo: f64, hi: f64) -> f64 {
    let mut sorted: Vec<&Rect> = boxes.to_vec();
    sorted.sort_by(|a, b| a.x.total_cmp(&b.x));
    let covered = |x: f64| sorted.iter().find(|r| r.x - 6.0 <= x && x <= r.right() + 6.0).copied();
    let search = |mut x: f64, rightwards: bool| {
        // Each step passes one box, so this ends after at most all of them.
        for _ in 0..=sorted.len() {
            match covered(x) {
                Some(r) if rightwards => x = r.right() + GAP_X / 2.0,
                Some(r) => x = r.x - GAP_X / 2.0,
                None => break,
            }
        }
        x
    };
    let right = search(hi, true);
    let left = search(lo, false);
    if (right - mid).abs() <= (mid - left).abs() || left < GUTTER {
        right
    } else {
        left
    }
}

/// A point of the cubic curve at `t`.
fn at(p: &Segment, t: f64) -> (f64, f64) {
    let u = 1.0 - t;
    let [a, b, c, d] = p;
    let (k0, k1, k2, k3) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
    (k0 * a.0 + k1 * b.0 + k2 * c.0 + k3 * d.0, k0 * a.1 + k1 * b.1 + k2 * c.1 + k3 * d.1)
}

/// Where a label goes along its curve: the first of a few points (the
/// middle first) whose box covers no zone and no label placed before,
/// then the same stacked above or below the middle, else the middle, or
/// nowhere when the diagram is crowded. Boxes are found through a grid of cells, so a large
/// plant's thousands of labels are placed in linear time.
struct Grid {
    cells: std::collections::HashMap<(i64, i64), Vec<Rect>>,
}

const CELL: f64 = 200.0;

/// How many label heights above or below its arrow's middle a label may
/// be stacked when no place on the arrow is free.
const STACK_STEPS: usize = 8;

impl Grid {
    fn new(zones: &[Rect]) -> Grid {
        let mut grid = Grid { cells: std::collections::HashMap::new() };
        for z in zones {
            grid.add(*z);
        }
        grid
    }

    fn span(r: &Rect) -> impl Iterator<Item = (i64, i64)> {
        let cell = |v: f64| (v / CELL).floor() as i64;
        let (x0, x1, y0, y1) = (cell(r.x), cell(r.right()), cell(r.y), cell(r.bottom()));
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }

    fn add(&mut self, r: Rect) {
        for key in Self::span(&r) {
            self.cells.entry(key).or_default().push(r);
        }
    }

    fn free(&self, r: &Rect) -> bool {
        Self::span(r).all(|key| self.cells.get(&key).is_none_or(|list| list.iter().all(|o| !o.overlaps(r))))
    }

    fn label(&mut self, segments: &[Segment], w: f64, h: f64, crowded: bool) -> Option<Rect> {
        let boxed = |(x, y): (f64, f64)| Rect { x: (x - w / 2.0).max(GUTTER), y: y - h / 2.0, w, h };
        let candidates = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8];
        let shifts = [0.0, 0.6, -0.6];
        let mut tries = Vec::with_capacity(segments.len() * candidates.len() * shifts.len());
        for segment in segments {
            for t in candidates {
                let (x, y) = at(segment, t);
                tries.extend(shifts.iter().map(|shift| boxed((x + shift * w, y))));
            }
        }
        let first = segments.first().copied().unwrap_or_default();
        // Nowhere on the arrow: stack it above or below its middle, as near
        // as a free place allows (two arrows between the same zones meet
        // there).
        let (mx, my) = at(&first, 0.5);
        for step in 1..=STACK_STEPS {
            let dy = step as f64 * (h + 4.0);
            tries.extend(
                [my - dy, my + dy].into_iter().flat_map(|y| shifts.iter().map(move |s| (mx + s * w, y))).map(boxed),
            );
        }
        let found = tries.into_iter().find(|r| self.free(r));
        let rect = match found {
            Some(rect) => rect,
            None if crowded => return None,
            None => boxed(at(&first, 0.5)),
        };
        self.add(rect);
        Some(rect)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::graph::view::{Edge, Item, Row, ZoneBox};

    fn zone(i: usize, items: usize) -> ZoneBox {
        ZoneBox {
            key: format!("z{i}"),
            heading: format!("Zone {i} with a long enough title"),
            caption: "High · internal".into(),
            tooltip: String::new(),
            class: "high".into(),
            outside: false,
            items: (0..items)
                .map(|k| Item {
                    key: format!("a{k}"),
                    text: format!("asset {k}"),
                    tooltip: String::new(),
                    waived: vec![],
                })
                .collect(),
            waived: vec![],
            waived_text: None,
        }
    }

    fn edge(from: usize, to: usize) -> Edge {
        Edge {
            key: format!("c{from}_{to}"),
            from,
            to,
            lines: vec!["conduit".into()],
            tooltip: String::new(),
            one_way: false,
            windowed: false,
            waived: vec![],
        }
    }

    fn view(rows: Vec<Vec<usize>>, zones: usize, edges: Vec<Edge>) -> View {
        View {
            lang: "en".into(),
            title: "T".into(),
            as_of: String::new(),
            boundary: String::new(),
            rows: rows.into_iter().map(|zones| Row { label: "Level".into(), outside: false, zones }).collect(),
            zones: (0..zones).map(|i| zone(i, i % 4)).collect(),
            edges,
            legend_title: String::new(),
            legend: vec![],
        }
    }

    #[test]
    fn a_wide_row_wraps_and_no_boxes_overlap() {
        let v = view(vec![(0..30).collect(), (30..32).collect()], 32, vec![edge(0, 31)]);
        let l = layout(&v);
        let tops: std::collections::BTreeSet<i64> = l.zones[..30].iter().map(|r| r.y as i64).collect();
        assert!(tops.len() > 1, "30 boxes in one row wrap");
        for (i, a) in l.zones.iter().enumerate() {
            assert!(a.right() <= l.width && a.bottom() <= l.height && a.right() <= GUTTER + MAX_ROW_WIDTH);
            for b in &l.zones[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} {b:?}");
            }
        }
        // The second band starts below every line of the first.
        let first_bottom = l.zones[..30].iter().map(Rect::bottom).fold(0.0, f64::max);
        assert!(l.zones[30].y > first_bottom);
    }

    #[test]
    fn zones_follow_their_neighbours_to_uncross_arrows() {
        // Row 0: z0 z1; row 1: z2 z3 with z2 under z1 and z3 under z0.
        let v = view(vec![vec![0, 1], vec![2, 3]], 4, vec![edge(0, 3), edge(1, 2)]);
        let l = layout(&v);
        assert!(l.zones[3].x < l.zones[2].x, "z3 moves under z0: {:?}", l.zones);
    }

    /// An arrow from the top band to the bottom one goes around the box of
    /// the band between, which it does not reach.
    #[test]
    fn an_arrow_past_a_band_goes_around_its_boxes() {
        let v = view(vec![vec![0], vec![1], vec![2]], 3, vec![edge(0, 2)]);
        let l = layout(&v);
        let curve = &l.edges[0];
        assert_eq!(curve.segments.len(), 3, "{curve:?}");
        let middle = l.zones[1];
        for segment in &curve.segments {
            for k in 0..=20 {
                let (x, y) = at(segment, f64::from(k) / 20.0);
                let inside = x > middle.x && x < middle.right() && y > middle.y && y < middle.bottom();
                assert!(!inside, "({x}, {y}) is inside {middle:?}");
            }
        }
        // The arrow still starts at the first box and ends at the last.
        assert_eq!(curve.segments[0][0].1, l.zones[0].bottom());
        assert_eq!(curve.segments[2][3].1, l.zones[2].y);
    }

    #[test]
    fn labels_avoid_boxes_and_each_other() {
        let v = view(vec![vec![0, 1, 2], vec![3, 4, 5]], 6, vec![edge(0, 3), edge(1, 4), edge(2, 5), edge(0, 5)]);
        let l = layout(&v);
        let labels: Vec<Rect> = l.edges.iter().map(|c| c.label.unwrap()).collect();
        for (i, a) in labels.iter().enumerate() {
            assert!(l.zones.iter().all(|z| !z.overlaps(a)), "{a:?} covers a box");
            assert!(labels[i + 1..].iter().all(|b| !b.overlaps(a)), "labels overlap");
        }
    }
}
