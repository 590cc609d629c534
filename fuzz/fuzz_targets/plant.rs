//! `kojo check` and `kojo build` on generated plants that must compile and
//! build (`kojo_fuzz::plant::check_and_build`).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let plant = kojo_fuzz::plant::generate(data);
    if let Err(problem) = kojo_fuzz::plant::check_and_build(&plant) {
        panic!("{problem}\n{}", plant.text());
    }
});
