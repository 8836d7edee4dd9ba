//! `sbom-match` command line (thin: argument parsing, files, exit codes), per
//! `docs/cli-contract.md` ("sbom-match", "Exit codes"):
//!
//!     sbom-match [scan] SBOM... [--db FILE] [-o FORMAT[=FILE]]... [--fail-on SEV] [--only-fixed] [--distro ID-VERSION]
//!     sbom-match db import PATH... [--db FILE]
//!     sbom-match db status [--db FILE]
//!
//! Exit 0 done, 1 a finding at or above `--fail-on`, 2 any error (one line on stderr naming the
//! file and place; output files are written beside their target under a temporary name and
//! renamed only when every output is complete).

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

use sbom_match::db::{self, import, Db};
use sbom_match::identity::DistroRef;
use sbom_match::matcher::{self, Input, Options};
use sbom_match::report::{self, cyclonedx, json, sarif, table, Report};
use sbom_match::severity::Level;

/// The most bytes read from stdin for `-`.
const MAX_STDIN_BYTES: u64 = 1 << 30;

#[derive(Parser)]
#[command(
    name = "sbom-match",
    version,
    about = "Match any SBOM against OSV advisories kept in an embedded database"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Match SBOMs (the default command)
    Scan(ScanArgs),
    /// Manage the advisory database
    #[command(subcommand)]
    Db(DbCommand),
}

#[derive(clap::Args)]
struct ScanArgs {
    /// SBOM files (CycloneDX JSON/XML, SPDX JSON/tag-value); `-` reads stdin
    #[arg(required = true)]
    sboms: Vec<String>,
    /// The advisory database (default: $SBOM_MATCH_DB, else $XDG_DATA_HOME/sbom-match/osv.db)
    #[arg(long)]
    db: Option<PathBuf>,
    /// FORMAT[=FILE]; FORMAT is table (default), json, sarif or cyclonedx-json; repeatable
    #[arg(short = 'o', long = "output")]
    output: Vec<String>,
    /// Exit 1 when a finding has this severity or higher (unknown fails every threshold)
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Report only findings that have a fixed version
    #[arg(long)]
    only_fixed: bool,
    /// Override the SBOM's distro (e.g. debian-12)
    #[arg(long)]
    distro: Option<String>,
}

#[derive(Subcommand)]
enum DbCommand {
    /// Import OSV JSON files, folders of them, or zips
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Records per ecosystem, last import, schema version
    Status {
        #[arg(long)]
        db: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Critical,
    High,
    Medium,
    Low,
}

impl FailOn {
    fn level(self) -> Level {
        match self {
            FailOn::Critical => Level::Critical,
            FailOn::High => Level::High,
            FailOn::Medium => Level::Medium,
            FailOn::Low => Level::Low,
        }
    }
}

fn db_path(given: Option<PathBuf>) -> Result<PathBuf> {
    given
        .or_else(db::default_path)
        .ok_or_else(|| anyhow!("no database path: give --db FILE or set SBOM_MATCH_DB"))
}

/// Insert the default `scan` subcommand when the first argument is not a subcommand or a
/// top-level flag.
fn with_default_command(mut args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let first = args.get(1).and_then(|a| a.to_str()).map(str::to_string);
    let top = ["scan", "db", "help", "--help", "-h", "--version", "-V"];
    match first {
        Some(f) if top.contains(&f.as_str()) => {}
        None => {}
        Some(_) => args.insert(1, "scan".into()),
    }
    args
}

enum Format {
    Table,
    Json,
    Sarif,
    CycloneDx,
}

fn parse_output(spec: &str) -> Result<(Format, Option<PathBuf>)> {
    let (f, file) = match spec.split_once('=') {
        Some((f, file)) if !file.is_empty() => (f, Some(PathBuf::from(file))),
        Some((_, _)) => bail!("-o {spec}: empty file name after '='"),
        None => (spec, None),
    };
    let format = match f {
        "table" => Format::Table,
        "json" => Format::Json,
        "sarif" => Format::Sarif,
        "cyclonedx-json" => Format::CycloneDx,
        other => bail!("-o {spec}: unknown format {other:?} (table, json, sarif, cyclonedx-json)"),
    };
    Ok((format, file))
}

/// Write every file under a temporary name beside it, then rename them all; on any failure
/// remove the temporaries, so no partial file is left.
fn write_files(files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    let mut temps: Vec<(PathBuf, &Path)> = Vec::new();
    let cleanup = |temps: &[(PathBuf, &Path)]| {
        for (t, _) in temps {
            let _ = std::fs::remove_file(t);
        }
    };
    for (target, bytes) in files {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let dir = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let res = std::fs::File::create(&tmp).and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        });
        if let Err(e) = res {
            let _ = std::fs::remove_file(&tmp);
            cleanup(&temps);
            bail!("{}: cannot write: {e}", target.display());
        }
        temps.push((tmp, target.as_path()));
    }
    for (i, (tmp, target)) in temps.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, target) {
            cleanup(temps.get(i..).unwrap_or(&[]));
            bail!("{}: cannot write: {e}", target.display());
        }
    }
    Ok(())
}

