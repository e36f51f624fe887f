//! Streaming XML for the list formats that ship as XML (UN, EU FSF): one record element at a
//! time, as a small tree of [`XmlNode`]s, never the whole document. quick-xml's event reader
//! does the parsing; this module only collects a record's elements so that the format parsers
//! can read them by name, and reports malformed XML at its byte position.
use crate::error::ParseError;
use crate::source::Input;
use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesRef, BytesStart, Event};

/// Elements nested deeper than this below a record are read but not kept (the formats
/// need two levels; the bound keeps hostile nesting from growing the tree).
const MAX_RECORD_DEPTH: usize = 6;

/// One element of a record, with its attributes, direct text and child elements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct XmlNode {
    /// Local name (namespace prefix dropped).
    pub name: String,
    /// Attributes by local name, unescaped, in document order.
    pub attrs: Vec<(String, String)>,
    /// The element's own text (references resolved), untrimmed.
    pub text: String,
    /// Child elements in document order.
    pub children: Vec<XmlNode>,
    /// Byte offset of the element's start tag end, for error locations.
    pub byte: u64,
}

impl XmlNode {
    /// An attribute's value, or `""`.
    pub(crate) fn attr(&self, key: &str) -> &str {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Whether the attribute is present.
    pub(crate) fn has_attr(&self, key: &str) -> bool {
        self.attrs.iter().any(|(k, _)| k == key)
    }

    /// The trimmed text of the element.
    pub(crate) fn text(&self) -> &str {
        self.text.trim()
    }

    /// Child elements with this name.
    pub(crate) fn children_named<'s>(
        &'s self,
        name: &'s str,
    ) -> impl Iterator<Item = &'s XmlNode> + 's {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of the first child with this name, or `""`.
    pub(crate) fn child_text(&self, name: &str) -> &str {
        self.children
            .iter()
            .find(|c| c.name == name)
            .map_or("", XmlNode::text)
    }

    /// The first non-empty text among the children with these names.
    pub(crate) fn first_text(&self, names: &[&str]) -> &str {
        names
            .iter()
            .map(|n| self.child_text(n))
            .find(|t| !t.is_empty())
            .unwrap_or("")
    }

    /// The texts of the `VALUE` children of every `wrapper` child (UN multi-values).
    pub(crate) fn values<'s>(&'s self, wrapper: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.children_named(wrapper)
            .flat_map(|w| w.children_named("VALUE"))
            .map(XmlNode::text)
            .filter(|t| !t.is_empty())
    }
}

/// Reads the record elements of one XML document, checking its root element and that the
/// document is well-formed and complete.
pub(crate) struct XmlRecords<'a> {
    reader: Reader<&'a [u8]>,
    input: &'a Input,
    root: &'static str,
    /// Names of the open elements outside records.
    open: Vec<String>,
    seen_root: bool,
}

impl<'a> XmlRecords<'a> {
    /// A reader of `input`, whose document element must be `root`.
    pub(crate) fn new(input: &'a Input, root: &'static str) -> Self {
        XmlRecords {
            reader: Reader::from_reader(input.data.as_slice()),
            input,
            root,
            open: Vec::new(),
            seen_root: false,
        }
    }

    /// An error at the reader's current position.
    pub(crate) fn error(&self, field: &str, message: impl Into<String>) -> ParseError {
        self.input
            .error_at_byte(self.reader.buffer_position(), field, message)
    }

