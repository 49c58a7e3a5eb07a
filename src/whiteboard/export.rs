//! Downloads of the current page: PNG (drawn on an offscreen canvas the size of the
//! content plus a margin, on white) and SVG (`tandem_board::svg::page_svg`).

use tandem_board::geometry::content_bounds;
use tandem_board::style::BACKGROUND;
use tandem_board::svg::{page_svg, MARGIN};
use tandem_board::BoardState;
use tandem_protocol::boards::PageId;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlCanvasElement, Url};

use super::render::{self, TextCache};
use super::surface::context_2d;

/// PNGs larger than this many pixels a side are scaled down to fit.
const MAX_PNG_SIDE: f64 = 8192.0;

/// "<board title> - <page name>.<ext>", without characters file systems refuse.
pub fn file_name(title: &str, page: &str, ext: &str) -> String {
    let clean = |s: &str| -> String {
        let kept: String = s
            .chars()
            .map(|c| {
                if c.is_control() || "/\\:*?\"<>|".contains(c) {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        kept.trim().trim_matches('.').to_string()
    };
    let (title, page) = (clean(title), clean(page));
    let stem = match (title.is_empty(), page.is_empty()) {
        (false, false) => format!("{title} - {page}"),
        (false, true) => title,
        (true, false) => page,
        (true, true) => "Whiteboard".to_string(),
    };
    format!("{stem}.{ext}")
}

/// Offers `blob` as a download named `name`.
fn download(blob: &Blob, name: &str) -> Result<(), String> {
    let fail = |_| "Your browser could not save the file.".to_string();
    let url = Url::create_object_url_with_blob(blob).map_err(fail)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("No document.")?;
    let a: HtmlAnchorElement = document.create_element("a").map_err(fail)?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    // Attached while clicked: not every browser downloads from a detached link.
    let body = document.body();
    if let Some(body) = &body {
        let _ = body.append_child(&a);
    }
    a.click();
    a.remove();
    // Revoke later: the download reads the URL asynchronously.
    let revoke = Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    if let Some(w) = web_sys::window() {
        let _ =
            w.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000);
    }
    Ok(())
}

pub fn download_svg(state: &BoardState, page: PageId, name: &str) -> Result<(), String> {
    let svg = page_svg(state, page);
    let parts = js_sys::Array::of1(&JsValue::from_str(&svg));
    let options = BlobPropertyBag::new();
    options.set_type("image/svg+xml");
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "Could not create the SVG file.".to_string())?;
    download(&blob, name)
}

/// Renders the page onto a fresh canvas and downloads it as PNG (asynchronously: the
/// browser encodes in the background).
pub fn download_png(state: &BoardState, page: PageId, name: &str) -> Result<(), String> {
    let area = content_bounds(state, page)
        .map(|b| b.inflate(MARGIN))
        .unwrap_or(tandem_board::Rect {
            min_x: 0.0,
            min_y: 0.0,
            max_x: 64.0,
            max_y: 64.0,
        });
    let scale = (MAX_PNG_SIDE / area.width().max(area.height()).max(1.0)).min(1.0);
    let (w, h) = (
        (area.width() * scale).ceil().max(1.0),
        (area.height() * scale).ceil().max(1.0),
    );
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("No document.")?;
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(|_| "Could not create a canvas.".to_string())?
        .unchecked_into();
    canvas.set_width(w as u32);
    canvas.set_height(h as u32);
    let ctx = context_2d(&canvas).ok_or("Your browser cannot draw the image.")?;
    ctx.set_fill_style_str(BACKGROUND);
    ctx.fill_rect(0.0, 0.0, w, h);
    let _ = ctx.set_transform(
        scale,
        0.0,
        0.0,
        scale,
        -area.min_x * scale,
        -area.min_y * scale,
    );
    let mut texts = TextCache::default();
    for e in state.elements_on(page) {
        render::element(&ctx, &mut texts, e, scale);
    }
    let name = name.to_string();
    let on_blob = Closure::once_into_js(move |blob: JsValue| {
        if let Some(blob) = blob.dyn_ref::<Blob>() {
            let _ = download(blob, &name);
        }
    });
    canvas
        .to_blob_with_type(on_blob.unchecked_ref(), "image/png")
        .map_err(|_| "Could not encode the image.".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_readable() {
        assert_eq!(
            file_name("Sprint plan", "Page 1", "png"),
            "Sprint plan - Page 1.png"
        );
        assert_eq!(file_name("a/b:c", "<x>", "svg"), "a_b_c - _x_.svg");
        assert_eq!(file_name("  ", "", "png"), "Whiteboard.png");
        assert_eq!(file_name("..", "P", "svg"), "P.svg");
    }
}
