//! The whole `kojo check`, rendered in every format, on a project in one
//! input (`kojo_fuzz::check`).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kojo_fuzz::check::run(data));
