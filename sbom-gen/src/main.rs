//! `sbom-gen` command line: argument parsing and output only; the work is in the library.

use std::process::ExitCode;

use clap::Parser;
use sbom_gen::catalog;
use sbom_gen::image::LoadOptions;
use sbom_gen::source::archive::one_line;
use sbom_gen::{scan, ScanOptions};
use sbom_model::cyclonedx::{self, SpecVersion, WriteOptions};
use sbom_model::output::{check_targets, parse_output, write_outputs, OutputTarget};
use sbom_model::{spdx_write, Inventory};

/// Inventory a container image into an SBOM.
#[derive(Parser, Debug)]
#[command(
    name = "sbom-gen",
    version,
    about,
    after_help = "Also: `sbom-gen catalogers` lists the catalogers."
)]
struct Cli {
    /// docker-archive:PATH, oci-archive:PATH, oci-dir:PATH, dir:PATH, or a path detected by content.
    source: String,
    /// FORMAT[=FILE], repeatable: cyclonedx-json (1.6), cyclonedx-json@1.5, cyclonedx-json@1.7,
    /// cyclonedx-xml (1.6), spdx-json (2.3), spdx-tag-value (2.3), table.
    #[arg(short = 'o', long = "output", value_name = "FORMAT[=FILE]")]
    output: Vec<String>,
    /// squashed (what the final filesystem holds); all-layers is not supported yet.
    #[arg(long, default_value = "squashed")]
    scope: String,
    /// OS/ARCH[/VARIANT] of a multi-platform index.
    #[arg(long)]
    platform: Option<String>,
    /// The name the SBOM gives what it describes.
    #[arg(long)]
    source_name: Option<String>,
    /// The version the SBOM gives what it describes.
    #[arg(long)]
    source_version: Option<String>,
    /// Print less on stderr (no warnings).
    #[arg(short, long)]
    quiet: bool,
    /// Print more on stderr.
    #[arg(short, long)]
    verbose: bool,
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("catalogers") {
        for c in catalog::registry() {
            println!(
                "{:<8} {:<28} {}",
                c.name(),
                c.ecosystems().join(","),
                c.files_read()
            );
        }
        return ExitCode::SUCCESS;
    }
    if args.get(1).map(String::as_str) == Some("scan") {
        args.remove(1);
    }
    let cli = Cli::parse_from(args);
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line whatever names from the input hold (cli-contract.md, exit 2).
            eprintln!("sbom-gen: error: {}", one_line(&e));
            ExitCode::from(2)
        }
    }
}

fn run(cli: &Cli) -> Result<(), String> {
    if cli.scope != "squashed" {
        return Err(format!(
            "--scope {}: only `squashed` is supported in this version",
            cli.scope
        ));
    }
    let mut targets: Vec<OutputTarget> = cli.output.iter().map(|s| parse_output(s)).collect();
    if targets.is_empty() {
        targets.push(parse_output("cyclonedx-json"));
    }
    check_targets(&targets)?;
    for t in &targets {
        spec_of(&t.format)?;
    }
    let opts = ScanOptions {
        load: LoadOptions {
            platform: cli.platform.clone(),
            ..Default::default()
        },
        source_name: cli.source_name.clone(),
        source_version: cli.source_version.clone(),
    };
    let result = scan(&cli.source, &opts).map_err(|e| e.to_string())?;
    if !cli.quiet {
        for w in &result.warnings {
            eprintln!("sbom-gen: warning: {}", one_line(w));
        }
        for u in &result.inventory.unknowns {
            eprintln!(
                "sbom-gen: warning: unknown: {}",
                one_line(&format!("{}: {}", u.path, u.message))
            );
        }
    }
    if cli.verbose {
        eprintln!(
            "sbom-gen: {} components, {} layers, distro {}",
            result.inventory.components.len(),
            result.inventory.source.layers.len(),
            result
                .inventory
                .distro
                .as_ref()
                .map(|d| d.qualifier())
                .unwrap_or_else(|| "none".into())
        );
    }
    let timestamp = timestamp(&result.inventory)?;
    let mut rendered = Vec::new();
    for t in targets {
        let write_opts = |spec_version| WriteOptions {
            spec_version,
            timestamp: timestamp.clone(),
            tool_name: "sbom-gen".to_string(),
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
        };
        let inv = &result.inventory;
        let bytes = match spec_of(&t.format)? {
            Render::CycloneDxJson(spec) => cyclonedx::write_json(inv, &write_opts(spec)),
            Render::CycloneDxXml => cyclonedx::write_xml(inv, &write_opts(SpecVersion::V1_6)),
            Render::SpdxJson => spdx_write::write_json(inv, &write_opts(SpecVersion::V1_6)),
            Render::SpdxTagValue => {
                spdx_write::write_tag_value(inv, &write_opts(SpecVersion::V1_6))
            }
            Render::Table => table(inv).into_bytes(),
        };
        rendered.push((t, bytes));
    }
    write_outputs(&rendered).map_err(|(p, e)| format!("{}: {e}", p.display()))
}

