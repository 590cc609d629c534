//! Reads nft's text: `nft list ruleset` output (with or without `-a`
//! handles) and files for `nft -f` such as kojo's own `nftables.nft`. It
//! owns the tokens and the structure (tables, sets, maps, chains, where each
//! rule starts and ends); what a rule's words mean is [`super::nft_rule`]'s.
//!
//! Only what a listing holds is read: `table` blocks, and the `delete
//! table` / `flush ruleset` commands a loadable file starts with. Anything
//! else at the top (`define`, `include`, `add rule`) is an error: the file
//! would not be what a device holds.

use std::collections::BTreeMap;

use super::nft_rule;
use super::ruleset::{Hook, Place, Policy, Rule, Ruleset, SourceFormat, Table, TableFamily};
use super::ParseError;

/// One token of nft's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok {
    Word(String),
    Str(String),
    Open,
    Close,
    Comma,
    Semi,
    Newline,
    /// `# handle N`, as `nft -a` writes after a rule.
    Handle(u64),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    line: usize,
}

/// Splits `text` into tokens, comments dropped (except handles).
fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let tok = match c {
            '\n' => {
                tokens.push(Token { tok: Tok::Newline, line });
                line += 1;
                continue;
            }
            c if c.is_whitespace() => continue,
            '#' => {
                let mut comment = String::new();
                while let Some(&c) = chars.peek().filter(|c| **c != '\n') {
                    comment.push(c);
                    chars.next();
                }
                match comment.trim().strip_prefix("handle ").and_then(|h| h.trim().parse().ok()) {
                    Some(handle) => Tok::Handle(handle),
                    None => continue,
                }
            }
            '"' => {
                let mut s = String::new();
                // A range of quoted words (`meta hour "00:00"-"08:59:59"`) is one token.
                loop {
                    while let Some(c) = chars.next_if(|c| *c != '\n') {
                        match c {
                            '"' => break,
                            '\\' => s.extend(chars.next_if(|c| *c != '\n')),
                            c => s.push(c),
                        }
                    }
                    if chars.peek() != Some(&'-') {
                        break;
                    }
                    s.push('-');
                    chars.next();
                    if chars.next_if_eq(&'"').is_none() {
                        while let Some(c) =
                            chars.next_if(|c| !c.is_whitespace() && !matches!(c, '{' | '}' | ',' | ';' | '"' | '#'))
                        {
                            s.push(c);
                        }
                        break;
                    }
                }
                Tok::Str(s)
            }
            '{' => Tok::Open,
            '}' => Tok::Close,
            ',' => Tok::Comma,
            ';' => Tok::Semi,
            c => {
                let mut word = String::from(c);
                while let Some(c) =
                    chars.next_if(|c| !c.is_whitespace() && !matches!(c, '{' | '}' | ',' | ';' | '"' | '#'))
                {
                    word.push(c);
                }
                Tok::Word(word)
            }
        };
        tokens.push(Token { tok, line });
    }
    tokens
}

/// The tables by family and name: their index.
fn reindex(tables: &[Table]) -> BTreeMap<(TableFamily, String), usize> {
    tables.iter().enumerate().map(|(i, t)| ((t.family, t.name.clone()), i)).collect()
}

