//! `qic pdsa`: a team's PDSA cycles file (`cycles.toml` in a collaborative's folder): start one
//! or plan the next cycle, check it, show it.
//!
//! `new` writes a commented template with one change idea and one planned cycle when the file
//! does not exist yet. When it does, it plans the next cycle instead: it appends a planned cycle
//! (the next free key `cN`, following the latest cycle on the same change idea, so that the two
//! form a ramp), keeping the file's own text and comments, and writes nothing unless the result
//! still validates.

use std::fmt::Write as _;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use qic_io::{Document, read_document};
use qic_pdsa::Key;
use qic_pdsa::cycle::{
    ChangeIdea, Cycle, CycleLog, Phase, Plan, Problem, ProblemSeverity, Ramp, Scale, ramps,
    validate,
};
use qic_program::{Preset, Program};
use serde::Serialize;

use crate::CliError;
use crate::format::{Format, to_json};
use crate::output::write_output;

/// `qic pdsa`.
#[derive(Debug, Args)]
pub(crate) struct PdsaArgs {
    #[command(subcommand)]
    command: PdsaCommand,
}

#[derive(Debug, Subcommand)]
enum PdsaCommand {
    /// Start a cycles file from a commented template, or plan the next cycle in an existing one.
    New(NewArgs),
    /// Check a cycles file: phases and dates in order, links, keys; every problem is listed.
    Validate(ValidateArgs),
    /// Show a cycles file's change ideas, cycles and ramps.
    Show(ShowArgs),
}

/// `qic pdsa new`.
#[derive(Debug, Args)]
struct NewArgs {
    /// The cycles file (.toml, or .json without comments).
    file: PathBuf,
    /// The change idea's key: of the template's idea, or of the idea the new cycle tests
    /// (default: the idea of the latest cycle).
    #[arg(long, value_name = "KEY")]
    idea: Option<Key>,
    /// The change idea's title: for the template, or to add the idea `--idea` names to an
    /// existing file.
    #[arg(long)]
    title: Option<String>,
    /// The cycle the new one builds on (default: the latest cycle on the same change idea).
    #[arg(long, value_name = "CYCLE")]
    follows: Option<Key>,
    /// The plan's date (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<NaiveDate>,
    /// How many units the test covers (default: 5, or the scale of the cycle followed).
    #[arg(long)]
    size: Option<u32>,
    /// What the units are (default: patients, or the unit of the cycle followed).
    #[arg(long)]
    unit: Option<String>,
}

/// `qic pdsa validate`.
#[derive(Debug, Args)]
struct ValidateArgs {
    /// The cycles file (.toml or .json).
    file: PathBuf,
    #[command(flatten)]
    program: ProgramSource,
}

/// The program whose window the dates must fall in (optional).
#[derive(Debug, Args)]
#[group(required = false, multiple = false)]
struct ProgramSource {
    /// A program file: every date must fall inside the program.
    #[arg(long, value_name = "FILE")]
    program: Option<PathBuf>,
    /// A built-in program (see `qic program presets`) instead of a file.
    #[arg(long, value_name = "NAME")]
    preset: Option<String>,
}

impl ProgramSource {
    fn load(&self) -> Result<Option<Program>, CliError> {
        match (&self.program, &self.preset) {
            (Some(path), _) => Ok(Some(qic_program::io::load_program(path)?)),
            (None, Some(name)) => Ok(Some(name.parse::<Preset>()?.program()?)),
            (None, None) => Ok(None),
        }
    }
}

/// `qic pdsa show`.
#[derive(Debug, Args)]
struct ShowArgs {
    /// The cycles file (.toml or .json).
    file: PathBuf,
    /// Output format (JSON: the file's content with each cycle's phase, the ramps and any
    /// problems).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(long)]
    output: Option<PathBuf>,
}

pub(crate) fn run(args: PdsaArgs) -> Result<(), CliError> {
    match args.command {
        PdsaCommand::New(args) => new(&args),
        PdsaCommand::Validate(args) => check(&args),
        PdsaCommand::Show(args) => show(&args),
    }
}

/// Whether a cycles file is JSON (`.json`) rather than TOML (`.toml`); any other name is
/// refused, as when the file is read.
fn is_json(path: &Path) -> Result<bool, CliError> {
    let format = qic_io::Format::of_file(path).map_err(qic_pdsa::PdsaError::from)?;
    Ok(format == qic_io::Format::Json)
}