fn scan(a: ScanArgs) -> Result<ExitCode> {
    let mut outputs = Vec::new();
    for spec in &a.output {
        outputs.push(parse_output(spec)?);
    }
    if outputs.is_empty() {
        outputs.push((Format::Table, None));
    }
    if outputs.iter().filter(|(_, f)| f.is_none()).count() > 1 {
        bail!("at most one -o format may go to stdout; give the others =FILE");
    }
    let distro_override = match &a.distro {
        Some(d) => Some(
            DistroRef::parse(d)
                .ok_or_else(|| anyhow!("--distro {d:?}: expected ID-VERSION, e.g. debian-12"))?,
        ),
        None => None,
    };
    let path = db_path(a.db)?;
    let database = Db::open_existing(&path)?;
    let status = database.status()?;

    let mut sboms = Vec::new();
    let mut stdin_used = false;
    for s in &a.sboms {
        let sbom = if s == "-" {
            if stdin_used {
                bail!("-: stdin can be read only once");
            }
            stdin_used = true;
            let mut buf = Vec::new();
            std::io::stdin()
                .take(MAX_STDIN_BYTES)
                .read_to_end(&mut buf)
                .context("-: cannot read stdin")?;
            sbom_model::read_sbom_bytes(&buf, "-")?
        } else {
            sbom_model::read_sbom(Path::new(s))?
        };
        for w in &sbom.warnings {
            eprintln!("warning: {s}: {}: {}", w.place, w.message);
        }
        sboms.push((s.clone(), sbom));
    }
    let inputs: Vec<Input<'_>> = sboms
        .iter()
        .map(|(p, s)| Input {
            path: p.clone(),
            sbom: s,
        })
        .collect();
    let opts = Options {
        distro_override,
        only_fixed: a.only_fixed,
    };
    let outcome = matcher::run(&database, &inputs, &opts)?;
    for w in &outcome.warnings {
        eprintln!("warning: {w}");
    }
    let version = env!("CARGO_PKG_VERSION");
    let rep = Report {
        outcome: &outcome,
        database: &status,
        tool_version: version,
    };

    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let mut files = Vec::new();
    let mut stdout_bytes = None;
    for (format, file) in &outputs {
        let color = file.is_none() && !no_color && std::io::stdout().is_terminal();
        let bytes = match format {
            Format::Table => table::render(&rep, color).into_bytes(),
            Format::Json => json::to_bytes(&rep),
            Format::Sarif => sarif::to_bytes(&rep),
            Format::CycloneDx => cyclonedx::to_bytes(&rep, &inputs),
        };
        match file {
            Some(f) => files.push((f.clone(), bytes)),
            None => stdout_bytes = Some(bytes),
        }
    }
    write_files(&files)?;
    if let Some(b) = stdout_bytes {
        let mut out = std::io::stdout().lock();
        out.write_all(&b)
            .and_then(|_| out.flush())
            .context("stdout: cannot write")?;
    }
    let failed = a.fail_on.is_some_and(|t| {
        outcome
            .findings
            .iter()
            .any(|f| report::fails(f.severity.level, t.level()))
    });
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn db_cmd(c: DbCommand) -> Result<ExitCode> {
    match c {
        DbCommand::Import { paths, db } => {
            let path = db_path(db)?;
            let mut database = Db::open_or_create(&path)?;
            let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
            let s = import::import(&mut database, &refs)?;
            for w in &s.warnings {
                eprintln!("warning: {w}");
            }
            println!(
                "imported {} records into {} ({} read, {} kept because the stored copy is newer, {} warnings)",
                s.records_written,
                path.display(),
                s.records_read,
                s.kept_newer,
                s.warnings.len()
            );
        }
        DbCommand::Status { db } => {
            let path = db_path(db)?;
            let st = Db::open_existing(&path)?.status()?;
            let mut out = format!(
                "database: {}\nschema version: {}\nlast import: {}\nrecords: {}\n",
                st.path,
                st.schema_version,
                st.imported_at.as_deref().unwrap_or("never"),
                st.records
            );
            let w = st
                .ecosystems
                .keys()
                .map(|k| k.chars().count())
                .max()
                .unwrap_or(0);
            for (eco, n) in &st.ecosystems {
                out.push_str(&format!("  {eco:<w$}  {n}\n"));
            }
            print!("{out}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse_from(with_default_command(std::env::args_os().collect())) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let res = match cli.command {
        Command::Scan(a) => scan(a),
        Command::Db(c) => db_cmd(c),
    };
    match res {
        Ok(code) => code,
        Err(e) => {
            let msg = format!("{e:#}").replace('\n', " ");
            eprintln!("sbom-match: error: {msg}");
            ExitCode::from(2)
        }
    }
}
