//! Time windows for remote maintenance: `"Mon-Fri 09:00-17:00 Asia/Tokyo"`.

use std::fmt;

use super::Invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub const ALL: [Weekday; 7] =
        [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];

    pub fn as_str(self) -> &'static str {
        match self {
            Weekday::Mon => "Mon",
            Weekday::Tue => "Tue",
            Weekday::Wed => "Wed",
            Weekday::Thu => "Thu",
            Weekday::Fri => "Fri",
            Weekday::Sat => "Sat",
            Weekday::Sun => "Sun",
        }
    }

    /// 0 = Monday … 6 = Sunday.
    pub fn index(self) -> u8 {
        self as u8
    }

    fn parse(text: &str) -> Option<Weekday> {
        Weekday::ALL.into_iter().find(|d| d.as_str().eq_ignore_ascii_case(text))
    }
}

/// When connections may be opened: on `days`, from `start` to `end`
/// (minutes after midnight, local time in `zone`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeWindow {
    pub days: Vec<Weekday>,
    pub start: u16,
    pub end: u16,
    /// An IANA time zone name (`Asia/Tokyo`) or `UTC`.
    pub zone: String,
}

const HELP: &str = "write a window as \"Mon-Fri 09:00-17:00 Asia/Tokyo\": days (a range or a comma list of Mon..Sun), a 24-hour time range, and an IANA time zone or UTC";

impl TimeWindow {
    pub fn parse(text: &str) -> Result<TimeWindow, Invalid> {
        let parts: Vec<&str> = text.split_whitespace().collect();
        let [days, times, zone] = parts.as_slice() else {
            return Err(Invalid::new(format!("`{text}` is not a time window"), HELP));
        };
        let days = parse_days(days)?;
        let (start, end) =
            times.split_once('-').ok_or_else(|| Invalid::new(format!("`{times}` is not a time range"), HELP))?;
        let (start, end) = (parse_time(start)?, parse_time(end)?);
        if start >= end {
            return Err(Invalid::new(
                format!("the time range `{times}` is empty or crosses midnight"),
                "write windows that cross midnight as two conduits' windows, or use an end after the start on the same day",
            ));
        }
        if !valid_zone(zone) {
            let near = crate::suggest::did_you_mean(zone, chrono_tz::TZ_VARIANTS.iter().map(|t| t.name()));
            let help = match near {
                Some(s) => format!("did you mean `{s}`? {HELP}"),
                None => HELP.to_string(),
            };
            return Err(Invalid::new(format!("`{zone}` is not a time zone in the IANA database"), help));
        }
        Ok(TimeWindow { days, start, end, zone: zone.to_string() })
    }
}

fn parse_days(text: &str) -> Result<Vec<Weekday>, Invalid> {
    let mut days = Vec::new();
    for part in text.split(',') {
        let bad = || Invalid::new(format!("`{part}` is not a day or day range"), HELP);
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (Weekday::parse(a).ok_or_else(bad)?, Weekday::parse(b).ok_or_else(bad)?);
                if a > b {
                    return Err(Invalid::new(format!("the day range `{part}` runs backwards"), HELP));
                }
                days.extend(Weekday::ALL.into_iter().filter(|d| *d >= a && *d <= b));
            }
            None => days.push(Weekday::parse(part).ok_or_else(bad)?),
        }
    }
    days.sort();
    days.dedup();
    Ok(days)
}

fn parse_time(text: &str) -> Result<u16, Invalid> {
    let bad = || Invalid::new(format!("`{text}` is not a time of day (HH:MM)"), HELP);
    let (h, m) = text.split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(bad());
    }
    let (h, m) = (h.parse::<u16>().map_err(|_| bad())?, m.parse::<u16>().map_err(|_| bad())?);
    // 24:00 is allowed as the end of the day.
    if m > 59 || h > 24 || (h == 24 && m != 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// A name from the IANA time zone database (`Asia/Tokyo`), or `UTC`.
fn valid_zone(zone: &str) -> bool {
    zone.parse::<chrono_tz::Tz>().is_ok()
}

/// A weekly slot in some time zone: on `days`, from `start` to `end`
/// minutes after midnight (`end` ≤ 1440, `start` < `end`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slot {
    pub days: Vec<Weekday>,
    pub start: u16,
    pub end: u16,
}

/// Why a window cannot be expressed in another time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftError {
    pub message: String,
}

impl TimeWindow {
    /// The window as weekly slots in the time zone `target` (an IANA name or
    /// `UTC`). A window that crosses midnight in `target` becomes two slots.
    /// Fails when the offset between the two zones is not the same all year
    /// (daylight saving on one side but not the other): a weekly schedule in
    /// `target` could then not keep the window's local hours.
    pub fn slots_in(&self, target: &str) -> Result<Vec<Slot>, ShiftError> {
        let offset = offset_minutes(&self.zone, target)?;
        let week = 7 * 1440;
        let mut minutes: Vec<(u8, u16, u16)> = Vec::new();
        for day in &self.days {
            let base = i32::from(day.index()) * 1440;
            let start = (base + i32::from(self.start) + offset).rem_euclid(week);
            let length = i32::from(self.end) - i32::from(self.start);
            let mut from = start;
            let mut left = length;
            while left > 0 {
                let day_index = from / 1440;
                let at = from % 1440;
                let take = left.min(1440 - at);
                let (Ok(d), Ok(s), Ok(e)) = (u8::try_from(day_index), u16::try_from(at), u16::try_from(at + take))
                else {
                    break;
                };
                minutes.push((d, s, e));
                left -= take;
                from = (from + take).rem_euclid(week);
            }
        }
        // Days that share the same hours become one slot.
        let mut slots: Vec<Slot> = Vec::new();
        minutes.sort_by_key(|&(d, s, e)| (s, e, d));
        for (d, s, e) in minutes {
            let Some(day) = Weekday::ALL.get(usize::from(d)).copied() else { continue };
            match slots.iter_mut().find(|slot| slot.start == s && slot.end == e) {
                Some(slot) => {
                    if !slot.days.contains(&day) {
                        slot.days.push(day);
                        slot.days.sort();
                    }
                }
                None => slots.push(Slot { days: vec![day], start: s, end: e }),
            }
        }
        slots.sort_by(|a, b| (a.days.first(), a.start).cmp(&(b.days.first(), b.start)));
        Ok(slots)
    }
}

