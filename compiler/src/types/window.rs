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
            return Err(Invalid::new(format!("`{zone}` is not a time zone name"), HELP));
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

/// IANA names are `Area/Location[/More]` of letters, digits and `_+-`.
fn valid_zone(zone: &str) -> bool {
    if zone == "UTC" {
        return true;
    }
    let parts: Vec<&str> = zone.split('/').collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            p.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && p.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '-'))
        })
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
    }
}
