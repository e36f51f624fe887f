//! Parser stub: being written.

use crate::error::ParseError;
use crate::formats::ParsedList;
use crate::source::Input;

/// Parses an OFAC SDN CSV set.
pub fn parse_sdn(inputs: &[Input], _list: &str) -> Result<ParsedList, ParseError> {
    Err(inputs[0].error("-", "format not implemented yet"))
}

/// Parses an OFAC consolidated non-SDN CSV set.
pub fn parse_cons(inputs: &[Input], _list: &str) -> Result<ParsedList, ParseError> {
    Err(inputs[0].error("-", "format not implemented yet"))
}
