//! Parser stub: being written.

use crate::error::ParseError;
use crate::formats::ParsedList;
use crate::source::Input;

/// Parses the UK FCDO CSV.
pub fn parse_csv(inputs: &[Input], _list: &str) -> Result<ParsedList, ParseError> {
    Err(inputs[0].error("-", "format not implemented yet"))
}

/// Parses the UK FCDO ODS.
pub fn parse_ods(inputs: &[Input], _list: &str) -> Result<ParsedList, ParseError> {
    Err(inputs[0].error("-", "format not implemented yet"))
}
