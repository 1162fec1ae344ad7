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
pub fn window(rows: usize, row_height: f64, scroll_top: f64, viewport: f64) -> (usize, usize, f64) {
    let natural = rows as f64 * row_height;
    let visible = (viewport / row_height).ceil() as usize + 1;
    let (first, offset) = if natural <= MAX_PX {
        let first = (scroll_top / row_height).floor().max(0.0) as usize;
        (first, first as f64 * row_height)
    } else {
        let scrollable = (MAX_PX - viewport).max(1.0);
        let last_first = rows.saturating_sub(visible) as f64;
        let first = ((scroll_top / scrollable).clamp(0.0, 1.0) * last_first).floor() as usize;
        (first, scroll_top)
    };
    let start = first.saturating_sub(OVERSCAN).min(rows);
    let end = (first + visible + OVERSCAN).min(rows);
    let offset = offset - (first - start) as f64 * row_height;
    (start, end, offset)
}

/// The scroll position that shows row `row` in the middle of the viewport.
pub fn scroll_for(rows: usize, row_height: f64, row: usize, viewport: f64) -> f64 {
    let natural = rows as f64 * row_height;
    if natural <= MAX_PX {
        (row as f64 * row_height - viewport / 2.0 + row_height / 2.0).max(0.0)
    } else {
        let visible = (viewport / row_height).ceil() as usize + 1;
        let last_first = rows.saturating_sub(visible).max(1) as f64;
        let first = row.saturating_sub(visible / 2) as f64;
        (first / last_first).clamp(0.0, 1.0) * (MAX_PX - viewport).max(1.0)
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

    #[test]
    fn huge_lists_reach_their_last_row() {
        let rows = 5_000_000;
        let (_, end, _) = window(rows, 20.0, MAX_PX - 400.0, 400.0);
        assert_eq!(end, rows);
        let top = scroll_for(rows, 20.0, rows / 2, 400.0);
        let (start, end, _) = window(rows, 20.0, top, 400.0);
        assert!(start <= rows / 2 && rows / 2 < end, "{start}..{end}");
    }
}
