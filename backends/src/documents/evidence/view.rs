//! The checklist evidence in one language: plain data for the templates.

use kojo_compiler::evidence::{ItemAssessment, Repository};
use kojo_stdlib::{ChecklistItem, Scope};
use serde::Serialize;

use super::Request;
use crate::documents::text::{Words, WordsError};

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceView {
    pub lang: &'static str,
    pub project: String,
    pub plant_code: String,
    pub plant_name: Option<String>,
    /// The assessment date, `YYYY-MM-DD`.
    pub date: String,
    pub profile: String,
    pub profile_label: String,
    pub kojo_version: &'static str,
    /// Where proof of review comes from, in a sentence.
    pub repository: String,
    pub periodic_days: u32,
    pub continuous_days: u32,
    /// Levels 1–5 with how many items are at each.
    pub levels: Vec<LevelView>,
    pub not_applicable: usize,
    pub total: usize,
    pub categories: Vec<CategoryView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LevelView {
    pub level: u8,
    pub label: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryView {
    pub id: String,
    pub label: String,
    pub items: Vec<ItemView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    pub id: String,
    /// `3-5`, as the guideline numbers it.
    pub number: String,
    pub text: String,
    /// The text's first words, for the summary table.
    pub summary: String,
    pub refs: Vec<String>,
    pub note: Option<String>,
    pub level: Option<u8>,
    pub level_label: String,
    pub basis: &'static str,
    pub basis_label: String,
    pub model: Option<ModelView>,
    /// The first findings (an item lists
    /// [`kojo_compiler::evidence::findings::LISTED`]).
    pub findings: Vec<FindingView>,
    /// How many findings the item's rules have, listed or not.
    pub findings_total: usize,
    /// What is not listed, in words; none when all are.
    pub findings_more: Option<String>,
    pub attestation: Option<AttestationView>,
    pub notes: Vec<String>,
    pub raise: Vec<String>,
    pub hint: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModelView {
    pub level: u8,
    pub scope: &'static str,
    pub scope_label: String,
    pub supports: Vec<String>,
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    pub rule: String,
    pub rule_label: String,
    pub entity: String,
    pub at: String,
    pub waived: bool,
    pub reason: Option<String>,
    pub until: Option<String>,
    pub waiver_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttestationView {
    pub declared: u8,
    pub accepted: u8,
    pub owner: Option<String>,
    pub at: String,
    pub files: Vec<FileView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileView {
    pub path: String,
    pub commit: Option<String>,
    pub date: Option<String>,
    pub age_days: Option<i64>,
}

pub fn build(request: &Request<'_>, words: &Words<'_>) -> Result<EvidenceView, WordsError> {
    let assessment = request.assessment;
    let model = request.model;
    let mut categories: Vec<CategoryView> = Vec::new();
    for (item, assessed) in request.catalogue.checklist_items().zip(&assessment.items) {
        let view = item_view(words, item, assessed)?;
        match categories.iter_mut().find(|c| c.id == item.category) {
            Some(category) => category.items.push(view),
            None => categories.push(CategoryView {
                id: item.category.clone(),
                label: request
                    .catalogue
                    .checklist_category(&item.category)
                    .map_or_else(|| item.category.clone(), |c| words.label(&c.label).to_string()),
                items: vec![view],
            }),
        }
    }
    let levels = request
        .catalogue
        .checklist_levels()
        .iter()
        .map(|l| LevelView {
            level: l.level,
            label: words.label(&l.label).to_string(),
            count: assessment.items.iter().filter(|i| i.level == Some(l.level)).count(),
        })
        .collect();
    let repository = match &assessment.repository {
        Repository::NotVersioned => words.plain("evidence.doc.repository-none")?,
        Repository::Git { head: None, .. } => words.plain("evidence.doc.repository-empty")?,
        Repository::Git { head: Some(head), shallow, truncated } => {
            let short = head.get(..12).unwrap_or(head);
            let key = if *shallow { "evidence.doc.repository-shallow" } else { "evidence.doc.repository-git" };
            let mut text = words.text(key, &[("commit", short)])?;
            if *truncated {
                let commits = kojo_compiler::source::history::MAX_COMMITS.to_string();
                text.push(' ');
                text.push_str(&words.text("evidence.doc.repository-truncated", &[("commits", &commits)])?);
            }
            text
        }
        Repository::Unreadable(problem) => words.text("evidence.doc.repository-unreadable", &[("problem", problem)])?,
    };
    Ok(EvidenceView {
        lang: words.lang.code(),
        project: model.project.clone(),
        plant_code: model.plant.code.clone(),
        plant_name: model.plant.name.clone(),
        date: assessment.now.to_string(),
        profile: request.profile.id.clone(),
        profile_label: words.label(&request.profile.label).to_string(),
        kojo_version: env!("CARGO_PKG_VERSION"),
        repository,
        periodic_days: assessment.review.periodic_days,
        continuous_days: assessment.review.continuous_days,
        levels,
        not_applicable: assessment.items.iter().filter(|i| i.level.is_none()).count(),
        total: assessment.items.len(),
        categories,
    })
}

fn item_view(words: &Words<'_>, item: &ChecklistItem, assessed: &ItemAssessment) -> Result<ItemView, WordsError> {
    let level_label = match assessed.level {
        Some(level) => words
            .catalogue
            .checklist_levels()
            .iter()
            .find(|l| l.level == level)
            .map_or_else(|| level.to_string(), |l| words.label(&l.label).to_string()),
        None => words.plain("evidence.basis.not-applicable")?,
    };
    let basis = assessed.basis.id();
    let model = match &assessed.derived {
        Some(d) => {
            let scope = match d.scope {
                Scope::Full => "full",
                Scope::Part => "part",
            };
            Some(ModelView {
                level: d.level,
                scope,
                scope_label: words.plain(&format!("evidence.scope.{scope}"))?,
                supports: words.messages(&d.supports)?,
                missing: words.messages(&d.missing)?,
            })
        }
        None => None,
    };
    let findings_more = match assessed.findings.unlisted() {
        0 => None,
        n => Some(words.text("evidence.doc.findings-more", &[("count", &n.to_string())])?),
    };
    let findings = assessed
        .findings
        .listed
        .iter()
        .map(|f| FindingView {
            rule: f.rule.clone(),
            rule_label: words.rule(&f.rule),
            entity: f.entity.clone(),
            at: f.at.clone(),
            waived: f.waiver.is_some(),
            reason: f.waiver.as_ref().map(|w| w.reason.clone()),
            until: f.waiver.as_ref().map(|w| w.until.to_string()),
            waiver_at: f.waiver.as_ref().map(|w| w.at.clone()),
        })
        .collect();
    let attestation = assessed.attestation.as_ref().map(|a| AttestationView {
        declared: a.declared,
        accepted: a.accepted,
        owner: a.owner.clone(),
        at: a.at.clone(),
        files: a
            .files
            .iter()
            .map(|f| FileView {
                path: f.path.clone(),
                commit: f.change.as_ref().map(|c| kojo_compiler::evidence::short_commit(c).to_string()),
                date: f.change.as_ref().map(|c| c.date.to_string()),
                age_days: f.age_days,
            })
            .collect(),
    });
    Ok(ItemView {
        id: item.id.clone(),
        number: item.id.trim_start_matches("E-").to_string(),
        text: words.label(&item.text).to_string(),
        summary: summary(words.label(&item.text)),
        refs: item.refs.clone(),
        note: item.note.as_ref().map(|n| words.label(n).to_string()),
        level: assessed.level,
        level_label,
        basis,
        basis_label: words.plain(&format!("evidence.basis.{basis}"))?,
        model,
        findings,
        findings_total: assessed.findings.total,
        findings_more,
        attestation,
        notes: words.messages(&assessed.notes)?,
        raise: words.messages(&assessed.raise)?,
        hint: words.label(&item.hint).to_string(),
    })
}

/// About the first 60 characters of an item's text, cut after a word (or a
/// Japanese clause mark), for the summary table.
fn summary(text: &str) -> String {
    const LIMIT: usize = 60;
    if text.chars().count() <= LIMIT {
        return text.to_string();
    }
    let head: String = text.chars().take(LIMIT).collect();
    let cut = head.rfind([' ', '、', '，', ',']).filter(|&i| i > LIMIT / 2).unwrap_or(head.len());
    format!("{}…", head.get(..cut).unwrap_or(&head).trim_end_matches([' ', '、', ',']))
}
