//! The unsafe part of the boundary, kept small: reading C strings, writing result pointers, and
//! the guard every exported function runs its body in (no panic crosses into C).

#![allow(unsafe_code)]

use std::any::Any;
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::QicStatus;
use crate::core::Failure;

/// Reads a C string argument as UTF-8.
///
/// # Safety
///
/// `ptr` is null or points to a NUL-terminated string that stays valid and unchanged for `'a`.
pub(crate) unsafe fn read_str<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return Err(Failure::argument(format!("{name} is NULL")));
    }
    // SAFETY: `ptr` is not null, and the caller promises a NUL-terminated string valid for 'a.
    let text = unsafe { CStr::from_ptr(ptr) };
    text.to_str().map_err(|e| {
        Failure::argument(format!(
            "{name} is not UTF-8 (at byte {})",
            e.valid_up_to() + 1
        ))
    })
}

/// A Rust string as an owned C string for the caller (freed with `qic_string_free`). A NUL
/// inside the text (which only an input could have put there) is written as `\0`.
pub(crate) fn into_c_string(text: String) -> *mut c_char {
    let text = if text.contains('\0') {
        text.replace('\0', "\\0")
    } else {
        text
    };
    CString::new(text).map_or(std::ptr::null_mut(), CString::into_raw)
}

/// Writes `value` to `*slot` when `slot` is not null.
///
/// # Safety
///
/// `slot` is null or valid for writing one pointer.
unsafe fn put<T>(slot: *mut *mut T, value: *mut T) {
    if !slot.is_null() {
        // SAFETY: `slot` is not null and the caller promises it is valid for a write.
        unsafe { slot.write(value) };
    }
}

/// Runs the body of an exported function that hands back one pointer in `*out` and a message
/// in `*err`: both are set to NULL first; on success `*out` holds the body's result; on failure
/// (or a panic, which is caught here) `*err` holds the message, when `err` is not null.
///
/// # Safety
///
/// `out` and `err` are each null or valid for writing one pointer.
pub(crate) unsafe fn guard<T>(
    out: *mut *mut T,
    err: *mut *mut c_char,
    body: impl FnOnce() -> Result<*mut T, Failure>,
) -> QicStatus {
    // SAFETY: the caller promises both are null or writable.
    unsafe { put(out, std::ptr::null_mut()) };
    // SAFETY: as above.
    unsafe { put(err, std::ptr::null_mut()) };
    let result = if out.is_null() {
        Err(Failure::argument("out is NULL"))
    } else {
        catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|panic| Err(internal(&*panic)))
    };
    match result {
        Ok(value) => {
            // SAFETY: `out` is not null (checked above) and writable (the caller's promise).
            unsafe { put(out, value) };
            QicStatus::Ok
        }
        Err(failure) => {
            // SAFETY: the caller promises `err` is null or writable.
            unsafe { put(err, into_c_string(failure.message)) };
            failure.status
        }
    }
}

/// Runs a function that returns nothing, catching a panic.
pub(crate) fn guard_unit(body: impl FnOnce()) {
    // A panic while freeing is a bug in qic; it must not unwind into C, and there is no
    // channel to report it on.
    let _ = catch_unwind(AssertUnwindSafe(body));
}

/// The failure a caught panic becomes.
fn internal(panic: &(dyn Any + Send)) -> Failure {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    Failure {
        status: QicStatus::InternalError,
        message: format!("internal error in qic (please report it): {what}"),
    }
}

/// Takes back a string handed out by [`into_c_string`].
///
/// # Safety
///
/// `ptr` is null or came from [`into_c_string`], was not freed before and was not modified.
pub(crate) unsafe fn free_c_string(ptr: *mut c_char) {
    if !ptr.is_null() {
        // SAFETY: the caller promises `ptr` came from `CString::into_raw` and is freed once.
        drop(unsafe { CString::from_raw(ptr) });
    }
}

/// Takes back a box handed out with `Box::into_raw`.
///
/// # Safety
///
/// `ptr` is null or came from `Box::<T>::into_raw`, was not freed before, and no other thread
/// uses it.
pub(crate) unsafe fn free_box<T>(ptr: *mut T) {
    if !ptr.is_null() {
        // SAFETY: the caller promises `ptr` came from `Box::into_raw` and is freed once.
        drop(unsafe { Box::from_raw(ptr) });
    }
}

/// Borrows the value behind a handle.
///
/// # Safety
///
/// `ptr` is null or came from `Box::<T>::into_raw` and is not freed while the borrow lasts.
pub(crate) unsafe fn borrow<'a, T>(ptr: *const T, name: &str) -> Result<&'a T, Failure> {
    // SAFETY: the caller promises a live handle or null; `as_ref` checks for null.
    unsafe { ptr.as_ref() }.ok_or_else(|| Failure::argument(format!("{name} is NULL")))
}