/// Minutes to add to a local time in `from` to get the same instant in `to`,
/// if that is the same all year. Remembered per pair of zones: a plant has
/// few zones and many windows.
fn offset_minutes(from: &str, to: &str) -> Result<i32, ShiftError> {
    type Cache = std::sync::Mutex<std::collections::BTreeMap<(String, String), Result<i32, ShiftError>>>;
    static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (from.to_string(), to.to_string());
    if let Some(known) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return known;
    }
    let answer = compute_offset(from, to);
    if let Ok(mut c) = cache.lock() {
        c.insert(key, answer.clone());
    }
    answer
}

fn compute_offset(from: &str, to: &str) -> Result<i32, ShiftError> {
    use chrono::{Offset, TimeZone};
    let parse = |name: &str| {
        name.parse::<chrono_tz::Tz>()
            .map_err(|_| ShiftError { message: format!("`{name}` is not a time zone in the IANA database") })
    };
    let (a, b) = (parse(from)?, parse(to)?);
    // Every hour of two fixed years, so that transitions a few days or
    // hours apart are seen, and the answer does not depend on today.
    let Some(start) = chrono::Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).single() else {
        return Err(ShiftError { message: "internal error: no reference date".into() });
    };
    let mut offsets = (0..2 * 365 * 24i64).map(|hour| {
        let instant = (start + chrono::Duration::hours(hour)).naive_utc();
        let a = a.offset_from_utc_datetime(&instant).fix().local_minus_utc();
        let b = b.offset_from_utc_datetime(&instant).fix().local_minus_utc();
        (b - a) / 60
    });
    let first = offsets.next().unwrap_or(0);
    if offsets.all(|o| o == first) {
        Ok(first)
    } else {
        Err(ShiftError {
            message: format!(
                "the offset between {from} and {to} changes during the year (daylight saving), so a weekly schedule in {to} cannot keep the window's hours"
            ),
        })
    }
}

impl fmt::Display for TimeWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days: Vec<&str> = self.days.iter().map(|d| d.as_str()).collect();
        write!(
            f,
            "{} {:02}:{:02}-{:02}:{:02} {}",
            days.join(","),
            self.start / 60,
            self.start % 60,
            self.end / 60,
            self.end % 60,
            self.zone
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows() {
        let w = TimeWindow::parse("Mon-Fri 09:00-17:00 Asia/Tokyo").unwrap();
        assert_eq!(w.days.len(), 5);
        assert_eq!((w.start, w.end), (540, 1020));
        assert_eq!(w.to_string(), "Mon,Tue,Wed,Thu,Fri 09:00-17:00 Asia/Tokyo");
        assert!(TimeWindow::parse("Sat,Sun 00:00-24:00 UTC").is_ok());
        for bad in [
            "Mon-Fri 9-17 Asia/Tokyo",
            "Fri-Mon 09:00-17:00 UTC",
            "Mon 17:00-09:00 UTC",
            "Mon 09:00-17:00 tokyo",
            "Mon 09:00-17:60 UTC",
            "Funday 09:00-17:00 UTC",
            "always",
        ] {
            assert!(TimeWindow::parse(bad).is_err(), "{bad}");
        }
        assert!(TimeWindow::parse("Mon 09:00-17:00 Asia/Tokio").is_err(), "checked against the tz database");
    }

    #[test]
    fn slots_in_another_zone() {
        let w = TimeWindow::parse("Mon-Fri 09:00-18:00 Asia/Tokyo").unwrap();
        let utc = w.slots_in("UTC").unwrap();
        assert_eq!(
            utc,
            [Slot {
                days: vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri],
                start: 0,
                end: 540
            }]
        );
        // 07:00 in Tokyo is 22:00 UTC the day before: the window splits.
        let w = TimeWindow::parse("Mon-Sat 07:00-22:00 Asia/Tokyo").unwrap();
        let utc = w.slots_in("UTC").unwrap();
        assert_eq!(utc.len(), 2, "{utc:?}");
        assert_eq!(utc[0].days.first(), Some(&Weekday::Mon));
        assert!(utc.iter().any(|s| s.days.contains(&Weekday::Sun) && (s.start, s.end) == (1320, 1440)));
        assert!(utc.iter().any(|s| s.days.len() == 6 && (s.start, s.end) == (0, 780)));
        assert_eq!(w.slots_in("Asia/Tokyo").unwrap(), [Slot { days: w.days.clone(), start: 420, end: 1320 }]);
        assert!(TimeWindow::parse("Mon 09:00-17:00 Europe/Berlin").unwrap().slots_in("UTC").is_err(), "DST");
        // Sydney and Auckland both keep daylight saving, but change a week
        // apart: for that week they are three hours apart, not two.
        let sydney = TimeWindow::parse("Mon 11:00-19:00 Australia/Sydney").unwrap();
        assert!(sydney.slots_in("Pacific/Auckland").is_err());
        assert!(sydney.slots_in("Australia/Melbourne").is_ok(), "the same rules: a constant offset");
    }
}
