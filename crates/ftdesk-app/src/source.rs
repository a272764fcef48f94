//! What each path given as a source is, decided once from its first bytes.

use std::io::Read as _;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A billing export (CUR, CUR 2.0, FOCUS; CSV or Parquet), a report
    /// folder, or an `s3://` prefix: the readers of `ftdesk-io` tell which.
    Billing,
    /// Free Tier API output (AWS CLI JSON).
    FreeTierApi,
    /// Cost Explorer output (`aws ce get-cost-and-usage`).
    CostExplorer,
}

impl SourceKind {
    /// JSON is read whole by its own reader, never inflated.
    pub fn is_json(self) -> bool {
        self != SourceKind::Billing
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub path: PathBuf,
    pub kind: SourceKind,
}

impl Source {
    /// Reads the head of a local file (a folder or `s3://` is billing data).
    pub fn classify(path: &Path) -> Source {
        let head = head_of(path);
        let kind = if ftdesk_io::cost_explorer::looks_like_cost_explorer(&head) {
            SourceKind::CostExplorer
        } else if ftdesk_freetier::looks_like_json(&head) {
            SourceKind::FreeTierApi
        } else {
            SourceKind::Billing
        };
        Source {
            path: path.to_path_buf(),
            kind,
        }
    }

    /// Each path classified; a folder holding only Cost Explorer JSON (as a
    /// customer attaches it) stands for its files.
    pub fn classify_all(paths: &[PathBuf]) -> Vec<Source> {
        paths
            .iter()
            .flat_map(|p| cost_explorer_folder(p).unwrap_or_else(|| vec![Source::classify(p)]))
            .collect()
    }
}

/// The files of a local folder when every one is Cost Explorer JSON.
fn cost_explorer_folder(path: &Path) -> Option<Vec<Source>> {
    if !path.is_dir() {
        return None;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .ok()?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let sources: Vec<Source> = files.iter().map(|p| Source::classify(p)).collect();
    let all_explorer = sources.iter().all(|s| s.kind == SourceKind::CostExplorer);
    (!sources.is_empty() && all_explorer).then_some(sources)
}

/// The first bytes of a file (empty for a folder or an unreadable file).
fn head_of(path: &Path) -> Vec<u8> {
    let mut head = vec![0u8; 64 * 1024];
    let read = path
        .is_file()
        .then(|| std::fs::File::open(path).and_then(|mut f| f.read(&mut head)));
    head.truncate(read.and_then(Result::ok).unwrap_or(0));
    head
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_is_told_from_the_head() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            Source::classify(&path).kind
        };
        assert_eq!(
            write("a.json", r#" {"freeTierUsages": []}"#),
            SourceKind::FreeTierApi
        );
        assert_eq!(
            write("b.json", r#"{"ResultsByTime": []}"#),
            SourceKind::CostExplorer
        );
        assert_eq!(write("c.csv", "identity/LineItemId\n"), SourceKind::Billing);
        assert_eq!(Source::classify(dir.path()).kind, SourceKind::Billing);
    }

    #[test]
    fn a_folder_of_cost_explorer_json_stands_for_its_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.json"), r#"{"ResultsByTime": []}"#).unwrap();
        std::fs::write(dir.path().join("a.json"), r#"{"ResultsByTime": []}"#).unwrap();
        let sources = Source::classify_all(&[dir.path().to_path_buf()]);
        let names: Vec<_> = sources
            .iter()
            .map(|s| s.path.file_name().unwrap())
            .collect();
        assert_eq!(names, ["a.json", "b.json"]);
        assert!(sources.iter().all(|s| s.kind == SourceKind::CostExplorer));
        std::fs::write(dir.path().join("c.csv"), "identity/LineItemId\n").unwrap();
        let mixed = Source::classify_all(&[dir.path().to_path_buf()]);
        assert_eq!(mixed.len(), 1);
        assert_eq!(mixed[0].kind, SourceKind::Billing);
    }
}
