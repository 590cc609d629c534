//! Value types written in source and their validation: addresses, subnets,
//! VLANs, ports, dates and time windows.
//!
//! Each parser returns a [`Invalid`] with a message and a fix hint; the
//! resolver turns it into a diagnostic at the value's span.

mod address;
mod date;
mod port;
mod window;

pub use address::{parse_address, parse_subnet, parse_vlan};
pub use date::Date;
pub use port::{PortRange, Transport};
pub use window::{ShiftError, Slot, TimeWindow, Weekday};

/// Why a value is invalid, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub message: String,
    pub help: String,
}

impl Invalid {
    pub(crate) fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
        Invalid { message: message.into(), help: help.into() }
    }
}