fn new(args: &NewArgs) -> Result<(), CliError> {
    let date = args
        .date
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    if args.file.exists() {
        return plan_next(args, date);
    }
    let idea = match &args.idea {
        Some(idea) => idea.clone(),
        None => key("first-idea")?,
    };
    let title = args
        .title
        .clone()
        .unwrap_or_else(|| "The change to test".to_owned());
    let scale = Scale {
        size: args.size.unwrap_or(5),
        unit: args.unit.clone().unwrap_or_else(|| "patients".to_owned()),
    };
    let first = key("c1")?;
    let log = CycleLog {
        change_ideas: vec![change_idea(idea.clone(), title.clone())],
        cycles: vec![planned_cycle(
            first,
            idea.clone(),
            None,
            scale.clone(),
            date,
        )],
    };
    let text = if is_json(&args.file)? {
        to_json(&log)
    } else {
        template(&idea, &title, &scale, date)
    };
    // The template must be sound as written: parse it back and check it before writing.
    refuse_errors(&args.file, &reparse(&args.file, &text)?)?;
    write_output(Some(&args.file), &[], &text)?;
    println!(
        "wrote {}: change idea `{idea}` and cycle c1, planned on {date}; fill in its plan, then \
         do, study and act as the test goes",
        args.file.display()
    );
    Ok(())
}

/// Appends the next planned cycle to an existing file.
fn plan_next(args: &NewArgs, date: NaiveDate) -> Result<(), CliError> {
    let log: CycleLog = read_cycles(&args.file)?;
    let latest = |idea: Option<&Key>| {
        log.cycles
            .iter()
            .filter(|c| idea.is_none_or(|i| &c.change_idea == i))
            .max_by(|a, b| (a.plan.date, &a.key).cmp(&(b.plan.date, &b.key)))
            .cloned()
    };
    let follows: Option<Cycle> = match &args.follows {
        Some(key) => Some(
            log.cycles
                .iter()
                .find(|c| &c.key == key)
                .cloned()
                .ok_or_else(|| {
                    CliError::Usage(format!(
                        "{}: --follows: cycle `{key}` is not in the file",
                        args.file.display()
                    ))
                })?,
        ),
        None => latest(args.idea.as_ref()),
    };
    let idea = args
        .idea
        .clone()
        .or_else(|| follows.as_ref().map(|c| c.change_idea.clone()))
        .or_else(|| log.change_ideas.first().map(|i| i.key.clone()))
        .ok_or_else(|| {
            CliError::Usage(format!(
                "{}: the file has no change idea; give --idea KEY --title TEXT",
                args.file.display()
            ))
        })?;
    let new_idea = if log.change_ideas.iter().any(|i| i.key == idea) {
        None
    } else {
        let title = args.title.clone().ok_or_else(|| {
            CliError::Usage(format!(
                "{}: change idea `{idea}` is not in the file; give --title to add it",
                args.file.display()
            ))
        })?;
        Some(change_idea(idea.clone(), title))
    };
    let free = (1..=log.cycles.len() + 1)
        .map(|n| format!("c{n}"))
        .find(|k| !log.cycles.iter().any(|c| c.key.as_str() == k))
        .unwrap_or_default();
    let key = key(&free)?;
    let scale = Scale {
        size: args
            .size
            .or_else(|| follows.as_ref().map(|c| c.scale.size))
            .unwrap_or(5),
        unit: args
            .unit
            .clone()
            .or_else(|| follows.as_ref().map(|c| c.scale.unit.clone()))
            .unwrap_or_else(|| "patients".to_owned()),
    };
    let follows_key = follows.map(|c| c.key);
    let cycle = planned_cycle(key.clone(), idea.clone(), follows_key.clone(), scale, date);
    let text = appended(&args.file, log, new_idea, cycle)?;
    let problems = reparse(&args.file, &text)?;
    refuse_errors(&args.file, &problems)?;
    write_output(Some(&args.file), &[], &text)?;
    for p in &problems {
        println!("{}: {p}", args.file.display());
    }
    println!(
        "wrote {}: cycle {key} planned on {date} (change idea `{idea}`{}); fill in its plan",
        args.file.display(),
        follows_key.map_or_else(String::new, |f| format!(", follows {f}"))
    );
    Ok(())
}

