//! `kojo query SRC DST SERVICE --function F`: a request inside a
//! connection, judged as the gateway judges it (`reach::evaluate_request`):
//! allowed, blocked inline, or let through with an alert on a monitored
//! conduit.

use kojo_compiler::model::Model;
use kojo_compiler::reach::{self, Allowing, Connection, Request, RequestVerdict};
use kojo_stdlib::Catalogue;
use serde_json::json;

use super::{allowing, denied, describe_flow, flow_json, End};
use crate::cli::Format;
use crate::exit::Exit;

/// A request as asked: the service, the function's name (if the code has
/// one) and the code.
pub struct Asked {
    service: String,
    function: Option<String>,
    code: u32,
    /// Asked by the function's name: the code is the first of its codes.
    by_name: bool,
}

/// The service named by PORT and the function (`write`, or a code).
pub fn parse(catalogue: &Catalogue, service: Option<&str>, function: &str) -> Result<Asked, String> {
    let Some(name) = service else {
        return Err(format!("`--function {function}` needs the service as PORT, e.g. `modbus-tcp`"));
    };
    let with_functions = || {
        let names: Vec<&str> =
            catalogue.services().filter(|s| !s.functions.is_empty()).map(|s| s.id.as_str()).collect();
        names.join(", ")
    };
    let Some(entry) = catalogue.service(name).filter(|s| !s.functions.is_empty()) else {
        return Err(format!(
            "`{name}` is not a service with functions; with `--function`, PORT is one of: {}",
            with_functions()
        ));
    };
    let by_name = function.parse::<u32>().is_err();
    let (code, named) = match function.parse::<u32>() {
        Ok(code) => (code, entry.function_for_code(code)),
        Err(_) => match entry.function(function) {
            Some(f) => (f.codes.first().copied().unwrap_or_default(), Some(f)),
            None => {
                let names: Vec<&str> = entry.functions.iter().map(|f| f.name.as_str()).collect();
                return Err(format!(
                    "`{function}` is no function of {name}; write one of {} or a function code",
                    names.join(", ")
                ));
            }
        },
    };
    Ok(Asked { service: name.to_string(), function: named.map(|f| f.name.clone()), code, by_name })
}

pub fn answer(
    model: &Model,
    catalogue: &Catalogue,
    connection: &Connection,
    asked: &Asked,
    ends: (&End, &End),
    format: Format,
) -> Exit {
    let request = Request { service: &asked.service, code: asked.code };
    let verdict = reach::evaluate_request(model, catalogue, connection, &request);
    let port = connection.port.map(|(t, n)| format!(" on {}/{n}", t.as_str())).unwrap_or_default();
    let what = match &asked.function {
        Some(name) if asked.by_name => {
            format!("{} {name} (as its code {}, one of the function's codes){port}", asked.service, asked.code)
        }
        Some(name) => format!("{} {name} (code {}){port}", asked.service, asked.code),
        None => format!("{} code {} (no function of the catalogue){port}", asked.service, asked.code),
    };
    match format {
        Format::Human => out!("{}", human(model, ends, &what, &verdict)),
        Format::Json => {
            let (word, flows) = match &verdict {
                RequestVerdict::Allowed(f) => ("allowed", flow_json(model, f)),
                RequestVerdict::Blocked(f) => ("blocked", flow_json(model, f)),
                RequestVerdict::Alerted(f) => ("alerted", flow_json(model, f)),
                RequestVerdict::Denied(_) => ("denied", Vec::new()),
            };
            let reason = match &verdict {
                RequestVerdict::Denied(denial) => Some(super::denial_reason(denial)),
                _ => None,
            };
            let traffic = connection.port.map(|(t, n)| format!("{}/{n}", t.as_str()));
            let value = json!({
                "source": ends.0.shown,
                "destination": ends.1.shown,
                "traffic": traffic,
                "request": { "service": asked.service, "function": asked.function, "code": asked.code },
                "allowed": word == "allowed",
                "verdict": word,
                "reason": reason,
                "flows": flows,
            });
            crate::output::out_raw(&format!("{}\n", serde_json::to_string_pretty(&value).unwrap_or_default()));
        }
    }
    match verdict {
        RequestVerdict::Allowed(_) => Exit::Clean,
        _ => Exit::Findings,
    }
}

fn human(model: &Model, ends: (&End, &End), what: &str, verdict: &RequestVerdict) -> String {
    let head = format!("{} -> {} {what}", ends.0.shown, ends.1.shown);
    let limits = |flows: &[Allowing]| -> String {
        flows
            .iter()
            .filter_map(|a| model.conduit(a.conduit).map(|c| format!("  by {}\n", describe_flow(model, c, a.flow))))
            .collect()
    };
    match verdict {
        RequestVerdict::Allowed(flows) => format!("allowed: {head}\n{}", allowing(model, flows)),
        RequestVerdict::Blocked(flows) => format!(
            "blocked: {head}\n  the flows that carry the connection do not allow it, and the gateway drops it inline:\n{}",
            limits(flows)
        ),
        RequestVerdict::Alerted(flows) => format!(
            "alerted: {head}\n  the flows do not allow it, but their conduit says `inspection monitor`: it gets through and the gateway alerts:\n{}",
            limits(flows)
        ),
        RequestVerdict::Denied(denial) => denied(model, ends.0, ends.1, what, denial),
    }
}
