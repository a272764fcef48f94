//! The states a case, a message and an analysis can be in: enums over the
//! exact words the database stores (its CHECK constraints name the same ones).

use std::fmt;
use std::str::FromStr;

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::Serialize;

use crate::DeskError;

/// Declares an enum stored as text: `as_str`, `FromStr`, `Display`, the
/// SQLite conversions and a comparison with the stored word.
macro_rules! stored_words {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        pub enum $name {
            $(#[serde(rename = $word)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word the database stores.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }
        }

        impl FromStr for $name {
            type Err = DeskError;

            fn from_str(text: &str) -> Result<$name, DeskError> {
                match text {
                    $($word => Ok($name::$variant),)+
                    _ => Err(DeskError::Invalid(format!(
                        "{} `{text}`: expected one of {}",
                        $what,
                        [$($word),+].join(", ")
                    ))),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<$name> {
                value
                    .as_str()?
                    .parse()
                    .map_err(|e: DeskError| FromSqlError::Other(Box::new(e)))
            }
        }
    };
}

stored_words!(
    /// Where a case stands in the queue.
    CaseStatus, "status" {
        New => "new",
        Open => "open",
        Waiting => "waiting",
        Solved => "solved",
    }
);

stored_words!(
    /// Whether a message came from the customer or is the desk's reply.
    Direction, "direction" {
        In => "in",
        Out => "out",
    }
);

stored_words!(
    /// How far a case's analysis has come.
    AnalysisState, "analysis" {
        Pending => "pending",
        Ready => "ready",
        Failed => "failed",
        NoData => "no-data",
    }
);

stored_words!(
    /// Where a message is on its way in or out.
    MessageState, "message state" {
        Received => "received",
        Sending => "sending",
        Sent => "sent",
        Failed => "failed",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_word_reads_back_as_its_variant() {
        for status in CaseStatus::ALL {
            assert_eq!(status.as_str().parse::<CaseStatus>().unwrap(), *status);
        }
        assert_eq!(AnalysisState::NoData.as_str(), "no-data");
        assert_eq!(Direction::In.as_str(), "in");
        assert_eq!(MessageState::Sending.as_str(), "sending");
    }

    #[test]
    fn an_unknown_word_names_what_was_expected() {
        let error = "bogus".parse::<CaseStatus>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "status `bogus`: expected one of new, open, waiting, solved"
        );
    }

    #[test]
    fn serialises_as_the_stored_word() {
        let json = serde_json_like(&AnalysisState::NoData);
        assert_eq!(json, "no-data");
    }

    fn serde_json_like(state: &AnalysisState) -> String {
        minijinja::Value::from_serialize(state).to_string()
    }
}