/// What an `-o` format renders.
#[derive(Debug, Clone, Copy)]
enum Render {
    CycloneDxJson(SpecVersion),
    /// CycloneDX XML 1.6.
    CycloneDxXml,
    /// SPDX 2.3 JSON.
    SpdxJson,
    /// SPDX 2.3 tag-value.
    SpdxTagValue,
    Table,
}

/// The renderer of an output format (cli-contract.md, sbom-gen `-o`).
fn spec_of(format: &str) -> Result<Render, String> {
    match format {
        "cyclonedx-json" | "cyclonedx-json@1.6" | "cyclonedx" | "json" => {
            Ok(Render::CycloneDxJson(SpecVersion::V1_6))
        }
        "cyclonedx-json@1.5" => Ok(Render::CycloneDxJson(SpecVersion::V1_5)),
        "cyclonedx-json@1.7" => Ok(Render::CycloneDxJson(SpecVersion::V1_7)),
        "cyclonedx-xml" | "cyclonedx-xml@1.6" => Ok(Render::CycloneDxXml),
        "spdx-json" | "spdx-json@2.3" => Ok(Render::SpdxJson),
        "spdx-tag-value" | "spdx-tag-value@2.3" => Ok(Render::SpdxTagValue),
        "table" => Ok(Render::Table),
        other => Err(format!(
            "-o {other}: unknown format (cyclonedx-json, cyclonedx-json@1.5, cyclonedx-json@1.7, cyclonedx-xml, spdx-json, spdx-tag-value, table)"
        )),
    }
}

/// The SBOM timestamp: `SOURCE_DATE_EPOCH` when set, else the config's `created`, else the
/// Unix epoch (cli-contract.md, Determinism).
fn timestamp(inv: &Inventory) -> Result<String, String> {
    use time::format_description::well_known::Rfc3339;
    if let Ok(s) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = s
            .trim()
            .parse()
            .map_err(|_| format!("SOURCE_DATE_EPOCH={s:?} is not a whole number of seconds"))?;
        let t = time::OffsetDateTime::from_unix_timestamp(secs)
            .map_err(|_| format!("SOURCE_DATE_EPOCH={s:?} is out of range"))?;
        return t.format(&Rfc3339).map_err(|e| e.to_string());
    }
    if let Some(created) = &inv.source.created {
        if let Ok(t) = time::OffsetDateTime::parse(created, &Rfc3339) {
            let utc = t
                .to_offset(time::UtcOffset::UTC)
                .replace_nanosecond(0)
                .unwrap_or(t);
            return utc.format(&Rfc3339).map_err(|e| e.to_string());
        }
    }
    Ok("1970-01-01T00:00:00Z".to_string())
}

/// A human-readable listing: name, version, type, layer.
fn table(inv: &Inventory) -> String {
    let mut rows: Vec<[String; 4]> = inv
        .components
        .iter()
        .map(|c| {
            let ty = c
                .purl
                .as_deref()
                .and_then(|p| p.strip_prefix("pkg:"))
                .and_then(|p| p.split('/').next())
                .unwrap_or("-")
                .to_string();
            let layer = c
                .locations
                .first()
                .and_then(|l| l.layer_index)
                .map(|i| i.to_string())
                .unwrap_or_default();
            [
                c.name.clone(),
                c.version.clone().unwrap_or_default(),
                ty,
                layer,
            ]
        })
        .collect();
    rows.sort();
    let head = [
        "NAME".to_string(),
        "VERSION".into(),
        "TYPE".into(),
        "LAYER".into(),
    ];
    let mut w = [0usize; 4];
    for r in std::iter::once(&head).chain(rows.iter()) {
        for (i, c) in r.iter().enumerate() {
            w[i] = w[i].max(c.chars().count());
        }
    }
    let mut out = String::new();
    for r in std::iter::once(&head).chain(rows.iter()) {
        out.push_str(&format!(
            "{:<a$}  {:<b$}  {:<c$}  {}\n",
            r[0],
            r[1],
            r[2],
            r[3],
            a = w[0],
            b = w[1],
            c = w[2]
        ));
    }
    if let Some(d) = &inv.distro {
        out.push_str(&format!("\ndistro: {}\n", d.qualifier()));
    }
    out
}
