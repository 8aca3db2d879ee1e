//! Saying where an interview record goes wrong. The typed decoder reads exports fast but
//! its errors name Rust types and columns; when it refuses an interview, that interview is
//! decoded again from its JSON value through this deserializer, which knows the path to
//! every value it hands out and words its errors for people: the field as the API spells
//! it (`interviewersFeedback[0].author.username`) and the kind of value found and wanted.

use std::fmt;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// A JSON value to decode, the root of the paths in errors.
pub struct At<'a>(pub &'a Value);

/// One step down a path: a field of an object or a place in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Field(String),
    Index(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Problem {
    /// A value of the wrong kind; both described in words. The value itself is not quoted:
    /// it may be note text.
    Kind {
        found: String,
        expected: String,
    },
    /// A field the record needs is not there.
    Missing(&'static str),
    Other(String),
}

/// What is wrong, and where in the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// Innermost step first: errors collect their path on the way up.
    steps: Vec<Step>,
    problem: Problem,
}

impl Located {
    fn under(mut self, step: Step) -> Located {
        self.steps.push(step);
        self
    }

    /// `interviewersFeedback[0].author`: the path to the value at fault.
    pub fn path(&self) -> String {
        let mut path = String::new();
        for step in self.steps.iter().rev() {
            match step {
                Step::Field(name) if path.is_empty() => path.push_str(name),
                Step::Field(name) => {
                    path.push('.');
                    path.push_str(name);
                }
                Step::Index(i) => path.push_str(&format!("[{i}]")),
            }
        }
        path
    }
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path();
        match &self.problem {
            Problem::Kind { found, expected } if path.is_empty() => {
                write!(f, "the record is {found}; expected {expected}")
            }
            Problem::Kind { found, expected } => write!(f, "{path} is {found}; expected {expected}"),
            Problem::Missing(field) if path.is_empty() => write!(f, "{field} is missing"),
            Problem::Missing(field) => write!(f, "{path}.{field} is missing"),
            Problem::Other(message) if path.is_empty() => f.write_str(message),
            Problem::Other(message) => write!(f, "{path}: {message}"),
        }
    }
}

impl std::error::Error for Located {}

impl de::Error for Located {
    fn custom<T: fmt::Display>(message: T) -> Located {
        Located {
            steps: Vec::new(),
            problem: Problem::Other(message.to_string()),
        }
    }

    fn invalid_type(found: de::Unexpected, expected: &dyn de::Expected) -> Located {
        Located {
            steps: Vec::new(),
            problem: Problem::Kind {
                found: found_in_words(&found),
                expected: expected_in_words(&expected.to_string()),
            },
        }
    }

    fn invalid_value(found: de::Unexpected, expected: &dyn de::Expected) -> Located {
        Self::invalid_type(found, expected)
    }

    fn missing_field(field: &'static str) -> Located {
        Located {
            steps: Vec::new(),
            problem: Problem::Missing(field),
        }
    }
}

fn found_in_words(found: &de::Unexpected) -> String {
    use de::Unexpected as U;
    match found {
        U::Unit | U::Option => "null".into(),
        U::Bool(b) => b.to_string(),
        U::Unsigned(n) => format!("the number {n}"),
        U::Signed(n) => format!("the number {n}"),
        U::Float(n) => format!("the number {n}"),
        U::Str(_) | U::Char(_) | U::Bytes(_) => "text".into(),
        U::Seq => "a list".into(),
        U::Map => "an object".into(),
        other => other.to_string(),
    }
}

/// What serde's derives expect, in the words of JSON: never a Rust type's name.
fn expected_in_words(expected: &str) -> String {
    match expected {
        e if e.starts_with("struct ") || e == "a map" => "an object".into(),
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => {
            "a whole number".into()
        }
        "f32" | "f64" => "a number".into(),
        "a string" | "a borrowed string" | "a character" => "text".into(),
        "a sequence" => "a list".into(),
        "a boolean" => "true or false".into(),
        e if e.starts_with("enum ") => "one of the documented values".into(),
        other => other.to_string(),
    }
}

impl<'de> Deserializer<'de> for At<'de> {
    type Error = Located;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Located> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => visitor.visit_u64(u),
                (None, Some(i)) => visitor.visit_i64(i),
                (None, None) => visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => visitor.visit_seq(Items {
                items: items.iter().enumerate(),
            }),
            Value::Object(fields) => visitor.visit_map(Fields {
                fields: fields.iter(),
                value: None,
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Located> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Located> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

struct Items<'a> {
    items: std::iter::Enumerate<std::slice::Iter<'a, Value>>,
}

impl<'de> SeqAccess<'de> for Items<'de> {
    type Error = Located;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Located> {
        let Some((i, item)) = self.items.next() else {
            return Ok(None);
        };
        seed.deserialize(At(item))
            .map(Some)
            .map_err(|e| e.under(Step::Index(i)))
    }
}

struct Fields<'a> {
    fields: serde_json::map::Iter<'a>,
    /// The value of the key just handed out.
    value: Option<(&'a str, &'a Value)>,
}

impl<'de> MapAccess<'de> for Fields<'de> {
    type Error = Located;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Located> {
        let Some((key, value)) = self.fields.next() else {
            return Ok(None);
        };
        self.value = Some((key, value));
        seed.deserialize(BorrowedStrDeserializer::new(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Located> {
        let Some((key, value)) = self.value.take() else {
            return Err(de::Error::custom("a value asked for before its key"));
        };
        seed.deserialize(At(value))
            .map_err(|e| e.under(Step::Field(key.to_string())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Record {
        id: String,
        items: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        name: Option<String>,
        score: Option<i64>,
        owner: Owner,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Owner {
        login: String,
    }

    fn error(value: Value) -> String {
        Record::deserialize(At(&value)).unwrap_err().to_string()
    }

    #[test]
    fn errors_give_the_path_and_kinds_in_words() {
        let ok = serde_json::json!({"id": "r1", "items": [{"name": null, "owner": {"login": "x"}}]});
        assert!(Record::deserialize(At(&ok)).is_ok());
        assert_eq!(
            error(
                serde_json::json!({"id": "r1", "items": [{"owner": {"login": "x"}}, {"score": "4", "owner": {"login": "y"}}]})
            ),
            "items[1].score is text; expected a whole number"
        );
        assert_eq!(
            error(serde_json::json!({"id": "r1", "items": [{"owner": null}]})),
            "items[0].owner is null; expected an object"
        );
        assert_eq!(
            error(serde_json::json!({"id": "r1", "items": [{"owner": {}}]})),
            "items[0].owner.login is missing"
        );
        assert_eq!(error(serde_json::json!({"items": []})), "id is missing");
        assert_eq!(
            error(serde_json::json!({"id": 4.5, "items": []})),
            "id is the number 4.5; expected text"
        );
    }
}
