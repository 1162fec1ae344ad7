//! Artifacts from JavaScript: `{ name, bytes }` objects whose `bytes` is a `Uint8Array` (an
//! `ArrayBuffer` is accepted too). Names are labels, as in the CLI: `bundle.zip!/logs/x.log` for members.

use faultline_core::InputFile;
use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::FaultlineError;

pub fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `obj[key]`, or `None` when it is `undefined` or `null` (an optional field left out).
pub fn present(obj: &JsValue, key: &str) -> Option<JsValue> {
    Some(get(obj, key)).filter(|v| !v.is_undefined() && !v.is_null())
}

/// Appends `view`'s bytes to `out`, copied straight from JavaScript's memory into `out`'s reserved
/// room, not through a buffer of their own first.
pub fn append(view: &Uint8Array, out: &mut Vec<u8>) {
    let start = out.len();
    out.resize(start + view.length() as usize, 0);
    view.copy_to(&mut out[start..]);
}

/// A byte view of a `Uint8Array`, an `ArrayBuffer` or any other typed-array view, without copying.
pub fn view_of(value: &JsValue, what: &str) -> Result<Uint8Array, FaultlineError> {
    if let Some(a) = value.dyn_ref::<Uint8Array>() {
        return Ok(a.clone());
    }
    if value.is_instance_of::<js_sys::ArrayBuffer>() {
        return Ok(Uint8Array::new(value));
    }
    if let Some(view) = value.dyn_ref::<js_sys::Object>().filter(|_| js_sys::ArrayBuffer::is_view(value)) {
        let buffer = get(view, "buffer");
        let offset = get(view, "byteOffset").as_f64().unwrap_or(0.0) as u32;
        let length = get(view, "byteLength").as_f64().unwrap_or(0.0) as u32;
        return Ok(Uint8Array::new_with_byte_offset_and_length(&buffer, offset, length));
    }
    Err(FaultlineError::new("input", format!("{what} must be a Uint8Array or an ArrayBuffer")))
}

pub fn name_of(value: &JsValue, what: &str) -> Result<String, FaultlineError> {
    get(value, "name")
        .as_string()
        .filter(|n| !n.is_empty())
        .ok_or_else(|| FaultlineError::new("input", format!("{what}.name must be a non-empty string")))
}

/// An array of `{ name, bytes }`, as views of the bytes where they are (nothing copied yet).
pub fn named_views(value: &JsValue, what: &str) -> Result<Vec<(String, Uint8Array)>, FaultlineError> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    let Some(array) = value.dyn_ref::<Array>() else {
        return Err(FaultlineError::new("input", format!("{what} must be an array of {{ name, bytes }}")));
    };
    let mut out = Vec::with_capacity(array.length() as usize);
    for (i, item) in array.iter().enumerate() {
        let at = format!("{what}[{i}]");
        out.push((name_of(&item, &at)?, view_of(&get(&item, "bytes"), &format!("{at}.bytes"))?));
    }
    Ok(out)
}

/// An array of `{ name, bytes }`, copied into wasm memory.
pub fn input_files(value: &JsValue, what: &str) -> Result<Vec<InputFile>, FaultlineError> {
    Ok(named_views(value, what)?
        .into_iter()
        .map(|(name, bytes)| InputFile::new(name, bytes.to_vec()))
        .collect())
}
