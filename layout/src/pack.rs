//! Packing laid-out groups into rows (a shelf packer): tallest first; beside a row's first block,
//! the shorter ones are stacked in columns as high as it, so small groups and loose tables fill
//! the room beside a big group instead of a long row under it. The row width is the one of a few
//! tried that lets the whole picture be shown largest on a 16:10 screen.

/// A group of cards at positions relative to the group's top-left corner.
#[derive(Debug, Clone)]
pub struct Block {
    pub cards: Vec<(u32, f64, f64)>,
    pub width: f64,
    pub height: f64,
}

impl Block {
    /// A block from card corners (any origin), moved so its top-left is (0, 0).
    pub fn new(mut cards: Vec<(u32, f64, f64)>, size: impl Fn(u32) -> (f64, f64)) -> Self {
        let min_x = cards.iter().map(|c| c.1).fold(f64::INFINITY, f64::min);
        let min_y = cards.iter().map(|c| c.2).fold(f64::INFINITY, f64::min);
        let (mut width, mut height) = (0.0f64, 0.0f64);
        for (i, x, y) in &mut cards {
            *x -= min_x;
            *y -= min_y;
            let (w, h) = size(*i);
            width = width.max(*x + w);
            height = height.max(*y + h);
        }
        Self {
            cards,
            width,
            height,
        }
    }
}

/// The shape of the screen the packing aims to fill.
const SCREEN: (f64, f64) = (16.0, 10.0);

/// Places blocks in rows; returns each block with its offset.
pub fn rows(blocks: &mut [Block], gap: f64) -> Vec<(&Block, (f64, f64))> {
    blocks.sort_by(|a, b| {
        b.height
            .total_cmp(&a.height)
            .then(b.width.total_cmp(&a.width))
    });
    let area: f64 = blocks
        .iter()
        .map(|b| (b.width + gap) * (b.height + gap))
        .sum();
    let widest = blocks.iter().map(|b| b.width).fold(0.0, f64::max);
    // From the widest block alone up to a square of the area twice over, in even steps.
    let most = (area.sqrt() * 2.0).max(widest);
    let widths = (0..=16).map(|k| widest + (most - widest) * f64::from(k) / 16.0);
    let misfit = |offsets: &[(f64, f64)]| {
        let (w, h) = blocks
            .iter()
            .zip(offsets)
            .fold((0.0f64, 0.0f64), |(w, h), (b, &(x, y))| {
                (w.max(x + b.width), h.max(y + b.height))
            });
        (w / SCREEN.0).max(h / SCREEN.1)
    };
    let mut best: Option<(f64, Vec<(f64, f64)>)> = None;
    for width in widths {
        let offsets = shelves(blocks, gap, width);
        let score = misfit(&offsets);
        // Ties go to the narrower: it comes first.
        if best.as_ref().is_none_or(|(s, _)| score < *s - 1e-9) {
            best = Some((score, offsets));
        }
    }
    let offsets = best.map(|(_, o)| o).unwrap_or_default();
    blocks.iter().zip(offsets).collect()
}

/// Offsets of `blocks` (tallest first) in rows up to `row_width`: each row as high as its first
/// block, the next ones stacked in columns beside it while they fit under that height.
fn shelves(blocks: &[Block], gap: f64, row_width: f64) -> Vec<(f64, f64)> {
    let mut offsets = Vec::with_capacity(blocks.len());
    let (mut row_y, mut row_height) = (0.0, 0.0);
    // The current column: its left, the height used in it, its width.
    let (mut col_x, mut col_y, mut col_width) = (0.0, 0.0, 0.0f64);
    for (k, block) in blocks.iter().enumerate() {
        if k > 0 && col_y > 0.0 && col_y + block.height <= row_height {
            // Below the last block of the column.
        } else {
            col_x += col_width + if k > 0 { gap } else { 0.0 };
            (col_y, col_width) = (0.0, 0.0);
            if k > 0 && col_x + block.width > row_width {
                row_y += row_height + gap;
                (col_x, row_height) = (0.0, 0.0);
            }
        }
        if col_x == 0.0 && col_y == 0.0 {
            row_height = block.height;
        }
        offsets.push((col_x, row_y + col_y));
        col_y += block.height + gap;
        col_width = col_width.max(block.width);
    }
    offsets
}
