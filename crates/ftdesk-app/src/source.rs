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

    pub fn classify_all(paths: &[PathBuf]) -> Vec<Source> {
        paths.iter().map(|p| Source::classify(p)).collect()
    }
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
}
