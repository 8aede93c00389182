//! The 30 test pairs of the domain brief (`domain.md` §8), through the whole pipeline.
//!
//! The pairs are hand-written records (tests/fixtures/brief_pairs.csv, fields from the brief)
//! placed inside a generated registry of 20,000 rows, so that the model is trained, the term
//! frequencies counted and the pairs blocked as in a real run. Then:
//! - M pairs end in one cluster;
//! - N pairs end in different clusters and are not sent to review;
//! - R pairs end in different clusters, scored in the review band.
//!
//! The fixture's `nama_ibu_kandung` holds the mothers the brief names (Painem for both records of
//! pair 23, another mother for each record of pair 28) and, where the brief's relationship
//! implies it, a shared mother for siblings (twins 25 and 26, sisters 27) and different ones
//! for father and son (24): the mother's name must not merge siblings.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use padan::Config;
use padan::pipeline::{Decision, Deduper};
use padan::synth::{SynthOptions, generate};

/// Pairs the pipeline cannot yet decide as the brief says, with the reason. They are still
/// checked for what matters most: they are never merged automatically. None at present.
const KNOWN_GAPS: &[(u32, &str)] = &[];

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/brief_pairs.csv");

struct BriefRecord {
    id: String,
    pair: u32,
    expected: String,
}

/// The fixture as a batch with the synthetic registry's columns, plus each row's pair and
/// expected decision.
fn brief_batch(schema: &arrow_schema::SchemaRef) -> (RecordBatch, Vec<BriefRecord>) {
    let mut reader = csv::Reader::from_path(FIXTURE).expect("fixture");
    let headers = reader.headers().expect("header").clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name}"));
    let columns: Vec<ArrayRef> = schema
        .fields()
        .iter()
        .map(|field| {
            let c = column(field.name());
            Arc::new(StringArray::from(
                rows.iter().map(|r| Some(&r[c]).filter(|v| !v.is_empty())).collect::<Vec<_>>(),
            )) as ArrayRef
        })
        .collect();
    let (id, pair, expected) = (column("id_dtks"), column("brief_pair"), column("expected"));
    let records = rows
        .iter()
        .map(|r| BriefRecord {
            id: r[id].to_string(),
            pair: r[pair].parse().expect("pair number"),
            expected: r[expected].to_string(),
        })
        .collect();
    (RecordBatch::try_new(schema.clone(), columns).expect("batch"), records)
}

#[test]
fn the_thirty_brief_pairs_are_decided_as_the_brief_says() {
    let background = generate(&SynthOptions { rows: 20_000, seed: 30, duplicate_rate: 0.1 }).records;
    let schema = background.schema();
    let (brief, records) = brief_batch(&schema);
    assert_eq!(records.len(), 60, "30 pairs of two records");

    let config = Config { pairs_min_probability: 0.0, ..Config::default() };
    let result = Deduper::new(config).unwrap().run_batches(&schema, &[background, brief]).unwrap();

    let clusters = result.clusters_table().unwrap();
    let ids = clusters.column(0).as_any().downcast_ref::<StringArray>().unwrap();
    let index: HashMap<&str, usize> = (0..ids.len()).map(|i| (ids.value(i), i)).collect();
    let cluster_of = |id: &str| result.clusters.cluster_id[index[id]];
    let pair_index = |a: usize, b: usize| {
        (0..result.pairs.len()).find(|k| {
            let (l, r) = (result.pairs.left[*k] as usize, result.pairs.right[*k] as usize);
            (l, r) == (a.min(b), a.max(b))
        })
    };

    let mut wrong = Vec::new();
    for pair in records.chunks(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert_eq!((a.pair, &a.expected), (b.pair, &b.expected), "fixture rows come in pairs");
        let same_cluster = cluster_of(&a.id) == cluster_of(&b.id);
        let candidate = pair_index(index[a.id.as_str()], index[b.id.as_str()]);
        let probability = candidate.map(|k| result.scores.match_probability[k]);
        let decision = candidate.map(|k| result.decisions[k]);
        let gap = KNOWN_GAPS.iter().any(|(pair, _)| *pair == a.pair);
        let ok = match a.expected.as_str() {
            _ if gap => !same_cluster,
            "M" => same_cluster,
            "R" => !same_cluster && decision == Some(Decision::Review),
            "N" => !same_cluster && decision != Some(Decision::Review),
            other => panic!("unknown expectation {other}"),
        };
        if !ok {
            wrong.push(format!(
                "pair {} expected {}: same cluster {same_cluster}, probability {probability:?}",
                a.pair, a.expected
            ));
        }
    }
    assert!(wrong.is_empty(), "decided against the brief:\n{}", wrong.join("\n"));

    // Pair 23 is reviewed because it may be one person with two NIKs, and the explanation says so.
    let sutrisno = result.explain_ids("BRIEF23A", "BRIEF23B").expect("pair 23 is a candidate pair");
    assert!(sutrisno.possible_second_nik, "{sutrisno:?}");
    assert!(sutrisno.to_text(padan::explain::Language::Indonesian).contains("satu orang dengan dua NIK"));
    let rizki = result.explain_ids("BRIEF28A", "BRIEF28B").expect("pair 28 is a candidate pair");
    assert!(!rizki.possible_second_nik, "another mother: {rizki:?}");
    for (pair, reason) in KNOWN_GAPS {
        eprintln!("brief pair {pair} is only checked as not merged: {reason}");
    }
}
