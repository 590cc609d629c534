//! Calendar dates (`YYYY-MM-DD`), as used for waiver expiry.

use std::fmt;

use super::Invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn parse(text: &str) -> Result<Date, Invalid> {
        let help = "write dates as YYYY-MM-DD, e.g. `2027-03-31`";
        let mut parts = text.split('-');
        let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(Invalid::new(format!("`{text}` is not a date"), help));
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(Invalid::new(format!("`{text}` is not a date in YYYY-MM-DD form"), help));
        }
        let (Ok(year), Ok(month), Ok(day)) = (y.parse::<u16>(), m.parse::<u8>(), d.parse::<u8>()) else {
            return Err(Invalid::new(format!("`{text}` is not a date"), help));
        };
        if !(1..=12).contains(&month) {
            return Err(Invalid::new(format!("`{text}` has no month {month}"), help));
        }
        let days = days_in_month(year, month);
        if !(1..=days).contains(&day) {
            return Err(Invalid::new(
                format!("`{text}` is not a real date: month {month} of {year} has {days} days"),
                help,
            ));
        }
        Ok(Date { year, month, day })
    }
}

impl Date {
    /// The date `days` days after 1970-01-01 (Howard Hinnant's civil-from-days).
    pub fn from_unix_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: u16::try_from(year).unwrap_or(u16::MAX),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }
}

impl Date {
    /// Days since 1970-01-01 (Howard Hinnant's days-from-civil), the inverse
    /// of [`Date::from_unix_days`].
    pub fn unix_days(self) -> i64 {
        let (month, day) = (i64::from(self.month), i64::from(self.day));
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let yoe = year.rem_euclid(400);
        let mp = if month > 2 { month - 3 } else { month + 9 };
        let doy = (153 * mp + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Whole days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.unix_days() - self.unix_days()
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_unix_days() {
        assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_days(11_016).to_string(), "2000-02-29");
        assert_eq!(Date::from_unix_days(20_543).to_string(), "2026-03-31");
    }

    #[test]
    fn unix_days_round_trip() {
        for days in [-1, 0, 59, 60, 11_016, 20_543, 30_000, 2_000_000] {
            assert_eq!(Date::from_unix_days(days).unix_days(), days, "{days}");
        }
        let a = Date::parse("2026-01-01").unwrap();
        assert_eq!(a.days_until(Date::parse("2026-12-31").unwrap()), 364);
        assert_eq!(a.days_until(Date::parse("2025-12-31").unwrap()), -1);
    }

    #[test]
    fn dates() {
        assert_eq!(Date::parse("2027-03-31").unwrap().to_string(), "2027-03-31");
        assert!(Date::parse("2028-02-29").is_ok());
        for bad in ["2027-02-29", "2027-13-01", "2027-04-31", "27-1-1", "2027-00-10", "2027-01-01-01"] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
    }
}
