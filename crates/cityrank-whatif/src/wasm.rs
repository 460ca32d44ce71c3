//! The WebAssembly interface: plain `extern "C"` functions over linear memory, so the pages need
//! no generated glue. JSON in, JSON out:
//!
//! 1. `cr_alloc(n)` reserves `n` bytes; the page writes the state's JSON there;
//! 2. `cr_load(ptr, n)` reads it (0 on success);
//! 3. `cr_run(ptr, n)` runs a [`Request`] written the same way (0 on success);
//! 4. `cr_out_ptr()` / `cr_out_len()` locate the answer: the [`crate::Outcome`] or the error
//!    message, both as JSON.
//!
//! Memory passed to `cr_load` and `cr_run` is taken back by them.

use crate::{Engine, Request, State};
use std::cell::RefCell;

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
    static OUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

#[no_mangle]
pub extern "C" fn cr_alloc(len: usize) -> *mut u8 {
    let mut v = Vec::<u8>::with_capacity(len);
    let p = v.as_mut_ptr();
    std::mem::forget(v);
    p
}

/// Takes back `len` bytes from `cr_alloc`.
///
/// # Safety
/// `ptr` and `len` must come from one `cr_alloc` call, with all `len` bytes written.
unsafe fn take(ptr: *mut u8, len: usize) -> Vec<u8> {
    Vec::from_raw_parts(ptr, len, len)
}

fn answer(r: Result<String, String>) -> u32 {
    let (code, text) = match r {
        Ok(s) => (0, s),
        Err(e) => (1, serde_json::to_string(&e).unwrap_or_default()),
    };
    OUT.with(|o| *o.borrow_mut() = text.into_bytes());
    code
}

/// # Safety
/// See [`take`].
#[no_mangle]
pub unsafe extern "C" fn cr_load(ptr: *mut u8, len: usize) -> u32 {
    let bytes = take(ptr, len);
    answer((|| {
        let state: State = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        let engine = Engine::new(state)?;
        ENGINE.with(|e| *e.borrow_mut() = Some(engine));
        Ok("null".into())
    })())
}

/// # Safety
/// See [`take`].
#[no_mangle]
pub unsafe extern "C" fn cr_run(ptr: *mut u8, len: usize) -> u32 {
    let bytes = take(ptr, len);
    answer(ENGINE.with(|e| {
        let e = e.borrow();
        let engine = e.as_ref().ok_or("what-if state not loaded")?;
        let req: Request = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        let out = engine.run(&req)?;
        serde_json::to_string(&out).map_err(|e| e.to_string())
    }))
}

#[no_mangle]
pub extern "C" fn cr_out_ptr() -> *const u8 {
    OUT.with(|o| o.borrow().as_ptr())
}

#[no_mangle]
pub extern "C" fn cr_out_len() -> usize {
    OUT.with(|o| o.borrow().len())
}
