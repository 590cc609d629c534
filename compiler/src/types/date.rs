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
    fn dates() {
        assert_eq!(Date::parse("2027-03-31").unwrap().to_string(), "2027-03-31");
        assert!(Date::parse("2028-02-29").is_ok());
        for bad in ["2027-02-29", "2027-13-01", "2027-04-31", "27-1-1", "2027-00-10", "2027-01-01-01"] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
    }
}
