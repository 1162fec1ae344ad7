//! A list that renders only the rows on screen, so a million log lines or 100,000 tests scroll like
//! fifty. Rows have one fixed height. Past what a browser can lay out in one element (about 15 million
//! pixels), the scrollbar maps proportionally onto the rows instead of one pixel per pixel.

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Browsers cap an element's height (Chromium near 33.5M px); stay well inside it.
const MAX_PX: f64 = 15_000_000.0;
/// Rows rendered beyond each edge of the viewport, so a fast scroll does not show blanks.
const OVERSCAN: usize = 20;

#[derive(Properties, PartialEq)]
pub struct VirtualListProps {
    pub rows: usize,
    pub row_height: f64,
    /// Renders row `i`.
    pub render: Callback<usize, Html>,
    /// Told which rows are (about to be) visible, so their data can be fetched.
    #[prop_or_default]
    pub on_range: Callback<(usize, usize)>,
    /// Scrolls so this row is in the middle of the view when it changes.
    #[prop_or_default]
    pub scroll_to: Option<usize>,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub label: AttrValue,
    #[prop_or_default]
    pub onkeydown: Callback<KeyboardEvent>,
    /// Changes when the rows' data changes (another file, another filter): the visible range is asked
    /// for again even if it did not move.
    #[prop_or_default]
    pub data_key: AttrValue,
}

/// Which rows to draw for a scroll position, and where the first of them goes.
///
/// Past [`MAX_PX`], the scroll range maps linearly onto the rows' natural positions, so the rows sit
/// where a list of natural height would put them: the last one ends at the viewport's bottom edge when
/// the list is scrolled to its end.
pub fn window(rows: usize, row_height: f64, scroll_top: f64, viewport: f64) -> (usize, usize, f64) {
    let natural = rows as f64 * row_height;
    let visible = (viewport / row_height).ceil() as usize + 1;
    let (first, offset) = if natural <= MAX_PX {
        let first = (scroll_top / row_height).floor().max(0.0) as usize;
        (first, first as f64 * row_height)
    } else {
        let top = natural_top(natural, scroll_top, viewport);
        let first = (top / row_height).floor() as usize;
        // Row `first` starts this far above the viewport's top edge.
        (first, scroll_top - (top - first as f64 * row_height))
    };
    let first = first.min(rows);
    let start = first.saturating_sub(OVERSCAN);
    let end = (first + visible + OVERSCAN).min(rows);
    let offset = offset - (first - start) as f64 * row_height;
    (start, end, offset)
}

/// Where a list of natural height would be scrolled to, for a scroll position of a capped list.
fn natural_top(natural: f64, scroll_top: f64, viewport: f64) -> f64 {
    let scrollable = (MAX_PX - viewport).max(1.0);
    (scroll_top / scrollable).clamp(0.0, 1.0) * (natural - viewport).max(0.0)
}

/// The scroll position that shows row `row` in the middle of the viewport (or as near as the list's
/// ends allow).
pub fn scroll_for(rows: usize, row_height: f64, row: usize, viewport: f64) -> f64 {
    let natural = rows as f64 * row_height;
    let centred = (row as f64 * row_height - viewport / 2.0 + row_height / 2.0).max(0.0);
    if natural <= MAX_PX {
        centred
    } else {
        let last = (natural - viewport).max(1.0);
        (centred / last).clamp(0.0, 1.0) * (MAX_PX - viewport).max(1.0)
    }
}