/// Reads a listing or a file for `nft -f`.
pub fn parse(text: &str) -> Result<Ruleset, ParseError> {
    let tokens = tokenize(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut p = Parser { tokens: &tokens, pos: 0, lines, seq: 0 };
    let mut tables: Vec<Table> = Vec::new();
    // The tables by family and name: their index in `tables`.
    let mut index: BTreeMap<(TableFamily, String), usize> = BTreeMap::new();
    loop {
        p.skip_separators();
        let Some(token) = p.peek() else { break };
        let line = token.line;
        match &token.tok {
            Tok::Word(w) if w == "table" => {
                p.pos += 1;
                p.table(&mut tables, &mut index)?;
            }
            Tok::Word(w) if w == "delete" || w == "destroy" => {
                p.pos += 1;
                let (family, name) = p.command_table(line, "delete")?;
                tables.retain(|t| !(t.family == family && t.name == name));
                index = reindex(&tables);
            }
            Tok::Word(w) if w == "flush" => {
                p.pos += 1;
                p.flush(&mut tables, line)?;
                index = reindex(&tables);
            }
            other => {
                return Err(ParseError::at(
                    line,
                    format!("expected `table`, found {}: kojo reads `nft list ruleset` output", describe(other)),
                ))
            }
        }
    }
    Ok(Ruleset { format: SourceFormat::NftText, tables })
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Word(w) => format!("`{}`", super::ruleset::one_line(w, 40)),
        Tok::Str(_) => "a string".into(),
        Tok::Open => "`{`".into(),
        Tok::Close => "`}`".into(),
        Tok::Comma => "`,`".into(),
        Tok::Semi => "`;`".into(),
        Tok::Newline => "the end of the line".into(),
        Tok::Handle(_) => "a handle".into(),
    }
}