    fn next_event(&mut self, field: &str) -> Result<Event<'a>, ParseError> {
        self.reader
            .read_event()
            .map_err(|e| self.error(field, format!("malformed XML: {e}")))
    }

    /// The next element named one of `names` (at any depth), read whole; `None` at the end
    /// of the document.
    pub(crate) fn next_record(&mut self, names: &[&str]) -> Result<Option<XmlNode>, ParseError> {
        loop {
            let field = self
                .open
                .last()
                .cloned()
                .unwrap_or_else(|| self.root.to_string());
            match self.next_event(&field)? {
                Event::Start(s) => {
                    let node = self.open_node(&s)?;
                    if names.contains(&node.name.as_str()) {
                        return self.read_subtree(node).map(Some);
                    }
                    self.open.push(node.name);
                }
                Event::Empty(s) => {
                    let node = self.open_node(&s)?;
                    if names.contains(&node.name.as_str()) {
                        return Ok(Some(node));
                    }
                }
                Event::End(_) => {
                    self.open.pop();
                }
                Event::Eof => return self.finish().map(|()| None),
                _ => {}
            }
        }
    }

    /// Checks the end of the document: a root was seen and every element was closed.
    fn finish(&self) -> Result<(), ParseError> {
        if !self.seen_root {
            let msg = format!("no <{}> element: empty file or not this format", self.root);
            return Err(self.error(self.root, msg));
        }
        match self.open.last() {
            Some(name) => Err(self.error(name, format!("file ends inside <{name}>"))),
            None => Ok(()),
        }
    }

    /// Builds a node from a start tag, checking the document element on the way.
    fn open_node(&mut self, start: &BytesStart) -> Result<XmlNode, ParseError> {
        let name = self.utf8(start.local_name().as_ref(), "element name")?;
        if self.open.is_empty() {
            if self.seen_root {
                return Err(self.error(&name, "content after the document element"));
            }
            if name != self.root {
                let msg = format!(
                    "expected <{}> as document element, found <{name}>",
                    self.root
                );
                return Err(self.error(&name, msg));
            }
            self.seen_root = true;
        }
        let mut attrs = Vec::new();
        for attr in start.attributes() {
            let attr = attr.map_err(|e| self.error(&name, format!("malformed attribute: {e}")))?;
            let key = self.utf8(attr.key.local_name().as_ref(), &name)?;
            if attr.key.as_ref().starts_with(b"xmlns") {
                continue;
            }
            let field = format!("{name}/@{key}");
            let value = attr
                .decode_and_unescape_value(self.reader.decoder())
                .map_err(|e| self.error(&field, format!("malformed attribute value: {e}")))?;
            attrs.push((key, value.into_owned()));
        }
        Ok(XmlNode {
            name,
            attrs,
            byte: self.reader.buffer_position(),
            ..XmlNode::default()
        })
    }

    fn utf8(&self, bytes: &[u8], field: &str) -> Result<String, ParseError> {
        std::str::from_utf8(bytes)
            .map(str::to_string)
            .map_err(|_| self.error(field, "invalid UTF-8"))
    }

    /// Reads the content of `node` (whose start tag was just read) up to its end tag.
    fn read_subtree(&mut self, node: XmlNode) -> Result<XmlNode, ParseError> {
        let mut stack = vec![node];
        let mut skipped = 0usize;
        loop {
            let field = stack.last().map(|n| n.name.clone()).unwrap_or_default();
            match self.next_event(&field)? {
                Event::Start(s) => {
                    if skipped > 0 || stack.len() >= MAX_RECORD_DEPTH {
                        skipped += 1;
                    } else {
                        stack.push(self.open_node(&s)?);
                    }
                }
                Event::Empty(s) if skipped == 0 && stack.len() < MAX_RECORD_DEPTH => {
                    let child = self.open_node(&s)?;
                    if let Some(top) = stack.last_mut() {
                        top.children.push(child);
                    }
                }
                Event::End(_) if skipped > 0 => skipped -= 1,
                Event::End(_) => match (stack.pop(), stack.last_mut()) {
                    (Some(done), Some(parent)) => parent.children.push(done),
                    (Some(done), None) => return Ok(done),
                    (None, _) => return Err(self.error(&field, "unbalanced end tag")),
                },
                Event::Text(t) if skipped == 0 => {
                    let text = t.decode().map_err(|e| self.error(&field, e.to_string()))?;
                    push_text(&mut stack, &text);
                }
                Event::CData(c) if skipped == 0 => {
                    let text = c.decode().map_err(|e| self.error(&field, e.to_string()))?;
                    push_text(&mut stack, &text);
                }
                Event::GeneralRef(r) if skipped == 0 => {
                    let text = self.resolve(&r, &field)?;
                    push_text(&mut stack, &text);
                }
                Event::Eof => {
                    return Err(self.error(&field, format!("file ends inside <{field}>")));
                }
                _ => {}
            }
        }
    }

    /// Resolves `&name;` or `&#n;` to its text.
    fn resolve(&self, r: &BytesRef, field: &str) -> Result<String, ParseError> {
        let bad = |e: String| self.error(field, format!("bad reference: {e}"));
        if let Some(c) = r.resolve_char_ref().map_err(|e| bad(e.to_string()))? {
            return Ok(c.to_string());
        }
        let name = r.decode().map_err(|e| bad(e.to_string()))?;
        resolve_predefined_entity(&name)
            .map(str::to_string)
            .ok_or_else(|| bad(format!("unknown entity &{name};")))
    }
}

fn push_text(stack: &mut [XmlNode], text: &str) {
    if let Some(top) = stack.last_mut() {
        top.text.push_str(text);
    }
}