#[function_component(VirtualList)]
pub fn virtual_list(props: &VirtualListProps) -> Html {
    let node = use_node_ref();
    // `_eq`: the scroll event that follows a programmatic scroll reports the position already set, and
    // must not draw the rows a second time (the replay scrolls its step list at every step).
    let scroll_top = use_state_eq(|| 0.0_f64);
    let viewport = use_state_eq(|| 600.0_f64);

    {
        let node = node.clone();
        let viewport = viewport.clone();
        use_effect_with((), move |_| {
            let measure = move || {
                if let Some(el) = node.cast::<web_sys::Element>() {
                    let h = el.client_height() as f64;
                    if h > 0.0 {
                        viewport.set(h);
                    }
                }
            };
            measure();
            let listener =
                gloo::events::EventListener::new(&gloo::utils::window(), "resize", move |_| measure());
            move || drop(listener)
        });
    }

    {
        let node = node.clone();
        let scroll_top = scroll_top.clone();
        let (rows, h, vp) = (props.rows, props.row_height, *viewport);
        use_effect_with((props.scroll_to, rows), move |(target, _)| {
            if let (Some(row), Some(el)) = (target, node.cast::<web_sys::Element>()) {
                // Whole pixels, as the element reports them back.
                let top = scroll_for(rows, h, *row, vp).round();
                el.set_scroll_top(top as i32);
                scroll_top.set(top);
            }
        });
    }

    let (start, end, offset) = window(props.rows, props.row_height, *scroll_top, *viewport);
    {
        let on_range = props.on_range.clone();
        use_effect_with((start, end, props.data_key.clone()), move |(s, e, _)| on_range.emit((*s, *e)));
    }

    let onscroll = {
        let scroll_top = scroll_top.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                scroll_top.set(el.scroll_top() as f64);
            }
        })
    };
    let height = (props.rows as f64 * props.row_height).min(MAX_PX);
    let rows = (start..end).map(|i| props.render.emit(i));
    html! {
        <div ref={node} class={classes!("fl-virtual", props.class.clone())} {onscroll} tabindex="0"
             role="list" aria-label={props.label.clone()} onkeydown={props.onkeydown.clone()}>
            <div class="fl-virtual-spacer" style={format!("height: {height}px")}>
                <div class="fl-virtual-rows" style={format!("transform: translateY({offset}px)")}>{ for rows }</div>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_lists_map_pixels_to_rows_one_to_one() {
        let (start, end, offset) = window(1000, 20.0, 2000.0, 400.0);
        assert_eq!((start, end), (100 - OVERSCAN, 100 + 21 + OVERSCAN));
        assert_eq!(offset, (100 - OVERSCAN) as f64 * 20.0);
        assert_eq!(window(5, 20.0, 0.0, 400.0), (0, 5, 0.0));
    }

    /// Where row `row` is drawn, from the viewport's top edge, or None if it is not drawn.
    fn drawn_at(rows: usize, h: f64, scroll_top: f64, viewport: f64, row: usize) -> Option<f64> {
        let (start, end, offset) = window(rows, h, scroll_top, viewport);
        (start..end).contains(&row).then(|| offset + (row - start) as f64 * h - scroll_top)
    }

    fn in_view(rows: usize, h: f64, scroll_top: f64, viewport: f64, row: usize) -> bool {
        drawn_at(rows, h, scroll_top, viewport, row).is_some_and(|y| y >= -0.01 && y + h <= viewport + 0.01)
    }

    #[test]
    fn huge_lists_show_their_last_row_whole_at_the_end() {
        // Viewports that are not a whole number of rows, as a window's is.
        for viewport in [400.0, 731.0, 899.5] {
            for rows in [750_001, 5_000_000, 10_100_001] {
                let end = (MAX_PX - viewport).max(1.0);
                assert!(in_view(rows, 20.0, end, viewport, rows - 1), "{rows} rows, viewport {viewport}");
                let y = drawn_at(rows, 20.0, end, viewport, rows - 1).unwrap_or_default();
                assert!((y + 20.0 - viewport).abs() < 0.01, "the last row ends at the bottom edge: {y}");
                assert_eq!(drawn_at(rows, 20.0, 0.0, viewport, 0), Some(0.0), "the first row at the top");
            }
        }
    }

    #[test]
    fn a_row_scrolled_to_is_in_view_small_or_huge() {
        for (rows, viewport) in [(40, 731.0), (1000, 400.0), (750_001, 731.0), (10_100_001, 731.0)] {
            for row in [0, 1, rows / 3, rows / 2, rows - 2, rows - 1] {
                // The element reports whole pixels back.
                let top = scroll_for(rows, 20.0, row, viewport).round();
                let top = top.min((rows as f64 * 20.0).min(MAX_PX) - viewport).max(0.0);
                assert!(in_view(rows, 20.0, top, viewport, row), "row {row} of {rows}, viewport {viewport}");
            }
        }
    }

    #[test]
    fn scrolling_a_huge_list_moves_its_rows_by_the_scaled_distance() {
        let (rows, viewport) = (10_100_001, 731.0);
        let scale = (rows as f64 * 20.0 - viewport) / (MAX_PX - viewport);
        let (a, b) = (5_000_000.0, 5_000_001.0);
        let row = (natural_top(rows as f64 * 20.0, a, viewport) / 20.0) as usize + 5;
        let (ya, yb) = (drawn_at(rows, 20.0, a, viewport, row), drawn_at(rows, 20.0, b, viewport, row));
        let moved = ya.zip(yb).map(|(ya, yb)| ya - yb);
        assert!(moved.is_some_and(|m| (m - scale).abs() < 1e-6), "{moved:?} against {scale}");
    }
}
