//! Parser stub: being written.

use crate::error::ParseError;
use crate::formats::ParsedList;
use crate::source::Input;

/// Parses EU FSF XML 1.1.
pub fn parse_xml(inputs: &[Input], _list: &str) -> Result<ParsedList, ParseError> {
    Err(inputs[0].error("-", "format not implemented yet"))
}

/// Parses EU FSF CSV 1.1.
pub fn parse_csv(inputs: &[Input], _list: &str) -> Result<ParsedList, ParseError> {
    Err(inputs[0].error("-", "format not implemented yet"))
}
