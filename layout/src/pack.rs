//! Packing laid-out groups into rows (a shelf packer): tallest first, each row up to a width that
//! keeps the whole picture roughly as wide as it is tall.

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
    let row_width = widest.max(area.sqrt() * 1.4);
    let (mut x, mut y, mut row_height) = (0.0, 0.0, 0.0f64);
    let mut placed = Vec::with_capacity(blocks.len());
    for block in blocks.iter() {
        if x > 0.0 && x + block.width > row_width {
            x = 0.0;
            y += row_height + gap;
            row_height = 0.0;
        }
        placed.push((block, (x, y)));
        x += block.width + gap;
        row_height = row_height.max(block.height);
    }
    placed
}
