//! Proof of review: Appendix E levels 4 ("reviewed periodically") and 5
//! ("reviewed continuously, as needed") stand only where the git history of
//! an attestation's evidence shows a change within the profile's review
//! period. Otherwise the level is capped and the assessment says why.

use kojo_stdlib::ReviewPeriods;

use super::message::{key, Arg, Message};
use crate::source::{Change, Versioning};
use crate::types::Date;

/// What the history says of one evidence file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReview {
    /// The path from the project root, normalised.
    pub path: String,
    /// Its last change, where the history shows one.
    pub change: Option<Change>,
    /// Days from that change to the assessment date.
    pub age_days: Option<i64>,
}

/// The accepted level for an attestation at `declared`, the review record
/// of each file, and notes on why a level was capped.
pub fn review(
    declared: u8,
    files: &[String],
    versioning: &Versioning,
    asked: &[String],
    periods: &ReviewPeriods,
    now: Date,
) -> (u8, Vec<FileReview>, Vec<Message>) {
    let records: Vec<FileReview> = files
        .iter()
        .map(|path| {
            let change = match versioning {
                Versioning::Git { changes, .. } => {
                    asked.iter().position(|p| p == path).and_then(|i| changes.get(i)).cloned().flatten()
                }
                _ => None,
            };
            let age_days = change.as_ref().map(|c| c.date.days_until(now));
            FileReview { path: path.clone(), change, age_days }
        })
        .collect();
    if declared < 4 {
        return (declared, records, Vec::new());
    }
    let mut notes = Vec::new();
    let cap = |notes: &mut Vec<Message>, why: Message| {
        notes.push(why);
        notes.push(Message::new(key::REVIEW_CAPPED).count("declared", usize::from(declared)).count("level", 3));
    };
    match versioning {
        Versioning::NotVersioned => {
            cap(&mut notes, Message::new(key::REVIEW_NOT_GIT));
            return (3, records, notes);
        }
        Versioning::Unreadable(problem) => {
            cap(&mut notes, Message::new(key::REVIEW_UNREADABLE).arg("problem", Arg::Text(problem.clone())));
            return (3, records, notes);
        }
        Versioning::Git { .. } => {}
    }
    if records.is_empty() {
        cap(&mut notes, Message::new(key::REVIEW_NO_FILE));
        return (3, records, notes);
    }
    // The most recent change that counts, over every evidence file.
    let mut latest: Option<(&FileReview, i64)> = None;
    for record in &records {
        match (&record.change, record.age_days) {
            (None, _) => notes
                .push(Message::new(key::REVIEW_NEVER_COMMITTED).name("path", &record.path).arg("date", Arg::Date(now))),
            (Some(change), _) if change.at_shallow_boundary => {
                notes.push(Message::new(key::REVIEW_SHALLOW).name("path", &record.path))
            }
            (Some(change), _) if change.created => notes.push(
                Message::new(key::REVIEW_CREATED_ONLY).name("path", &record.path).arg("date", Arg::Date(change.date)),
            ),
            (Some(_), Some(age)) if latest.is_none_or(|(_, best)| age < best) => latest = Some((record, age)),
            _ => {}
        }
    }
    let proves = |level: u8| {
        latest.is_some_and(|(_, age)| periods.days_for(level).is_some_and(|days| (0..=i64::from(days)).contains(&age)))
    };
    let accepted = (4..=declared).rev().find(|&l| proves(l)).unwrap_or(3);
    if let Some((record, age)) = latest {
        let Some(change) = &record.change else { return (accepted, records, notes) };
        let base = |k| {
            Message::new(k)
                .name("path", &record.path)
                .arg("date", Arg::Date(change.date))
                .name("commit", super::short_commit(change))
                .count("age", usize::try_from(age.max(0)).unwrap_or(0))
        };
        if accepted >= 4 {
            let days = periods.days_for(accepted).unwrap_or_default();
            notes.push(base(key::REVIEW_PROVEN).count("level", usize::from(accepted)).count("days", days as usize));
        }
        if accepted < declared {
            let days = periods.days_for(declared).unwrap_or_default();
            notes.push(base(key::REVIEW_TOO_OLD).count("level", usize::from(declared)).count("days", days as usize));
        }
    }
    if accepted < declared {
        notes.push(
            Message::new(key::REVIEW_CAPPED)
                .count("declared", usize::from(declared))
                .count("level", usize::from(accepted)),
        );
    }
    (accepted, records, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(days_ago: &[Option<i64>], now: Date) -> Versioning {
        let changes = days_ago
            .iter()
            .map(|d| {
                d.map(|d| Change {
                    commit: "0123456789abcdef0123".into(),
                    date: Date::from_unix_days(now.unix_days() - d),
                    summary: String::new(),
                    at_shallow_boundary: false,
                    created: false,
                })
            })
            .collect();
        Versioning::Git { head: Some("x".into()), shallow: false, truncated: false, changes }
    }

    fn level(declared: u8, days_ago: &[Option<i64>], versioning: Option<Versioning>) -> u8 {
        let now = Date::parse("2026-12-06").unwrap();
        let files: Vec<String> = (0..days_ago.len()).map(|i| format!("f{i}.md")).collect();
        let versioning = versioning.unwrap_or_else(|| git(days_ago, now));
        review(declared, &files, &versioning, &files, &ReviewPeriods::default(), now).0
    }

    #[test]
    fn levels_four_and_five_need_a_recent_change() {
        assert_eq!(level(5, &[Some(30)], None), 5);
        assert_eq!(level(5, &[Some(200)], None), 4);
        assert_eq!(level(5, &[Some(400)], None), 3);
        assert_eq!(level(4, &[Some(365)], None), 4);
        assert_eq!(level(4, &[Some(366)], None), 3);
        assert_eq!(level(4, &[None], None), 3);
        // The newest file counts.
        assert_eq!(level(5, &[Some(400), Some(10)], None), 5);
        // A change dated after the assessment proves nothing.
        assert_eq!(level(4, &[Some(-3)], None), 3);
        assert_eq!(level(3, &[None], None), 3);
        assert_eq!(level(2, &[], None), 2);
    }

    #[test]
    fn without_git_or_files_nothing_above_three_is_proved() {
        assert_eq!(level(5, &[Some(1)], Some(Versioning::NotVersioned)), 3);
        assert_eq!(level(4, &[Some(1)], Some(Versioning::Unreadable("x".into()))), 3);
        assert_eq!(level(4, &[], None), 3);
    }

    #[test]
    fn writing_a_document_is_not_reviewing_it() {
        let now = Date::parse("2026-12-06").unwrap();
        let mut versioning = git(&[Some(1)], now);
        if let Versioning::Git { changes, .. } = &mut versioning {
            if let Some(Some(change)) = changes.first_mut() {
                change.created = true;
            }
        }
        assert_eq!(level(5, &[Some(1)], Some(versioning)), 3);
    }

    #[test]
    fn a_shallow_boundary_proves_nothing() {
        let now = Date::parse("2026-12-06").unwrap();
        let mut versioning = git(&[Some(1)], now);
        if let Versioning::Git { changes, .. } = &mut versioning {
            if let Some(Some(change)) = changes.first_mut() {
                change.at_shallow_boundary = true;
            }
        }
        assert_eq!(level(4, &[Some(1)], Some(versioning)), 3);
    }
}
