//! A tiny HTML writer that cannot emit unescaped data.
//!
//! Markup comes only from `&'static str` literals ([`Html::raw`]); every value that may come
//! from a list, a query or the store goes through [`Html::text`] or an attribute method, which
//! escape it. So a listed name such as `<script>…</script>` is shown as text, by construction.
//! Data for charts is embedded as JSON in a `<script type="application/json">` block with `<`,
//! `>` and `&` escaped as `\u003c`, `\u003e`, `\u0026` ([`Html::json_data`]).

use std::fmt::Write;

/// Escapes text for HTML element content and quoted attribute values (`&`, `<`, `>`, `"`, `'`).
pub fn escape(text: &str) -> String {
    html_escape::encode_quoted_attribute(text).into_owned()
}

/// Every byte but the unreserved characters of RFC 3986 (`A-Z a-z 0-9 - . _ ~`).
const NOT_UNRESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a path segment or query value (everything but unreserved characters).
pub fn url_part(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, NOT_UNRESERVED).to_string()
}

/// An HTML document being written.
#[derive(Debug, Default)]
pub struct Html {
    out: String,
}

impl Html {
    /// Markup from the program (never data).
    pub fn raw(&mut self, markup: &'static str) -> &mut Self {
        self.out.push_str(markup);
        self
    }

    /// Escaped text.
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.out.push_str(&escape(text));
        self
    }

    /// `<tag>text</tag>` with the text escaped; `tag` may carry static attributes (`td class="n"`).
    pub fn el(&mut self, tag: &'static str, text: &str) -> &mut Self {
        let name = tag.split_whitespace().next().unwrap_or(tag);
        self.out.push('<');
        self.out.push_str(tag);
        self.out.push('>');
        self.text(text);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
        self
    }

    /// `<a href="href">text</a>`, both escaped (build `href` from [`url_part`]s).
    pub fn link(&mut self, href: &str, text: &str) -> &mut Self {
        let _ = write!(
            self.out,
            "<a href=\"{}\">{}</a>",
            escape(href),
            escape(text)
        );
        self
    }

    /// A text input with a name and a value, escaped.
    pub fn input(
        &mut self,
        name: &'static str,
        value: &str,
        placeholder: &'static str,
    ) -> &mut Self {
        let _ = write!(
            self.out,
            "<input type=\"text\" name=\"{name}\" value=\"{}\" placeholder=\"{placeholder}\">",
            escape(value)
        );
        self
    }

    /// JSON data for scripts, in a non-executable script block, with `<`, `>`, `&` escaped.
    pub fn json_data(&mut self, id: &'static str, value: &serde_json::Value) -> &mut Self {
        let json = value
            .to_string()
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026");
        let _ = write!(
            self.out,
            "<script type=\"application/json\" id=\"{id}\">{json}</script>"
        );
        self
    }

    /// Appends another document (itself built only through these methods).
    pub fn append(&mut self, other: Html) -> &mut Self {
        self.out.push_str(&other.out);
        self
    }

    /// The document text.
    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_escaped_everywhere() {
        let evil = "<script>alert('x')</script>&\"";
        let mut h = Html::default();
        h.el("td class=\"n\"", evil)
            .link(&format!("/ui/entities/{}", url_part(evil)), evil)
            .input("q", evil, "name")
            .json_data("d", &serde_json::json!({"name": evil}));
        let out = h.finish();
        assert!(!out.contains("<script>alert"), "{out}");
        assert!(out.contains(
            "<td class=\"n\">&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&amp;&quot;</td>"
        ));
        assert!(
            out.contains(
                "href=\"/ui/entities/%3Cscript%3Ealert%28%27x%27%29%3C%2Fscript%3E%26%22\""
            )
        );
        assert!(out.contains("\\u003cscript\\u003e"));
        assert_eq!(out.matches("</script>").count(), 1);
    }

    #[test]
    fn url_parts_keep_only_unreserved_characters() {
        assert_eq!(url_part("a-b.c_d~e"), "a-b.c_d~e");
        assert_eq!(url_part("ООО 1/2?"), "%D0%9E%D0%9E%D0%9E%201%2F2%3F");
    }
}