struct Parser<'a> {
    tokens: &'a [Token],
    pos: usize,
    lines: Vec<&'a str>,
    seq: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a Token> {
        self.tokens.get(self.pos)
    }

    fn peek_tok(&self) -> Option<&'a Tok> {
        self.peek().map(|t| &t.tok)
    }

    fn line(&self) -> usize {
        self.peek().or_else(|| self.tokens.last()).map_or(1, |t| t.line)
    }

    fn skip_separators(&mut self) {
        while matches!(self.peek_tok(), Some(Tok::Newline | Tok::Semi | Tok::Handle(_))) {
            self.pos += 1;
        }
    }

    fn word(&mut self, what: &str) -> Result<String, ParseError> {
        match self.peek_tok() {
            Some(Tok::Word(w) | Tok::Str(w)) => {
                self.pos += 1;
                Ok(w.clone())
            }
            Some(other) => Err(ParseError::at(self.line(), format!("expected {what}, found {}", describe(other)))),
            None => Err(ParseError::at(self.line(), format!("expected {what}, found the end of the file"))),
        }
    }

    fn expect_open(&mut self) -> Result<(), ParseError> {
        match self.peek_tok() {
            Some(Tok::Open) => {
                self.pos += 1;
                Ok(())
            }
            Some(other) => Err(ParseError::at(self.line(), format!("expected `{{`, found {}", describe(other)))),
            None => Err(ParseError::at(self.line(), "expected `{`, found the end of the file")),
        }
    }

    /// `[FAMILY] NAME` (the family defaults to `ip`).
    fn table_name(&mut self) -> Result<(TableFamily, String), ParseError> {
        let first = self.word("a table name")?;
        match (TableFamily::parse(&first), self.peek_tok()) {
            (Some(family), Some(Tok::Word(_) | Tok::Str(_))) => Ok((family, self.word("a table name")?)),
            _ => Ok((TableFamily::Ip, first)),
        }
    }

    /// `table` after `delete` or `flush`, then the table's name.
    fn command_table(&mut self, line: usize, command: &str) -> Result<(TableFamily, String), ParseError> {
        match self.peek_tok() {
            Some(Tok::Word(w)) if w == "table" => {
                self.pos += 1;
                self.table_name()
            }
            _ => Err(ParseError::at(line, format!("`{command}` is read only as `{command} table FAMILY NAME`"))),
        }
    }

    fn flush(&mut self, tables: &mut Vec<Table>, line: usize) -> Result<(), ParseError> {
        match self.peek_tok() {
            Some(Tok::Word(w)) if w == "ruleset" => {
                self.pos += 1;
                tables.clear();
                Ok(())
            }
            _ => {
                let (family, name) = self.command_table(line, "flush")?;
                for table in tables.iter_mut().filter(|t| t.family == family && t.name == name) {
                    table.chains.iter_mut().for_each(|c| c.rules.clear());
                }
                Ok(())
            }
        }
    }

    /// `table [FAMILY] NAME { … }`, merged into an earlier block of the same table.
    fn table(
        &mut self,
        tables: &mut Vec<Table>,
        by_name: &mut BTreeMap<(TableFamily, String), usize>,
    ) -> Result<(), ParseError> {
        let line = self.line();
        let (family, name) = self.table_name()?;
        self.expect_open()?;
        let index = match by_name.get(&(family, name.clone())) {
            Some(&index) => index,
            None => {
                tables.push(Table::new(family, &name, Place { line: Some(line), handle: None, position: 0 }));
                by_name.insert((family, name), tables.len() - 1);
                tables.len() - 1
            }
        };
        let Some(table) = tables.get_mut(index) else { return Ok(()) };
        loop {
            self.skip_separators();
            let line = self.line();
            match self.peek_tok() {
                None => return Err(ParseError::at(line, format!("table `{}` is not closed", table.label()))),
                Some(Tok::Close) => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(Tok::Word(w)) if w == "chain" => {
                    self.pos += 1;
                    self.chain(table)?;
                }
                Some(Tok::Word(w)) if w == "set" || w == "map" => {
                    self.pos += 1;
                    self.set(table)?;
                }
                Some(Tok::Word(w)) if w == "flags" => {
                    self.pos += 1;
                    while let Some(tok) = self.peek_tok() {
                        match tok {
                            Tok::Word(f) | Tok::Str(f) => table.flags.push(f.to_ascii_lowercase()),
                            Tok::Comma => {}
                            _ => break,
                        }
                        self.pos += 1;
                    }
                }
                Some(_) => self.skip_statement(),
            }
        }
    }

    /// Skips to the end of a statement, over any block it opens.
    fn skip_statement(&mut self) {
        let mut depth = 0usize;
        while let Some(tok) = self.peek_tok() {
            match tok {
                Tok::Open => depth += 1,
                Tok::Close if depth == 0 => return,
                Tok::Close => {
                    depth -= 1;
                    if depth == 0 {
                        self.pos += 1;
                        return;
                    }
                }
                Tok::Newline | Tok::Semi if depth == 0 => return,
                _ => {}
            }
            self.pos += 1;
        }
    }

    /// The tokens up to the end of the statement (newlines inside braces
    /// are spaces), with the first and last line and any handle.
    fn statement(&mut self) -> (Vec<Tok>, usize, usize, Option<u64>) {
        let first = self.line();
        let mut last = first;
        let mut depth = 0usize;
        let mut toks = Vec::new();
        let mut handle = None;
        while let Some(token) = self.peek() {
            match &token.tok {
                Tok::Newline | Tok::Semi if depth == 0 => break,
                Tok::Close if depth == 0 => break,
                Tok::Newline => {}
                Tok::Handle(h) => handle = Some(*h),
                tok => {
                    match tok {
                        Tok::Open => depth += 1,
                        Tok::Close => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                    toks.push(tok.clone());
                    last = token.line;
                }
            }
            self.pos += 1;
        }
        // A `# handle` written after the end of the line's statement.
        if let Some(Token { tok: Tok::Handle(h), .. }) = self.peek() {
            handle = Some(*h);
        }
        (toks, first, last, handle)
    }

    fn chain(&mut self, table: &mut Table) -> Result<(), ParseError> {
        let line = self.line();
        let name = self.word("a chain name")?;
        self.expect_open()?;
        let place = Place { line: Some(line), handle: None, position: 0 };
        let mut hook: Option<Hook> = None;
        let mut rules: Vec<Rule> = Vec::new();
        loop {
            self.skip_separators();
            match self.peek_tok() {
                None => return Err(ParseError::at(self.line(), format!("chain `{name}` is not closed"))),
                Some(Tok::Close) => {
                    self.pos += 1;
                    break;
                }
                Some(Tok::Word(w)) if w == "type" => {
                    let (toks, ..) = self.statement();
                    hook = Some(header(&toks, hook.map_or(Policy::Accept, |h| h.policy)));
                }
                Some(Tok::Word(w)) if w == "policy" => {
                    let (toks, ..) = self.statement();
                    let policy = match toks.get(1) {
                        Some(Tok::Word(p)) if p == "drop" => Policy::Drop,
                        _ => Policy::Accept,
                    };
                    if let Some(hook) = hook.as_mut() {
                        hook.policy = policy;
                    }
                }
                Some(Tok::Word(w)) if w == "comment" || w == "devices" || w == "device" => self.skip_statement(),
                Some(_) => {
                    let (toks, first, last, handle) = self.statement();
                    if toks.is_empty() {
                        self.pos += 1;
                        continue;
                    }
                    let position = rules.len() + 1;
                    rules.push(self.rule(&toks, first, last, Place { line: Some(first), handle, position }));
                }
            }
        }
        let Some(chain) = table.chain_mut(&name, &place) else { return Ok(()) };
        if hook.is_some() {
            chain.hook = hook;
        }
        for mut rule in rules {
            rule.place.position = chain.rules.len() + 1;
            chain.rules.push(rule);
        }
        Ok(())
    }

    fn rule(&mut self, toks: &[Tok], first: usize, last: usize, place: Place) -> Rule {
        let text: Vec<&str> =
            (first..=last).filter_map(|l| self.lines.get(l.wrapping_sub(1))).map(|l| strip_comment(l)).collect();
        let parts = nft_rule::parse(toks);
        let seq = self.seq;
        self.seq += 1;
        Rule {
            place,
            seq,
            text: super::ruleset::one_line(&text.join(" "), super::TEXT_MAX),
            exprs: parts.exprs,
            statements: parts.statements,
            verdict: parts.verdict,
            comment: parts.comment,
        }
    }

    /// `set NAME { type …; elements = { … } }` or a map.
    fn set(&mut self, table: &mut Table) -> Result<(), ParseError> {
        let name = self.word("a set name")?;
        self.expect_open()?;
        loop {
            self.skip_separators();
            match self.peek_tok() {
                None => return Err(ParseError::at(self.line(), format!("set `{name}` is not closed"))),
                Some(Tok::Close) => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(Tok::Word(w)) if w == "elements" => {
                    let (toks, ..) = self.statement();
                    let body =
                        toks.iter().position(|t| *t == Tok::Open).map_or(&[][..], |i| toks.get(i..).unwrap_or(&[]));
                    let elements = nft_rule::elements(body);
                    let (values, verdicts): (Vec<_>, Vec<_>) = elements.into_iter().partition(|(_, v)| v.is_none());
                    let set = table.sets.entry(name.clone()).or_default();
                    set.extend(values.into_iter().map(|(k, _)| k));
                    let map = table.maps.entry(name.clone()).or_default();
                    map.extend(verdicts.into_iter().filter_map(|(k, v)| Some((k, v?))));
                }
                Some(_) => self.skip_statement(),
            }
        }
    }
}

