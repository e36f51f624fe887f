//! Parser stub: being written.

use crate::error::ParseError;
use crate::formats::ParsedList;
use crate::source::Input;

/// Parses the inputs of one list.
pub fn parse(inputs: &[Input], _list: &str) -> Result<ParsedList, ParseError> {
    Err(inputs[0].error("-", "format not implemented yet"))
}