/// The file's new content: its text with the idea and cycle appended (TOML, so that the
/// team's comments stay), or the whole log again (JSON).
fn appended(
    path: &Path,
    mut log: CycleLog,
    idea: Option<ChangeIdea>,
    cycle: Cycle,
) -> Result<String, CliError> {
    if is_json(path)? {
        log.change_ideas.extend(idea);
        log.cycles.push(cycle);
        return Ok(to_json(&log));
    }
    let mut text = std::fs::read_to_string(path).map_err(|e| CliError::io(path, e))?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    if let Some(idea) = &idea {
        let _ = write!(
            text,
            "\n[[change_ideas]]\nkey = \"{}\"\ntitle = {}\n",
            idea.key,
            toml_string(&idea.title)
        );
    }
    text.push_str(&cycle_block(&cycle));
    Ok(text)
}

/// `1 cycle`, `2 cycles`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A key `qic pdsa new` makes up.
fn key(text: &str) -> Result<Key, CliError> {
    Key::new(text).map_err(|e| CliError::Usage(e.to_string()))
}

fn change_idea(key: Key, title: String) -> ChangeIdea {
    ChangeIdea {
        key,
        title,
        description: String::new(),
        change_package: None,
        portfolio: None,
        measures: vec![],
        new_phase_when_adopted: false,
    }
}

fn planned_cycle(
    key: Key,
    idea: Key,
    follows: Option<Key>,
    scale: Scale,
    date: NaiveDate,
) -> Cycle {
    Cycle {
        key,
        change_idea: idea,
        follows,
        scale,
        plan: Plan {
            date,
            objective: "What do we want to learn from this test?".to_owned(),
            questions: vec!["What question will the test answer?".to_owned()],
            predictions: vec!["What do we expect to happen, and why?".to_owned()],
            who: "Who carries out the test".to_owned(),
            what: "What is done".to_owned(),
            when: "When it is done".to_owned(),
            place: "Where it is done".to_owned(),
            data_to_collect: vec!["What data answer the questions".to_owned()],
        },
        run: None,
        study: None,
        act: None,
    }
}

/// A TOML basic string (JSON's escaping is valid TOML).
fn toml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

/// A planned cycle as TOML text, to append to a file.
fn cycle_block(cycle: &Cycle) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "\n[[cycles]]\nkey = \"{}\"\nchange_idea = \"{}\"\n",
        cycle.key, cycle.change_idea
    );
    if let Some(f) = &cycle.follows {
        let _ = writeln!(out, "follows = \"{f}\"");
    }
    let plan = &cycle.plan;
    let list = |items: &[String]| {
        items
            .iter()
            .map(|s| toml_string(s))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = write!(
        out,
        "scale = {{ size = {}, unit = {} }}\n\n[cycles.plan]\ndate = {}\nobjective = {}\n\
         questions = [{}]\npredictions = [{}]\nwho = {}\nwhat = {}\nwhen = {}\nwhere = {}\n\
         data_to_collect = [{}]\n",
        cycle.scale.size,
        toml_string(&cycle.scale.unit),
        plan.date,
        toml_string(&plan.objective),
        list(&plan.questions),
        list(&plan.predictions),
        toml_string(&plan.who),
        toml_string(&plan.what),
        toml_string(&plan.when),
        toml_string(&plan.place),
        list(&plan.data_to_collect),
    );
    out
}

fn template(idea: &Key, title: &str, scale: &Scale, date: NaiveDate) -> String {
    format!(
        r#"# A team's PDSA cycles: the change ideas it tests and the cycles that test them.
# Check it with `qic pdsa validate cycles.toml` (add `--program program.toml` to check the
# dates against the program), read it with `qic pdsa show cycles.toml`, and plan the next
# cycle with `qic pdsa new cycles.toml`.
#
# A cycle's phases are filled in as the work goes: plan, then do, study and act, in that
# order, each dated on or after the one before.

# A change idea. `change_package` names the item of the program's change package it comes
# from, `measures` the measures it should move (their keys), and
# `new_phase_when_adopted = true` starts a new phase on their charts when it is adopted.
[[change_ideas]]
key = "{idea}"
title = {title}
# change_package = "accurate-measurement"
# portfolio = "physical_and_or_mental_health"
# measures = ["bp-control"]

# A cycle tests one idea on a small scale. A later cycle with `follows = "c1"` builds on
# this one: together they form a ramp that grows in scale.
[[cycles]]
key = "c1"
change_idea = "{idea}"
scale = {{ size = {size}, unit = {unit} }}

[cycles.plan]
date = {date}
objective = "What do we want to learn from this test?"
questions = ["What question will the test answer?"]
predictions = ["What do we expect to happen, and why?"]
who = "Who carries out the test"
what = "What is done"
when = "When it is done"
where = "Where it is done"
data_to_collect = ["What data answer the questions"]

# Once the test has run:
# [cycles.do]
# started = {date}
# finished = {date}
# as_planned = true
# what_happened = "What happened"
# observations = ["What was seen, planned or not"]
# problems = ["Problems met"]

# Once the results are in (predictions_met: "yes", "partly" or "no"):
# [cycles.study]
# date = {date}
# results = "The results, against the predictions"
# predictions_met = "partly"
# learning = "What was learned"

# Then the decision ("adopt", "adapt" or "abandon"):
# [cycles.act]
# date = {date}
# decision = "adapt"
# next = "What the next cycle will test"
"#,
        title = toml_string(title),
        size = scale.size,
        unit = toml_string(&scale.unit),
    )
}