/// `type filter hook forward priority filter; policy drop;` up to the `;`.
fn header(toks: &[Tok], policy: Policy) -> Hook {
    let word = |i: usize| match toks.get(i) {
        Some(Tok::Word(w) | Tok::Str(w)) => w.as_str(),
        _ => "",
    };
    let after = |key: &str| toks.iter().position(|t| *t == Tok::Word(key.into())).map(|i| word(i + 1).to_string());
    Hook { kind: word(1).to_string(), hook: after("hook").unwrap_or_default(), policy }
}

/// A line without its `# comment` (outside quotes).
fn strip_comment(line: &str) -> &str {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '#' if !quoted => return line.get(..i).unwrap_or(line),
            _ => {}
        }
    }
    line
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::enforcement::drift::ruleset::{Selector, Value, Verdict};
    use crate::enforcement::policy::Family;

    /// The values of a set, flattened.
    fn atoms(value: &Value) -> Vec<&str> {
        match value {
            Value::Atom(a) => vec![a.as_str()],
            Value::Named(_) => Vec::new(),
            Value::Set(items) | Value::Concat(items) => items.iter().flat_map(atoms).collect(),
        }
    }

    const LISTING: &str = r#"table inet kojo { # handle 2
	set ports_slmp { # handle 11
		type inet_proto . inet_service
		elements = { udp . 5006,
			     tcp . 5007 }
	}

	chain forward { # handle 1
		type filter hook forward priority filter; policy drop;
		ct state established,related accept # handle 12
		iifname . oifname vmap { "prod_mgmt" . "control" : jump prod_mgmt_to_control, "monitoring" . "control" : jump monitoring_to_control } # handle 15
		limit rate 10/minute burst 20 packets log prefix "kojo fw_floor drop fwd: " # handle 16
	}

	chain prod_mgmt_to_control { # handle 4
		ip saddr 10.2.0.10 ip daddr 10.3.0.12 meta l4proto . th dport @ports_slmp counter packets 0 bytes 0 accept comment "kojo: conduit prod_mgmt_to_control flow 2" # handle 24
		ip saddr { 10.3.0.21, 10.3.0.22 } tcp dport 443 accept
	}
}
"#;

    #[test]
    fn listings_are_read_with_lines_and_handles() {
        let ruleset = parse(LISTING).unwrap();
        let table = &ruleset.tables[0];
        assert_eq!(table.label(), "inet kojo");
        assert_eq!(table.sets["ports_slmp"].len(), 2);
        let forward = table.chain("forward").unwrap();
        let hook = forward.hook.as_ref().unwrap();
        assert_eq!((hook.kind.as_str(), hook.hook.as_str(), hook.policy), ("filter", "forward", Policy::Drop));
        assert_eq!(forward.rules.len(), 3);
        assert_eq!(forward.rules[0].place, Place { line: Some(10), handle: Some(12), position: 1 });
        assert!(matches!(&forward.rules[1].verdict, Some(Verdict::Map { entries, .. }) if entries.len() == 2));
        assert_eq!(forward.rules[2].statements, ["log"]);
        assert!(forward.rules[2].exprs.iter().any(|e| e.left == [Selector::Other("limit".into())]), "a condition");
        let chain = table.chain("prod_mgmt_to_control").unwrap();
        let rule = &chain.rules[0];
        assert_eq!(rule.comment.as_deref(), Some("kojo: conduit prod_mgmt_to_control flow 2"));
        assert_eq!(
            rule.exprs[2].left,
            [Selector::Proto(None), Selector::Dport(crate::enforcement::drift::ruleset::Ports::Any)]
        );
        assert_eq!(rule.place.line, Some(16));
        assert!(rule.text.starts_with("ip saddr 10.2.0.10"), "{}", rule.text);
        assert!(!rule.text.contains("handle"), "{}", rule.text);
        assert_eq!(chain.rules[1].exprs[0].left, [Selector::Saddr(Family::V4)]);
        assert_eq!(atoms(&chain.rules[1].exprs[0].right), ["10.3.0.21", "10.3.0.22"]);
    }

    #[test]
    fn loadable_files_replace_their_table() {
        let text = "#!/usr/sbin/nft -f\ntable inet kojo {}\ndelete table inet kojo\n\ntable inet kojo {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t}\n}\n";
        let ruleset = parse(text).unwrap();
        assert_eq!(ruleset.tables.len(), 1);
        assert_eq!(ruleset.tables[0].chains[0].hook.as_ref().unwrap().policy, Policy::Drop);
        assert!(parse("flush ruleset\n").unwrap().tables.is_empty());
    }

    #[test]
    fn what_is_not_a_listing_is_an_error_with_its_line() {
        let err = parse("table inet x {\n}\nadd rule inet x y accept\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(parse("table inet x {\n\tchain y {\n").is_err());
        assert!(parse("table").is_err());
    }
}
