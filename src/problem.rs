//! A problem found in the data: what is wrong and exactly where.
//!
//! Every loader error and warning is a `Problem`, so `check`, the reload log and `/status` all
//! print the same `file:line:col: message` or `file: field.path: message` lines that editors and
//! terminals can jump to.

use std::fmt;
use std::path::PathBuf;

/// Where in a file a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The whole file (unreadable, too large, a duplicate id across files).
    File,
    /// A position in the JSON text, 1-based, with the field path when known.
    Text {
        line: usize,
        column: usize,
        field: Option<String>,
    },
    /// A field path such as `statements[3].speaker`.
    Field(String),
}

/// One error or warning about one data file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    pub location: Location,
    pub message: String,
}

impl Problem {
    pub fn in_file(file: impl Into<PathBuf>, message: impl Into<String>) -> Problem {
        Problem {
            file: file.into(),
            location: Location::File,
            message: message.into(),
        }
    }

    pub fn at_field(
        file: impl Into<PathBuf>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Problem {
        Problem {
            file: file.into(),
            location: Location::Field(field.into()),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        match &self.location {
            Location::File => write!(f, "{file}: {}", self.message),
            Location::Field(field) => write!(f, "{file}: {field}: {}", self.message),
            Location::Text {
                line,
                column,
                field: Some(field),
            } => write!(f, "{file}:{line}:{column}: {field}: {}", self.message),
            Location::Text {
                line,
                column,
                field: None,
            } => write!(f, "{file}:{line}:{column}: {}", self.message),
        }
    }
}