/// Reads a cycles file (`.toml` or `.json`).
fn read_cycles(path: &Path) -> Result<CycleLog, CliError> {
    read_document(path).map_err(|e| qic_pdsa::PdsaError::from(e).into())
}

/// Parses `text` as the file would be read, and validates it.
fn reparse(path: &Path, text: &str) -> Result<Vec<Problem>, CliError> {
    let format = if is_json(path)? {
        qic_io::Format::Json
    } else {
        qic_io::Format::Toml
    };
    let log: CycleLog = Document::from_text(text, format, path.display().to_string())
        .parse()
        .map_err(|e| CliError::Usage(format!("the new content does not parse: {e}")))?;
    Ok(validate(&log, None))
}

/// Prints the errors and refuses, when there are any.
fn refuse_errors(path: &Path, problems: &[Problem]) -> Result<(), CliError> {
    let errors = problems
        .iter()
        .filter(|p| p.severity == ProblemSeverity::Error)
        .count();
    if errors == 0 {
        return Ok(());
    }
    for p in problems {
        eprintln!("{}: {p}", path.display());
    }
    Err(CliError::Problems {
        path: path.to_path_buf(),
        errors,
        warnings: problems.len() - errors,
    })
}

fn window(program: Option<&Program>) -> Option<RangeInclusive<NaiveDate>> {
    program.map(|p| {
        let w = p.window();
        w.start()..=w.end()
    })
}

fn check(args: &ValidateArgs) -> Result<(), CliError> {
    let log: CycleLog = read_cycles(&args.file)?;
    let program = args.program.load()?;
    let window = window(program.as_ref());
    let problems = validate(&log, window.as_ref());
    for p in &problems {
        println!("{}: {p}", args.file.display());
    }
    let errors = problems
        .iter()
        .filter(|p| p.severity == ProblemSeverity::Error)
        .count();
    let warnings = problems.len() - errors;
    if errors > 0 {
        return Err(CliError::Problems {
            path: args.file.clone(),
            errors,
            warnings,
        });
    }
    let against = match (&program, &window) {
        (Some(p), Some(w)) => format!(
            "; dates checked against {} ({} to {})",
            p.name(),
            w.start(),
            w.end()
        ),
        _ => String::new(),
    };
    println!(
        "{}: {}, {}: {}{against}",
        args.file.display(),
        plural(log.change_ideas.len(), "change idea"),
        plural(log.cycles.len(), "cycle"),
        match warnings {
            0 => "no problems".to_owned(),
            1 => "no errors, 1 warning".to_owned(),
            n => format!("no errors, {n} warnings"),
        }
    );
    Ok(())
}

/// `qic pdsa show --format json`.
#[derive(Serialize)]
struct ShowJson<'a> {
    change_ideas: &'a [ChangeIdea],
    cycles: Vec<CycleJson<'a>>,
    ramps: Vec<Ramp>,
    problems: Vec<Problem>,
}

#[derive(Serialize)]
struct CycleJson<'a> {
    phase: Phase,
    #[serde(flatten)]
    cycle: &'a Cycle,
}

