//! The canvas viewport: pan offset and zoom, and the conversions between screen and world.

/// `screen = world * zoom + (x, y)`, in CSS pixels relative to the canvas.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    pub x: f64,
    pub y: f64,
    pub zoom: f64,
}

pub const MIN_ZOOM: f64 = 0.1;
pub const MAX_ZOOM: f64 = 3.0;

impl Default for Viewport {
    fn default() -> Self {
        Self {
            x: 40.0,
            y: 40.0,
            zoom: 1.0,
        }
    }
}

impl Viewport {
    pub fn to_world(self, sx: f64, sy: f64) -> (f64, f64) {
        ((sx - self.x) / self.zoom, (sy - self.y) / self.zoom)
    }

    /// Zooms by `factor`, keeping the world point under the screen point `(sx, sy)` in place.
    pub fn zoom_at(self, factor: f64, sx: f64, sy: f64) -> Self {
        let zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let k = zoom / self.zoom;
        Self {
            x: sx - (sx - self.x) * k,
            y: sy - (sy - self.y) * k,
            zoom,
        }
    }

    /// The viewport that shows the box `(x0, y0)–(x1, y1)` whole in a `width × height` canvas.
    pub fn fit(bounds: (f64, f64, f64, f64), width: f64, height: f64) -> Self {
        let (x0, y0, x1, y1) = bounds;
        let margin = 40.0;
        let zoom = ((width - 2.0 * margin) / (x1 - x0).max(1.0))
            .min((height - 2.0 * margin) / (y1 - y0).max(1.0))
            .clamp(MIN_ZOOM, 1.0);
        Self {
            x: (width - (x1 - x0) * zoom) / 2.0 - x0 * zoom,
            y: (height - (y1 - y0) * zoom) / 2.0 - y0 * zoom,
            zoom,
        }
    }

    /// The CSS transform of the world layer.
    pub fn transform(self) -> String {
        format!("translate({}px, {}px) scale({})", self.x, self.y, self.zoom)
    }
}

/// Rounds a world coordinate to the snap grid.
pub fn snap(value: f64) -> f64 {
    const GRID: f64 = 20.0;
    (value / GRID).round() * GRID
}