fn show(args: &ShowArgs) -> Result<(), CliError> {
    let log: CycleLog = read_cycles(&args.file)?;
    let problems = validate(&log, None);
    let team_ramps = ramps(&log);
    let text = match args.format {
        Format::Json => to_json(&ShowJson {
            change_ideas: &log.change_ideas,
            cycles: log
                .cycles
                .iter()
                .map(|cycle| CycleJson {
                    phase: cycle.phase(),
                    cycle,
                })
                .collect(),
            ramps: team_ramps,
            problems: problems.clone(),
        }),
        Format::Text => show_text(&args.file, &log, &team_ramps, &problems),
    };
    // Problems do not stop `show`; they are listed, and `validate` says whether they are errors.
    for p in &problems {
        eprintln!("{}: {p}", args.file.display());
    }
    write_output(args.output.as_deref(), &[args.file.as_path()], &text)
}

fn show_text(path: &Path, log: &CycleLog, team_ramps: &[Ramp], problems: &[Problem]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {}, {}, {}{}",
        path.display(),
        plural(log.change_ideas.len(), "change idea"),
        plural(log.cycles.len(), "cycle"),
        plural(team_ramps.len(), "ramp"),
        if problems.is_empty() {
            String::new()
        } else {
            format!(
                " ({}: run `qic pdsa validate`)",
                plural(problems.len(), "problem")
            )
        }
    );
    out.push_str("\nChange ideas\n");
    for idea in &log.change_ideas {
        let mut notes = Vec::new();
        if let Some(item) = &idea.change_package {
            notes.push(format!("change package: {item}"));
        }
        if let Some(portfolio) = idea.portfolio {
            notes.push(format!("portfolio: {}", portfolio.label()));
        }
        if !idea.measures.is_empty() {
            let keys: Vec<&str> = idea.measures.iter().map(Key::as_str).collect();
            notes.push(format!("measures: {}", keys.join(", ")));
        }
        let _ = writeln!(
            out,
            "  {}: {}{}",
            idea.key,
            idea.title,
            if notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", notes.join("; "))
            }
        );
    }
    out.push_str("\nCycles\n");
    let mut cycles: Vec<&Cycle> = log.cycles.iter().collect();
    cycles.sort_by(|a, b| (a.plan.date, &a.key).cmp(&(b.plan.date, &b.key)));
    for cycle in cycles {
        cycle_text(&mut out, cycle);
    }
    out.push_str("\nRamps\n");
    if team_ramps.is_empty() {
        out.push_str("  none\n");
    }
    for ramp in team_ramps {
        let steps: Vec<String> = ramp
            .cycles
            .iter()
            .zip(&ramp.scales)
            .map(|(k, s)| format!("{k} ({s})"))
            .collect();
        let _ = writeln!(
            out,
            "  {}: {}; latest decision: {}",
            ramp.change_idea,
            steps.join(" -> "),
            ramp.latest_decision.map_or("none yet", |d| d.label())
        );
    }
    out
}

fn cycle_text(out: &mut String, cycle: &Cycle) {
    let phase = match cycle.phase() {
        Phase::Planned => "planned",
        Phase::Done => "done",
        Phase::Studied => "studied",
        Phase::Acted => "acted",
    };
    let _ = writeln!(
        out,
        "  {} [{}] {}, {phase}{}",
        cycle.key,
        cycle.change_idea,
        cycle.scale,
        cycle
            .follows
            .as_ref()
            .map_or_else(String::new, |f| format!(", follows {f}"))
    );
    let plan = &cycle.plan;
    let _ = writeln!(out, "      plan {}: {}", plan.date, plan.objective);
    let _ = writeln!(out, "        predictions: {}", plan.predictions.join("; "));
    let _ = writeln!(
        out,
        "        who: {}; what: {}; when: {}; where: {}",
        plan.who, plan.what, plan.when, plan.place
    );
    if let Some(run) = &cycle.run {
        let _ = writeln!(
            out,
            "      do {} to {}{}: {}",
            run.started,
            run.finished,
            if run.as_planned {
                " (as planned)"
            } else {
                " (not as planned)"
            },
            run.what_happened
        );
    }
    if let Some(study) = &cycle.study {
        let met = match study.predictions_met {
            qic_pdsa::cycle::PredictionsMet::Yes => "yes",
            qic_pdsa::cycle::PredictionsMet::Partly => "partly",
            qic_pdsa::cycle::PredictionsMet::No => "no",
        };
        let _ = writeln!(
            out,
            "      study {} (predictions met: {met}): {}",
            study.date, study.results
        );
    }
    if let Some(act) = &cycle.act {
        let _ = writeln!(
            out,
            "      act {}: {}{}",
            act.date,
            act.decision.label(),
            if act.next.is_empty() {
                String::new()
            } else {
                format!("; next: {}", act.next)
            }
        );
    }
}
